import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFrontMatter } from '../../src/parse/front-matter.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/config/front-matter/${name}`, import.meta.url), 'utf8');
}

describe('parseFrontMatter', () => {
  it('reads the fields and points at their lines in the Markdown file', () => {
    const { yaml, body, bodyLine } = parseFrontMatter(fixture('weeknote.md'));
    expect(yaml?.problems).toEqual([]);
    expect(yaml?.value).toEqual({
      title: 'Weeknote 12',
      week_ending: '2025-03-28',
      authors: ['Sam', 'Priya'],
    });
    expect(yaml?.locate('/week_ending')).toMatchObject({ line: 3, column: 14 });
    expect(yaml?.locate('/authors/1')).toMatchObject({ line: 6, column: 5 });
    expect(bodyLine).toBe(8);
    expect(body.split('\n')[0]).toBe('');
    expect(body).toContain('## What we did');
  });

  it('reports YAML problems at their line in the Markdown file', () => {
    const { yaml } = parseFrontMatter('---\ntitle: Incident\nstatus: "resolved\n---\n# Incident\n');
    expect(yaml?.problems[0]).toMatchObject({ line: 3, column: 9 });
  });

  it('reads CRLF files', () => {
    const { yaml, bodyLine } = parseFrontMatter('---\r\ntitle: ADR 1\r\n---\r\n# Decision\r\n');
    expect(yaml?.value).toEqual({ title: 'ADR 1' });
    expect(bodyLine).toBe(4);
  });

  it('says so when the front matter is never closed', () => {
    const { yaml } = parseFrontMatter('---\ntitle: x\n\n# Heading\n');
    expect(yaml?.problems).toEqual([expect.objectContaining({ line: 1, code: 'UNCLOSED_FRONT_MATTER' })]);
  });

  it('returns the whole file as body when there is no front matter', () => {
    const markdown = '# Title\n\n---\n\nText after a rule.\n';
    expect(parseFrontMatter(markdown)).toEqual({ yaml: undefined, body: markdown, bodyLine: 1 });
  });

  it('reads empty front matter as null', () => {
    expect(parseFrontMatter('---\n---\nBody\n').yaml?.value).toBeNull();
  });
});
