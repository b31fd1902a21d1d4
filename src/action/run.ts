/**
 * The Action's flow: inputs and the run's context in; the release step the event calls for (release notes on a
 * push to the default branch, a milestone's release, or publishing the draft); then, on every run, the governance
 * status: checks on the checkout, job summary, annotations, status files, commit status and, optionally, the status
 * page on a branch. A failing release step does not stop the status from being reported: both run, and the step
 * fails at the end with every reason.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Octokit } from '@octokit/core';
import { createOctokit, type GitHubLog } from '../github/octokit.js';
import { checks, configOptions } from '../checks/index.js';
import type { Logger } from '../core/check.js';
import { CONFIG_FILES, ConfigError, loadConfig, type ConfigProblem } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { runChecks } from '../core/engine.js';
import { toJson, type Report } from '../core/report.js';
import { VERSION } from '../core/version.js';
import { jsonSafe } from '../core/printable.js';
import {
  draftReleaseNotes,
  milestoneRelease,
  publishDraft,
  resolveReleaseNotesConfig,
  type ReleaseContext,
  type ReleaseOutcome,
} from '../release/index.js';
import { renderJobSummary, STEP_SUMMARY_LIMIT } from '../sinks/job-summary.js';
import { escapeMarkdown } from '../sinks/markdown.js';
import { statusBadge } from '../sinks/status-badge.js';
import {
  checkInside,
  folderInside,
  partsInside,
  UnsafePathError,
  writeInside,
  type SafeFolder,
} from '../sinks/safe-write.js';
import { renderStatusPage } from '../sinks/status-page.js';
import { openLocalSnapshot, SnapshotError } from '../sources/local.js';
import { defaultLocalRange, LocalCommitsError, readLocalCommits } from '../sources/local-commits.js';
import type { CommitInfo, RepoSnapshot } from '../sources/snapshot.js';
import { withCommits } from '../sources/with-commits.js';
import { buildGovernanceStatus, type GovernanceStatus, type OverallStatus } from '../status/model.js';
import { field, readContext, type ActionContext } from './context.js';
import {
  publishToBranch,
  readStatusContext,
  setCommitStatus,
  type CommitState,
  type PagesResult,
  type StatusContext,
} from './github.js';
import { readInputs, type ActionInputs, type FailOn } from './inputs.js';
import { defaultBranchOf, planRun, type ReleaseStep } from './plan.js';
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

/** At most this many findings become annotations; GitHub shows only the first ten of each kind on a step. */
const MAX_ANNOTATIONS = 50;

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
  const runtime = deps.runtime ?? new Runtime({ env: deps.env });
  const counter = { requests: 0 };
  try {
    return await runSteps(runtime, deps, counter);
  } catch (error) {
    runtime.setFailed(`Openly could not run: ${message(error)}`);
    return { exitCode: runtime.exitCode, requests: counter.requests };
  }
}

interface Judged {
  snapshot: RepoSnapshot;
  config: ResolvedConfig;
  report: Report;
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
  const failures: string[] = [];
  const result: RunResult = { exitCode: 0, requests: 0 };

  const judged = judge(runtime, inputs, context);

  if (plan.release !== undefined) {
    if ('problems' in judged) {
      failures.push('The release step did not run: the configuration is invalid (see above).');
    } else if (octokit === undefined) {
      failures.push('The release step needs a token, even in a dry run, to read the releases.');
    } else {
      try {
        result.release = await releaseStep(runtime, plan.release, octokit, inputs, context, judged);
        runtime.setOutput('tag', result.release.tag);
        runtime.setOutput('release-url', result.release.url ?? '');
      } catch (error) {
        failures.push(message(error));
      }
    }
  }

  if ('problems' in judged) {
    await reportBrokenConfig(runtime, judged.problems, octokit, inputs, context, failures);
    runtime.setOutput('status', 'error');
  } else {
    const status = await statusStep(runtime, judged, octokit, inputs, context, now(), result, failures);
    result.status = status.overall;
    runtime.setOutput('status', status.overall);
    const breach = failOnBreach(inputs.failOn, status);
    if (breach !== undefined) failures.push(breach);
  }

  for (const failure of failures) runtime.setFailed(failure);
  result.exitCode = runtime.exitCode;
  result.requests = counter.requests;
  runtime.info(`GitHub requests: ${counter.requests}`);
  return result;
}

