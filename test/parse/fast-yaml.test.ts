import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastYaml } from '../../src/parse/fast-yaml.js';
import { parseYaml, readYaml, toPointer } from '../../src/parse/yaml.js';

// The fast reader must never disagree with the full one: for any text it either declines (undefined) or gives
// the same data and the same line:column for every value and key. Generated documents are shaped like artefact
// front matter, with scalars drawn from an alphabet full of YAML's special characters.

type Tree = string | Tree[] | { [key: string]: Tree };

const ALPHABET = [...'aZ1 .:#-"\'\\[]{},&*!|>~@%`?\t'];
const junk = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((chars) => chars.join(''));
const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._/-]{0,14}$/);
const special = fc.constantFrom(
  '2024-05-31',
  '007',
  '-5',
  '1.5e3',
  'true',
  'False',
  '~',
  'null',
  '0x1F',
  '.inf',
  'yes',
  '1_000',
  // Where YAML 1.2's core schema and older readers (YAML 1.1, js-yaml) part ways.
  '0o14',
  '0b11',
  '-.inf',
  '.NaN',
  '+12',
  '-0',
  '2024-05-31T06:00:00Z',
  'on',
  '<<',
);
/** Keys that YAML reads as a null or a boolean, which the data names differently from how they are written. */
const oddKey = fc.constantFrom('null', 'Null', 'NULL', 'true', 'True', 'FALSE', 'yes', '__proto__');
const cleanKey = fc.oneof(
  { weight: 30, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/) },
  oddKey,
);

function treeOf(
  scalar: fc.Arbitrary<string>,
  key: fc.Arbitrary<string>,
): fc.Arbitrary<{ [key: string]: Tree }> {
  const node = fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('node'), { maxLength: 4 }),
      fc.dictionary(key, tie('node'), { maxKeys: 5 }),
    ),
  })).node;
  return fc.dictionary(key, node, { maxKeys: 8 });
}

/** Front matter as people write it: words, dates, numbers and YAML's look-alikes (yes, 0x1F, .inf). */
/** Text over several lines, written as a block scalar (`|`, `>-` …) where a mapping value. */
const paragraph = fc
  .array(
    fc.oneof({ weight: 4, arbitrary: word }, fc.constantFrom('', '  indented', '# not a comment', 'a: b')),
    {
      minLength: 1,
      maxLength: 5,
    },
  )
  .map((lines) => `${lines.join('\n')}\n`);

const clean = treeOf(
  fc.oneof({ weight: 12, arbitrary: word }, special, fc.integer().map(String), paragraph),
  cleanKey,
);
/** The same with junk from YAML's special characters in values and keys. */
const junky = treeOf(
  fc.oneof(word, special, junk, paragraph),
  fc.oneof({ weight: 5, arbitrary: cleanKey }, junk),
);

const HEADERS = ['|', '|-', '>', '>-', '|+', '>2', '| # note'];

function quote(text: string, style: number): string {
  if (style === 1) return `'${text.replace(/'/g, "''")}'`;
  if (style === 2) return `"${text}"`;
  return text;
}

/** A one-line `[ ]` or `{ }` form of a list or mapping of one-line strings, or of a list of such mappings. */
function flowOf(node: Tree, pick: () => number): string | undefined {
  const one = (text: Tree) =>
    typeof text === 'string' && !text.includes('\n') ? quote(text, pick() % 3) : undefined;
  const mapping = (tree: Tree) => {
    if (typeof tree === 'string' || Array.isArray(tree)) return undefined;
    const parts = Object.entries(tree).map(([k, v]) =>
      one(v) === undefined ? undefined : `${k}: ${one(v)}`,
    );
    return parts.includes(undefined) ? undefined : `{ ${parts.join(', ')} }`;
  };
  if (Array.isArray(node)) {
    const parts = node.map((item) => one(item) ?? mapping(item));
    return parts.includes(undefined) ? undefined : `[${parts.join(', ')}]`;
  }
  return mapping(node);
}

