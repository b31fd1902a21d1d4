import { readFileSync } from 'node:fs';
import type { NoteItem } from './notes.js';
import { explainFailure, GitHubFailure } from '../github/failure.js';
import type { GitHubApi } from '../github/octokit.js';

function document(...names: string[]): string {
  return names
    .map((name) => readFileSync(new URL(`./github/${name}.graphql`, import.meta.url), 'utf8'))
    .join('\n');
}

/** The documents as sent (fragments appended), exported so that tests validate exactly these. */
export const RELEASE_STATE_QUERY = document('release-state', 'release-fields', 'merged-pull-request-page');
export const MERGED_PULL_REQUESTS_QUERY = document('merged-pull-requests', 'merged-pull-request-page');
export const MILESTONE_QUERY = document('milestone', 'release-fields', 'merged-pull-request-page');
const ARTEFACT_BLOB_FRAGMENT = document('artefact-blob');

/** Releases the first read holds (`releases(first: 25)` in the documents): past that, `listReleases` pages on. */
export const RELEASES_READ = 25;
/** Pages of 100 releases `listReleases` reads before it gives up: a repository's 2,000 newest releases. */
const MAX_RELEASE_PAGES = 20;
/** Pages of merged pull requests read before the notes are cut short: 3,000 pull requests since one release. */
const MAX_PULL_PAGES = 30;
/** Artefact files per request for the "before" side: object lookups are cheap, answers are what is bounded. */
export const ARTEFACTS_PER_QUERY = 100;

/** What the caller hands in: an authenticated Octokit (the GitHub layer's, Probot's or a test's). */
export type ReleaseOctokit = GitHubApi;

export interface Repo {
  owner: string;
  repo: string;
}

export interface ReleaseInfo {
  id: number | undefined;
  tagName: string;
  name: string;
  isDraft: boolean;
  isPrerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
  url: string;
  body: string;
  /** The commit the tag names, once published; `recent`: it and the commits just before it. */
  tagCommit?: { oid: string; committedDate: string; recent: string[] };
}

interface GraphqlRelease {
  databaseId: number | null;
  tagName: string;
  name: string | null;
  isDraft: boolean;
  isPrerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
  url: string;
  description: string | null;
  tagCommit: {
    oid: string;
    committedDate: string;
    history?: { nodes: ({ oid: string } | null)[] | null };
  } | null;
}

function release(node: GraphqlRelease): ReleaseInfo {
  return {
    id: node.databaseId ?? undefined,
    tagName: node.tagName,
    name: node.name ?? '',
    isDraft: node.isDraft,
    isPrerelease: node.isPrerelease,
    createdAt: node.createdAt,
    publishedAt: node.publishedAt,
    url: node.url,
    body: node.description ?? '',
    ...(node.tagCommit === null
      ? {}
      : {
          tagCommit: {
            oid: node.tagCommit.oid,
            committedDate: node.tagCommit.committedDate,
            recent: (node.tagCommit.history?.nodes ?? []).flatMap((commit) =>
              commit === null ? [] : [commit.oid],
            ),
          },
        }),
  };
}

/** An app's bot has its page under `/apps/`, and GitHub gives its login without the `[bot]` its mentions need. */
interface GraphqlActor {
  login: string;
  url?: string;
}

function authorOf(author: GraphqlActor | null): Pick<NoteItem, 'author' | 'bot'> {
  if (author === null) return {};
  const bot = /\/apps\/[^/]+\/?$/.test(author.url ?? '');
  return { author: author.login, ...(bot ? { bot: true } : {}) };
}

interface GraphqlLabels {
  nodes: ({ name: string } | null)[] | null;
}

interface GraphqlPull {
  number: number;
  title: string;
  url: string;
  mergedAt: string | null;
  updatedAt: string;
  author: GraphqlActor | null;
  mergeCommit: { oid: string } | null;
  labels: GraphqlLabels | null;
}

interface PullPage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (GraphqlPull | null)[] | null;
}

export interface MergedPull extends NoteItem {
  mergedAt: string;
  updatedAt: string;
  mergeCommit?: string;
}

function labelsOf(labels: GraphqlLabels | null): string[] {
  return (labels?.nodes ?? []).flatMap((label) => (label === null ? [] : [label.name]));
}

