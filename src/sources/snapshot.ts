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

/** A commit's signature as the source could judge it. */
export interface CommitSignature {
  /** True when the signature was verified: by GitHub (`verification.verified`) or locally (`%G?` = G). */
  verified: boolean;
  /**
   * Why: GitHub's `verification.reason` (`valid`, `unsigned`, `unknown_key`, `bad_email`, `expired_key`, …) or,
   * for a local checkout, a reason derived from `git log --format=%G?` (`valid`, `unsigned`, `no_key` for E,
   * `bad_signature` for B, `expired_key` for X/Y, `revoked_key` for R, `unknown_validity` for U).
   */
  reason: string;
  /** True when GitHub itself signed it (web edits, merges and squash merges made on github.com). */
  signedByGitHub: boolean;
  /** Who signed it, when known (GitHub login or the key's user id). */
  signer?: string;
}

export interface CommitPerson {
  name: string;
  email: string;
  /** GitHub login, when the source knows it (bots end in `[bot]`). */
  login?: string;
}

/** A commit whose signature a check judges: those a pull request adds, a push brings, or `--range` names. */
export interface CommitInfo {
  sha: string;
  /** The whole message; the first line is the subject. */
  message: string;
  author: CommitPerson;
  committer: CommitPerson;
  /** How many parents: 2 or more is a merge commit. */
  parents: number;
  signature: CommitSignature;
}

/** Where a branch's rules are set on GitHub: a ruleset (the repository's or its organisation's), or classic branch protection. */
export type BranchRuleSource = 'ruleset' | 'branch-protection';

/** What GitHub enforces on the default branch, as Openly could read it without administering the repository. */
export interface BranchRules {
  /** Commits must carry a verified signature. */
  signedCommits: boolean;
  /** Changes must come through a pull request. */
  pullRequests: boolean;
  /** Approving reviews a pull request needs before it merges (0 when none, or when pull requests are not required). */
  approvals: number;
  /** Where the rules read were set; empty when the branch has none that Openly can see. */
  sources: BranchRuleSource[];
  /** False when more ruleset rules apply than GitHub gave in one answer (over 100): a requirement may be among the rest. */
  complete: boolean;
}

/** The lines one commit under judgement added to one file, read from the commit's diff. */
export interface AddedLines {
  /** The commit that added them. */
  sha: string;
  /** Repository-relative POSIX path of the file in that commit. */
  path: string;
  /**
   * Runs of consecutive added lines (one diff hunk's added side each), joined by `\n`, with the 1-based line
   * number of the run's first line in that commit's version of the file.
   */
  runs: { line: number; text: string }[];
}

/** Files holding any of a set of strings, as `filesContaining` finds them. */
export interface FilesContaining {
  /** Repository-relative POSIX paths, sorted. */
  paths: readonly string[];
  /** False when some files could not be searched (unreadable, outside the tree); they are not listed. */
  complete: boolean;
}

/** What GitHub knows of a repository beyond its files; a local checkout does not carry it. */
export interface RepositoryFacts {
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  /** When anything was last pushed to any branch (ISO 8601); absent when GitHub gives none. */
  pushedAt?: string;
  /** What the default branch's rules require; absent where the source does not read them (a webhook's payload). */
  branchRules?: BranchRules;
}

/** The last commit that changed a file, as far as the history at hand shows. */
export interface LastChange {
  sha: string;
  /** Position in the history, newest first: 0 is the latest commit, so a lower number is a later change. */
  order: number;
}

/** What the change under judgement touched, as a source learnt it with the change's commits, without history. */
export interface ChangedFiles {
  /** What to call the change in a sentence: "this push", "pull request #12". */
  label: string;
  /**
   * Each path the change added or modified, with the last of its commits that did (`order` counted among the
   * change's commits, newest first), or null when the source knows that the change touched it but not in which
   * commit (a pull request's list of files).
   */
  paths: ReadonlyMap<string, LastChange | null>;
  /** False when GitHub listed only part of what the change touched: a path not listed may still have changed. */
  complete: boolean;
}

export interface RepoSnapshot {
  /** What to call the repository in reports: a local path, or `owner/name`. */
  readonly name: string;
  /** The commit the snapshot shows, or null for a plain folder. */
  readonly head: string | null;
  /** The repository's visibility, archiving and last push, when the source read them from GitHub. */
  readonly repository?: RepositoryFacts;
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
  /**
   * The commits under judgement, oldest first, or undefined when there is no change to judge (a plain folder, a
   * local checkout without a range). Optional: sources that never have commits need not implement it.
   */
  commits?(): readonly CommitInfo[] | undefined;
  /**
   * What the commits under judgement added, file by file, oldest commit first; undefined when the source has no
   * diffs at hand (no commits to judge, or a source that does not read them). Optional.
   */
  additions?(): readonly AddedLines[] | undefined;
  /**
   * The text files holding any of `needles` (fixed strings, case-sensitive) somewhere, found without reading
   * every file into memory (a local checkout asks `git grep`); undefined when the source has no quicker way than
   * `read`, which the caller then uses. Binary files are never listed. Optional.
   */
  filesContaining?(needles: readonly string[]): FilesContaining | undefined;
  /**
   * Folders that could not be listed (no permission, a path too long), relative to the root: their files are
   * missing from `files()`. Optional: sources that always see the whole tree need not implement it.
   */
  unreadableFolders?(): readonly { path: string; reason: string }[];
  /**
   * For each path, the last commit that changed it, or null when the history at hand does not show it (never
   * committed, or last changed before a shallow clone's first commit). Undefined when the source carries no
   * history (a plain folder, the GitHub API). One call for all paths, so that a source answers with one `git log`.
   */
  lastChanges?(paths: readonly string[]): ReadonlyMap<string, LastChange | null> | undefined;
  /**
   * What the change under judgement (a push, a pull request) touched, for a source without history that read the
   * change's lists of files with its commits (the App, from the push payload or the pull request); undefined when
   * there is no such list. Optional.
   */
  changedFiles?(): ChangedFiles | undefined;
  /** The bytes of a file up to MAX_TEXT_BYTES, for checks that read binary formats; undefined when unavailable. */
  bytes?(path: string): Uint8Array | undefined;
}
