/**
 * The SPDX licence texts (spdx-license-list/full), grouped and indexed for identification. Built lazily on first
 * use: loading and indexing every text costs tens of milliseconds, which a run that never reads a licence file
 * should not pay.
 */
import { createRequire } from 'node:module';
import { isDeprecatedLicenceId } from './ids.js';
import { normaliseWords } from './normalise.js';

const require = createRequire(import.meta.url);

interface SpdxEntry {
  name: string;
  osiApproved?: boolean;
  licenseText?: string;
}

/** Deprecated SPDX ids, and every `+` form (SPDX replaced them with `-or-later`). */
export function isDeprecatedId(id: string): boolean {
  return isDeprecatedLicenceId(id) || id.endsWith('+');
}

/** Licences whose canonical texts are identical after normalisation, canonical id first. */
export interface LicenceGroup {
  ids: string[];
  /** The first normalised words of the text (its title, usually), to tell a preface from the text in a copy. */
  opening: string[];
}

/** How many words `LicenceGroup.opening` holds. */
export const OPENING_WORDS = 8;

/**
 * Orders the ids of one group: non-deprecated first, then `-only` forms (the plain meaning of a licence text
 * without a notice saying "or later"), then OSI-approved, then shorter ids, then alphabetical. Deterministic.
 */
export function compareCanonical(a: string, b: string, osi: (id: string) => boolean): number {
  const key = (id: string): number[] => [
    isDeprecatedId(id) ? 1 : 0,
    id.endsWith('-only') ? 0 : 1,
    osi(id) ? 0 : 1,
  ];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0) return d;
  }
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Word bigrams ("shingles") map to dense ids through this open-addressing table of word-id pairs. */
export class PairTable {
  private bits: number;
  private mask: number;
  /** Slot i holds [left, right, id, unused] at 4i: one probe reads one cache line, not three arrays. */
  private slots: Int32Array;
  size = 0;

  constructor(expected: number) {
    this.bits = Math.max(10, Math.ceil(Math.log2(expected * 2 + 1)));
    this.mask = (1 << this.bits) - 1;
    this.slots = new Int32Array(4 << this.bits).fill(-1);
  }

  private slot(a: number, b: number): number {
    return Math.imul(Math.imul(a, 0x9e3779b1) ^ b, 0x85ebca6b) >>> (32 - this.bits);
  }

  /** The id of the pair, or -1. */
  get(a: number, b: number): number {
    const slots = this.slots;
    let s = this.slot(a, b);
    for (;;) {
      const at = s << 2;
      const l = slots[at]!;
      if (l === -1) return -1;
      if (l === a && slots[at + 1] === b) return slots[at + 2]!;
      s = (s + 1) & this.mask;
    }
  }

  /** The id of the pair, assigning the next one when new. */
  intern(a: number, b: number): number {
    if (this.size * 2 >= this.mask) this.grow();
    const slots = this.slots;
    let s = this.slot(a, b);
    for (;;) {
      const at = s << 2;
      const l = slots[at]!;
      if (l === -1) {
        slots[at] = a;
        slots[at + 1] = b;
        slots[at + 2] = this.size;
        return this.size++;
      }
      if (l === a && slots[at + 1] === b) return slots[at + 2]!;
      s = (s + 1) & this.mask;
    }
  }

  /** A table holding pair i = (left[i], right[i]) with id i, for i below `count`. */
  static fromArrays(left: Int32Array, right: Int32Array, count: number): PairTable {
    const table = new PairTable(count);
    for (let id = 0; id < count; id++) table.intern(left[id]!, right[id]!);
    return table;
  }

  /** Calls `fn` with each pair and its id. */
  forEach(fn: (a: number, b: number, id: number) => void): void {
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += 4)
      if (slots[at] !== -1) fn(slots[at]!, slots[at + 1]!, slots[at + 2]!);
  }

  private grow(): void {
    const old = this.slots;
    this.bits += 1;
    this.mask = (1 << this.bits) - 1;
    this.slots = new Int32Array(4 << this.bits).fill(-1);
    for (let at = 0; at < old.length; at += 4) {
      const a = old[at]!;
      if (a === -1) continue;
      let s = this.slot(a, old[at + 1]!);
      while (this.slots[s << 2] !== -1) s = (s + 1) & this.mask;
      this.slots.set(old.subarray(at, at + 4), s << 2);
    }
  }
}

