import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { artefactsCheck, artefactsRules } from '../../src/checks/artefacts.js';
import { parseArtefact } from '../../src/artefacts/parse.js';
import type { ArtefactFormat } from '../../src/config/types.js';
import type { Finding } from '../../src/core/check.js';
import { runChecks } from '../../src/core/engine.js';
import { MemorySnapshot, type MemoryFiles } from '../../src/sources/memory.js';

// Artefacts are written by anyone who can open a pull request. Whatever they hold — junk, near-misses of real
// front matter, hostile YAML, schemas that are not schemas — the check finishes, every finding is one of its own
// rules and points inside the file, and the other files are still judged.

const ROADMAP =
  'last_updated: 2026-05-01\nnext_review_due: 2026-07-01\nitems:\n  - title: Welsh\n    horizon: next\n';

async function run(files: MemoryFiles, options: unknown = {}) {
  const report = await runChecks({
    snapshot: new MemorySnapshot(files),
    checks: [artefactsCheck],
    config: { levels: {}, options: { artefacts: options }, rules: {} },
    now: () => new Date('2026-06-01'),
  });
  return report.results[0]!;
}

function sane(findings: readonly Finding[], files: MemoryFiles): boolean {
  for (const finding of findings) {
    expect(Object.keys(artefactsRules)).toContain(finding.rule);
    expect(finding.message.length).toBeGreaterThan(0);
    const text = finding.path === undefined ? undefined : files[finding.path];
    if (typeof text === 'string' && finding.line !== undefined) {
      expect(finding.line).toBeGreaterThanOrEqual(1);
      expect(finding.line).toBeLessThanOrEqual(text.split('\n').length + 1);
      expect(finding.column).toBeGreaterThanOrEqual(1);
    }
  }
  return true;
}

const ALPHABET = [...'aZ1 .:#-"\'\\[]{},&*!|>~@%`?\t\r\n', '---', '\n---\n', ': ', '- ', '  ', '\uFEFF', 'é'];
const junk = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 60 }).map((parts) => parts.join(''));

const field = fc.oneof(
  fc.constantFrom(
    'title',
    'date',
    'status',
    'id',
    'superseded_by',
    'week_ending',
    'next_review_due',
    'risks',
  ),
  fc.stringMatching(/^[a-z_]{1,10}$/),
);
const value = fc.oneof(
  fc.constantFrom(
    '2024-05-31',
    '2024-02-30',
    'Accepted',
    'Superseded',
    'ADR-001',
    'superseded by ADR-9',
    'yes',
    '~',
    '[a, b]',
    '"quoted"',
    '&a x',
    '*a',
    '|',
  ),
  fc.string({ maxLength: 12 }),
  junk,
);
/** Front matter that is nearly right: real keys, values real and wrong, with junk lines mixed in. */
const frontMatter = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.tuple(field, value).map(([k, v]) => `${k}: ${v}`) }, junk), {
    maxLength: 10,
  })
  .map(
    (lines) =>
      `---\n${lines.join('\n')}\n---\n\n## Context\n\n${lines.length % 2 === 0 ? '## Decision\n' : ''}`,
  );

const PATHS = [
  'docs/adr/0001-a.md',
  'docs/adr/0002-b.md',
  'design-history/2024-05-31-entry.md',
  'weeknotes/2024-05-31.md',
  'incidents/incident-2024-05-31-x.md',
  'roadmap.yaml',
  'governance/risk-register.yaml',
  'catalogue/data/a.yaml',
  'publiccode.yml',
];

describe('untrusted artefacts', () => {
  it('never crashes on generated front matter, YAML and junk, and stays inside the files', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...PATHS), fc.oneof(frontMatter, junk)), {
          minLength: 1,
          maxLength: 6,
        }),
        async (entries) => {
          const files: MemoryFiles = Object.fromEntries(entries);
          const result = await run(files);
          expect(result.status).not.toBe('error');
          return sane(result.findings, files);
        },
      ),
      { numRuns: 1500 },
    );
    // 1,500 runs of the whole check take about 3 s on an idle core, and ten times that beside other test files
    // on a busy 2-core machine: the default 30 s is no measure of this one.
  }, 120_000);

  it('never throws from the readers, whatever the format', () => {
    const formats: ArtefactFormat[] = ['markdown', 'yaml', 'json', 'csv', 'tsv'];
    fc.assert(
      fc.property(fc.oneof(junk, frontMatter, fc.string()), fc.constantFrom(...formats), (text, format) => {
        const parsed = parseArtefact(text, format);
        for (const document of parsed.documents) {
          document.locator.locate('/a/0/b');
          document.locator.locateKey('/a');
        }
        return true;
      }),
      { numRuns: 4000 },
    );
  });

  it("never crashes on a team's schema that is junk, and reports it once", async () => {
    const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
    const schemaish = fc
      .dictionary(
        fc.constantFrom(
          'type',
          'properties',
          'required',
          '$ref',
          'items',
          'enum',
          'pattern',
          'oneOf',
          '$schema',
          '$defs',
        ),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom(
            '#/$defs/x',
            'other.json',
            'https://example.com/s.json',
            'https://openly.dev/schemas/artefacts/roadmap/v1',
            '[',
            '(a+)+$',
          ),
        ),
      )
      .map((v) => JSON.stringify(v));
    await fc.assert(
      fc.asyncProperty(fc.oneof(json, schemaish, junk), async (schema) => {
        const files: MemoryFiles = {
          'schemas/ours.json': schema,
          'data/a.yaml': 'name: A\n',
          'data/b.yaml': 'name: B\n',
          'roadmap.yaml': ROADMAP,
        };
        const result = await run(files, { files: [{ path: 'data/*.yaml', schema: 'schemas/ours.json' }] });
        expect(result.status).not.toBe('error');
        // A broken schema is reported at the schema, not once per file that uses it.
        expect(
          result.findings.filter((f) => f.rule === 'artefacts/custom-schema').length,
        ).toBeLessThanOrEqual(5);
        expect(result.findings.filter((f) => f.path === 'roadmap.yaml')).toEqual([]);
        return sane(result.findings, files);
      }),
      { numRuns: 400 },
    );
  });

  it('reports a 50 MB file as too large without reading it, and judges the others', async () => {
    const files: MemoryFiles = {
      'catalogue/data/huge.yaml': new Uint8Array(50 * 1024 * 1024).fill(0x61),
      'roadmap.yaml': ROADMAP,
    };
    const result = await run(files);
    expect(result.findings.map((f) => `${f.rule} ${f.path}`)).toEqual([
      'artefacts/unreadable catalogue/data/huge.yaml',
    ]);
    expect(result.findings[0]!.message).toContain('too large to read (52428800 bytes)');
  });

  it('keeps a __proto__ key as data', async () => {
    const text =
      '---\n__proto__:\n  polluted: true\nstatus: Accepted\ndate: 2024-01-01\n---\n\n## Context\n## Decision\n## Consequences\n';
    const result = await run({ 'docs/adr/0001-a.md': text });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.status).toBe('pass');
  });

  it('refuses a schema nested too deeply to read, once', async () => {
    const deep = `${'{"items":'.repeat(3000)}{}${'}'.repeat(3000)}`;
    const result = await run(
      { 'schemas/deep.json': deep, 'data/a.yaml': 'a: 1\n' },
      { files: [{ path: 'data/*.yaml', schema: 'schemas/deep.json' }] },
    );
    expect(result.findings.map((f) => f.rule)).toEqual(['artefacts/custom-schema']);
    expect(result.findings[0]!.message).toContain('nested more than');
  });
});
