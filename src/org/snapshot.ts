import { MemorySnapshot } from '../sources/memory.js';
import {
  MAX_TEXT_BYTES,
  type FileContent,
  type GrepResult,
  type RepoSnapshot,
  type RepositoryFacts,
} from '../sources/snapshot.js';
import { FOLDER_LEVELS } from './folders.js';
import type { ListedRepository } from './list.js';
import type { ReadFiles } from './read.js';

/**
 * A repository as the audit sees it from its default branch: the files of the folders listed (root, `.github/`,
 * `docs/`, `LICENSES/`), the wanted ones read. A file not read says why, rather than passing for empty.
 */
class AuditSnapshot implements RepoSnapshot {
  readonly name: string;
  readonly head: string | null;
  readonly repository: RepositoryFacts;
  readonly #repo: ListedRepository;
  readonly #read: ReadFiles;
  readonly #memory: MemorySnapshot;

  constructor(org: string, repo: ListedRepository, read: ReadFiles) {
    this.name = `${org}/${repo.name}`;
    this.head = repo.head;
    this.repository = {
      visibility: repo.visibility,
      archived: repo.archived,
      ...(repo.pushedAt === null ? {} : { pushedAt: repo.pushedAt }),
      ...(repo.branchRules === undefined ? {} : { branchRules: repo.branchRules }),
    };
    this.#repo = repo;
    this.#read = read;
    const files: Record<string, string | Uint8Array | undefined> = {};
    for (const path of repo.sizes.keys()) files[path] = read.get(path);
    this.#memory = new MemorySnapshot(files, { name: this.name, head: this.head });
  }

  files(): readonly string[] {
    return this.#memory.files();
  }

  has(path: string): boolean {
    return this.#memory.has(path);
  }

  read(path: string): FileContent {
    const size = this.#repo.sizes.get(path);
    if (size === undefined) return { kind: 'missing' };
    if (this.#repo.links.has(path)) {
      return {
        kind: 'unavailable',
        reason: 'it is a symbolic link, which the organisation audit does not follow',
      };
    }
    if (size > MAX_TEXT_BYTES || (this.#read.has(path) && this.#read.get(path) === undefined)) {
      return { kind: 'too-large', size };
    }
    if (!this.#read.has(path)) return { kind: 'unavailable', reason: 'not read by the organisation audit' };
    return this.#memory.read(path);
  }

  unreadableFolders(): readonly { path: string; reason: string }[] {
    return [...this.#repo.unlisted].sort().map((path) => ({
      path,
      reason: `the organisation audit lists artefact folders ${FOLDER_LEVELS} levels deep, and this one is deeper`,
    }));
  }

  grep(needle: string, options?: { maxLines?: number }): GrepResult {
    const result = this.#memory.grep(needle, options);
    const unread = [...this.#repo.sizes.keys()].some((path) => !this.#read.has(path));
    return { matches: result.matches, complete: result.complete && !unread };
  }
}

export function auditSnapshot(org: string, repo: ListedRepository, read: ReadFiles): RepoSnapshot {
  return new AuditSnapshot(org, repo, read);
}
