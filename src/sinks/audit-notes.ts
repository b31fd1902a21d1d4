import type { AuditReport } from '../org/report.js';

/** Each check's notes on what the audit could judge (see `AuditCheckResult.note`), each said once, in the order met. */
export function auditNotes(report: AuditReport): { check: string; note: string }[] {
  const notes: { check: string; note: string }[] = [];
  for (const repo of report.repositories)
    for (const { check, note } of repo.results)
      if (note !== undefined && !notes.some((n) => n.check === check && n.note === note))
        notes.push({ check, note });
  return notes;
}
