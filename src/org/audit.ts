import { checks as registry, configOptions } from '../checks/index.js';
import { CONFIG_FILES, ConfigError, formatProblem, type ConfigProblem } from '../config/load.js';
import { SECRETLINT_IGNORE } from '../checks/secrets/index.js';
import type { AnyCheck } from '../core/check.js';
import { runChecks } from '../core/engine.js';
import type { CheckResult } from '../core/report.js';
import { VERSION } from '../core/version.js';
import type { AskOptions, RateLimitInfo } from './ask.js';
import type { ArtefactsOptions } from '../config/types.js';
import {
  orgBaseProblems,
  orgBaseText,
  repositoryConfig,
  type ConfigText,
  type RepositoryConfig,
} from './config.js';
import { artefactGlobs, foldersToList, listFolders, type FolderRequest } from './folders.js';
import { listRepositories, readable, type ListedRepository, type ListingPage } from './list.js';
import type { AuditOctokit } from './octokit.js';
import { readFiles, REPOSITORIES_PER_READ, type ReadRequest } from './read.js';
import { summariseAudit, type AuditCheckResult, type AuditedRepository, type AuditReport } from './report.js';
import { auditSnapshot } from './snapshot.js';
import { baseDigest, kept, type AuditStore, type Kept, type KeptRepository } from './store.js';

/** Checks judged from the default branch. The others are listed as skipped, with the reason. */
const FROM_DEFAULT_BRANCH = new Set([
  'licence',
  'community-files',
  'artefacts',
  'visibility',
  'branch-rules',
  'secrets',
]);

/**
 * The most artefact files, and bytes, the audit reads of one repository: past them its artefacts are left to the
 * App, the Action and `openly check`, so that one repository of 5,000 weeknotes does not spend the organisation's
 * request budget (the target is one read request per 20 repositories).
 */
export const ARTEFACT_FILES_PER_REPOSITORY = 150;
export const ARTEFACT_BYTES_PER_REPOSITORY = 2 * 1024 * 1024;

