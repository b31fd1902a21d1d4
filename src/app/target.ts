import type { GitHubTarget } from '../sources/github-context.js';
import { repositoryFacts } from '../sources/repository-facts.js';
import { CHECK_NAME } from './permissions.js';

/** The parts of a webhook payload the App reads; each is checked at run time, since payloads are input. */
interface RepositoryPayload {
  repository?: {
    name?: unknown;
    default_branch?: unknown;
    owner?: { login?: unknown } | null;
    visibility?: unknown;
    archived?: unknown;
    pushed_at?: unknown;
  } | null;
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function base(payload: RepositoryPayload, headSha: unknown, appId: number | undefined) {
  const owner = text(payload.repository?.owner?.login);
  const repo = text(payload.repository?.name);
  const defaultBranch = text(payload.repository?.default_branch);
  const sha = text(headSha);
  if (owner === undefined || repo === undefined || defaultBranch === undefined || sha === undefined) {
    return undefined;
  }
  const facts = repositoryFacts(payload.repository);
  return {
    owner,
    repo,
    ...(facts === undefined ? {} : { facts }),
    headSha: sha,
    defaultBranch,
    checkName: CHECK_NAME,
    ...(appId === undefined ? {} : { appId }),
  };
}

/** The first pull request of a check suite or run that belongs to this repository (forks' are not listed). */
function pullRequestNumber(list: unknown): number | undefined {
  if (!Array.isArray(list)) return undefined;
  const first: unknown = list[0];
  return isMapping(first) && typeof first.number === 'number' ? first.number : undefined;
}

function changeOf(number: number | undefined): GitHubTarget['change'] {
  return number === undefined ? { kind: 'none' } : { kind: 'pull_request', number };
}

export function pullRequestTarget(payload: Mapping, appId?: number): GitHubTarget | undefined {
  const pr = payload.pull_request;
  if (!isMapping(pr) || typeof pr.number !== 'number' || !isMapping(pr.head)) return undefined;
  const common = base(payload, pr.head.sha, appId);
  return common && { ...common, change: { kind: 'pull_request', number: pr.number } };
}

export function checkSuiteTarget(payload: Mapping, appId?: number): GitHubTarget | undefined {
  const suite = payload.check_suite;
  if (!isMapping(suite)) return undefined;
  const common = base(payload, suite.head_sha, appId);
  return common && { ...common, change: changeOf(pullRequestNumber(suite.pull_requests)) };
}

export function checkRunTarget(payload: Mapping, appId?: number): GitHubTarget | undefined {
  const run = payload.check_run;
  if (!isMapping(run)) return undefined;
  const common = base(payload, run.head_sha, appId);
  return common && { ...common, change: changeOf(pullRequestNumber(run.pull_requests)) };
}

const ZERO_SHA = /^0+$/;

/** A push to the default branch; anything else (other branches, tags, a deleted branch) is not judged. */
export function pushTarget(payload: Mapping, appId?: number): GitHubTarget | undefined {
  const common = base(payload, payload.after, appId);
  if (common === undefined || payload.deleted === true || ZERO_SHA.test(common.headSha)) return undefined;
  if (payload.ref !== `refs/heads/${common.defaultBranch}`) return undefined;
  const before = text(payload.before) ?? '0000000000000000000000000000000000000000';
  const files = pushedFiles(payload.commits);
  return {
    ...common,
    change: { kind: 'push', before, after: common.headSha, ...(files === undefined ? {} : { files }) },
  };
}

/** GitHub lists at most this many commits in a push payload. */
const PAYLOAD_COMMITS = 2048;

/** The files each pushed commit added or modified, from the payload; undefined when it lists none readable. */
function pushedFiles(
  commits: unknown,
): { commits: { sha: string; paths: string[] }[]; complete: boolean } | undefined {
  if (!Array.isArray(commits)) return undefined;
  const read: { sha: string; paths: string[] }[] = [];
  for (const commit of commits as unknown[]) {
    if (!isMapping(commit)) return undefined;
    const sha = text(commit.id);
    if (sha === undefined || !Array.isArray(commit.added) || !Array.isArray(commit.modified))
      return undefined;
    const paths = [...(commit.added as unknown[]), ...(commit.modified as unknown[])].filter(
      (path): path is string => typeof path === 'string' && path !== '',
    );
    read.push({ sha, paths });
  }
  return { commits: read, complete: read.length < PAYLOAD_COMMITS };
}
