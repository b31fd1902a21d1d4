/**
 * What an audit keeps in its `--out` folder between runs, under `.openly/`:
 *
 * - `state.json`, written when an audit completes: for every repository judged, the default branch's commit and
 *   the texts that were read of it (each text once, by its digest). A re-run judges a repository whose commit has
 *   not moved with these texts instead of reading them again, and with the listing's facts of the day
 *   (visibility, archived, last push) and today's date, so its verdict is the one a full audit would give.
 * - `progress/`, while an audit runs: a header naming the audit, then one file per listing page judged (the
 *   cursor to list on from, the verdicts, the texts read). An interrupted audit run again continues after the last
 *   page saved.
 *
 * Every file is written whole and then renamed into place, so a process killed mid-write leaves the earlier file.
 * Either file is valid only for the same organisation, Openly version and organisation base (and, for progress,
 * the same include flags); any other is ignored with a message, never trusted.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ConfigText } from './config.js';
import type { ListedRepository } from './list.js';
import type { ReadFiles } from './read.js';
import type { AuditedRepository } from './report.js';
import { isWireTree, treeFromWire, treeToWire, type ListedTree, type WireTree } from './wire.js';

/**
 * Bumped whenever the layout of these files changes: a file of another format is ignored with a message (every
 * repository is read again). Format 1 kept a repository's folders and skipped checks among its files, under names
 * no path can have; format 2 keeps them as fields of its record.
 */
export const STORE_FORMAT = 2;

/** What an audit's verdicts depend on besides the repositories: a store from other settings is not reused. */
export interface AuditSettings {
  organisation: string;
  version: string;
  includeArchived: boolean;
  includeForks: boolean;
}

/** A file as kept: its text, a binary file's size, or a file GitHub cut short. */
type KeptFile = string | { binary: number } | { truncated: true };

/** A repository as a page keeps it: the commit it was read at, path → file, its tree, and check → why skipped. */
interface Kept {
  head: string;
  files: Record<string, KeptFile>;
  /** Its tree as listed, with the folders listed deeper (artefact folders) that a listing alone does not show. */
  tree: WireTree;
  skipped: Record<string, string>;
}

/** What an audit keeps of a repository for the next one, and gets back while its commit has not moved. */
export interface KeptRepository {
  files: ReadFiles;
  tree: ListedTree;
  /** Check id → why the audit skipped it for this repository (too many artefacts, a whole-tree glob). */
  skipped: ReadonlyMap<string, string>;
}

interface StateFile {
  format: number;
  tool: 'openly';
  organisation: string;
  version: string;
  base: string;
  savedAt: string;
  /** Digest → text: a licence or code of conduct shared by many repositories is kept once. */
  texts: Record<string, string>;
  /** As `Kept`, with each text replaced by its digest. */
  repositories: Record<string, Kept>;
}

interface ProgressHeader extends AuditSettings {
  format: number;
  tool: 'openly';
  base: string;
  auditedAt: string;
}

interface ProgressPage {
  /** The listing cursor after this page; null when it was the last. */
  next: string | null;
  repositories: AuditedRepository[];
  kept: Record<string, Kept>;
}

/** What an interrupted audit had done. */
export interface Resumed {
  auditedAt: string;
  /** The organisation base it was judged by (a digest): a changed base voids what was done. */
  base: string;
  next: string;
  pages: number;
  repositories: AuditedRepository[];
}

