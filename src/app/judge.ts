import type { Logger, ProbotOctokit } from 'probot';
import { checks as allChecks, configOptions, ruleCatalogue } from '../checks/index.js';
import type { AnyCheck } from '../core/check.js';
import { runChecks, wantedFiles } from '../core/engine.js';
import { configResult, reportOf, type CheckResult } from '../core/report.js';
import type { ResolvedConfig } from '../config/types.js';
import {
  checkRunOutput,
  configSourcesNote,
  failureOutput,
  noteText,
  refusedConfigOutput,
  type CheckRunOutput,
} from '../sinks/check-run.js';
import { writeCheckRun } from '../sinks/check-run-writer.js';
import { fetchConfigLink, fetchContext, fetchFiles, gitHubSnapshot } from '../sources/github.js';
import type { GitHubContext, GitHubTarget, LastCheckRun } from '../sources/github-context.js';
import { explainFailure, grantToApp } from '../github/failure.js';
import type { RequestCount } from '../github/request-counter.js';
import { misplacedAuditLine } from '../org/settings.js';
import { configFindings, resolveAppConfig } from './config.js';
import { proposeFirstFiles } from './fix.js';

type Octokit = Pick<ProbotOctokit, 'request' | 'graphql'>;

export interface JudgeOptions {
  octokit: Octokit;
  target: GitHubTarget;
  /** The webhook delivery, so that every log line can be traced to it. */
  deliveryId: string;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The Re-run button: a new check run even when the result has not changed. */
  rerun?: boolean;
  checks?: readonly AnyCheck[];
  now?: () => Date;
  /** Counts this event's requests, for the log: an event should cost a few, whatever the number of checks. */
  requests?: RequestCount;
}

/** What `fix:` needs of a judgement: the configuration, the tree's paths and the results. */
interface Judged {
  output: CheckRunOutput;
  fix?: { config: ResolvedConfig; paths: readonly string[]; results: readonly CheckResult[] };
}

/** The configuration from the default branch, the files the checks want, the engine, and its report as a check run. */
async function judgeContext(
  options: JudgeOptions,
  context: GitHubContext,
  list: readonly AnyCheck[],
): Promise<Judged> {
  const { octokit, target } = options;
  const rules = ruleCatalogue(list);
  const paths = new Set(context.paths);
  const repository = { path: `${target.owner}/${target.repo}`, head: target.headSha };
  const notes = context.warnings.map((warning) => `⚠️ ${noteText(warning)}`);
  notes.push(...misplacedAudit(context, target));
  const outcome = await resolveAppConfig(context, configOptions(list), target, (link) =>
    fetchConfigLink(octokit, link),
  );
  if (outcome.config === undefined) {
    const report = reportOf(repository, [configResult(configFindings(outcome.problems, target))]);
    return { output: refusedConfigOutput(report, { rules, paths, notes }) };
  }
  const { config } = outcome;
  const files = await fetchFiles(octokit, target, wantedFiles(list, config, context.paths), context.sizes);
  const snapshot = gitHubSnapshot(context, files, target);
  const { now } = options;
  const checked = await runChecks({ snapshot, checks: list, config, repositoryPath: repository.path, now });
  // A pull request that edits the configuration gets the head version validated too, beside the checks' results.
  const head = outcome.headProblems.length === 0 ? [] : [configFindings(outcome.headProblems, target)];
  const report = reportOf(checked.repository, [...checked.results, ...head.map(configResult)]);
  return {
    output: checkRunOutput(report, { rules, paths, notes: [...notes, configSourcesNote(config.sources)] }),
    fix: { config, paths: context.paths, results: checked.results },
  };
}

/**
 * `audit:` configures the organisation audit and is read only from the organisation base: in any other repository's
 * file it would silently do nothing, so the check run says so (without failing: nothing it judges is wrong).
 */
function misplacedAudit(context: GitHubContext, target: GitHubTarget): string[] {
  if (target.repo.toLowerCase() === '.github') return [];
  const files = [context.repoConfig, context.headConfig].filter((c) => c !== undefined);
  const seen = new Set<string>();
  const notes: string[] = [];
  for (const config of files) {
    const line = misplacedAuditLine(config);
    if (line === undefined || seen.has(config.text)) continue;
    seen.add(config.text);
    notes.push(
      `⚠️ ${config.source}:${line}: \`audit:\` means nothing in a repository's own configuration: the organisation audit reads it only from the organisation base (${target.owner}/.github, file .github/openly.yml). Move it there or delete it.`,
    );
  }
  return notes;
}

const JUDGING = { doing: 'judging the commit', permissions: [], who: 'the App', grant: grantToApp };
const WRITING = {
  doing: 'writing the check run',
  permissions: ['checks: write'],
  who: 'the App',
  grant: grantToApp,
};

/**
 * Judges one commit and writes the Openly check run (none when the latest already shows this result). Never throws:
 * when GitHub cannot be read, the check run says so; when even that cannot be written, the failure is logged with
 * the delivery id.
 */
export async function judge(options: JudgeOptions): Promise<void> {
  const { octokit, target, deliveryId, log, rerun, now } = options;
  const where = { deliveryId, repository: `${target.owner}/${target.repo}`, headSha: target.headSha };
  let previous: LastCheckRun | undefined;
  let output: CheckRunOutput;
  let fix: Judged['fix'];
  try {
    const context = await fetchContext(octokit, target);
    previous = context.lastCheckRun;
    ({ output, fix } = await judgeContext(options, context, options.checks ?? allChecks));
  } catch (error) {
    log.error({ ...where, error: explainFailure(error, JUDGING) }, 'Openly could not judge the commit');
    output = failureOutput(error);
  }
  const counted = () => ({
    conclusion: output.conclusion,
    annotations: output.annotations.length,
    ...(options.requests === undefined ? {} : { requests: options.requests.byRoute() }),
  });
  try {
    const run = await writeCheckRun({ octokit, target, output, previous, rerun, now });
    const said = run.written ? 'Openly check run written' : 'Openly check run already shows this result';
    log.info({ ...where, checkRunId: run.id, ...counted() }, said);
  } catch (error) {
    log.error({ ...where, error: explainFailure(error, WRITING) }, 'Openly could not write the check run');
  }
  // After the check run, so that whatever becomes of the pull request, the verdict is already shown.
  if (fix !== undefined) {
    await proposeFirstFiles({
      octokit,
      target,
      deliveryId,
      log,
      ...fix,
      ...(now === undefined ? {} : { now }),
      ...(options.requests === undefined ? {} : { requests: options.requests }),
    });
  }
}
