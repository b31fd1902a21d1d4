import { printable, printableLines } from '../core/printable.js';
import type { AuditedRepository, AuditReport } from '../org/report.js';
import { auditNotes } from './audit-notes.js';

const MARK: Record<AuditedRepository['status'], string> = { compliant: '✓', failing: '✗', skipped: '-' };

function details(repo: AuditedRepository): string[] {
  const lines: string[] = [];
  if (repo.reason !== undefined && repo.status === 'failing')
    lines.push(`    ${printableLines(repo.reason)}`);
  for (const result of repo.results) {
    if (result.status === 'error')
      lines.push(`    ${result.check}: ${printableLines(result.error ?? 'error')}`);
    for (const f of result.findings) {
      if (f.severity === 'notice') continue;
      const where =
        f.path === undefined ? '' : ` (${printable(f.path)}${f.line === undefined ? '' : `:${f.line}`})`;
      lines.push(`    ${f.severity} ${f.rule}${where}: ${printableLines(f.message, [f.path])}`);
      if (f.fix !== undefined) lines.push(`      fix: ${printableLines(f.fix, [f.path])}`);
    }
  }
  return lines;
}

/** `openly audit` on a terminal: the counts, then each repository with what it falls short of. */
export function renderAuditText(report: AuditReport): string {
  const { summary } = report;
  const out = [
    `Openly audit of ${printable(report.organisation)} (${report.auditedAt}): ${summary.repositories === 1 ? '1 repository' : `${summary.repositories} repositories`}, ` +
      `${summary.compliant} compliant, ${summary.failing} failing, ${summary.skipped} skipped`,
    '',
  ];
  for (const repo of report.repositories) {
    const why = repo.status === 'skipped' && repo.reason !== undefined ? ` (${printable(repo.reason)})` : '';
    out.push(`${MARK[repo.status]} ${printable(repo.name)}  ${repo.status}${why}`);
    if (repo.status !== 'skipped') out.push(...details(repo));
  }
  const notes = auditNotes(report);
  if (notes.length > 0) out.push('', ...notes.map(({ check, note }) => `${check}: ${printableLines(note)}`));
  return `${out.join('\n')}\n`;
}
