/**
 * The one thing checks read: a repository at a point in time. Sources (a local checkout, a plain folder, the
 * GitHub API, an in-memory map in tests) implement it; checks never know which one they have.
 */

/** Files larger than this are listed but never read as text. */
export const MAX_TEXT_BYTES = 1024 * 1024;

export type FileContent =
  | { kind: 'text'; text: string }
  /** Contains a NUL byte in its first 8000 bytes (git's own test) or is not valid UTF-8. */
  | { kind: 'binary'; size: number }
  /** Larger than MAX_TEXT_BYTES. */
  | { kind: 'too-large'; size: number }
  /** Not in the snapshot. */
  | { kind: 'missing' }
  /** In the tree, but its content could not be had (permission, I/O error, not fetched by a remote source). */
  | { kind: 'unavailable'; reason: string };

export interface GrepMatch {
  path: string;
  /** 1-based */
  line: number;
  text: string;
}

export interface GrepResult {
  matches: GrepMatch[];
  /** False when some files could not be searched (too large, binary, not fetched); the caller may say so. */
  complete: boolean;
}

export interface RepoSnapshot {
  /** What to call the repository in reports: a local path, or `owner/name`. */
  readonly name: string;
  /** The commit the snapshot shows, or null for a plain folder. */
  readonly head: string | null;
  /** Every file, as repository-relative POSIX paths, sorted. Directories are implied. */
  files(): readonly string[];
  has(path: string): boolean;
  /** Reads a file. Never throws: problems come back as a non-text kind. Results may be cached. */
  read(path: string): FileContent;
  /**
   * Lines containing `needle` (a fixed string, case-sensitive) in text files, optionally only in the first
   * `maxLines` lines of each file. Used for `SPDX-License-Identifier:` headers.
   */
  grep(needle: string, options?: { maxLines?: number }): GrepResult;
}
