import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { canonicalWord, normalise } from '../../src/licences/normalise.js';

const require = createRequire(import.meta.url);
const full = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

// The normaliser as it was written before it became one pass over the characters: a regular expression per rule,
// applied line by line. The single pass must give the same words, with the same matchable marks, for any text.
const LINE_LEAD =
  /^[ \t]*(?:(?:>|#{1,6}|[*+\-•·▪◦‣–—]|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxl]{1,6})[.)])[ \t]+|\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})\)[ \t]*)*/u;
const COPYRIGHT_LINE =
  /^(?:copyright|©|\(c\))[^\n]*?(?:©|\(c\)|\d{4}|crown|<|\[|\{|holder:|owner:|by\b)|^(?:portions )?(?:copyright|©)\s*$|^all rights reserved\.?$/u;
const MENTIONS_COPYRIGHT = /copyright|©|\(c\)|all rights/;
const LEAD_START = /^[ \t]*(?:[^a-z0-9 \t]|[a-z0-9]{1,6}[.)\s])/;
const HAS_WORD = /[a-z0-9]/;
const PLACEHOLDER =
  /<[^<>\n]{1,80}>|\[[^\][\n]{0,60}(?:year|yyyy|name|owner|holder|author|copyright|organi[sz]ation|company|fullname|email|project)[^\][\n]{0,60}\](?!\()/giu;
const WORD_JOIN = /([a-z0-9])['’‘`´](?=[a-z])|([a-z])[-‐‑](?=[a-z])/gu;
const DROPPED = new Set(['lt', 'gt', 'www', 'htm', 'amp', 'http', 'html', 'quot', 'nbsp', 'https']);

function reference(text: string): { words: string[]; matchable: boolean[] } {
  const words: string[] = [];
  const matchable: boolean[] = [];
  const add = (piece: string, match: boolean): void => {
    const joined = piece.replace(PLACEHOLDER, ' ').replace(WORD_JOIN, '$1$2');
    for (const m of joined.matchAll(/[a-z0-9]+/g)) {
      const w = m[0];
      if ((w.length === 1 && w >= 'a') || DROPPED.has(w)) continue;
      words.push(w);
      matchable.push(match);
    }
  };
  let block: string[] = [];
  const flush = (): void => {
    if (block.length > 0) add(block.join('\n'), true);
    block = [];
  };
  for (let line of text
    .slice(0, 400_000)
    .toLowerCase()
    .split(/\r\n?|\n|\u2028|\u2029/)) {
    if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
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
  return { words, matchable };
}

function singlePass(text: string): { words: string[]; matchable: boolean[] } {
  const norm = normalise(text);
  const marked = new Set(norm.matchable);
  const words: string[] = [];
  const matchable: boolean[] = [];
  for (let i = 0; i < norm.length; i++) {
    words.push(norm.word(i));
    matchable.push(marked.has(i));
  }
  return { words, matchable };
}

// Pieces that exercise every rule: list furniture, copyright lines, placeholders, joins, line breaks of each kind.
const PIECES = [
  'Copyright (c) 2024 Crown',
  '© ',
  '(c)',
  'all rights reserved',
  'portions copyright',
  '<year>',
  '[name of author]',
  '[x](y)',
  '<',
  '[',
  '>',
  ']',
  '# ',
  '###### ',
  '####### ',
  '> ',
  '* ',
  '- ',
  '• ',
  '— ',
  '1. ',
  '2.1) ',
  '(a) ',
  'iv. ',
  'xiv) ',
  '(12)',
  '1234. ',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\u2028',
  '\u2029',
  '\uFEFF',
  "don't",
  'don’t',
  're-use',
  'a-b-c',
  '1-a',
  "x'1",
  'sub‐licence',
  'http://www.example.org/a.html',
  '&amp;',
  'Licence',
  'MIT',
  'the',
  'a',
  'I',
  'é',
  'İ',
  'by',
  'holder:',
  '{',
  '_',
  '**',
  '`',
  '~',
  '=',
  '.',
  ')',
  '(',
  '0',
  'copyrightable',
];

describe('normalise', () => {
  it('gives the words and marks of the line-by-line rules for every SPDX text', () => {
    for (const id of Object.keys(full)) {
      const text = full[id]!.licenseText;
      expect(singlePass(text), id).toEqual(reference(text));
    }
  });

  it('gives the words and marks of the line-by-line rules for any mix of furniture, notices and words', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        expect(singlePass(text)).toEqual(reference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the words and marks of the line-by-line rules for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(singlePass(text)).toEqual(reference(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('hashes each word as the word ids expect', () => {
    const norm = normalise("Don't re-use the Licence at https://example.org");
    for (let i = 0; i < norm.length; i++) {
      let h = 0x811c9dc5 | 0;
      for (const c of norm.word(i)) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
      expect(norm.hash[i]).toBe(h);
    }
    expect(Array.from(norm.matchable, (i) => canonicalWord(norm.word(i)))).toEqual([
      'dont',
      'reuse',
      'the',
      'license',
      'at',
      'example',
      'org',
    ]);
  });
});
