import type { AuditedRepository, AuditReport } from '../org/report.js';
import { auditNotes } from './audit-notes.js';
import { escapeMarkdown, STATUS_ICON } from './markdown.js';

const STATUS: Record<AuditedRepository['status'], string> = {
  compliant: '✅ compliant',
  failing: '❌ failing',
  skipped: '⏭️ skipped',
};

/** `openly audit --format markdown`: the counts, a table of every repository by check, then what each failing one lacks. */
export function renderAuditMarkdown(report: AuditReport): string {
  const { summary } = report;
  const checks: string[] = [];
  for (const repo of report.repositories) {
    for (const result of repo.results) if (!checks.includes(result.check)) checks.push(result.check);
  }
  const lines = [
    `# Openly audit of ${escapeMarkdown(report.organisation)}`,
    '',
    `${summary.repositories} repositories: ${summary.compliant} compliant, ${summary.failing} failing, ${summary.skipped} skipped (audited ${report.auditedAt}).`,
    '',
    `| Repository | Visibility | Status | ${checks.map((c) => escapeMarkdown(c)).join(' | ')} |`,
    `| --- | --- | --- | ${checks.map(() => '---').join(' | ')} |`,
  ];
  for (const repo of report.repositories) {
    const byCheck = new Map(repo.results.map((r) => [r.check, r.status]));
    const reason =
      repo.status === 'skipped' && repo.reason !== undefined ? ` (${escapeMarkdown(repo.reason)})` : '';
    const cells = checks.map((check) => {
      const status = byCheck.get(check);
      return status === undefined ? '' : `${STATUS_ICON[status]} ${status}`;
    });
    lines.push(
      `| ${escapeMarkdown(repo.name)} | ${repo.visibility} | ${STATUS[repo.status]}${reason} | ${cells.join(' | ')} |`,
    );
  }
  const notes = auditNotes(report);
  if (notes.length > 0) lines.push('');
  for (const { check, note } of notes) lines.push(`- \`${check}\`: ${escapeMarkdown(note)}`);
  const failing = report.repositories.filter((repo) => repo.status === 'failing');
  if (failing.length > 0) lines.push('', '## What falls short');
  for (const repo of failing) {
    lines.push('', `### ${escapeMarkdown(repo.name)}`, '');
    if (repo.reason !== undefined) lines.push(`- ${escapeMarkdown(repo.reason)}`);
    for (const result of repo.results) {
      if (result.status === 'error')
        lines.push(`- 💥 ${escapeMarkdown(result.check)}: ${escapeMarkdown(result.error ?? '')}`);
      for (const f of result.findings) {
        if (f.severity === 'notice') continue;
        const icon = f.severity === 'error' ? '❌' : '⚠️';
        const where = f.path === undefined ? '' : ` (${escapeMarkdown(f.path)})`;
        const fix = f.fix === undefined ? '' : ` ${escapeMarkdown(f.fix, [f.path])}`;
        lines.push(`- ${icon} \`${f.rule}\`${where}: ${escapeMarkdown(f.message, [f.path])}${fix}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
