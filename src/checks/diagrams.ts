import type { Check, CheckOptionsSpec, DraftFinding, RuleInfo } from '../core/check.js';
import type { ChangedFiles, LastChange, RepoSnapshot } from '../sources/snapshot.js';
import {
  comparePages,
  drawioSourceSuffix,
  mxfileFromPng,
  mxfileFromSvg,
  readDrawio,
  type DrawioRead,
} from '../parse/drawio.js';

/** The formats an export may take; `svg` and `png` exports can be editable (`name.drawio.svg`). */
export type DiagramFormat = 'svg' | 'png' | 'pdf';

export interface DiagramsOptions {
  /** Every source needs an export in each of these formats. */
  formats: DiagramFormat[];
  /**
   * How an export is named from its source `name.drawio`: `replace` → `name.svg`, `append` → `name.drawio.svg`
   * (draw.io's editable export), `either` accepts both.
   */
  naming: 'either' | 'replace' | 'append';
}

const FORMATS: readonly DiagramFormat[] = ['svg', 'png', 'pdf'];

export const diagramsOptions: CheckOptionsSpec<DiagramsOptions> = {
  schema: {
    title: 'diagrams check',
    description:
      'Checks that every draw.io source (.drawio, .dio, .drawio.xml) has an export beside it, such as an SVG that GitHub and documentation sites can show, and that the export still shows what the source holds. Give a level (error, warning, off) or a mapping with a level and options.',
    oneOf: [
      { $ref: '#/$defs/checkLevel' },
      {
        title: 'diagrams check settings',
        description: 'The level of the diagrams check and its options.',
        type: 'object',
        additionalProperties: false,
        properties: {
          level: { $ref: '#/$defs/checkLevel' },
          formats: {
            title: 'export formats',
            description:
              'The formats every draw.io source must be exported to, beside it: svg, png or pdf (svg by default). A plain SVG or PNG shows one page, so each page after the first needs its own file, name-page2.svg and so on; a PDF and an editable export hold every page.',
            type: 'array',
            items: { type: 'string', enum: [...FORMATS] },
            minItems: 1,
            uniqueItems: true,
          },
          naming: {
            title: 'export naming',
            description:
              'How an export of name.drawio is named: "replace" for name.svg, "append" for name.drawio.svg (draw.io\'s editable export, which carries the diagram inside it), "either" to accept both (the default).',
            type: 'string',
            enum: ['either', 'replace', 'append'],
          },
        },
      },
    ],
  },
  defaults: () => ({ formats: ['svg'], naming: 'either' }),
};

export const DIAGRAMS_RULES: Record<string, RuleInfo> = {
  'diagrams/missing-export': {
    level: 'error',
    description:
      'Every draw.io source has an export beside it in each configured format; a plain SVG or PNG export of a source with several pages has a file for each page after the first (name-page2.svg, ...).',
  },
  'diagrams/stale-export': {
    level: 'error',
    description:
      'An export shows what its draw.io source holds now: it was exported again after the last edit. Where only the change under judgement is known (the App), a source changed without its export is a warning.',
  },
  'diagrams/unreadable': {
    level: 'warning',
    description: 'A draw.io source, or the diagram inside an editable export, can be read.',
  },
  'diagrams/orphan-export': {
    level: 'warning',
    description:
      'No page export is left over from a page removed from its draw.io source: a plain export name-pageN.svg or .png beside a source with fewer than N pages shows a page the source no longer holds.',
  },
  'diagrams/unknown-staleness': {
    level: 'notice',
    description:
      'Says when an export could not be compared with its source, so that no one takes it as current.',
  },
};

/** What was found for one export a source needs. */
export interface DiagramExport {
  source: string;
  format: DiagramFormat;
  /** The export found, or the name it should have when missing. */
  path: string;
  /**
   * The one page this export shows, for plain SVG and PNG exports of a source with several pages (page 1 is
   * `name.svg`, page 2 `name-page2.svg`...); absent when the file stands for the whole source (PDF, editable).
   */
  page?: { index: number; name: string };
  /** `unknown`: the export is plain and the history that would date it is not at hand. */
  status: 'current' | 'stale' | 'missing' | 'unknown';
  /** Why it is stale or unknown, in words. */
  reason?: string;
  /** Found stale from what the change under judgement touched rather than from history: a warning, not an error. */
  fromChange?: boolean;
}

