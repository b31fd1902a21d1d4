import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MemoryFiles } from '../../src/sources/memory.js';
import { FIXTURES, folder, judge, where } from './artefacts-helpers.js';

// Design histories and decision records in the forms teams publish: each file is shaped after a published one, with
// its text rewritten (test/fixtures/real/SOURCES.md names the originals). Each folder is one repository's files at
// their own paths, so file names and links are the real ones.

const REAL = join(FIXTURES, 'real');

function repositories(type: string): string[] {
  return readdirSync(join(REAL, type)).sort();
}

/** A real repository's files, judged as the given type wherever they are. */
function judgeReal(type: string, files: MemoryFiles) {
  return judge(files, { options: { files: [{ path: '**/*.md', type }], detect: false }, now: '2026-06-01' });
}

function real(type: string, repository: string): MemoryFiles {
  return folder(`real/${type}/${repository}`);
}

/** One file of a real repository with `from` replaced by `to`, which must be in it. */
function edited(files: MemoryFiles, path: string, from: string | RegExp, to: string): MemoryFiles {
  const text = files[path];
  if (typeof text !== 'string') throw new Error(`no ${path}`);
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`${String(from)} is not in ${path}`);
  return { ...files, [path]: changed };
}

describe('real design history posts', () => {
  const type = 'design-history-entry';

  it('come from at least three published histories, at least fifteen posts', () => {
    const counts = repositories(type).map((repository) => Object.keys(real(type, repository)).length);
    expect(counts.length).toBeGreaterThanOrEqual(3);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(15);
  });

  it.each(repositories(type))('%s: every post is valid, with no findings', async (repository) => {
    const files = real(type, repository);
    const result = await judgeReal(type, files);
    expect(where(result.findings)).toEqual([]);
    const artefacts = (result.data as { artefacts: Array<{ path: string; valid: boolean }> }).artefacts;
    expect(artefacts.map((a) => `${a.path} ${a.valid}`)).toEqual(
      Object.keys(files)
        .sort()
        .map((path) => `${path} true`),
    );
  });

  const TRA = 'DFE-Digital--tra-digital-design-history';
  // Front matter indented as a whole, screenshots in a { items } block, related links in { sections }.
  const INDENTED = 'app/posts/find-a-lost-trn/2022-02-18-no-match.md';
  const NHS = 'NHSDigital--prevention-services-design-history';
  // An author list and screenshots as a list of { title, items } blocks.
  const GROUPS = 'app/manage-vaccinations-in-schools/2024/12/hpv-sessions/index.md';

  it.each([
    [
      'a date that is not a date',
      TRA,
      INDENTED,
      '  date: 2022-02-18',
      '  date: 18/02/2022',
      'artefacts/schema 3:9',
      'date must be a date like',
    ],
    [
      'a date that disagrees with the file name',
      TRA,
      INDENTED,
      '  date: 2022-02-18',
      '  date: 2022-02-28',
      'artefacts/filename-date 3:9',
      'date is 2022-02-28, but the file name says 2022-02-18',
    ],
    [
      'no title',
      TRA,
      INDENTED,
      /^ {2}title: .*\n/m,
      '',
      'artefacts/schema 2:3',
      'missing required key "title"',
    ],
    [
      'a screenshot with no text at all',
      TRA,
      INDENTED,
      '      - text: "No TRN was found, with help shown"\n        src:',
      '      - src:',
      'artefacts/schema 8:9',
      'missing required key "text"',
    ],
    [
      'a screenshot in a list of blocks with no text',
      NHS,
      GROUPS,
      /^ {8}text: All sessions$/m,
      '        src: sessions.png',
      'artefacts/schema',
      'missing required key "text"',
    ],
  ])('flags %s', async (_name, repository, path, from, to, spot, words) => {
    const files = edited(real(type, repository), path, from, to);
    const result = await judgeReal(type, files);
    const errors = result.findings.map((f) => `${f.rule} ${f.line}:${f.column} ${f.message}`);
    expect(errors).toEqual([expect.stringContaining(words)]);
    expect(errors[0]).toMatch(new RegExp(`^${spot.replace(/ /g, ' .*').replace(/ \.\*$/, '')}`));
    expect(result.findings[0]!.path).toBe(path);
  });

  it('accepts a screenshot in a block that gives its text alternative as alt, without a title', async () => {
    const files = edited(
      real(type, NHS),
      GROUPS,
      /^ {8}text: All sessions$/m,
      '        alt: The sessions page',
    );
    const result = await judgeReal(type, files);
    expect(result.findings).toEqual([]);
  });
});

