import { readFileSync } from 'node:fs';
import type { ProbotOctokit } from 'probot';
import type { ConfigText, GitHubContext, GitHubTarget } from './github-context.js';
import { MemorySnapshot } from './memory.js';
import {
  MAX_TEXT_BYTES,
  type ChangedFiles,
  type CommitInfo,
  type CommitPerson,
  type FileContent,
  type GrepResult,
  type LastChange,
  type RepoSnapshot,
  type RepositoryFacts,
} from './snapshot.js';
import { explainFailure, GitHubFailure, grantToApp, graphqlFailure, httpFailure } from '../github/failure.js';

/** What this source needs of an Octokit: Probot's, or any with the same `request` and `graphql`. */
export type GitHubOctokit = Pick<ProbotOctokit, 'request' | 'graphql'>;

function document(...names: string[]): string {
  return names
    .map((name) => readFileSync(new URL(`./github/${name}.graphql`, import.meta.url), 'utf8'))
    .join('\n');
}

/** The documents as sent (fragments appended), exported so that tests validate exactly these. */
export const CONTEXT_QUERY = document('context', 'commit-page', 'signed-commit', 'config-blob');
export const CONFIG_LINK_QUERY = document('config-link', 'config-blob');
export const PULL_REQUEST_COMMITS_QUERY = document('pull-request-commits', 'commit-page', 'signed-commit');
const FILE_BLOB_FRAGMENT = document('file-blob');

/**
 * Files per GraphQL request. Object lookups are not connections, so GitHub's node limit does not bind; what does is
 * its ten-second timeout on a request, hence also a cap on the bytes one request brings back.
 */
export const FILES_PER_QUERY = 250;
export const BYTES_PER_QUERY = 8 * 1024 * 1024;
/** Pages of commits read for one change (100 each) before the list is cut short with a warning. */
const MAX_COMMIT_PAGES = 30;
/** Extra tree requests spent completing a truncated tree before giving up with a warning. */
const MAX_TREE_REQUESTS = 100;
const ZERO_SHA = /^0+$/;

/** GitHub could not be read: the App turns this into an honest check run conclusion rather than a false pass. */
export class GitHubReadError extends GitHubFailure {
  override name = 'GitHubReadError';
  constructor(
    message: string,
    /** `GET /repos/{owner}/{repo}/git/trees/{tree_sha}`, or `POST /graphql OpenlyContext`. */
    readonly route: string,
    /** GitHub's HTTP status; undefined when no answer came (network) or a GraphQL answer carried errors. */
    status: number | undefined,
    /** Seconds GitHub asked us to wait (rate limits). */
    readonly retryAfter?: number,
  ) {
    super(message, status);
  }
}

/** A plain sentence for each failure, worded by the GitHub layer; never the request itself, which carries the token. */
function readError(error: unknown, route: string): GitHubReadError {
  if (error instanceof GitHubReadError) return error;
  const { message, status } = explainFailure(error, {
    doing: `reading the repository with ${route}`,
    permissions: route.startsWith('POST /graphql')
      ? ['contents: read', 'pull-requests: read']
      : ['contents: read'],
    who: 'the App',
    grant: grantToApp,
  });
  return new GitHubReadError(message, route, status, httpFailure(error)?.retryAfter);
}

async function guarded<T>(route: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw readError(error, route);
  }
}

// ---------------------------------------------------------------------------------------------------------- tree

const TREE_ROUTE = 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}';

interface TreeEntry {
  path: string;
  type: string;
  sha: string;
  size?: number;
}

interface Listing {
  sizes: Map<string, number>;
  warnings: string[];
  requests: number;
}

