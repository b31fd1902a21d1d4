/**
 * Opening a repository on disk, the one way both local doors do it (the CLI, and the Action on its checkout): the
 * snapshot, the commits whose signatures are judged, and the configuration read through that snapshot. The door
 * words what comes back; nothing here prints.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONFIG_FILES,
  ConfigError,
  loadConfig,
  type ConfigOptions,
  type ConfigProblem,
} from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { checkInside, UnsafePathError } from './safe-path.js';
import { openLocalSnapshot, type LocalSnapshot } from './local.js';
import { readLocalAdditions } from './local-additions.js';
import { defaultLocalRange, LocalCommitsError, readLocalCommits } from './local-commits.js';
import type { AddedLines, CommitInfo, RepoSnapshot, RepositoryFacts } from './snapshot.js';
import { withCommits } from './with-commits.js';

export interface OpenLocalOptions {
  /** Absolute path of the repository. */
  root: string;
  /** The rules and checks the configuration may name, with the checks' defaults (the registry's `configOptions()`). */
  config: ConfigOptions;
  /** The repository as the person named it, for messages. */
  displayPath?: string;
  /** Absolute path of a configuration file given outside the repository's own `.github/openly.yml`. */
  configPath?: string;
  /** The commits whose signatures are judged; unset, what a pull request from this branch would add. */
  range?: string;
  /**
   * `required`: commits that cannot be read stop the opening (a range named on the command line must hold).
   * `best-effort`: they are left unjudged, with a note saying why (a shallow checkout in CI lacks them).
   */
  commits: 'required' | 'best-effort';
  /**
   * Refuse the repository's own configuration file when it is, or lies behind, a link, wherever it points. A
   * checkout in CI is a pull request's to shape; without this a link is followed only to a file being judged.
   */
  refuseLinkedConfig?: boolean;
  /** What GitHub says of the repository (the Action reads it from its event); a plain checkout has none. */
  repository?: RepositoryFacts;
}

/** Something the door should tell the person, each in its own words. */
export type OpenNote =
  | { kind: 'commits-not-read'; reason: string }
  | { kind: 'extends-not-followed'; value: string; file: string; line: number };

export type OpenedLocal =
  | {
      ok: true;
      /** The snapshot with the commits under judgement attached. */
      snapshot: RepoSnapshot;
      local: LocalSnapshot;
      config: ResolvedConfig;
      /** Undefined when there are none to judge (no git, no default branch, or unread and noted). */
      commits: CommitInfo[] | undefined;
      notes: OpenNote[];
    }
  | { ok: false; problems: ConfigProblem[]; notes: OpenNote[] };

/**
 * Opens the repository at `options.root`. An invalid or refused configuration comes back as its problems; a
 * folder that cannot be opened throws SnapshotError, and commits that `required` cannot read LocalCommitsError.
 */
export function openLocal(options: OpenLocalOptions): OpenedLocal {
  const notes: OpenNote[] = [];
  if (options.configPath === undefined && options.refuseLinkedConfig === true) {
    const linked = linkedConfigFile(options.root);
    if (linked !== undefined) return { ok: false, problems: [linked], notes };
  }
  // The checks' needles join the grep-ahead, so that a big tree is searched once for all of them.
  const needles = options.config.checks.flatMap(
    (check) => (check as { needles?: readonly string[] }).needles ?? [],
  );
  const local = openLocalSnapshot(options.root, needles.length === 0 ? {} : { alsoGrepAhead: needles });
  const judged = { range: undefined as string | undefined };
  const commits = commitsOf(local, options, notes, judged);
  let config: ResolvedConfig;
  try {
    config = loadConfig({
      root: options.root,
      files: local,
      ...(options.configPath === undefined ? {} : { configPath: options.configPath }),
      ...options.config,
    });
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, problems: error.problems, notes };
    throw error;
  }
  if (config.extends !== undefined) {
    // No door that reads a checkout follows it: the base lives in another repository.
    notes.push({ kind: 'extends-not-followed', ...config.extends });
  }
  const range = judged.range;
  // Read only when a check asks: the diffs of a long range are far more than its commits' headers.
  const additions =
    commits === undefined || range === undefined ? undefined : () => additionsOf(options.root, range);
  return {
    ok: true,
    snapshot: withCommits(local, commits, additions, options.repository),
    local,
    config,
    commits,
    notes,
  };
}

/** What the judged commits added; undefined when git cannot give the diffs, which the check then says. */
function additionsOf(root: string, range: string): AddedLines[] | undefined {
  try {
    return readLocalAdditions(root, range);
  } catch (error) {
    if (error instanceof LocalCommitsError) return undefined;
    throw error;
  }
}

function commitsOf(
  local: LocalSnapshot,
  options: OpenLocalOptions,
  notes: OpenNote[],
  judged: { range: string | undefined },
): CommitInfo[] | undefined {
  if (local.kind !== 'git') {
    if (options.commits === 'required' && options.range !== undefined) {
      throw new LocalCommitsError(
        options.range,
        `${options.displayPath ?? options.root} is not a git repository`,
      );
    }
    return undefined;
  }
  const range = options.range ?? defaultLocalRange(options.root);
  if (range === undefined) return undefined;
  try {
    const commits = readLocalCommits(options.root, range);
    judged.range = range;
    return commits;
  } catch (error) {
    if (options.commits === 'required' || !(error instanceof LocalCommitsError)) throw error;
    notes.push({ kind: 'commits-not-read', reason: error.message });
    return undefined;
  }
}

/**
 * The checkout's own configuration file when it is, or lies behind, a link: it is reported like any other broken
 * configuration instead of being read from wherever the link points.
 */
function linkedConfigFile(root: string): ConfigProblem | undefined {
  for (const file of CONFIG_FILES) {
    try {
      statSync(join(root, file));
    } catch {
      continue;
    }
    try {
      checkInside(root, file, 'file', 'the checkout');
    } catch (error) {
      if (!(error instanceof UnsafePathError)) throw error;
      return { file, line: 0, column: 0, message: `${error.message}, so the configuration was not read` };
    }
  }
  return undefined;
}
