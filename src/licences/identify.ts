/**
 * Identifies which licence a file holds. The file's words become bigrams; an inverted index over each licence's
 * rarest bigrams shortlists the SPDX licences worth scoring; each is scored on the stretch of the file it covers
 * best, so that a preface ("This project is maintained by…") or a trailing note costs nothing while a clause the
 * licence lacks (BSD-3's third clause against BSD-2) or a clause the file lacks (MIT's notice condition against
 * MIT-0) both cost. Close relatives are then compared on the wording that tells them apart. Short files that only
 * name a licence are read for references instead, and whatever lies outside the matched text is read for other
 * licences it names.
 */
import type { CorpusIndex } from './corpus.js';
import { corpusIndex } from './corpus-index.js';
import { canonicalWord, normalise, type NormalisedText } from './normalise.js';
import { findReferences, type Reference } from './references.js';
import type { Identification, LicenceCandidate } from './types.js';

export { isSpdxLicenceId, licenceName, licenceUrl, spdxIdCasing } from './ids.js';

/** Below this score a full-text match is not claimed. */
const ACCEPT = 0.85;
/** Two overlapping matches whose ranks differ by less than this are too close to call. */
const TOO_CLOSE = 0.002;
/** How many licences, chosen by the inverted index, are considered for a full score. */
const SHORTLIST = 16;
/** Weight of the share of the file explained, which separates a licence from one that is a part of it. */
const COVERAGE_WEIGHT = 0.05;
/** A file this short (in words) that matches no full text may still name its licence. */
const SHORT_WORDS = 400;
/** A file matching a licence's text this well is a damaged copy of it, whatever else it says. */
const PARTIAL_COPY = 0.3;
/** How far past the start of its matched stretch a text's opening words are looked for. */
const OPENING_SLACK = 60;
/** This many bigrams in a row of the identified licence are a sentence copied from it. */
const COPIED_RUN = 4;
/** Candidates scoring below this are noise, not worth showing. */
const MIN_CANDIDATE = 0.2;

interface Scored {
  group: number;
  /** F1 of recall (licence words found) and precision (file words inside the matched stretch that fit). */
  score: number;
  /** Score with a small bonus for explaining more of the file, to rank licences that both fit a stretch. */
  rank: number;
  /**
   * Precision-weighted similarity (F0.5), to order candidates when none is accepted: a truncated copy fits its own
   * licence with nothing foreign, while a shorter relative sharing its opening scores a better recall.
   */
  leaning: number;
  /** The matched stretch, in word positions. */
  from: number;
  to: number;
}

/** Reusable scratch space, sized to the index, so that a warm call allocates little. */
interface Scratch {
  seen: Int32Array;
  /** `inDoc[g] === docEpoch` when the file being identified has bigram g. */
  inDoc: Int32Array;
  docEpoch: number;
  member: Int32Array;
  required: Int32Array;
  hits: Float64Array;
  topGroup: Int32Array;
  topShare: Float64Array;
  epoch: number;
}

let scratch: Scratch | undefined;

/** Scratch space for bigram ids below `size` (the index's, then the file's own from `shingleCount` up). */
function scratchFor(index: CorpusIndex, size: number): Scratch {
  if (scratch === undefined || scratch.hits.length !== index.groups.length || scratch.seen.length < size) {
    // Grown with room to spare, so that a run of slightly longer files does not reallocate each time.
    const length = Math.max(size + (size >> 3), index.shingleCount + 4096);
    // Zeroed arrays never hold a current epoch (epochs start at 1), so the old counter stays valid.
    scratch = {
      seen: new Int32Array(length),
      inDoc: new Int32Array(length),
      docEpoch: 0,
      member: new Int32Array(length),
      required: new Int32Array(length),
      hits: new Float64Array(index.groups.length),
      topGroup: new Int32Array(SHORTLIST),
      topShare: new Float64Array(SHORTLIST),
      epoch: scratch?.epoch ?? 0,
    };
  }
  return scratch;
}