async function getTree(
  octokit: GitHubOctokit,
  target: GitHubTarget,
  sha: string,
  recursive: boolean,
): Promise<{ tree: TreeEntry[]; truncated: boolean }> {
  const { data } = await guarded(TREE_ROUTE, () =>
    octokit.request(TREE_ROUTE, {
      owner: target.owner,
      repo: target.repo,
      tree_sha: sha,
      ...(recursive ? { recursive: '1' } : {}),
    }),
  );
  return { tree: data.tree, truncated: data.truncated };
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/**
 * Lists the tree `sha` (found at `prefix`) into `listing`. GitHub cuts a recursive listing short past 100,000
 * entries or 7 MB and says `truncated`; then the directories it may have cut — those with no entries listed, and
 * the chain of directories holding the last entry listed — are read again, one request each, and each directory
 * they hold that is not fully listed is read the same way.
 */
async function listTree(
  octokit: GitHubOctokit,
  target: GitHubTarget,
  sha: string,
  prefix: string,
  listing: Listing,
): Promise<void> {
  let answer: { tree: TreeEntry[]; truncated: boolean };
  try {
    answer = await getTree(octokit, target, sha, true);
  } catch (error) {
    listing.requests += 1;
    // GitHub answers 409 ("Git Repository is empty.") for a repository with no commits yet. There is nothing to
    // list, and the checks should say what such a repository lacks rather than report a read failure.
    if (prefix === '' && error instanceof GitHubReadError && error.status === 409) {
      listing.warnings.push(EMPTY_REPOSITORY);
      return;
    }
    throw error;
  }
  const { tree, truncated } = answer;
  listing.requests += 1;
  const trees = new Map<string, string>();
  const withChildren = new Set<string>();
  for (const entry of tree) {
    withChildren.add(parentOf(entry.path));
    if (entry.type === 'blob') listing.sizes.set(prefix + entry.path, entry.size ?? 0);
    else if (entry.type === 'tree') trees.set(entry.path, entry.sha);
  }
  if (!truncated) return;

  const uncertain = new Set<string>(['']);
  const last = tree.at(-1)?.path;
  for (let dir = last === undefined ? '' : parentOf(last); dir !== ''; dir = parentOf(dir))
    uncertain.add(dir);
  const missing = [...trees].filter(([path]) => !withChildren.has(path) && !uncertain.has(path));

  for (const dir of uncertain) {
    const dirSha = dir === '' ? sha : trees.get(dir);
    if (dirSha === undefined) continue;
    if (!budget(listing, `${prefix}${dir}`)) return;
    const children = await getTree(octokit, target, dirSha, false);
    listing.requests += 1;
    if (children.truncated) listing.warnings.push(treeWarning(`${prefix}${dir}`));
    for (const child of children.tree) {
      const path = dir === '' ? child.path : `${dir}/${child.path}`;
      if (child.type === 'blob') listing.sizes.set(prefix + path, child.size ?? 0);
      else if (child.type === 'tree' && !trees.has(path)) missing.push([path, child.sha]);
    }
  }
  for (const [path, dirSha] of missing) {
    if (!budget(listing, `${prefix}${path}`)) return;
    await listTree(octokit, target, dirSha, `${prefix}${path}/`, listing);
  }
}

/** Said in the report of a repository GitHub calls empty, so that nobody wonders why every file is missing. */
export const EMPTY_REPOSITORY =
  'GitHub says the repository is empty (it has no commits yet), so the checks saw no files.';

function treeWarning(where: string): string {
  return `GitHub listed the files of ${where === '' ? 'the repository' : where} only in part; checks saw the files listed.`;
}

function budget(listing: Listing, where: string): boolean {
  if (listing.requests <= MAX_TREE_REQUESTS) return true;
  const warning = `The repository's file tree is too large to list in full (stopped at ${where}); checks saw part of it.`;
  if (!listing.warnings.includes(warning)) listing.warnings.push(warning);
  return false;
}

// ------------------------------------------------------------------------------------------------------ commits

interface GraphqlActor {
  name: string | null;
  email: string | null;
  user: { login: string } | null;
}

interface GraphqlCommit {
  oid: string;
  message: string;
  parents: { totalCount: number };
  author: GraphqlActor | null;
  committer: GraphqlActor | null;
  signature: {
    isValid: boolean;
    state: string;
    wasSignedByGitHub: boolean;
    signer: { login: string } | null;
  } | null;
}

interface CommitPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ({ commit: GraphqlCommit } | null)[] | null;
}

interface Blob {
  text?: string | null;
  isBinary?: boolean | null;
  byteSize?: number;
  isTruncated?: boolean;
}