/** Renders a tree as block YAML, choosing quoting, flow lists, comments and compact lists from `styles`. */
function render(node: Tree, indent: number, styles: number[], at = 0): string {
  const pick = () => styles[at++ % styles.length] ?? 0;
  const pad = ' '.repeat(indent);
  if (Array.isArray(node)) {
    if (node.length === 0) return `${pad}[]\n`;
    return node
      .map((item) => {
        if (typeof item === 'string') return `${pad}- ${quote(item, pick() % 3)}\n`;
        const inner = render(item, indent + 2, styles, at + 1);
        return `${pad}- ${inner.trimStart()}`;
      })
      .join('');
  }
  if (typeof node === 'string') return `${pad}${quote(node, pick() % 3)}\n`;
  const entries = Object.entries(node);
  if (entries.length === 0) return indent === 0 ? '' : `${pad}{}\n`;
  return entries
    .map(([k, value]) => {
      const comment = pick() === 2 ? ' # note' : '';
      if (typeof value === 'string' && value.includes('\n')) {
        const header = HEADERS[pick() + (pick() % 2) * 4] ?? '|';
        const body = value
          .split('\n')
          .slice(0, -1)
          .map((text) => (text === '' ? '' : `${pad}  ${text}`))
          .join('\n');
        return `${pad}${k}: ${header}\n${body}\n`;
      }
      // A long plain value wrapped onto the next line, as people do by hand.
      if (typeof value === 'string' && value.includes(' ') && pick() === 3) {
        return `${pad}${k}: ${value.replace(' ', `\n${pad}  `)}\n`;
      }
      if (typeof value === 'string') return `${pad}${k}: ${quote(value, pick() % 3)}${comment}\n`;
      if (Array.isArray(value) && value.length === 0) return `${pad}${k}: []${comment}\n`;
      if (!Array.isArray(value) && Object.keys(value).length === 0) return `${pad}${k}: {}${comment}\n`;
      if (
        Array.isArray(value) &&
        value.length > 0 &&
        value.every((item) => typeof item === 'string') &&
        pick() === 1
      ) {
        return `${pad}${k}: [${value.map((item) => quote(item, pick() % 3)).join(', ')}]\n`;
      }
      const inline = flowOf(value, () => pick());
      if (inline !== undefined && pick() !== 0) return `${pad}${k}: ${inline}${comment}\n`;
      const compact = Array.isArray(value) && pick() === 0 ? indent : indent + 2;
      return `${pad}${k}:${comment}\n${render(value, compact, styles, at + 1)}`;
    })
    .join('');
}

/** Every pointer to a value in the data, so that each position can be compared. */
function pointers(value: unknown, path: Array<string | number> = []): string[] {
  const here = toPointer(path);
  if (Array.isArray(value))
    return [here, ...value.flatMap((item, index) => pointers(item, [...path, index]))];
  if (value !== null && typeof value === 'object') {
    return [here, ...Object.entries(value).flatMap(([k, item]) => pointers(item, [...path, k]))];
  }
  return [here];
}

let accepted = 0;