function nextEpoch(s: Scratch): number {
  return ++s.epoch;
}

/** Clears the stamps long before the epoch counter could overflow; called between files, never during one. */
function freshEpochs(s: Scratch): void {
  if (s.epoch < 0x7fff0000) return;
  s.seen.fill(0);
  s.inDoc.fill(0);
  s.member.fill(0);
  s.required.fill(0);
  s.epoch = 0;
}

/**
 * Raw word → word id (-1 when no licence has it), looked up by the hash `normalise` computed and the characters of
 * the text, so that neither a string per word nor spelling folding is paid for a word seen before. Keys are the
 * words as the text spells them, join marks included ("don't" and "dont" are two keys with one id). One probe
 * reads one interleaved record [hash, id, length, key].
 */
class WordIds {
  private bits = 15;
  private slots = new Int32Array(4 << 15).fill(-1);
  private readonly keys: string[] = [];

  constructor(readonly index: CorpusIndex) {}

  /** The word id of word `w` of `norm`. */
  get(norm: NormalisedText, w: number): number {
    const h = norm.hash[w]!;
    const source = norm.source;
    const from = norm.start[w]!;
    const length = norm.end[w]! - from;
    const slots = this.slots;
    const mask = (1 << this.bits) - 1;
    let slot = (h ^ (h >>> 15)) & mask;
    for (;;) {
      const at = slot << 2;
      const ref = slots[at + 3]!;
      if (ref < 0) break;
      if (slots[at] === h && slots[at + 2] === length && sameChars(source, from, this.keys[ref]!, length))
        return slots[at + 1]!;
      slot = (slot + 1) & mask;
    }
    const id = this.index.vocab.get(canonicalWord(norm.word(w))) ?? -1;
    // Half full at most, so that probes stay short; it grows to a bound, beyond which words are looked up without
    // being remembered (garbage input must not grow it forever).
    if (this.keys.length * 2 >= mask) {
      if (this.bits >= MAX_WORD_BITS) return id;
      this.grow();
      return this.get(norm, w);
    }
    const at = slot << 2;
    slots[at] = h;
    slots[at + 1] = id;
    slots[at + 2] = length;
    slots[at + 3] = this.keys.length;
    this.keys.push(source.slice(from, from + length));
    return id;
  }

  private grow(): void {
    const old = this.slots;
    this.bits++;
    const mask = (1 << this.bits) - 1;
    this.slots = new Int32Array(4 << this.bits).fill(-1);
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 3]! < 0) continue;
      const h = old[at]!;
      let slot = (h ^ (h >>> 15)) & mask;
      while (this.slots[(slot << 2) + 3]! >= 0) slot = (slot + 1) & mask;
      this.slots.set(old.subarray(at, at + 4), slot << 2);
    }
  }
}

/** The word table grows to 2^18 records at most (2^17 words, 4 MB). */
const MAX_WORD_BITS = 18;

function sameChars(source: string, from: number, key: string, length: number): boolean {
  for (let k = 0; k < length; k++) if (source.charCodeAt(from + k) !== key.charCodeAt(k)) return false;
  return true;
}

/**
 * Bigram ids by word-id pair, as the index's PairTable holds them but in half the memory (one key per pair, two
 * integers a record), so that the table mostly stays in the processor's cache.
 */
class PairIds {
  private readonly bits: number;
  private readonly slots: Int32Array;
  private readonly width: number;

  constructor(index: CorpusIndex) {
    this.width = index.vocab.size;
    this.bits = Math.max(10, Math.ceil(Math.log2(index.shingleCount / 0.6 + 1)));
    this.slots = new Int32Array(2 << this.bits).fill(-1);
    const mask = (1 << this.bits) - 1;
    const add = (a: number, b: number, id: number): void => {
      const key = a * this.width + b;
      let slot = Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
      while (this.slots[slot << 1] !== -1) slot = (slot + 1) & mask;
      this.slots[slot << 1] = key;
      this.slots[(slot << 1) + 1] = id;
    };
    const words = index.pairWords;
    if (words === undefined) index.pairs.forEach(add);
    else for (let id = 0; id < index.shingleCount; id++) add(words.left[id]!, words.right[id]!, id);
  }

