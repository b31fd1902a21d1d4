import { describe, expect, it } from 'vitest';
import { configOptions } from '../../src/checks/index.js';
import { auditSettingsOf, misplacedAuditLine, resolveAuditSettings } from '../../src/org/settings.js';

const BASE = 'nhs-example/.github:.github/openly.yml';
const knownRules = configOptions().knownRules;

describe('the audit: section of the organisation base', () => {
  it('reports and writes nothing to GitHub when the organisation says nothing', () => {
    expect(auditSettingsOf(undefined, knownRules)).toEqual({
      settings: {
        enforcement: 'report',
        repository: '.github',
        perRepositoryIssues: false,
        digest: 'weekly',
        schedule: 'daily',
      },
    });
  });

  it('reads every key the organisation sets', () => {
    const text = [
      'licence: error',
      'audit:',
      '  enforcement: issue',
      '  repository: open-working',
      '  per-repository-issues: true',
      '  digest: "off"',
      '  schedule: weekly',
      '  dashboard: https://nhs-example.github.io/.github/',
      '',
    ].join('\n');
    expect(auditSettingsOf({ source: BASE, text }, knownRules)).toEqual({
      settings: {
        enforcement: 'issue',
        repository: 'open-working',
        perRepositoryIssues: true,
        digest: 'off',
        schedule: 'weekly',
        dashboard: 'https://nhs-example.github.io/.github/',
      },
    });
  });

  it('names the file, line and key of a value it cannot use, never falling back to the default', () => {
    const text = 'audit:\n  enforcement: issues\n';
    const outcome = auditSettingsOf({ source: BASE, text }, knownRules);
    expect(outcome).toEqual({ problems: [expect.stringContaining(`${BASE}:2:16:`)] });
    expect((outcome as { problems: string[] }).problems[0]).toMatch(/report, issue, off/);
    expect(() => resolveAuditSettings({ digest: 'daily' })).toThrow(/digest/);
  });

  it('finds the line where a repository file sets audit:, which only the organisation base can', () => {
    const text = 'licence: error\n\naudit:\n  enforcement: issue\n';
    expect(misplacedAuditLine({ source: 'nhs-example/app:.github/openly.yml', text })).toBe(3);
    expect(misplacedAuditLine({ source: 'x', text: 'licence: error\n' })).toBeUndefined();
  });
});