function pullsOf(page: PullPage): MergedPull[] {
  return (page.nodes ?? []).flatMap((node) =>
    node === null || node.mergedAt === null
      ? []
      : [
          {
            kind: 'pull-request' as const,
            number: node.number,
            title: node.title,
            url: node.url,
            ...authorOf(node.author),
            labels: labelsOf(node.labels),
            mergedAt: node.mergedAt,
            updatedAt: node.updatedAt,
            ...(node.mergeCommit === null ? {} : { mergeCommit: node.mergeCommit.oid }),
          },
        ],
  );
}

// ------------------------------------------------------------------------------------------------------- errors

/** A release could not be read or written. The message says what to do; `status` is GitHub's, when it answered. */
export class ReleaseError extends GitHubFailure {
  override name = 'ReleaseError';
}

/** The permissions the release documents' reads need: a refusal that names no field names these. */
const READ_PERMISSIONS = ['contents: read', 'pull-requests: read'];

/**
 * A plain sentence for each failure, naming the permission when one is missing; never the request, which carries
 * the token. `doing` says what was under way ("reading the releases", "publishing release v1.4.0").
 */
export function releaseError(
  error: unknown,
  doing: string,
  write: boolean,
  permissions: readonly string[] = write ? ['contents: write'] : READ_PERMISSIONS,
): ReleaseError {
  if (error instanceof ReleaseError) return error;
  const { message, status } = explainFailure(error, {
    doing,
    permissions,
    outcome: write ? 'Nothing was written; running again finishes the job.' : 'Nothing was written.',
  });
  return new ReleaseError(message, status);
}

async function reading<T>(
  doing: string,
  call: () => Promise<T>,
  permissions: readonly string[] = READ_PERMISSIONS,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw releaseError(error, doing, false, permissions);
  }
}

// -------------------------------------------------------------------------------------------------- draft reads

export interface ReleaseState {
  /** Newest first, drafts included (GitHub shows drafts to tokens that can push). */
  releases: ReleaseInfo[];
  /** GitHub's "latest" release: the newest published one that is not a pre-release. */
  latest?: ReleaseInfo;
  /** The 100 newest git tags, released or not: the next version must not take one of them. */
  tags?: string[];
}

function stateOf(repository: {
  latestRelease?: GraphqlRelease | null;
  releases?: { nodes: (GraphqlRelease | null)[] | null };
  tags?: { nodes: ({ name: string } | null)[] | null } | null;
}): ReleaseState {
  const releases = (repository.releases?.nodes ?? []).flatMap((node) =>
    node === null ? [] : [release(node)],
  );
  const latest = repository.latestRelease;
  const tags = repository.tags?.nodes?.flatMap((node) => (node === null ? [] : [node.name]));
  return {
    releases,
    ...(latest === null || latest === undefined ? {} : { latest: release(latest) }),
    ...(tags === undefined ? {} : { tags }),
  };
}

/**
 * The releases and every pull request merged into `base` after `since` (all of them when `since` is undefined):
 * one request for the releases and the first 100 pull requests, then one per further 100. Pages are read newest
 * activity first and stop at the first page that reaches back before `since`; an old pull request commented on
 * lately is read and dropped by its merge date. `since` comes from the releases, so it is given as a function.
 */
