/**
 * The status step, taken on every run: the checkout judged, the job summary, annotations and status files written,
 * then the commit status and, optionally, the status page on a branch. With an invalid configuration nothing is
 * judged, and that is what is reported.
 */
import { join } from 'node:path';
import type { Octokit } from '@octokit/core';
import { checks } from '../checks/index.js';
import type { ConfigProblem } from '../config/load.js';
import { runChecks } from '../core/engine.js';
import { brokenConfigStatus, commitStatusOf } from '../sinks/commit-status.js';
import {
  renderConfigProblemsSummary,
  renderJobSummary,
  renderReleaseSummary,
  STEP_SUMMARY_LIMIT,
} from '../sinks/job-summary.js';
import {
  pageFiles,
  pagesAsRecorded,
  pagesCommitMessage,
  statusFiles,
  writeStatusFiles,
} from '../sinks/status-files.js';
import { configProblemAnnotations, findingAnnotations } from '../sinks/workflow-annotations.js';
import type { OpenedLocal } from '../sources/open-local.js';
import type { ReleaseOutcome } from '../release/index.js';
import { buildGovernanceStatus, type GovernanceStatus } from '../status/model.js';
import type { ActionContext } from './context.js';
import {
  publishToBranch,
  readStatusContext,
  setCommitStatus,
  type PagesResult,
  type StatusContext,
} from './github.js';
import type { ActionInputs } from './inputs.js';
import { forkPullRequest, notOnDefaultBranch, pagesUrl } from './plan.js';
import type { Runtime } from './runtime.js';

/** What every step shares: the runner, the inputs, the run's context, GitHub, and the reasons the step fails. */
export interface Step {
  runtime: Runtime;
  inputs: ActionInputs;
  context: ActionContext;
  octokit: Octokit | undefined;
  failures: string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

export async function statusStep(
  step: Step,
  opened: OpenedLocal & { ok: true },
  now: Date,
  result: { release?: ReleaseOutcome; pages?: PagesResult },
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

  runtime.log(findingAnnotations(report));
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

export async function reportBrokenConfig(step: Step, problems: ConfigProblem[]): Promise<void> {
  const { runtime, inputs, context, octokit, failures } = step;
  runtime.log(configProblemAnnotations(problems));
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
