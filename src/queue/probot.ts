import { ProbotOctokit } from 'probot';
import { throttleId } from './jobs.js';

type Options = Record<string, unknown> & { auth?: { installationId?: unknown }; throttle?: object };

/**
 * ProbotOctokit whose throttle id is the installation's. Probot gives every client the same default id, so with
 * `REDIS_URL` every installation on every replica would wait in one line; this gives each installation its own
 * line, the one the queue workers use for it. Give it to Probot as `run(app, { Octokit: InstallationThrottledOctokit })`
 * (or `new Probot({ Octokit: ... })`): Probot then adds its Redis connection from `REDIS_URL` as usual.
 */
export const InstallationThrottledOctokit = ProbotOctokit.defaults((options: Options) => {
  const installationId = Number(options.auth?.installationId);
  return {
    ...options,
    throttle: {
      ...options.throttle,
      id: Number.isInteger(installationId) && installationId > 0 ? throttleId(installationId) : 'openly-app',
    },
  };
});
