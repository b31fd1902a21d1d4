import type { Finding, Severity } from './check.js';
import { VERSION } from './version.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/** A finding as the JSON report prints it: inside its check's result, so without `check`. */
export type ReportFinding = Omit<Finding, 'check'>;

export interface CheckResult {
  check: string;
  title: string;
  status: CheckStatus;
  findings: Finding[];
  data?: Record<string, unknown>;
  /** When status is `error`: what went wrong running the check. */
  error?: string;
  /** When the check ran but had nothing to judge: why (status `skip`). */
  skipped?: string;
  /** Wall time of the check in milliseconds. */
  durationMs: number;
}

export interface Report {
  tool: 'openly';
  version: string;
  repository: { path: string; head: string | null };
  summary: { errors: number; warnings: number; notices: number; checks: number };
  results: CheckResult[];
}

export function statusOf(findings: readonly Finding[]): CheckStatus {
  if (findings.some((f) => f.severity === 'error')) return 'fail';
  if (findings.some((f) => f.severity === 'warning')) return 'warn';
  return 'pass';
}

export function summarise(results: readonly CheckResult[]): Report['summary'] {
  const summary = { errors: 0, warnings: 0, notices: 0, checks: results.length };
  for (const result of results) {
    for (const f of result.findings) {
      if (f.severity === 'error') summary.errors++;
      else if (f.severity === 'warning') summary.warnings++;
      else summary.notices++;
    }
    // A check that crashed counts as an error: the run must not pass on a check that never judged.
    if (result.status === 'error') summary.errors++;
  }
  return summary;
}

/** Counts a check's findings by severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** A report of these results about one repository, counted. */
export function reportOf(repository: Report['repository'], results: CheckResult[]): Report {
  return { tool: 'openly', version: VERSION, repository, summary: summarise(results), results };
}

/**
 * The result that stands for a configuration with problems: failing, so that a broken configuration is never
 * mistaken for a clean run; the findings name the file and the line.
 */
export function configResult(findings: Finding[]): CheckResult {
  return { check: 'config', title: 'Configuration', status: 'fail', findings, durationMs: 0 };
}

/** The exact JSON contract of `openly check --format json` (ARCHITECTURE.md). */
export function toJson(report: Report): unknown {
  return {
    tool: report.tool,
    version: report.version,
    repository: report.repository,
    summary: report.summary,
    results: report.results.map((r) => ({
      check: r.check,
      status: r.status,
      ...(r.error === undefined ? {} : { error: r.error }),
      ...(r.skipped === undefined ? {} : { skipped: r.skipped }),
      findings: r.findings.map(({ check: _check, ...rest }) => rest satisfies ReportFinding),
      ...(r.data === undefined ? {} : { data: r.data }),
    })),
  };
}
