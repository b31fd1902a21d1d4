import {
  CheckTimeout,
  seconds,
  type AnyCheck,
  type CheckContext,
  type CheckOutput,
  type DraftFinding,
  type Finding,
  type Level,
  type Logger,
  type Severity,
} from './check.js';
import { reportOf, statusOf, type CheckResult, type Report } from './report.js';
import type { RepoSnapshot } from '../sources/snapshot.js';
import { delegate } from './snapshot-view.js';
import { withoutExcluded } from './excluded.js';
import { unreadableNotices } from './unreadable.js';

/**
 * What the engine reads of a configuration. config/ resolves one from the files (its ResolvedConfig has these
 * fields and more); the core names only what it uses, so that it needs nothing from the layers above it.
 */
export interface Policy {
  /** Check id → level; a check missing here runs at `error`. */
  levels: Record<string, 'error' | 'warning' | 'off'>;
  /** Check id → that check's options. */
  options: Record<string, unknown>;
  /** Rule id → level, from the configuration (rule defaults live with the checks). */
  rules: Record<string, Level>;
  /** Path globs of files no check sees. */
  exclude?: string[];
}

export interface EngineOptions {
  snapshot: RepoSnapshot;
  checks: readonly AnyCheck[];
  config: Policy;
  /** The path or name the report shows for the repository; defaults to the snapshot's name. */
  repositoryPath?: string;
  now?: () => Date;
  logger?: Logger;
  /**
   * How long one check may run, in milliseconds, before it is stopped and reported as an `error` (default
   * DEFAULT_CHECK_BUDGET_MS). A door may change it; users cannot, so a repository cannot lift it.
   */
  budgetMs?: number;
  /** The clock the budget is measured on, in milliseconds (default: this process's CPU time); for tests. */
  clock?: () => number;
}

/**
 * The CPU time this process has used, in milliseconds. The budget is for work, not waiting: on a machine busy
 * with other jobs a check's wall time can grow tenfold (the 50,000-file benchmark's artefact check took over 20 s
 * of wall time at a load average of 19 on 2 cores) while the work it does stays the same.
 */