export async function readDraftState(
  octokit: ReleaseOctokit,
  repo: Repo,
  base: string,
  since: (state: ReleaseState) => { date?: string; commits?: readonly string[] },
  warnings: string[],
): Promise<{ state: ReleaseState; pulls: MergedPull[]; requests: number }> {
  type Answer = {
    repository: {
      latestRelease: GraphqlRelease | null;
      releases: { nodes: (GraphqlRelease | null)[] | null };
      pullRequests: PullPage;
      tags: { nodes: ({ name: string } | null)[] | null } | null;
    } | null;
  };
  const first = await reading('reading the releases and merged pull requests', () =>
    octokit.graphql<Answer>(RELEASE_STATE_QUERY, { ...repo, base, withPulls: true }),
  );
  if (first.repository === null) {
    throw new ReleaseError(
      `GitHub could not find ${repo.owner}/${repo.repo}, or the token cannot see it.`,
      404,
    );
  }
  const state = stateOf(first.repository);
  const { date, commits } = since(state);
  // Compared as instants: GitHub writes `Z`, but an offset or fractional seconds must not flip the order.
  const cut = date === undefined ? undefined : Date.parse(date);
  // A merge commit the release's tag reaches is in the release, whatever time GitHub marked its pull request
  // merged (a merge queue marks them after making the commits; a merge can share the tag's second).
  const released = new Set(commits ?? []);
  const after = (pull: MergedPull) =>
    (cut === undefined || Date.parse(pull.mergedAt) > cut) &&
    (pull.mergeCommit === undefined || !released.has(pull.mergeCommit));
  const pulls: MergedPull[] = [];
  let page = first.repository.pullRequests;
  let requests = 1;
  for (;;) {
    const found = pullsOf(page);
    pulls.push(...found.filter(after));
    const reachedBack = cut !== undefined && found.some((pull) => Date.parse(pull.updatedAt) <= cut);
    if (reachedBack || !page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) break;
    if (requests >= MAX_PULL_PAGES) {
      warnings.push(
        `Only the ${pulls.length} most recently active merged pull requests were read; older ones are not listed.`,
      );
      break;
    }
    const cursor = page.pageInfo.endCursor;
    const next = await reading('reading merged pull requests', () =>
      octokit.graphql<{ repository: { pullRequests: PullPage } | null }>(MERGED_PULL_REQUESTS_QUERY, {
        ...repo,
        base,
        cursor,
      }),
    );
    requests += 1;
    if (next.repository === null) break;
    page = next.repository.pullRequests;
  }
  // Newest merge first within each heading, as people read release notes; the number breaks ties.
  pulls.sort((a, b) => (a.mergedAt < b.mergedAt ? 1 : a.mergedAt > b.mergedAt ? -1 : b.number - a.number));
  return { state, pulls, requests };
}

/**
 * The releases, drafts included when the token can push, 100 a request (REST, newest first), until a page holds one
 * that `wanted` picks or the last page was read. Past `MAX_RELEASE_PAGES` a warning says the search stopped.
 */
export async function listReleases(
  octokit: ReleaseOctokit,
  repo: Repo,
  wanted: (release: ReleaseInfo) => boolean,
  warnings: string[],
): Promise<{ releases: ReleaseInfo[]; requests: number }> {
  const releases: ReleaseInfo[] = [];
  for (let page = 1; page <= MAX_RELEASE_PAGES; page += 1) {
    const { data, headers } = await reading('listing the releases', () =>
      octokit.request('GET /repos/{owner}/{repo}/releases', { ...repo, per_page: 100, page }),
    );
    const found = data.map((item): ReleaseInfo => ({
      id: item.id,
      tagName: item.tag_name,
      name: item.name ?? '',
      isDraft: item.draft,
      isPrerelease: item.prerelease,
      createdAt: item.created_at,
      publishedAt: item.published_at,
      url: item.html_url,
      body: item.body ?? '',
    }));
    releases.push(...found);
    // GitHub says where the next page is; without a link there is none.
    const more = /rel="next"/.test(headers.link ?? '');
    if (found.some(wanted) || !more) return { releases, requests: page };
  }
  warnings.push(`Only the ${releases.length} newest releases were searched.`);
  return { releases, requests: MAX_RELEASE_PAGES };
}

/** The releases alone, in one request: what publishing a draft needs. */
export async function readReleases(octokit: ReleaseOctokit, repo: Repo, base: string): Promise<ReleaseState> {
  type Answer = {
    repository: {
      latestRelease: GraphqlRelease | null;
      releases: { nodes: (GraphqlRelease | null)[] | null };
    } | null;
  };
  const data = await reading('reading the releases', () =>
    octokit.graphql<Answer>(RELEASE_STATE_QUERY, { ...repo, base, withPulls: false }),
  );
  if (data.repository === null) {
    throw new ReleaseError(
      `GitHub could not find ${repo.owner}/${repo.repo}, or the token cannot see it.`,
      404,
    );
  }
  return stateOf(data.repository);
}

// ----------------------------------------------------------------------------------------------- milestone reads

interface GraphqlIssue {
  number: number;
  title: string;
  url: string;
  stateReason: string | null;
  author: GraphqlActor | null;
  labels: GraphqlLabels | null;
}

interface IssuePage {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (GraphqlIssue | null)[] | null;
}

export interface MilestoneState {
  title: string;
  pulls: MergedPull[];
  issues: NoteItem[];
  state: ReleaseState;
  /** The release already made for this milestone's version tag, when the title is a version. */
  byTag?: ReleaseInfo;
  requests: number;
}

