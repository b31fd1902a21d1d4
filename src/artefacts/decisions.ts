import { toPointer, type Locator } from '../parse/yaml.js';
import { isMapping, short, type Spot } from './rules.js';

/** What the cross-file rules need of one decision record. */
export interface Decision {
  path: string;
  /** The id as written (front matter `id`), else the number in the file name. */
  id: string | undefined;
  /** The id's number (`ADR-007`, `0007`, `7` are all 7), so that differently padded ids still collide. */
  number: number | undefined;
  idSpot: { line: number; column: number };
  /** The decision that replaces this one: `superseded_by`, or MADR's `status: superseded by ADR-0012`. */
  successor?: { text: string; line: number; column: number; field: string };
}

function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

function numberIn(text: string): number | undefined {
  const digits = /(\d+)\D*$/.exec(text)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

/** The number a decision's file name starts with (`0007-use-notify.md`, `ADR-007_use-notify.md`). */
function fileNumber(path: string): number | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const digits = /^(?:adr[-_ ]?)?(\d+)/i.exec(name)?.[1];
  return digits === undefined ? undefined : Number(digits);
}

export function decisionOf(path: string, value: unknown, locator: Locator): Decision {
  const front = isMapping(value) ? value : {};
  const raw = front.id;
  const written = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
  const where = written === undefined ? { line: 1, column: 1 } : locator.locate(toPointer(['id']));
  const decision: Decision = {
    path,
    id: written,
    number: written === undefined ? fileNumber(path) : numberIn(written),
    idSpot: { line: where.line, column: where.column },
  };
  const status =
    typeof front.status === 'string' ? /^superseded by\s+(\S.*)$/i.exec(front.status)?.[1] : undefined;
  const by = typeof front.superseded_by === 'string' ? front.superseded_by : status;
  const field = typeof front.superseded_by === 'string' ? 'superseded_by' : 'status';
  if (by !== undefined) {
    const at = locator.locate(toPointer([field]));
    decision.successor = { text: by.trim(), line: at.line, column: at.column, field };
  }
  return decision;
}

export interface DecisionSpots {
  duplicates: Array<Spot & { path: string }>;
  successors: Array<Spot & { path: string }>;
}

/**
 * Ids unique within each folder of decision records, and `superseded_by` naming a decision of the same folder (by
 * id or number) or a file that exists. A folder is one decision log: a monorepo's services each number their own.
 */
export function judgeDecisions(
  decisions: readonly Decision[],
  exists: (path: string) => boolean,
): DecisionSpots {
  const out: DecisionSpots = { duplicates: [], successors: [] };
  const folders = new Map<string, Decision[]>();
  for (const decision of decisions) {
    const folder = folderOf(decision.path);
    let list = folders.get(folder);
    if (list === undefined) {
      list = [];
      folders.set(folder, list);
    }
    list.push(decision);
  }
  for (const [folder, list] of folders) {
    // Keyed by number when the id has one (ADR-007 and 0007 are the same decision), else by the id itself.
    const byKey = new Map<string, Decision>();
    const ids = new Set<string>();
    const numbers = new Set<number>();
    for (const decision of [...list].sort((a, b) => (a.path < b.path ? -1 : 1))) {
      if (decision.id !== undefined) ids.add(decision.id.toLowerCase());
      const fromName = fileNumber(decision.path);
      if (fromName !== undefined) numbers.add(fromName);
      if (decision.number !== undefined) numbers.add(decision.number);
      const key = decision.number !== undefined ? `#${decision.number}` : decision.id?.trim().toLowerCase();
      if (key === undefined || key === '') continue;
      const first = byKey.get(key);
      if (first === undefined) {
        byKey.set(key, decision);
        continue;
      }
      const shown = decision.id ?? String(decision.number);
      out.duplicates.push({
        path: decision.path,
        ...decision.idSpot,
        message: `The decision id ${short(shown)} is also used by ${first.path}${first.id === undefined ? '' : ` (${short(first.id)})`}; each decision needs its own.`,
        fix: `Give this decision the next unused number in ${folder || 'the folder'}.`,
      });
    }
    for (const decision of list) {
      const successor = decision.successor;
      if (successor === undefined) continue;
      const text = successor.text;
      // A web address names a decision elsewhere (another repository's log), which a snapshot cannot see.
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) continue;
      const link = text.replace(/[#?].*$/, '').replace(/^\.\//, '');
      const asPath = /\.md$/i.test(link) || link.includes('/');
      const found = asPath
        ? exists(normalise(`${folder}${link}`))
        : ids.has(text.toLowerCase()) || (numberIn(text) !== undefined && numbers.has(numberIn(text)!));
      if (found) continue;
      out.successors.push({
        path: decision.path,
        line: successor.line,
        column: successor.column,
        message: `${successor.field === 'status' ? 'The status says this decision is superseded by' : 'superseded_by names'} ${short(text)}, but no decision ${asPath ? 'file' : 'with that id'} exists in ${folder || 'the repository root'}.`,
        fix: 'Name the decision that replaces this one by its id (such as ADR-012) or its file name, and check it is committed.',
      });
    }
  }
  return out;
}

/** Resolves `..` and `.` segments of a repository path. */
function normalise(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return out.join('/');
}
