import type { AuditReport } from '../org/report.js';

/** A spreadsheet runs a cell starting with one of these as a formula: such text gets a leading apostrophe. */
const FORMULA = /^[=+\-@\t\r]/;

function cell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The columns of a repository's state, before one column per check. */
const STATE_COLUMNS: readonly string[] = [
  'repository',
  'visibility',
  'archived',
  'fork',
  'default_branch',
  'pushed_at',
  'status',
  'reason',
];

/**
 * `report.csv`: one row per repository, for a spreadsheet (RFC 4180, CRLF line ends). A column per check holds its
 * status; `errors` and `warnings` list the distinct rule ids at fault, so a filter on one rule finds its repositories.
 */
export function renderAuditCsv(report: AuditReport): string {
  const checks: string[] = [];
  for (const repo of report.repositories) {
    for (const result of repo.results) if (!checks.includes(result.check)) checks.push(result.check);
  }
  // The `visibility` check would otherwise head a second column named like the repository's own visibility, and a
  // spreadsheet filter or a lookup by header would find the wrong one.
  const columns = checks.map((check) => (STATE_COLUMNS.includes(check) ? `${check}_check` : check));
  const header = [...STATE_COLUMNS, ...columns, 'errors', 'warnings'];
  const rows = report.repositories.map((repo) => {
    const byCheck = new Map(repo.results.map((r) => [r.check, r.status]));
    const rules = (severity: string) => [
      ...new Set(
        repo.results.flatMap((r) => r.findings.filter((f) => f.severity === severity).map((f) => f.rule)),
      ),
    ];
    return [
      repo.name,
      repo.visibility,
      repo.archived,
      repo.fork,
      repo.defaultBranch,
      repo.pushedAt,
      repo.status,
      repo.reason ?? '',
      ...checks.map((check) => byCheck.get(check) ?? ''),
      rules('error').join(' '),
      rules('warning').join(' '),
    ];
  });
  return [header, ...rows].map((row) => `${row.map(cell).join(',')}\r\n`).join('');
}
