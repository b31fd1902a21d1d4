import { checks as registry, configOptions } from '../checks/index.js';
import {
  CONFIG_FILES,
  ConfigError,
  formatProblem,
  type ConfigOptions,
  type ConfigProblem,
} from '../config/load.js';
import type { AnyCheck } from '../core/check.js';
import { runChecks } from '../core/engine.js';
import type { CheckResult } from '../core/report.js';
import { VERSION } from '../core/version.js';
import type { AskOptions, RateLimitInfo } from './ask.js';
import { orgBaseProblems, orgBaseText, repositoryConfig, type ConfigText } from './config.js';
import { listRepositories, readable, type ListedRepository, type ListingPage } from './list.js';
import type { AuditOctokit } from './octokit.js';
import { readFiles, REPOSITORIES_PER_READ, type ReadFiles, type ReadRequest } from './read.js';
import { summariseAudit, type AuditCheckResult, type AuditedRepository, type AuditReport } from './report.js';
import { auditSnapshot } from './snapshot.js';
import { baseDigest, kept, type AuditStore, type Kept } from './store.js';

/** Checks judged from the default branch. The others are listed as skipped, with the reason. */
const FROM_DEFAULT_BRANCH = new Set(['licence', 'community-files', 'visibility']);

const NOT_FROM_DEFAULT_BRANCH: Record<string, string> = {
  artefacts:
    'The organisation audit reads the root, .github/, docs/ and LICENSES/ folders only, not the folders artefacts live in; the Openly App, the Action and `openly check` judge them.',
  'signed-commits':
    'It judges the commits a change brings; the organisation audit reads each default branch as it stands.',
};

export interface AuditOptions {
  octokit: AuditOctokit;
  org: string;
  /** Judge archived repositories too (listed as skipped by default). */
  includeArchived?: boolean;
  /** Judge forks too (listed as skipped by default). */
  includeForks?: boolean;
  /** Waits out rate limits; injected so that tests take no time. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /**
   * Told as repositories are judged, for a progress line: how many are done, how many are listed so far, and how
   * many the organisation has (GitHub's count, known from the first page).
   */
  onProgress?: (done: number, listed: number, total?: number) => void;
  onWait?: (ms: number, why: string) => void;
  /**
   * The `--out` folder's memory: the files kept by the last audit (a repository whose default branch has not moved
   * is not read again) and the progress of an interrupted one (which this audit continues).
   */
  store?: AuditStore;
  /** Told when the audit continues an interrupted one, or finds files it cannot use. */
  onNote?: (message: string) => void;
}

/** The organisation base configuration is invalid: no repository can be judged by it. */
export class OrgConfigError extends ConfigError {}

function skipReason(
  repo: ListedRepository,
  options: { includeArchived?: boolean; includeForks?: boolean },
): string | undefined {
  if (repo.archived && options.includeArchived !== true) return 'archived';
  if (repo.fork && options.includeForks !== true) return 'fork';
  if (repo.head === null) return 'empty: no default branch';
  return undefined;
}

function entry(repo: ListedRepository): Omit<AuditedRepository, 'status' | 'results'> {
  return {
    name: repo.name,
    visibility: repo.visibility,
    archived: repo.archived,
    fork: repo.fork,
    defaultBranch: repo.defaultBranch,
    pushedAt: repo.pushedAt,
  };
}

function resultOf(result: CheckResult): AuditCheckResult {
  return {
    check: result.check,
    status: result.status,
    ...(result.skipped === undefined ? {} : { skipped: result.skipped }),
    ...(result.error === undefined ? {} : { error: result.error }),
    findings: result.findings.map(({ check: _check, ...rest }) => rest),
  };
}

/** The files to read of one repository: what the checks run here want, and its configuration file. */
function wanted(repo: ListedRepository, checks: readonly AnyCheck[]): string[] {
  const paths = [...repo.sizes.keys()];
  const want = new Set<string>();
  for (const check of checks) {
    // The checks run here choose their files by name alone; their options do not change it.
    for (const path of check.wants?.(paths, undefined as never) ?? []) want.add(path);
  }
  for (const file of CONFIG_FILES) if (repo.sizes.has(file)) want.add(file);
  return [...want].filter((path) => readable(repo, path)).sort();
}

