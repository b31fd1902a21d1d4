import type { Level } from '../core/check.js';

/** A check's level: `off` skips it; `warning` caps its findings at warning; `error` leaves them as they are. */
export type CheckLevel = 'error' | 'warning' | 'off';

/**
 * The configuration after loading, validation and merging over the defaults. In the YAML file each check has a
 * top-level key named by its id, either a level (`licence: warning`) or a mapping with `level` and its options;
 * `rules` maps a rule id to a level.
 */
export interface ResolvedConfig {
  /** Check id → level. A check missing here runs at `error`. */
  levels: Record<string, CheckLevel>;
  /** Check id → that check's options, merged over its defaults. */
  options: Record<string, unknown>;
  /** Rule id → level, from the configuration only (rule defaults live with the checks). */
  rules: Record<string, Level>;
  /** Where the configuration came from, for messages ("read from .github/openly.yml"). */
  sources: string[];
}

/** Options of the `licence` check (`licence:` in `.github/openly.yml`). */
export interface LicenceOptions {
  /** SPDX ids a licence file, header or declaration may name. */
  allowed: string[];
  /** Licence required by path glob: every licence covering a matching path must allow this one. */
  paths: Array<{ path: string; licence: string }>;
}

/** Options of the `community-files` check. Which files are required is set per rule (`rules:`). */
export type CommunityFilesOptions = Record<string, never>;
