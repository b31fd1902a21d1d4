import { MAX_TEXT_BYTES, type BranchRules } from '../sources/snapshot.js';
import { ask, pace, type AskOptions, type RateLimitInfo } from './ask.js';
import { REPOSITORIES_QUERY } from './queries.js';

interface TreeEntryData {
  name: string;
  type: string;
  mode: number;
  size: number;
}

export interface TreeData {
  entries?: TreeEntryData[];
}

export interface BlobData {
  text?: string | null;
  isBinary?: boolean | null;
  byteSize?: number;
  isTruncated?: boolean;
}

/** A rule of an active ruleset on the default branch; only a pull-request rule's parameters are asked for. */
interface RuleNode {
  type: string;
  parameters: { requiredApprovingReviewCount?: number } | null;
}

/** The default branch's rules as the `OrgRepository` fragment brings them. */
interface BranchRuleData {
  refUpdateRule?: { requiresSignatures: boolean; requiredApprovingReviewCount: number | null } | null;
  rules?: { totalCount: number; nodes: (RuleNode | null)[] | null } | null;
}

/** A repository as the `OrgRepository` fragment brings it. */
export interface RepositoryNode {
  name: string;
  visibility: 'PUBLIC' | 'PRIVATE' | 'INTERNAL';
  isArchived: boolean;
  isFork: boolean;
  isEmpty: boolean;
  pushedAt: string | null;
  defaultBranchRef:
    ({ name: string; target: { oid: string; tree?: TreeData } | null } & BranchRuleData) | null;
  dotGithub: TreeData | null;
  docs: TreeData | null;
  licenses: TreeData | null;
}

interface ListingData {
  organization: {
    repositories: {
      totalCount?: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: (RepositoryNode | null)[] | null;
    };
  } | null;
  orgBase?: { configYml: BlobData | null; configYaml: BlobData | null } | null;
  rateLimit: RateLimitInfo | null;
}

/** A repository as listed: its state, and the files the audit can see (root, `.github/`, `docs/`, `LICENSES/`). */
export interface ListedRepository {
  name: string;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  fork: boolean;
  /** Null for an empty repository, which has no branch. */
  defaultBranch: string | null;
  /** The default branch's commit: every file is read at this commit. */
  head: string | null;
  pushedAt: string | null;
  /** Path → size in bytes, for every file in the folders listed. */
  sizes: Map<string, number>;
  /** Paths that are symbolic links: listed, never read (their blob is the target's name, not its text). */
  links: Set<string>;
  /** Folders seen in the folders listed, such as `docs/adr`: where artefact folders are looked for. */
  folders: Set<string>;
  /** Folders seen but not listed, below the depth one lookup lists (see `org/folders.ts`). */
  unlisted: Set<string>;
  /** What the default branch's rulesets and branch protection require; absent for an empty repository. */
  branchRules?: BranchRules;
}

export interface ListingPage {
  repositories: ListedRepository[];
  /** The organisation base's file, from the first request only: undefined when absent. */
  orgBase?: { path: string; blob: BlobData } | undefined;
  /** Whether this page came from the first request, the one that brings the organisation base. */
  first: boolean;
  /** The cursor after this page, to list on from; null after the last page. */
  next: string | null;
  /** How many repositories the organisation has, as GitHub counted them with this page. */
  total: number | undefined;
  rateLimit: RateLimitInfo | undefined;
}

/** Git's mode of a symbolic link (octal 120000). */
const SYMLINK_MODE = 0o120000;

/** Adds a listed folder's entries (`folder` is `''` or ends in `/`): its files, and its folders by name. */
export function addEntries(repo: ListedRepository, folder: string, tree: TreeData | null | undefined): void {
  for (const entry of tree?.entries ?? []) {
    if (entry.type === 'tree') repo.folders.add(folder + entry.name);
    if (entry.type !== 'blob') continue;
    const path = folder + entry.name;
    repo.sizes.set(path, entry.size);
    if (entry.mode === SYMLINK_MODE) repo.links.add(path);
  }
}

/**
 * What the default branch requires, from its active rulesets (the repository's and the organisation's) and its
 * classic branch protection: a requirement from either counts, the strictest number of approvals wins.
 */
