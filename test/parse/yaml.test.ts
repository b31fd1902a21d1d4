import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllYaml, parseYaml, pointerSegments, toPointer } from '../../src/parse/yaml.js';

const CONFIG = [
  '# comment', // 1
  'licence:', // 2
  '  level: error', // 3
  '  allowed: [MIT, OGL-UK-3.0]', // 4
  '  paths:', // 5
  '    - path: "docs/**"', // 6
  '      licence: OGL-UK-3.0', // 7
  '    - path: src/**', // 8
  'rules:', // 9
  '  licence/crown-copyright: warning', // 10
  'community-files:', // 11
  '',
].join('\n');

function at(location: { line: number; column: number }): string {
  return `${location.line}:${location.column}`;
}

describe('locate', () => {
  const parsed = parseYaml(CONFIG);

  it('parses without problems', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toMatchObject({ licence: { level: 'error', allowed: ['MIT', 'OGL-UK-3.0'] } });
  });

  it.each([
    ['/licence/level', '3:10'],
    ['/licence/allowed/1', '4:18'],
    ['/licence/paths/0/path', '6:13'],
    ['/licence/paths/0/licence', '7:16'],
    ['/rules/licence~1crown-copyright', '10:28'],
  ])('finds the value at %s', (pointer, expected) => {
    const location = parsed.locate(pointer);
    expect(at(location)).toBe(expected);
    expect(location.exact).toBe(true);
  });

  it.each([
    ['/licence/paths/0/licence', '7:7'],
    ['/rules/licence~1crown-copyright', '10:3'],
    ['/licence', '2:1'],
    ['/licence/allowed/1', '4:18'],
  ])('finds the key naming %s', (pointer, expected) => {
    expect(at(parsed.locateKey(pointer))).toBe(expected);
  });

  it('points a missing key at the key of the mapping that should hold it', () => {
    const location = parsed.locate('/licence/missing');
    expect(at(location)).toBe('2:1');
    expect(location.exact).toBe(false);
  });

  it('points a key missing from a list item at that item', () => {
    expect(at(parsed.locate('/licence/paths/1/licence'))).toBe('8:7');
  });

  it('points past the end of a list at the key of the list', () => {
    expect(at(parsed.locate('/licence/paths/7/path'))).toBe('5:3');
  });

  it('points an empty value at its key, not past the colon', () => {
    expect(at(parsed.locate('/community-files'))).toBe('11:1');
  });

  it('adds the line offset, for front matter that starts below a --- line', () => {
    const front = parseYaml('title: Weeknote\ndate: 2025-03-28\n', { lineOffset: 1 });
    expect(at(front.locate('/date'))).toBe('3:7');
  });

  it('follows aliases into the anchored value', () => {
    const aliased = parseYaml('base: &b\n  level: warning\nlicence: *b\n');
    expect(aliased.value).toEqual({ base: { level: 'warning' }, licence: { level: 'warning' } });
    expect(at(aliased.locate('/licence/level'))).toBe('2:10');
  });
});

