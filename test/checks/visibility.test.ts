import { describe, expect, it } from 'vitest';
import { configOptions } from '../../src/checks/index.js';
import { saysWhyArchived, visibilityCheck } from '../../src/checks/visibility.js';
import { parseConfig, validateConfig } from '../../src/config/load.js';
import { runChecks } from '../../src/core/engine.js';
import { MemorySnapshot, type MemoryFiles } from '../../src/sources/memory.js';
import type { RepositoryFacts } from '../../src/sources/snapshot.js';

/** The audit's clock in these tests: 7 December 2026, mid-morning. */
const NOW = new Date('2026-12-07T09:30:00Z');
const README = '# Booking\n\nBook a GP appointment online. Maintained by the NHS App team.\n';

async function judge(
  repository: RepositoryFacts | undefined,
  yaml = '',
  files: MemoryFiles = { 'README.md': README },
) {
  const config = parseConfig(yaml, '.github/openly.yml', configOptions());
  const report = await runChecks({
    snapshot: new MemorySnapshot(files, repository === undefined ? {} : { repository }),
    checks: [visibilityCheck],
    config,
    now: () => NOW,
  });
  return report.results[0]!;
}

const PRIVATE: RepositoryFacts = { visibility: 'private', archived: false, pushedAt: '2026-12-01T10:00:00Z' };

describe('visibility', () => {
  it('passes a public repository pushed to recently', async () => {
    const result = await judge({ visibility: 'public', archived: false, pushedAt: '2026-11-30T10:00:00Z' });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
    expect(result.data).toEqual({ visibility: 'public', archived: false, pushedAt: '2026-11-30T10:00:00Z' });
  });

  it('skips, saying why, when the source does not know the repository (a local checkout)', async () => {
    const result = await judge(undefined);
    expect(result.status).toBe('skip');
    expect(result.skipped).toContain('openly audit --org');
  });

  it.each(['private', 'internal'] as const)(
    'a %s repository without a justification fails, naming the policy and saying how to fix it',
    async (visibility) => {
      const result = await judge({ ...PRIVATE, visibility });
      expect(result.status).toBe('fail');
      expect(result.findings).toEqual([
        expect.objectContaining({ rule: 'visibility/not-public', severity: 'error', check: 'visibility' }),
      ]);
      expect(result.findings[0]!.message).toContain(`This repository is ${visibility}`);
      expect(result.findings[0]!.message).toContain('NHS open source policy');
      expect(result.findings[0]!.fix).toContain('justification:');
    },
  );

  it('a blank justification is no justification', async () => {
    const result = await judge(PRIVATE, 'visibility:\n  justification: "   "\n  open-by: 2027-03-01\n');
    expect(result.findings.map((f) => f.rule)).toEqual(['visibility/not-public']);
  });

  it('a justification with an open-by date within 6 months passes', async () => {
    const yaml =
      'visibility:\n  justification: Holds the test data of a live trial.\n  open-by: 2027-06-07\n';
    const result = await judge(PRIVATE, yaml);
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
  });

  it('an open-by date of today has not passed; yesterday has', async () => {
    const today = await judge(PRIVATE, 'visibility:\n  justification: Trial data.\n  open-by: 2026-12-07\n');
    expect(today.findings).toEqual([]);
    const yesterday = await judge(
      PRIVATE,
      'visibility:\n  justification: Trial data.\n  open-by: 2026-12-06\n',
    );
    expect(yesterday.status).toBe('fail');
    expect(yesterday.findings).toEqual([
      expect.objectContaining({ rule: 'visibility/open-by-passed', severity: 'error' }),
    ]);
    expect(yesterday.findings[0]!.message).toContain('2026-12-06');
  });

  it('an open-by date more than 6 months ahead, or none, is a warning', async () => {
    const far = await judge(PRIVATE, 'visibility:\n  justification: Trial data.\n  open-by: 2027-06-08\n');
    expect(far.status).toBe('warn');
    expect(far.findings).toEqual([
      expect.objectContaining({ rule: 'visibility/open-by-far', severity: 'warning' }),
    ]);
    expect(far.findings[0]!.fix).toContain('2027-06-07');
    const none = await judge(PRIVATE, 'visibility:\n  justification: Trial data.\n');
    expect(none.findings.map((f) => [f.rule, f.severity])).toEqual([['visibility/open-by-far', 'warning']]);
    expect(none.findings[0]!.message).toContain('no "open-by" date');
  });

  it('a day that does not exist is said, not read as another day', async () => {
    const result = await judge(PRIVATE, 'visibility:\n  justification: Trial data.\n  open-by: 2027-02-30\n');
    expect(result.findings.map((f) => f.rule)).toEqual(['visibility/open-by-far']);
    expect(result.findings[0]!.message).toContain('"2027-02-30"');
  });

  it('the configuration schema refuses an open-by that is not YYYY-MM-DD, naming the line', () => {
    const problems = validateConfig(
      'visibility:\n  justification: Trial data.\n  open-by: next spring\n',
      '.github/openly.yml',
      configOptions(),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: '.github/openly.yml', line: 3 });
  });

  it('a repository not pushed to for longer than stale-after-days is a notice suggesting to archive it', async () => {
    const old = { visibility: 'public', archived: false, pushedAt: '2025-12-01T08:00:00Z' } as const;
    const result = await judge(old);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'visibility/stale', severity: 'notice' }),
    ]);
    expect(result.findings[0]!.message).toContain('371 days');
    expect(result.findings[0]!.fix).toContain('archive');
    expect((await judge(old, 'visibility:\n  stale-after-days: 400\n')).findings).toEqual([]);
    const strict = await judge(
      old,
      'visibility:\n  stale-after-days: 30\nrules:\n  visibility/stale: warning\n',
    );
    expect(strict.findings.map((f) => [f.rule, f.severity])).toEqual([['visibility/stale', 'warning']]);
  });

  it('an archived repository is not called stale, but its README must say why it was archived', async () => {
    const archived = { visibility: 'public', archived: true, pushedAt: '2023-01-01T00:00:00Z' } as const;
    const silent = await judge(archived);
    expect(silent.findings).toEqual([
      expect.objectContaining({
        rule: 'visibility/archived-no-reason',
        severity: 'warning',
        path: 'README.md',
      }),
    ]);
    expect(silent.findings[0]!.fix).toContain('Unarchive');
    const said = await judge(archived, '', {
      'README.md': `${README}\nThis repository was archived in March 2024 because the service moved to NHS login.\n`,
    });
    expect(said.findings).toEqual([]);
    const none = await judge(archived, '', {});
    expect(none.findings.map((f) => f.rule)).toEqual(['visibility/archived-no-reason']);
    expect(none.findings[0]!.message).toContain('no README');
  });

  it.each([
    ['a sentence giving the reason', 'We archived this project when the pilot ended.', true],
    ['a reason over two lines', 'This repository was archived\nbecause the service closed.', true],
    ['a heading alone', '# Archived\n\nBook a GP appointment online.', false],
    ['a heading over unrelated text', '# Archived\nBook a GP appointment online.', false],
    ['a badge', '![archived](https://img.shields.io/badge/status-archived-red)', false],
    ['a bare word', 'Status: archived.', false],
    ['another word', 'The archive of weeknotes lives in docs/.', false],
  ])('saysWhyArchived: %s', (_name, text, expected) => {
    expect(saysWhyArchived(text)).toBe(expected);
  });
});
