import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditOrganisation } from '../../src/org/audit.js';
import { auditClient, FakeOrg, oidOf } from './fake-org.js';
import { COMPLIANT_FILES, compliant } from './support.js';

let fake: FakeOrg;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(fake.invalid).toEqual([]);
  nock.cleanAll();
});

async function audit() {
  const report = await auditOrganisation({
    octokit: auditClient(),
    org: 'moj-digital',
  });
  return Object.fromEntries(report.repositories.map((r) => [r.name, r]));
}

/** Every `<commit>:<path>` the audit asked GitHub for. */
function expressions(): string[] {
  return fake.sent.flatMap((s) =>
    Object.entries(s.variables)
      .filter(([key]) => /^e\d+_\d+$/.test(key))
      .map(([, value]) =>
        JSON.stringify(value)
          .slice(1, -1)
          .replace(/^[0-9a-f]{40}:/, ''),
      ),
  );
}

describe('what the audit reads of each repository', () => {
  it('only the files the checks want, at the commit the listing saw; other files are listed, not read', async () => {
    fake = new FakeOrg('moj-digital', [compliant('prison-visits')]).install();
    const repos = await audit();
    expect(repos['prison-visits']!.status).toBe('compliant');
    expect(expressions().sort()).toEqual([
      '.github/SECURITY.md',
      'CONTRIBUTING.md',
      'LICENCE',
      'README.md',
      'docs/CODE_OF_CONDUCT.md',
    ]);
    const reads = fake.sent.find((s) => s.operation === 'OpenlyOrgFiles')!;
    for (const [key, value] of Object.entries(reads.variables)) {
      if (key.startsWith('e'))
        expect(
          JSON.stringify(value)
            .slice(1, -1)
            .startsWith(`${oidOf('prison-visits')}:`),
        ).toBe(true);
    }
  });

  it('a file over 1 MiB is never asked for, and the check says it is too large', async () => {
    fake = new FakeOrg('moj-digital', [
      compliant('court-listings', {
        files: {
          ...COMPLIANT_FILES,
          'README.md': `# Court listings\n\n${'Hearings by court and date. '.repeat(40_000)}`,
        },
      }),
    ]).install();
    const repos = await audit();
    expect(expressions()).not.toContain('README.md');
    const community = repos['court-listings']!.results.find((r) => r.check === 'community-files')!;
    expect(community.findings).toEqual([
      expect.objectContaining({ rule: 'community-files/readme', path: 'README.md' }),
    ]);
    expect(community.findings[0]!.message).toContain('too large');
  });

  it('a symbolic link is listed but never read: its blob is a path, not the text it points to', async () => {
    fake = new FakeOrg('moj-digital', [
      compliant('legal-aid', {
        files: { ...COMPLIANT_FILES, 'CONTRIBUTING.md': 'docs/CONTRIBUTING.md' },
        links: ['CONTRIBUTING.md'],
      }),
    ]).install();
    const repos = await audit();
    expect(expressions()).not.toContain('CONTRIBUTING.md');
    const community = repos['legal-aid']!.results.find((r) => r.check === 'community-files')!;
    expect(community.findings[0]!.message).toContain('symbolic link');
  });
});
