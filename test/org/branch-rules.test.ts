import { describe, expect, it } from 'vitest';
import type { AuditedRepository } from '../../src/org/report.js';
import { auditByName, FakeOrg, useFakeOrg } from './fake-org.js';
import { COMPLIANT_FILES, compliant } from './support.js';

let fake: FakeOrg;

useFakeOrg(() => fake);
const audit = () => auditByName('nhs-trust', new Date('2026-12-07T09:00:00Z'));

function branchRules(repo: AuditedRepository | undefined) {
  return repo?.results.find((r) => r.check === 'branch-rules');
}

describe('the branch-rules check in the organisation audit', () => {
  it('reads rulesets and classic branch protection in the listing, at no extra request', async () => {
    fake = new FakeOrg('nhs-trust', [
      // An organisation ruleset, as GitHub lists it on the branch beside the repository's own.
      compliant('appointments', {
        rules: [
          { type: 'DELETION' },
          { type: 'REQUIRED_SIGNATURES' },
          { type: 'PULL_REQUEST', approvals: 2 },
        ],
      }),
      compliant('rota', { protection: { requiresSignatures: true, requiredApprovingReviewCount: 1 } }),
      compliant('prescriptions', {
        protection: { requiresSignatures: true, requiredApprovingReviewCount: null },
      }),
      compliant('triage', { rules: [{ type: 'PULL_REQUEST', approvals: 0 }] }),
      compliant('leaflets'),
    ]).install();
    const repos = await audit();
    expect(fake.count('OpenlyOrgRepositories')).toBe(1);
    expect(fake.count('OpenlyOrgFiles')).toBe(1);

    expect(branchRules(repos.appointments)).toMatchObject({ status: 'pass', findings: [] });
    expect(branchRules(repos.rota)).toMatchObject({ status: 'pass', findings: [] });

    const prescriptions = branchRules(repos.prescriptions)!;
    expect(prescriptions.status).toBe('warn');
    expect(prescriptions.findings.map((f) => f.rule)).toEqual(['branch-rules/review-not-required']);
    expect(prescriptions.findings[0]!.message).toContain('without a pull request');
    expect(prescriptions.findings[0]!.message).toContain('its branch protection');

    const triage = branchRules(repos.triage)!;
    expect(triage.findings.map((f) => f.rule)).toEqual([
      'branch-rules/signed-commits-not-required',
      'branch-rules/review-not-required',
    ]);
    expect(triage.findings[1]!.message).toContain('can merge without anyone approving them');

    const leaflets = branchRules(repos.leaflets)!;
    expect(leaflets.findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(leaflets.findings[0]!.message).toContain('No ruleset or branch protection');
    // Warnings only: a repository that meets every other rule still complies.
    expect(repos.leaflets!.status).toBe('compliant');
  });

  it("follows the repository's configuration: the fewest approvals, and requirements turned off", async () => {
    fake = new FakeOrg('nhs-trust', [
      compliant('records', {
        rules: [{ type: 'REQUIRED_SIGNATURES' }, { type: 'PULL_REQUEST', approvals: 1 }],
        files: { ...COMPLIANT_FILES, '.github/openly.yml': 'branch-rules:\n  approvals: 2\n' },
      }),
      compliant('prototype', {
        files: {
          ...COMPLIANT_FILES,
          '.github/openly.yml': 'branch-rules:\n  signed-commits: false\n  review: false\n',
        },
      }),
    ]).install();
    const repos = await audit();
    const records = branchRules(repos.records)!;
    expect(records.findings.map((f) => f.rule)).toEqual(['branch-rules/review-not-required']);
    expect(records.findings[0]!.message).toContain('fewer than the 2 asked for');
    expect(branchRules(repos.prototype)).toMatchObject({ status: 'pass', findings: [] });
  });
});