const NOT_FROM_DEFAULT_BRANCH: Record<string, string> = {
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

/**
 * The files to read of one repository: what the checks run here want, and its configuration file. The artefacts
 * check is given its options (the usual places when they are not known yet); the others choose by name alone.
 */
function wanted(
  repo: ListedRepository,
  checks: readonly AnyCheck[],
  artefacts: ArtefactsOptions | undefined,
): { paths: string[]; tooMany?: string } {
  const paths = [...repo.sizes.keys()];
  const want = new Set<string>();
  let tooMany: string | undefined;
  for (const check of checks) {
    if (check.id === 'secrets') {
      // The secrets check scans what the others read, at no further request; its allow-list rides along so that
      // a fixture it names is not reported here when `openly check` passes it.
      if (repo.sizes.has(SECRETLINT_IGNORE)) want.add(SECRETLINT_IGNORE);
      continue;
    }
    const asked = check.wants?.(paths, (check.id === 'artefacts' ? artefacts : undefined) as never) ?? [];
    if (check.id === 'artefacts') {
      const own = asked.filter(
        (path) => readable(repo, path) && !(CONFIG_FILES as readonly string[]).includes(path),
      );
      const bytes = own.reduce((sum, path) => sum + (repo.sizes.get(path) ?? 0), 0);
      if (own.length > ARTEFACT_FILES_PER_REPOSITORY || bytes > ARTEFACT_BYTES_PER_REPOSITORY) {
        tooMany = `This repository has ${own.length} artefact files (${Math.ceil(bytes / 1024)} KiB); the organisation audit reads at most ${ARTEFACT_FILES_PER_REPOSITORY} files or ${ARTEFACT_BYTES_PER_REPOSITORY / 1024 / 1024} MiB of artefacts per repository, to keep within GitHub's request budget. The Openly App, the Action and \`openly check\` judge them all.`;
        continue;
      }
    }
    for (const path of asked) want.add(path);
  }
  for (const file of CONFIG_FILES) if (repo.sizes.has(file)) want.add(file);
  return {
    paths: [...want].filter((path) => readable(repo, path)).sort(),
    ...(tooMany === undefined ? {} : { tooMany }),
  };
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

/**
 * The secrets check as the audit runs it: over the texts read for the other checks only. Its result says so, and so
 * does each finding, so that a pass is never taken for a scan of the whole tree and its history.
 */
function scoped(result: AuditCheckResult): AuditCheckResult {
  if (result.status === 'skip' || result.status === 'error') return result;
  return {
    ...result,
    note: SCOPE,
    findings: result.findings.map((finding) => ({
      ...finding,
      message: `${finding.message} ${SCAN_ALL_SHORT}`,
    })),
  };
}

const SCOPE =
  'The organisation audit scanned only the files it reads of each repository (licence, community, configuration and artefact files of the default branch), not the rest of the tree nor the history. `openly check --range HEAD` in a full clone scans every file and every commit of the history; the Openly Action scans every file, and the commits each push or pull request brings.';
const SCAN_ALL_SHORT =
  '(The organisation audit scans only the files it reads: `openly check --range HEAD` in a clone scans every file and the history.)';

async function judge(
  org: string,
  repo: ListedRepository,
  files: Map<string, string | Uint8Array | undefined>,
  configured: RepositoryConfig,
  run: readonly AnyCheck[],
  skipped: ReadonlyMap<string, string>,
  now: () => Date,
): Promise<AuditedRepository> {
  if ('problems' in configured) {
    return { ...entry(repo), status: 'failing', results: [configResult(configured.problems)] };
  }
  const report = await runChecks({
    snapshot: auditSnapshot(org, repo, files),
    checks: run.filter((check) => !skipped.has(check.id)),
    config: configured.config,
    repositoryPath: `${org}/${repo.name}`,
    now,
  });
  const byId = new Map(report.results.map((r) => [r.check, resultOf(r)]));
  const secrets = byId.get('secrets');
  if (secrets !== undefined) byId.set('secrets', scoped(secrets));
  const results = registry.map(
    (check): AuditCheckResult =>
      byId.get(check.id) ?? {
        check: check.id,
        status: 'skip',
        skipped:
          skipped.get(check.id) ??
          NOT_FROM_DEFAULT_BRANCH[check.id] ??
          'The organisation audit does not run this check.',
        findings: [],
      },
  );
  return { ...entry(repo), status: report.summary.errors > 0 ? 'failing' : 'compliant', results };
}

/**
 * Whether what was read of a repository may hold a credential, so is not kept in `.openly`: the secrets check found
 * one, or an invalid configuration stopped every check, the secrets check with them.
 */
function holdsSecret(verdict: AuditedRepository): boolean {
  return verdict.results.some(
    (result) =>
      (result.check === 'secrets' && result.findings.length > 0) ||
      (result.check === 'config' && result.status === 'fail'),
  );
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
  /** A repository as an earlier audit read it at the same commit: judged again without a read. */
  recall?: (repo: ListedRepository) => KeptRepository | undefined;
  /** Told of every repository judged, read or recalled, for the next audit to recall. */
  keep?: (repo: ListedRepository, record: KeptRepository) => void;
}

/** Why the audit leaves a repository's artefacts alone: a place that would need its whole tree walked. */
function wholeTreeReason(glob: string): string {
  return `The artefact path "${glob}" can match files anywhere in the repository, and the organisation audit does not walk whole trees (it lists the folders artefacts live in); the Openly App, the Action and \`openly check\` judge them.`;
}

/** What the next audit keeps of a repository: its files, its tree as listed deeper, and the checks skipped. */
function pack(item: Pending): KeptRepository {
  return { files: new Map(item.files), tree: item.repo, skipped: new Map(item.skipped) };
}

function unpack(item: Pending, kept: KeptRepository): void {
  for (const [path, content] of kept.files) item.files.set(path, content);
  for (const [file, size] of kept.tree.sizes) item.repo.sizes.set(file, size);
  for (const link of kept.tree.links) item.repo.links.add(link);
  for (const folder of kept.tree.folders) item.repo.folders.add(folder);
  for (const folder of kept.tree.unlisted) item.repo.unlisted.add(folder);
  for (const [check, why] of kept.skipped) item.skipped.set(check, why);
}

/** A repository of the batch on its way to being judged. */
interface Pending {
  repo: ListedRepository;
  files: Map<string, string | Uint8Array | undefined>;
  /** Folders listed deep and files asked for, so that a second look does not ask for them again. */
  listed: Set<string>;
  read: Set<string>;
  /** Check id → why it is skipped for this repository. */
  skipped: Map<string, string>;
  configured?: RepositoryConfig;
}

/**
 * Lists the artefact folders each repository needs (only where its listing shows them), then reads the files the
 * checks want that were not read yet. Run once with the usual places, and again for repositories whose own
 * configuration names other places.
 */
async function gather(
  context: BatchContext,
  pending: readonly Pending[],
  run: readonly AnyCheck[],
  artefactsOf: (item: Pending) => ArtefactsOptions | undefined,
  failed: Map<string, string>,
  rateLimit: RateLimitInfo | undefined,
): Promise<RateLimitInfo | undefined> {
  const folders: FolderRequest[] = [];
  for (const item of pending) {
    if (item.skipped.has('artefacts')) continue;
    const plan = foldersToList(item.repo, artefactGlobs(artefactsOf(item)), item.listed);
    if (plan.wholeTree !== undefined) item.skipped.set('artefacts', wholeTreeReason(plan.wholeTree));
    else if (plan.folders.length > 0) {
      folders.push({ repo: item.repo, folders: plan.folders });
      for (const folder of plan.folders) item.listed.add(folder);
    }
  }
  const listing = await listFolders(context.ask, context.org, folders, rateLimit);
  for (const [name, reason] of listing.failed) failed.set(name, reason);
  const reads: ReadRequest[] = [];
  for (const item of pending) {
    if (failed.has(item.repo.name)) continue;
    const checks = item.skipped.has('artefacts') ? run.filter((check) => check.id !== 'artefacts') : run;
    const want = wanted(item.repo, checks, artefactsOf(item));
    if (want.tooMany !== undefined) item.skipped.set('artefacts', want.tooMany);
    const paths = want.paths.filter((path) => !item.read.has(path));
    if (paths.length > 0) reads.push({ repo: item.repo, paths });
  }
  const read = await readFiles(context.ask, context.org, reads, listing.rateLimit);
  for (const [name, reason] of read.failed) failed.set(name, reason);
  for (const item of pending) {
    for (const [path, content] of read.files.get(item.repo.name) ?? []) item.files.set(path, content);
    for (const request of reads)
      if (request.repo === item.repo) for (const path of request.paths) item.read.add(path);
  }
  return read.rateLimit;
}

/**
 * Judges a batch of listed repositories: the artefact folders listed and the files the checks want read, batched
 * across repositories, then the checks, in the batch's order. The unit of work of an audit, in-process or on a
 * queue worker.
 */
export async function judgeBatch(
  context: BatchContext,
  batch: readonly ListedRepository[],
  rateLimit?: RateLimitInfo,
): Promise<AuditedRepository[]> {
  const { org, base, now } = context;
  const run = registry.filter((check) => FROM_DEFAULT_BRANCH.has(check.id));
  const loading = configOptions();
  const failed = new Map<string, string>();
  const pending: Pending[] = [];
  const recalled = new Set<string>();
  for (const repo of batch) {
    if (skipReason(repo, context) !== undefined) continue;
    const item: Pending = { repo, files: new Map(), listed: new Set(), skipped: new Map(), read: new Set() };
    const earlier = context.recall?.(repo);
    if (earlier !== undefined) {
      unpack(item, earlier);
      recalled.add(repo.name);
    }
    pending.push(item);
  }
  const fresh = pending.filter((item) => !recalled.has(item.repo.name));

  // First the usual places, before any configuration is read: most repositories need no more. A repository
  // recalled from the last audit at the same commit is neither listed nor read again.
  const limit = await gather(context, fresh, run, () => undefined, failed, rateLimit);
  const again: Pending[] = [];
  for (const item of pending) {
    if (failed.has(item.repo.name)) continue;
    item.configured = repositoryConfig(org, item.repo.name, item.files, base, loading);
    if (recalled.has(item.repo.name)) continue;
    if ('config' in item.configured && item.configured.config.levels.artefacts !== 'off') {
      const options = item.configured.config.options.artefacts as ArtefactsOptions | undefined;
      if (options !== undefined && (options.files.length > 0 || !options.detect)) again.push(item);
    }
  }
  // Then the places a repository's own configuration (or the organisation's) names.
  await gather(
    context,
    again,
    run,
    (item) =>
      item.configured !== undefined && 'config' in item.configured
        ? (item.configured.config.options.artefacts as ArtefactsOptions)
        : undefined,
    failed,
    limit,
  );

  const byName = new Map(pending.map((item) => [item.repo.name, item]));
  const judged: AuditedRepository[] = [];
  for (const repo of batch) {
    const reason = skipReason(repo, context);
    const item = byName.get(repo.name);
    const failure = failed.get(repo.name);
    if (reason !== undefined || item === undefined) {
      judged.push({ ...entry(repo), status: 'skipped', reason: reason ?? 'not judged', results: [] });
    } else if (failure !== undefined) {
      judged.push({ ...entry(repo), status: 'failing', reason: failure, results: [] });
    } else {
      const configured = item.configured ?? repositoryConfig(org, repo.name, item.files, base, loading);
      const verdict = await judge(org, repo, item.files, configured, run, item.skipped, now);
      // Texts holding a credential are not written to the `--out` folder's memory (which may be published with
      // the dashboard): such a repository is read again by the next audit, which then judges it the same.
      if (!holdsSecret(verdict)) context.keep?.(repo, pack(item));
      judged.push(verdict);
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
          keep: (repo: ListedRepository, record: KeptRepository) => {
            const entry = kept(repo, record);
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
