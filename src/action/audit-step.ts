/**
 * `mode: audit`, for a scheduled workflow in the organisation's `.github` repository: the organisation audited as
 * `openly audit --org` does, its files written to `audit-dir`, a job summary and outputs, and, with `pages-branch`,
 * the dashboard published with the branch's earlier history kept. An audit reports: findings in the organisation's
 * repositories do not fail the step; only an audit that could not be made, or files that could not be written or
 * published, do.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Octokit } from '@octokit/core';
import { formatProblem } from '../config/load.js';
import { AuditError } from '../org/ask.js';
import { auditOrganisation, OrgConfigError } from '../org/audit.js';
import type { AuditReport } from '../org/report.js';
import { AuditStore, StoreError } from '../org/store.js';
import type { AuditHistoryEntry } from '../sinks/audit-dashboard.js';
import { auditFiles, earlierAudits, type EarlierFile } from '../sinks/audit-files.js';
import { renderAuditSummary } from '../sinks/audit-summary.js';
import { STEP_SUMMARY_LIMIT } from '../sinks/job-summary.js';
import { folderInside, writeInside } from '../sinks/safe-write.js';
import { httpFailure } from '../github/failure.js';
import { gitHubError, publishToBranch, type ActionOctokit, type PagesResult, type Repo } from './github.js';
import { DEFAULT_AUDIT_DIR } from './inputs.js';
import { notOnDefaultBranch, pagesUrl } from './plan.js';
import type { Step } from './status-step.js';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The text of a regular file, read without following a link: a history.json linked to a secret elsewhere on the
 * runner would otherwise be quoted in the warning that it is not JSON.
 */
function readIfFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd, 'utf8') : undefined;
  } finally {
    closeSync(fd);
  }
}

/** A file on `branch`, or undefined when the branch or the file does not exist. */
async function readFromBranch(
  octokit: ActionOctokit,
  repo: Repo,
  branch: string,
  path: string,
): Promise<EarlierFile | undefined> {
  try {
    const answer = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner: repo.owner,
      repo: repo.repo,
      path,
      ref: branch,
    });
    const data = answer.data as { type?: string; encoding?: string; content?: string };
    if (Array.isArray(answer.data) || data.type !== 'file' || data.encoding !== 'base64') return undefined;
    return {
      where: `${path} on the branch ${branch}`,
      text: Buffer.from(data.content ?? '', 'base64').toString('utf8'),
    };
  } catch (error) {
    if (httpFailure(error)?.status === 404) return undefined;
    throw gitHubError(error, `reading ${path} from the branch ${branch}`, 'contents: read');
  }
}

export interface AuditStepResult {
  report?: AuditReport;
  pages?: PagesResult;
}