  /** Whether keys `a * width + b` fit a 32-bit integer; otherwise the index's own table is used. */
  static fits(index: CorpusIndex): boolean {
    return index.vocab.size * index.vocab.size < 0x7fffffff;
  }

  /** The bigram id of known words a, b, or -1. */
  get(a: number, b: number): number {
    const key = a * this.width + b;
    const slots = this.slots;
    const mask = (1 << this.bits) - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> (32 - this.bits);
    for (;;) {
      const k = slots[slot << 1]!;
      if (k === key) return slots[(slot << 1) + 1]!;
      if (k === -1) return -1;
      slot = (slot + 1) & mask;
    }
  }
}

let wordIds: WordIds | undefined;
let pairIds: { index: CorpusIndex; pairs: PairIds | undefined } | undefined;

/**
 * The bigram ids of the matchable words. A bigram no licence has gets an id of its own from `index.shingleCount`
 * up, the same for each of its occurrences, so that a text repeated twice is not read as twice as foreign.
 */
function shingleSequence(index: CorpusIndex, norm: NormalisedText): { seq: Int32Array; size: number } {
  if (wordIds?.index !== index) wordIds = new WordIds(index);
  if (pairIds?.index !== index) {
    pairIds = { index, pairs: PairIds.fits(index) ? new PairIds(index) : undefined };
  }
  const ids = wordIds;
  const fast = pairIds.pairs;
  const { matchable } = norm;
  const vocabSize = index.vocab.size;
  let localWords: Map<string, number> | undefined;
  let localPairs: Map<number, number> | undefined;
  let next = index.shingleCount;
  const n = Math.max(0, matchable.length - 1);
  const seq = new Int32Array(n);
  let prev = -1;
  for (let i = 0; i < matchable.length; i++) {
    const w = matchable[i]!;
    let id = ids.get(norm, w);
    if (id < 0) {
      localWords ??= new Map();
      const raw = norm.word(w);
      id = localWords.get(raw) ?? vocabSize + localWords.size;
      localWords.set(raw, id);
    }
    if (i > 0) {
      let g =
        prev < vocabSize && id < vocabSize
          ? fast !== undefined
            ? fast.get(prev, id)
            : index.pairs.get(prev, id)
          : -1;
      if (g < 0) {
        localPairs ??= new Map();
        const key = prev * 0x1000000 + id;
        g = localPairs.get(key) ?? next++;
        localPairs.set(key, g);
      }
      seq[i - 1] = g;
    }
    prev = id;
  }
  return { seq, size: next };
}

/**
 * Marks the file's distinct bigrams in `s.inDoc` and returns how many there are, with the groups worth scoring:
 * those with the highest share of their indexed bigrams present in the file.
 */
