/**
 * The Action's flow: inputs and the run's context in; the release step the event calls for (release notes on a
 * push to the default branch, a milestone's release, or publishing the draft); then, on every run, the governance
 * status: checks on the checkout, job summary, annotations, status files, commit status and, optionally, the status
 * page on a branch. A failing release step does not stop the status from being reported: both run, and the step
 * fails at the end with every reason.
 */
import { join } from 'node:path';
import { Octokit } from '@octokit/core';
import { withRetries } from './retry.js';
import { checks } from '../checks/index.js';
import type { ConfigProblem } from '../config/load.js';
import { runChecks } from '../core/engine.js';
import { VERSION } from '../core/version.js';
import type { ReleaseOutcome } from '../release/index.js';
import { brokenConfigStatus, commitStatusOf } from '../sinks/commit-status.js';
import {
  renderConfigProblemsSummary,
  renderJobSummary,
  renderReleaseSummary,
  STEP_SUMMARY_LIMIT,
} from '../sinks/job-summary.js';
import {
  pagesAsRecorded,
  pagesCommitMessage,
  pageFiles,
  statusFiles,
  writeStatusFiles,
} from '../sinks/status-files.js';
import {
  configProblemAnnotations,
  findingAnnotations,
  type WorkflowMessage,
} from '../sinks/workflow-annotations.js';
import { SnapshotError } from '../sources/local.js';
import { openLocal, type OpenedLocal } from '../sources/open-local.js';
import { buildGovernanceStatus, type GovernanceStatus, type OverallStatus } from '../status/model.js';
import { field, readContext, type ActionContext } from './context.js';
import {
  publishToBranch,
  readStatusContext,
  setCommitStatus,
  type PagesResult,
  type StatusContext,
} from './github.js';
import { inputInside, readInputs, type ActionInputs, type FailOn } from './inputs.js';
import { forkPullRequest, notOnDefaultBranch, pagesUrl, planRun, pushedRange } from './plan.js';
import { releaseStep } from './release-step.js';
import { Runtime, type ActionEnv } from './runtime.js';

/** Makes the client for GitHub's API; tests pass one with their own base URL. */
export type OctokitFactory = (options: { token: string; baseUrl: string }) => Octokit;

export interface RunDependencies {
  /** The process environment: INPUT_*, GITHUB_*. */
  env: ActionEnv;
  /** Where relative paths start when GITHUB_WORKSPACE is unset. */
  cwd?: string;
  runtime?: Runtime;
  octokit?: OctokitFactory;
  now?: () => Date;
}

export interface RunResult {
  exitCode: number;
  /** The governance verdict, when the status step got that far. */
  status?: OverallStatus;
  release?: ReleaseOutcome;
  pages?: PagesResult;
  /** GitHub requests made by the run. */
  requests: number;
}

const defaultOctokit: OctokitFactory = ({ token, baseUrl }) =>
  withRetries(new Octokit({ auth: token, baseUrl, userAgent: `openly-action/${VERSION}` }));

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the Action. Never throws: anything unexpected fails the step with its message. */
export async function run(deps: RunDependencies): Promise<RunResult> {
  const runtime = deps.runtime ?? new Runtime();
  const counter = { requests: 0 };
  try {
    return await runSteps(runtime, deps, counter);
  } catch (error) {
    runtime.setFailed(`Openly could not run: ${message(error)}`);
    return { exitCode: runtime.exitCode, requests: counter.requests };
  }
}

/** What every step shares: the runner, the inputs, the run's context, GitHub, and the reasons the step fails. */
interface Step {
  runtime: Runtime;
  inputs: ActionInputs;
  context: ActionContext;
  octokit: Octokit | undefined;
  failures: string[];
}

