import { jsonSafe } from '../core/printable.js';
import type { AuditReport } from '../org/report.js';

/** `openly audit --format json` and `report.json`: the report as it is, its text safe for any reader. */
export function renderAuditJson(report: AuditReport): string {
  return `${jsonSafe(JSON.stringify(report, null, 2))}\n`;
}