describe('problems', () => {
  it.each([
    [
      'an unclosed double quote, at the opening quote',
      'a: 1\nb: "hello\nc: 3\n',
      '2:4',
      'quoted text is never closed',
    ],
    ['an unclosed single quote', "a: 'it\n", '1:4', "add the closing '"],
    ['a tab used for indentation', 'a:\n  b: 1\n\tc: 2\n', '3:1', 'tab'],
    ['keys out of line', 'a:\n  b: 1\n c: 2\n', '3:1', 'same column'],
    ['a key followed by another on one line', 'a: b: c\n', '1:4', 'on the same line'],
    ['an unquoted value with brackets in a [ ] list', 'a: [renovate[bot], x]\n', '1:13', 'must be in quotes'],
    ['a key inside a { } mapping without a comma', 'a: {b: c d: e}\n', '1:8', 'separated by commas'],
    ['an unknown tag', 'a: !secret x\n', '1:4', 'unknown tag !secret'],
    ['an undefined alias', 'a: *nowhere\n', '1:4', 'alias'],
  ])('reports %s', (_, text, position, fragment) => {
    const { problems } = parseYaml(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(at(problems[0]!)).toBe(position);
    expect(problems[0]!.message).toContain(fragment);
    expect(problems[0]!.message).not.toMatch(/at line \d+/);
  });

  it('reports a duplicate key with the line of the first, rather than keeping the last silently', () => {
    const { problems } = parseYaml('licence: error\nrules: {}\nlicence: off\n');
    expect(problems).toEqual([
      expect.objectContaining({
        line: 3,
        column: 1,
        code: 'DUPLICATE_KEY',
        message: expect.stringContaining('"licence" appears twice in the same mapping (first on line 1)'),
      }),
    ]);
  });

  it('reports duplicate keys in nested mappings too', () => {
    const { problems } = parseYaml('licence:\n  level: error\n  level: off\n');
    expect(problems.map((problem) => at(problem))).toEqual(['3:3']);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 12; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      lines.push(`${name}: &${name} [${Array<string>(10).fill(`*${previous}`).join(', ')}]`);
    }
    const parsed = parseYaml(lines.join('\n'));
    expect(parsed.value).toBeNull();
    expect(parsed.problems[0]).toMatchObject({ code: 'ALIAS_LIMIT', line: 2 });
  });

  it('still allows a few aliases', () => {
    const parsed = parseYaml('x: &x [MIT]\na: *x\nb: *x\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toEqual({ x: ['MIT'], a: ['MIT'], b: ['MIT'] });
  });

  it.each([
    ['brackets', '['.repeat(50_000)],
    ['brackets closed', `a: ${'['.repeat(20_000)}${']'.repeat(20_000)}`],
    ['block lists', Array.from({ length: 2_000 }, (_, depth) => `${' '.repeat(depth)}-`).join('\n')],
    ['compact lists', `${'- '.repeat(20_000)}x`],
  ])('refuses nesting too deep (%s) with a problem, not a crash', (_, text) => {
    const parsed = parseYaml(text);
    expect(parsed.value).toBeNull();
    expect(parsed.problems).toEqual([expect.objectContaining({ code: 'TOO_DEEP', severity: 'error' })]);
  });

  it('reads nesting within the limit', () => {
    const parsed = parseYaml(`a: ${'['.repeat(50)}1${']'.repeat(50)}`, { maxDepth: 60 });
    expect(parsed.problems).toEqual([]);
  });

  it('refuses text over the length limit', () => {
    expect(parseYaml('a: 1234567890\n', { maxLength: 5 }).problems[0]?.code).toBe('TOO_LARGE');
  });

  it('keeps a __proto__ key as data', () => {
    const parsed = parseYaml('__proto__:\n  polluted: true\n');
    expect(Object.keys(parsed.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads an empty text as null without problems', () => {
    expect(parseYaml('')).toMatchObject({ value: null, problems: [] });
    expect(parseYaml('# only a comment\n')).toMatchObject({ value: null, problems: [] });
  });

  it('keeps dates as text (YAML 1.2), ready for a schema format check', () => {
    expect(parseYaml('date: 2025-03-31\n').value).toEqual({ date: '2025-03-31' });
  });
});

describe('several documents', () => {
  it('reports a second document when one is expected, at the ---', () => {
    const parsed = parseYaml('a: 1\n---\nb: 2\n');
    expect(parsed.value).toEqual({ a: 1 });
    expect(parsed.problems).toEqual([expect.objectContaining({ code: 'MULTIPLE_DOCS', line: 2, column: 1 })]);
  });

  it('parses each document of a stream with positions in the whole file', () => {
    const docs = parseAllYaml('a: 1\n---\nb: [2, 3]\n---\nc: "x\n');
    expect(docs.map((doc) => doc.value)).toEqual([{ a: 1 }, { b: [2, 3] }, { c: 'x' }]);
    expect(at(docs[1]!.locate('/b/1'))).toBe('3:8');
    expect(docs[0]!.problems).toEqual([]);
    expect(docs[2]!.problems[0]).toMatchObject({ line: 5, column: 4 });
  });
});

describe('JSON pointers', () => {
  it('escapes and unescapes ~ and /', () => {
    const pointer = toPointer(['rules', 'licence/crown-copyright', 'a~b', 0]);
    expect(pointer).toBe('/rules/licence~1crown-copyright/a~0b/0');
    expect(pointerSegments(pointer)).toEqual(['rules', 'licence/crown-copyright', 'a~b', '0']);
  });
});

describe('untrusted text', () => {
  const yamlish = fc
    .array(
      fc.constantFrom(
        'a',
        'key',
        ':',
        ': ',
        '- ',
        '\n',
        '  ',
        '\t',
        '"',
        "'",
        '[',
        ']',
        '{',
        '}',
        ',',
        '&x ',
        '*x',
        '!tag ',
        '#',
        '---\n',
        '|\n',
        '>\n',
        '? ',
        '%YAML 1.2\n',
        '\\',
        '\u0000',
        '\ufeff',
        '<<: ',
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join(''));

  it('never throws, and every problem has a position', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), yamlish), (text) => {
        for (const parsed of [parseYaml(text), ...parseAllYaml(text)]) {
          for (const problem of parsed.problems) {
            expect(problem.line).toBeGreaterThanOrEqual(1);
            expect(problem.column).toBeGreaterThanOrEqual(1);
            expect(problem.message.length).toBeGreaterThan(0);
          }
          parsed.locate('/a/0/key');
          parsed.locateKey('/key');
        }
      }),
      { numRuns: 500 },
    );
  });
});