// ---------------------------------------------------------------------------------------------------- judging

function commitsToJudge(runtime: Runtime, root: string, context: ActionContext): CommitInfo[] | undefined {
  const before = field(context.payload, 'before');
  // A push names what it added; anything else judges what the branch adds to the default branch, as the CLI does.
  const range =
    context.eventName === 'push' && typeof before === 'string' && !/^0+$/.test(before)
      ? `${before}..HEAD`
      : defaultLocalRange(root);
  if (range === undefined) return undefined;
  try {
    return readLocalCommits(root, range);
  } catch (error) {
    if (!(error instanceof LocalCommitsError)) throw error;
    runtime.annotate(
      'notice',
      `Commit signatures were not judged: ${error.message}. A shallow checkout lacks the earlier commits; give actions/checkout "fetch-depth: 0".`,
    );
    return undefined;
  }
}

function judge(
  runtime: Runtime,
  inputs: ActionInputs,
  context: ActionContext,
): Omit<Judged, 'report'> | { problems: ConfigProblem[] } {
  const root = inputInside('path', context.workspace, inputs.path, 'folder');
  const configPath =
    inputs.config === undefined ? undefined : inputInside('config', context.workspace, inputs.config, 'file');
  if (configPath === undefined) {
    const linked = linkedConfigFile(root);
    if (linked !== undefined) return { problems: [linked] };
  }
  try {
    const local = openLocalSnapshot(root);
    const snapshot = withCommits(
      local,
      local.kind === 'git' ? commitsToJudge(runtime, root, context) : undefined,
    );
    const config = loadConfig({
      root,
      files: local,
      ...(configPath === undefined ? {} : { configPath }),
      ...configOptions(),
    });
    runtime.info(
      config.sources.length === 0
        ? 'No .github/openly.yml found; using the built-in defaults.'
        : `Configuration from ${config.sources.join(', ')}.`,
    );
    warnUnfollowedExtends(runtime, config);
    return { snapshot, config };
  } catch (error) {
    if (error instanceof ConfigError) return { problems: error.problems };
    if (error instanceof SnapshotError) throw new Error(`input "path": ${error.message}`);
    throw error;
  }
}

/**
 * A path input checked on disk: inside the workspace, reached through real folders only, and of the kind wanted.
 * A link would let a pull request point the Action at any folder or file the job can read.
 */
function inputInside(
  name: 'path' | 'config',
  workspace: string,
  given: string,
  kind: 'file' | 'folder',
): string {
  try {
    return checkInside(workspace, given, kind);
  } catch (error) {
    if (!(error instanceof UnsafePathError)) throw error;
    const looked = join(workspace, given);
    if (name === 'path' && (error.reason === 'does not exist' || error.reason === 'is not a folder')) {
      throw new Error(
        `input "path": ${looked} is not a folder; check out the repository first (actions/checkout)`,
      );
    }
    if (name === 'config' && error.reason === 'does not exist') {
      // A mistyped input, not a broken configuration: nothing is judged and no status is set on the commit.
      throw new Error(
        `input "config": ${given} does not exist (looked for ${looked}); give a path relative to the workspace, or leave it unset to use .github/openly.yml`,
      );
    }
    // The link itself, or a folder on the way to it, which is then named too.
    const whole = error.path === given || error.path === partsInside(workspace, given).join('/');
    throw new Error(`input "${name}": ${whole ? '' : `"${given}" is refused: `}${error.message}`);
  }
}

/**
 * The checkout's own configuration file when it is, or lies behind, a link: it is reported like any other broken
 * configuration instead of being read from wherever the link points.
 */
function linkedConfigFile(root: string): ConfigProblem | undefined {
  for (const file of CONFIG_FILES) {
    try {
      statSync(join(root, file));
    } catch {
      continue;
    }
    try {
      checkInside(root, file, 'file', 'the checkout');
    } catch (error) {
      if (!(error instanceof UnsafePathError)) throw error;
      return { file, line: 0, column: 0, message: `${error.message}, so the configuration was not read` };
    }
  }
  return undefined;
}

/**
 * The Action judges the checkout alone, as the CLI does: a base that `_extends` names lives in another repository,
 * which the workflow's token usually cannot read. Saying so keeps a team from believing the base's rules held here.
 */