/**
 * A milestone's merged pull requests and closed issues (those closed as not planned are left out), with the
 * releases on the first request: one request for up to 100 of each, then one per further 100 of either.
 */
export async function readMilestone(
  octokit: ReleaseOctokit,
  repo: Repo,
  number: number,
  tags: { tag: string; plainTag: string } | undefined,
  warnings: string[],
): Promise<MilestoneState> {
  type Answer = {
    repository: {
      milestone: { title: string; pullRequests?: PullPage; issues?: IssuePage } | null;
      latestRelease?: GraphqlRelease | null;
      releases?: { nodes: (GraphqlRelease | null)[] | null };
      byTag?: GraphqlRelease | null;
      byPlainTag?: GraphqlRelease | null;
      tags?: { nodes: ({ name: string } | null)[] | null } | null;
    } | null;
  };
  const pulls: MergedPull[] = [];
  const issues: NoteItem[] = [];
  let pullsCursor: string | null = null;
  let issuesCursor: string | null = null;
  let withPulls = true;
  let withIssues = true;
  let requests = 0;
  let title = '';
  let state: ReleaseState = { releases: [] };
  let byTag: ReleaseInfo | undefined;
  while (withPulls || withIssues) {
    if (requests >= MAX_PULL_PAGES) {
      warnings.push(
        `Only the first ${pulls.length} pull requests and ${issues.length} issues of the milestone were read.`,
      );
      break;
    }
    const first = requests === 0;
    const variables: Record<string, unknown> = {
      ...repo,
      number,
      withPulls,
      pullsCursor,
      withIssues,
      issuesCursor,
      withReleases: first,
      withTag: first && tags !== undefined,
      tag: tags?.tag ?? '',
      plainTag: tags?.plainTag ?? '',
    };
    const data: Answer = await reading(
      `reading milestone ${number}`,
      () => octokit.graphql<Answer>(MILESTONE_QUERY, variables),
      [...READ_PERMISSIONS, 'issues: read'],
    );
    requests += 1;
    const milestone = data.repository?.milestone;
    if (data.repository === null || milestone === null || milestone === undefined) {
      throw new ReleaseError(
        `GitHub could not find milestone ${number} in ${repo.owner}/${repo.repo}, or the token cannot see it.`,
        404,
      );
    }
    title = milestone.title;
    if (first) {
      state = stateOf(data.repository);
      const found = data.repository.byTag ?? data.repository.byPlainTag;
      if (found !== null && found !== undefined) byTag = release(found);
    }
    if (withPulls && milestone.pullRequests !== undefined) {
      pulls.push(...pullsOf(milestone.pullRequests));
      const info: PullPage['pageInfo'] = milestone.pullRequests.pageInfo;
      withPulls = info.hasNextPage && info.endCursor !== null;
      pullsCursor = info.endCursor;
    } else withPulls = false;
    if (withIssues && milestone.issues !== undefined) {
      for (const node of milestone.issues.nodes ?? []) {
        if (node === null || node.stateReason === 'NOT_PLANNED') continue;
        issues.push({
          kind: 'issue',
          number: node.number,
          title: node.title,
          url: node.url,
          ...authorOf(node.author),
          labels: labelsOf(node.labels),
        });
      }
      const info: IssuePage['pageInfo'] = milestone.issues.pageInfo;
      withIssues = info.hasNextPage && info.endCursor !== null;
      issuesCursor = info.endCursor;
    } else withIssues = false;
  }
  pulls.sort((a, b) => (a.mergedAt < b.mergedAt ? 1 : a.mergedAt > b.mergedAt ? -1 : b.number - a.number));
  issues.sort((a, b) => b.number - a.number);
  return { title, pulls, issues, state, ...(byTag === undefined ? {} : { byTag }), requests };
}

// ---------------------------------------------------------------------------------------------- artefacts before

