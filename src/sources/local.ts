import { isUtf8 } from 'node:buffer';
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
  type Dirent,
} from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import ignore, { type Ignore } from 'ignore';
import { SPDX_TAG } from '../licences/headers.js';
import { gitEnv, MAX_GIT_OUTPUT, runSafeGit, SAFE_CONFIG } from './git-command.js';
import type { GrepReply, GrepWorkerData } from './grep-worker.js';
import { gitLastChanges } from './local-history.js';
import { classifyBytes } from './memory.js';
import {
  MAX_TEXT_BYTES,
  type FileContent,
  type FilesContaining,
  type GrepMatch,
  type GrepResult,
  type LastChange,
  type RepoSnapshot,
} from './snapshot.js';

/** Why a local snapshot could not be opened at all; the CLI prints the message and exits 2. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  constructor(
    message: string,
    readonly path: string,
    readonly reason: 'not-found' | 'not-a-directory' | 'unreadable' | 'bare-repository',
  ) {
    super(message);
  }
}

export interface LocalSnapshotOptions {
  /** What reports call the repository; defaults to the path as given. */
  name?: string;
  /** The git executable. A name that cannot be run means "git is not installed": the folder is walked instead. */
  git?: string;
  /**
   * A `git grep` to start in a worker thread as the snapshot opens, when git's index is at least `minIndexBytes`
   * (some 100 bytes a file), so that searching a big tree overlaps listing it and reading files; `grep` with the
   * same needle then takes its result. Default: the SPDX header tag, from 500 kB (some 5,000 files). False: never.
   * `worker` is the compiled grep worker, for callers that run this module from its TypeScript source.
   */
  grepAhead?: { needle: string; minIndexBytes: number; worker?: URL } | false;
  /**
   * More strings the grep-ahead looks for in the same pass, for `filesContaining` (the checks' `needles`), so that
   * a check asking which files hold them costs no second search of a big tree.
   */
  alsoGrepAhead?: readonly string[];
}

const GREP_AHEAD: { needle: string; minIndexBytes: number; worker?: URL } = {
  needle: SPDX_TAG,
  minIndexBytes: 500_000,
};

/** A folder that could not be listed; files under it are missing from the snapshot. */
export interface SkippedFolder {
  /** Relative to the snapshot root, without a trailing slash. */
  path: string;
  reason: string;
}

/**
 * Why a link is not followed, whatever it leads to: outside the repository, into .git, to an ignored file, or
 * nowhere. One sentence for all, and never the target, so that a report cannot tell whether some file exists.
 */
const OUTSIDE_JUDGED = 'symbolic link to a file outside the files judged';

/**
 * Opens the folder at `path` as a snapshot: a git work tree (tracked files plus untracked ones git does not
 * ignore, as they are on disk now) or, outside git, a plain folder (honouring `.gitignore` files).
 * Throws SnapshotError when the path does not exist, is not a folder or cannot be read; never afterwards.
 */
export function openLocalSnapshot(path: string, options: LocalSnapshotOptions = {}): LocalSnapshot {
  const root = resolve(path);
  let stats;
  try {
    stats = statSync(root);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SnapshotError(`${path} does not exist`, path, 'not-found');
    }
    throw new SnapshotError(`cannot read ${path}: ${describeError(error)}`, path, 'unreadable');
  }
  if (!stats.isDirectory()) {
    throw new SnapshotError(
      `${path} is not a folder: give the folder of a repository`,
      path,
      'not-a-directory',
    );
  }
  try {
    // Reading the folder proves we may list it; git would otherwise fail later with a vaguer message.
    readdirSync(root);
  } catch (error) {
    throw new SnapshotError(`cannot read ${path}: ${describeError(error)}`, path, 'unreadable');
  }
  const name = options.name ?? path;
  const git = options.git ?? 'git';
  const work = gitWorkTree(git, root);
  if (work === 'bare') {
    throw new SnapshotError(
      `${path} is a bare git repository: check out a work tree and give its folder`,
      path,
      'bare-repository',
    );
  }
  if (work === 'git-dir') {
    throw new SnapshotError(
      `${path} is inside a repository's .git folder, not its work tree: give the folder that holds .git`,
      path,
      'bare-repository',
    );
  }
  const wanted = options.grepAhead ?? GREP_AHEAD;
  const ahead =
    work === null || wanted === false || indexBytes(work.gitDir) < wanted.minIndexBytes
      ? undefined
      : startGrep(git, root, work.prefix, wanted.needle, wanted.worker, options.alsoGrepAhead ?? []);
  const listed = work === null ? null : gitFiles(git, root, work.prefix);
  if (work !== null && listed !== null) {
    return new LocalSnapshot(name, root, {
      kind: 'git',
      git,
      prefix: work.prefix,
      untracked: listed.untracked,
      head: work.head,
      files: listed.files,
      raw: listed.raw,
      skipped: listed.skipped,
      // Started without --untracked, so of no use when there are untracked files.
      ahead: listed.untracked ? undefined : ahead,
    });
  }
  // Without git to ask, a folder that looks like git's own is still not judged as files: its `config` may hold
  // a token.
  if (looksLikeGitFolder(root)) {
    throw new SnapshotError(
      `${path} is a bare git repository: check out a work tree and give its folder`,
      path,
      'bare-repository',
    );
  }
  const walked = walkFolder(root);
  return new LocalSnapshot(name, root, {
    kind: 'folder',
    head: null,
    files: walked.files,
    raw: walked.raw,
    skipped: walked.skipped,
  });
}

