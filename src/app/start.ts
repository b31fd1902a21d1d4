/**
 * `npm start`: the App under Probot's server, with GitHub clients whose throttle is per installation (shared
 * through Redis across replicas when `REDIS_URL` is set), so that one busy organisation does not slow the others.
 * With `REDIS_URL` and `OPENLY_APP_WORKER=true`, the same process is also an audit worker (as `npm run worker`),
 * for a deployment of one replica that still wants the queue's retries.
 */
import { run } from 'probot';
import { InstallationThrottledOctokit } from '../queue/probot.js';
import app from './index.js';

await run(app, { Octokit: InstallationThrottledOctokit });
if (process.env.REDIS_URL && process.env.OPENLY_APP_WORKER === 'true')
  await import('../queue/worker-main.js');