/** Everything identification needs, built once. */
export interface CorpusIndex {
  groups: LicenceGroup[];
  /** Word → word id. */
  vocab: Map<string, number>;
  pairs: PairTable;
  /**
   * Pair i's words, when the index was read from the precomputed file: identification builds its own lookup table
   * from these, so the file's reader need not build `pairs` unless something asks for it.
   */
  pairWords?: { left: Int32Array; right: Int32Array };
  /** Number of distinct bigrams; `shingleCount` is also the id used for a bigram no licence has. */
  shingleCount: number;
  /** Group g's distinct bigram ids are `shingles[start[g] .. end[g])`, the required ones before `reqEnd[g]`. */
  shingles: Int32Array;
  start: Int32Array;
  reqEnd: Int32Array;
  end: Int32Array;
  /** Inverted index over each group's rarest bigrams, for choosing which groups to score. */
  postStart: Int32Array;
  postings: Uint16Array;
  indexedCount: Int32Array;
  /** Group of each id. */
  groupOf: Map<string, number>;
}

// Parts of SPDX texts that real copies often leave out, so a copy need not have them (though it may). Each marker is
// a phrase in normalised words; `after` markers end the required part (where they end, or, with `before`, where
// they start), `from` markers start it. `minAt` keeps a marker from firing in a title.
interface Marker {
  /** Written in plain words; normalised like the texts before use ("exercising" becomes "exercizing"). */
  phrase: string;
  kind: 'after' | 'before' | 'from';
  minAt: number;
}

const MARKERS: Marker[] = [
  // Apache's "APPENDIX: How to apply…", the GPL's "How to Apply These Terms…".
  { phrase: 'end of terms and conditions', kind: 'after', minAt: 0 },
  // SPDX's LGPL-3.0 carries the whole GPL-3.0 after it; COPYING.LESSER files do not.
  { phrase: 'gnu general public license version 3 29 june 2007', kind: 'before', minAt: 50 },
  // The OGL's closing notes on the licence itself ("About the Open Government Licence").
  { phrase: 'about the open government licence', kind: 'before', minAt: 200 },
  // Creative Commons: the notes for licensors and licensees before the legal code, the trademark notice after it.
  { phrase: 'by exercising the licensed rights', kind: 'from', minAt: 50 },
  {
    phrase: 'the work as defined below is provided under the terms of this creative commons public license',
    kind: 'from',
    minAt: 20,
  },
  { phrase: 'creative commons is not party to its public licenses', kind: 'before', minAt: 200 },
  {
    phrase: 'creative commons notice creative commons is not party to this license',
    kind: 'before',
    minAt: 200,
  },
];

let markerWords: string[][] | undefined;

function findPhrase(words: string[], phrase: string[], from: number): number {
  outer: for (let i = from; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return i;
  }
  return -1;
}

/** The word range [from, to) a copy of this text is expected to have. */
function requiredRange(words: string[]): [number, number] {
  let from = 0;
  let to = words.length;
  markerWords ??= MARKERS.map((m) => normaliseWords(m.phrase));
  for (const [i, m] of MARKERS.entries()) {
    const phrase = markerWords[i]!;
    const at = findPhrase(words, phrase, m.minAt);
    if (at < 0) continue;
    if (m.kind === 'from') from = Math.max(from, at);
    else to = Math.min(to, m.kind === 'after' ? at + phrase.length : at);
  }
  return from < to ? [from, to] : [0, words.length];
}

/** What besides the normalisation decides the index's content; a precomputed index built otherwise is stale. */
export function indexParameters(): string {
  return `${MARKERS.map((m) => `${m.kind}:${m.minAt}:${m.phrase}`).join(',')}|${RARE_DF}|${MIN_INDEXED}`;
}

/** A bigram shared by at most this many groups goes in the inverted index. */
const RARE_DF = 12;
/** Each group indexes at least this many of its rarest bigrams, however common. */
const MIN_INDEXED = 24;