interface GitAccess {
  command: string;
  /** The snapshot root inside the work tree, such as `packages/app/`; git's full names start with it. */
  prefix: string;
  /** Whether any untracked file is listed. */
  untracked: boolean;
}

type Source =
  | {
      kind: 'git';
      git: string;
      prefix: string;
      untracked: boolean;
      head: string | null;
      files: string[];
      raw: ReadonlyMap<string, Buffer>;
      skipped: SkippedFolder[];
      ahead?: GrepAhead | undefined;
    }
  | {
      kind: 'folder';
      head: null;
      files: string[];
      raw: ReadonlyMap<string, Buffer>;
      skipped: SkippedFolder[];
    };

/** A snapshot of a folder on disk. Contents are read lazily, when a check asks, and cached. */
export class LocalSnapshot implements RepoSnapshot {
  readonly name: string;
  readonly head: string | null;
  /** Absolute path of the folder. */
  readonly root: string;
  /** How the file list was made: from git's index and ignore rules, or by walking the folder. */
  readonly kind: 'git' | 'folder';
  /** Folders that could not be listed: by the walk, or as git warned while listing. */
  readonly skipped: readonly SkippedFolder[];
  readonly #paths: readonly string[];
  readonly #set: ReadonlySet<string>;
  /** The bytes on disk of names that are not valid UTF-8, by the name the snapshot lists. */
  readonly #raw: ReadonlyMap<string, Buffer>;
  readonly #cache = new Map<string, FileContent>();
  readonly #git: GitAccess | undefined;
  /** The real path of the root with a trailing separator, as bytes. */
  #realRoot: Buffer | undefined;
  readonly #realFolders = new Map<string, Buffer>();
  readonly #plainFolders = new Map<string, boolean>();
  /** The root with a separator: cheaper to prepend than `join` when checking thousands of grep matches. */
  readonly #rootSlash: string;
  /** A `git grep` started as the snapshot opened, until `grep` or `filesContaining` takes it. */
  #ahead: GrepAhead | undefined;
  /** What the grep-ahead gave, kept while another caller may still want it (it searched for several strings). */
  #aheadRun: { run: GrepRun | undefined; needle: string; also: ReadonlySet<string> } | undefined;

  constructor(name: string, root: string, source: Source) {
    this.name = name;
    this.root = root;
    this.#rootSlash = root.endsWith(sep) ? root : root + sep;
    this.kind = source.kind;
    this.head = source.head;
    this.skipped = source.skipped;
    this.#raw = source.raw;
    this.#git =
      source.kind === 'git'
        ? { command: source.git, prefix: source.prefix, untracked: source.untracked }
        : undefined;
    this.#set = new Set(source.files);
    this.#paths = [...this.#set].sort();
    this.#ahead = source.kind === 'git' ? source.ahead : undefined;
  }

  files(): readonly string[] {
    return this.#paths;
  }

  has(path: string): boolean {
    return this.#set.has(path);
  }

  unreadableFolders(): readonly SkippedFolder[] {
    return this.skipped;
  }

  read(path: string): FileContent {
    const cached = this.#cache.get(path);
    if (cached !== undefined) return cached;
    const content = this.#load(path);
    this.#cache.set(path, content);
    return content;
  }

  grep(needle: string, options: { maxLines?: number } = {}): GrepResult {
    // A line never holds a line break, and git would take one as two patterns.
    if (needle.includes('\n')) return { matches: [], complete: true };
    if (this.#git !== undefined) {
      const viaGit = this.#gitGrep(this.#git, needle, options.maxLines);
      if (viaGit !== null) return viaGit;
    }
    return this.#readingGrep(needle, options.maxLines);
  }

