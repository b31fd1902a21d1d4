import { tmpdir } from 'node:os';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { auditOrganisation } from '../../src/org/audit.js';
import type { AuditedRepository } from '../../src/org/report.js';
import { Capture } from '../support/cli.js';
import { auditClient, FakeOrg, type FakeRepo } from './fake-org.js';
import { COMPLIANT_FILES, compliant } from './support.js';

let fake: FakeOrg;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(fake.invalid).toEqual([]);
  nock.cleanAll();
});

/** Compliant files less the code of conduct, which is a warning by default. */
function withoutConduct(name: string, config?: string): FakeRepo {
  const { 'docs/CODE_OF_CONDUCT.md': _conduct, ...files } = COMPLIANT_FILES;
  return { name, files: config === undefined ? files : { ...files, '.github/openly.yml': config } };
}

function orgBase(config: string): FakeRepo {
  return compliant('.github', { files: { ...COMPLIANT_FILES, '.github/openly.yml': config } });
}

async function audit(): Promise<Record<string, AuditedRepository>> {
  const report = await auditOrganisation({
    octokit: auditClient(),
    org: 'hmrc-digital',
  });
  return Object.fromEntries(report.repositories.map((r) => [r.name, r]));
}

describe('configuration in the organisation audit', () => {
  it("the organisation base applies to every repository, and a repository's own file is merged over it", async () => {
    fake = new FakeOrg('hmrc-digital', [
      orgBase('rules:\n  community-files/code-of-conduct: error\n'),
      withoutConduct('tax-calculator'),
      withoutConduct('vat-returns', 'rules:\n  community-files/code-of-conduct: off\n'),
    ]).install();
    const repos = await audit();
    expect(repos['tax-calculator']!.status).toBe('failing');
    expect(repos['tax-calculator']!.results[1]!.findings).toEqual([
      expect.objectContaining({ rule: 'community-files/code-of-conduct', severity: 'error' }),
    ]);
    expect(repos['vat-returns']!.status).toBe('compliant');
    expect(repos['.github']!.status).toBe('compliant');
  });

  it('without a .github repository the defaults apply', async () => {
    fake = new FakeOrg('hmrc-digital', [withoutConduct('tax-calculator')]).install();
    const repos = await audit();
    expect(repos['tax-calculator']!.status).toBe('compliant');
    expect(repos['tax-calculator']!.results[1]!.status).toBe('warn');
  });

  it("a repository's invalid file fails that repository alone, with the file, line and reason", async () => {
    fake = new FakeOrg('hmrc-digital', [
      compliant('tax-calculator', {
        files: { ...COMPLIANT_FILES, '.github/openly.yml': 'licence: sometimes\n' },
      }),
      compliant('vat-returns'),
    ]).install();
    const repos = await audit();
    expect(repos['vat-returns']!.status).toBe('compliant');
    const broken = repos['tax-calculator']!;
    expect(broken.status).toBe('failing');
    expect(broken.results).toHaveLength(1);
    expect(broken.results[0]).toMatchObject({ check: 'config', status: 'fail' });
    expect(broken.results[0]!.findings[0]!.rule).toBe('config/invalid');
    expect(broken.results[0]!.findings[0]!.message).toMatch(
      /^hmrc-digital\/tax-calculator:\.github\/openly\.yml:1:\d+: /,
    );
  });

  it('an _extends the audit does not follow is said, not ignored', async () => {
    fake = new FakeOrg('hmrc-digital', [
      compliant('tax-calculator', {
        files: { ...COMPLIANT_FILES, '.github/openly.yml': '_extends: shared-config\n' },
      }),
      compliant('vat-returns', {
        files: { ...COMPLIANT_FILES, '.github/openly.yml': '_extends: .github\n' },
      }),
    ]).install();
    const repos = await audit();
    expect(repos['vat-returns']!.status).toBe('compliant');
    expect(repos['tax-calculator']!.results[0]!.findings[0]!.message).toContain(
      '_extends: "shared-config" is not followed by `openly audit`',
    );
  });

  it('an invalid organisation base stops the audit with exit 2, naming the file and line', async () => {
    fake = new FakeOrg('hmrc-digital', [
      orgBase('licence:\n  allowed: [MIT, Apache2]\n'),
      compliant('tax-calculator'),
    ]).install();
    const stderr = new Capture();
    const code = await main(['audit', '--org', 'hmrc-digital'], {
      stdout: new Capture(),
      stderr,
      cwd: tmpdir(),
      env: { GITHUB_TOKEN: 'ghs_test' },
    });
    expect(code).toBe(2);
    expect(stderr.text).toMatch(
      /hmrc-digital\/\.github:\.github\/openly\.yml:2:\d+: "Apache2" is not an SPDX licence id/,
    );
  });

  it('a repository gone between listing and reading is failing with the reason; the others are judged', async () => {
    fake = new FakeOrg('hmrc-digital', [compliant('tax-calculator'), compliant('vat-returns')]).install();
    fake.gone.add('tax-calculator');
    const repos = await audit();
    expect(repos['vat-returns']!.status).toBe('compliant');
    expect(repos['tax-calculator']).toMatchObject({ status: 'failing', results: [] });
    expect(repos['tax-calculator']!.reason).toContain('deleted, renamed or hidden');
  });
});