interface ContextData {
  repository: {
    repoConfigYml: Blob | null;
    repoConfigYaml: Blob | null;
    headConfigYml: Blob | null;
    headConfigYaml: Blob | null;
    pullRequest?: {
      commits: CommitPage;
      files?: { totalCount: number; nodes: ({ path: string } | null)[] | null } | null;
    } | null;
    head: (Partial<GraphqlCommit> & { checkSuites?: CheckSuites }) | null;
  } | null;
  orgBase: { configYml: Blob | null; configYaml: Blob | null } | null;
}

interface CheckRunNode {
  databaseId: number | null;
  status: string;
  externalId: string | null;
}

interface CheckSuites {
  nodes: ({ checkRuns: { nodes: (CheckRunNode | null)[] | null } | null } | null)[] | null;
}

function person(actor: GraphqlActor | null): CommitPerson {
  const login = actor?.user?.login;
  return { name: actor?.name ?? '', email: actor?.email ?? '', ...(login === undefined ? {} : { login }) };
}

/** GraphQL's view of a commit as a CommitInfo; `state` lower-cased is REST's `verification.reason`. */
export function commitFromGraphql(commit: GraphqlCommit): CommitInfo {
  const signature = commit.signature;
  const signer = signature?.signer?.login;
  return {
    sha: commit.oid,
    message: commit.message,
    author: person(commit.author),
    committer: person(commit.committer),
    parents: commit.parents.totalCount,
    signature:
      signature === null
        ? { verified: false, reason: 'unsigned', signedByGitHub: false }
        : {
            verified: signature.isValid,
            reason: signature.state.toLowerCase(),
            signedByGitHub: signature.wasSignedByGitHub,
            ...(signer === undefined ? {} : { signer }),
          },
  };
}

interface RestCommit {
  sha: string;
  commit: {
    message: string;
    author: { name?: string; email?: string } | null;
    committer: { name?: string; email?: string } | null;
    verification?: { verified: boolean; reason: string };
  };
  author: { login: string } | null | Record<string, never>;
  committer: { login: string } | null | Record<string, never>;
  parents: unknown[];
}

function restPerson(
  git: { name?: string; email?: string } | null,
  account: { login?: string } | null,
): CommitPerson {
  const login = account?.login;
  return { name: git?.name ?? '', email: git?.email ?? '', ...(login === undefined ? {} : { login }) };
}

/** REST's view of a commit as a CommitInfo. REST names no signer; GitHub's own key signs as `GitHub <noreply@github.com>`. */
export function commitFromRest(commit: RestCommit): CommitInfo {
  const verification = commit.commit.verification ?? { verified: false, reason: 'unsigned' };
  const committer = commit.commit.committer;
  const byGitHub =
    verification.verified && committer?.name === 'GitHub' && committer.email === 'noreply@github.com';
  return {
    sha: commit.sha,
    message: commit.commit.message,
    author: restPerson(commit.commit.author, commit.author),
    committer: restPerson(committer, commit.committer),
    parents: commit.parents.length,
    signature: { verified: verification.verified, reason: verification.reason, signedByGitHub: byGitHub },
  };
}

function pageCommits(page: CommitPage): CommitInfo[] {
  return (page.nodes ?? []).flatMap((node) => (node === null ? [] : [commitFromGraphql(node.commit)]));
}

async function pullRequestCommits(
  octokit: GitHubOctokit,
  target: GitHubTarget,
  number: number,
  first: CommitPage,
  warnings: string[],
): Promise<CommitInfo[]> {
  const commits = pageCommits(first);
  let page = first;
  let pages = 1;
  while (page.pageInfo.hasNextPage && page.pageInfo.endCursor !== null) {
    if (pages >= MAX_COMMIT_PAGES) {
      warnings.push(
        `Only the first ${commits.length} of the pull request's ${first.totalCount} commits were judged.`,
      );
      break;
    }
    const cursor = page.pageInfo.endCursor;
    const data = await guarded('POST /graphql OpenlyPullRequestCommits', () =>
      octokit.graphql<{ repository: { pullRequest: { commits: CommitPage } | null } | null }>(
        PULL_REQUEST_COMMITS_QUERY,
        { owner: target.owner, repo: target.repo, number, cursor },
      ),
    );
    const next = data.repository?.pullRequest?.commits;
    if (next === undefined) break;
    commits.push(...pageCommits(next));
    page = next;
    pages += 1;
  }
  return commits;
}

