import type { Finding, Severity } from '../core/check.js';
import { plural } from '../core/words.js';

const RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

// Code-unit comparison rather than localeCompare: the order must not depend on the machine's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order a person reads findings in: errors first, then warnings, then notices; within a severity, findings
 * about the repository as a whole before those about a file, then by path, line and column.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    (a.path === undefined ? 0 : 1) - (b.path === undefined ? 0 : 1) ||
    compareText(a.path ?? '', b.path ?? '') ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** `path:line:col`, as far as known; `undefined` when the finding is about the repository as a whole. */
export function locationOf(finding: Finding): string | undefined {
  if (finding.path === undefined) return undefined;
  let location = finding.path;
  if (finding.line !== undefined) {
    location += `:${finding.line}`;
    if (finding.column !== undefined) location += `:${finding.column}`;
  }
  return location;
}

/** `2 errors, 1 warning, 0 notices in 3 checks`: the last line of the text report and the Markdown headline. */
export function summaryLine(summary: {
  errors: number;
  warnings: number;
  notices: number;
  checks: number;
}): string {
  return (
    `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ` +
    `${plural(summary.notices, 'notice')} in ${plural(summary.checks, 'check')}`
  );
}
