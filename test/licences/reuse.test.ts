import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compileGlob,
  parseDep5,
  parseReuseToml,
  ReuseIndex,
  type ReuseSource,
} from '../../src/licences/reuse.js';
import { readFixture } from './fixtures.js';

const files = readFixture('reuse');

function tomlSources(...paths: string[]): ReuseSource[] {
  return paths.map((path) => {
    const parsed = parseReuseToml(path, files[path]!);
    expect(parsed.problems).toEqual([]);
    return parsed.source!;
  });
}

describe('compileGlob', () => {
  it.each([
    ['docs/*.md', 'docs/a.md', true],
    ['docs/*.md', 'docs/sub/a.md', false],
    ['docs/**', 'docs/sub/a.md', true],
    ['docs/**.md', 'docs/sub/a.md', true],
    ['*', '.github/workflows/ci.yml', false],
    ['*', '.editorconfig', true],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file/.txt', false],
    ['img/[!a]*.png', 'img/b.png', true],
    ['img/[!a]*.png', 'img/a.png', false],
    ['weird\\*name', 'weird*name', true],
    ['weird\\*name', 'weirdXname', false],
  ])('REUSE.toml glob %s on %s → %s', (glob, path, expected) => {
    expect(compileGlob(glob, 'reuse').test(path)).toBe(expected);
  });

  it('lets a dep5 star cross folders, as the Debian format says', () => {
    expect(compileGlob('docs/*', 'dep5').test('docs/guide/a.md')).toBe(true);
    expect(compileGlob('*', 'dep5').test('src/a/b.ts')).toBe(true);
  });
});

describe('ReuseIndex with REUSE.toml', () => {
  const index = new ReuseIndex(tomlSources('REUSE.toml', 'docs/REUSE.toml', 'vendor/lib/REUSE.toml'));

  it('closest (the default): a file header wins over the table', () => {
    expect(index.resolve('docs/guide.md').expressions).toEqual(['OGL-UK-3.0']);
    expect(index.resolve('docs/guide.md', ['MIT']).expressions).toEqual(['MIT']);
  });

  it('closest: the nearest REUSE.toml covering the file wins over one further up', () => {
    const resolved = index.resolve('docs/api/index.md');
    expect(resolved.expressions).toEqual(['MIT']);
    expect(resolved.from.map((a) => a.source)).toEqual(['docs/REUSE.toml']);
  });

  it('within one REUSE.toml the last matching table wins', () => {
    expect(index.resolve('docs/legal/terms.md').expressions).toEqual(['MIT']);
  });

  it('aggregate: the table adds its licence to what the file says itself', () => {
    expect(index.resolve('assets/logo.svg', ['OGL-UK-3.0']).expressions).toEqual(['CC-BY-4.0', 'OGL-UK-3.0']);
    expect(index.resolve('assets/logo.png').expressions).toEqual(['CC-BY-4.0']);
  });

  it('override: the outermost table decides, over headers and deeper REUSE.toml files', () => {
    const resolved = index.resolve('vendor/lib/index.js', ['GPL-2.0-only']);
    expect(resolved.expressions).toEqual(['Apache-2.0']);
    expect(resolved.overridden).toBe(true);
  });

  it('says nothing about files no table names, leaving their own headers', () => {
    expect(index.resolve('src/index.ts').expressions).toEqual([]);
    expect(index.resolve('src/index.ts', ['MIT']).expressions).toEqual(['MIT']);
  });
});

describe('.reuse/dep5', () => {
  const parsed = parseDep5('.reuse/dep5', files['.reuse/dep5']!);
  const index = new ReuseIndex([parsed.source!]);

  it('reads Files stanzas with continuation lines and skips stand-alone licence stanzas', () => {
    expect(parsed.problems).toEqual([]);
    expect(parsed.source!.annotations.map((a) => [a.paths, a.expressions, a.line])).toEqual([
      [['*'], ['MIT'], 6],
      [['docs/*', 'content/*.md'], ['OGL-UK-3.0'], 10],
      [['docs/logo.svg'], ['CC-BY-4.0'], 15],
    ]);
  });

  it('applies the last matching stanza and aggregates it with the file header', () => {
    expect(index.resolve('src/app.ts').expressions).toEqual(['MIT']);
    expect(index.resolve('docs/guide/intro.md').expressions).toEqual(['OGL-UK-3.0']);
    expect(index.resolve('content/news.md').expressions).toEqual(['OGL-UK-3.0']);
    expect(index.resolve('docs/logo.svg').expressions).toEqual(['CC-BY-4.0']);
    expect(index.resolve('docs/a.md', ['MIT']).expressions).toEqual(['OGL-UK-3.0', 'MIT']);
  });
});

describe('broken REUSE files', () => {
  const broken = readFixture('reuse-broken');

  it('reports a TOML syntax error with its line instead of throwing', () => {
    const parsed = parseReuseToml('REUSE.toml', broken['REUSE.toml']!);
    expect(parsed.source).toBeUndefined();
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]!.line).toBe(5);
    expect(parsed.problems[0]!.message).toMatch(/not valid TOML/);
  });

  it('reports a table without a path and an unknown precedence, keeping the rest', () => {
    const parsed = parseReuseToml('REUSE.toml', broken['tables.toml']!);
    expect(parsed.problems.map((p) => [p.line, /no `path`|"nearest"/.test(p.message)])).toEqual([
      [3, true],
      [6, true],
    ]);
    expect(parsed.source!.annotations).toHaveLength(1);
    expect(parsed.source!.annotations[0]!.precedence).toBe('closest');
  });
});

describe('untrusted REUSE input', () => {
  it('never throws on arbitrary globs, REUSE.toml or dep5 text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (glob) => {
        compileGlob(glob, 'reuse');
        compileGlob(glob, 'dep5');
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        parseReuseToml('REUSE.toml', `version = 1\n[[annotations]]\npath = ${JSON.stringify(text)}\n`);
        parseReuseToml('REUSE.toml', text);
        parseDep5('.reuse/dep5', `Files: ${text}\nLicense: MIT\n`);
      }),
    );
  });

  it('lets a reversed character range match nothing rather than fail the file', () => {
    const parsed = parseReuseToml(
      'REUSE.toml',
      'version = 1\n[[annotations]]\npath = "img/[z-a].png"\nSPDX-License-Identifier = "MIT"\n',
    );
    expect(parsed.problems).toEqual([]);
    expect(new ReuseIndex([parsed.source!]).resolve('img/b.png').expressions).toEqual([]);
  });
});
