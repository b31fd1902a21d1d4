import { parseArtefact } from '../artefacts/parse.js';
import { selectArtefacts, type ArtefactTarget } from '../checks/artefacts.js';
import type { ArtefactType } from '../config/types.js';
import type { RepoSnapshot } from '../sources/snapshot.js';

/** The artefact types whose changes release notes report. */
const REPORTED: ReadonlySet<ArtefactType> = new Set([
  'risk-register',
  'incident-report',
  'architecture-decision-record',
  'roadmap',
]);

/** One thing named in the artefact changes: a risk, an incident, a decision or a roadmap item. */
export interface ArtefactItem {
  /** The id as written (`HAZ-001`, `INC-2024-003`, `ADR-007`), when the artefact gives one. */
  id?: string;
  title: string;
  /** The file it is in. */
  path: string;
  link?: string;
}

export interface ArtefactChanges {
  risksAdded: ArtefactItem[];
  risksClosed: ArtefactItem[];
  incidentsResolved: ArtefactItem[];
  decisionsAccepted: ArtefactItem[];
  /** Every item the roadmap has on its "now" horizon; `added` when it was not there at the last release. */
  roadmapNow: Array<ArtefactItem & { added: boolean }>;
  /** Files that could not be read or parsed now, or read at the last release: their changes are not reported. */
  unreadable: string[];
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function lower(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/**
 * The artefacts whose changes release notes report, among `paths`: the same selection as the artefacts check
 * (its configured `files` first, then the usual places), narrowed to risk registers, incident reports, decision
 * records and roadmaps.
 */
export function reportedArtefacts(paths: readonly string[], artefactsOptions: unknown): ArtefactTarget[] {
  return selectArtefacts(paths, artefactsOptions).filter(
    (target) => target.type !== undefined && REPORTED.has(target.type),
  );
}

/** The first document of a file, or undefined when the file is absent; `null` when it is there but unreadable. */
function documentOf(snapshot: RepoSnapshot, target: ArtefactTarget): Mapping | null | undefined {
  const content = snapshot.read(target.path);
  if (content.kind === 'missing') return undefined;
  if (content.kind !== 'text') return null;
  const parsed = parseArtefact(content.text, target.format);
  const value = parsed.documents[0]?.value;
  return isMapping(value) ? value : null;
}

interface Risk {
  key: string;
  item: ArtefactItem;
  closed: boolean;
}

function risksOf(document: Mapping | null | undefined, path: string): Map<string, Risk> {
  const risks = new Map<string, Risk>();
  if (!document || !Array.isArray(document.risks)) return risks;
  for (const entry of document.risks) {
    if (!isMapping(entry)) continue;
    const id = text(entry.id);
    const title = text(entry.title) ?? id;
    if (title === undefined) continue;
    const key = id ?? `title:${title}`;
    risks.set(key, {
      key,
      item: { ...(id === undefined ? {} : { id }), title, path },
      closed: lower(entry.status) === 'closed',
    });
  }
  return risks;
}

function itemOf(document: Mapping, path: string): ArtefactItem {
  const id = text(document.id);
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.[a-z]+$/i, '');
  return { ...(id === undefined ? {} : { id }), title: text(document.title) ?? name, path };
}

const RESOLVED = new Set(['resolved', 'reviewed']);

/**
 * What changed in the open-working artefacts between two snapshots of a repository: `before` at the last release
 * (empty when there is none), `after` at the commit being released. `targets` are the artefacts of `after`
 * (`reportedArtefacts`). A file that is new counts in full: every risk in a new register is added.
 */
export function diffArtefacts(
  before: RepoSnapshot,
  after: RepoSnapshot,
  targets: readonly ArtefactTarget[],
): ArtefactChanges {
  const changes: ArtefactChanges = {
    risksAdded: [],
    risksClosed: [],
    incidentsResolved: [],
    decisionsAccepted: [],
    roadmapNow: [],
    unreadable: [],
  };
  for (const target of targets) {
    const now = documentOf(after, target);
    if (now === undefined) continue;
    if (now === null) {
      changes.unreadable.push(target.path);
      continue;
    }
    // A file GitHub would not give whole at the last release (binary, cut short) cannot be compared: claiming its
    // every risk as new would be wrong, so it is named instead. One that did not parse then counts as empty.
    const earlier = before.read(target.path).kind;
    if (earlier === 'unavailable' || earlier === 'too-large' || earlier === 'binary') {
      changes.unreadable.push(target.path);
      continue;
    }
    const then = documentOf(before, target) ?? undefined;
    switch (target.type) {
      case 'risk-register': {
        const earlier = risksOf(then, target.path);
        for (const risk of risksOf(now, target.path).values()) {
          const previous = earlier.get(risk.key);
          if (previous === undefined && !risk.closed) changes.risksAdded.push(risk.item);
          if (risk.closed && previous?.closed !== true) changes.risksClosed.push(risk.item);
        }
        break;
      }
      case 'incident-report':
        if (RESOLVED.has(lower(now.status)) && !RESOLVED.has(lower(then?.status)))
          changes.incidentsResolved.push(itemOf(now, target.path));
        break;
      case 'architecture-decision-record':
        if (lower(now.status) === 'accepted' && lower(then?.status) !== 'accepted')
          changes.decisionsAccepted.push(itemOf(now, target.path));
        break;
      case 'roadmap': {
        const earlier = new Set(
          (Array.isArray(then?.items) ? then.items : [])
            .filter((entry): entry is Mapping => isMapping(entry) && lower(entry.horizon) === 'now')
            .map((entry) => text(entry.title)),
        );
        for (const entry of Array.isArray(now.items) ? now.items : []) {
          if (!isMapping(entry) || lower(entry.horizon) !== 'now') continue;
          const title = text(entry.title);
          if (title === undefined) continue;
          const link = text(entry.link);
          changes.roadmapNow.push({
            title,
            path: target.path,
            ...(link === undefined ? {} : { link }),
            added: !earlier.has(title),
          });
        }
        break;
      }
      default:
        break;
    }
  }
  return changes;
}

/** Whether there is anything to say. */
export function hasArtefactChanges(changes: ArtefactChanges): boolean {
  return (
    changes.risksAdded.length +
      changes.risksClosed.length +
      changes.incidentsResolved.length +
      changes.decisionsAccepted.length +
      changes.roadmapNow.length +
      changes.unreadable.length >
    0
  );
}