export async function auditStep(step: Step & { octokit: Octokit }, now: Date): Promise<AuditStepResult> {
  const { runtime, inputs, context, octokit, failures } = step;
  const org = inputs.organisation ?? context.owner;
  const dir = inputs.auditDir ?? DEFAULT_AUDIT_DIR;
  let folder;
  try {
    folder = folderInside(context.workspace, dir);
  } catch (error) {
    failures.push(`input "audit-dir": ${message(error)}; no audit files were written.`);
  }
  // When audit-dir outlives the run (actions/cache, a self-hosted runner), its .openly folder makes the next audit
  // read only the repositories pushed since, and lets a cancelled or timed-out audit continue.
  const store =
    folder === undefined ? undefined : new AuditStore(folder.absolute, (text) => runtime.info(text));
  let report: AuditReport;
  try {
    report = await runtime.group(`Openly audit of ${org}`, () =>
      auditOrganisation({
        octokit,
        org,
        now: () => now,
        ...(inputs.includeArchived === true ? { includeArchived: true } : {}),
        ...(inputs.includeForks === true ? { includeForks: true } : {}),
        ...(store === undefined ? {} : { store }),
        onNote: (text) => runtime.info(text),
        onProgress: (done, listed, total) =>
          runtime.debug(`${done} of ${total ?? listed} repositories judged`),
        onWait: (ms, why) => runtime.info(`${why}: waiting ${Math.ceil(ms / 1000)} s`),
      }),
    );
  } catch (error) {
    if (error instanceof StoreError) {
      failures.push(`input "audit-dir": ${error.message}; nothing was audited.`);
      return {};
    }
    if (error instanceof OrgConfigError) {
      failures.push(
        `The organisation's base configuration is invalid, so nothing was audited: ${error.problems.map(formatProblem).join('; ')}`,
      );
      return {};
    }
    if (error instanceof AuditError) {
      failures.push(
        `${error.message}${error.kind === 'auth' || error.kind === 'permission' ? " (mode audit needs a GitHub App installation token from actions/create-github-app-token: the workflow's GITHUB_TOKEN cannot read other repositories; see docs/action.md)" : ''}`,
      );
      return {};
    }
    throw error;
  }

  const publishing = inputs.pagesBranch !== undefined && !inputs.dryRun;
  const notDefault = notOnDefaultBranch(context);
  const branch = publishing && notDefault === undefined ? inputs.pagesBranch : undefined;

  // The over-time chart grows from every earlier audit: those left in the folder (a cache or an earlier step)
  // and, when publishing, those on the branch, which is where a scheduled run's past usually lives.
  const earlier: AuditHistoryEntry[] = [];
  const warn = (text: string) => runtime.warning(text);
  if (folder !== undefined) {
    const found: { history?: EarlierFile; report?: EarlierFile } = {};
    for (const name of ['history.json', 'report.json'] as const) {
      const text = readIfFile(join(folder.absolute, name));
      if (text !== undefined)
        found[name === 'history.json' ? 'history' : 'report'] = { where: join(dir, name), text };
    }
    earlier.push(...earlierAudits(org, found, warn));
  }
  let branchUnread = false;
  if (branch !== undefined) {
    try {
      const history = await readFromBranch(octokit, context, branch, 'history.json');
      if (history !== undefined) earlier.push(...earlierAudits(org, { history }, warn));
    } catch (error) {
      // Publishing anyway would replace the branch's history with this run's alone; the files and summary still
      // come out.
      failures.push(`${message(error)}; the dashboard was not published, so its history is kept.`);
      branchUnread = true;
    }
  }
  const files = auditFiles(report, earlier);

  const dashboard = branch === undefined ? undefined : pagesUrl(context);
  await runtime.summary(
    renderAuditSummary(report, {
      maxBytes: STEP_SUMMARY_LIMIT,
      ...(dashboard === undefined ? {} : { dashboard }),
    }),
  );
  runtime.setOutput('compliant', String(report.summary.compliant));
  runtime.setOutput('failing', String(report.summary.failing));

  if (folder !== undefined) {
    const written: string[] = [];
    for (const [name, text] of Object.entries(files)) {
      try {
        writeInside(folder, name, text);
        written.push(name);
      } catch (error) {
        failures.push(`input "audit-dir": ${message(error)}.`);
      }
    }
    if (written.includes('report.json'))
      runtime.setOutput('report-path', join(folder.absolute, 'report.json'));
    if (written.length > 0) runtime.info(`Wrote ${written.join(', ')} to ${folder.absolute}.`);
  }
  runtime.info(
    `Audit of ${org}: ${report.summary.compliant} compliant, ${report.summary.failing} failing, ${report.summary.skipped} skipped.`,
  );

  if (inputs.pagesBranch === undefined) return { report };
  if (inputs.dryRun) {
    runtime.info(`Dry run: no publishing to ${inputs.pagesBranch}.`);
    return { report };
  }
  if (branch === undefined) {
    runtime.info(`The dashboard on ${inputs.pagesBranch} is left as it is: ${notDefault ?? ''}.`);
    return { report };
  }
  if (branchUnread) return { report };
  try {
    const pages = await publishToBranch(
      octokit,
      context,
      branch,
      { ...files },
      `Openly audit of ${org}: ${report.summary.compliant} compliant, ${report.summary.failing} failing\n`,
    );
    runtime.info(
      pages.action === 'unchanged'
        ? `The dashboard on ${branch} is already up to date.`
        : `Dashboard ${pages.action === 'created' ? 'published to the new branch' : 'updated on'} ${branch}: ${pages.commit}.`,
    );
    return { report, pages };
  } catch (error) {
    failures.push(message(error));
    return { report };
  }
}