function shortlist(index: CorpusIndex, s: Scratch, seq: Int32Array): { distinct: number; groups: number[] } {
  const epoch = nextEpoch(s);
  s.docEpoch = epoch;
  const known = index.shingleCount;
  const touched: number[] = [];
  const { postStart, postings } = index;
  const { inDoc, hits } = s;
  let distinct = 0;
  for (let i = 0; i < seq.length; i++) {
    const g = seq[i]!;
    if (inDoc[g] === epoch) continue;
    inDoc[g] = epoch;
    distinct++;
    if (g >= known) continue;
    const to = postStart[g + 1]!;
    for (let p = postStart[g]!; p < to; p++) {
      const group = postings[p]!;
      if (hits[group] === 0) touched.push(group);
      hits[group]! += 1;
    }
  }
  // The best SHORTLIST by share, ties to the lower group, kept in order as they come: hundreds of groups are
  // touched, and sorting them all cost more than the rest of the shortlist.
  const { indexedCount } = index;
  const topGroup = s.topGroup;
  const topShare = s.topShare;
  let size = 0;
  for (const g of touched) {
    const r = hits[g]! / indexedCount[g]!;
    hits[g] = 0;
    if (size === SHORTLIST && !before(r, g, topShare[size - 1]!, topGroup[size - 1]!)) continue;
    let k = size < SHORTLIST ? size++ : size - 1;
    while (k > 0 && before(r, g, topShare[k - 1]!, topGroup[k - 1]!)) {
      topShare[k] = topShare[k - 1]!;
      topGroup[k] = topGroup[k - 1]!;
      k--;
    }
    topShare[k] = r;
    topGroup[k] = g;
  }
  return { distinct, groups: Array.from(topGroup.subarray(0, size)) };
}

/** Whether share r of group g ranks before share r2 of group g2 in the shortlist. */
function before(r: number, g: number, r2: number, g2: number): boolean {
  return r > r2 || (r === r2 && g < g2);
}

/** The share of a group's required bigrams found anywhere in the file: recall can only be lower. */
function recallBound(index: CorpusIndex, s: Scratch, group: number): number {
  const { shingles } = index;
  const { inDoc, docEpoch } = s;
  const from = index.start[group]!;
  const to = index.reqEnd[group]!;
  let found = 0;
  for (let p = from; p < to; p++) if (inDoc[shingles[p]!] === docEpoch) found++;
  return to === from ? 0 : found / (to - from);
}

/**
 * Scores the shortlisted groups, most promising first, skipping those that can neither win, nor be accepted as a
 * second licence, once three are scored.
 */
function scoreAll(index: CorpusIndex, s: Scratch, seq: Int32Array): Scored[] {
  const { distinct, groups } = shortlist(index, s, seq);
  const bounds = groups.map((g) => {
    const r = recallBound(index, s, g);
    return { g, f1: (2 * r) / (1 + r) };
  });
  bounds.sort((a, b) => b.f1 - a.f1 || a.g - b.g);
  const scored: Scored[] = [];
  let bestRank = 0;
  for (const { g, f1 } of bounds) {
    if (
      scored.length >= 3 &&
      (f1 < ACCEPT || scored.length >= 8) &&
      f1 + COVERAGE_WEIGHT < bestRank - TOO_CLOSE
    )
      break;
    const x = scoreGroup(index, s, seq, g, distinct);
    scored.push(x);
    if (x.rank > bestRank) bestRank = x.rank;
  }
  scored.sort((a, b) => b.rank - a.rank || a.group - b.group);
  return scored;
}

function scoreGroup(
  index: CorpusIndex,
  s: Scratch,
  seq: Int32Array,
  group: number,
  docDistinct: number,
): Scored {
  const { shingles } = index;
  const { member, required, seen } = s;
  const mark = nextEpoch(s);
  const from0 = index.start[group]!;
  const reqEnd = index.reqEnd[group]!;
  const end = index.end[group]!;
  for (let p = from0; p < reqEnd; p++) {
    member[shingles[p]!] = mark;
    required[shingles[p]!] = mark;
  }
  for (let p = reqEnd; p < end; p++) member[shingles[p]!] = mark;

  // The stretch of the file this licence explains best: maximum-sum run, +1 per fitting bigram, -1 otherwise.
  let best = 0;
  let bestFrom = 0;
  let bestTo = -1;
  let run = 0;
  let runFrom = 0;
  for (let i = 0; i < seq.length; i++) {
    if (run <= 0) {
      run = 0;
      runFrom = i;
    }
    run += member[seq[i]!] === mark ? 1 : -1;
    if (run > best) {
      best = run;
      bestFrom = runFrom;
      bestTo = i;
    }
  }
  let inStretch = 0;
  let matched = 0;
  let matchedRequired = 0;
  for (let i = bestFrom; i <= bestTo; i++) {
    const g = seq[i]!;
    if (seen[g] === mark) continue;
    seen[g] = mark;
    inStretch++;
    if (member[g] === mark) {
      matched++;
      if (required[g] === mark) matchedRequired++;
    }
  }
  const requiredCount = reqEnd - from0;
  const recall = requiredCount === 0 ? 0 : Math.min(1, matchedRequired / requiredCount);
  const precision = inStretch === 0 ? 0 : matched / inStretch;
  const score = recall + precision === 0 ? 0 : (2 * recall * precision) / (recall + precision);
  const coverage = docDistinct === 0 ? 0 : matched / docDistinct;
  const leaning = recall + precision === 0 ? 0 : (1.25 * recall * precision) / (0.25 * precision + recall);
  return { group, score, rank: score + COVERAGE_WEIGHT * coverage, leaning, from: bestFrom, to: bestTo + 1 };
}