function configResult(problems: readonly ConfigProblem[]): AuditCheckResult {
  return {
    check: 'config',
    status: 'fail',
    findings: problems.map((p) => ({
      rule: 'config/invalid',
      severity: 'error' as const,
      message: formatProblem(p),
      fix: "Correct the file named (the repository's .github/openly.yml or the organisation base in <org>/.github); Openly does not fall back to its defaults.",
    })),
  };
}

async function judge(
  org: string,
  repo: ListedRepository,
  files: Map<string, string | Uint8Array | undefined>,
  base: ConfigText | undefined,
  run: readonly AnyCheck[],
  options: ConfigOptions,
  now: () => Date,
): Promise<AuditedRepository> {
  const configured = repositoryConfig(org, repo.name, files, base, options);
  if ('problems' in configured) {
    return { ...entry(repo), status: 'failing', results: [configResult(configured.problems)] };
  }
  const report = await runChecks({
    snapshot: auditSnapshot(org, repo, files),
    checks: run,
    config: configured.config,
    repositoryPath: `${org}/${repo.name}`,
    now,
  });
  const byId = new Map(report.results.map((r) => [r.check, resultOf(r)]));
  const results = registry.map(
    (check): AuditCheckResult =>
      byId.get(check.id) ?? {
        check: check.id,
        status: 'skip',
        skipped: NOT_FROM_DEFAULT_BRANCH[check.id] ?? 'The organisation audit does not run this check.',
        findings: [],
      },
  );
  return { ...entry(repo), status: report.summary.errors > 0 ? 'failing' : 'compliant', results };
}

/** What judging a batch of listed repositories needs besides the repositories. */
export interface BatchContext {
  ask: AskOptions;
  org: string;
  /** The organisation base configuration, from the first listing page. */
  base: ConfigText | undefined;
  includeArchived?: boolean;
  includeForks?: boolean;
  now: () => Date;
  /** A repository's files as an earlier audit read them at the same commit: judged again without a read. */
  recall?: (repo: ListedRepository) => ReadFiles | undefined;
  /** Told of every repository's files, read or recalled, for the next audit to recall. */
  keep?: (repo: ListedRepository, files: ReadFiles) => void;
}

/**
 * Judges a batch of listed repositories: the batched reads of the files the checks want, then the checks, in
 * the batch's order. The unit of work of an audit, in-process or on a queue worker.
 */
export async function judgeBatch(
  context: BatchContext,
  batch: readonly ListedRepository[],
  rateLimit?: RateLimitInfo,
): Promise<AuditedRepository[]> {
  const { org, base, now } = context;
  const run = registry.filter((check) => FROM_DEFAULT_BRANCH.has(check.id));
  const loading = configOptions();
  const requests: ReadRequest[] = [];
  const recalled = new Map<string, ReadFiles>();
  for (const repo of batch) {
    if (skipReason(repo, context) !== undefined) continue;
    const earlier = context.recall?.(repo);
    if (earlier === undefined) requests.push({ repo, paths: wanted(repo, run) });
    else recalled.set(repo.name, earlier);
  }
  const read = await readFiles(context.ask, org, requests, rateLimit);
  const judged: AuditedRepository[] = [];
  for (const repo of batch) {
    const reason = skipReason(repo, context);
    const failed = read.failed.get(repo.name);
    if (reason !== undefined) {
      judged.push({ ...entry(repo), status: 'skipped', reason, results: [] });
    } else if (failed !== undefined) {
      judged.push({ ...entry(repo), status: 'failing', reason: failed, results: [] });
    } else {
      const files =
        recalled.get(repo.name) ??
        read.files.get(repo.name) ??
        new Map<string, string | Uint8Array | undefined>();
      context.keep?.(repo, files);
      judged.push(await judge(org, repo, files, base, run, loading, now));
    }
  }
  return judged;
}

/**
 * With files kept from the last audit, listed repositories wait to be judged until enough of them need a read to
 * fill a read request (or this many are waiting, which bounds memory and how much an interruption loses): a re-run
 * where one repository in twenty was pushed then makes one read per 1,000 repositories, not one per page.
 */
const MOST_WAITING = 1000;