/** The batched artefact query for `count` paths: aliases generated; the fragment, and every path, static or a variable. */
export function artefactsQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$e${i}: String!`).join(', ');
  const aliases = Array.from(
    { length: count },
    (_, i) => `    a${i}: object(expression: $e${i}) {\n      ...ArtefactBlob\n    }\n`,
  ).join('');
  return (
    `query OpenlyReleaseArtefacts($owner: String!, $repo: String!, ${variables}) {\n` +
    `  repository(owner: $owner, name: $repo) {\n${aliases}  }\n}\n\n${ARTEFACT_BLOB_FRAGMENT}`
  );
}

/**
 * The text of `paths` at commit `oid` (the last release's), 100 paths a request. Paths absent then are left out;
 * binary or cut-short files are `undefined` (read as unavailable, so their changes are not claimed).
 */
export async function readFilesAt(
  octokit: ReleaseOctokit,
  repo: Repo,
  oid: string,
  paths: readonly string[],
): Promise<{ files: Record<string, string | undefined>; requests: number }> {
  const files: Record<string, string | undefined> = {};
  let requests = 0;
  for (let start = 0; start < paths.length; start += ARTEFACTS_PER_QUERY) {
    const batch = paths.slice(start, start + ARTEFACTS_PER_QUERY);
    const variables: Record<string, string> = { ...repo };
    batch.forEach((path, i) => (variables[`e${i}`] = `${oid}:${path}`));
    type Blob = { text?: string | null; isBinary?: boolean | null; isTruncated?: boolean } | null;
    const data = await reading('reading the artefacts at the last release', () =>
      octokit.graphql<{ repository: Record<string, Blob> | null }>(artefactsQuery(batch.length), variables),
    );
    requests += 1;
    batch.forEach((path, i) => {
      const blob = data.repository?.[`a${i}`];
      if (blob === null || blob === undefined || !('isTruncated' in blob)) return;
      files[path] =
        blob.isTruncated === true || blob.isBinary === true || typeof blob.text !== 'string'
          ? undefined
          : blob.text;
    });
  }
  return { files, requests };
}

/**
 * Every file path at commit `oid`, in one request (GitHub's recursive tree): where the artefacts were at the last
 * release, so that one moved since is compared with where it was. Undefined when GitHub cuts the listing short
 * (past 100,000 entries): then a move cannot be told from a new file.
 */
export async function readPathsAt(
  octokit: ReleaseOctokit,
  repo: Repo,
  oid: string,
): Promise<string[] | undefined> {
  const { data } = await reading('listing the files at the last release', () =>
    octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      ...repo,
      tree_sha: oid,
      recursive: '1',
    }),
  );
  if (data.truncated) return undefined;
  return data.tree.flatMap((entry) =>
    entry.type === 'blob' && typeof entry.path === 'string' ? [entry.path] : [],
  );
}

// ------------------------------------------------------------------------------------------------------- writes

export interface ReleaseWrite {
  tag_name: string;
  target_commitish?: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease?: boolean;
}

export interface WrittenRelease {
  id: number;
  url: string;
}

/** Whether GitHub refused a release because its tag is another release's (422, `already_exists` on `tag_name`). */
function tagTaken(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || (error as { status?: unknown }).status !== 422)
    return false;
  const data = (error as { response?: { data?: unknown } }).response?.data;
  const errors =
    typeof data === 'object' && data !== null ? (data as { errors?: unknown }).errors : undefined;
  return (
    Array.isArray(errors) &&
    errors.some(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        (item as { code?: unknown }).code === 'already_exists' &&
        (item as { field?: unknown }).field === 'tag_name',
    )
  );
}

/** Creates a release in one request. */
export async function createRelease(
  octokit: ReleaseOctokit,
  repo: Repo,
  body: ReleaseWrite,
  doing: string,
): Promise<WrittenRelease> {
  try {
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/releases', { ...repo, ...body });
    return { id: data.id, url: data.html_url };
  } catch (error) {
    if (tagTaken(error)) {
      throw new ReleaseError(
        `GitHub refused ${doing}: another release already has the tag ${body.tag_name} (422 already_exists), and it ` +
          'was not among the releases Openly read: another run may have made it a moment ago, or it is a draft the ' +
          'token cannot see (drafts are listed only with "contents: write"). Nothing was written; running the job ' +
          'again finds the release if it is published.',
        422,
      );
    }
    throw releaseError(error, doing, true);
  }
}

/** Updates a release in one request: what it says and whether it is a draft change together or not at all. */
export async function updateRelease(
  octokit: ReleaseOctokit,
  repo: Repo,
  id: number,
  body: Partial<ReleaseWrite>,
  doing: string,
): Promise<WrittenRelease> {
  try {
    const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/releases/{release_id}', {
      ...repo,
      release_id: id,
      ...body,
    });
    return { id: data.id, url: data.html_url };
  } catch (error) {
    throw releaseError(error, doing, true);
  }
}