const COMPARE_ROUTE = 'GET /repos/{owner}/{repo}/compare/{basehead}';

async function pushCommits(
  octokit: GitHubOctokit,
  target: GitHubTarget,
  before: string,
  after: string,
  warnings: string[],
): Promise<CommitInfo[]> {
  const commits: CommitInfo[] = [];
  for (let page = 1; ; page++) {
    const { data } = await guarded(COMPARE_ROUTE, () =>
      octokit.request(COMPARE_ROUTE, {
        owner: target.owner,
        repo: target.repo,
        basehead: `${before}...${after}`,
        per_page: 100,
        page,
      }),
    );
    commits.push(...data.commits.map((commit) => commitFromRest(commit)));
    if (data.commits.length === 0 || commits.length >= data.total_commits) break;
    if (page >= MAX_COMMIT_PAGES) {
      warnings.push(
        `Only the first ${commits.length} of the push's ${data.total_commits} commits were judged.`,
      );
      break;
    }
  }
  return commits;
}

// ------------------------------------------------------------------------------------------------ changed files

/** A pull request's changed files, as the context query read them: which, not in which of its commits. */
function pullRequestFiles(
  number: number,
  files: { totalCount: number; nodes: ({ path: string } | null)[] | null } | null | undefined,
): ChangedFiles | undefined {
  if (files === null || files === undefined) return undefined;
  const listed = (files.nodes ?? []).flatMap((node) => (node === null ? [] : [node.path]));
  return {
    label: `pull request #${number}`,
    paths: new Map(listed.map((path) => [path, null])),
    complete: listed.length >= files.totalCount,
  };
}

/** A push's changed files from its payload, each with the last pushed commit that touched it. */
function pushedFiles(
  files: { commits: { sha: string; paths: string[] }[]; complete: boolean } | undefined,
): ChangedFiles | undefined {
  if (files === undefined) return undefined;
  const paths = new Map<string, LastChange>();
  const count = files.commits.length;
  // Oldest first, so that a later commit's touch of a path replaces an earlier one.
  files.commits.forEach((commit, i) => {
    for (const path of commit.paths) paths.set(path, { sha: commit.sha, order: count - 1 - i });
  });
  return { label: 'this push', paths, complete: files.complete };
}

// ------------------------------------------------------------------------------------------------------ context

function configText(
  source: string,
  path: string,
  blob: Blob | null | undefined,
  warnings: string[],
): ConfigText | undefined {
  if (blob === null || blob === undefined || blob.byteSize === undefined) return undefined;
  if (blob.isBinary === true || typeof blob.text !== 'string') {
    warnings.push(`${source}:${path} is not a text file, so it was not read as configuration.`);
    return undefined;
  }
  return { source: `${source}:${path}`, text: blob.text };
}

function pickConfig(
  source: string,
  yml: Blob | null | undefined,
  yaml: Blob | null | undefined,
  warnings: string[],
): ConfigText | undefined {
  return (
    configText(source, '.github/openly.yml', yml, warnings) ??
    configText(source, '.github/openly.yaml', yaml, warnings)
  );
}

/** Runs the context query; a missing organisation `.github` repository is no base, not a failure. */
async function contextQuery(
  octokit: GitHubOctokit,
  variables: Record<string, unknown>,
): Promise<ContextData> {
  const route = 'POST /graphql OpenlyContext';
  try {
    return await octokit.graphql<ContextData>(CONTEXT_QUERY, variables);
  } catch (error) {
    const graphql = graphqlFailure(error);
    const partial = (error as { data?: unknown }).data;
    if (graphql !== undefined && partial !== undefined && partial !== null) {
      const { errors } = graphql;
      const onlyOrgBaseMissing = errors.every((e) => e.type === 'NOT_FOUND' && e.path?.[0] === 'orgBase');
      if (errors.length > 0 && onlyOrgBaseMissing) return partial as ContextData;
    }
    throw readError(error, route);
  }
}

