import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditOrganisation } from '../../src/org/audit.js';
import type { AuditedRepository } from '../../src/org/report.js';
import { auditClient, FakeOrg } from './fake-org.js';
import { COMPLIANT_FILES, compliant } from './support.js';

let fake: FakeOrg;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(fake.invalid).toEqual([]);
  nock.cleanAll();
});

async function audit(includeArchived = false): Promise<Record<string, AuditedRepository>> {
  const report = await auditOrganisation({
    octokit: auditClient(),
    org: 'nhs-trust',
    includeArchived,
    now: () => new Date('2026-12-07T09:00:00Z'),
  });
  return Object.fromEntries(report.repositories.map((r) => [r.name, r]));
}

function visibility(repo: AuditedRepository | undefined) {
  return repo?.results.find((r) => r.check === 'visibility');
}

describe('the visibility check in the organisation audit', () => {
  it('a private repository fails without a justification and complies with one', async () => {
    const justified =
      'visibility:\n  justification: Holds the configuration of live clinical systems.\n  open-by: 2027-03-31\n';
    fake = new FakeOrg('nhs-trust', [
      compliant('patient-portal'),
      compliant('rota-planner', { visibility: 'PRIVATE' }),
      compliant('clinical-config', {
        visibility: 'INTERNAL',
        files: { ...COMPLIANT_FILES, '.github/openly.yml': justified },
      }),
    ]).install();
    const repos = await audit();

    expect(repos['patient-portal']!.status).toBe('compliant');
    expect(visibility(repos['patient-portal'])).toMatchObject({ status: 'pass', findings: [] });

    const closed = repos['rota-planner']!;
    expect(closed.status).toBe('failing');
    expect(visibility(closed)!.findings).toEqual([
      expect.objectContaining({ rule: 'visibility/not-public', severity: 'error' }),
    ]);
    expect(visibility(closed)!.findings[0]!.message).toContain('This repository is private');

    expect(repos['clinical-config']!.status).toBe('compliant');
    expect(visibility(repos['clinical-config'])).toMatchObject({ status: 'pass', findings: [] });
  });

  it('stale repositories are listed with a notice; archived ones are skipped unless included', async () => {
    const why = `${COMPLIANT_FILES['README.md']}\nThis repository was archived in 2025 when the pilot ended.\n`;
    fake = new FakeOrg('nhs-trust', [
      compliant('old-prototype', { archived: true }),
      compliant('pilot', { archived: true, files: { ...COMPLIANT_FILES, 'README.md': why } }),
      compliant('weeknotes', { pushedAt: '2025-06-01T12:00:00Z' }),
    ]).install();
    const skipped = await audit();
    expect(skipped['old-prototype']).toMatchObject({ status: 'skipped', reason: 'archived' });
    const stale = visibility(skipped['weeknotes'])!;
    expect(skipped['weeknotes']!.status).toBe('compliant');
    expect(stale.findings).toEqual([
      expect.objectContaining({ rule: 'visibility/stale', severity: 'notice' }),
    ]);

    nock.cleanAll();
    fake = new FakeOrg('nhs-trust', fake.repos).install();
    const included = await audit(true);
    expect(visibility(included['old-prototype'])!.findings).toEqual([
      expect.objectContaining({
        rule: 'visibility/archived-no-reason',
        severity: 'warning',
        path: 'README.md',
      }),
    ]);
    expect(visibility(included['pilot'])).toMatchObject({ status: 'pass', findings: [] });
  });
});