export function branchRulesOf(ref: BranchRuleData): BranchRules {
  const rules: BranchRules = {
    signedCommits: false,
    pullRequests: false,
    approvals: 0,
    sources: [],
    complete: true,
  };
  const protection = ref.refUpdateRule;
  if (protection !== null && protection !== undefined) {
    rules.sources.push('branch-protection');
    rules.signedCommits = protection.requiresSignatures;
    if (protection.requiredApprovingReviewCount !== null) {
      rules.pullRequests = true;
      rules.approvals = protection.requiredApprovingReviewCount;
    }
  }
  const nodes = (ref.rules?.nodes ?? []).filter((node): node is RuleNode => node !== null);
  if (nodes.length > 0) rules.sources.push('ruleset');
  for (const node of nodes) {
    if (node.type === 'REQUIRED_SIGNATURES') rules.signedCommits = true;
    if (node.type === 'PULL_REQUEST') {
      rules.pullRequests = true;
      rules.approvals = Math.max(rules.approvals, node.parameters?.requiredApprovingReviewCount ?? 0);
    }
  }
  rules.complete = (ref.rules?.totalCount ?? 0) <= nodes.length;
  return rules;
}

/** A repository as the audit judges it, from the fragment's answer. */
export function listed(node: RepositoryNode): ListedRepository {
  const target = node.defaultBranchRef?.target ?? null;
  const repo: ListedRepository = {
    name: node.name,
    visibility: node.visibility.toLowerCase() as ListedRepository['visibility'],
    archived: node.isArchived,
    fork: node.isFork,
    defaultBranch: node.defaultBranchRef?.name ?? null,
    head: target?.oid ?? null,
    pushedAt: node.pushedAt,
    sizes: new Map(),
    links: new Set(),
    folders: new Set(),
    unlisted: new Set(),
    ...(node.defaultBranchRef === null ? {} : { branchRules: branchRulesOf(node.defaultBranchRef) }),
  };
  addEntries(repo, '', target?.tree);
  addEntries(repo, '.github/', node.dotGithub);
  addEntries(repo, 'docs/', node.docs);
  addEntries(repo, 'LICENSES/', node.licenses);
  return repo;
}

function orgBaseOf(data: ListingData): ListingPage['orgBase'] {
  const base = data.orgBase;
  if (base === undefined || base === null) return undefined;
  if (base.configYml?.byteSize !== undefined) return { path: '.github/openly.yml', blob: base.configYml };
  if (base.configYaml?.byteSize !== undefined) return { path: '.github/openly.yaml', blob: base.configYaml };
  return undefined;
}

/** Files larger than this are not worth a read: the snapshot reports them as too large. */
export function readable(repo: ListedRepository, path: string): boolean {
  const size = repo.sizes.get(path);
  return size !== undefined && size <= MAX_TEXT_BYTES && !repo.links.has(path);
}

/**
 * The organisation's repositories, a page of 100 per request, in name order, from the start or after `after` (a
 * resumed audit); the first request brings the organisation base configuration too. A missing `.github`
 * repository is no base, not a failure.
 */
export async function* listRepositories(
  options: AskOptions,
  org: string,
  after: string | null = null,
): AsyncGenerator<ListingPage> {
  let cursor: string | null = after;
  let first = true;
  for (;;) {
    const data: ListingData = await ask<ListingData>(
      options,
      org,
      REPOSITORIES_QUERY,
      { org, cursor, withBase: first },
      (partial, errors) =>
        errors.every((e) => e.type === 'NOT_FOUND' && e.path?.[0] === 'orgBase')
          ? (partial as ListingData)
          : undefined,
    );
    const repositories = data.organization?.repositories;
    if (repositories === undefined) return;
    const { hasNextPage, endCursor } = repositories.pageInfo;
    const next = hasNextPage ? endCursor : null;
    const page: ListingPage = {
      repositories: (repositories.nodes ?? []).filter((n): n is RepositoryNode => n !== null).map(listed),
      orgBase: first ? orgBaseOf(data) : undefined,
      first,
      next,
      total: repositories.totalCount,
      rateLimit: data.rateLimit ?? undefined,
    };
    yield page;
    first = false;
    if (next === null) return;
    cursor = next;
    await pace(options, page.rateLimit);
  }
}
