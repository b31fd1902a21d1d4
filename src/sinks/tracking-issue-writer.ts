/**
 * Keeps Openly's audit issues on GitHub in step with the audit, without spam: one issue of each kind, found again by
 * its label and hidden marker, edited in place only when its content changed, closed when all comply, reopened on a
 * regression; at most one digest comment a week on the tracking issue, only when something changed that week.
 */
import type { Octokit } from '@octokit/core';
import { explainFailure, grantToApp, httpFailure } from '../github/failure.js';
import type { AuditedRepository, AuditReport } from '../org/report.js';
import {
  AUDIT_LABEL,
  contentOf,
  digestComment,
  marker,
  MAX_PRIVATIZED,
  PRIVATIZED_DAYS,
  readMarker,
  repositoryContent,
  REPOSITORY_TITLE,
  TRACKING_TITLE,
  trackingContent,
  type IssueKind,
  type IssueState,
  type Privatized,
  type RenderOptions,
} from './tracking-issue.js';

export type IssueOctokit = Pick<Octokit, 'request'>;

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const PER_PAGE = 100;
/** Pages of labelled issues looked through; more than a thousand issues with Openly's label is not Openly's doing. */
const MAX_PAGES = 10;

export interface FoundIssue {
  number: number;
  open: boolean;
  body: string;
  createdAt: string;
  state: IssueState;
}

/**
 * Openly's issue of a kind in a repository: the issues with Openly's label (GitHub lists pull requests too, which are
 * left out), the open one first, else the newest closed one.
 */
export async function findIssue(
  octokit: IssueOctokit,
  owner: string,
  repo: string,
  kind: IssueKind,
): Promise<FoundIssue | undefined> {
  const found: FoundIssue[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues', {
      owner,
      repo,
      state: 'all',
      labels: AUDIT_LABEL,
      sort: 'created',
      direction: 'desc',
      per_page: PER_PAGE,
      page,
    });
    for (const issue of data) {
      if (issue.pull_request !== undefined) continue;
      const state = readMarker(issue.body, kind);
      if (state === undefined) continue;
      found.push({
        number: issue.number,
        open: issue.state === 'open',
        body: issue.body ?? '',
        createdAt: issue.created_at,
        state,
      });
    }
    if (data.length < PER_PAGE) break;
  }
  return found.find((issue) => issue.open) ?? found[0];
}

async function ensureLabel(octokit: IssueOctokit, owner: string, repo: string): Promise<void> {
  try {
    await octokit.request('POST /repos/{owner}/{repo}/labels', {
      owner,
      repo,
      name: AUDIT_LABEL,
      color: '1d76db',
      description: 'Kept up to date by the Openly App: the open-working audit',
    });
  } catch (error) {
    // 422 already_exists: the label is there, which is all that was wanted.
    if (httpFailure(error)?.status !== 422) throw error;
  }
}

export type IssueAction = 'created' | 'edited' | 'closed' | 'reopened' | 'unchanged' | 'none';

export interface IssueOutcome {
  action: IssueAction;
  number?: number;
  /** Whether the weekly digest comment was written. */
  digest?: boolean;
}

interface Upsert {
  octokit: IssueOctokit;
  owner: string;
  repo: string;
  kind: IssueKind;
  title: string;
  content: string;
  open: boolean;
  now: Date;
  found: FoundIssue | undefined;
  /** The state to write, given whether the content changed; the digest decides here. */
  state: (changed: boolean) => { state: IssueState; comment?: string };
}

async function upsert(u: Upsert): Promise<IssueOutcome> {
  const { octokit, owner, repo, found } = u;
  if (found === undefined) {
    // An issue is never created only to be closed.
    if (!u.open) return { action: 'none' };
    await ensureLabel(octokit, owner, repo);
    const { state } = u.state(true);
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', {
      owner,
      repo,
      title: u.title,
      body: marker(state) + u.content,
      labels: [AUDIT_LABEL],
    });
    return { action: 'created', number: data.number };
  }
  const changed = contentOf(found.body) !== u.content;
  const next = u.state(changed);
  const markerChanged = JSON.stringify(next.state) !== JSON.stringify(found.state);
  if (!changed && !markerChanged && found.open === u.open)
    return { action: 'unchanged', number: found.number };
  const action: IssueAction = found.open === u.open ? 'edited' : u.open ? 'reopened' : 'closed';
  await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    owner,
    repo,
    issue_number: found.number,
    body: marker(next.state) + u.content,
    ...(found.open === u.open
      ? {}
      : u.open
        ? { state: 'open' as const }
        : { state: 'closed' as const, state_reason: 'completed' as const }),
  });
  if (next.comment !== undefined) {
    await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: found.number,
      body: next.comment,
    });
  }
  return { action, number: found.number, ...(next.comment === undefined ? {} : { digest: true }) };
}