/** A configuration file an `_extends` link names: a repository and, when the link gives one, a path in it. */
export interface ConfigLink {
  owner: string;
  repo: string;
  /** Without a path, `.github/openly.yml` and then `.github/openly.yaml`, as in the repository itself. */
  path?: string;
}

export type LinkedConfig =
  | { kind: 'found'; config: ConfigText }
  | { kind: 'no-repository' }
  | { kind: 'no-file'; looked: string[] }
  | { kind: 'not-text'; source: string };

/**
 * Reads the file one `_extends` link names, from its repository's default branch, in one request. A repository
 * GitHub cannot find (or the App cannot see) and a missing file are answers, not failures: the caller turns them
 * into configuration problems that name the link.
 */
export async function fetchConfigLink(octokit: GitHubOctokit, link: ConfigLink): Promise<LinkedConfig> {
  const paths = link.path === undefined ? ['.github/openly.yml', '.github/openly.yaml'] : [link.path];
  const route = 'POST /graphql OpenlyConfigLink';
  type Answer = { repository: { file: Blob | null; alternative?: Blob | null } | null };
  let data: Answer;
  try {
    data = await octokit.graphql<Answer>(CONFIG_LINK_QUERY, {
      owner: link.owner,
      repo: link.repo,
      expression: `HEAD:${paths[0]}`,
      alternative: `HEAD:${paths[1] ?? paths[0]}`,
      withAlternative: paths.length > 1,
    });
  } catch (error) {
    const errors = graphqlFailure(error)?.errors ?? [];
    const missing =
      errors.length > 0 && errors.every((e) => e.type === 'NOT_FOUND' && e.path?.[0] === 'repository');
    if (missing) return { kind: 'no-repository' };
    throw readError(error, route);
  }
  if (data.repository === null) return { kind: 'no-repository' };
  const name = `${link.owner}/${link.repo}`;
  const blobs = [data.repository.file, data.repository.alternative];
  for (const [i, path] of paths.entries()) {
    const blob = blobs[i];
    if (blob === null || blob === undefined || blob.byteSize === undefined) continue;
    if (blob.isBinary === true || typeof blob.text !== 'string')
      return { kind: 'not-text', source: `${name}:${path}` };
    return { kind: 'found', config: { source: `${name}:${path}`, text: blob.text } };
  }
  return { kind: 'no-file', looked: paths.map((path) => `${name}:${path}`) };
}

/**
 * Everything about one event the App needs before it can judge. A pull request with up to 100 commits costs two
 * requests: the recursive tree, and one GraphQL query. More commits cost one query per further 100; a push costs
 * one compare request per 100 commits; a tree GitHub truncated costs a request per directory it cut.
 */