export interface DiagramsPlan {
  exports: DiagramExport[];
  /** Sources or editable exports that could not be read, with why. */
  unreadable: { path: string; reason: string }[];
  /** Page exports (`name-page3.svg`) of pages their source no longer has. */
  orphans: OrphanExport[];
}

/** A plain page export left behind when its page was removed from the source. */
export interface OrphanExport {
  source: string;
  format: DiagramFormat;
  path: string;
  /** The page the file's name stands for. */
  index: number;
  /** How many pages the source has now. */
  pages: number;
}

/** The exports each draw.io source needs, and whether each is there and current. The Action renders from this. */
export function planDiagrams(
  snapshot: RepoSnapshot,
  options: DiagramsOptions,
  checkpoint = () => {},
): DiagramsPlan {
  const exports: DiagramExport[] = [];
  const unreadable: DiagramsPlan['unreadable'] = [];
  const plain: DiagramExport[] = [];
  const counted: { source: string; stem: string; pages: number }[] = [];
  for (const source of snapshot.files()) {
    checkpoint();
    const suffix = drawioSourceSuffix(source);
    if (suffix === undefined) continue;
    const stem = source.slice(0, source.length - suffix.length);
    // Read even when every export is plain: a source draw.io cannot open is worth saying, and the Action needs it.
    const sourcePages = readSource(snapshot, source);
    if (!sourcePages.ok) unreadable.push({ path: source, reason: sourcePages.reason });
    else counted.push({ source, stem, pages: sourcePages.pages.length });
    for (const format of options.formats) {
      const names = exportNames(stem, format, options.naming);
      const found = names.find((name) => snapshot.has(name));
      const chosen = found ?? names[0]!;
      const editable = format !== 'pdf' && chosen.toLowerCase().endsWith(`.drawio.${format}`);
      // A plain picture shows one page: the pages after the first need files of their own. An editable export
      // carries the whole file, and a PDF has a page for each.
      if (!editable && format !== 'pdf' && sourcePages.ok && sourcePages.pages.length > 1) {
        for (const [i, page] of sourcePages.pages.entries()) {
          const path = i === 0 ? chosen : pageExportName(stem, format, i + 1);
          const entry: DiagramExport = {
            source,
            format,
            path,
            page: { index: i + 1, name: page.name },
            status: snapshot.has(path) ? 'unknown' : 'missing',
          };
          exports.push(entry);
          if (entry.status === 'unknown') plain.push(entry);
        }
        continue;
      }
      if (found === undefined) {
        exports.push({ source, format, path: chosen, status: 'missing' });
        continue;
      }
      const carried = editable ? embedded(snapshot, found, format) : undefined;
      if (carried === undefined || !carried.ok) {
        // A plain export, or an editable name without a diagram inside: only history can date it.
        const entry: DiagramExport = { source, format, path: found, status: 'unknown' };
        exports.push(entry);
        plain.push(entry);
        continue;
      }
      if (!sourcePages.ok) {
        exports.push({ source, format, path: found, status: 'unknown', reason: 'the source cannot be read' });
        continue;
      }
      const inside = readDrawio(carried.xml);
      if (!inside.ok) {
        unreadable.push({ path: found, reason: `the diagram inside it cannot be read: ${inside.reason}` });
        exports.push({
          source,
          format,
          path: found,
          status: 'unknown',
          reason: 'its diagram cannot be read',
        });
        continue;
      }
      const difference = comparePages(sourcePages.pages, inside.pages);
      exports.push(
        difference === undefined
          ? { source, format, path: found, status: 'current' }
          : { source, format, path: found, status: 'stale', reason: difference },
      );
    }
  }
  datePlainExports(snapshot, plain);
  return { exports, unreadable, orphans: findOrphans(snapshot, options, counted) };
}

