import { draftOf } from '../artefacts/draft.js';
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
  /** Documents among them still published as drafts at this release, with the day they became one if dated. */
  drafts?: Array<ArtefactItem & { since?: string }>;
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

/**
 * Every document of a file (a YAML register may be split into several), or undefined when the file is absent;
 * `null` when it is there but cannot be read whole. A file with one broken document is unreadable as a whole:
 * reporting from the documents that did parse would be reporting on part of the register as if it were all of it.
 */
function documentsOf(snapshot: RepoSnapshot, target: ArtefactTarget): Mapping[] | null | undefined {
  const content = snapshot.read(target.path);
  if (content.kind === 'missing') return undefined;
  if (content.kind !== 'text') return null;
  const parsed = parseArtefact(content.text, target.format);
  // The YAML reader's problems say whether they are errors; a warning leaves the data whole.
  const broken = parsed.problems.some(
    (problem) => !('severity' in problem) || problem.severity !== 'warning',
  );
  if (broken) return null;
  // An empty document (a comment before the first `---`) says nothing; anything else must be a mapping.
  const values = parsed.documents.map((document) => document.value).filter((value) => value != null);
  return values.length > 0 && values.every(isMapping) ? values : null;
}

interface Risk {
  key: string;
  item: ArtefactItem;
  closed: boolean;
}

function risksOf(documents: readonly Mapping[], path: string): Map<string, Risk> {
  const risks = new Map<string, Risk>();
  for (const document of documents) {
    if (!Array.isArray(document.risks)) continue;
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
  }
  return risks;
}

/** The roadmap items of every document. */
function itemsOf(documents: readonly Mapping[]): unknown[] {
  return documents.flatMap((document): unknown[] => (Array.isArray(document.items) ? document.items : []));
}

function nowTitles(documents: readonly Mapping[]): Set<string | undefined> {
  return new Set(
    itemsOf(documents)
      .filter((entry): entry is Mapping => isMapping(entry) && lower(entry.horizon) === 'now')
      .map((entry) => text(entry.title)),
  );
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function itemOf(document: Mapping, path: string): ArtefactItem {
  const id = text(document.id);
  const name = baseName(path).replace(/\.[a-z]+$/i, '');
  return { ...(id === undefined ? {} : { id }), title: text(document.title) ?? name, path };
}

const RESOLVED = new Set(['resolved', 'reviewed']);

/** A Markdown artefact still marked as a draft is listed as one (its text was read just before, so this is free). */
function draftIn(
  after: RepoSnapshot,
  target: ArtefactTarget,
  first: Mapping,
  changes: ArtefactChanges,
): void {
  if (target.format !== 'markdown') return;
  const content = after.read(target.path);
  const state = content.kind === 'text' ? draftOf(content.text) : undefined;
  if (state === undefined) return;
  const item = itemOf(first, target.path);
  (changes.drafts ??= []).push({ ...item, ...(state.since === undefined ? {} : { since: state.since }) });
}

/**
 * What changed in the open-working artefacts between two snapshots of a repository: `before` at the last release
 * (empty when there is none), `after` at the commit being released. `targets` are the artefacts of `after`
 * (`reportedArtefacts`); `earlier` are those of `before`, when its file list is known, so that a file moved or
 * renamed since is compared with where it was rather than counted as new. A file that is new counts in full:
 * every risk in a new register is added.
 */
export function diffArtefacts(
  before: RepoSnapshot,
  after: RepoSnapshot,
  targets: readonly ArtefactTarget[],
  earlier?: readonly ArtefactTarget[],
): ArtefactChanges {
  const changes: ArtefactChanges = {
    risksAdded: [],
    risksClosed: [],
    incidentsResolved: [],
    decisionsAccepted: [],
    roadmapNow: [],
    unreadable: [],
  };
  const current = new Set(targets.map((target) => target.path));
  // Where a file that is new at its path may have come from: artefacts of the same type gone from their place.
  const gone = (earlier ?? []).filter((target) => !current.has(target.path));
  const goneDocuments = (type: ArtefactType | undefined) =>
    gone.flatMap((target) => {
      if (target.type !== type) return [];
      const documents = documentsOf(before, target);
      return documents === null || documents === undefined ? [] : [{ path: target.path, documents }];
    });
  for (const target of targets) {
    const now = documentsOf(after, target);
    if (now === undefined) continue;
    if (now === null) {
      changes.unreadable.push(target.path);
      continue;
    }
    // A file that cannot be read whole at the last release (binary, cut short, broken) cannot be compared:
    // claiming its every risk as new would be wrong, so it is named instead.
    let then = documentsOf(before, target);
    if (then === null) {
      changes.unreadable.push(target.path);
      continue;
    }
    const moved = then === undefined;
    const first = now[0]!;
    draftIn(after, target, first, changes);
    switch (target.type) {
      case 'risk-register': {
        const previous = risksOf(then ?? [], target.path);
        // A register moved, or risks moved into a new register, are the same risks: looked for where they were.
        const elsewhere = moved
          ? risksOf(
              goneDocuments(target.type).flatMap((found) => found.documents),
              target.path,
            )
          : new Map<string, Risk>();
        for (const risk of risksOf(now, target.path).values()) {
          const was = previous.get(risk.key) ?? elsewhere.get(risk.key);
          if (was === undefined && !risk.closed) changes.risksAdded.push(risk.item);
          if (risk.closed && was?.closed !== true) changes.risksClosed.push(risk.item);
        }
        break;
      }
      case 'incident-report':
      case 'architecture-decision-record': {
        if (moved) {
          // The same record under another path: the same id, or (without ids) the same file name.
          const id = text(first.id);
          then = goneDocuments(target.type).find(
            (found) =>
              (id !== undefined && text(found.documents[0]?.id) === id) ||
              (id === undefined && baseName(found.path) === baseName(target.path)),
          )?.documents;
        }
        const was = then?.[0];
        if (target.type === 'incident-report') {
          if (RESOLVED.has(lower(first.status)) && !RESOLVED.has(lower(was?.status)))
            changes.incidentsResolved.push(itemOf(first, target.path));
        } else if (lower(first.status) === 'accepted' && lower(was?.status) !== 'accepted') {
          changes.decisionsAccepted.push(itemOf(first, target.path));
        }
        break;
      }
      case 'roadmap': {
        const previous = nowTitles(
          moved ? goneDocuments(target.type).flatMap((found) => found.documents) : (then ?? []),
        );
        for (const entry of itemsOf(now)) {
          if (!isMapping(entry) || lower(entry.horizon) !== 'now') continue;
          const title = text(entry.title);
          if (title === undefined) continue;
          const link = text(entry.link);
          changes.roadmapNow.push({
            title,
            path: target.path,
            ...(link === undefined ? {} : { link }),
            added: !previous.has(title),
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
      changes.unreadable.length +
      (changes.drafts?.length ?? 0) >
    0
  );
}
