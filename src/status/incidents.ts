import { detectType } from '../artefacts/pack.js';
import { parseArtefact } from '../artefacts/parse.js';
import type { RepoSnapshot } from '../sources/snapshot.js';

/** An incident that is not over yet, as the status page lists it. */
export interface OpenIncident {
  path: string;
  id?: string;
  title: string;
  status: string;
  priority?: string;
  startedAt?: string;
}

/** The statuses after which an incident is over: resolved, and reviewed once the post-incident review is done. */
const CLOSED = new Set(['resolved', 'reviewed']);

/** A field written as text. YAML may read an unquoted time as a date, or a bare id as a number; both still read. */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  return undefined;
}

/** The first level-one heading of the body, for a report whose front matter has no title. */
function headingOf(body: string | undefined): string | undefined {
  const match = /^#[ \t]+(.+?)[ \t#]*$/m.exec(body ?? '');
  return match?.[1]?.trim() || undefined;
}

function readIncident(snapshot: RepoSnapshot, path: string): OpenIncident | undefined {
  const content = snapshot.read(path);
  if (content.kind !== 'text') return undefined;
  const parsed = parseArtefact(content.text, 'markdown');
  const value = parsed.documents[0]?.value;
  const fields: Record<string, unknown> =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const status = text(fields.status)?.toLowerCase();
  if (status !== undefined && CLOSED.has(status)) return undefined;
  const id = text(fields.id);
  const priority = text(fields.priority);
  const startedAt = text(fields.started_at);
  return {
    path,
    ...(id === undefined ? {} : { id }),
    // A report with no title still names an incident someone is dealing with: it is listed by its file.
    title: text(fields.title) ?? headingOf(parsed.body) ?? path,
    // No readable status is not "over": an incident only leaves the list when the report says it has ended.
    status: status ?? 'unknown',
    ...(priority === undefined ? {} : { priority }),
    ...(startedAt === undefined ? {} : { startedAt }),
  };
}

const PRIORITY = /^P([1-4])$/i;

/** When it started, as a number to compare (times carry zones, so text order is not time order); unknown is oldest. */
function startOf(incident: OpenIncident): number {
  const time = Date.parse(incident.startedAt ?? '');
  return Number.isNaN(time) ? -Infinity : time;
}

function rank(incident: OpenIncident): number {
  const match = PRIORITY.exec(incident.priority ?? '');
  return match === null ? 5 : Number(match[1]);
}

/**
 * The open incidents of a repository: every incident report whose status is not resolved or reviewed. `paths`
 * names the reports (the artefacts check's list, which honours the configuration's `exclude:` and `artefacts:`);
 * without it, reports are found where the schema pack expects them. The most urgent come first (P1 before P4),
 * then the most recent, so that what a reader must know sits at the top of the list.
 */
export function openIncidents(snapshot: RepoSnapshot, paths?: readonly string[]): OpenIncident[] {
  const reports = paths ?? snapshot.files().filter((path) => detectType(path) === 'incident-report');
  const incidents: OpenIncident[] = [];
  for (const path of new Set(reports)) {
    const incident = readIncident(snapshot, path);
    if (incident !== undefined) incidents.push(incident);
  }
  return incidents.sort(
    (a, b) => rank(a) - rank(b) || startOf(b) - startOf(a) || compareText(a.path, b.path),
  );
}

// Code-unit order, so that the list does not depend on the machine's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