function agrees(text: string, lineOffset = 0): boolean {
  const fast = fastYaml(text, lineOffset);
  if (fast === undefined) return true;
  accepted += 1;
  const full = parseYaml(text, { lineOffset });
  // Callers ask `readYaml`, which answers from the fast reader here: what they get is what the full reader says.
  expect(readYaml(text, { lineOffset }).value).toEqual(full.value);
  expect(full.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(fast.value).toEqual(full.value);
  for (const pointer of [...pointers(full.value), '/missing', '/0/missing']) {
    const a = fast.locate(pointer);
    const b = full.locate(pointer);
    expect([pointer, a.line, a.column], text).toEqual([pointer, b.line, b.column]);
    const c = fast.locateKey(pointer);
    const d = full.locateKey(pointer);
    expect([pointer, c.line, c.column], text).toEqual([pointer, d.line, d.column]);
  }
  return true;
}

describe('the fast YAML reader', () => {
  it('reads plain front matter the same as the full reader, positions included', () => {
    const text = [
      '# yaml-language-server: $schema=https://openly.dev/schemas/artefacts/weeknote/v1',
      'title: "Weeknote: a quieter week"',
      'week_ending: 2024-05-31',
      'draft: false',
      'authors:',
      '  - Delivery manager',
      '  - Tomasz Nowak',
      'tags: [weeknotes, data platform]',
      'screenshots:',
      '- src: /images/a.png',
      '  alt: The start page',
      'empty:',
      'count: 007',
      '',
    ].join('\n');
    expect(fastYaml(text)).toBeDefined();
    expect(agrees(text, 1)).toBe(true);
  });

  it.each([
    [
      'screenshots: [{ src: /images/a.png, alt: "The start page" }, b.png]\nlinks: { issue: https://example.gov.uk/1 }\n',
      {
        screenshots: [{ src: '/images/a.png', alt: 'The start page' }, 'b.png'],
        links: { issue: 'https://example.gov.uk/1' },
      },
    ],
    [
      'description: People often stop halfway\n  to find documents,\n    so we added save and return.\ntags: [a]\n',
      {
        description: 'People often stop halfway to find documents, so we added save and return.',
        tags: ['a'],
      },
    ],
    ['title: "Weeknote: \\"a quieter week\\""\n', { title: 'Weeknote: "a quieter week"' }],
    ['tags: [\'it\'\'s\', "a\\\\b", "tab\\there"]\n', { tags: ["it's", 'a\\b', 'tab\there'] }],
  ])('reads the quoted text in %j', (text, value) => {
    expect(fastYaml(text)?.value).toEqual(value);
    expect(agrees(text)).toBe(true);
  });

  it.each([
    ['a: |\n  first\n  # not a comment\n\n  last\nb: 1\n', { a: 'first\n# not a comment\n\nlast\n', b: 1 }],
    ['a: >-\n  one\n  two\n\n  three\n\n\nb: 1\n', { a: 'one two\nthree', b: 1 }],
    ['- |\n  item\n- key: >\n    folded\n    text\n', ['item\n', { key: 'folded text\n' }]],
  ])('reads the block scalar in %j', (text, value) => {
    expect(fastYaml(text)?.value).toEqual(value);
    expect(agrees(text)).toBe(true);
  });

  it.each([
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a block scalar with a more indented line', 'a: >\n  text\n    more\n'],
    ['a block scalar that keeps its last line breaks', 'a: |+\n  text\n\n'],
    ['a wrapped value after a comment', 'a: some # note\n  more\n'],
    ['a wrapped value with a blank line', 'a: some\n\n  more\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
    ['a tab', 'a:\n\t- 1\n'],
    ['a rare escape', 'a: "caf\\u00e9"\n'],
    ['a colon inside a plain value', 'title: Weeknote: a quieter week\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a hexadecimal number', 'a: 0x1F\n'],
    ['an indented --- (text, not a new document)', ' ---\n'],
    ['a key YAML reads as null', 'null: 1\n'],
    ['a key YAML reads as a boolean', 'True: 1\n'],
    ['a key YAML reads as a boolean, in { }', 'a: { FALSE: 1 }\n'],
    ['an octal number', 'a: 0o14\n'],
  ])('leaves %s to the full reader', (_, text) => {
    expect(fastYaml(text)).toBeUndefined();
  });

  it("keeps to a caller's tighter limits: plain YAML past them is refused, as the full reader does", () => {
    const text = 'a:\n  b:\n    c: 1\n';
    expect(readYaml(text).value).toEqual({ a: { b: { c: 1 } } });
    expect(readYaml(text, { maxLength: 10 }).problems.map((p) => p.code)).toEqual(['TOO_LARGE']);
    expect(readYaml(text, { maxDepth: 2 }).problems.map((p) => p.code)).toEqual(['TOO_DEEP']);
    expect(readYaml(text, { maxDepth: 2 }).refused).toBe(true);
  });

  it.each([
    ['clean', clean, 600],
    ['junky', junky, 0],
  ] as const)('never disagrees with the full reader on generated %s documents', (_, documents, least) => {
    accepted = 0;
    fc.assert(
      fc.property(
        documents,
        fc.array(fc.nat(3), { minLength: 1, maxLength: 8 }),
        fc.nat(2),
        (node, styles, offset) => agrees(render(node, 0, styles), offset),
      ),
      { numRuns: 2000 },
    );
    // Enough documents are in the plain subset that the comparison is not vacuous.
    expect(accepted).toBeGreaterThanOrEqual(least);
  });

  it('never disagrees with the full reader on junk', () => {
    const line = fc.array(fc.constantFrom(...ALPHABET, '\n', '\n', ' ', ' ', 'key', ': ', '- '), {
      maxLength: 40,
    });
    fc.assert(
      fc.property(line, (parts) => agrees(parts.join(''))),
      { numRuns: 3000 },
    );
  });
});
