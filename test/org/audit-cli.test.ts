import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Capture } from '../support/cli.js';
import { FakeOrg } from './fake-org.js';
import { compliant, parseCsv, unlicensed } from './support.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
let fake: FakeOrg | undefined;

async function audit(argv: string[], env: NodeJS.ProcessEnv = { GITHUB_TOKEN: TOKEN }, cwd = tmpdir()) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(['audit', ...argv], { stdout, stderr, cwd, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  expect(fake?.invalid ?? []).toEqual([]);
  fake = undefined;
  nock.cleanAll();
});

function threeRepositories(): FakeOrg {
  return new FakeOrg('nhs-digital-team', [
    compliant('appointment-booking'),
    unlicensed('triage-notes'),
    compliant('old-prototype', { archived: true }),
  ]).install();
}

describe('openly audit --org', () => {
  it('judges each repository from its default branch and exits 1 when one falls short', async () => {
    fake = threeRepositories();
    const { code, stdout, stderr } = await audit(['--org', 'nhs-digital-team', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    interface Repo {
      name: string;
      status: string;
      results: Array<{ check: string; status: string; skipped?: string; note?: string; findings: object[] }>;
    }
    const report = JSON.parse(stdout) as {
      tool: string;
      organisation: string;
      auditedAt: string;
      summary: object;
      repositories: Repo[];
    };
    expect(Object.keys(report)).toEqual([
      'tool',
      'version',
      'organisation',
      'auditedAt',
      'summary',
      'repositories',
    ]);
    expect(report.tool).toBe('openly');
    expect(report.organisation).toBe('nhs-digital-team');
    expect(Number.isNaN(Date.parse(String(report.auditedAt)))).toBe(false);
    expect(report.summary).toEqual({ repositories: 3, compliant: 1, failing: 1, skipped: 1 });

    const byName = Object.fromEntries(report.repositories.map((r) => [r.name, r]));
    const booking = byName['appointment-booking']!;
    expect(booking).toMatchObject({
      visibility: 'public',
      archived: false,
      fork: false,
      defaultBranch: 'main',
      pushedAt: '2026-11-30T10:00:00Z',
      status: 'compliant',
    });
    expect(booking.results.map((r) => [r.check, r.status])).toEqual([
      ['licence', 'pass'],
      ['community-files', 'pass'],
      ['artefacts', 'pass'],
      ['signed-commits', 'skip'],
      ['visibility', 'pass'],
      ['branch-rules', 'warn'],
      ['drafts', 'skip'],
      ['secrets', 'pass'],
      ['diagrams', 'skip'],
    ]);
    expect(booking.results[3]!.skipped).toMatch(/commits/);
    expect(booking.results[7]!.note).toMatch(/scanned only the files it reads/);

    const triage = byName['triage-notes']!;
    expect(triage.status).toBe('failing');
    const licence = triage.results.find((r) => r.check === 'licence')!;
    expect(licence.status).toBe('fail');
    expect(licence.findings).toEqual([
      expect.objectContaining({ rule: 'licence/missing', severity: 'error' }),
    ]);
    expect(licence.findings[0]).not.toHaveProperty('check');

    expect(byName['old-prototype']).toMatchObject({ status: 'skipped', reason: 'archived', results: [] });
  });

  it('exits 0 when every audited repository complies, archived ones skipped', async () => {
    fake = new FakeOrg('gds-team', [
      compliant('design-system'),
      compliant('old', { archived: true }),
    ]).install();
    const { code, stdout } = await audit(['--org', 'gds-team']);
    expect(code).toBe(0);
    expect(stdout).toContain('2 repositories, 1 compliant, 0 failing, 1 skipped');
    expect(stdout).toContain('✓ design-system  compliant');
    expect(stdout).toContain('- old  skipped (archived)');
  });

  it('--out writes report.json and report.csv, and the CSV reads back to the same verdicts', async () => {
    fake = threeRepositories();
    const out = mkdtempSync(join(tmpdir(), 'openly-audit-'));
    const { code } = await audit(['--org', 'nhs-digital-team', '--format', 'csv', '--out', out]);
    expect(code).toBe(1);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      repositories: Array<{
        name: string;
        status: string;
        results: Array<{ check: string; status: string }>;
      }>;
    };
    const [header, ...rows] = parseCsv(readFileSync(join(out, 'report.csv'), 'utf8'));
    expect(header).toEqual([
      'repository',
      'visibility',
      'archived',
      'fork',
      'default_branch',
      'pushed_at',
      'status',
      'reason',
      'licence',
      'community-files',
      'artefacts',
      'signed-commits',
      'visibility_check',
      'branch-rules',
      'drafts',
      'secrets',
      'diagrams',
      'errors',
      'warnings',
    ]);
    expect(rows).toHaveLength(json.repositories.length);
    for (const repo of json.repositories) {
      const row = rows.find((r) => r[0] === repo.name)!;
      expect(row[6]).toBe(repo.status);
      for (const result of repo.results) {
        const column = result.check === 'visibility' ? 'visibility_check' : result.check;
        expect(row[header!.indexOf(column)]).toBe(result.status);
      }
    }
    expect(rows.find((r) => r[0] === 'triage-notes')![header!.indexOf('errors')]).toBe('licence/missing');
    expect(rows.find((r) => r[0] === 'old-prototype')!.slice(2, 8)).toEqual([
      'true',
      'false',
      'main',
      '2026-11-30T10:00:00Z',
      'skipped',
      'archived',
    ]);
  });

  it('markdown lists every repository and what the failing ones lack', async () => {
    fake = threeRepositories();
    const { code, stdout } = await audit(['--org', 'nhs-digital-team', '--format', 'markdown']);
    expect(code).toBe(1);
    expect(stdout).toContain('# Openly audit of nhs-digital-team');
    expect(stdout).toMatch(/\| triage-notes \| public \| ❌ failing \| ❌ fail \|/);
    expect(stdout).toContain('### triage-notes');
    expect(stdout).toContain('`licence/missing`');
  });

  it('reads 45 repositories over three listing pages with at most one read request per 20 repositories', async () => {
    const repos = Array.from({ length: 45 }, (_, i) =>
      i % 9 === 0
        ? unlicensed(`service-${String(i).padStart(2, '0')}`)
        : compliant(`service-${String(i).padStart(2, '0')}`),
    );
    fake = new FakeOrg('big-department', repos, { pageSize: 20 }).install();
    const { code, stdout } = await audit(['--org', 'big-department', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      summary: Record<string, number>;
      repositories: { name: string }[];
    };
    expect(report.summary).toEqual({ repositories: 45, compliant: 40, failing: 5, skipped: 0 });
    expect(report.repositories.map((r) => r.name)).toEqual(repos.map((r) => r.name));
    expect(fake.count('OpenlyOrgRepositories')).toBe(3);
    expect(fake.count('OpenlyOrgFiles')).toBeLessThanOrEqual(Math.ceil(45 / 20));
    expect(fake.sent).toHaveLength(fake.count('OpenlyOrgRepositories') + fake.count('OpenlyOrgFiles'));
    // The pages are followed by cursor, and the base configuration asked for once.
    expect(
      fake.sent.filter((s) => s.operation === 'OpenlyOrgRepositories').map((s) => s.variables.withBase),
    ).toEqual([true, false, false]);
  });

  it('a bad token exits 2 saying so', async () => {
    nock('https://api.github.com').post('/graphql').reply(401, {
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/graphql',
      status: '401',
    });
    const { code, stdout, stderr } = await audit(['--org', 'nhs-digital-team']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('GitHub refused the token (Bad credentials)');
    expect(stderr).toContain('GITHUB_TOKEN or --token');
    expect(stderr).not.toContain(TOKEN);
  });

  it('a token without the permission exits 2 naming the permission to grant', async () => {
    nock('https://api.github.com').post('/graphql').reply(
      403,
      {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/graphql',
      },
      { 'x-accepted-github-permissions': 'metadata=read' },
    );
    const { code, stderr } = await audit(['--org', 'nhs-digital-team']);
    expect(code).toBe(2);
    expect(stderr).toContain('Resource not accessible by integration');
    expect(stderr).toContain('"Metadata: read" and "Contents: read"');
    expect(stderr).toContain('"repo" scope');
    expect(stderr).toContain('GitHub says this request needs: metadata=read.');
  });

  it("a classic token short of a scope exits 2 with GitHub's words and the scopes to grant", async () => {
    nock('https://api.github.com')
      .post('/graphql')
      .reply(200, {
        data: null,
        errors: [
          {
            type: 'INSUFFICIENT_SCOPES',
            locations: [{ line: 2, column: 3 }],
            message:
              "Your token has not been granted the required scopes to execute this query. The 'repositories' field requires one of the following scopes: ['repo'], but your token has only been granted the: ['read:user'] scopes.",
          },
        ],
      });
    const { code, stderr } = await audit(['--org', 'nhs-digital-team']);
    expect(code).toBe(2);
    expect(stderr).toContain("requires one of the following scopes: ['repo']");
    expect(stderr).toContain('"read:org"');
  });

  it('an organisation GitHub does not know exits 2', async () => {
    fake = new FakeOrg('nhs-digital-team', []).install();
    const { code, stderr } = await audit(['--org', 'nhs-digital-teem']);
    expect(code).toBe(2);
    expect(stderr).toContain('no organisation "nhs-digital-teem"');
  });

  it('GitHub Enterprise Server: GITHUB_API_URL is honoured, GraphQL found beside it', async () => {
    fake = new FakeOrg('platform', [compliant('api')], {
      origin: 'https://github.example.gov.uk',
      path: '/api/graphql',
    }).install();
    const { code } = await audit(['--org', 'platform'], {
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: 'https://github.example.gov.uk/api/v3',
    });
    expect(code).toBe(0);
    expect(fake.sent.map((s) => s.operation)).toEqual(['OpenlyOrgRepositories', 'OpenlyOrgFiles']);
  });

  it('GITHUB_GRAPHQL_URL, when set, is where GraphQL goes', async () => {
    fake = new FakeOrg('platform', [compliant('api')], {
      origin: 'http://127.0.0.1:8080',
      path: '/graphql-double',
    }).install();
    const { code } = await audit(['--org', 'platform', '--token', TOKEN], {
      GITHUB_API_URL: 'http://127.0.0.1:8080/rest',
      GITHUB_GRAPHQL_URL: 'http://127.0.0.1:8080/graphql-double',
    });
    expect(code).toBe(0);
    expect(fake.sent).toHaveLength(2);
  });

  it('usage errors exit 2: no organisation, no token, an unknown format', async () => {
    expect((await audit([])).stderr).toContain('audit needs --org ORG');
    const noToken = await audit(['--org', 'gds-team'], {});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('set GITHUB_TOKEN or give --token');
    const format = await audit(['--org', 'gds-team', '--format', 'sarif']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('unknown format "sarif"');
  });

  it('help names the command and its options', async () => {
    const top = new Capture();
    await main(['--help'], { stdout: top, stderr: new Capture(), cwd: tmpdir(), env: {} });
    expect(top.text).toContain('openly audit --org ORG');
    const { code, stdout } = await audit(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--format FORMAT   text (default), json, csv or markdown');
    expect(stdout).toContain('--out DIR');
    expect(stdout).toContain('--token TOKEN');
  });
});