  /** The grep-ahead's result, waited for once and then kept for whichever caller comes second. */
  #takeAhead(): { run: GrepRun | undefined; needle: string; also: ReadonlySet<string> } | undefined {
    if (this.#ahead !== undefined) {
      const ahead = this.#ahead;
      this.#ahead = undefined;
      this.#aheadRun = { run: takeGrep(ahead), needle: ahead.needle, also: ahead.also };
    }
    return this.#aheadRun;
  }

  filesContaining(needles: readonly string[]): FilesContaining | undefined {
    const git = this.#git;
    // A plain folder has no quicker way than reading each file, which the caller does itself.
    if (git === undefined) return undefined;
    const wanted = needles.filter((needle) => needle !== '' && !needle.includes('\n'));
    if (wanted.length === 0) return { paths: [], complete: true };
    const taken = this.#takeAhead();
    if (taken?.run !== undefined && wanted.every((needle) => taken.also.has(needle))) {
      const fromAhead = this.#pathsFromAhead(git, taken.run, wanted);
      if (fromAhead !== undefined) return fromAhead;
    }
    // One pass of git over the tree for every needle: git searches in parallel and in C, and no file's text
    // comes into this process.
    const run = runSafeGit(git.command, this.root, [
      'grep',
      '--no-textconv',
      '-I',
      '-l',
      '-F',
      '-z',
      '--full-name',
      ...(git.untracked ? ['--untracked'] : []),
      ...wanted.flatMap((needle) => ['-e', needle]),
      '--',
      '.',
    ]);
    if (run.spawnError !== undefined || (run.status !== 0 && run.status !== 1)) return undefined;
    let complete = run.stderr.length === 0;
    const paths: string[] = [];
    const out = run.stdout;
    let at = 0;
    while (at < out.length) {
      let end = out.indexOf(0, at);
      if (end < 0) end = out.length;
      const full = nameOf(out.subarray(at, end));
      at = end + 1;
      if (!full.startsWith(git.prefix)) continue;
      const path = full.slice(git.prefix.length);
      if (!this.#set.has(path)) continue;
      // As for grep: a file reached through a linked folder, or too large to read, is not one `read` would give.
      if (!this.#isSmall(path, undefined)) {
        complete = false;
        continue;
      }
      paths.push(path);
    }
    paths.sort();
    return { paths, complete };
  }

  /** The files whose lines in the grep-ahead's output hold any of `needles`; undefined when git failed. */
  #pathsFromAhead(git: GitAccess, run: GrepRun, needles: readonly string[]): FilesContaining | undefined {
    if (run.failed || (run.status !== 0 && run.status !== 1)) return undefined;
    const output = run.stdout;
    let complete = run.stderrBytes === 0;
    const paths: string[] = [];
    let last = '';
    let at = 0;
    while (at < output.length) {
      // `-n -z` output: path NUL line-number NUL text LF.
      const pathEnd = output.indexOf(0, at);
      const lineEnd = pathEnd < 0 ? -1 : output.indexOf(0, pathEnd + 1);
      if (lineEnd < 0) break;
      let textEnd = output.indexOf(0x0a, lineEnd + 1);
      if (textEnd < 0) textEnd = output.length;
      const full = nameOf(output.subarray(at, pathEnd));
      const text = output.toString('utf8', lineEnd + 1, textEnd);
      at = textEnd + 1;
      if (full === last || !needles.some((needle) => text.includes(needle))) continue;
      last = full;
      if (!full.startsWith(git.prefix)) continue;
      const path = full.slice(git.prefix.length);
      if (!this.#set.has(path)) continue;
      if (!this.#isSmall(path, run.large?.has(full))) {
        complete = false;
        continue;
      }
      paths.push(path);
    }
    paths.sort();
    return { paths, complete };
  }

  lastChanges(paths: readonly string[]): ReadonlyMap<string, LastChange | null> | undefined {
    if (this.#git === undefined) return undefined;
    const listed = paths.filter((path) => this.#set.has(path));
    return gitLastChanges(this.#git.command, this.root, this.#git.prefix, listed);
  }

  bytes(path: string): Uint8Array | undefined {
    if (!this.#set.has(path)) return undefined;
    try {
      const real = this.#resolve(path);
      return typeof real === 'string' ? undefined : readBytesLimited(real);
    } catch {
      return undefined;
    }
  }

  #load(path: string): FileContent {
    if (!this.#set.has(path)) return { kind: 'missing' };
    try {
      const real = this.#resolve(path);
      return typeof real === 'string' ? { kind: 'unavailable', reason: real } : readLimited(real);
    } catch (error) {
      return { kind: 'unavailable', reason: describeError(error) };
    }
  }

  /**
   * The real path to read for a listed file, or why it must not be read. Every symbolic link on the way counts,
   * the leaf's and any folder's: what is read must itself be a listed file, so that a link can never reach git's
   * own folder (where `.git/config` may hold the checkout's token), an ignored file such as `.env`, or anything
   * outside the repository. Throws what the file system says (gone, a loop of links).
   */
  #resolve(path: string, leafIsFile = false): Buffer | string {
    // The usual case, kept cheap: a UTF-8 name with no link on its way is itself, and is listed.
    if (!this.#raw.has(path) && !isInGitFolder(path)) {
      const slash = path.lastIndexOf('/');
      const absolute = this.#rootSlash + path;
      try {
        if (
          this.#plainFolder(slash < 0 ? '' : path.slice(0, slash)) &&
          (leafIsFile || !lstatSync(absolute).isSymbolicLink())
        ) {
          return Buffer.from(absolute);
        }
      } catch {
        // Gone, or unreadable: the full resolution below says why, in the same words as for a link.
      }
    }
    const raw = this.#raw.get(path) ?? Buffer.from(path);
    const absolute = Buffer.concat([Buffer.from(this.#rootSlash), raw]);
    let real: Buffer;
    try {
      // The real path of a file that is no link is its folder's real path and its name: one lstat, and one
      // realpath per folder rather than per file (a realpath walks every component, which on a 50,000-file tree
      // cost more than everything else the snapshot does).
      if (!leafIsFile && lstatSync(absolute).isSymbolicLink()) {
        real = realpathSync.native(absolute, { encoding: 'buffer' });
      } else {
        const slash = raw.lastIndexOf(0x2f);
        const folder = this.#realFolder(slash < 0 ? Buffer.alloc(0) : raw.subarray(0, slash));
        real = Buffer.concat([folder, raw.subarray(slash + 1)]);
      }
    } catch (error) {
      // A link that leads nowhere must read like one that leads outside, else the reason tells which it is.
      if (this.#linkOnTheWay(raw)) return OUTSIDE_JUDGED;
      throw error;
    }
    const root = (this.#realRoot ??= withSlash(realpathSync.native(this.root, { encoding: 'buffer' })));
    if (real.length <= root.length || !real.subarray(0, root.length).equals(root)) return OUTSIDE_JUDGED;
    const relative = nameOf(real.subarray(root.length));
    if (isInGitFolder(relative)) return OUTSIDE_JUDGED;
    if (relative !== path && !this.#set.has(relative)) return OUTSIDE_JUDGED;
    return real;
  }

  /** Whether a folder under the root (`a/b`, '' for the root) is a real folder with no link on its way; cached. */
  #plainFolder(folder: string): boolean {
    if (folder === '') return true;
    const known = this.#plainFolders.get(folder);
    if (known !== undefined) return known;
    const slash = folder.lastIndexOf('/');
    let plain = this.#plainFolder(slash < 0 ? '' : folder.slice(0, slash));
    if (plain) {
      try {
        const stats = lstatSync(this.#rootSlash + folder);
        plain = stats.isDirectory() && !stats.isSymbolicLink();
      } catch {
        plain = false;
      }
    }
    this.#plainFolders.set(folder, plain);
    return plain;
  }

  /**
   * The real path of a folder under the root, with a trailing slash; cached, as many files share a folder. A folder
   * that is no link is its parent's real path and its name (one lstat); only a link costs a realpath.
   */
  #realFolder(folder: Buffer): Buffer {
    const key = folder.toString('latin1');
    const known = this.#realFolders.get(key);
    if (known !== undefined) return known;
    const absolute = Buffer.concat([Buffer.from(this.#rootSlash), folder]);
    let real: Buffer;
    if (folder.length === 0) {
      real = withSlash(realpathSync.native(absolute, { encoding: 'buffer' }));
    } else {
      const slash = folder.lastIndexOf(0x2f);
      const stats = lstatSync(absolute);
      if (stats.isSymbolicLink()) {
        real = withSlash(realpathSync.native(absolute, { encoding: 'buffer' }));
      } else if (stats.isDirectory()) {
        const parent = this.#realFolder(slash < 0 ? Buffer.alloc(0) : folder.subarray(0, slash));
        real = Buffer.concat([parent, folder.subarray(slash + 1), Buffer.from('/')]);
      } else {
        throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      }
    }
    this.#realFolders.set(key, real);
    return real;
  }

  /** Whether the file or any folder on its way from the root is a symbolic link. */
  #linkOnTheWay(raw: Buffer): boolean {
    let at = raw.length;
    while (at > 0) {
      try {
        if (lstatSync(Buffer.concat([Buffer.from(this.#rootSlash), raw.subarray(0, at)])).isSymbolicLink()) {
          return true;
        }
      } catch {
        // Missing: a link nearer the root may be why.
      }
      at = raw.lastIndexOf(0x2f, at - 1);
    }
    return false;
  }

  /** Reads every listed text file; used for plain folders and when `git grep` cannot run. */
  #readingGrep(needle: string, maxLines: number | undefined): GrepResult {
    const matches: GrepMatch[] = [];
    let complete = this.skipped.length === 0;
    for (const path of this.#paths) {
      // Not cached: a grep touches every file, and keeping them all would cost more memory than re-reading a few.
      const content = this.#cache.get(path) ?? this.#load(path);
      if (content.kind !== 'text') {
        if (content.kind !== 'binary') complete = false;
        continue;
      }
      if (!content.text.includes(needle)) continue;
      const lines = content.text.split(/\r?\n/);
      const limit = Math.min(lines.length, maxLines ?? lines.length);
      for (let i = 0; i < limit; i++) {
        const text = lines[i]!;
        if (text.includes(needle)) matches.push({ path, line: i + 1, text });
      }
    }
    return { matches, complete };
  }

  /**
   * `git grep` over the work tree: fast on big trees because git searches in parallel and in C. Returns null
   * when git fails outright, so that the caller falls back to reading files.
   */
  #gitGrep(git: GitAccess, needle: string, maxLines: number | undefined): GrepResult | null {
    const mine = this.#ahead?.needle === needle || this.#aheadRun?.needle === needle;
    const taken = mine ? this.#takeAhead() : undefined;
    const ahead = taken?.run;
    // Lines found for the other strings searched in the same pass are not this needle's.
    const mixed = ahead !== undefined && taken!.also.size > 0;
    const result = ahead ?? runGrep(git.command, this.root, needle, git.untracked);
    // Status 1 is git's "no match"; anything else is a failure, and reading the files ourselves still works.
    if (result.failed || (result.status !== 0 && result.status !== 1)) return null;
    const large = result.large;
    const output = result.stdout;
    // git names on stderr the files it could not open, and carries on with the others.
    let complete = result.stderrBytes === 0;
    const prefix = git.prefix;
    const matches: GrepMatch[] = [];
    // Checking the whole output once spares a check per line in the usual case, where all of it is UTF-8.
    const allUtf8 = isUtf8(output);
    let sorted = true;
    let lastPath = '';
    let lastWanted = false;
    let at = 0;
    while (at < output.length) {
      const pathEnd = output.indexOf(0, at);
      const lineEnd = pathEnd < 0 ? -1 : output.indexOf(0, pathEnd + 1);
      if (lineEnd < 0) break;
      let textEnd = output.indexOf(0x0a, lineEnd + 1);
      if (textEnd < 0) textEnd = output.length;
      const fullPath = allUtf8 ? output.toString('utf8', at, pathEnd) : nameOf(output.subarray(at, pathEnd));
      const line = Number(output.toString('latin1', pathEnd + 1, lineEnd));
      const textStart = lineEnd + 1;
      at = textEnd + 1;
      if (maxLines !== undefined && line > maxLines) continue;
      const path = fullPath.slice(prefix.length);
      // git prints a file's matches together, so each file is judged once.
      if (fullPath !== lastPath) {
        lastPath = fullPath;
        lastWanted = fullPath.startsWith(prefix) && this.#set.has(path);
        // git follows a linked folder on the way (`docs -> .git`, then `docs/config`): its lines count only if
        // `read` would read the same file.
        if (lastWanted && !this.#isSmall(path, large?.has(fullPath))) {
          lastWanted = false;
          complete = false;
        }
      }
      if (!lastWanted) continue;
      // A line that is not UTF-8 belongs to a file `read` calls binary, so it is no text match either.
      if (!allUtf8 && !isUtf8(output.subarray(textStart, textEnd))) continue;
      // Buffer decoding keeps a byte order mark, as `read` does.
      let text = output.toString('utf8', textStart, textEnd);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (mixed && !text.includes(needle)) continue;
      const previous = matches[matches.length - 1];
      if (previous !== undefined && previous.path > path) sorted = false;
      matches.push({ path, line, text });
    }
    // Untracked files come after tracked ones in git's output; the contract wants one order.
    if (!sorted) matches.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
    return { matches, complete };
  }

  /**
   * Whether a matched file may be reported: one `read` would read (see #resolve) and within MAX_TEXT_BYTES, as
   * read, else as the grep-ahead found it, else from its size now.
   */
  #isSmall(path: string, large: boolean | undefined): boolean {
    const known = this.#cache.get(path);
    if (known !== undefined) return known.kind === 'text' || known.kind === 'binary';
    try {
      // git grep opens only regular files (it passes over a symbolic link, as a test shows), so a match's own name
      // is no link; the folders on its way still may be, and are resolved.
      const real = this.#resolve(path, true);
      if (typeof real === 'string') return false;
      if (large !== undefined) return !large;
      return statSync(real).size <= MAX_TEXT_BYTES;
    } catch {
      return false;
    }
  }
}

/** What a `git grep` gave: its output, and from a grep-ahead, the matched files (full names) not to read. */
interface GrepRun {
  failed: boolean;
  status: number | null;
  stdout: Buffer;
  stderrBytes: number;
  /** Matched files larger than MAX_TEXT_BYTES or gone; undefined when not known (sizes are then looked up). */
  large?: ReadonlySet<string>;
}

function grepArgs(needles: string | readonly string[], untracked: boolean): string[] {
  return [
    'grep',
    // A config's textconv program must not run on the files searched (git runs none without --textconv).
    '--no-textconv',
    '-I',
    '-n',
    '-F',
    '-z',
    '--full-name',
    // Looking for untracked files walks the whole tree again: only worth it when there are some.
    ...(untracked ? ['--untracked'] : []),
    ...(typeof needles === 'string' ? [needles] : needles).flatMap((needle) => ['-e', needle]),
    '--',
    '.',
  ];
}

/** `git grep` over the work tree: fast on big trees because git searches in parallel and in C. */
function runGrep(git: string, root: string, needle: string, untracked: boolean): GrepRun {
  const result = runSafeGit(git, root, grepArgs(needle, untracked));
  return {
    failed: result.spawnError !== undefined,
    status: result.status,
    stdout: result.stdout,
    stderrBytes: result.stderr.length,
  };
}

/** A `git grep` running in a worker thread; `takeGrep` waits for it. */
interface GrepAhead {
  needle: string;
  /** The other strings searched for in the same pass; their lines are in the output too. */
  also: ReadonlySet<string>;
  /** Set to 1 by the worker once it has posted its GrepRun. */
  done: Int32Array;
  port: MessagePort;
}

/** Starts `git grep` for `needle` in a worker thread; undefined when a worker cannot be had. */
/** The compiled worker beside this module; the Action bundle emits it beside its own `index.js`. */
const GREP_WORKER = new URL('./grep-worker.js', import.meta.url);

function startGrep(
  git: string,
  root: string,
  prefix: string,
  needle: string,
  worker: URL = GREP_WORKER,
  also: readonly string[] = [],
): GrepAhead | undefined {
  // Run from its TypeScript source (tests), this module has no compiled worker beside it: grep on demand then.
  // The check must come first: a worker that fails to load would leave `takeGrep` waiting for its full patience.
  const extra = also.filter((other) => other !== '' && other !== needle && !other.includes('\n'));
  if (needle.includes('\n') || !existsSync(worker)) return undefined;
  try {
    const done = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const workerData: GrepWorkerData = {
      command: git,
      args: [...SAFE_CONFIG, ...grepArgs([needle, ...extra], false)],
      root: root.endsWith(sep) ? root : root + sep,
      prefix,
      env: gitEnv(),
      maxBuffer: MAX_GIT_OUTPUT,
      maxBytes: MAX_TEXT_BYTES,
      done,
      port: port2,
    };
    const thread = new Worker(worker, {
      workerData,
      transferList: [port2],
      stdout: true,
      stderr: true,
    });
    // Never what keeps the process alive: a snapshot nobody greps lets the process end.
    thread.unref();
    port1.unref();
    return { needle, also: new Set(extra), done, port: port1 };
  } catch {
    return undefined;
  }
}

/** Longer than any grep of a tree should take; past it, the grep is run again here rather than waited for. */
const GREP_AHEAD_PATIENCE_MS = 120_000;

/** Waits for a grep-ahead's result; undefined when it never came (the caller greps itself). */
function takeGrep(ahead: GrepAhead): GrepRun | undefined {
  // The worker cannot post to a main thread that is busy, but it can set a flag this thread sleeps on.
  if (Atomics.wait(ahead.done, 0, 0, GREP_AHEAD_PATIENCE_MS) === 'timed-out') return undefined;
  const received = receiveMessageOnPort(ahead.port);
  ahead.port.close();
  if (received === undefined) return undefined;
  const run = received.message as GrepReply;
  const { stdout } = run;
  return {
    failed: run.failed,
    status: run.status,
    // Structured cloning turned the Buffer into a plain Uint8Array.
    stdout: Buffer.from(stdout.buffer, stdout.byteOffset, stdout.byteLength),
    stderrBytes: run.stderrBytes,
    large: new Set(run.large),
  };
}

/** The size of git's index, which tells a big tree from a small one before listing it; 0 when unknown. */
function indexBytes(gitDir: string): number {
  try {
    return statSync(join(gitDir, 'index')).size;
  } catch {
    return 0;
  }
}

/** The bytes of a regular file no larger than MAX_TEXT_BYTES, opened as `readLimited` opens one. */
function readBytesLimited(absolute: Buffer): Uint8Array | undefined {
  const fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_TEXT_BYTES) return undefined;
    const bytes = readFileSync(fd);
    return bytes.length > MAX_TEXT_BYTES ? undefined : bytes;
  } finally {
    closeSync(fd);
  }
}

/** Reads a regular file, deciding "too large" from its size before reading anything. */
function readLimited(absolute: Buffer): FileContent {
  // Non-blocking, so that a named pipe where a file was expected cannot hang the run. The path is already real:
  // a link put in its place since it was resolved is not followed.
  const fd = openSync(absolute, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { kind: 'unavailable', reason: 'not a regular file' };
    if (stats.size > MAX_TEXT_BYTES) return { kind: 'too-large', size: stats.size };
    // One byte more than the size tells a file that grew since the stat from one that did not.
    let buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_TEXT_BYTES) return { kind: 'too-large', size: Math.max(length, fstatSync(fd).size) };
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, MAX_TEXT_BYTES + 1));
        buffer.copy(grown);
        buffer = grown;
      }
    }
    return classifyBytes(buffer.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}

/** Runs git; stdout when its exit status is allowed, else null. */
function runGit(git: string, cwd: string, args: string[], allowed: readonly number[] = [0]): Buffer | null {
  return runGitWithWarnings(git, cwd, args, allowed)?.stdout ?? null;
}

function runGitWithWarnings(
  git: string,
  cwd: string,
  args: string[],
  allowed: readonly number[] = [0],
): { stdout: Buffer; stderr: Buffer } | null {
  const result = runSafeGit(git, cwd, args);
  // Not installed, not a repository, or one git refuses (another user's, "dubious ownership"): walk instead.
  if (result.spawnError !== undefined || result.status === null || !allowed.includes(result.status))
    return null;
  return result;
}

/**
 * Whether `root` is in a work tree, where in it, its git folder, and the commit checked out (null before the first
 * commit); 'bare' for a bare repository and 'git-dir' inside a `.git` folder, which have no files to judge.
 */
function gitWorkTree(
  git: string,
  root: string,
): { prefix: string; gitDir: string; head: string | null } | 'bare' | 'git-dir' | null {
  // One process for all: `--verify -q` exits 1 without a word when there is no commit yet, after the other
  // answers are printed.
  const output = runGit(
    git,
    root,
    [
      'rev-parse',
      '--is-bare-repository',
      '--is-inside-git-dir',
      '--is-inside-work-tree',
      '--show-prefix',
      '--absolute-git-dir',
      '--verify',
      '-q',
      'HEAD^{commit}',
    ],
    [0, 1],
  );
  if (output === null) return null;
  const [bare, inGitDir, inside, prefix = '', gitDir = '', head = ''] = output.toString('utf8').split('\n');
  if (bare === 'true') return 'bare';
  if (inGitDir === 'true') return 'git-dir';
  if (inside !== 'true') return null;
  return { prefix, gitDir, head: /^[0-9a-f]{40,64}$/.test(head) ? head : null };
}

interface Listed {
  files: string[];
  /** The bytes of names that are not valid UTF-8, by the name listed. */
  raw: Map<string, Buffer>;
  skipped: SkippedFolder[];
}

/**
 * Tracked and untracked-but-not-ignored files under `root`, in one `git ls-files` call. Left out: files deleted
 * from the work tree (tag R), sparse-checkout files absent from disk (S), submodules (mode 160000: other
 * repositories, judged on their own), and untracked nested repositories (listed by git as `dir/`). Folders git
 * could not open it only warns about; they are kept as `skipped`.
 */
function gitFiles(git: string, root: string, prefix: string): (Listed & { untracked: boolean }) | null {
  const result = runGitWithWarnings(git, root, [
    'ls-files',
    '-z',
    '-t',
    '--stage',
    '--cached',
    '--others',
    '--deleted',
    '--exclude-standard',
    '--full-name',
  ]);
  if (result === null) return null;
  const output = result.stdout;
  const listed = new Set<string>();
  const gone = new Set<string>();
  const raw = new Map<string, Buffer>();
  let untracked = false;
  let at = 0;
  while (at < output.length) {
    let end = output.indexOf(0, at);
    if (end < 0) end = output.length;
    const record = output.subarray(at, end);
    at = end + 1;
    if (record.length < 3) continue;
    const tag = String.fromCharCode(record[0]!);
    let bytes: Buffer;
    if (tag === '?') {
      bytes = record.subarray(2);
      if (bytes[bytes.length - 1] === 0x2f) continue;
      untracked = true;
    } else {
      const tab = record.indexOf(0x09);
      if (tab < 0) continue;
      bytes = record.subarray(tab + 1);
      if (record.toString('latin1', 2, 8) === '160000') continue;
      if (tag === 'R' || tag === 'S') {
        gone.add(nameOf(bytes));
        continue;
      }
    }
    const path = nameOf(bytes);
    if (!path.startsWith(prefix)) continue;
    listed.add(path.slice(prefix.length));
    if (!isUtf8(bytes)) raw.set(path.slice(prefix.length), bytes.subarray(Buffer.byteLength(prefix)));
  }
  for (const path of gone) listed.delete(path.slice(prefix.length));
  return { files: [...listed], raw, skipped: unopenedFolders(result.stderr), untracked };
}

/**
 * The folders `git ls-files` said it could not open (it carries on without them and exits 0). git cuts a long
 * message short, so the path may be cut and the reason missing.
 */
function unopenedFolders(stderr: Buffer): SkippedFolder[] {
  const skipped: SkippedFolder[] = [];
  const marker = "warning: could not open directory '";
  for (const line of stderr.toString('utf8').split('\n')) {
    if (!line.startsWith(marker)) continue;
    const rest = line.slice(marker.length);
    const close = rest.lastIndexOf("': ");
    const path = (close < 0 ? rest : rest.slice(0, close)).replace(/\/$/, '');
    // Only a very long message is cut short, and so the path in it.
    const reason =
      close < 0 ? (rest.length > 1000 ? PATH_TOO_LONG : 'git could not open it') : rest.slice(close + 3);
    // In the walk's words, so that a report reads the same whether git listed the folder or not.
    const plain = /too long/i.test(reason)
      ? PATH_TOO_LONG
      : /permission denied/i.test(reason)
        ? 'permission denied'
        : reason;
    skipped.push({ path, reason: plain });
  }
  return skipped;
}

const PATH_TOO_LONG = 'its path is too long to open';

interface IgnoreLevel {
  /** The folder holding the .gitignore, relative to the root, with a trailing slash ('' for the root). */
  base: string;
  rules: Ignore;
}

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/**
 * Lists a plain folder: `.gitignore` files at every level (deeper ones win, as in git), `.git` and
 * `node_modules` skipped, as are nested repositories; symbolic links to folders are not followed (no cycles,
 * nothing outside the root). Names are read as bytes, so that one that is not UTF-8 can still be opened.
 */
function walkFolder(root: string): Listed {
  const files: string[] = [];
  const raw = new Map<string, Buffer>();
  const skipped: SkippedFolder[] = [];
  const rootBytes = withSlash(Buffer.from(root));
  const visit = (relative: string, bytes: Buffer, levels: readonly IgnoreLevel[]): void => {
    let entries: Dirent<Buffer>[];
    try {
      entries = readdirSync(Buffer.concat([rootBytes, bytes]), { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      skipped.push({ path: relative.slice(0, -1), reason: describeError(error) });
      return;
    }
    const named = entries.map((entry) => ({ entry, name: nameOf(entry.name) }));
    // A folder holding .git (a folder, or a file as in submodules) is another repository, as in git mode.
    if (relative !== '' && named.some(({ name }) => name === '.git')) return;
    let here = levels;
    // A symbolic link named .gitignore is not read, as git (since 2.32) does not: it could point anywhere.
    if (named.some(({ entry, name }) => name === '.gitignore' && entry.isFile())) {
      try {
        // git skips a byte order mark at the start of an ignore file; left in, it would spoil the first rule.
        const text = readFileSync(
          Buffer.concat([rootBytes, bytes, Buffer.from('.gitignore')]),
          'utf8',
        ).replace(/^\uFEFF/, '');
        here = [...levels, { base: relative, rules: ignore().add(text) }];
      } catch {
        // An unreadable .gitignore ignores nothing, as in git.
      }
    }
    for (const { entry, name } of named) {
      const entryBytes = Buffer.concat([bytes, entry.name]);
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // Links to files are listed (reading checks where they lead); links to folders are not followed, which
        // rules out cycles.
        try {
          isFile = statSync(Buffer.concat([rootBytes, entryBytes])).isFile();
        } catch {
          isFile = false;
        }
        isDirectory = false;
      }
      if (isDirectory && SKIPPED_FOLDERS.has(name)) continue;
      if (!isDirectory && !isFile) continue;
      const path = relative + name;
      if (isIgnored(here, isDirectory ? `${path}/` : path)) continue;
      if (isDirectory) visit(`${path}/`, Buffer.concat([entryBytes, Buffer.from('/')]), here);
      else {
        files.push(path);
        if (!isUtf8(entryBytes)) raw.set(path, entryBytes);
      }
    }
  };
  visit('', Buffer.alloc(0), []);
  return { files, raw, skipped };
}

/** git's precedence: the deepest .gitignore with a rule for the path decides, and within one file the last rule. */
function isIgnored(levels: readonly IgnoreLevel[], path: string): boolean {
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i]!;
    let result;
    try {
      result = level.rules.test(path.slice(level.base.length));
    } catch {
      // `ignore` throws on a path it judges not relative; no file name should be one, but a walk must not die.
      continue;
    }
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

/**
 * The name a snapshot lists for bytes from the file system or git: the text itself when it is UTF-8, else the
 * valid parts with each stray byte written as \\xNN, so that two different names never read alike as U+FFFD.
 */
export function nameOf(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  let name = '';
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at]!;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0;
    const sequence = length === 0 ? undefined : bytes.subarray(at, at + length);
    if (sequence !== undefined && sequence.length === length && isUtf8(sequence)) {
      name += sequence.toString('utf8');
      at += length;
    } else {
      name += `\\x${lead.toString(16).padStart(2, '0')}`;
      at += 1;
    }
  }
  return name;
}

function withSlash(path: Buffer): Buffer {
  return path[path.length - 1] === 0x2f ? path : Buffer.concat([path, Buffer.from('/')]);
}

/** Whether a path relative to the root lies in a `.git` folder, at any depth: git's own files, never judged. */
function isInGitFolder(path: string): boolean {
  return path.split('/').some((segment) => segment.toLowerCase() === '.git');
}

/** A bare repository's shape, for when git cannot be asked: HEAD, objects/ and refs/ side by side. */
function looksLikeGitFolder(root: string): boolean {
  try {
    return (
      statSync(join(root, 'HEAD')).isFile() &&
      statSync(join(root, 'objects')).isDirectory() &&
      statSync(join(root, 'refs')).isDirectory()
    );
  } catch {
    return false;
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}

function describeError(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no longer on disk';
    case 'EISDIR':
      return 'a folder, not a file';
    case 'ELOOP':
      return 'a loop of symbolic links';
    case 'ENAMETOOLONG':
      return PATH_TOO_LONG;
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
