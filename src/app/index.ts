import type { Context, Probot } from 'probot';
import type { AnyCheck } from '../core/check.js';
import type { GitHubTarget } from '../sources/github-context.js';
import { countRequests } from '../github/request-counter.js';
import type { AuditOctokit } from '../org/octokit.js';
import type { Claims } from '../org/claims.js';
import type { AuditRunner } from '../org/runner.js';
import { runnerFromEnv } from '../queue/runner.js';
import { AppAudits, startSchedule, type Changes, type Installation } from './audit.js';
import { judge } from './judge.js';
import { CHECK_NAME } from './permissions.js';
import { checkRunTarget, checkSuiteTarget, pullRequestTarget, pushTarget } from './target.js';

export interface OpenlyAppOptions {
  /** The App's id, so that only its own check runs are found and updated; by default `APP_ID`. */
  appId?: number;
  checks?: readonly AnyCheck[];
  now?: () => Date;
  /** Runs an organisation's audit: in-process by default (`inProcessRunner()`); a queue runs it on workers. */
  runner?: AuditRunner;
  /** The audits' memory and settings; by default made from `runner`, `now` and `OPENLY_AUDIT_DIR`. */
  audits?: AppAudits;
  /** Audit every installation on a schedule (an in-process timer): only for the App started for real. */
  schedule?: boolean;
  /** Shared with the App's other replicas, so that each scheduled audit and tracking issue is done once. */
  claims?: Claims;
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
    const audits =
      options.audits ??
      new AppAudits({
        ...(options.runner === undefined ? {} : { runner: options.runner }),
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.claims === undefined ? {} : { claims: options.claims }),
        ...(process.env.OPENLY_AUDIT_DIR === undefined ? {} : { auditDir: process.env.OPENLY_AUDIT_DIR }),
        ...(process.env.GITHUB_SERVER_URL === undefined ? {} : { serverUrl: process.env.GITHUB_SERVER_URL }),
      });
    if (options.schedule === true) startSchedule(app, audits);

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

    // The organisation audit. A personal account has no organisation to audit; its check runs are unaffected.
    function organisation(account: unknown, id: number | undefined): Installation | undefined {
      const { login, type } = (account ?? {}) as { login?: string; type?: string };
      return login !== undefined && type === 'Organization' && id !== undefined
        ? { id, org: login }
        : undefined;
    }
    // Probot's octokit (its retries, throttling and installation token) is what the audit reads through.
    const octokitOf = (context: Context): AuditOctokit => context.octokit;

    app.on('installation.created', async (context) => {
      const installation = organisation(
        context.payload.installation.account,
        context.payload.installation.id,
      );
      if (installation === undefined) return;
      await audits.auditInstallation(octokitOf(context), installation, context.log);
    });
    app.on('installation.deleted', async (context) => {
      const installation = organisation(
        context.payload.installation.account,
        context.payload.installation.id,
      );
      if (installation === undefined) return;
      await audits.forgetInstallation(installation, context.log);
    });
    app.on(['installation_repositories.added', 'installation_repositories.removed'], async (context) => {
      const { payload } = context;
      const installation = organisation(payload.installation.account, payload.installation.id);
      if (installation === undefined) return;
      const names = (list: readonly { name?: string }[]) =>
        list.map((r) => r.name).filter((name): name is string => name !== undefined);
      const added = names(payload.repositories_added);
      const removed = names(payload.repositories_removed);
      // Repositories removed from the installation cost no request: they leave the report.
      await audits.auditRepositories(octokitOf(context), installation, added, context.log, { removed });
    });
    app.on(
      [
        'repository.created',
        'repository.privatized',
        'repository.publicized',
        'repository.archived',
        'repository.unarchived',
        'repository.renamed',
        'repository.deleted',
      ],
      async (context) => {
        const { payload } = context;
        const installation = organisation(
          payload.organization === undefined ? undefined : { ...payload.organization, type: 'Organization' },
          payload.installation?.id,
        );
        if (installation === undefined) return;
        const name = payload.repository.name;
        let names = [name];
        const changes: Changes = {};
        if (payload.action === 'deleted') {
          // Nothing left to read: the repository leaves the report.
          names = [];
          changes.removed = [name];
        } else if (payload.action === 'renamed') {
          changes.removed = [payload.changes.repository.name.from];
        } else if (payload.action === 'privatized') {
          changes.madePrivate = [name];
        }
        await audits.auditRepositories(octokitOf(context), installation, names, context.log, changes);
      },
    );
  };
}

/** With `REDIS_URL`, the audits go through BullMQ to `npm run worker` processes; in-process otherwise. */
const queued = runnerFromEnv();

export default openlyApp({
  schedule: true,
  ...(queued === undefined ? {} : { runner: queued, claims: queued.claims }),
});
