import type { Logger, ProbotOctokit } from 'probot';
import { checks as allChecks, configOptions, ruleCatalogue } from '../checks/index.js';
import type { AnyCheck } from '../core/check.js';
import { runChecks } from '../core/engine.js';
import { summarise, type CheckResult, type Report } from '../core/report.js';
import { VERSION } from '../core/version.js';
import {
  annotationBatches,
  checkRunOutput,
  noteText,
  outputDigest,
  type CheckRunOutput,
} from '../sinks/check-run.js';
import { fetchConfigLink, fetchContext, fetchFiles, gitHubSnapshot } from '../sources/github.js';
import type { GitHubContext, GitHubTarget, LastCheckRun } from '../sources/github-context.js';
import { explainFailure, grantToApp } from '../github/failure.js';
import type { RequestCount } from '../github/request-counter.js';
import { configFindings, resolveAppConfig } from './config.js';

type Octokit = Pick<ProbotOctokit, 'request' | 'graphql'>;

export interface JudgeOptions {
  octokit: Octokit;
  target: GitHubTarget;
  /** The webhook delivery, so that every log line can be traced to it. */
  deliveryId: string;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * The Re-run button: GitHub leaves the old run as it was and expects a new one, so one is made even when the
   * result has not changed.
   */
  rerun?: boolean;
  checks?: readonly AnyCheck[];
  now?: () => Date;
  /** Counts this event's requests, for the log: an event should cost a few, whatever the number of checks. */
  requests?: RequestCount;
}

function reportOf(target: GitHubTarget, results: CheckResult[]): Report {
  return {
    tool: 'openly',
    version: VERSION,
    repository: { path: `${target.owner}/${target.repo}`, head: target.headSha },
    summary: summarise(results),
    results,
  };
}

function configResult(findings: CheckResult['findings']): CheckResult {
  return { check: 'config', title: 'Configuration', status: 'fail', findings, durationMs: 0 };
}

async function judgeContext(
  options: JudgeOptions,
  context: GitHubContext,
  list: readonly AnyCheck[],
): Promise<CheckRunOutput> {
  const { octokit, target } = options;
  const rules = ruleCatalogue(list);
  const paths = new Set(context.paths);
  const notes = context.warnings.map((warning) => `⚠️ ${noteText(warning)}`);
  const outcome = await resolveAppConfig(context, configOptions(list), target, (link) =>
    fetchConfigLink(octokit, link),
  );
  if (outcome.config === undefined) {
    const report = reportOf(target, [configResult(configFindings(outcome.problems, target))]);
    return checkRunOutput(report, {
      rules,
      paths,
      title: 'The Openly configuration cannot be used',
      notes: [
        '**No checks ran:** the configuration has problems, and Openly does not fall back to its defaults.',
        ...notes,
      ],
    });
  }
  const { config } = outcome;
  const wanted = new Set<string>();
  for (const check of list) {
    if (config.levels[check.id] === 'off' || check.wants === undefined) continue;
    for (const path of check.wants(context.paths, config.options[check.id] as never)) wanted.add(path);
  }
  const files = await fetchFiles(octokit, target, [...wanted], context.sizes);
  const report = await runChecks({
    snapshot: gitHubSnapshot(context, files, target),
    checks: list,
    config,
    repositoryPath: `${target.owner}/${target.repo}`,
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  if (outcome.headProblems.length > 0) {
    report.results.push(configResult(configFindings(outcome.headProblems, target)));
    report.summary = summarise(report.results);
  }
  const sources =
    config.sources.length === 0
      ? 'No `.github/openly.yml` here or in the organisation `.github` repository: built-in defaults.'
      : `Configuration: ${config.sources.map(noteText).join(' over ')}.`;
  return checkRunOutput(report, { rules, paths, notes: [...notes, sources] });
}

/** Why GitHub could not be read, in words for the check run; never the request, which carries the token. */
function failureOutput(error: unknown): CheckRunOutput {
  const why = error instanceof Error ? error.message : String(error);
  return {
    // A required check must not pass on code nobody judged; Re-run retries once GitHub answers again.
    conclusion: 'failure',
    title: 'Openly could not read the repository',
    summary:
      '## Openly\n\n**Openly could not read the repository, so nothing was judged.**\n\n' +
      `${noteText(why)}\n\nUse **Re-run** on this check once GitHub answers again.\n`,
    annotations: [],
  };
}

/**
 * A new check run with every annotation exactly once: GitHub appends the annotations of each update to the run's,
 * so only a new run can show a new result without the old findings beside it. The digest goes in the last request,
 * so a run cut short (a crash between the batches) never passes for a complete one.
 */
async function createCheckRun(
  options: JudgeOptions,
  output: CheckRunOutput,
  digest: string,
): Promise<number> {
  const { octokit, target } = options;
  const [first = [], ...rest] = annotationBatches(output.annotations);
  const last = rest.length;
  const id = Number(
    (
      await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
        owner: target.owner,
        repo: target.repo,
        name: target.checkName,
        head_sha: target.headSha,
        status: 'completed',
        conclusion: output.conclusion,
        completed_at: (options.now?.() ?? new Date()).toISOString(),
        ...(last === 0 ? { external_id: digest } : {}),
        output: { title: output.title, summary: output.summary, annotations: first },
      })
    ).data.id,
  );
  for (const [i, annotations] of rest.entries()) {
    await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: target.owner,
      repo: target.repo,
      check_run_id: id,
      ...(i === last - 1 ? { external_id: digest } : {}),
      output: { title: output.title, summary: output.summary, annotations },
    });
  }
  return id;
}