export async function fetchContext(octokit: GitHubOctokit, target: GitHubTarget): Promise<GitHubContext> {
  const { change } = target;
  const newBranch = change.kind === 'push' && ZERO_SHA.test(change.before);
  const listing: Listing = { sizes: new Map(), warnings: [], requests: 0 };
  const [, data] = await Promise.all([
    listTree(octokit, target, target.headSha, '', listing),
    contextQuery(octokit, {
      owner: target.owner,
      repo: target.repo,
      repoConfigYml: `${target.defaultBranch}:.github/openly.yml`,
      repoConfigYaml: `${target.defaultBranch}:.github/openly.yaml`,
      headConfigYml: `${target.headSha}:.github/openly.yml`,
      headConfigYaml: `${target.headSha}:.github/openly.yaml`,
      headSha: target.headSha,
      withPullRequest: change.kind === 'pull_request',
      withHeadCommit: newBranch,
      number: change.kind === 'pull_request' ? change.number : 0,
      cursor: null,
      appId: target.appId ?? null,
      checkName: target.checkName,
    }),
  ]);
  const warnings = [...listing.warnings];
  const repository = data.repository;
  if (repository === null) {
    throw new GitHubReadError(
      `GitHub could not find ${target.owner}/${target.repo}.`,
      'POST /graphql OpenlyContext',
      404,
    );
  }
  const name = `${target.owner}/${target.repo}`;
  const repoConfig = pickConfig(name, repository.repoConfigYml, repository.repoConfigYaml, warnings);
  const orgConfig =
    data.orgBase === null
      ? undefined
      : pickConfig(`${target.owner}/.github`, data.orgBase.configYml, data.orgBase.configYaml, warnings);
  const head = pickConfig(name, repository.headConfigYml, repository.headConfigYaml, warnings);
  const headConfig =
    head !== undefined && (head.text !== repoConfig?.text || head.source !== repoConfig.source)
      ? { source: `${head.source} (at ${target.headSha.slice(0, 7)})`, text: head.text }
      : undefined;

  let commits: CommitInfo[] | undefined;
  let changedFiles: ChangedFiles | undefined;
  if (change.kind === 'pull_request') {
    const page = repository.pullRequest?.commits;
    if (page === undefined) {
      throw new GitHubReadError(
        `GitHub could not find pull request #${change.number} in ${name}.`,
        'POST /graphql OpenlyContext',
        404,
      );
    }
    commits = await pullRequestCommits(octokit, target, change.number, page, warnings);
    changedFiles = pullRequestFiles(change.number, repository.pullRequest?.files);
  } else if (change.kind === 'push') {
    changedFiles = pushedFiles(change.files);
    if (newBranch) {
      const commit = repository.head;
      commits = commit?.oid === undefined ? [] : [commitFromGraphql(commit as GraphqlCommit)];
    } else {
      commits = await pushCommits(octokit, target, change.before, change.after, warnings);
    }
  }

  // Each suite answers its latest run of the name; ids only grow, so the highest is the newest across suites.
  const lastCheckRun = (repository.head?.checkSuites?.nodes ?? [])
    .flatMap((suite) => suite?.checkRuns?.nodes ?? [])
    .filter((run): run is CheckRunNode & { databaseId: number } => typeof run?.databaseId === 'number')
    .reduce<(CheckRunNode & { databaseId: number }) | undefined>(
      (newest, run) => (newest === undefined || run.databaseId > newest.databaseId ? run : newest),
      undefined,
    );

  return {
    paths: [...listing.sizes.keys()].sort(),
    sizes: listing.sizes,
    ...(repoConfig === undefined ? {} : { repoConfig }),
    ...(orgConfig === undefined ? {} : { orgConfig }),
    ...(headConfig === undefined ? {} : { headConfig }),
    ...(commits === undefined ? {} : { commits }),
    ...(changedFiles === undefined ? {} : { changedFiles }),
    ...(lastCheckRun === undefined
      ? {}
      : {
          lastCheckRun: {
            id: lastCheckRun.databaseId,
            completed: lastCheckRun.status === 'COMPLETED',
            externalId: lastCheckRun.externalId ?? '',
          },
        }),
    warnings,
  };
}

// -------------------------------------------------------------------------------------------------------- files