const PAGE_EXPORT = /^(.+)-page([1-9][0-9]*)\.(svg|png)$/;

/**
 * Page exports whose page is gone: `name-page3.svg` beside a `name.drawio` that has two pages now. From the paths
 * alone, so the App finds them without reading a picture. Only names this check's own page naming would give, in a
 * format it asks for: an unrelated `chart-page2.svg` with no `chart` source, or a source's export of its own
 * (`chart-page2.drawio` exported as `chart-page2.svg`), is nobody's orphan.
 */
function findOrphans(
  snapshot: RepoSnapshot,
  options: DiagramsOptions,
  counted: { source: string; stem: string; pages: number }[],
): OrphanExport[] {
  // With naming: append every export is editable and carries all pages: no page files are ever asked for.
  const formats: DiagramFormat[] = options.formats.filter((format) => format !== 'pdf');
  if (options.naming === 'append' || formats.length === 0 || counted.length === 0) return [];
  const sourceStems = new Set<string>();
  for (const path of snapshot.files()) {
    const suffix = drawioSourceSuffix(path);
    if (suffix !== undefined) sourceStems.add(path.slice(0, path.length - suffix.length));
  }
  // name.drawio and name.dio side by side share their exports: the one with more pages decides.
  const byStem = new Map<string, { source: string; pages: number }>();
  for (const entry of counted) {
    if ((byStem.get(entry.stem)?.pages ?? 0) < entry.pages) byStem.set(entry.stem, entry);
  }
  const orphans: OrphanExport[] = [];
  for (const path of snapshot.files()) {
    const match = PAGE_EXPORT.exec(path);
    if (match === null) continue;
    const format = match[3] as DiagramFormat;
    const index = Number(match[2]);
    const owner = byStem.get(match[1]!);
    if (owner === undefined || index < 2 || index <= owner.pages || !formats.includes(format)) continue;
    if (sourceStems.has(path.slice(0, path.length - format.length - 1))) continue;
    orphans.push({ source: owner.source, format, path, index, pages: owner.pages });
  }
  return orphans;
}

/**
 * The plain export of page `index` (2 or more) of a source: `name-page2.svg`. By position, as draw.io's own
 * command line picks pages (`--page-index`): page names may hold any character, and renaming a page should not
 * orphan its picture. Page 1 keeps the plain name, so that a diagram that grows a page keeps its first export.
 */
export function pageExportName(stem: string, format: DiagramFormat, index: number): string {
  return `${stem}-page${index}.${format}`;
}

/**
 * Dates plain exports against their sources from the history, with one question to the snapshot for all; without
 * history (the App), from what the change under judgement touched, which the snapshot read with its commits.
 */
function datePlainExports(snapshot: RepoSnapshot, plain: DiagramExport[]): void {
  if (plain.length === 0) return;
  const paths = [...new Set(plain.flatMap((entry) => [entry.source, entry.path]))];
  const changes = snapshot.lastChanges?.(paths);
  const touched = changes === undefined ? snapshot.changedFiles?.() : undefined;
  for (const entry of plain) {
    const verdict =
      changes !== undefined
        ? judgeDates(changes.get(entry.source) ?? null, changes.get(entry.path) ?? null)
        : touched !== undefined
          ? judgeChange(touched, entry.source, entry.path)
          : { status: 'unknown' as const, reason: NO_HISTORY };
    entry.status = verdict.status;
    if (verdict.reason !== undefined) entry.reason = verdict.reason;
    if (verdict.status === 'stale' && touched !== undefined) entry.fromChange = true;
  }
}

const NO_HISTORY = 'this copy of the repository carries no git history to date it by';

/**
 * An export's last change is after its source's when the change touched the export last: the rule history
 * applies, told from the change alone. A source the change edited while leaving the export alone is stale; an
 * export the change redrew while leaving the source alone is current. When neither was touched, or both in a
 * change whose commits' files are not known one by one, only history could tell.
 */