async function runSteps(
  runtime: Runtime,
  deps: RunDependencies,
  counter: { requests: number },
): Promise<RunResult> {
  // Masked before anything is checked, so that no message about another input can ever carry it.
  runtime.mask(runtime.getInput('token'));
  const inputs = readInputs((name) => runtime.getInput(name));
  const context = readContext(deps.env, deps.cwd ?? process.cwd());
  const now = deps.now ?? (() => new Date());
  if (context.eventName === 'push' && field(context.payload, 'deleted') === true) {
    // GitHub runs the workflow with the default branch's commit when a push deletes a branch or tag; judging that
    // and setting its status would report on a commit nobody pushed.
    const ref = field(context.payload, 'ref');
    runtime.annotate(
      'notice',
      `This push deleted ${typeof ref === 'string' ? ref : 'a branch or tag'}: there is no commit to judge, so Openly did nothing.`,
    );
    runtime.setOutput('status', '');
    return { exitCode: runtime.exitCode, requests: 0 };
  }
  const plan = planRun(inputs.mode, context);
  runtime.info(
    `Openly ${VERSION}: ${plan.reason}${inputs.dryRun ? ' (dry run: nothing is written to GitHub)' : ''}`,
  );

  let octokit: Octokit | undefined;
  if (inputs.token !== '') {
    octokit = (deps.octokit ?? defaultOctokit)({ token: inputs.token, baseUrl: context.apiUrl });
    octokit.hook.before('request', () => {
      counter.requests += 1;
    });
  }
  const step: Step = { runtime, inputs, context, octokit, failures: [] };
  const result: RunResult = { exitCode: 0, requests: 0 };

  const opened = openCheckout(step);

  const release = plan.release;
  if (release !== undefined) {
    if (!opened.ok) {
      step.failures.push('The release step did not run: the configuration is invalid (see above).');
    } else if (octokit === undefined) {
      step.failures.push('The release step needs a token, even in a dry run, to read the releases.');
    } else {
      try {
        result.release = await runtime.group(`Openly release: ${release.kind}`, () =>
          releaseStep({
            ...{ step: release, octokit, context, snapshot: opened.snapshot, config: opened.config },
            ...{ dryRun: inputs.dryRun, log: logger(runtime) },
          }),
        );
        runtime.setOutput('tag', result.release.tag);
        runtime.setOutput('release-url', result.release.url ?? '');
      } catch (error) {
        step.failures.push(message(error));
      }
    }
  }

  if (!opened.ok) {
    await reportBrokenConfig(step, opened.problems);
    runtime.setOutput('status', 'error');
  } else {
    const status = await statusStep(step, opened, now(), result);
    result.status = status.overall;
    runtime.setOutput('status', status.overall);
    const breach = failOnBreach(inputs.failOn, status);
    if (breach !== undefined) step.failures.push(breach);
  }

  for (const failure of step.failures) runtime.setFailed(failure);
  result.exitCode = runtime.exitCode;
  result.requests = counter.requests;
  runtime.info(`GitHub requests: ${counter.requests}`);
  return result;
}

function logger(runtime: Runtime) {
  return {
    debug: (text: string) => runtime.debug(text),
    info: (text: string) => runtime.info(text),
    warn: (text: string) => runtime.warning(text),
    error: (text: string) => runtime.error(text),
  };
}

function write(runtime: Runtime, messages: readonly WorkflowMessage[]): void {
  for (const { level, message: text, properties } of messages) {
    if (level === 'info') runtime.info(text);
    else runtime.annotate(level, text, properties);
  }
}

