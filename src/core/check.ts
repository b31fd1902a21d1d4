import type { RepoSnapshot } from '../sources/snapshot.js';

/** How serious a finding is. `error` fails the run (exit 1, check run `failure`). */
export type Severity = 'error' | 'warning' | 'notice';

/** What a user may set a check or a rule to in `.github/openly.yml`. */
export type Level = Severity | 'off';

/**
 * One thing a check found. This shape is a public contract (ARCHITECTURE.md): other tools read it from the
 * JSON report, so fields are only ever added, never renamed.
 */
export interface Finding {
  /** The id of the check that produced it, e.g. `licence`. */
  check: string;
  /** A stable rule id, `<check>/<rule>`, e.g. `licence/missing`. */
  rule: string;
  severity: Severity;
  /** One or two sentences for a person: what is wrong and where. */
  message: string;
  /** Repository-relative POSIX path, when the finding is about a file. */
  path?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  endLine?: number;
  /** One sentence a person can act on. */
  fix?: string;
}

/** A finding as a check writes it: the engine fills in `check`, and `severity` defaults to the rule's. */
export type DraftFinding = Omit<Finding, 'check' | 'severity'> & { severity?: Severity };

/** Documentation of one rule a check can report; drives defaults, the README, SARIF rules and help links. */
export interface RuleInfo {
  /** Default severity when the configuration says nothing of the rule. `off` rules are not reported by default. */
  level: Level;
  /** A short sentence: what the rule asks for. */
  description: string;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface CheckContext<Options = unknown> {
  snapshot: RepoSnapshot;
  /** This check's options from the configuration, already validated and merged over the defaults. */
  options: Options;
  /** Whether a rule is switched on (its configured or default level is not `off`). Lets checks skip work. */
  enabled(rule: string): boolean;
  /** The clock, injectable so that date rules are testable. */
  now(): Date;
  /**
   * Called in every per-file and per-commit loop. Checks run synchronously, so the engine can only stop one that
   * runs too long when the check asks: past the check's time budget (CPU time, 20 s by default) this throws a
   * CheckTimeout, which the engine reports as an `error` result for that check alone. Never catch it.
   */
  checkpoint: () => void;
  logger: Logger;
}

/** Thrown by `checkpoint()` once a check has used its time budget. */
export class CheckTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super(`stopped after ${seconds(budgetMs)}`);
    this.name = 'CheckTimeout';
  }
}

/** `20 s`, `1.5 s`: a budget as a person reads it. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

/** What a check returns: its findings, and optionally structured data for the JSON report (`data`). */
export interface CheckOutput {
  findings: DraftFinding[];
  data?: Record<string, unknown>;
  /**
   * Set when the check had nothing to judge (e.g. no commits in a plain folder): why. With no findings the result
   * is then `skip`, not `pass`, so nobody reads it as a clean bill of health.
   */
  skipped?: string;
}

/** A JSON Schema (draft 2020-12) as plain data. */
export type JsonSchema = Record<string, unknown>;

/**
 * What a check may be given in `.github/openly.yml`, under its id. The configuration schema is assembled from these
 * (`assembleConfigSchema`), and the loader merges what a file sets over `defaults()`.
 */
export interface CheckOptionsSpec<Options> {
  /**
   * The JSON Schema of the check's key, usually `oneOf` a level (`#/$defs/checkLevel`) and a mapping with `level`
   * and the options. Every property has a title and a description: editors show them.
   */
  schema: JsonSchema;
  /** Definitions the schema refers to as `#/$defs/<name>`; they join the configuration schema's `$defs`. */
  defs?: Record<string, JsonSchema>;
  /** Fresh default options, which the configured ones are merged over key by key; fresh so no run changes them. */
  defaults(): Options;
}

/**
 * A check: one self-contained judgement of a repository. It asks the snapshot for files and never touches the
 * network or the file system itself, so the same check runs in the App, the Action and the CLI.
 */
export interface Check<Options = unknown> {
  /** The check's id = its file name under src/checks = its configuration key. */
  id: string;
  title: string;
  /** Every rule the check can report, keyed by full rule id (`<id>/<name>`). */
  rules: Record<string, RuleInfo>;
  /**
   * Its key in `.github/openly.yml`: schema and defaults. A check without one has no key there. Declare it as a
   * `CheckOptionsSpec<Options>` so that its defaults are checked against the options `run` reads; it is held here
   * as `unknown` so that checks of every option type still sit in one registry.
   */
  options?: CheckOptionsSpec<unknown>;
  /**
   * Paths this check will read, given the tree; a remote source (the GitHub API) prefetches them in one batch.
   * Files not listed here may be unavailable to `run` on a remote source.
   */
  wants?(paths: readonly string[], options: Options): string[];
  /**
   * Strings the check will ask `filesContaining` for. A local checkout searches the tree for them in the same
   * `git grep` as its other grep-ahead while it opens, so that the check costs no second pass over a big tree.
   */
  needles?: readonly string[];
  run(ctx: CheckContext<Options>): CheckOutput | DraftFinding[] | Promise<CheckOutput | DraftFinding[]>;
}

/** Erases a check's option type so checks of different kinds sit in one registry. */
export type AnyCheck = Check<never>;