function judgeChange(
  touched: ChangedFiles,
  source: string,
  copy: string,
): { status: DiagramExport['status']; reason?: string } {
  const sourceTouched = touched.paths.has(source);
  const copyTouched = touched.paths.has(copy);
  if (!sourceTouched && !copyTouched) {
    return {
      status: 'unknown',
      reason: `neither changed in ${touched.label}, and no git history is at hand to date them by`,
    };
  }
  if (sourceTouched !== copyTouched && !touched.complete) {
    return {
      status: 'unknown',
      reason: `GitHub listed only part of the files ${touched.label} changed`,
    };
  }
  if (!copyTouched) {
    const last = touched.paths.get(source);
    const where = last === null || last === undefined ? '' : ` (commit ${last.sha.slice(0, 7)})`;
    return { status: 'stale', reason: `the source changed in ${touched.label}${where}, the export did not` };
  }
  if (!sourceTouched) return { status: 'current' };
  const sourceChange = touched.paths.get(source) ?? null;
  const copyChange = touched.paths.get(copy) ?? null;
  if (sourceChange === null || copyChange === null) {
    return {
      status: 'unknown',
      reason: `${touched.label} changed both the source and the export, and which came last is not known without history`,
    };
  }
  return judgeDates(sourceChange, copyChange);
}

function judgeDates(
  source: LastChange | null,
  copy: LastChange | null,
): { status: DiagramExport['status']; reason?: string } {
  if (source === null || copy === null) {
    const which = source === null ? 'the source' : 'the export';
    return { status: 'unknown', reason: `the history at hand does not show when ${which} last changed` };
  }
  if (source.order < copy.order) {
    return {
      status: 'stale',
      reason: `the source changed in commit ${source.sha.slice(0, 7)}, after the export was last committed (${copy.sha.slice(0, 7)})`,
    };
  }
  return { status: 'current' };
}

/** The names an export may have, the preferred one first (the one a missing export is asked for by). */
export function exportNames(
  stem: string,
  format: DiagramFormat,
  naming: DiagramsOptions['naming'],
): string[] {
  const replaced = `${stem}.${format}`;
  const appended = `${stem}.drawio.${format}`;
  if (naming === 'replace') return [replaced];
  if (naming === 'append' || format === 'pdf') return naming === 'append' ? [appended] : [replaced, appended];
  return [replaced, appended];
}

function readSource(snapshot: RepoSnapshot, path: string): DrawioRead {
  const content = snapshot.read(path);
  if (content.kind === 'text') return readDrawio(content.text);
  if (content.kind === 'too-large') return { ok: false, reason: 'it is too large to read (over 1 MB)' };
  if (content.kind === 'binary') return { ok: false, reason: 'it is not a text file' };
  return { ok: false, reason: content.kind === 'unavailable' ? content.reason : 'it is missing' };
}

function embedded(
  snapshot: RepoSnapshot,
  path: string,
  format: 'svg' | 'png',
): { ok: true; xml: string } | { ok: false; reason: string } {
  if (format === 'svg') {
    const content = snapshot.read(path);
    return content.kind === 'text'
      ? mxfileFromSvg(content.text)
      : { ok: false, reason: 'it cannot be read as text' };
  }
  const bytes = snapshot.bytes?.(path);
  return bytes === undefined ? { ok: false, reason: 'its bytes are not at hand' } : mxfileFromPng(bytes);
}

const FIX_EXPORT =
  'or let the Openly Action export it (mode: diagrams), then commit the export beside the source';

