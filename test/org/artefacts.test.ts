import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARTEFACT_FILES_PER_REPOSITORY } from '../../src/org/audit.js';
import type { AuditedRepository } from '../../src/org/report.js';
import { auditByName, FakeOrg, useFakeOrg } from './fake-org.js';
import { COMPLIANT_FILES, compliant } from './support.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);

function fixture(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

/** Every file of a folder of real fixtures, at the same paths below `as`. */
function folder(path: string, as: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(new URL(path, FIXTURES)))
    files[`${as}/${name}`] = fixture(`${path}/${name}`);
  return files;
}

const FORMS_ADRS = folder('real/architecture-decision-record/alphagov--forms/ADR', 'ADR');
const SCREENING_POST = 'app/posts/manage-breast-screening/2024/12/2024-12-20-first-alpha-prototype.md';

let fake: FakeOrg;

useFakeOrg(() => fake);
const audit = () => auditByName('nhs-trust', new Date('2026-12-07T09:00:00Z'));

function artefacts(repo: AuditedRepository | undefined) {
  return repo?.results.find((r) => r.check === 'artefacts');
}

/** The artefact files read of a repository: what the checks were given to judge, beyond the community files. */
function judgedPaths(name: string): string[] {
  const paths: string[] = [];
  for (const sent of fake.sent.filter((s) => s.operation === 'OpenlyOrgFiles')) {
    for (const [key, value] of Object.entries(sent.variables)) {
      const r = /^n(\d+)$/.exec(key)?.[1];
      if (r === undefined || value !== name) continue;
      for (const [expression, path] of Object.entries(sent.variables)) {
        if (expression.startsWith(`e${r}_`)) paths.push(JSON.stringify(path).slice(1, -1).split(':')[1]!);
      }
    }
  }
  return paths.filter((path) => !(path in COMPLIANT_FILES) && !path.startsWith('.github/')).sort();
}

