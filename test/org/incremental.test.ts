import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAuditCommand } from '../../src/cli/audit-command.js';
import { ARTEFACT_FILES_PER_REPOSITORY } from '../../src/org/audit.js';
import { Capture } from '../support/cli.js';
import { auditClient, FakeOrg, type FakeRepo } from './fake-org.js';
import { COMPLIANT_FILES, compliant, unlicensed } from './support.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const ORG = 'nhs-england-tools';
const NOW = new Date('2026-12-07T09:00:00Z');
let fake: FakeOrg | undefined;

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  expect(fake?.invalid ?? []).toEqual([]);
  fake = undefined;
  nock.cleanAll();
});

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'openly-incr-'));
}

const CLOSED_CONFIG =
  'visibility:\n  justification: holds the configuration of live NHS systems\n  open-by: 2027-01-15\n';

/**
 * 25 repositories over three listing pages of 10 (GitHub's are of 100): most compliant, some without a licence, one private with a
 * justification and an `open-by` date, one archived, and the organisation base in `.github`.
 */
function organisation(): FakeOrg {
  const repos: FakeRepo[] = [
    { name: '.github', files: { '.github/openly.yml': 'licence:\n  allowed: [MIT, OGL-UK-3.0]\n' } },
    {
      name: 'gp-connect-config',
      visibility: 'PRIVATE',
      files: { ...COMPLIANT_FILES, '.github/openly.yml': CLOSED_CONFIG },
    },
    compliant('old-booking', { archived: true }),
  ];
  for (let i = 0; i < 22; i++) {
    const name = `service-${String(i).padStart(3, '0')}`;
    repos.push(i % 7 === 3 ? unlicensed(name) : compliant(name));
  }
  return new FakeOrg(ORG, repos, { pageSize: 10 }).install();
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  report: { auditedAt: string; summary: object; repositories: Array<{ name: string; status: string }> };
  listings: number;
  reads: number;
}

async function audit(out: string, now = NOW, extra: string[] = []): Promise<Run> {
  const start = fake!.sent.length;
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runAuditCommand(
    ['--org', ORG, '--format', 'json', '--out', out, ...extra],
    { stdout, stderr, cwd: tmpdir(), env: { GITHUB_TOKEN: TOKEN } },
    { now: () => now, sleep: async () => {}, client: auditClient },
  );
  const sent = fake!.sent.slice(start);
  return {
    code,
    stdout: stdout.text,
    stderr: stderr.text,
    report: (stdout.text === '' ? {} : JSON.parse(stdout.text)) as Run['report'],
    listings: sent.filter((s) => s.operation === 'OpenlyOrgRepositories').length,
    reads: sent.filter((s) => s.operation === 'OpenlyOrgFiles').length,
  };
}

/** What a full audit into an empty folder says at `now`, and what it cost. */
async function fresh(now = NOW, extra: string[] = []): Promise<Run> {
  return audit(folder(), now, extra);
}

describe('two audits into one --out folder', () => {
  it('refuses the second while the first runs, naming the process, and takes over a lock whose process is gone', async () => {
    fake = organisation();
    const out = folder();
    const lock = join(out, '.openly', 'lock');
    mkdirSync(join(out, '.openly'), { recursive: true });
    // This test's own process is running: its lock is held.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: NOW.toISOString() }));
    const refused = await audit(out);
    expect(refused.code).toBe(2);
    expect(refused.listings).toBe(0);
    expect(refused.stderr).toContain(
      `another audit (process ${process.pid} on ${hostname()}) is writing to this folder`,
    );
    expect(refused.stderr).toContain(`delete ${lock} if it is no longer running`);

    // A process that has exited leaves its lock behind: the next audit takes it over, and gives it up when done.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    writeFileSync(
      lock,
      JSON.stringify({ pid: Number(gone.stdout), host: hostname(), since: NOW.toISOString() }),
    );
    const taken = await audit(out);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('was left by an audit that is no longer running: taken over');
    expect(existsSync(lock)).toBe(false);
  });
});