describe('real architecture decision records', () => {
  const type = 'architecture-decision-record';

  it('come from at least four repositories, at least fifteen records', () => {
    const counts = repositories(type).map((repository) => Object.keys(real(type, repository)).length);
    expect(counts.length).toBeGreaterThanOrEqual(4);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(15);
  });

  /** The warnings real records deserve: MoJ's 021 has no Consequences section. */
  const EXPECTED: Record<string, string[]> = {
    'ministryofjustice--cloud-platform': [
      'artefacts/sections architecture-decision-record/021-Multi-cluster.md:1:1',
    ],
  };

  it.each(repositories(type))('%s: every record is valid, with no errors', async (repository) => {
    const files = real(type, repository);
    const result = await judgeReal(type, files);
    expect(where(result.findings)).toEqual(EXPECTED[repository] ?? []);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const artefacts = (result.data as { artefacts: Array<{ path: string; valid: boolean }> }).artefacts;
    expect(artefacts.filter((a) => !a.valid)).toEqual([]);
    expect(artefacts).toHaveLength(Object.keys(files).length);
  });

  it('are found in their usual places without configuration', async () => {
    const files = {
      ...real(type, 'ministryofjustice--cloud-platform'),
      ...real(type, 'alphagov--forms'),
      ...real(type, 'alphagov--govuk-aws'),
    };
    const result = await judge(files, { now: '2026-06-01' });
    const artefacts = (result.data as { artefacts: Array<{ path: string; type: string }> }).artefacts;
    expect(artefacts.map((a) => a.type)).toEqual(Object.keys(files).map(() => type));
  });

  const MOJ = 'ministryofjustice--cloud-platform';
  const FOLDER = 'architecture-decision-record';

  it.each([
    [
      'an unknown status under the decoration',
      `${FOLDER}/002-Use-github-for-architecture-decision-record.md`,
      '✅ Accepted',
      '✅ Done',
      'artefacts/schema 7:3',
      'status must be one of: Proposed, Accepted',
    ],
    [
      'a superseding link that does not resolve',
      `${FOLDER}/021-Multi-cluster.md`,
      '(036-multi-cluster.md)',
      '(037-multi-cluster.md)',
      'artefacts/superseded-by 7:',
      'The status says this decision is superseded by 037-multi-cluster.md, but no decision file exists',
    ],
    [
      'a title whose number is not the file number',
      `${FOLDER}/036-multi-cluster.md`,
      '# 36. Several clusters',
      '# 35. Several clusters',
      'artefacts/decision-number 1:3',
      'The heading numbers this decision 35, but its file name numbers it 36',
    ],
    [
      'a date that is not a date',
      `${FOLDER}/002-Use-github-for-architecture-decision-record.md`,
      'Date: 26/03/2018',
      'Date: 31/02/2018',
      'artefacts/schema 3:7',
      'date must be a date like 2025-03-31 (found the text "31/02/2018")',
    ],
    [
      'a record that does not say its status',
      `${FOLDER}/019-Shared-Ingress-Controllers.md`,
      /## Status\n+.*\n/,
      '',
      'artefacts/schema 1:1',
      "does not say the decision's status",
    ],
  ])('flags %s', async (_name, path, from, to, spot, words) => {
    const result = await judgeReal(type, edited(real(type, MOJ), path, from, to));
    // MoJ's 021 has no Consequences section, which is beside the point here.
    const findings = result.findings.filter((f) => f.rule !== 'artefacts/sections');
    const found = findings.map((f) => `${f.rule} ${f.line}:${f.column} ${f.message}`);
    expect(found).toEqual([expect.stringContaining(words)]);
    expect(found[0]!.startsWith(spot)).toBe(true);
    expect(findings[0]!.path).toBe(path);
  });

  it('flags a number used twice in one log', async () => {
    const files = real(type, MOJ);
    const copy = files[`${FOLDER}/019-Shared-Ingress-Controllers.md`]!;
    const result = await judgeReal(type, { ...files, [`${FOLDER}/019-shared-ingress-again.md`]: copy });
    expect(where(result.findings.filter((f) => f.rule !== 'artefacts/sections'))).toEqual([
      `artefacts/duplicate-id ${FOLDER}/019-shared-ingress-again.md:1:1`,
    ]);
    expect(result.findings[0]!.message).toContain(`also used by ${FOLDER}/019-Shared-Ingress-Controllers.md`);
  });

  it('follows a successor named by number only ("Superseded by ADR025")', async () => {
    const files = real(type, 'alphagov--forms');
    const result = await judgeReal(type, files);
    expect(result.findings).toEqual([]);
    const without = { ...files };
    delete without['ADR/ADR025-use-aasm-to-manage-form-state.md'];
    const broken = await judgeReal(type, without);
    expect(where(broken.findings)).toEqual([
      'artefacts/superseded-by ADR/ADR013-use-paper-trail-gem-for-auditing-and-record-backups.md:7:15',
    ]);
  });
});