/** Builds the index from `spdx-license-list/full`-shaped data. */
export function buildIndex(full: Readonly<Record<string, SpdxEntry>>): CorpusIndex {
  const byText = new Map<string, { ids: string[]; words: string[] }>();
  for (const id of Object.keys(full)) {
    const text = full[id]?.licenseText;
    if (text === undefined) continue;
    const words = normaliseWords(text);
    if (words.length < 2) continue;
    const key = words.join(' ');
    const found = byText.get(key);
    if (found) found.ids.push(id);
    else byText.set(key, { ids: [id], words });
  }
  const osi = (id: string): boolean => full[id]?.osiApproved === true;
  const entries = [...byText.values()];
  for (const e of entries) e.ids.sort((a, b) => compareCanonical(a, b, osi));
  // Group order decides nothing but must not depend on object key order.
  entries.sort((a, b) => (a.ids[0]! < b.ids[0]! ? -1 : 1));

  const vocab = new Map<string, number>();
  const pairs = new PairTable(1 << 18);
  const perGroup: { req: number[]; opt: number[] }[] = [];
  for (const e of entries) {
    const wordIds = e.words.map((w) => {
      let id = vocab.get(w);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(w, id);
      }
      return id;
    });
    const [reqFrom, reqTo] = requiredRange(e.words);
    const req = new Set<number>();
    const opt = new Set<number>();
    for (let i = 0; i + 1 < wordIds.length; i++) {
      const gid = pairs.intern(wordIds[i]!, wordIds[i + 1]!);
      if (i >= reqFrom && i + 1 < reqTo) req.add(gid);
      else opt.add(gid);
    }
    for (const g of req) opt.delete(g);
    perGroup.push({ req: [...req], opt: [...opt] });
  }

  const shingleCount = pairs.size;
  const df = new Int32Array(shingleCount);
  let total = 0;
  for (const g of perGroup) {
    for (const s of g.req) df[s]! += 1;
    for (const s of g.opt) df[s]! += 1;
    total += g.req.length + g.opt.length;
  }
  const shingles = new Int32Array(total);
  const start = new Int32Array(perGroup.length);
  const reqEnd = new Int32Array(perGroup.length);
  const end = new Int32Array(perGroup.length);
  const indexed: number[][] = [];
  let at = 0;
  perGroup.forEach((g, gi) => {
    start[gi] = at;
    for (const s of g.req) shingles[at++] = s;
    reqEnd[gi] = at;
    for (const s of g.opt) shingles[at++] = s;
    end[gi] = at;
    // Index the required bigrams only: a copy without the optional part must still be found.
    const byRarity = [...g.req].sort((a, b) => df[a]! - df[b]! || a - b);
    const take = byRarity.filter((s, i) => df[s]! <= RARE_DF || i < MIN_INDEXED);
    indexed.push(take);
  });

  const postCount = new Int32Array(shingleCount + 1);
  for (const list of indexed) for (const s of list) postCount[s]! += 1;
  const postStart = new Int32Array(shingleCount + 1);
  let acc = 0;
  for (let s = 0; s < shingleCount; s++) {
    postStart[s] = acc;
    acc += postCount[s]!;
  }
  postStart[shingleCount] = acc;
  const postings = new Uint16Array(acc);
  const fill = postStart.slice(0, shingleCount);
  indexed.forEach((list, gi) => {
    for (const s of list) postings[fill[s]!++] = gi;
  });
  const indexedCount = Int32Array.from(indexed, (l) => l.length);

  const groups = entries.map((e) => ({ ids: e.ids, opening: e.words.slice(0, OPENING_WORDS) }));
  const groupOf = new Map<string, number>();
  groups.forEach((g, gi) => g.ids.forEach((id) => groupOf.set(id, gi)));
  return {
    groups,
    vocab,
    pairs,
    shingleCount,
    shingles,
    start,
    reqEnd,
    end,
    postStart,
    postings,
    indexedCount,
    groupOf,
  };
}

/** The SPDX texts, keyed by id. */
export function spdxTexts(): Readonly<Record<string, SpdxEntry>> {
  return require('spdx-license-list/full') as Record<string, SpdxEntry>;
}
