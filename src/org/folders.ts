import { packTypes } from '../artefacts/pack.js';
import type { ArtefactsOptions } from '../config/types.js';
import type { AskOptions, RateLimitInfo } from './ask.js';
import { askBatched } from './ask-batched.js';
import { addEntries, type ListedRepository } from './list.js';
import { foldersQuery } from './queries.js';

/** How deep one lookup lists a folder: its entries and three levels below (the `OrgFolder` fragment). */
export const FOLDER_LEVELS = 4;

/**
 * Caps on one batched folder listing. Like file reads, a listing is bounded by GitHub's time limit on a request
 * rather than by its node limit (tree entries are lists, not connections).
 */
export const REPOSITORIES_PER_LISTING = 50;
export const FOLDERS_PER_LISTING = 100;

/** The folders the repository listing shows one level of. */
const LISTED_BY_LISTING = ['', '.github', 'docs', 'LICENSES'];

/** A character that makes a glob segment more than a plain name. */
const WILDCARD = /[*?[\]{}()!+@\\]/;

/** Where a glob's files can be: the plain folder before its first wildcard, and how many levels below it. */
export interface Place {
  folder: string;
  /** Path segments from the folder to a file, file included; Infinity for `**`. */
  levels: number;
}

export function placeOf(glob: string): Place {
  const segments = glob.replace(/^\.?\//, '').split('/');
  const last = segments.length - 1;
  let i = 0;
  while (i < last && !WILDCARD.test(segments[i] ?? '')) i++;
  const rest = segments.slice(i);
  return {
    folder: segments.slice(0, i).join('/'),
    levels: rest.some((segment) => segment.includes('**')) ? Infinity : rest.length,
  };
}

/** The globs where the artefacts check looks, given its options: the pack's usual places, configured paths, schemas. */
export function artefactGlobs(options: ArtefactsOptions | undefined): string[] {
  const globs: string[] = [];
  if (options?.detect !== false) for (const type of packTypes().values()) globs.push(...type.locations);
  for (const entry of options?.files ?? []) {
    globs.push(entry.path);
    // A team's schema may refer to schemas beside or below it (see the artefacts check's `wants`).
    if (entry.schema !== undefined) {
      const schema = entry.schema.replace(/^(?:\.\/|\/)+/, '');
      const folder = schema.slice(0, schema.lastIndexOf('/') + 1);
      globs.push(folder === '' ? schema : `${folder}**/*.json`);
    }
  }
  return globs;
}

function depth(folder: string): number {
  return folder === '' ? 0 : folder.split('/').length;
}

function within(folder: string, ancestor: string): boolean {
  return ancestor === '' || folder === ancestor || folder.startsWith(`${ancestor}/`);
}

/** What a repository's artefact places need listed, or the glob that would need its whole tree. */
export interface FolderPlan {
  folders: string[];
  /** A glob whose files could be anywhere below the root: the audit does not walk a whole tree. */
  wholeTree?: string;
}

/**
 * The folders to list so that every file the globs can match is known, given what is listed already: the
 * listing's one level of the root, `.github`, `docs` and `LICENSES`, and the folders listed deep before. A folder
 * whose first unlisted step the listing shows is absent is not asked for: most repositories need nothing.
 */
export function foldersToList(
  repo: ListedRepository,
  globs: readonly string[],
  listed: ReadonlySet<string>,
): FolderPlan {
  const places = globs.map(placeOf).sort((a, b) => depth(a.folder) - depth(b.folder));
  const plan: FolderPlan = { folders: [] };
  const deep = new Set(listed);
  for (const { folder, levels } of places) {
    const shallow = LISTED_BY_LISTING.some(
      (ancestor) => within(folder, ancestor) && depth(folder) - depth(ancestor) + levels <= 1,
    );
    if (shallow) continue;
    const covered = [...deep].some(
      (ancestor) =>
        within(folder, ancestor) &&
        (levels === Infinity || depth(folder) - depth(ancestor) + levels <= FOLDER_LEVELS),
    );
    if (covered) continue;
    if (folder === '') {
      plan.wholeTree ??= globs.find((glob) => {
        const place = placeOf(glob);
        return place.folder === '' && place.levels > 1;
      });
      continue;
    }
    // The deepest folder the listing shows must hold the next step towards this one.
    const ancestor = LISTED_BY_LISTING.filter((a) => within(folder, a) && a !== folder).sort(
      (a, b) => depth(b) - depth(a),
    )[0];
    const step = folder
      .split('/')
      .slice(0, depth(ancestor ?? '') + 1)
      .join('/');
    if (!repo.folders.has(step)) continue;
    deep.add(folder);
    plan.folders.push(folder);
  }
  return plan;
}

/** One repository's part of a batch: the folders to list at its default branch's commit. */
export interface FolderRequest {
  repo: ListedRepository;
  folders: string[];
}

export interface FolderResult {
  /** Repository name → why it could not be listed (gone or hidden since it was listed). */
  failed: Map<string, string>;
  requests: number;
  rateLimit: RateLimitInfo | undefined;
}

interface FolderEntry {
  name: string;
  type: string;
  mode: number;
  size: number;
  object?: FolderTree | null;
}

interface FolderTree {
  entries?: FolderEntry[];
}

/** Adds a listed folder's files to the repository, level by level; a folder at the last level is noted as unlisted. */
function addFolder(
  repo: ListedRepository,
  folder: string,
  tree: FolderTree | null | undefined,
  level: number,
): void {
  if (tree?.entries === undefined) return;
  repo.folders.add(folder);
  addEntries(repo, `${folder}/`, tree);
  for (const entry of tree.entries) {
    if (entry.type !== 'tree') continue;
    const path = `${folder}/${entry.name}`;
    if (level >= FOLDER_LEVELS || entry.object === undefined) {
      repo.folders.add(path);
      repo.unlisted.add(path);
    } else addFolder(repo, path, entry.object, level + 1);
  }
}

/** Splits the requests into batches within the caps; a repository's folders are never split across batches. */
export function batchFolders(requests: readonly FolderRequest[]): FolderRequest[][] {
  const batches: FolderRequest[][] = [];
  let batch: FolderRequest[] = [];
  let folders = 0;
  for (const request of requests) {
    if (request.folders.length === 0) continue;
    if (
      batch.length > 0 &&
      (batch.length >= REPOSITORIES_PER_LISTING || folders + request.folders.length > FOLDERS_PER_LISTING)
    ) {
      batches.push(batch);
      batch = [];
      folders = 0;
    }
    batch.push(request);
    folders += request.folders.length;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Lists every request's folders, many repositories per GraphQL request, and adds what they hold to each
 * repository as listed: its files (to read later) and its folders.
 */
export async function listFolders(
  options: AskOptions,
  org: string,
  requests: readonly FolderRequest[],
  start?: RateLimitInfo,
): Promise<FolderResult> {
  return askBatched(
    options,
    org,
    batchFolders(requests),
    {
      query: foldersQuery,
      objects: (request) => request.folders,
      failure: (why) =>
        `GitHub could not list its folders (${why}); it was deleted, renamed or hidden from the token since it was listed`,
      take: (request, answer) =>
        request.folders.forEach((folder, f) =>
          addFolder(request.repo, folder, answer[`d${f}`] as FolderTree | null | undefined, 1),
        ),
    },
    start,
  );
}