function overlap(a: Scored, b: Scored): number {
  const inter = Math.min(a.to, b.to) - Math.max(a.from, b.from);
  const shorter = Math.min(a.to - a.from, b.to - b.from);
  return shorter <= 0 ? 1 : Math.max(0, inter) / shorter;
}

/** Share of `a`'s required bigrams that `b` lacks which the file has, and how many such bigrams there are. */
function uniqueShare(index: CorpusIndex, s: Scratch, a: number, b: number): { share: number; size: number } {
  const { shingles } = index;
  const { member, inDoc, docEpoch } = s;
  const mark = nextEpoch(s);
  for (let p = index.start[b]!; p < index.end[b]!; p++) member[shingles[p]!] = mark;
  let size = 0;
  let found = 0;
  for (let p = index.start[a]!; p < index.reqEnd[a]!; p++) {
    const g = shingles[p]!;
    if (member[g] === mark) continue;
    size++;
    if (inDoc[g] === docEpoch) found++;
  }
  return { share: size === 0 ? 0 : found / size, size };
}

/** Fewer differing bigrams than this say nothing about which of two licences a file is. */
const DECISIVE = 3;
/** One licence whose own wording is this many times the other's is the other plus a clause. */
const LOPSIDED = 3;
/** Shares of differing bigrams closer than this do not tell two licences apart. */
const SHARE_MARGIN = 0.15;

/**
 * Which of two close licences the file is, judged on what tells them apart only: the share of each one's own
 * wording that the file has. When one licence is the other plus a clause (BSD-3 and BSD-2, MIT and MIT-0), the
 * clause decides: present, the longer; absent, the shorter.
 */
function prefer(index: CorpusIndex, s: Scratch, a: Scored, b: Scored): 'first' | 'second' | 'unclear' {
  const ownA = uniqueShare(index, s, a.group, b.group);
  const ownB = uniqueShare(index, s, b.group, a.group);
  const clause = (share: number, longer: 'first' | 'second'): 'first' | 'second' | 'unclear' =>
    Math.abs(share - 0.5) < SHARE_MARGIN
      ? 'unclear'
      : share > 0.5
        ? longer
        : longer === 'first'
          ? 'second'
          : 'first';
  if (ownA.size < DECISIVE && ownB.size < DECISIVE) return 'unclear';
  // A few own words against a whole clause (MIT-0's title and the join where MIT's condition was cut) are the
  // mark of one text being the other minus that clause: the clause alone decides, since a copy often drops the
  // title and rewords the join, and the few words would otherwise outweigh a clause that is half there.
  if (ownA.size < DECISIVE || ownB.size >= LOPSIDED * ownA.size) return clause(ownB.share, 'second');
  if (ownB.size < DECISIVE || ownA.size >= LOPSIDED * ownB.size) return clause(ownA.share, 'first');
  const d = ownA.share - ownB.share;
  return Math.abs(d) < SHARE_MARGIN ? 'unclear' : d > 0 ? 'first' : 'second';
}

