import { describe, expect, it } from 'vitest';
import type { AuditedRepository, AuditReport } from '../../src/org/report.js';
import { renderAuditSummary } from '../../src/sinks/audit-summary.js';
import { STEP_SUMMARY_LIMIT } from '../../src/sinks/job-summary.js';

function failing(name: string): AuditedRepository {
  return {
    name,
    visibility: 'public',
    archived: false,
    fork: false,
    defaultBranch: 'main',
    pushedAt: '2026-12-01T09:00:00Z',
    status: 'failing',
    results: [
      {
        check: 'licence',
        status: 'fail',
        findings: [{ rule: 'licence/missing', severity: 'error', message: 'No licence file.' }],
      },
    ],
  };
}

function report(repositories: AuditedRepository[]): AuditReport {
  return {
    tool: 'openly',
    version: '0.1.0',
    organisation: 'nhs-digital-team',
    auditedAt: '2026-12-07T06:30:00Z',
    summary: { repositories: repositories.length, compliant: 0, failing: repositories.length, skipped: 0 },
    repositories,
  };
}

describe('renderAuditSummary', () => {
  it('lists each failing repository with the rules it breaks, its name escaped', () => {
    const text = renderAuditSummary(report([failing('triage_notes'), failing('<b>booking</b>')]), {
      maxBytes: STEP_SUMMARY_LIMIT,
    });
    expect(text).toContain('- triage\\_notes: `licence/missing`');
    expect(text).not.toContain('<b>');
    expect(text).not.toContain('more failing');
  });

  it("stays within GitHub's 1 MiB for an organisation failing in 30 000 repositories, and says how many it left out", () => {
    const many = Array.from({ length: 30_000 }, (_, i) =>
      failing(`service-${String(i).padStart(5, '0')}-${'x'.repeat(40)}`),
    );
    const text = renderAuditSummary(report(many), { maxBytes: STEP_SUMMARY_LIMIT });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT);
    const shown = text.split('\n').filter((line) => line.startsWith('- service-')).length;
    expect(shown).toBeGreaterThan(1000);
    expect(text).toContain(
      `…and ${30_000 - shown} more failing repositories: see report.json or the dashboard.`,
    );
  });
});
