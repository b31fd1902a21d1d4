import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defuseCommands, excerpt, jsonSafe, printable, printableLines } from '../../src/core/printable.js';

/** The lines the GitHub Actions runner would take for a command (ActionCommand.TryParseV2, then TryParse). */
function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => /^[\s\u0085]*::/.test(line) || line.includes('##['));
}

// eslint-disable-next-line no-control-regex -- what must never be printed raw
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** Strings rich in what attacks a terminal or a runner. */
const hostile = fc.string({
  unit: fc.constantFrom(
    ...'ab :#[]%,\\'.split(''),
    '\n',
    '\r',
    '\t',
    '\x1b',
    '\x07',
    '\x7f',
    '\x85',
    '\x9b',
    '\u202e',
    '\u2066',
    '\u2028',
    '\u00a0',
    '\ud800',
    '😀',
  ),
  maxLength: 40,
});

describe('printable', () => {
  it.each([
    ['plain text, unchanged: café ✅ 日本', 'plain text, unchanged: café ✅ 日本'],
    ['a\nb\rc\td', 'a\\nb\\rc\\td'],
    ['\x1b[31mred\x1b]8;;http://x\x07', '\\x1b[31mred\\x1b]8;;http://x\\x07'],
    ['del\x7f c1\x9b nel\x85', 'del\\x7f c1\\x9b nel\\x85'],
    ['evil\u202egpj.exe \u2066iso\u2069 \u200f', 'evil\\u202egpj.exe \\u2066iso\\u2069 \\u200f'],
    ['line\u2028sep\u2029 bom\ufeff', 'line\\u2028sep\\u2029 bom\\ufeff'],
    ['lone \ud800 surrogate', 'lone \\ud800 surrogate'],
  ])('%j shows as %j', (text, shown) => {
    expect(printable(text)).toBe(shown);
  });

  it('keeps a message’s line breaks, but a quoted file name’s show as \\n', () => {
    const name = 'docs/a\n::error::b.md';
    expect(printableLines(`First\r\nsecond\rthird ${name} \x1b`, [name, undefined])).toBe(
      'First\nsecond\nthird docs/a\\n::error::b.md \\x1b',
    );
  });
});

describe('defuseCommands', () => {
  it.each([
    ['::error::x', '\\x3a:error::x'],
    ['  \t::add-mask::x', '  \t\\x3a:add-mask::x'],
    ['\u0085::debug::x', '\u0085\\x3a:debug::x'],
    ['ok\n ::stop-commands::t\nok', 'ok\n \\x3a:stop-commands::t\nok'],
    ['see ##[error]boom and ###[x', 'see ##\\x5berror]boom and ###\\x5bx'],
    ['a::b and :single', 'a::b and :single'],
  ])('%j becomes %j', (text, safe) => {
    expect(defuseCommands(text)).toBe(safe);
  });

  it('leaves no line a runner would obey, and no raw control character, whatever the text', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const shown = defuseCommands(printableLines(text));
        expect(commandLines(shown)).toEqual([]);
        expect(shown).not.toMatch(RAW);
      }),
    );
  });
});

describe('jsonSafe', () => {
  it('parses to the same value, with no raw control or direction character and no ##[', () => {
    fc.assert(
      fc.property(hostile, fc.string(), (text, key) => {
        const json = jsonSafe(JSON.stringify({ [key]: text, list: [text] }, null, 2));
        expect(JSON.parse(json)).toEqual({ [key]: text, list: [text] });
        expect(json.replace(/\n/g, '')).not.toMatch(RAW);
        expect(commandLines(json)).toEqual([]);
      }),
    );
  });
});

describe('excerpt', () => {
  it('keeps a short value whole and cuts a long one with its length', () => {
    expect(excerpt('MIT')).toBe('MIT');
    const long = 'MIT OR '.repeat(50_000);
    expect(excerpt(long)).toBe(`${long.slice(0, 199)}… (350,000 characters)`);
    expect(excerpt(`${'a'.repeat(198)}😀😀`)).toBe(`${'a'.repeat(198)}… (202 characters)`);
  });
});