/** Rivals below this score are not worth a pairwise look. */
const CHALLENGER = 0.75;
/** A licence that wins the pairwise look on what tells it apart needs this score, not ACCEPT. */
const PAIRWISE_ACCEPT = 0.8;

/**
 * The licence of the file among the close-scoring ones competing for the same stretch, or 'unclear' when two of
 * them cannot be told apart. Ranks alone confuse a copy missing a section of its licence with a copy of a
 * relative that lacks the section; the pairwise look on the differing wording does not.
 */
function decide(index: CorpusIndex, s: Scratch, scored: readonly Scored[], top: Scored): Scored | 'unclear' {
  const rivals = (of: Scored): Scored[] =>
    scored.filter(
      (x) =>
        x !== of && x.score >= CHALLENGER && overlap(x, of) > 0.5 && !sameFamily(index, x.group, of.group),
    );
  // The same pair is often judged twice (the top stays champion): each verdict is worked out once.
  const verdicts = new Map<number, ReturnType<typeof prefer>>();
  const judge = (a: Scored, b: Scored): ReturnType<typeof prefer> => {
    const key = a.group * 0x10000 + b.group;
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = prefer(index, s, a, b);
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  let champion = top;
  for (const r of rivals(top)) if (judge(champion, r) === 'second') champion = r;
  if (champion.score < (champion === top ? ACCEPT : PAIRWISE_ACCEPT)) return 'unclear';
  // An exact copy is not ambiguous, however near its relatives come.
  const exact = champion.score >= 0.999;
  for (const r of rivals(champion)) {
    const verdict = judge(champion, r);
    if (verdict === 'second') return 'unclear';
    if (verdict === 'unclear' && !exact && Math.abs(champion.rank - r.rank) < TOO_CLOSE) return 'unclear';
  }
  return champion;
}

// GPL-2.0-only and GPL-2.0+ differ only in a template line of the optional appendix: whichever wins, the licence
// is the same, so a near tie between them is no reason to give up.
function family(id: string): string {
  return id.replace(/(?:-only|-or-later|\+)$/, '');
}

let families: { index: CorpusIndex; of: string[] } | undefined;

function sameFamily(index: CorpusIndex, a: number, b: number): boolean {
  // Asked for every pair of close candidates of every file: worked out once per group.
  if (families?.index !== index) {
    families = { index, of: index.groups.map((_, g) => family(canonical(index, g))) };
  }
  return families.of[a] === families.of[b];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function canonical(index: CorpusIndex, group: number): string {
  return index.groups[group]!.ids[0]!;
}

function candidatesOf(index: CorpusIndex, scored: readonly Scored[]): LicenceCandidate[] {
  return scored
    .filter((x) => x.score >= MIN_CANDIDATE)
    .slice(0, 3)
    .map((x) => ({ spdx: canonical(index, x.group), score: round(x.score) }));
}

const README_HEADING =
  /\b(?:install\w*|usage|getting started|prerequisites|set ?up|running|tests?|testing|development|deploy\w*|architecture|contact|support|status|about|features|roadmap|contributing|documentation)\b/i;

// A README or other document that happens to be short still reads like one: code blocks, several sections. A
// licence notice does not.
function looksLikeDocument(text: string): boolean {
  if (text.includes('```')) return true;
  let headings = 0;
  let readmeHeadings = 0;
  for (const m of text.matchAll(/^#{1,6}\s+(.*)$/gm)) {
    headings++;
    if (README_HEADING.test(m[1] ?? '')) readmeHeadings++;
  }
  return readmeHeadings >= 2 || headings >= 8;
}

/**
 * Which of several ids with the same text a notice before the text names: the GPL text after an "either version 3
 * of the License, or (at your option) any later version" notice is GPL-3.0-or-later. Only the words before the
 * text's own opening count, since the GPL's appendix shows that very notice as an example.
 */
function noticeBefore(
  index: CorpusIndex,
  norm: NormalisedText,
  main: Scored,
  ids: readonly string[],
): string | undefined {
  const opening = index.groups[main.group]!.opening;
  const { matchable } = norm;
  // The opening sits at the start of the matched stretch, give or take a heading: no need to look further.
  const limit = Math.min(
    matchable[Math.min(main.to, matchable.length - 1)] ?? norm.length,
    (matchable[main.from] ?? 0) + OPENING_SLACK,
  );
  let start = -1;
  const first = opening[0];
  for (let i = 0; i < limit && start < 0; i++) {
    if (canonicalWord(norm.word(i)) !== first) continue;
    let j = 1;
    while (j < opening.length && i + j < norm.length && canonicalWord(norm.word(i + j)) === opening[j]) j++;
    if (j === opening.length) start = i;
  }
  if (start <= 0) return undefined;
  const before: string[] = [];
  for (let i = 0; i < start; i++) before.push(canonicalWord(norm.word(i)));
  const refs = findReferences([before.join(' ')], '');
  return refs.find((r) => ids.includes(r.spdx))?.spdx;
}

function equivalentsOf(index: CorpusIndex, spdx: string): string[] {
  const g = index.groupOf.get(spdx);
  return g === undefined ? [] : index.groups[g]!.ids.filter((id) => id !== spdx);
}

function none(candidates: LicenceCandidate[]): Identification {
  return {
    spdx: null,
    confidence: candidates[0]?.score ?? 0,
    method: 'none',
    equivalents: [],
    candidates,
    also: [],
  };
}

/**
 * Licences named in the parts of the file outside `spans` (bigram positions over the matchable words), minus
 * `exclude`, in order of appearance.
 */
function referencesOutside(
  text: string,
  norm: NormalisedText,
  spans: readonly { from: number; to: number }[],
  exclude: ReadonlySet<string>,
  copied?: () => { seq: Int32Array; fits: (g: number) => boolean },
): Reference[] {
  const { matchable } = norm;
  const count = norm.length;
  const covered = new Uint8Array(count);
  for (const sp of spans) {
    const first = matchable[sp.from] ?? count;
    const last = matchable[sp.to] ?? count - 1;
    covered.fill(1, first, last + 1);
  }
  // Sentences of the identified licence outside its best stretch (a copy split by an inserted block) are the
  // licence's own words, and the licences they name (the OGL names Creative Commons) are not further licences.
  let outside = 0;
  for (let w = 0; w < count; w++) if (covered[w] === 0) outside++;
  if (outside === 0 && spans.length > 0) return [];
  if (copied !== undefined && outside > COPIED_RUN) {
    const { seq, fits } = copied();
    let run = 0;
    for (let i = 0; i <= seq.length; i++) {
      if (i < seq.length && fits(seq[i]!)) {
        run++;
        continue;
      }
      if (run >= COPIED_RUN) for (let k = i - run; k <= i; k++) covered[matchable[k]!] = 1;
      run = 0;
    }
  }
  const pieces: string[] = [];
  let piece: string[] = [];
  for (let w = 0; w <= count; w++) {
    if (w < count && covered[w] === 0) {
      piece.push(canonicalWord(norm.word(w)));
      continue;
    }
    if (piece.length > 0) pieces.push(piece.join(' '));
    piece = [];
  }
  const raw = spans.length === 0 ? text : '';
  return findReferences(pieces, raw).filter((r) => !exclude.has(r.spdx));
}

/**
 * Identifies the licence in a file's text. Never throws: anything it cannot read comes back as `spdx: null` with
 * `method: 'none'` and whatever candidates came close.
 */
export function identifyLicence(text: string): Identification {
  try {
    return identify(typeof text === 'string' ? text : '');
  } catch {
    return none([]);
  }
}

function identify(text: string): Identification {
  const index = corpusIndex();
  const norm = normalise(text);
  const { seq, size } = shingleSequence(index, norm);
  const s = scratchFor(index, size);
  freshEpochs(s);
  const scored = scoreAll(index, s, seq);
  const top = scored[0];

  const candidates = candidatesOf(index, scored);
  const unsure = candidatesOf(
    index,
    [...scored].sort((a, b) => b.leaning - a.leaning || a.group - b.group),
  );
  const lead = top !== undefined && top.score >= ACCEPT ? decide(index, s, scored, top) : undefined;
  if (lead === 'unclear') return none(candidates);
  if (lead !== undefined) {
    // Other full texts in the same file: good matches over a stretch the main one does not cover.
    const others: Scored[] = [];
    for (const x of scored) {
      if (x === lead || x.score < ACCEPT) continue;
      if (overlap(x, lead) > 0.2 || others.some((o) => overlap(o, x) > 0.2)) continue;
      others.push(x);
    }
    const main = [lead, ...others].sort((a, b) => a.from - b.from)[0]!;
    const ordered =
      main === top ? candidates : candidatesOf(index, [main, ...scored.filter((x) => x !== main)]);
    const group = canonical(index, main.group);
    const sameText = equivalentsOf(index, group);
    const fullTexts = [lead, ...others].filter((x) => x !== main).map((x) => canonical(index, x.group));
    const found = [lead, ...others];
    const named = referencesOutside(text, norm, found, new Set([group, ...fullTexts]), () => {
      const { shingles, start, end } = index;
      const { member } = s;
      const mark = nextEpoch(s);
      for (const x of found)
        for (let p = start[x.group]!; p < end[x.group]!; p++) member[shingles[p]!] = mark;
      return { seq, fits: (g: number) => member[g] === mark };
    });
    const spdx = sameText.length > 0 ? (noticeBefore(index, norm, main, sameText) ?? group) : group;
    // An MIT-0 text under the title "MIT License" names MIT, but holds none of MIT's own wording: a relative named
    // in the file whose wording the file lacks is a title given to the wrong text, not a further licence.
    const mistitled = (id: string): boolean => {
      const rival = scored.find((x) => x.group === index.groupOf.get(id));
      return (
        rival !== undefined &&
        rival !== lead &&
        rival.score >= CHALLENGER &&
        overlap(rival, lead) > 0.5 &&
        uniqueShare(index, s, rival.group, lead.group).share < 0.5
      );
    };
    const equivalents = equivalentsOf(index, spdx);
    const exclude = new Set([spdx, ...equivalents]);
    const refs = named.map((r) => r.spdx).filter((id) => !exclude.has(id) && !mistitled(id));
    return {
      spdx,
      confidence: round(main.score),
      method: 'full-text',
      equivalents,
      candidates: ordered.map((c) => (c.spdx === group ? { ...c, spdx } : c)),
      also: [...new Set([...fullTexts, ...refs])],
    };
  }

  if (norm.length <= SHORT_WORDS && !looksLikeDocument(text)) {
    // A partial copy of a licence (a truncated file) names its own licence in its title: that is not a notice.
    const partial = new Set(scored.filter((x) => x.score >= PARTIAL_COPY).map((x) => x.group));
    const refs = referencesOutside(text, norm, [], new Set()).filter(
      (r) => !partial.has(index.groupOf.get(r.spdx) ?? -1),
    );
    const first = refs[0];
    if (first !== undefined) {
      const equivalents = equivalentsOf(index, first.spdx);
      const exclude = new Set([first.spdx, ...equivalents]);
      return {
        spdx: first.spdx,
        confidence: first.confidence,
        method: 'reference',
        equivalents,
        candidates: [
          { spdx: first.spdx, score: first.confidence },
          ...unsure.filter((c) => c.spdx !== first.spdx),
        ].slice(0, 3),
        also: [...new Set(refs.map((r) => r.spdx).filter((id) => !exclude.has(id)))],
      };
    }
  }
  return none(unsure);
}
