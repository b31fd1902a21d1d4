import { describe, expect, it } from 'vitest';
import { branchRulesCheck } from '../../src/checks/branch-rules.js';
import { configOptions } from '../../src/checks/index.js';
import { parseConfig } from '../../src/config/load.js';
import { runChecks } from '../../src/core/engine.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import type { BranchRules, RepositoryFacts } from '../../src/sources/snapshot.js';

const NONE: BranchRules = {
  signedCommits: false,
  pullRequests: false,
  approvals: 0,
  sources: [],
  complete: true,
};
const STRICT: BranchRules = {
  signedCommits: true,
  pullRequests: true,
  approvals: 1,
  sources: ['ruleset'],
  complete: true,
};

async function judge(branchRules: BranchRules | undefined, yaml = '') {
  const repository: RepositoryFacts = {
    visibility: 'public',
    archived: false,
    ...(branchRules === undefined ? {} : { branchRules }),
  };
  const report = await runChecks({
    snapshot: new MemorySnapshot({ 'README.md': '# Booking\n' }, { repository }),
    checks: [branchRulesCheck],
    config: parseConfig(yaml, '.github/openly.yml', configOptions()),
  });
  return report.results[0]!;
}

describe('branch-rules', () => {
  it('passes a default branch that requires signed commits and an approving review', async () => {
    const result = await judge(STRICT);
    expect(result.status).toBe('pass');
    expect(result.data).toEqual({
      signedCommits: true,
      pullRequests: true,
      approvals: 1,
      sources: ['ruleset'],
    });
  });

  it('skips, saying why, where the source does not read the rules (a local checkout, a webhook payload)', async () => {
    const result = await judge(undefined);
    expect(result.status).toBe('skip');
    expect(result.skipped).toContain('openly audit --org');
  });

  it('warns of each requirement missing, in words for a non-developer, saying where to fix it and that Openly changes nothing', async () => {
    const result = await judge(NONE);
    expect(result.status).toBe('warn');
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['branch-rules/signed-commits-not-required', 'warning'],
      ['branch-rules/review-not-required', 'warning'],
    ]);
    const [signed, review] = result.findings;
    expect(signed!.message).toContain('accepts commits that are not signed');
    expect(signed!.message).toContain('No ruleset or branch protection');
    expect(signed!.message).toContain('engineering quality framework');
    expect(signed!.fix).toContain('Settings → Rules → Rulesets');
    expect(signed!.fix).toContain('organisation ruleset');
    expect(signed!.fix).toContain('never changes them');
    expect(review!.message).toContain('without a pull request');
    expect(review!.fix).toContain('Require a pull request before merging');
  });

  it.each([
    [
      'pull requests without approvals',
      { ...STRICT, approvals: 0 },
      'can merge without anyone approving them',
    ],
    [
      'fewer approvals than asked for',
      { ...STRICT, approvals: 1 },
      'need 1 approving review, fewer than the 2 asked for',
    ],
  ])('says what falls short of review: %s', async (_name, rules, said) => {
    const result = await judge(rules, 'branch-rules:\n  approvals: 2\n');
    expect(result.findings.map((f) => f.rule)).toEqual(['branch-rules/review-not-required']);
    expect(result.findings[0]!.message).toContain(said);
    expect(result.findings[0]!.fix).toContain('2 approving reviews');
  });

  it('names where the rules it read come from, and says when some were not read', async () => {
    const result = await judge({ ...NONE, sources: ['branch-protection', 'ruleset'], complete: false });
    expect(result.findings[0]!.message).toContain('its branch protection and its rulesets');
    expect(result.findings[0]!.message).toContain('may be among those not read');
  });

  it('each requirement can be turned off in the configuration', async () => {
    const unsigned = await judge(NONE, 'branch-rules:\n  review: false\n');
    expect(unsigned.findings.map((f) => f.rule)).toEqual(['branch-rules/signed-commits-not-required']);
    const unreviewed = await judge(NONE, 'branch-rules:\n  signed-commits: false\n');
    expect(unreviewed.findings.map((f) => f.rule)).toEqual(['branch-rules/review-not-required']);
    const off = await judge(NONE, 'branch-rules: off\n');
    expect(off.findings).toEqual([]);
  });

  it('refuses a minimum of approvals that is not a whole number from 1, naming the key', () => {
    expect(() =>
      parseConfig('branch-rules:\n  approvals: 0\n', '.github/openly.yml', configOptions()),
    ).toThrow(/approvals/);
  });
});