function findings(plan: DiagramsPlan): DraftFinding[] {
  const out: DraftFinding[] = [];
  for (const { path, reason } of plan.unreadable) {
    out.push({
      rule: 'diagrams/unreadable',
      path,
      message: `${path} cannot be read as a draw.io diagram: ${reason}.`,
      fix: `Open ${path} in draw.io (app.diagrams.net or the desktop app) and save it again.`,
    });
  }
  const unknown: DiagramExport[] = [];
  for (const entry of plan.exports) {
    const format = entry.format.toUpperCase();
    if (entry.status === 'missing') {
      const page = entry.page === undefined ? '' : ` of page ${entry.page.index} ("${entry.page.name}")`;
      const goTo = entry.page === undefined ? '' : `, go to page ${entry.page.index} ("${entry.page.name}")`;
      out.push({
        rule: 'diagrams/missing-export',
        path: entry.source,
        message: `${entry.source} has no ${format} export${page} beside it, so readers on GitHub cannot see ${entry.page === undefined ? 'the diagram' : 'that page'}; expected ${entry.path}.`,
        fix: `Open ${entry.source} in draw.io${goTo}, choose File > Export as > ${format} and save it as ${entry.path}, ${FIX_EXPORT}.`,
      });
    } else if (entry.status === 'stale') {
      out.push({
        rule: 'diagrams/stale-export',
        // Told from one change alone, and often followed by the Action's export: worth a look, not a red check.
        ...(entry.fromChange === true ? { severity: 'warning' as const } : {}),
        path: entry.path,
        message: `${entry.path} is out of date: it no longer shows what ${entry.source} holds (${entry.reason}).`,
        fix: `Open ${entry.source} in draw.io and export it again over ${entry.path}, ${FIX_EXPORT}.`,
      });
    } else if (entry.status === 'unknown') {
      unknown.push(entry);
    }
  }
  for (const orphan of plan.orphans) {
    const pages = orphan.pages === 1 ? 'one page' : `${orphan.pages} pages`;
    out.push({
      rule: 'diagrams/orphan-export',
      path: orphan.path,
      message: `${orphan.path} is the ${orphan.format.toUpperCase()} export of page ${orphan.index} of ${orphan.source}, which has ${pages} now: readers on GitHub see a page the diagram no longer holds.`,
      fix: `Delete ${orphan.path} (git rm ${orphan.path}); if the page was removed by mistake, put it back in ${orphan.source} instead.`,
    });
  }
  // One notice per cause, not one per file: a repository with forty diagrams should not get forty notices.
  const byReason = new Map<string, DiagramExport[]>();
  for (const entry of unknown) {
    const reason = entry.reason ?? 'it could not be compared';
    byReason.set(reason, [...(byReason.get(reason) ?? []), entry]);
  }
  for (const [reason, entries] of byReason) {
    const names = entries.slice(0, 5).map((entry) => entry.path);
    const more = entries.length > names.length ? ` and ${entries.length - names.length} more` : '';
    const first = entries[0]!;
    out.push({
      rule: 'diagrams/unknown-staleness',
      path: first.path,
      message: `Could not tell whether ${entries.length === 1 ? 'this export is' : `${entries.length} exports are`} up to date with ${entries.length === 1 ? 'its source' : 'their sources'} (${names.join(', ')}${more}): ${reason}.`,
      fix: 'Check with full history (actions/checkout with fetch-depth: 0, or the CLI in a clone), or export as .drawio.svg, which carries the diagram and is compared directly.',
    });
  }
  return out;
}

export const diagramsCheck: Check<DiagramsOptions> = {
  id: 'diagrams',
  title: 'Diagram exports',
  rules: DIAGRAMS_RULES,
  options: diagramsOptions,
  wants(paths, options) {
    const wanted: string[] = [];
    const present = new Set(paths);
    for (const path of paths) {
      const suffix = drawioSourceSuffix(path);
      if (suffix === undefined) continue;
      wanted.push(path);
      const stem = path.slice(0, path.length - suffix.length);
      for (const format of options.formats) {
        if (format === 'svg')
          wanted.push(...exportNames(stem, format, options.naming).filter((name) => present.has(name)));
      }
    }
    return wanted;
  },
  run(ctx) {
    const plan = planDiagrams(ctx.snapshot, ctx.options, ctx.checkpoint);
    const sources = new Set(plan.exports.map((entry) => entry.source));
    if (sources.size === 0 && plan.unreadable.length === 0) {
      return { findings: [], skipped: 'no draw.io sources (.drawio, .dio, .drawio.xml) in the repository' };
    }
    return {
      findings: findings(plan),
      data: {
        diagrams: plan.exports.map(({ source, format, path, status }) => ({ source, format, path, status })),
      },
    };
  },
};