/** The organisation base as a digest: the same text from the same file is the same base. */
export function baseDigest(base: ConfigText | undefined): string {
  if (base === undefined) return 'none';
  return createHash('sha256').update(`${base.source}\n${base.text}`).digest('hex');
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function keep(files: ReadFiles): Record<string, KeptFile> {
  const out: Record<string, KeptFile> = {};
  for (const [path, content] of files) {
    out[path] =
      content === undefined
        ? { truncated: true }
        : typeof content === 'string'
          ? content
          : { binary: content.byteLength };
  }
  return out;
}

function unkeep(
  files: Record<string, KeptFile>,
  text: (ref: string) => string | undefined,
): ReadFiles | undefined {
  const out: ReadFiles = new Map();
  for (const [path, file] of Object.entries(files)) {
    if (typeof file === 'string') {
      const found = text(file);
      if (found === undefined) return undefined;
      out.set(path, found);
    } else if ('binary' in file) out.set(path, new Uint8Array(file.binary));
    else out.set(path, undefined);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a stored file differs from this audit, or undefined when it is this audit's. */
function mismatch(
  stored: Record<string, unknown>,
  settings: AuditSettings,
  flags: boolean,
): string | undefined {
  if (stored.format !== STORE_FORMAT || stored.tool !== 'openly') return 'it is of another format';
  if (
    typeof stored.organisation !== 'string' ||
    stored.organisation.toLowerCase() !== settings.organisation.toLowerCase()
  )
    return `it is from an audit of ${String(stored.organisation)}`;
  if (stored.version !== settings.version) return `it is from Openly ${String(stored.version)}`;
  if (
    flags &&
    (stored.includeArchived !== settings.includeArchived || stored.includeForks !== settings.includeForks)
  )
    return 'it is from an audit with other --include-archived or --include-forks settings';
  return undefined;
}

/** The folder cannot hold the audit's memory: the audit stops rather than lose its progress silently. */
export class StoreError extends Error {
  override name = 'StoreError';
}

const PAGE_NAME = /^page-(\d{6})\.json$/;

/** A lock older than this is taken to be left by an audit that died on another machine (a restored cache). */
const LOCK_LAPSES_MS = 24 * 3600_000;

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The `.openly/` folder of an audit's `--out` folder. */
export class AuditStore {
  readonly #root: string;
  readonly #progress: string;
  readonly #warn: (message: string) => void;
  #settings: AuditSettings | undefined;
  #pages = 0;
  #texts = new Map<string, string>();
  #previous = new Map<string, Kept>();
  #locked: string | undefined;

  /** `folder` is the audit's `--out` folder; messages about files ignored go to `warn`. */
  constructor(folder: string, warn: (message: string) => void) {
    this.#root = join(folder, '.openly');
    this.#progress = join(this.#root, 'progress');
    this.#warn = warn;
  }

  #read(path: string): Record<string, unknown> | undefined {
    if (!existsSync(path)) return undefined;
    try {
      const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
      return isRecord(value) ? value : {};
    } catch {
      return {};
    }
  }

  /** Writes the whole file beside its place, then renames it there: a reader sees the old file or the new one. */
  #write(path: string, value: unknown): void {
    const staging = `${path}.${process.pid}.tmp`;
    try {
      // Made afresh and exclusively: a link left at the staging name is removed, never written through.
      rmSync(staging, { force: true });
      writeFileSync(staging, JSON.stringify(value), { flag: 'wx' });
      renameSync(staging, path);
    } catch (error) {
      throw new StoreError(`cannot write ${path}: ${(error as Error).message}`);
    }
  }

  /**
   * Claims the folder for this audit: two audits writing one folder at once would each take the other's progress
   * for its own. A lock left by a process that is no longer running (or over a day old) is taken over.
   */
  lock(now: Date = new Date()): void {
    this.#ensure(this.#root);
    const path = join(this.#root, 'lock');
    const mine = { pid: process.pid, host: hostname(), since: now.toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(path, JSON.stringify(mine), { flag: 'wx' });
        this.#locked = path;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new StoreError(`cannot write ${path}: ${(error as Error).message}`);
      }
      const held = this.#read(path) ?? {};
      const pid = typeof held.pid === 'number' ? held.pid : undefined;
      const since = typeof held.since === 'string' ? Date.parse(held.since) : Number.NaN;
      const alive =
        held.host === mine.host
          ? pid !== undefined && running(pid)
          : !(now.getTime() - since > LOCK_LAPSES_MS);
      if (alive) {
        const who =
          pid === undefined ? 'another audit' : `another audit (process ${pid} on ${String(held.host)})`;
        throw new StoreError(
          `${who} is writing to this folder since ${Number.isNaN(since) ? 'an unknown time' : new Date(since).toISOString()}; wait for it to finish, or delete ${path} if it is no longer running`,
        );
      }
      this.#warn(`${path} was left by an audit that is no longer running: taken over`);
      rmSync(path, { force: true });
    }
    throw new StoreError(`cannot claim ${path}: another audit took it at the same moment`);
  }

  /** Gives the folder up (the lock is this process's only). */
  unlock(): void {
    if (this.#locked === undefined) return;
    rmSync(this.#locked, { force: true });
    this.#locked = undefined;
  }

  /** How many pages of this audit are saved: a failure after the first can be continued. */
  get pages(): number {
    return this.#pages;
  }

  #ensure(path: string): void {
    // A link planted in place of the folder would send the writes elsewhere.
    for (const folder of [this.#root, path]) {
      if (existsSync(folder) && !lstatSync(folder).isDirectory())
        throw new StoreError(`${folder} is not a folder (a link or a file); remove it`);
      try {
        mkdirSync(folder, { recursive: true });
      } catch (error) {
        throw new StoreError(`cannot make the folder ${folder}: ${(error as Error).message}`);
      }
    }
  }

  #dropProgress(): void {
    rmSync(this.#progress, { recursive: true, force: true });
    this.#pages = 0;
  }

  /** What an interrupted audit of these settings had done, or undefined (with a message when a file was ignored). */
  resume(settings: AuditSettings): Resumed | undefined {
    const where = this.#progress;
    const header = this.#read(join(where, 'header.json'));
    if (header === undefined) return undefined;
    const ignore = (why: string): undefined => {
      this.#warn(
        `${where} is not this audit's progress (${why}): ignored, the audit starts from the beginning`,
      );
      this.#dropProgress();
      return undefined;
    };
    const differs = mismatch(header, settings, true);
    if (differs !== undefined) return ignore(differs);
    const names = readdirSync(where)
      .filter((name) => PAGE_NAME.test(name))
      .sort();
    const repositories: AuditedRepository[] = [];
    let next: string | null | undefined;
    let pages = 0;
    for (const name of names) {
      // Pages are numbered from 1 without a gap; anything after a gap was never part of this audit.
      if (name !== `page-${String(pages + 1).padStart(6, '0')}.json`) break;
      const page = this.#read(join(where, name)) as Partial<ProgressPage> | undefined;
      if (page === undefined || !Array.isArray(page.repositories) || !('next' in page)) {
        return ignore(`${name} cannot be read`);
      }
      repositories.push(...page.repositories);
      next = page.next;
      pages++;
    }
    if (pages === 0 || typeof next !== 'string' || typeof header.auditedAt !== 'string') {
      // Nothing judged yet, or every page judged (killed before the report was written): a fresh start costs
      // little, the state from the last complete audit still saves the reads.
      this.#dropProgress();
      return undefined;
    }
    this.#pages = pages;
    return { auditedAt: header.auditedAt, base: String(header.base), next, pages, repositories };
  }

  /** Forgets an interrupted audit, saying why. */
  abandon(why: string): void {
    this.#warn(`${this.#progress} ${why}: the audit starts from the beginning`);
    this.#dropProgress();
  }

  /**
   * Starts (or, with `resumed`, goes on with) an audit judged by the organisation base `base`: loads the files kept
   * by the last complete audit when it had the same organisation, version and base.
   */
  begin(settings: AuditSettings, base: string, auditedAt: string, resumed: boolean): void {
    this.#settings = settings;
    const where = join(this.#root, 'state.json');
    const state = this.#read(where);
    if (state !== undefined) {
      const differs =
        mismatch(state, settings, false) ??
        (state.base === base ? undefined : 'the organisation base has changed since');
      if (differs !== undefined) {
        this.#warn(`${where} is not reused (${differs}): every repository is read again`);
      } else if (isRecord(state.texts) && isRecord(state.repositories)) {
        for (const [hash, text] of Object.entries(state.texts))
          if (typeof text === 'string') this.#texts.set(hash, text);
        for (const [name, kept] of Object.entries(state.repositories)) {
          if (
            isRecord(kept) &&
            typeof kept.head === 'string' &&
            isRecord(kept.files) &&
            isWireTree(kept.tree) &&
            isRecord(kept.skipped)
          )
            this.#previous.set(name, kept as unknown as Kept);
        }
      }
    }
    if (!resumed) {
      this.#dropProgress();
      this.#ensure(this.#progress);
      const header: ProgressHeader = { format: STORE_FORMAT, tool: 'openly', ...settings, base, auditedAt };
      this.#write(join(this.#progress, 'header.json'), header);
    }
  }

  /** Whether files of the last audit are at hand: a first audit has nothing to wait for. */
  get remembers(): boolean {
    return this.#previous.size > 0;
  }

  /** Whether the last audit kept the files of `repo` at the commit its default branch is at now. */
  unchanged(repo: ListedRepository): boolean {
    return repo.head !== null && this.#previous.get(repo.name)?.head === repo.head;
  }

  /** What the last audit kept of `repo`, when its default branch is still at the same commit. */
  recall(repo: ListedRepository): KeptRepository | undefined {
    const kept = this.#previous.get(repo.name);
    if (kept === undefined || repo.head === null || kept.head !== repo.head) return undefined;
    const files = unkeep(kept.files, (hash) => this.#texts.get(hash));
    if (files === undefined) return undefined;
    const skipped = new Map<string, string>();
    for (const [check, why] of Object.entries(kept.skipped))
      if (typeof why === 'string') skipped.set(check, why);
    return { files, tree: treeFromWire(kept.tree), skipped };
  }

  /** Saves a judged page: its verdicts, the files read or recalled for them, and where the listing goes on. */
  savePage(
    next: string | null,
    repositories: readonly AuditedRepository[],
    files: ReadonlyMap<string, Kept>,
  ): void {
    this.#ensure(this.#progress);
    this.#pages++;
    const page: ProgressPage = { next, repositories: [...repositories], kept: Object.fromEntries(files) };
    this.#write(join(this.#progress, `page-${String(this.#pages).padStart(6, '0')}.json`), page);
  }

  /** The audit is complete: its files become the state the next audit starts from, and its progress goes. */
  finish(base: string, savedAt: string): void {
    const settings = this.#settings;
    if (settings === undefined) return;
    const state: StateFile = {
      format: STORE_FORMAT,
      tool: 'openly',
      organisation: settings.organisation,
      version: settings.version,
      base,
      savedAt,
      texts: {},
      repositories: {},
    };
    for (let n = 1; n <= this.#pages; n++) {
      const page = this.#read(join(this.#progress, `page-${String(n).padStart(6, '0')}.json`));
      const kept = page?.kept;
      if (!isRecord(kept)) continue;
      for (const [name, entry] of Object.entries(kept as Record<string, Kept>)) {
        const files: Record<string, KeptFile> = {};
        for (const [path, file] of Object.entries(entry.files)) {
          if (typeof file === 'string') {
            const hash = digest(file);
            state.texts[hash] = file;
            files[path] = hash;
          } else files[path] = file;
        }
        state.repositories[name] = { ...entry, files };
      }
    }
    this.#ensure(this.#root);
    this.#write(join(this.#root, 'state.json'), state);
    this.#dropProgress();
  }
}

/** A repository as a page keeps it. */
export function kept(repo: ListedRepository, record: KeptRepository): Kept | undefined {
  if (repo.head === null) return undefined;
  return {
    head: repo.head,
    files: keep(record.files),
    tree: treeToWire(record.tree),
    skipped: Object.fromEntries(record.skipped),
  };
}
export type { Kept };