/** The latest run already shows this output, complete: writing it again would only add copies of its annotations. */
function alreadyShown(previous: LastCheckRun | undefined, digest: string): previous is LastCheckRun {
  return previous !== undefined && previous.completed && previous.externalId === digest;
}

const JUDGING = { doing: 'judging the commit', permissions: [], who: 'the App', grant: grantToApp };
const WRITING = {
  doing: 'writing the check run',
  permissions: ['checks: write'],
  who: 'the App',
  grant: grantToApp,
};

/**
 * Judges one commit and writes the Openly check run: a new run, unless the latest one already shows this very
 * result (a redelivery), when nothing is written. Never throws: when GitHub cannot be read, the check run says so;
 * when even that cannot be written, the failure is logged with the delivery id.
 */
export async function judge(options: JudgeOptions): Promise<void> {
  const { target, deliveryId, log } = options;
  const where = { deliveryId, repository: `${target.owner}/${target.repo}`, headSha: target.headSha };
  let previous: LastCheckRun | undefined;
  let output: CheckRunOutput;
  try {
    const context = await fetchContext(options.octokit, target);
    previous = context.lastCheckRun;
    output = await judgeContext(options, context, options.checks ?? allChecks);
  } catch (error) {
    log.error({ ...where, error: explainFailure(error, JUDGING) }, 'Openly could not judge the commit');
    output = failureOutput(error);
  }
  const digest = outputDigest(output);
  const counted = () => ({
    conclusion: output.conclusion,
    annotations: output.annotations.length,
    ...(options.requests === undefined ? {} : { requests: options.requests.byRoute() }),
  });
  if (options.rerun !== true && alreadyShown(previous, digest)) {
    // A redelivery, or another event for a commit already judged: the pull request stays as it was.
    log.info(
      { ...where, checkRunId: previous.id, ...counted() },
      'Openly check run already shows this result',
    );
    return;
  }
  try {
    const id = await createCheckRun(options, output, digest);
    log.info({ ...where, checkRunId: id, ...counted() }, 'Openly check run written');
  } catch (error) {
    log.error({ ...where, error: explainFailure(error, WRITING) }, 'Openly could not write the check run');
  }
}
