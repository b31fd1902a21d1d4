import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nestedRepetition } from '../../src/artefacts/validators.js';
import { judge } from '../checks/artefacts-helpers.js';

function patternsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const child of node) patternsIn(child, out);
  else if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      if (key === 'pattern' && typeof child === 'string') out.push(child);
      else patternsIn(child, out);
    }
  }
  return out;
}

describe('patterns that could run for ever', () => {
  it.each([
    ['(a+)+', true],
    ['^(\\w+\\s?)*$', true],
    ['^([a-z]+-?)*$', true],
    ['^((ab)*)+$', true],
    ['^[a-z]+(-[a-z]+)*$', false],
    ['^\\d+(\\.\\d+)*$', false],
    ['^(foo|bar)*$', false],
    ['^[(]+$', false],
    ['^\\(a+\\)+$', false],
    ['^(?:[A-Z]{2,3}-)?[0-9]+$', false],
  ])('%s is risky: %s', (pattern, risky) => {
    expect(nestedRepetition(pattern)).toBe(risky);
  });

  it("passes every pattern of Openly's own pack", () => {
    const dir = new URL('../../schemas/artefacts/', import.meta.url);
    const patterns = readdirSync(dir)
      .filter((name) => name.endsWith('.schema.json'))
      .flatMap((name) => patternsIn(JSON.parse(readFileSync(new URL(name, dir), 'utf8'))));
    expect(patterns.length).toBeGreaterThan(10);
    expect(patterns.filter(nestedRepetition)).toEqual([]);
  });

  it("refuses a team's schema with such a pattern, at the pattern, instead of running it", async () => {
    const result = await judge(
      {
        'schemas/slug.json':
          '{\n  "type": "object",\n  "properties": { "slug": { "type": "string", "pattern": "^([a-z]+-?)*$" } }\n}\n',
        'data/a.yaml': `slug: ${'a'.repeat(40)}!\n`,
      },
      { options: { files: [{ path: 'data/*.yaml', schema: 'schemas/slug.json' }] } },
    );
    expect(result.findings.map((f) => `${f.rule} ${f.path}:${f.line}:${f.column}`)).toEqual([
      'artefacts/custom-schema schemas/slug.json:3:58',
    ]);
    expect(result.findings[0]!.message).toContain('repeats a group');
  });
});

describe("references between a team's schemas", () => {
  it('reports a reference to a file that is missing at the reference', async () => {
    const result = await judge(
      {
        'schemas/a.json':
          '{\n  "type": "object",\n  "properties": { "owner": { "$ref": "defs/people.json#/$defs/person" } }\n}\n',
        'data/a.yaml': 'owner: Sam\n',
      },
      { options: { files: [{ path: 'data/*.yaml', schema: 'schemas/a.json' }] } },
    );
    expect(result.findings.map((f) => `${f.rule} ${f.path}:${f.line}:${f.column} ${f.message}`)).toEqual([
      'artefacts/custom-schema schemas/a.json:3:38 schemas/a.json refers to defs/people.json#/$defs/person: The schema file schemas/defs/people.json is not in the repository.',
    ]);
  });

  it('reports a reference that is not a path, such as a stray %', async () => {
    const result = await judge(
      { 'schemas/a.json': '{ "$ref": "50%.json" }', 'data/a.yaml': 'a: 1\n' },
      { options: { files: [{ path: 'data/*.yaml', schema: 'schemas/a.json' }] } },
    );
    expect(result.status).not.toBe('error');
    expect(result.findings.map((f) => `${f.rule} ${f.path}:${f.line}:${f.column} ${f.message}`)).toEqual([
      'artefacts/custom-schema schemas/a.json:1:11 "50%.json" is not a reference Openly can follow.',
    ]);
  });

  it('follows references in both directions between files, and to a definition that is missing', async () => {
    const result = await judge(
      {
        'schemas/a.json': '{ "type": "object", "properties": { "b": { "$ref": "b.json" } } }',
        'schemas/b.json':
          '{ "type": "object", "properties": { "a": { "$ref": "a.json" }, "c": { "$ref": "a.json#/$defs/nope" } } }',
        'data/a.yaml': 'b:\n  a:\n    b: {}\n',
      },
      { options: { files: [{ path: 'data/*.yaml', schema: 'schemas/a.json' }] } },
    );
    expect(result.status).not.toBe('error');
    expect(result.findings.map((f) => `${f.rule} ${f.path}`)).toEqual([
      'artefacts/custom-schema schemas/a.json',
    ]);
    expect(result.findings[0]!.message).toContain('a.json#/$defs/nope, which cannot be found');
  });
});

describe('schemas written for other drafts or in YAML', () => {
  it('reads a draft-07 schema with definitions, as teams often have', async () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['owner'],
      properties: { owner: { $ref: '#/definitions/email' } },
      definitions: { email: { type: 'string', format: 'email' } },
    };
    const result = await judge(
      { 'schemas/s.json': JSON.stringify(schema, null, 2), 'data/a.yaml': 'owner: not an email\n' },
      { options: { files: [{ path: 'data/*.yaml', schema: 'schemas/s.json' }] } },
    );
    expect(result.findings.map((f) => `${f.rule} ${f.path}:${f.line}:${f.column} ${f.message}`)).toEqual([
      'artefacts/schema data/a.yaml:1:8 owner must be an email address like team@example.gov.uk (found the text "not an email").',
    ]);
  });

  it('reads a schema written in YAML', async () => {
    const result = await judge(
      {
        'schemas/s.yaml': 'type: object\nrequired: [owner]\nproperties:\n  owner:\n    type: string\n',
        'data/a.yaml': 'name: x\n',
      },
      { options: { files: [{ path: 'data/*.yaml', schema: 'schemas/s.yaml' }] } },
    );
    expect(result.findings.map((f) => f.message)).toEqual(['missing required key "owner" at the top level.']);
  });
});

describe('a schema that refers to itself without end', () => {
  it.each(['{ "$ref": "#" }', '{ "$ref": "" }', '{ "allOf": [{ "$ref": "#" }] }'])(
    '%s is one finding at the schema, and the other files are still judged',
    async (schema) => {
      const result = await judge(
        {
          'schemas/loop.json': schema,
          'data/a.yaml': 'name: A\n',
          'data/b.yaml': 'name: B\n',
          'roadmap.yaml':
            'last_updated: 2026-05-01\nnext_review_due: 2026-04-01\nitems:\n  - title: A\n    horizon: now\n',
        },
        { options: { files: [{ path: 'data/*.yaml', schema: 'schemas/loop.json' }] } },
      );
      expect(result.status).not.toBe('error');
      expect(result.findings.map((f) => `${f.rule} ${f.path}`)).toEqual([
        'artefacts/overdue roadmap.yaml',
        'artefacts/custom-schema schemas/loop.json',
      ]);
      expect(result.findings[1]!.message).toBe(
        'schemas/loop.json cannot be applied to data/a.yaml: it refers to itself without end.',
      );
    },
  );
});