/** The checkout, its configuration and the commits to judge, as the CLI opens them, said in the Action's words. */
function openCheckout({ runtime, inputs, context }: Step): OpenedLocal {
  const root = inputInside('path', context.workspace, inputs.path, 'folder');
  const configPath =
    inputs.config === undefined ? undefined : inputInside('config', context.workspace, inputs.config, 'file');
  const range = pushedRange(context);
  let opened: OpenedLocal;
  try {
    opened = openLocal({
      root,
      ...(configPath === undefined ? {} : { configPath }),
      ...(range === undefined ? {} : { range }),
      commits: 'best-effort',
      refuseLinkedConfig: true,
    });
  } catch (error) {
    if (error instanceof SnapshotError) throw new Error(`input "path": ${error.message}`);
    throw error;
  }
  for (const note of opened.notes) {
    if (note.kind === 'commits-not-read') {
      runtime.annotate(
        'notice',
        `Commit signatures were not judged: ${note.reason}. A shallow checkout lacks the earlier commits; give actions/checkout "fetch-depth: 0".`,
      );
    }
  }
  if (!opened.ok) return opened;
  const { config } = opened;
  runtime.info(
    config.sources.length === 0
      ? 'No .github/openly.yml found; using the built-in defaults.'
      : `Configuration from ${config.sources.join(', ')}.`,
  );
  for (const note of opened.notes) {
    if (note.kind !== 'extends-not-followed') continue;
    // A base in another repository is one the workflow's token usually cannot read; a team must not believe
    // its rules held here.
    runtime.annotate(
      'warning',
      `_extends: "${note.value}" is not followed by the Action, which reads only the checkout, so the rules of that base ` +
        'were not applied in this run (the Openly App applies them). Copy what this repository must meet into this file to have the Action check it.',
      { title: 'Openly configuration', file: note.file, ...(note.line > 0 ? { line: note.line } : {}) },
    );
  }
  return opened;
}

/** The release and milestone for the status page, and what could not be read of them, said on the page. */
async function statusContext({ runtime, inputs, context, octokit }: Step): Promise<{
  known: StatusContext;
  unread?: { release?: string; milestone?: string };
}> {
  if (inputs.dryRun || octokit === undefined) {
    const why = 'a dry run asks GitHub nothing';
    return { known: {}, unread: { release: why, milestone: why } };
  }
  try {
    const known = await readStatusContext(octokit, context);
    if (known.partial === undefined) return { known };
    runtime.warning(
      `GitHub answered only part of the release and milestone read (${known.partial}); give the job "issues: read" and "pull-requests: read" to show the milestone's progress.`,
    );
    return known.milestone === undefined
      ? { known, unread: { milestone: 'the token may not read issues and pull requests' } }
      : { known };
  } catch (error) {
    // The page is still worth publishing without the release and milestone.
    runtime.warning(message(error));
    const why = 'GitHub could not be read';
    return { known: {}, unread: { release: why, milestone: why } };
  }
}

