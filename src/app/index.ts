import type { Context, Probot } from 'probot';
import type { AnyCheck } from '../core/check.js';
import type { GitHubTarget } from '../sources/github-context.js';
import { countRequests } from '../github/request-counter.js';
import { judge } from './judge.js';
import { CHECK_NAME } from './permissions.js';
import { checkRunTarget, checkSuiteTarget, pullRequestTarget, pushTarget } from './target.js';

export interface OpenlyAppOptions {
  /** The App's id, so that only its own check runs are found and updated; by default `APP_ID`. */
  appId?: number;
  checks?: readonly AnyCheck[];
  now?: () => Date;
}

type Mapping = Record<string, unknown>;

function envAppId(): number | undefined {
  const id = Number(process.env.APP_ID);
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/** The App with its settings; the default export is this with the environment's. */
export function openlyApp(options: OpenlyAppOptions = {}): (app: Probot) => void {
  const appId = options.appId ?? envAppId();

  return (app: Probot) => {
    async function run(context: Context, target: GitHubTarget | undefined, rerun = false) {
      if (target === undefined) {
        context.log.debug({ deliveryId: context.id }, 'event not judged');
        return;
      }
      const requests = countRequests(context.octokit);
      await judge({
        octokit: context.octokit,
        requests,
        target,
        deliveryId: context.id,
        log: context.log,
        rerun,
        ...(options.checks === undefined ? {} : { checks: options.checks }),
        ...(options.now === undefined ? {} : { now: options.now }),
      });
    }

    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], (context) =>
      run(context, pullRequestTarget(context.payload as unknown as Mapping, appId)),
    );
    // A new title or description changes nothing Openly judges; a new base branch changes the commits.
    app.on('pull_request.edited', (context) =>
      run(
        context,
        context.payload.changes.base === undefined
          ? undefined
          : pullRequestTarget(context.payload as unknown as Mapping, appId),
      ),
    );
    app.on('check_suite.requested', (context) => {
      const suite = context.payload.check_suite;
      // The pull_request and push events judge these same commits; judging them twice at once would race to
      // create two check runs. A suite for another branch, with no pull request yet, is judged here.
      const covered =
        suite.pull_requests.length > 0 || suite.head_branch === context.payload.repository.default_branch;
      return run(context, covered ? undefined : checkSuiteTarget(context.payload, appId));
    });
    // Re-run asks for a new check run (GitHub leaves the old one as it was), even when nothing has changed.
    app.on('check_suite.rerequested', (context) =>
      run(context, checkSuiteTarget(context.payload as unknown as Mapping, appId), true),
    );
    app.on('check_run.rerequested', (context) => {
      const checkRun = context.payload.check_run;
      // Only the Re-run button on Openly's own run; another app's run is that app's business.
      const ours = checkRun.name === CHECK_NAME && (appId === undefined || checkRun.app?.id === appId);
      return run(context, ours ? checkRunTarget(context.payload, appId) : undefined, true);
    });
    app.on('push', (context) => run(context, pushTarget(context.payload as unknown as Mapping, appId)));
  };
}

export default openlyApp();