/** The batched files query for `count` paths: aliases generated, the fragment and every path static or a variable. */
export function filesQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$e${i}: String!`).join(', ');
  const aliases = Array.from(
    { length: count },
    (_, i) => `    f${i}: object(expression: $e${i}) {\n      ...FileBlob\n    }\n`,
  ).join('');
  return (
    `query OpenlyFiles($owner: String!, $repo: String!, ${variables}) {\n` +
    `  repository(owner: $owner, name: $repo) {\n${aliases}  }\n}\n\n${FILE_BLOB_FRAGMENT}`
  );
}

function batches(paths: readonly string[], sizes: ReadonlyMap<string, number>): string[][] {
  const out: string[][] = [];
  let batch: string[] = [];
  let bytes = 0;
  for (const path of paths) {
    const size = sizes.get(path) ?? 0;
    if (batch.length > 0 && (batch.length >= FILES_PER_QUERY || bytes + size > BYTES_PER_QUERY)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(path);
    bytes += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/**
 * The contents of the wanted files at the head commit, up to 250 a request. A string is text; a Uint8Array stands
 * for a binary file (zeros, of its size); `undefined` marks a file too large to read through the API (over 1 MiB by
 * the tree, or cut short by GitHub). Paths not in the tree are left out.
 */
export async function fetchFiles(
  octokit: GitHubOctokit,
  target: GitHubTarget,
  paths: readonly string[],
  sizes: ReadonlyMap<string, number>,
): Promise<Map<string, string | Uint8Array | undefined>> {
  const files = new Map<string, string | Uint8Array | undefined>();
  const wanted: string[] = [];
  for (const path of new Set(paths)) {
    const size = sizes.get(path);
    if (size === undefined) continue;
    if (size > MAX_TEXT_BYTES) files.set(path, undefined);
    else wanted.push(path);
  }
  for (const batch of batches(wanted, sizes)) {
    const variables: Record<string, string> = { owner: target.owner, repo: target.repo };
    batch.forEach((path, i) => (variables[`e${i}`] = `${target.headSha}:${path}`));
    const data = await guarded('POST /graphql OpenlyFiles', () =>
      octokit.graphql<{ repository: Record<string, Blob | null> | null }>(
        filesQuery(batch.length),
        variables,
      ),
    );
    batch.forEach((path, i) => {
      const blob = data.repository?.[`f${i}`];
      if (blob === null || blob === undefined || blob.byteSize === undefined) return;
      if (blob.isTruncated === true) files.set(path, undefined);
      else if (blob.isBinary === true || typeof blob.text !== 'string')
        files.set(path, new Uint8Array(blob.byteSize));
      else files.set(path, blob.text);
    });
  }
  return files;
}

// ----------------------------------------------------------------------------------------------------- snapshot

/** Extensions of files that are never text: an unfetched one does not make a grep incomplete. */
const BINARY_EXTENSIONS =
  /\.(png|jpe?g|gif|webp|ico|bmp|tiff?|pdf|zip|gz|tgz|bz2|xz|7z|jar|war|class|woff2?|ttf|otf|eot|mp[34]|mov|avi|webm|wav|ogg|exe|dll|so|dylib|bin|pyc|docx?|xlsx?|pptx?|odt|ods|odp)$/i;

class GitHubSnapshot implements RepoSnapshot {
  readonly name: string;
  readonly head: string;
  readonly repository?: RepositoryFacts;
  readonly #fetched: MemorySnapshot;
  readonly #context: GitHubContext;
  readonly #files: ReadonlyMap<string, string | Uint8Array | undefined>;
  readonly #all: Set<string>;

  constructor(
    context: GitHubContext,
    files: ReadonlyMap<string, string | Uint8Array | undefined>,
    target: GitHubTarget,
  ) {
    this.name = `${target.owner}/${target.repo}`;
    this.head = target.headSha;
    if (target.facts !== undefined) this.repository = target.facts;
    this.#context = context;
    this.#files = files;
    this.#all = new Set(context.paths);
    const fetched: Record<string, string | Uint8Array> = {};
    for (const [path, content] of files) if (content !== undefined) fetched[path] = content;
    this.#fetched = new MemorySnapshot(fetched, { name: this.name, head: this.head });
  }

  files(): readonly string[] {
    return this.#context.paths;
  }

  has(path: string): boolean {
    return this.#all.has(path);
  }

  read(path: string): FileContent {
    if (!this.#all.has(path)) return { kind: 'missing' };
    const size = this.#context.sizes.get(path) ?? 0;
    if (size > MAX_TEXT_BYTES || (this.#files.has(path) && this.#files.get(path) === undefined)) {
      return { kind: 'too-large', size };
    }
    if (!this.#files.has(path)) return { kind: 'unavailable', reason: 'not fetched from GitHub' };
    return this.#fetched.read(path);
  }

  grep(needle: string, options?: { maxLines?: number }): GrepResult {
    const result = this.#fetched.grep(needle, options);
    const unread = this.#context.paths.some(
      (path) => !this.#fetched.has(path) && !BINARY_EXTENSIONS.test(path),
    );
    return { matches: result.matches, complete: result.complete && !unread };
  }

  commits(): readonly CommitInfo[] | undefined {
    return this.#context.commits;
  }

  changedFiles(): ChangedFiles | undefined {
    return this.#context.changedFiles;
  }
}

/** The repository at the head commit as checks see it: every path, the fetched files, the change's commits. */
export function gitHubSnapshot(
  context: GitHubContext,
  files: ReadonlyMap<string, string | Uint8Array | undefined>,
  target: GitHubTarget,
): RepoSnapshot {
  return new GitHubSnapshot(context, files, target);
}