function warnUnfollowedExtends(runtime: Runtime, config: ResolvedConfig): void {
  if (config.extends === undefined) return;
  const { value, file, line } = config.extends;
  runtime.annotate(
    'warning',
    `_extends: "${value}" is not followed by the Action, which reads only the checkout, so the rules of that base ` +
      'were not applied in this run (the Openly App applies them). Copy what this repository must meet into this file to have the Action check it.',
    { title: 'Openly configuration', file, ...(line > 0 ? { line } : {}) },
  );
}

// ---------------------------------------------------------------------------------------------------- release

function releaseLogger(runtime: Runtime): Logger {
  return {
    debug: (text) => runtime.debug(text),
    info: (text) => runtime.info(text),
    warn: (text) => runtime.warning(text),
    error: (text) => runtime.error(text),
  };
}

async function releaseStep(
  runtime: Runtime,
  step: ReleaseStep,
  octokit: Octokit,
  inputs: ActionInputs,
  context: ActionContext,
  judged: Omit<Judged, 'report'>,
): Promise<ReleaseOutcome> {
  const defaultBranch = defaultBranchOf(context) ?? context.ref?.replace(/^refs\/heads\//, '');
  if (defaultBranch === undefined) {
    throw new Error('The release step needs the default branch, and the event payload does not name it.');
  }
  const ctx: ReleaseContext = {
    octokit,
    owner: context.owner,
    repo: context.repo,
    defaultBranch,
    headSha: context.sha,
    config: resolveReleaseNotesConfig(judged.config.options['release-notes']),
    checkout: judged.snapshot,
    artefactsOptions: judged.config.options.artefacts,
    // The snapshot is the checkout as it is; the engine applies `exclude:` to checks, so the release step must too.
    ...(judged.config.exclude === undefined ? {} : { exclude: judged.config.exclude }),
    dryRun: inputs.dryRun,
    log: releaseLogger(runtime),
  };
  switch (step.kind) {
    case 'release-notes':
      return draftReleaseNotes(ctx);
    case 'milestone':
      return milestoneRelease(ctx, { number: step.number, title: step.title });
    case 'publish':
      return publishDraft(ctx);
  }
}

function releaseSummary(outcome: ReleaseOutcome): string {
  const what: Record<ReleaseOutcome['action'], string> = {
    created: 'created',
    updated: 'updated',
    unchanged: 'already up to date',
    published: 'published',
    'dry-run': 'worked out (dry run: not written)',
  };
  const name = escapeMarkdown(outcome.tag);
  const link = outcome.url === undefined ? name : `[${name}](${outcome.url})`;
  const kind = outcome.draft ? 'Draft release' : 'Release';
  return `\n## Release\n\n${kind} ${link} ${what[outcome.action]}, listing ${outcome.pullRequests} pull request${outcome.pullRequests === 1 ? '' : 's'}.\n`;
}

// ----------------------------------------------------------------------------------------------------- status

const STATE: Record<OverallStatus, CommitState> = {
  pass: 'success',
  warn: 'success',
  fail: 'failure',
  error: 'error',
};

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The commit status's one line; GitHub shows it beside the commit and in pull requests. */
export function describe(status: GovernanceStatus): string {
  const { errors, warnings, checks: total } = status.summary;
  const crashed = status.checks.filter((check) => check.status === 'error').map((check) => check.id);
  switch (status.overall) {
    case 'pass':
      return `All ${count(total, 'check')} pass`;
    case 'warn':
      return `${count(warnings, 'warning')}, no errors, in ${count(total, 'check')}`;
    case 'fail':
      return `${count(errors, 'error')}, ${count(warnings, 'warning')} in ${count(total, 'check')}`;
    case 'error':
      return `Could not finish: ${crashed.join(', ') || 'a check'}`;
  }
}

/** Where GitHub Pages serves a project's site on github.com; on GitHub Enterprise Server the address varies. */
export function pagesUrl(context: ActionContext): string | undefined {
  if (context.serverUrl !== 'https://github.com') return undefined;
  const owner = context.owner.toLowerCase();
  return context.repo.toLowerCase() === `${owner}.github.io`
    ? `https://${owner}.github.io/`
    : `https://${owner}.github.io/${context.repo}/`;
}

function annotateFindings(runtime: Runtime, report: Report): void {
  const findings = report.results.flatMap((result) => result.findings);
  for (const finding of findings.slice(0, MAX_ANNOTATIONS)) {
    runtime.annotate(
      finding.severity,
      finding.fix === undefined ? finding.message : `${finding.message} ${finding.fix}`,
      {
        title: `Openly ${finding.rule}`,
        ...(finding.path === undefined ? {} : { file: finding.path }),
        ...(finding.line === undefined ? {} : { line: finding.line }),
        ...(finding.endLine === undefined ? {} : { endLine: finding.endLine }),
        ...(finding.column === undefined ? {} : { col: finding.column }),
      },
    );
  }
  if (findings.length > MAX_ANNOTATIONS) {
    runtime.info(
      `${findings.length - MAX_ANNOTATIONS} further findings are in the job summary and report.json.`,
    );
  }
  for (const result of report.results) {
    if (result.status === 'error')
      runtime.error(`The ${result.check} check could not finish: ${result.error ?? 'unknown error'}`);
  }
}

async function statusStep(
  runtime: Runtime,
  judged: Omit<Judged, 'report'>,
  octokit: Octokit | undefined,
  inputs: ActionInputs,
  context: ActionContext,
  now: Date,
  result: RunResult,
  failures: string[],
): Promise<GovernanceStatus> {
  const fullName = `${context.owner}/${context.repo}`;
  const report = await runChecks({
    snapshot: judged.snapshot,
    checks,
    config: judged.config,
    repositoryPath: fullName,
    now: () => now,
  });

  let known: StatusContext = {};
  // What was not read is said on the page, so that it never claims there is no release when nobody asked.
  let unread: { release?: string; milestone?: string } | undefined;
  if (inputs.dryRun || octokit === undefined) {
    const why = 'a dry run asks GitHub nothing';
    unread = { release: why, milestone: why };
  } else {
    try {
      known = await readStatusContext(octokit, context);
      if (known.partial !== undefined) {
        runtime.warning(
          `GitHub answered only part of the release and milestone read (${known.partial}); give the job "issues: read" and "pull-requests: read" to show the milestone's progress.`,
        );
        if (known.milestone === undefined)
          unread = { milestone: 'the token may not read issues and pull requests' };
      }
    } catch (error) {
      // The page is still worth publishing without the release and milestone.
      runtime.warning(message(error));
      const why = 'GitHub could not be read';
      unread = { release: why, milestone: why };
    }
  }
  const status = buildGovernanceStatus({
    report,
    snapshot: judged.snapshot,
    repository: {
      fullName,
      url: `${context.serverUrl}/${fullName}`,
      sha: context.sha,
      ...(context.ref === undefined ? {} : { ref: context.ref }),
    },
    generatedAt: now.toISOString(),
    ...(known.latestRelease === undefined ? {} : { latestRelease: known.latestRelease }),
    ...(known.milestone === undefined ? {} : { milestone: known.milestone }),
    ...(unread === undefined ? {} : { unread }),
  });

  annotateFindings(runtime, report);
  // The release's part is small, but it shares GitHub's 1 MiB limit with the status, so the status gives it room.
  const releasePart = result.release === undefined ? '' : releaseSummary(result.release);
  runtime.summary(
    renderJobSummary(status, report, { maxBytes: STEP_SUMMARY_LIMIT - Buffer.byteLength(releasePart) }) +
      releasePart,
  );

  const page = renderStatusPage(status);
  const badge = `${JSON.stringify(statusBadge(status), null, 2)}\n`;
  const written = writeStatusFiles(
    context.workspace,
    inputs.statusDir,
    {
      'index.html': page,
      'status.json': badge,
      'report.json': `${jsonSafe(JSON.stringify(toJson(report), null, 2))}\n`,
    },
    failures,
  );
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
        { 'index.html': page, 'status.json': badge },
        `Openly status of ${context.sha.slice(0, 7)}: ${status.overall}\n\n${GENERATED_AT}: ${status.generatedAt}\n`,
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
    await setCommitStatus(octokit, context, context.sha, {
      state: STATE[status.overall],
      description: describe(status),
      ...(targetUrl === undefined ? {} : { targetUrl }),
    });
  } catch (error) {
    failures.push(message(error));
  }
  return status;
}

