/**
 * Turns a licence text into a sequence of comparable words. The same function runs over the SPDX texts and over
 * the files we are asked about, so every rule here only has to map variants onto one form, consistently: it does
 * not matter whether the form is a real word.
 */

/** Texts longer than this are cut: no licence is this long, and it bounds the time spent on a stray large file. */
export const MAX_CHARS = 400_000;

// Markdown and plain-text list furniture at the start of a line: quote marks, headings, bullets, then numbering
// such as `1.`, `2.1`, `(a)`, `a)`, `iv.`. SPDX texts number their clauses where real files use bullets, and the
// other way round, so both are dropped. No part of it matches a line break, so it is run sticky, in place.
const LINE_LEAD_AT =
  /[ \t]*(?:(?:>|#{1,6}|[*+\-•·▪◦‣–—]|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxl]{1,6})[.)])[ \t]+|\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})\)[ \t]*)*/uy;

// A filled-in or template copyright line: `Copyright (c) 2024 Crown Copyright (NHS England)`, `© Crown copyright
// 2023`, `Copyright <year> <owner>`. Real files and SPDX texts both carry one with different holders, so neither
// side keeps it. A line starting "copyright notice ..." inside a re-wrapped clause is not one of these.
const COPYRIGHT_LINE =
  /^(?:copyright|©|\(c\))[^\n]*?(?:©|\(c\)|\d{4}|crown|<|\[|\{|holder:|owner:|by\b)|^(?:portions )?(?:copyright|©)\s*$|^all rights reserved\.?$/u;

// Only lines that mention one of these can be copyright lines: found by searching the whole text for each.
const MENTIONS = ['copyright', '©', '(c)', 'all rights'];

// Template placeholders in SPDX texts (`<year>`, `[name of copyright owner]`) stand where real files have names.
// Tried sticky at each `<` or `[`; never across a line break.
const PLACEHOLDER_AT =
  /<[^<>\n\r\u2028\u2029]{1,80}>|\[[^\][\n\r\u2028\u2029]{0,60}(?:year|yyyy|name|owner|holder|author|copyright|organi[sz]ation|company|fullname|email|project)[^\][\n\r\u2028\u2029]{0,60}\](?!\()/iuy;

const SPELLING: Record<string, string> = {
  whilst: 'while',
  amongst: 'among',
  programme: 'program',
  programmes: 'programs',
  practise: 'practice',
  practised: 'practiced',
  fulfil: 'fulfill',
  fulfils: 'fulfills',
  fulfilment: 'fulfillment',
  wilful: 'willful',
  wilfully: 'willfully',
  artefact: 'artifact',
  artefacts: 'artifacts',
  defence: 'defense',
  offence: 'offense',
  offences: 'offenses',
  enrol: 'enroll',
  instalment: 'installment',
  grey: 'gray',
  aluminium: 'aluminum',
  cheque: 'check',
};

// British and US spellings, and the same rule applied to words that merely look alike ("otherwise"): harmless,
// because both sides go through it.
function spelling(word: string): string {
  const fixed = SPELLING[word];
  if (fixed !== undefined) return fixed;
  let w = word;
  // Also inside joined words: "sub-licence", "open-government-licence" in a URL.
  if (w.includes('licenc')) w = w.replaceAll('licenc', 'licens');
  if (w.length < 5) return w;
  w = w
    .replace(/([iy])s(e|ed|es|ing|ation|ations|er|ers)$/, '$1z$2')
    .replace(/([a-z]{3})our(s|ed|ing|able|ably)?$/, '$1or$2')
    .replace(/([^aeiou])tre(s)?$/, '$1ter$2')
    .replace(/([lg])ogue(s)?$/, '$1og$2')
    .replace(/dgement(s)?$/, 'dgment$1')
    .replace(/ell(ed|ing|or|ors)$/, 'el$1');
  return w;
}

// Memoises spelling(): most words repeat across texts. Bounded so that garbage input cannot grow it forever.
const spellingMemo = new Map<string, string>();
const MEMO_LIMIT = 200_000;

/** A word with British/US spelling folded (see `spelling`). */
export function canonicalWord(word: string): string {
  let w = spellingMemo.get(word);
  if (w === undefined) {
    w = spelling(word);
    if (spellingMemo.size < MEMO_LIMIT) spellingMemo.set(word, w);
  }
  return w;
}

/** FNV-1a over a word's characters, as `normalise` computes it: callers can look words up without re-reading them. */
export const WORD_HASH_SEED = 0x811c9dc5 | 0;
export const WORD_HASH_PRIME = 0x01000193;

function wordHash(word: string): number {
  let h = WORD_HASH_SEED;
  for (let k = 0; k < word.length; k++) h = Math.imul(h ^ word.charCodeAt(k), WORD_HASH_PRIME);
  return h;
}

// Fragments of URLs and markup that differ between copies for no reason (http/https, www., HTML entities).
const DROPPED = ['lt', 'gt', 'www', 'htm', 'amp', 'http', 'html', 'quot', 'nbsp', 'https'];
const DROPPED_HASHES = Int32Array.from(DROPPED, wordHash);

/** Whether the word with hash `h` spelt at `text[at..]` is a dropped fragment: the hash rules out nearly all. */
function dropped(h: number, text: string, at: number, length: number): boolean {
  for (let k = 0; k < DROPPED_HASHES.length; k++) {
    if (DROPPED_HASHES[k] !== h) continue;
    const word = DROPPED[k]!;
    if (word.length === length && text.startsWith(word, at)) return true;
  }
  return false;
}

/**
 * A text's words, as slices of the lower-cased text (so that a caller can look words up without making a string
 * of each), and which of them take part in matching: words of copyright lines do not, but may name a licence.
 * Words are lower case but not yet spelling-folded: pass them through `canonicalWord`.
 */
export class NormalisedText {
  constructor(
    /** The lower-cased text the words are slices of. */
    readonly source: string,
    /** Word i is `source.slice(start[i], end[i])`, unless `joined` has it. */
    readonly start: Int32Array,
    readonly end: Int32Array,
    /** FNV-1a (WORD_HASH_SEED, WORD_HASH_PRIME) of each word's characters. */
    readonly hash: Int32Array,
    /** Indices of the words to match, ascending. */
    readonly matchable: Int32Array,
    /** Words whose apostrophes or hyphens were taken out ("don't" → "dont"), which no slice spells. */
    readonly joined: ReadonlyMap<number, string> | undefined,
  ) {}

  get length(): number {
    return this.start.length;
  }

  word(i: number): string {
    return this.joined?.get(i) ?? this.source.slice(this.start[i], this.end[i]);
  }
}

/** Growable word records, reused between calls; each result gets its own trimmed copies. */
let bufStart = new Int32Array(4096);
let bufEnd = new Int32Array(4096);
let bufHash = new Int32Array(4096);
let bufMatch = new Int32Array(4096);

function grow(): void {
  const size = bufStart.length * 2;
  const copy = (a: Int32Array): Int32Array<ArrayBuffer> => {
    const b = new Int32Array(size);
    b.set(a);
    return b;
  };
  bufStart = copy(bufStart);
  bufEnd = copy(bufEnd);
  bufHash = copy(bufHash);
  bufMatch = copy(bufMatch);
}

const isAlnum = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isLineBreak = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
// Characters joining two parts of a word when taken out: apostrophes after a letter or digit, hyphens after a
// letter, before a letter either way.
const isApostrophe = (c: number): boolean =>
  c === 39 || c === 0x2019 || c === 0x2018 || c === 96 || c === 0xb4;
const isHyphen = (c: number): boolean => c === 45 || c === 0x2010 || c === 0x2011;

/** Where a line's furniture (see LINE_LEAD_AT) ends, for a line whose text starts at `at`. */
function leadEnd(s: string, at: number): number {
  let q = at;
  let c = s.charCodeAt(q);
  while (c === 32 || c === 9) c = s.charCodeAt(++q);
  if (isAlnum(c)) {
    // Numbering is a short run of letters or digits closed by `.` or `)`; most lines start with a word instead.
    let r = q + 1;
    while (r - q <= 6 && isAlnum(s.charCodeAt(r))) r++;
    const after = s.charCodeAt(r);
    if (r - q > 6 || (after !== 46 && after !== 41)) return q;
  } else if (c !== 40 && c !== 62 && c !== 35 && c !== 42 && c !== 43 && c !== 45 && c < 0xb7) {
    // Not `(`, `>`, `#`, `*`, `+`, `-` nor one of the non-ASCII bullets and dashes: no furniture.
    return q;
  }
  LINE_LEAD_AT.lastIndex = at;
  LINE_LEAD_AT.test(s);
  return LINE_LEAD_AT.lastIndex;
}

/**
 * For a line that mentions copyright: whether it is a copyright line, and where its words start. The rules read
 * the line as a string (a few lines per text), in this order: a copyright line as it stands, with its Markdown
 * marks; else with its list furniture dropped.
 */
function copyrightLine(s: string, from: number, to: number): { copyright: boolean; words: number } {
  const line = s.slice(from, to);
  if (COPYRIGHT_LINE.test(line.replace(/^[#>*_`~=\s]+/, ''))) return { copyright: true, words: from };
  LINE_LEAD_AT.lastIndex = 0;
  LINE_LEAD_AT.test(line);
  const lead = LINE_LEAD_AT.lastIndex;
  const copyright = COPYRIGHT_LINE.test(line.slice(lead).replace(/^[*_`~=\s]+/, ''));
  return { copyright, words: from + lead };
}

/**
 * The comparable words of a text, in order: lower case, punctuation, markup, list numbering and single letters
 * dropped; words of copyright lines are kept but marked as not matchable. One pass over the characters: lines
 * that mention copyright are found first, in one search, and only they are read with regular expressions.
 */
export function normalise(text: string): NormalisedText {
  const s = (text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text).toLowerCase();
  const n = s.length;
  // Starts of the lines that mention copyright, ascending.
  const mentioned: number[] = [];
  for (const needle of MENTIONS) {
    for (let m = s.indexOf(needle); m >= 0; m = s.indexOf(needle, m + needle.length)) {
      let ls = m;
      while (ls > 0 && !isLineBreak(s.charCodeAt(ls - 1))) ls--;
      mentioned.push(ls);
    }
  }
  if (mentioned.length > 1) mentioned.sort((a, b) => a - b);
  let nextMention = 0;
  let count = 0;
  let matchCount = 0;
  let joined: Map<number, string> | undefined;
  let i = 0;
  while (i <= n) {
    // A line starts at i.
    let from = i;
    if (s.charCodeAt(from) === 0xfeff) from++;
    let matchable = true;
    if (mentioned[nextMention] === i) {
      while (mentioned[nextMention] === i) nextMention++;
      let to = from;
      while (to < n && !isLineBreak(s.charCodeAt(to))) to++;
      const line = copyrightLine(s, from, to);
      matchable = !line.copyright;
      from = line.words;
    } else {
      from = leadEnd(s, from);
    }
    // The line's words, up to its break.
    let wordFrom = -1;
    let h = 0;
    let length = 0;
    let parts = 0;
    let at = from;
    for (;;) {
      const c = at < n ? s.charCodeAt(at) : 10;
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (wordFrom < 0) {
          wordFrom = at;
          h = WORD_HASH_SEED;
          length = 0;
          parts = 0;
        }
        h = Math.imul(h ^ c, WORD_HASH_PRIME);
        length++;
        at++;
        continue;
      }
      if (wordFrom >= 0) {
        if (isApostrophe(c) || (isHyphen(c) && s.charCodeAt(at - 1) >= 97)) {
          const next = s.charCodeAt(at + 1);
          if (next >= 97 && next <= 122) {
            parts++;
            at++;
            continue;
          }
        }
        // Single letters are list labels ("(a)"), the "c" of "(c)" or the article "a", which copies drop or swap
        // freely; short URL and markup fragments differ between copies for no reason.
        let word: string | undefined;
        if (parts > 0) word = s.slice(wordFrom, at).replace(/[^a-z0-9]/g, '');
        const keep =
          length === 1
            ? s.charCodeAt(wordFrom) < 97
            : length > 5 || !dropped(h, word ?? s, word === undefined ? wordFrom : 0, length);
        if (keep) {
          if (count === bufStart.length) grow();
          bufStart[count] = wordFrom;
          bufEnd[count] = at;
          bufHash[count] = h;
          if (word !== undefined) (joined ??= new Map()).set(count, word);
          if (matchable) bufMatch[matchCount++] = count;
          count++;
        }
        wordFrom = -1;
      }
      if (at >= n || isLineBreak(c)) break;
      if (c === 60 || c === 91) {
        PLACEHOLDER_AT.lastIndex = at;
        if (PLACEHOLDER_AT.test(s)) {
          at = PLACEHOLDER_AT.lastIndex;
          continue;
        }
      }
      at++;
    }
    i = at + 1;
  }
  return new NormalisedText(
    s,
    bufStart.slice(0, count),
    bufEnd.slice(0, count),
    bufHash.slice(0, count),
    bufMatch.slice(0, matchCount),
    joined,
  );
}

/** The matchable words of a text, spelling folded (see `normalise`). */
export function normaliseWords(text: string): string[] {
  const norm = normalise(text);
  return Array.from(norm.matchable, (i) => canonicalWord(norm.word(i)));
}