describe('artefacts in the organisation audit', () => {
  it('lists the artefact folders a repository has and judges what they hold, in a few requests for the batch', async () => {
    fake = new FakeOrg('nhs-trust', [
      compliant('forms', { files: { ...COMPLIANT_FILES, ...FORMS_ADRS } }),
      compliant('screening-design-history', {
        files: {
          ...COMPLIANT_FILES,
          [SCREENING_POST]: fixture(
            `real/design-history-entry/NHSDigital--screening-design-history/${SCREENING_POST}`,
          ),
        },
      }),
      compliant('clinical-safety', {
        files: {
          ...COMPLIANT_FILES,
          'governance/risk-register.yaml': fixture('artefacts/risk-register/invalid-rating-off-grid.yaml'),
          'roadmap.yaml': fixture('artefacts/roadmap/valid-roadmap.yaml'),
        },
      }),
      compliant('booking'),
    ]).install();
    const repos = await audit();

    // One listing, one listing of the artefact folders (of the two repositories whose listing shows them; the
    // roadmap is at the root, already listed), one read of every file wanted.
    expect([
      fake.count('OpenlyOrgRepositories'),
      fake.count('OpenlyOrgFolders'),
      fake.count('OpenlyOrgFiles'),
    ]).toEqual([1, 1, 1]);
    const listed = fake.sent.find((s) => s.operation === 'OpenlyOrgFolders')!;
    expect(
      Object.entries(listed.variables)
        .filter(([key]) => key.startsWith('n'))
        .map(([, v]) => v),
    ).toEqual(['clinical-safety', 'forms', 'screening-design-history']);

    expect(judgedPaths('forms')).toEqual(Object.keys(FORMS_ADRS).sort());
    expect(artefacts(repos.forms)!.status).not.toBe('skip');
    expect(judgedPaths('screening-design-history')).toEqual([SCREENING_POST]);

    const safety = artefacts(repos['clinical-safety'])!;
    expect(judgedPaths('clinical-safety')).toEqual(['governance/risk-register.yaml', 'roadmap.yaml']);
    expect(safety.status).toBe('fail');
    expect(safety.findings).toContainEqual(
      expect.objectContaining({ rule: 'artefacts/risk-rating', path: 'governance/risk-register.yaml' }),
    );
    expect(repos['clinical-safety']!.status).toBe('failing');

    expect(artefacts(repos.booking)).toMatchObject({ status: 'pass', findings: [] });
    expect(judgedPaths('booking')).toEqual([]);
  });

  it("follows the places a repository's configuration names, listing them in a second look", async () => {
    const config =
      'artefacts:\n  files:\n    - path: decisions/*.md\n      type: architecture-decision-record\n';
    fake = new FakeOrg('nhs-trust', [
      compliant('forms', {
        files: {
          ...COMPLIANT_FILES,
          '.github/openly.yml': config,
          ...folder('real/architecture-decision-record/alphagov--forms/ADR', 'decisions'),
        },
      }),
    ]).install();
    const repos = await audit();
    expect(artefacts(repos.forms)!.status).not.toBe('skip');
    expect(judgedPaths('forms')).toEqual(
      Object.keys(FORMS_ADRS)
        .map((p) => p.replace('ADR/', 'decisions/'))
        .sort(),
    );
    expect(fake.count('OpenlyOrgFolders')).toBe(1);
    expect(fake.count('OpenlyOrgFiles')).toBe(2);
  });

  it('says why it leaves artefacts to the other doors: a place anywhere in the tree, or more files than it reads', async () => {
    const weeknote = fixture('artefacts/weeknote/valid-week.md');
    const many = Object.fromEntries(
      Array.from({ length: ARTEFACT_FILES_PER_REPOSITORY + 1 }, (_, i) => [
        `weeknotes/2024-${String(i).padStart(3, '0')}.md`,
        weeknote,
      ]),
    );
    fake = new FakeOrg('nhs-trust', [
      compliant('anywhere', {
        files: {
          ...COMPLIANT_FILES,
          '.github/openly.yml':
            'artefacts:\n  files:\n    - path: "**/*.adr.md"\n      type: architecture-decision-record\n',
        },
      }),
      compliant('team-weeknotes', { files: { ...COMPLIANT_FILES, ...many } }),
    ]).install();
    const repos = await audit();
    expect(artefacts(repos.anywhere)).toMatchObject({ status: 'skip', findings: [] });
    expect(artefacts(repos.anywhere)!.skipped).toContain('"**/*.adr.md" can match files anywhere');
    const weeknotes = artefacts(repos['team-weeknotes'])!;
    expect(weeknotes.status).toBe('skip');
    expect(weeknotes.skipped).toContain(`${ARTEFACT_FILES_PER_REPOSITORY + 1} artefact files`);
    expect(weeknotes.skipped).toContain('openly check');
    // None of the weeknotes was read.
    const read = fake.sent
      .filter((s) => s.operation === 'OpenlyOrgFiles')
      .flatMap((s) => Object.values(s.variables));
    expect(read.some((value) => JSON.stringify(value).includes('weeknotes/'))).toBe(false);
  });

  it('notes a folder deeper than it lists, rather than passing for having judged it', async () => {
    fake = new FakeOrg('nhs-trust', [
      compliant('deep-weeknotes', {
        files: {
          ...COMPLIANT_FILES,
          'weeknotes/2024/05/2024-05-31.md': fixture('artefacts/weeknote/valid-week.md'),
          'weeknotes/archive/2023/q4/12/2023-12-29.md': fixture('artefacts/weeknote/valid-week.md'),
        },
      }),
    ]).install();
    const repos = await audit();
    const result = artefacts(repos['deep-weeknotes'])!;
    expect(judgedPaths('deep-weeknotes')).toEqual(['weeknotes/2024/05/2024-05-31.md']);
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        rule: 'snapshot/unreadable-folder',
        message: expect.stringContaining('weeknotes/archive/2023/q4/'),
      }),
    );
  });
});