/**
 * Writes the status files into `status-dir`, a real folder inside the workspace, never through a link. A refused
 * file is a failure of the step, and the others, the job summary and the commit status still go out.
 */
function writeStatusFiles(
  workspace: string,
  statusDir: string,
  files: Record<string, string>,
  failures: string[],
): { names: string[]; dir: string } {
  let folder: SafeFolder;
  try {
    folder = folderInside(workspace, statusDir);
  } catch (error) {
    failures.push(`input "status-dir": ${message(error)}; no status files were written.`);
    return { names: [], dir: join(workspace, statusDir) };
  }
  const names: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    try {
      writeInside(folder, name, text);
      names.push(name);
    } catch (error) {
      failures.push(`input "status-dir": ${message(error)}.`);
    }
  }
  return { names, dir: folder.absolute };
}

/** The trailer of a status page commit that records when its page was made. */
const GENERATED_AT = 'Openly-Generated-At';

/**
 * The page and badge as they would have been made at the time a status page commit records: the page says when it
 * was made, so without this every run, even a re-run on the same commit, would add a commit to the branch.
 */
function pagesAsRecorded(status: GovernanceStatus, headMessage: string): Record<string, string> | undefined {
  const at = new RegExp(`^${GENERATED_AT}: (\\S+)$`, 'm').exec(headMessage)?.[1];
  if (at === undefined || Number.isNaN(Date.parse(at))) return undefined;
  const then: GovernanceStatus = { ...status, generatedAt: at };
  return {
    'index.html': renderStatusPage(then),
    'status.json': `${JSON.stringify(statusBadge(then), null, 2)}\n`,
  };
}

