/**
 * The files an organisation audit leaves behind, shared by `openly audit --out` and the Action's `mode: audit`:
 * `report.json`, `report.csv`, the dashboard `index.html`, and `history.json`, the counts of earlier audits that the
 * dashboard charts. Where earlier audits come from (a folder, a Pages branch) is the caller's business: this module
 * only reads their text and makes the new files.
 */
import type { AuditReport } from '../org/report.js';
import { renderAuditCsv } from './audit-csv.js';
import { renderAuditDashboard, type AuditHistoryEntry } from './audit-dashboard.js';
import { renderAuditJson } from './audit-json.js';

/** The most earlier audits `history.json` keeps: beyond that the oldest are dropped. */
export const MAX_HISTORY = 100;

/** A file found from an earlier audit: where it was (for messages) and its text. */
export interface EarlierFile {
  where: string;
  text: string;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** An `{ auditedAt, summary }` read back, or undefined when it is not one. */
function historyEntry(value: unknown): AuditHistoryEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { auditedAt, summary } = value as { auditedAt?: unknown; summary?: unknown };
  if (typeof auditedAt !== 'string' || Number.isNaN(Date.parse(auditedAt))) return undefined;
  if (typeof summary !== 'object' || summary === null) return undefined;
  const { repositories, compliant, failing, skipped } = summary as Record<string, unknown>;
  if (!isCount(repositories) || !isCount(compliant) || !isCount(failing) || !isCount(skipped))
    return undefined;
  return { auditedAt, summary: { repositories, compliant, failing, skipped } };
}

function parsed(file: EarlierFile, warn: (message: string) => void): unknown {
  try {
    return JSON.parse(file.text) as unknown;
  } catch (error) {
    warn(`${file.where} is not readable JSON (${(error as Error).message}): the history starts afresh`);
    return null;
  }
}

/**
 * The earlier audits of `org`, oldest first, from a `history.json` and the `report.json` the new audit is about to
 * replace (either may be missing). Anything unreadable is warned about and left out, so that a damaged file costs
 * the chart its past, never the audit.
 */
export function earlierAudits(
  org: string,
  found: { history?: EarlierFile; report?: EarlierFile },
  warn: (message: string) => void,
): AuditHistoryEntry[] {
  let entries: AuditHistoryEntry[] = [];
  const kept = found.history === undefined ? undefined : parsed(found.history, warn);
  if (kept !== undefined && kept !== null) {
    const { organisation, audits } = kept as { organisation?: unknown; audits?: unknown };
    const read = Array.isArray(audits) ? audits.map(historyEntry) : [];
    if (!Array.isArray(audits) || read.some((entry) => entry === undefined)) {
      warn(`${found.history!.where} is not an Openly audit history: the history starts afresh`);
    } else if (organisation === org) {
      entries = read as AuditHistoryEntry[];
    }
  }
  const earlier = found.report === undefined ? undefined : parsed(found.report, warn);
  if (earlier !== undefined && earlier !== null) {
    const entry = historyEntry(earlier);
    const organisation = (earlier as { organisation?: unknown }).organisation;
    if (entry === undefined) {
      warn(`${found.report!.where} is not an Openly audit report: it is left out of the history`);
    } else if (organisation !== org) {
      // Another organisation's audit in the same place: its past is not this one's.
      entries = [];
    } else if (!entries.some((e) => e.auditedAt === entry.auditedAt)) {
      entries.push(entry);
    }
  }
  return entries.sort((a, b) => Date.parse(a.auditedAt) - Date.parse(b.auditedAt));
}

export type AuditFiles = Record<'report.json' | 'report.csv' | 'history.json' | 'index.html', string>;

/**
 * The four files of an audit. `earlier` may come from several places (a folder and a branch) and overlap: each
 * audit is counted once, and this one replaces any earlier record of the same moment.
 */
export function auditFiles(report: AuditReport, earlier: readonly AuditHistoryEntry[]): AuditFiles {
  const byTime = new Map<string, AuditHistoryEntry>();
  for (const entry of earlier) if (entry.auditedAt !== report.auditedAt) byTime.set(entry.auditedAt, entry);
  const history = [
    ...[...byTime.values()].sort((a, b) => Date.parse(a.auditedAt) - Date.parse(b.auditedAt)),
    { auditedAt: report.auditedAt, summary: report.summary },
  ].slice(-MAX_HISTORY);
  return {
    'report.json': renderAuditJson(report),
    'report.csv': renderAuditCsv(report),
    'history.json': `${JSON.stringify({ tool: 'openly', organisation: report.organisation, audits: history }, null, 2)}\n`,
    'index.html': renderAuditDashboard(report, { history: history.slice(0, -1) }),
  };
}