function cpuClock(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** How many checkpoints pass between readings of the clock, which costs a system call. */
const CHECKPOINT_STRIDE = 64;

/**
 * What one check may take. Far above any real repository's need (the 50,000-file benchmark judges everything in
 * under 2 s), it bounds what a hostile repository can cost the App, which judges a whole organisation.
 */
export const DEFAULT_CHECK_BUDGET_MS = 20_000;

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const ORDER: Record<Severity, number> = { notice: 0, warning: 1, error: 2 };

/** The level a rule runs at: the configuration's word, else the check's default for it. */
export function ruleLevel(check: AnyCheck, config: Policy, rule: string): Level | undefined {
  return config.rules[rule] ?? check.rules[rule]?.level;
}

/** Applies configuration to a check's draft findings: rule levels, then the check's cap. */
export function finalise(check: AnyCheck, config: Policy, drafts: readonly DraftFinding[]): Finding[] {
  const cap = config.levels[check.id] ?? 'error';
  const findings: Finding[] = [];
  for (const draft of drafts) {
    const configured = config.rules[draft.rule];
    if (configured === 'off') continue;
    const fallback = check.rules[draft.rule]?.level;
    if (configured === undefined && fallback === 'off') continue;
    let severity: Severity =
      configured ?? draft.severity ?? (fallback === undefined || fallback === 'off' ? 'error' : fallback);
    if (cap === 'warning' && ORDER[severity] > ORDER.warning) severity = 'warning';
    findings.push({ ...draft, check: check.id, severity });
  }
  return findings;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The snapshot, noting in `seen` whether the check asked about its files at all. */
function watched(snapshot: RepoSnapshot, seen: { tree: boolean }): RepoSnapshot {
  const look = <T>(answer: () => T): T => {
    seen.tree = true;
    return answer();
  };
  // The commits and what they added are not the tree: a check that reads only them still reads no file.
  return delegate(snapshot, {
    files: (files) => () => look(files),
    has: (has) => (path) => look(() => has(path)),
    read: (read) => (path) => look(() => read(path)),
    grep: (grep) => (needle, grepOptions) => look(() => grep(needle, grepOptions)),
    filesContaining: (containing) => containing && ((needles) => look(() => containing(needles))),
    lastChanges: (lastChanges) => lastChanges && ((paths) => look(() => lastChanges(paths))),
    bytes: (bytes) => bytes && ((path) => look(() => bytes(path))),
  });
}

/**
 * The files the enabled checks will read, out of the commit's `paths`: a source that fetches files one by one
 * (the GitHub API) fetches these and no others.
 */
export function wantedFiles(checks: readonly AnyCheck[], config: Policy, paths: readonly string[]): string[] {
  const wanted = new Set<string>();
  for (const check of checks) {
    if (config.levels[check.id] === 'off' || check.wants === undefined) continue;
    for (const path of check.wants(paths, config.options[check.id] as never)) wanted.add(path);
  }
  return [...wanted];
}

/**
 * Runs every check against the snapshot. Each check is isolated: one that throws becomes an `error` result for
 * that check alone, and the others still report.
 */
export async function runChecks(options: EngineOptions): Promise<Report> {
  const { checks, config } = options;
  const snapshot = withoutExcluded(options.snapshot, config.exclude ?? []);
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const clock = options.clock ?? cpuClock;
  const budgetMs = options.budgetMs ?? DEFAULT_CHECK_BUDGET_MS;
  const results: CheckResult[] = [];
  const unreadable = options.snapshot.unreadableFolders?.() ?? [];

  for (const check of checks) {
    const level = config.levels[check.id] ?? 'error';
    if (level === 'off') {
      results.push({ check: check.id, title: check.title, status: 'skip', findings: [], durationMs: 0 });
      continue;
    }
    const started = performance.now();
    const seen = { tree: false };
    const deadline = clock() + budgetMs;
    let checkpoints = 0;
    const ctx: CheckContext<never> = {
      snapshot: unreadable.length === 0 ? snapshot : watched(snapshot, seen),
      options: config.options[check.id] as never,
      enabled: (rule) => ruleLevel(check, config, rule) !== 'off',
      now,
      checkpoint: () => {
        if (checkpoints++ % CHECKPOINT_STRIDE === 0 && clock() > deadline) throw new CheckTimeout(budgetMs);
      },
      logger,
    };
    try {
      const raw = await check.run(ctx);
      const output: CheckOutput = Array.isArray(raw) ? { findings: raw } : raw;
      const own = finalise(check, config, output.findings);
      const skipped = output.skipped !== undefined && own.length === 0 ? output.skipped : undefined;
      // A check that looked at the tree judged it without the unreadable folders: its result says so, and a clean
      // one is `warn`, not `pass`. Checks that never asked for a file (commits only) are left alone.
      const notices = seen.tree ? finalise(check, config, unreadableNotices(unreadable)) : [];
      const findings = [...own, ...notices];
      const status = skipped === undefined ? statusOf(findings) : 'skip';
      results.push({
        check: check.id,
        title: check.title,
        status: status === 'pass' && notices.length > 0 ? 'warn' : status,
        findings,
        ...(skipped === undefined ? {} : { skipped }),
        ...(output.data === undefined ? {} : { data: output.data }),
        durationMs: performance.now() - started,
      });
    } catch (error) {
      logger.error(`check ${check.id} failed: ${errorMessage(error)}`);
      results.push({
        check: check.id,
        title: check.title,
        status: 'error',
        findings: [],
        error:
          error instanceof CheckTimeout
            ? `The ${check.id} check stopped after ${seconds(error.budgetMs)}: it worked past the time one check may take, so it reports nothing; the other checks are not affected.`
            : `The ${check.id} check could not finish: ${errorMessage(error)}`,
        durationMs: performance.now() - started,
      });
    }
  }

  return reportOf({ path: options.repositoryPath ?? snapshot.name, head: snapshot.head }, results);
}