async function statusStep(
  step: Step,
  opened: OpenedLocal & { ok: true },
  now: Date,
  result: RunResult,
): Promise<GovernanceStatus> {
  const { runtime, inputs, context, octokit, failures } = step;
  const fullName = `${context.owner}/${context.repo}`;
  const { snapshot, config } = opened;
  const report = await runChecks({ snapshot, checks, config, repositoryPath: fullName, now: () => now });
  const { known, unread } = await statusContext(step);
  const status = buildGovernanceStatus({
    report,
    snapshot,
    repository: {
      fullName,
      url: `${context.serverUrl}/${fullName}`,
      sha: context.sha,
      ...optionalRef(context),
    },
    generatedAt: now.toISOString(),
    ...(known.latestRelease === undefined ? {} : { latestRelease: known.latestRelease }),
    ...(known.milestone === undefined ? {} : { milestone: known.milestone }),
    ...(unread === undefined ? {} : { unread }),
  });

  write(runtime, findingAnnotations(report));
  // The release's part is small, but it shares GitHub's 1 MiB limit with the status, so the status gives it room.
  const releasePart = result.release === undefined ? '' : renderReleaseSummary(result.release);
  await runtime.summary(
    renderJobSummary(status, report, { maxBytes: STEP_SUMMARY_LIMIT - Buffer.byteLength(releasePart) }) +
      releasePart,
  );

  const written = writeStatusFiles(context.workspace, inputs.statusDir, statusFiles(status, report));
  for (const problem of written.problems) failures.push(`input "status-dir": ${problem}.`);
  // Left unset when report.json was refused, as when the configuration is invalid: a later step must not read it.
  if (written.names.includes('report.json'))
    runtime.setOutput('report-path', join(written.dir, 'report.json'));
  runtime.info(
    `Status: ${status.overall}.${written.names.length === 0 ? '' : ` Wrote ${written.names.join(', ').replace(/, ([^,]+)$/, ' and $1')} to ${written.dir}.`}`,
  );

  if (inputs.dryRun || octokit === undefined) {
    runtime.info(
      `Dry run: no commit status${inputs.pagesBranch === undefined ? '' : ` and no publishing to ${inputs.pagesBranch}`}.`,
    );
    return status;
  }
  const fork = forkPullRequest(context);
  if (fork !== undefined) {
    runtime.annotate(
      'notice',
      `This pull request comes from ${fork}, and GitHub gives such a run a read-only token: no commit status is set. The job summary and annotations above are the result.`,
    );
    return status;
  }

  let targetUrl = context.runUrl;
  const notDefault = notOnDefaultBranch(context);
  if (inputs.pagesBranch !== undefined && notDefault !== undefined) {
    // The page is the repository's public status; a pull request or another branch must not replace it.
    runtime.info(`The status page on ${inputs.pagesBranch} is left as it is: ${notDefault}.`);
  } else if (inputs.pagesBranch !== undefined) {
    try {
      result.pages = await publishToBranch(
        octokit,
        context,
        inputs.pagesBranch,
        pageFiles(status),
        pagesCommitMessage(status, context.sha),
        { asRecorded: (headMessage) => pagesAsRecorded(status, headMessage) },
      );
      runtime.info(
        result.pages.action === 'unchanged'
          ? `The status page on ${inputs.pagesBranch} is already up to date.`
          : `Status page ${result.pages.action === 'created' ? 'published to the new branch' : 'updated on'} ${inputs.pagesBranch}: ${result.pages.commit}.`,
      );
      targetUrl = pagesUrl(context) ?? targetUrl;
    } catch (error) {
      failures.push(message(error));
    }
  }
  try {
    await setCommitStatus(octokit, context, context.sha, commitStatusOf(status, targetUrl));
  } catch (error) {
    failures.push(message(error));
  }
  return status;
}

function optionalRef(context: ActionContext): { ref?: string } {
  return context.ref === undefined ? {} : { ref: context.ref };
}

async function reportBrokenConfig(step: Step, problems: ConfigProblem[]): Promise<void> {
  const { runtime, inputs, context, octokit, failures } = step;
  write(runtime, configProblemAnnotations(problems));
  const first = problems[0];
  const where =
    first === undefined ? '' : `${first.file}${first.line > 0 ? `:${first.line}` : ''}: ${first.message}`;
  failures.push(`The configuration is invalid, so nothing was checked. ${where}`);
  await runtime.summary(renderConfigProblemsSummary(problems));
  if (inputs.dryRun || octokit === undefined || forkPullRequest(context) !== undefined) return;
  try {
    await setCommitStatus(octokit, context, context.sha, brokenConfigStatus(where, context.runUrl));
  } catch (error) {
    failures.push(message(error));
  }
}

function failOnBreach(failOn: FailOn, status: GovernanceStatus): string | undefined {
  if (failOn === 'never') return undefined;
  const { errors, warnings } = status.summary;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (status.overall === 'fail' || status.overall === 'error') {
    return `Openly found ${count(errors, 'error')} (fail-on: ${failOn}); see the job summary.`;
  }
  if (failOn === 'warning' && status.overall === 'warn') {
    return `Openly found ${count(warnings, 'warning')} (fail-on: warning); see the job summary.`;
  }
  return undefined;
}
