/**
 * The corpus index as one binary file, written at build time next to the compiled code so that a cold start reads
 * a few hundred kilobytes instead of parsing and indexing 5 MB of licence texts. The file names the
 * spdx-license-list version and a format number it was built from; when either differs, or the file is absent
 * (tests run from source), the index is built from the texts instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { indexParameters, PairTable, type CorpusIndex } from './corpus.js';
import { normaliseWords } from './normalise.js';

/** Bump when the normalisation or the index layout changes. */
export const INDEX_FORMAT = 6;

const MAGIC = 0x4f4c4931; // "OLI1"

// Normalised at build and at load: if normalise.ts has changed since the file was written, the results differ.
const PROBE =
  '# The MIT Licence\n\nCopyright (c) 2024 Crown Copyright\n1. Redistributions of the Software’s source; **organisation**, ' +
  'licenced, sub-license, open-government-licence, colour, centre, catalogue, judgement, cancelled, whilst (a) https://www.example.org/';

function fingerprint(): string {
  return `${indexParameters()}|${normaliseWords(PROBE).join(' ')}`;
}

interface Header {
  format: number;
  fingerprint: string;
  spdxListVersion: string;
  groups: { ids: string[]; opening: string[] }[];
  vocab: string[];
  shingleCount: number;
  arrays: { name: ArrayName; length: number }[];
}

type ArrayName =
  'left' | 'right' | 'shingles' | 'start' | 'reqEnd' | 'end' | 'postStart' | 'postings' | 'indexedCount';

/** The installed spdx-license-list version, which the texts come from. */
export function spdxListVersion(): string {
  const require = createRequire(import.meta.url);
  try {
    return (require('spdx-license-list/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Serialises an index (all arrays as little-endian 32-bit integers, 4-byte aligned). */
export function encodeIndex(index: CorpusIndex): Buffer {
  const n = index.shingleCount;
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  index.pairs.forEach((a, b, id) => {
    left[id] = a;
    right[id] = b;
  });
  const vocab: string[] = [];
  for (const [word, id] of index.vocab) vocab[id] = word;
  const arrays: Record<ArrayName, Int32Array> = {
    left,
    right,
    shingles: index.shingles,
    start: index.start,
    reqEnd: index.reqEnd,
    end: index.end,
    postStart: index.postStart,
    postings: Int32Array.from(index.postings),
    indexedCount: index.indexedCount,
  };
  const header: Header = {
    format: INDEX_FORMAT,
    fingerprint: fingerprint(),
    spdxListVersion: spdxListVersion(),
    groups: index.groups.map((g) => ({ ids: g.ids, opening: g.opening })),
    vocab,
    shingleCount: n,
    arrays: (Object.keys(arrays) as ArrayName[]).map((name) => ({ name, length: arrays[name].length })),
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const jsonPadded = Math.ceil(json.length / 4) * 4;
  const total = 8 + jsonPadded + header.arrays.reduce((sum, a) => sum + a.length * 4, 0);
  const out = Buffer.alloc(total);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  let at = 8 + jsonPadded;
  for (const { name } of header.arrays) {
    const a = arrays[name];
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, at);
    at += a.byteLength;
  }
  return out;
}

/** Reads an index written by `encodeIndex`, or undefined when it is stale or unreadable. */
export function decodeIndex(data: Buffer): CorpusIndex | undefined {
  if (data.length < 8 || data.readUInt32LE(0) !== MAGIC) return undefined;
  const jsonLength = data.readUInt32LE(4);
  const header = JSON.parse(data.toString('utf8', 8, 8 + jsonLength)) as Header;
  if (header.format !== INDEX_FORMAT || header.spdxListVersion !== spdxListVersion()) return undefined;
  if (header.fingerprint !== fingerprint()) return undefined;
  // Typed-array views need 4-byte alignment; copy once into an aligned buffer when the read one is not.
  const aligned = data.byteOffset % 4 === 0 ? data : Buffer.from(data);
  let at = 8 + Math.ceil(jsonLength / 4) * 4;
  const arrays = {} as Record<ArrayName, Int32Array>;
  for (const { name, length } of header.arrays) {
    arrays[name] = new Int32Array(aligned.buffer, aligned.byteOffset + at, length);
    at += length * 4;
  }
  const { left, right } = arrays;
  const shingleCount = header.shingleCount;
  // Built on first use only: identification looks pairs up in a table of its own, made from `pairWords`.
  let pairs: PairTable | undefined;
  const vocab = new Map<string, number>();
  header.vocab.forEach((word, id) => vocab.set(word, id));
  const groups = header.groups.map((g) => ({ ids: g.ids, opening: g.opening }));
  const groupOf = new Map<string, number>();
  groups.forEach((g, gi) => g.ids.forEach((id) => groupOf.set(id, gi)));
  return {
    groups,
    vocab,
    get pairs(): PairTable {
      pairs ??= PairTable.fromArrays(left, right, shingleCount);
      return pairs;
    },
    pairWords: { left, right },
    shingleCount,
    shingles: arrays.shingles,
    start: arrays.start,
    reqEnd: arrays.reqEnd,
    end: arrays.end,
    postStart: arrays.postStart,
    postings: Uint16Array.from(arrays.postings),
    indexedCount: arrays.indexedCount,
    groupOf,
  };
}

/** Writes the index file (used by the build). */
export function writeIndexFile(path: string | URL, index: CorpusIndex): number {
  const data = encodeIndex(index);
  writeFileSync(path, data);
  return data.length;
}

/** Reads the index file, or undefined when it is absent, stale or unreadable. */
export function readIndexFile(path: string | URL): CorpusIndex | undefined {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch {
    return undefined;
  }
  try {
    return decodeIndex(data);
  } catch {
    return undefined;
  }
}