/** The organisation base from a listing page, or why no repository can be judged by it. */
export function baseOf(org: string, page: ListingPage): ConfigText | undefined {
  if (page.orgBase === undefined) return undefined;
  const text = orgBaseText(org, page.orgBase);
  const problems =
    text === undefined
      ? []
      : 'text' in text
        ? orgBaseProblems(org, text, configOptions().knownRules)
        : [text];
  if (problems.length > 0) throw new OrgConfigError(problems);
  return text as ConfigText | undefined;
}

/**
 * Audits every repository of an organisation from its default branch: a listing request per 100 repositories
 * (with the organisation base), then batched reads of the files the checks want, many repositories a request.
 * Each page is judged before the next is listed, so memory holds one page's files at a time.
 */
export async function auditOrganisation(options: AuditOptions): Promise<AuditReport> {
  const now = options.now ?? (() => new Date());
  const ask: AskOptions = {
    octokit: options.octokit,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now,
    ...(options.onWait === undefined ? {} : { onWait: options.onWait }),
  };
  const { org, store } = options;
  const settings = {
    organisation: org,
    version: VERSION,
    includeArchived: options.includeArchived === true,
    includeForks: options.includeForks === true,
  };
  let resumed = store?.resume(settings);
  let auditedAt = resumed?.auditedAt ?? now().toISOString();
  let repositories: AuditedRepository[] = [...(resumed?.repositories ?? [])];
  let pageKept = new Map<string, Kept>();
  const context: BatchContext = {
    ask,
    org,
    base: undefined,
    now,
    ...(options.includeArchived === undefined ? {} : { includeArchived: options.includeArchived }),
    ...(options.includeForks === undefined ? {} : { includeForks: options.includeForks }),
    ...(store === undefined
      ? {}
      : {
          recall: (repo: ListedRepository) => store.recall(repo),
          keep: (repo: ListedRepository, files: ReadFiles) => {
            const entry = kept(repo, files);
            if (entry !== undefined) pageKept.set(repo.name, entry);
          },
        }),
  };
  let listed = repositories.length;
  let base = 'none';
  let waiting: ListedRepository[] = [];
  let toRead = 0;
  let next: string | null = null;
  let rateLimit: RateLimitInfo | undefined;
  let total: number | undefined;

  const judgeWaiting = async () => {
    if (waiting.length === 0) return;
    pageKept = new Map();
    const judged = await judgeBatch(context, waiting, rateLimit);
    for (const repo of judged) {
      repositories.push(repo);
      options.onProgress?.(repositories.length, listed, total);
    }
    store?.savePage(next, judged, pageKept);
    waiting = [];
    toRead = 0;
  };

  for (let restart = true; restart;) {
    restart = false;
    for await (const page of listRepositories(ask, org, resumed?.next ?? null)) {
      if (page.first) {
        context.base = baseOf(org, page);
        base = baseDigest(context.base);
        if (resumed !== undefined && resumed.base !== base) {
          // Verdicts judged by another base would mix two policies in one report.
          store?.abandon('was judged by another organisation base');
          resumed = undefined;
          auditedAt = now().toISOString();
          repositories = [];
          listed = 0;
          restart = true;
          break;
        }
        if (resumed !== undefined) {
          const last = repositories[repositories.length - 1]?.name ?? '';
          options.onNote?.(
            `resuming the audit of ${org} started ${auditedAt}: ${repositories.length} repositories were judged, up to ${last}; continuing after ${last}`,
          );
        }
        store?.begin(settings, base, auditedAt, resumed !== undefined);
      }
      listed += page.repositories.length;
      waiting.push(...page.repositories);
      next = page.next;
      rateLimit = page.rateLimit;
      total = page.total;
      for (const repo of page.repositories) {
        if (skipReason(repo, context) === undefined && store?.unchanged(repo) !== true) toRead++;
      }
      if (store?.remembers !== true || toRead >= REPOSITORIES_PER_READ || waiting.length >= MOST_WAITING)
        await judgeWaiting();
    }
  }
  await judgeWaiting();
  store?.finish(base, now().toISOString());

  return {
    tool: 'openly',
    version: VERSION,
    organisation: org,
    auditedAt,
    summary: summariseAudit(repositories),
    repositories,
  };
}
