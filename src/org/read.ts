import type { AskOptions, RateLimitInfo } from './ask.js';
import { askBatched } from './ask-batched.js';
import type { BlobData, ListedRepository } from './list.js';
import { filesQuery } from './queries.js';

/**
 * Caps on one batched read. GitHub's node limit does not bind object lookups; its time limit on a request does, so
 * a batch is bounded by files and bytes as the App's file reads are (250 files, 8 MiB), and by repositories so
 * that one request's variables stay small. A repository holds 5 to 10 wanted files in practice, so a batch is
 * 30 to 50 repositories: the target of at most one read per 20 repositories, with room.
 */
export const REPOSITORIES_PER_READ = 50;
export const FILES_PER_READ = 300;
export const BYTES_PER_READ = 8 * 1024 * 1024;

/** One repository's part of a batch: the paths to read at its default branch's commit. */
export interface ReadRequest {
  repo: ListedRepository;
  paths: string[];
}

/** What was read: text, a Uint8Array standing for a binary file, `undefined` for a file GitHub cut short. */
export type ReadFiles = Map<string, string | Uint8Array | undefined>;

export interface ReadResult {
  /** Repository name → its files. */
  files: Map<string, ReadFiles>;
  /** Repository name → why it could not be read (gone or hidden since it was listed). */
  failed: Map<string, string>;
  requests: number;
  rateLimit: RateLimitInfo | undefined;
}

function bytesOf(request: ReadRequest): number {
  return request.paths.reduce((sum, path) => sum + (request.repo.sizes.get(path) ?? 0), 0);
}

/** Splits the requests into batches within the caps; a repository's files are never split across batches. */
export function batchReads(requests: readonly ReadRequest[]): ReadRequest[][] {
  const batches: ReadRequest[][] = [];
  let batch: ReadRequest[] = [];
  let files = 0;
  let bytes = 0;
  for (const request of requests) {
    if (request.paths.length === 0) continue;
    const size = bytesOf(request);
    const full =
      batch.length >= REPOSITORIES_PER_READ ||
      files + request.paths.length > FILES_PER_READ ||
      bytes + size > BYTES_PER_READ;
    if (batch.length > 0 && full) {
      batches.push(batch);
      batch = [];
      files = 0;
      bytes = 0;
    }
    batch.push(request);
    files += request.paths.length;
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

function content(blob: BlobData | null | undefined): string | Uint8Array | undefined | null {
  if (blob === null || blob === undefined || blob.byteSize === undefined) return null;
  if (blob.isTruncated === true) return undefined;
  if (blob.isBinary === true || typeof blob.text !== 'string') return new Uint8Array(blob.byteSize);
  return blob.text;
}

/** Reads every request's files, many repositories per GraphQL request. */
export async function readFiles(
  options: AskOptions,
  org: string,
  requests: readonly ReadRequest[],
  start?: RateLimitInfo,
): Promise<ReadResult> {
  const files = new Map<string, ReadFiles>();
  const asked = await askBatched(
    options,
    org,
    batchReads(requests),
    {
      query: filesQuery,
      objects: (request) => request.paths,
      failure: (why) =>
        `GitHub could not read it (${why}); it was deleted, renamed or hidden from the token since it was listed`,
      take: (request, answer) => {
        const read: ReadFiles = new Map();
        request.paths.forEach((path, f) => {
          const text = content(answer[`f${f}`] as BlobData | null | undefined);
          if (text !== null) read.set(path, text);
        });
        files.set(request.repo.name, read);
      },
    },
    start,
  );
  return { files, ...asked };
}