describe('an audit re-run into the same --out folder', { timeout: 120_000 }, () => {
  it('reads no file when nothing was pushed, and says what a full audit says', async () => {
    fake = organisation();
    const out = folder();
    const first = await audit(out);
    expect(first.code).toBe(1);
    expect(first.listings).toBe(3);
    expect(first.reads).toBeGreaterThan(0);

    const again = await audit(out);
    expect(again.stderr).toBe('');
    // One listing request per page (of 100 repositories on GitHub), and nothing else.
    expect({ listings: again.listings, reads: again.reads }).toEqual({ listings: 3, reads: 0 });
    const full = await fresh();
    expect(full.reads).toBe(first.reads);
    expect(again.report).toEqual(full.report);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toEqual(full.report);
  });

  it('reads again only the repositories pushed since, in one request across pages, and judges their new files', async () => {
    fake = organisation();
    const out = folder();
    await audit(out);
    const { LICENCE: _gone, ...withoutLicence } = COMPLIANT_FILES;
    // On the first and the second listing page: read together, not one read per page.
    fake.push(
      'service-002',
      { ...COMPLIANT_FILES, 'README.md': '# Booking\n\nNow with reminders.\n' },
      '2026-12-05T11:00:00Z',
    );
    fake.push('service-010', withoutLicence, '2026-12-06T16:00:00Z');

    const start = fake.sent.length;
    const again = await audit(out);
    expect({ listings: again.listings, reads: again.reads }).toEqual({ listings: 3, reads: 1 });
    const read = fake.sent.slice(start).find((s) => s.operation === 'OpenlyOrgFiles')!;
    expect(Object.entries(read.variables).filter(([key]) => /^n\d+$/.test(key))).toEqual([
      ['n0', 'service-002'],
      ['n1', 'service-010'],
    ]);
    expect(again.report.repositories.find((r) => r.name === 'service-010')?.status).toBe('failing');
    expect(again.report).toEqual((await fresh()).report);
  });

  it('judges a repository made private since without reading it, as a full audit does', async () => {
    fake = organisation();
    const out = folder();
    await audit(out);
    fake.repos.find((r) => r.name === 'service-015')!.visibility = 'PRIVATE';

    const again = await audit(out);
    expect(again.reads).toBe(0);
    const repo = again.report.repositories.find((r) => r.name === 'service-015') as unknown as {
      visibility: string;
      results: Array<{ check: string; findings: Array<{ rule: string }> }>;
    };
    expect(repo.visibility).toBe('private');
    expect(repo.results.find((r) => r.check === 'visibility')?.findings.map((f) => f.rule)).toEqual([
      'visibility/not-public',
    ]);
    expect(again.report).toEqual((await fresh()).report);
  });

  it('judges an open-by date that has passed since by the kept configuration, without reading it', async () => {
    fake = organisation();
    const out = folder();
    const first = await audit(out);
    const before = first.report.repositories.find((r) => r.name === 'gp-connect-config');
    expect(before?.status).toBe('compliant');

    const later = new Date('2027-01-20T09:00:00Z');
    const again = await audit(out, later);
    expect(again.reads).toBe(0);
    const after = again.report.repositories.find((r) => r.name === 'gp-connect-config') as unknown as {
      status: string;
      results: Array<{ check: string; findings: Array<{ rule: string }> }>;
    };
    expect(after.status).toBe('failing');
    expect(after.results.find((r) => r.check === 'visibility')?.findings.map((f) => f.rule)).toEqual([
      'visibility/open-by-passed',
    ]);
    expect(again.report).toEqual((await fresh(later)).report);
  });

  it('reads every repository again when the organisation base has changed', async () => {
    fake = organisation();
    const out = folder();
    const first = await audit(out);
    fake.push(
      '.github',
      { '.github/openly.yml': 'licence:\n  allowed: [OGL-UK-3.0]\n' },
      '2026-12-06T16:00:00Z',
    );

    const again = await audit(out);
    expect(again.stderr).toContain('the organisation base has changed since');
    expect(again.stderr).toContain('every repository is read again');
    expect(again.reads).toBe(first.reads);
    // MIT is no longer allowed: every licensed repository now fails.
    expect(again.report.summary).toEqual((await fresh()).report.summary);
    expect(again.report).toEqual((await fresh()).report);
    expect(again.report.repositories.find((r) => r.name === 'service-000')?.status).toBe('failing');
  });

  it('keeps the artefact folders listed and the checks skipped: a re-run judges artefacts as the first did', async () => {
    const fixtures = new URL('../fixtures/artefacts/', import.meta.url);
    const weeknote = readFileSync(new URL('weeknote/valid-week.md', fixtures), 'utf8');
    const weeknotes = Object.fromEntries(
      Array.from({ length: ARTEFACT_FILES_PER_REPOSITORY + 1 }, (_, i) => [
        `weeknotes/2026-${String(i).padStart(3, '0')}.md`,
        weeknote,
      ]),
    );
    fake = new FakeOrg(ORG, [
      compliant('clinical-safety', {
        files: {
          ...COMPLIANT_FILES,
          'governance/risk-register.yaml': readFileSync(
            new URL('risk-register/invalid-rating-off-grid.yaml', fixtures),
            'utf8',
          ),
        },
      }),
      compliant('team-weeknotes', { files: { ...COMPLIANT_FILES, ...weeknotes } }),
    ]).install();
    const out = folder();
    const first = await audit(out);
    const artefactsOf = (run: Run, name: string) =>
      (
        run.report.repositories.find((r) => r.name === name) as unknown as {
          results: Array<{
            check: string;
            status: string;
            skipped?: string;
            findings: Array<{ path?: string }>;
          }>;
        }
      ).results.find((r) => r.check === 'artefacts')!;
    // The register is found only by listing `governance/`; the weeknotes are too many to read.
    expect(artefactsOf(first, 'clinical-safety').findings).toContainEqual(
      expect.objectContaining({ path: 'governance/risk-register.yaml' }),
    );
    expect(artefactsOf(first, 'team-weeknotes')).toMatchObject({ status: 'skip' });

    const start = fake.sent.length;
    const again = await audit(out);
    expect(fake.sent.slice(start).map((sent) => sent.operation)).toEqual(['OpenlyOrgRepositories']);
    expect(again.report).toEqual(first.report);
  });

  it('does not reuse the state of another Openly version, and says so', async () => {
    fake = organisation();
    const out = folder();
    const first = await audit(out);
    const where = join(out, '.openly', 'state.json');
    const state = JSON.parse(readFileSync(where, 'utf8')) as { version: string };
    writeFileSync(where, JSON.stringify({ ...state, version: '0.0.1' }));

    const again = await audit(out);
    expect(again.stderr).toContain('it is from Openly 0.0.1');
    expect(again.reads).toBe(first.reads);
    expect(again.report).toEqual(first.report);
  });

  it('does not reuse a state of the earlier format (folders kept among the files), and says so', async () => {
    fake = organisation();
    const out = folder();
    const first = await audit(out);
    const where = join(out, '.openly', 'state.json');
    const state = JSON.parse(readFileSync(where, 'utf8')) as {
      repositories: Record<string, { head: string; files: Record<string, unknown> }>;
    };
    const repositories = Object.fromEntries(
      Object.entries(state.repositories).map(([name, kept]) => [
        name,
        { head: kept.head, files: { ...kept.files, '\u0000tree': 'x' } },
      ]),
    );
    writeFileSync(where, JSON.stringify({ ...state, format: 1, repositories }));

    const again = await audit(out);
    expect(again.stderr).toContain('it is of another format');
    expect(again.reads).toBe(first.reads);
    expect(again.report).toEqual(first.report);
    expect(JSON.parse(readFileSync(where, 'utf8'))).toMatchObject({ format: 2 });
  });
});