/** Repositories made private that the tracking issue still lists: recent, and still not public. */
function privatizedList(
  earlier: readonly Privatized[],
  now: Date,
  report: AuditReport,
  madePrivate: readonly string[],
): Privatized[] {
  const visibility = new Map(report.repositories.map((r) => [r.name, r.visibility]));
  const byName = new Map<string, Privatized>();
  for (const entry of [...earlier, ...madePrivate.map((name) => ({ name, at: now.toISOString() }))]) {
    byName.set(entry.name, entry);
  }
  return [...byName.values()]
    .filter((p) => now.getTime() - Date.parse(p.at) < PRIVATIZED_DAYS * 24 * 60 * 60 * 1000)
    .filter((p) => {
      const seen = visibility.get(p.name);
      return seen !== undefined && seen !== 'public';
    })
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, MAX_PRIVATIZED);
}

export interface TrackingSync extends RenderOptions {
  octokit: IssueOctokit;
  /** Where the tracking issue lives: the organisation and its chosen repository. */
  owner: string;
  repo: string;
  report: AuditReport;
  now: Date;
  digest: 'weekly' | 'off';
  /** Repositories the App has just seen made private. */
  madePrivate?: readonly string[];
}

/** Creates, edits, closes or reopens the one tracking issue, as the report asks; at most a weekly digest comment. */
export async function syncTrackingIssue(sync: TrackingSync): Promise<IssueOutcome> {
  const { octokit, owner, repo, report, now } = sync;
  const found = await findIssue(octokit, owner, repo, 'tracking');
  const privatized = privatizedList(found?.state.privatized ?? [], now, report, sync.madePrivate ?? []);
  const content = trackingContent(report, {
    privatized,
    ...(sync.dashboard === undefined ? {} : { dashboard: sync.dashboard }),
    ...(sync.serverUrl === undefined ? {} : { serverUrl: sync.serverUrl }),
  });
  const open = report.summary.failing > 0;
  const stamp = now.toISOString();
  return upsert({
    octokit,
    owner,
    repo,
    kind: 'tracking',
    title: TRACKING_TITLE,
    content,
    open,
    now,
    found,
    state(changed) {
      const before = found?.state;
      const changedAt = changed ? stamp : (before?.changedAt ?? stamp);
      const lastDigest = before?.digestAt ?? found?.createdAt ?? stamp;
      const due =
        found !== undefined &&
        sync.digest === 'weekly' &&
        found.open &&
        open &&
        Date.parse(changedAt) > Date.parse(lastDigest) &&
        now.getTime() - Date.parse(lastDigest) >= WEEK_MS;
      // The digest's clock starts when the issue is made; a new issue tells everything, so it needs no digest.
      const state: IssueState = {
        kind: 'tracking',
        changedAt,
        digestAt: due || found === undefined ? stamp : lastDigest,
        ...(due || before?.digestSummary === undefined
          ? { digestSummary: report.summary }
          : { digestSummary: before.digestSummary }),
        ...(privatized.length === 0 ? {} : { privatized }),
      };
      return due
        ? { state, comment: digestComment(before?.digestSummary, lastDigest, report.summary) }
        : { state };
    },
  });
}

export interface RepositorySync extends RenderOptions {
  octokit: IssueOctokit;
  org: string;
  repository: AuditedRepository;
  now: Date;
}

/** One repository's own issue: open while it falls short, closed when it complies, never one per rule. */
export async function syncRepositoryIssue(sync: RepositorySync): Promise<IssueOutcome> {
  const { octokit, org, repository, now } = sync;
  const found = await findIssue(octokit, org, repository.name, 'repository');
  return upsert({
    octokit,
    owner: org,
    repo: repository.name,
    kind: 'repository',
    title: REPOSITORY_TITLE,
    content: repositoryContent(org, repository, sync),
    open: repository.status === 'failing',
    now,
    found,
    state: (changed) => ({
      state: {
        kind: 'repository',
        changedAt: changed ? now.toISOString() : (found?.state.changedAt ?? now.toISOString()),
      },
    }),
  });
}

/** Why an audit issue could not be written, in words an administrator can act on. */
export function issueFailure(error: unknown, owner: string, repo: string): string {
  const status = httpFailure(error)?.status;
  if (status === 410) {
    return `Issues are turned off in ${owner}/${repo}, so Openly cannot keep its audit issue there: turn issues on in that repository's settings, or name another repository in audit.repository of the organisation base.`;
  }
  if (status === 404) {
    return `GitHub cannot find ${owner}/${repo}, or the Openly App is not installed on it: create it, add it to the App's installation, or name another repository in audit.repository of the organisation base.`;
  }
  return explainFailure(error, {
    doing: `writing the audit issue in ${owner}/${repo}`,
    permissions: ['issues: write'],
    who: 'the App',
    grant: grantToApp,
  }).message;
}
