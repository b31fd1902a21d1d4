/**
 * Turns a licence text into a sequence of comparable words. The same function runs over the SPDX texts and over
 * the files we are asked about, so every rule here only has to map variants onto one form, consistently: it does
 * not matter whether the form is a real word.
 */

/** Texts longer than this are cut: no licence is this long, and it bounds the time spent on a stray large file. */
export const MAX_CHARS = 400_000;

// Markdown and plain-text list furniture at the start of a line: quote marks, headings, bullets, then numbering
// such as `1.`, `2.1`, `(a)`, `a)`, `iv.`. SPDX texts number their clauses where real files use bullets, and the
// other way round, so both are dropped.
const LINE_LEAD =
  /^[ \t]*(?:(?:>|#{1,6}|[*+\-•·▪◦‣–—]|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxl]{1,6})[.)])[ \t]+|\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})\)[ \t]*)*/u;

// A filled-in or template copyright line: `Copyright (c) 2024 Crown Copyright (NHS England)`, `© Crown copyright
// 2023`, `Copyright <year> <owner>`. Real files and SPDX texts both carry one with different holders, so neither
// side keeps it. A line starting "copyright notice ..." inside a re-wrapped clause is not one of these.
const COPYRIGHT_LINE =
  /^(?:copyright|©|\(c\))[^\n]*?(?:©|\(c\)|\d{4}|crown|<|\[|\{|holder:|owner:|by\b)|^(?:portions )?(?:copyright|©)\s*$|^all rights reserved\.?$/u;

// Cheap tests that let most lines skip the expensive expressions.
const MENTIONS_COPYRIGHT = /copyright|©|\(c\)|all rights/;
const LEAD_START = /^[ \t]*(?:[^a-z0-9 \t]|[a-z0-9]{1,6}[.)\s])/;
const HAS_WORD = /[a-z0-9]/;

// Template placeholders in SPDX texts (`<year>`, `[name of copyright owner]`) stand where real files have names.
const PLACEHOLDER =
  /<[^<>\n]{1,80}>|\[[^\][\n]{0,60}(?:year|yyyy|name|owner|holder|author|copyright|organi[sz]ation|company|fullname|email|project)[^\][\n]{0,60}\](?!\()/giu;

const WORD_JOIN = /([a-z0-9])['’‘`´](?=[a-z])|([a-z])[-‐‑](?=[a-z])/gu;

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

// Fragments of URLs and markup that differ between copies for no reason (http/https, www., HTML entities), by length.
const DROPPED: readonly (readonly string[])[] = [
  [],
  [],
  ['lt', 'gt'],
  ['www', 'htm', 'amp'],
  ['http', 'html', 'quot', 'nbsp'],
  ['https'],
];

function dropped(text: string, at: number, length: number): boolean {
  const list = DROPPED[length];
  if (list === undefined) return false;
  for (const word of list) if (text.startsWith(word, at)) return true;
  return false;
}

/**
 * A text's words, as slices of one processed string (so that a caller can look words up without making a string
 * of each), and which of them take part in matching: words of copyright lines do not, but may name a licence.
 * Words are lower case but not yet spelling-folded: pass them through `canonicalWord`.
 */
export class NormalisedText {
  constructor(
    /** The processed text the words are slices of. */
    readonly source: string,
    /** Word i is `source.slice(start[i], end[i])`. */
    readonly start: readonly number[],
    readonly end: readonly number[],
    /** Indices of the words to match, ascending. */
    readonly matchable: readonly number[],
  ) {}

  get length(): number {
    return this.start.length;
  }

  word(i: number): string {
    return this.source.slice(this.start[i], this.end[i]);
  }
}

/** Appends the words of `text` (offset by `base` in the final source) and returns the processed text. */
function tokenise(text: string, base: number, start: number[], end: number[]): string {
  const bare = text.includes('<') || text.includes('[') ? text.replace(PLACEHOLDER, ' ') : text;
  const joined = bare.replace(WORD_JOIN, '$1$2');
  let from = -1;
  for (let i = 0; i <= joined.length; i++) {
    const c = i < joined.length ? joined.charCodeAt(i) : 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (from < 0) from = i;
      continue;
    }
    if (from < 0) continue;
    const length = i - from;
    // Single letters are list labels ("(a)"), the "c" of "(c)" or the article "a", which copies drop or swap freely.
    const letter = length === 1 && joined.charCodeAt(from) >= 97;
    if (!letter && !(length <= 5 && dropped(joined, from, length))) {
      start.push(base + from);
      end.push(base + i);
    }
    from = -1;
  }
  return joined;
}

/**
 * The comparable words of a text, in order: lower case, punctuation, markup, list numbering and single letters
 * dropped; words of copyright lines are kept but marked as not matchable.
 */
export function normalise(text: string): NormalisedText {
  const src = (text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text).toLowerCase();
  const lines = src.split(/\r\n?|\n|\u2028|\u2029/);
  const pieces: string[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const matchable: number[] = [];
  let base = 0;
  let block: string[] = [];
  const add = (piece: string, match: boolean): void => {
    const from = start.length;
    const joined = tokenise(piece, base, start, end);
    pieces.push(joined);
    base += joined.length + 1;
    if (match) for (let i = from; i < start.length; i++) matchable.push(i);
  };
  const flush = (): void => {
    if (block.length === 0) return;
    add(block.join('\n'), true);
    block = [];
  };
  for (let line of lines) {
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    // Markdown emphasis and heading marks can precede the copyright word; `(c) 2024` must be seen before the
    // list-label rule takes its "(c)" for a label.
    const mentions = MENTIONS_COPYRIGHT.test(line);
    let copyright = mentions && COPYRIGHT_LINE.test(line.replace(/^[#>*_`~=\s]+/, ''));
    if (!copyright) {
      if (LEAD_START.test(line)) line = line.replace(LINE_LEAD, '');
      if (!HAS_WORD.test(line)) continue;
      copyright = mentions && COPYRIGHT_LINE.test(line.replace(/^[*_`~=\s]+/, ''));
    }
    if (copyright) {
      flush();
      add(line, false);
    } else block.push(line);
  }
  flush();
  return new NormalisedText(pieces.join('\n'), start, end, matchable);
}

/** The matchable words of a text, spelling folded (see `normalise`). */
export function normaliseWords(text: string): string[] {
  const norm = normalise(text);
  return norm.matchable.map((i) => canonicalWord(norm.word(i)));
}