describe('an interrupted audit run again into the same --out folder', { timeout: 120_000 }, () => {
  /**
   * GitHub refuses the third listing request, as it does when an installation token expires (after an hour) in
   * the middle of a large organisation's audit: two pages judged and saved, then the audit stops.
   */
  function failThirdListing(org: FakeOrg): void {
    org.failWhen = (sent) =>
      sent.operation === 'OpenlyOrgRepositories' && sent.variables.cursor === 'cursor:20'
        ? {
            status: 401,
            body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/graphql' },
          }
        : undefined;
  }

  it('continues after the last page judged, and ends with the report of an uninterrupted audit', async () => {
    fake = organisation();
    const out = folder();
    failThirdListing(fake);
    const broken = await audit(out);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('GitHub refused the token');
    expect(broken.stderr).toContain('run the same command again to continue the audit');

    fake.failWhen = undefined;
    const start = fake.sent.length;
    const resumed = await audit(out);
    expect(resumed.stderr).toContain(
      `resuming the audit of ${ORG} started 2026-12-07T09:00:00.000Z: 20 repositories were judged`,
    );
    // The listing goes on from the cursor it stopped at, bringing the base again with its first request.
    const listings = fake.sent.slice(start).filter((s) => s.operation === 'OpenlyOrgRepositories');
    expect(listings.map((s) => [s.variables.cursor, s.variables.withBase])).toEqual([['cursor:20', true]]);
    expect(resumed.reads).toBeLessThan(broken.reads);
    expect(resumed.report).toEqual((await fresh()).report);

    // The progress is gone and the state complete: the next run reads nothing.
    const next = await audit(out);
    expect(next.stderr).toBe('');
    expect(next.reads).toBe(0);
    expect(next.report).toEqual(resumed.report);
  });

  it('ignores, with a message, the progress of an audit with other settings', async () => {
    fake = organisation();
    const out = folder();
    failThirdListing(fake);
    await audit(out);
    fake.failWhen = undefined;

    const other = await audit(out, NOW, ['--include-archived']);
    expect(other.stderr).toContain('is not this audit');
    expect(other.stderr).toContain('other --include-archived or --include-forks settings');
    expect(other.stderr).not.toContain('resuming');
    expect(other.report).toEqual((await fresh(NOW, ['--include-archived'])).report);
  });

  it('ignores the progress of another Openly version, with a message', async () => {
    fake = organisation();
    const out = folder();
    failThirdListing(fake);
    await audit(out);
    fake.failWhen = undefined;
    const where = join(out, '.openly', 'progress', 'header.json');
    const header = JSON.parse(readFileSync(where, 'utf8')) as object;
    writeFileSync(where, JSON.stringify({ ...header, version: '0.0.1' }));

    const again = await audit(out);
    expect(again.stderr).toContain('is not this audit');
    expect(again.stderr).toContain('it is from Openly 0.0.1');
    expect(again.listings).toBe(3);
    expect(again.report).toEqual((await fresh()).report);
  });

  it('starts over when the organisation base changed while it was interrupted', async () => {
    fake = organisation();
    const out = folder();
    failThirdListing(fake);
    await audit(out);
    fake.failWhen = undefined;
    fake.push(
      '.github',
      { '.github/openly.yml': 'licence:\n  allowed: [OGL-UK-3.0]\n' },
      '2026-12-06T16:00:00Z',
    );

    const again = await audit(out);
    expect(again.stderr).toContain('was judged by another organisation base');
    expect(again.report).toEqual((await fresh()).report);
  });
});
