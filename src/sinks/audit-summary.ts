import type { AuditReport } from '../org/report.js';
import { escapeMarkdown } from './markdown.js';

/**
 * The job summary of the Action's `mode: audit`: the counts, then each failing repository with the rules it breaks.
 * GitHub refuses a step summary over 1 MiB, and a large organisation can fail in thousands of repositories, so the
 * list stops within `maxBytes` and says how many it left out; report.json and the dashboard hold them all.
 */
export function renderAuditSummary(
  report: AuditReport,
  options: { maxBytes: number; dashboard?: string },
): string {
  const { summary } = report;
  const head = [
    `## Openly audit of ${escapeMarkdown(report.organisation)}`,
    '',
    `${summary.repositories} repositories: **${summary.compliant} compliant**, **${summary.failing} failing**, ${summary.skipped} skipped (audited ${report.auditedAt}).`,
    ...(options.dashboard === undefined ? [] : ['', `Dashboard: ${options.dashboard}`]),
    '',
  ].join('\n');
  const failing = report.repositories.filter((repo) => repo.status === 'failing');
  if (failing.length === 0) return `${head}Every audited repository complies.\n`;
  const lines = [`${head}### Failing repositories\n\n`];
  let bytes = Buffer.byteLength(lines[0]!);
  // Room kept for the closing line, whose number is at most as long as the count of failing repositories.
  const closing = (left: number) =>
    `\n…and ${left} more failing ${left === 1 ? 'repository' : 'repositories'}: see report.json or the dashboard.\n`;
  const budget = options.maxBytes - Buffer.byteLength(closing(failing.length));
  let shown = 0;
  for (const repo of failing) {
    const rules = new Set<string>();
    for (const result of repo.results) {
      if (result.status === 'error') rules.add(`${result.check} (could not run)`);
      for (const finding of result.findings) if (finding.severity === 'error') rules.add(finding.rule);
    }
    const why =
      rules.size > 0 ? [...rules].map((rule) => `\`${rule}\``).join(', ') : escapeMarkdown(repo.reason ?? '');
    const line = `- ${escapeMarkdown(repo.name)}: ${why}\n`;
    const size = Buffer.byteLength(line);
    if (bytes + size > budget) break;
    lines.push(line);
    bytes += size;
    shown++;
  }
  const text = lines.join('');
  return shown === failing.length ? text : text + closing(failing.length - shown);
}