/** Why this run is not on the default branch, or undefined when it is (or the event does not say). */
export function notOnDefaultBranch(context: ActionContext): string | undefined {
  const branch = defaultBranchOf(context);
  if (branch === undefined || context.ref === undefined) return undefined;
  if (context.ref === `refs/heads/${branch}`) return undefined;
  return `the page is published only from the default branch ${branch}, and this run is on ${context.ref}`;
}

/** The head repository of a pull request from a fork, whose runs get a read-only token. */
function forkPullRequest(context: ActionContext): string | undefined {
  // pull_request_target runs in the base repository with its own token, so only pull_request is read-only.
  if (context.eventName !== 'pull_request') return undefined;
  const head = field(context.payload, 'pull_request', 'head', 'repo', 'full_name');
  const base = field(context.payload, 'repository', 'full_name');
  if (typeof head !== 'string' || typeof base !== 'string') return undefined;
  return head.toLowerCase() === base.toLowerCase() ? undefined : head;
}

async function reportBrokenConfig(
  runtime: Runtime,
  problems: ConfigProblem[],
  octokit: Octokit | undefined,
  inputs: ActionInputs,
  context: ActionContext,
  failures: string[],
): Promise<void> {
  for (const problem of problems) {
    runtime.annotate('error', problem.message, {
      title: 'Openly configuration',
      file: problem.file,
      ...(problem.line > 0 ? { line: problem.line, col: problem.column } : {}),
    });
  }
  const first = problems[0];
  const where =
    first === undefined ? '' : `${first.file}${first.line > 0 ? `:${first.line}` : ''}: ${first.message}`;
  failures.push(`The configuration is invalid, so nothing was checked. ${where}`);
  runtime.summary(
    `# Openly: configuration invalid\n\n${problems.map((p) => `- \`${escapeMarkdown(p.file)}${p.line > 0 ? `:${p.line}` : ''}\` ${escapeMarkdown(p.message)}`).join('\n')}\n`,
  );
  if (inputs.dryRun || octokit === undefined || forkPullRequest(context) !== undefined) return;
  try {
    await setCommitStatus(octokit, context, context.sha, {
      state: 'error',
      description: `Configuration invalid: ${where}`,
      ...(context.runUrl === undefined ? {} : { targetUrl: context.runUrl }),
    });
  } catch (error) {
    failures.push(message(error));
  }
}

function failOnBreach(failOn: FailOn, status: GovernanceStatus): string | undefined {
  if (failOn === 'never') return undefined;
  const { errors, warnings } = status.summary;
  if (status.overall === 'fail' || status.overall === 'error') {
    return `Openly found ${count(errors, 'error')} (fail-on: ${failOn}); see the job summary.`;
  }
  if (failOn === 'warning' && status.overall === 'warn') {
    return `Openly found ${count(warnings, 'warning')} (fail-on: warning); see the job summary.`;
  }
  return undefined;
}
