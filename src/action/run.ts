/**
 * The Action's flow: inputs and the run's context in; the release step the event calls for (release notes on a
 * push to the default branch, a milestone's release, or publishing the draft); then, on every run, the governance
 * status: checks on the checkout, job summary, annotations, status files, commit status and, optionally, the status
 * page on a branch. `mode: audit` instead audits the organisation (audit-step.ts) and judges no checkout. A failing
 * release step does not stop the status from being reported: both run, and the step
 * fails at the end with every reason.
 */
import type { Octokit } from '@octokit/core';
import { createOctokit, type GitHubLog } from '../github/octokit.js';
import { configOptions } from '../checks/index.js';
import { VERSION } from '../core/version.js';
import type { AuditReport } from '../org/report.js';
import type { ReleaseOutcome } from '../release/index.js';
import { SnapshotError } from '../sources/local.js';
import { openLocal, type OpenedLocal } from '../sources/open-local.js';
import { repositoryFacts } from '../sources/repository-facts.js';
import type { GovernanceStatus, OverallStatus } from '../status/model.js';
import { auditStep } from './audit-step.js';
import { diagramsStep, type DiagramsStepResult } from './diagrams-step.js';
import type { DrawioRenderer } from './drawio-renderer.js';
import { field, readContext } from './context.js';
import type { PagesResult } from './github.js';
import { inputInside, readInputs, type FailOn } from './inputs.js';
import { planRun, pushedRange } from './plan.js';
import { releaseStep } from './release-step.js';
import { reportBrokenConfig, statusStep, type Step } from './status-step.js';
import { Runtime, type ActionEnv } from './runtime.js';

/** Makes the client for GitHub's API; tests pass one with their own base URL. */
export type OctokitFactory = (options: { token: string; baseUrl: string; log?: GitHubLog }) => Octokit;

export interface RunDependencies {
  /** The process environment: INPUT_*, GITHUB_*. */
  env: ActionEnv;
  /** Where relative paths start when GITHUB_WORKSPACE is unset. */
  cwd?: string;
  runtime?: Runtime;
  octokit?: OctokitFactory;
  now?: () => Date;
  /** mode diagrams: starts the renderer; by default draw.io's viewer in the runner's Chromium. */
  openRenderer?: () => Promise<DrawioRenderer>;
}

export interface RunResult {
  exitCode: number;
  /** The governance verdict, when the status step got that far. */
  status?: OverallStatus;
  release?: ReleaseOutcome;
  pages?: PagesResult;
  /** mode audit: the organisation's counts, when the audit was made. */
  audit?: AuditReport['summary'];
  /** mode diagrams: what was drawn and committed. */
  diagrams?: DiagramsStepResult;
  /** GitHub requests made by the run. */
  requests: number;
}

const defaultOctokit: OctokitFactory = ({ token, baseUrl, log }) =>
  createOctokit({
    token,
    baseUrl,
    userAgent: `openly-action/${VERSION}`,
    ...(log === undefined ? {} : { log }),
  });

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
    octokit = (deps.octokit ?? defaultOctokit)({
      token: inputs.token,
      baseUrl: context.apiUrl,
      log: { warn: (text) => runtime.warning(text), debug: (text) => runtime.debug(text) },
    });
    octokit.hook.before('request', () => {
      counter.requests += 1;
    });
  }
  const step: Step = { runtime, inputs, context, octokit, failures: [] };
  const result: RunResult = { exitCode: 0, requests: 0 };

  if (inputs.mode === 'audit') {
    // readInputs refuses mode audit without a token, dry run or not.
    const audited = await auditStep({ ...step, octokit: octokit! }, now());
    if (audited.report !== undefined) result.audit = audited.report.summary;
    if (audited.pages !== undefined) result.pages = audited.pages;
    return finish(step, result, counter);
  }

  const opened = openCheckout(step);

  if (inputs.mode === 'diagrams') {
    if (!opened.ok) {
      await reportBrokenConfig(step, opened.problems);
      step.failures.push('The diagrams were not drawn: the configuration is invalid (see above).');
      return finish(step, result, counter);
    }
    try {
      const openRenderer =
        deps.openRenderer ?? (async () => (await import('./drawio-renderer.js')).openDrawioRenderer());
      result.diagrams = await runtime.group('Openly diagrams', () =>
        diagramsStep({
          snapshot: opened.snapshot,
          config: opened.config,
          context,
          octokit,
          dryRun: inputs.dryRun,
          openRenderer,
          log: { info: (text) => runtime.info(text), warning: (text) => runtime.warning(text) },
        }),
      );
      for (const { path, reason } of result.diagrams.skipped) {
        runtime.annotate('warning', `${path} was not exported: ${reason}.`, { title: 'Openly diagrams' });
      }
      if (result.diagrams.commit !== undefined) {
        runtime.annotate(
          'notice',
          `Committed ${result.diagrams.written.length} diagram export(s) to ${result.diagrams.branch} as ${result.diagrams.commit.slice(0, 7)}, signed by GitHub.`,
          { title: 'Openly diagrams' },
        );
      }
    } catch (error) {
      step.failures.push(message(error));
    }
    return finish(step, result, counter);
  }

  const release = plan.release;
  if (release !== undefined) {
    if (!opened.ok) {
      step.failures.push('The release step did not run: the configuration is invalid (see above).');
    } else if (octokit === undefined) {
      step.failures.push('The release step needs a token, even in a dry run, to read the releases.');
    } else {
      try {
        const { snapshot, config } = opened;
        const log = runtime.logger();
        result.release = await runtime.group(`Openly release: ${release.kind}`, () =>
          releaseStep({ step: release, octokit, context, snapshot, config, dryRun: inputs.dryRun, log }),
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

  return finish(step, result, counter);
}

function finish({ runtime, failures }: Step, result: RunResult, counter: { requests: number }): RunResult {
  for (const failure of failures) runtime.setFailed(failure);
  result.exitCode = runtime.exitCode;
  result.requests = counter.requests;
  runtime.info(`GitHub requests: ${counter.requests}`);
  return result;
}

/** The checkout, its configuration and the commits to judge, as the CLI opens them, said in the Action's words. */
function openCheckout({ runtime, inputs, context }: Step): OpenedLocal {
  const root = inputInside('path', context.workspace, inputs.path, 'folder');
  const configPath =
    inputs.config === undefined ? undefined : inputInside('config', context.workspace, inputs.config, 'file');
  const range = pushedRange(context);
  // The event says whether the repository is public, archived, and when it was pushed: true of the workspace's
  // checkout, but a `path` elsewhere may hold another repository, which is then judged without them.
  const facts = root === context.workspace ? repositoryFacts(context.payload.repository) : undefined;
  let opened: OpenedLocal;
  try {
    opened = openLocal({
      root,
      ...(configPath === undefined ? {} : { configPath }),
      config: configOptions(),
      ...(range === undefined ? {} : { range }),
      commits: 'best-effort',
      refuseLinkedConfig: true,
      ...(facts === undefined ? {} : { repository: facts }),
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
