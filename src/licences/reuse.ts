import { parse as parseToml } from 'smol-toml';
import { compileGlobs, type GlobMatcher } from '../core/glob.js';

/**
 * REUSE (https://reuse.software, specification 3.2): licensing information given outside the files it covers, in
 * `REUSE.toml` files (any folder) or the deprecated `.reuse/dep5` at the root.
 */

export type Precedence = 'closest' | 'aggregate' | 'override';

export interface ReuseAnnotation {
  /** The `REUSE.toml` or `.reuse/dep5` it was written in. */
  source: string;
  /** 1-based line of the table or stanza, for findings. */
  line: number;
  /** The globs as written, relative to the source's folder. */
  paths: string[];
  precedence: Precedence;
  /** `SPDX-License-Identifier` values; empty when the table only gives copyright. */
  expressions: string[];
  /** Whether a path relative to the source's folder is covered. */
  matches(relative: string): boolean;
}

export interface ReuseSource {
  path: string;
  /** Folder the globs are relative to: '' for the root. */
  dir: string;
  kind: 'toml' | 'dep5';
  annotations: ReuseAnnotation[];
}

export interface ReuseProblem {
  path: string;
  line?: number;
  message: string;
  fix: string;
}

export interface ParsedReuse {
  source?: ReuseSource;
  problems: ReuseProblem[];
}

/**
 * Compiles a glob with the REUSE.toml rules (`*` stops at slashes, `**` does not, `?`, `[seq]`, `[!seq]`, `\`
 * escapes) or the Debian copyright-format rules (`*` crosses slashes, `?`, `\` escapes). Both formats define `*`
 * and `**` differently from shell globs (`docs/**.md` is legal REUSE and matches at any depth), and matching must
 * follow what `reuse lint` decides. The patterns are repository content, so they run on the linear matcher.
 */
export function compileGlob(glob: string, flavour: 'reuse' | 'dep5'): GlobMatcher {
  return compileGlobs([glob], flavour);
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  return undefined;
}

function matcherFor(globs: readonly string[], flavour: 'reuse' | 'dep5'): (relative: string) => boolean {
  const compiled = compileGlobs(
    globs.map((g) => g.replace(/^\.\//, '')),
    flavour,
  );
  return (relative) => compiled.test(relative);
}

/** The 1-based line of each `[[annotations]]` header, in order, so a table's findings can point at it. */
function annotationLines(text: string): number[] {
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\s*\[\[\s*annotations\s*\]\]/.test(line)) lines.push(index + 1);
  });
  return lines;
}

/** Parses one `REUSE.toml`. Bad tables are reported and skipped; the good ones still count. */
export function parseReuseToml(path: string, text: string): ParsedReuse {
  const problems: ReuseProblem[] = [];
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text);
  } catch (error) {
    const line =
      typeof (error as { line?: unknown }).line === 'number' ? (error as { line: number }).line : undefined;
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : 'not valid TOML';
    return {
      problems: [
        {
          path,
          ...(line === undefined ? {} : { line }),
          message: `${path} is not valid TOML (${reason.replace(/\.$/, '')}), so the licensing it gives was ignored.`,
          fix: `Correct the TOML syntax in ${path}; \`reuse lint\` shows the same error.`,
        },
      ],
    };
  }
  if (doc.version !== 1) {
    problems.push({
      path,
      line: 1,
      message: `${path} has ${doc.version === undefined ? 'no `version`' : `version ${JSON.stringify(doc.version)}`}; REUSE.toml version 1 is the only one defined.`,
      fix: `Add \`version = 1\` at the top of ${path}.`,
    });
  }
  const tables = Array.isArray(doc.annotations) ? (doc.annotations as unknown[]) : [];
  const lines = annotationLines(text);
  const annotations: ReuseAnnotation[] = [];
  tables.forEach((table, index) => {
    const line = lines[index] ?? 1;
    if (typeof table !== 'object' || table === null) return;
    const record = table as Record<string, unknown>;
    const paths = stringList(record.path);
    if (paths === undefined || paths.length === 0) {
      problems.push({
        path,
        line,
        message: `An [[annotations]] table in ${path} has no \`path\`, so it covers nothing.`,
        fix: 'Give the table a `path`: a glob or a list of globs relative to the folder of REUSE.toml.',
      });
      return;
    }
    const rawPrecedence = record.precedence ?? 'closest';
    if (rawPrecedence !== 'closest' && rawPrecedence !== 'aggregate' && rawPrecedence !== 'override') {
      problems.push({
        path,
        line,
        message: `An [[annotations]] table in ${path} has precedence ${JSON.stringify(rawPrecedence)}; REUSE knows closest, aggregate and override. It was read as closest.`,
        fix: 'Set `precedence` to "closest", "aggregate" or "override".',
      });
    }
    const precedence: Precedence =
      rawPrecedence === 'aggregate' || rawPrecedence === 'override' ? rawPrecedence : 'closest';
    const licence = record['SPDX-License-Identifier'];
    const expressions = licence === undefined ? [] : stringList(licence);
    if (expressions === undefined) {
      problems.push({
        path,
        line,
        message: `An [[annotations]] table in ${path} has a \`SPDX-License-Identifier\` that is not a string or a list of strings.`,
        fix: 'Write the licence as a string, e.g. SPDX-License-Identifier = "OGL-UK-3.0".',
      });
      return;
    }
    annotations.push({
      source: path,
      line,
      paths,
      precedence,
      expressions,
      matches: matcherFor(paths, 'reuse'),
    });
  });
  return { source: { path, dir: dirOf(path), kind: 'toml', annotations }, problems };
}

/**
 * Parses a `.reuse/dep5` (Debian machine-readable copyright format 1.0): stanzas separated by blank lines, the
 * `Files:` field a whitespace-separated list of globs relative to the project root, the first line of `License:`
 * the expression. Stand-alone licence stanzas (a `License:` without `Files:`) hold licence texts and are skipped.
 */
export function parseDep5(path: string, text: string): ParsedReuse {
  const problems: ReuseProblem[] = [];
  const annotations: ReuseAnnotation[] = [];
  const lines = text.split(/\r?\n/);
  let fields = new Map<string, string[]>();
  let start = 1;
  let current: string | undefined;

  const flush = (): void => {
    const files = fields.get('files');
    if (files !== undefined) {
      const globs = files
        .join(' ')
        .split(/\s+/)
        .filter((g) => g !== '');
      const licence = (fields.get('license') ?? [])[0]?.trim() ?? '';
      if (licence === '') {
        problems.push({
          path,
          line: start,
          message: `The stanza for "${globs.join(' ')}" in ${path} has no License field.`,
          fix: 'Add a `License:` line with an SPDX expression to the stanza.',
        });
      } else if (globs.length > 0) {
        annotations.push({
          source: path,
          line: start,
          paths: globs,
          // REUSE aggregates dep5 with what the files say themselves.
          precedence: 'aggregate',
          expressions: [licence],
          matches: matcherFor(globs, 'dep5'),
        });
      }
    }
    fields = new Map();
    current = undefined;
  };

  lines.forEach((line, index) => {
    if (line.trim() === '') {
      flush();
      start = index + 2;
      return;
    }
    if (/^\s/.test(line)) {
      if (current !== undefined) fields.get(current)?.push(line.trim());
      return;
    }
    const colon = line.indexOf(':');
    if (colon === -1) return;
    if (fields.size === 0) start = index + 1;
    current = line.slice(0, colon).trim().toLowerCase();
    fields.set(current, [line.slice(colon + 1).trim()]);
  });
  flush();
  return { source: { path, dir: '', kind: 'dep5', annotations }, problems };
}

/** What REUSE says about one file. */
export interface ReuseResolution {
  /** The expressions that apply. Empty when REUSE says nothing about the file's licensing. */
  expressions: string[];
  /** The annotations that contributed, for messages. */
  from: ReuseAnnotation[];
  /** True when an `override` table decided, so the file's own headers were set aside. */
  overridden: boolean;
}

/**
 * Answers "which licences does REUSE give this file", following the order of precedence of REUSE 3.2:
 * within one file the last matching table wins; the outermost `override` table beats everything, including the
 * file's own header; `aggregate` tables (and `.reuse/dep5`) always add theirs; otherwise (`closest`) the file's
 * own header is used if it has one, else the nearest REUSE.toml table that gives a licence.
 */
export class ReuseIndex {
  readonly sources: readonly ReuseSource[];
  readonly #byDir = new Map<string, ReuseSource[]>();

  constructor(sources: readonly ReuseSource[]) {
    this.sources = sources;
    for (const source of sources) {
      const list = this.#byDir.get(source.dir) ?? [];
      // dep5 sits at the root beside a root REUSE.toml; it is the older mechanism, so it is consulted first.
      if (source.kind === 'dep5') list.unshift(source);
      else list.push(source);
      this.#byDir.set(source.dir, list);
    }
  }

  get empty(): boolean {
    return this.sources.length === 0;
  }

  /** The tables that speak for `path`, outermost folder first: the last matching table of each source. */
  #tablesFor(path: string): ReuseAnnotation[] {
    const tables: ReuseAnnotation[] = [];
    const visit = (dir: string): void => {
      for (const source of this.#byDir.get(dir) ?? []) {
        const relative = dir === '' ? path : path.slice(dir.length + 1);
        for (let i = source.annotations.length - 1; i >= 0; i--) {
          const annotation = source.annotations[i]!;
          if (annotation.matches(relative)) {
            tables.push(annotation);
            break;
          }
        }
      }
    };
    visit('');
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      visit(path.slice(0, slash));
    }
    return tables;
  }

  /**
   * @param own the expressions the file carries itself (header or `.license` companion), if any.
   */
  resolve(path: string, own: readonly string[] = []): ReuseResolution {
    if (this.#byDir.size === 0) return { expressions: [...own], from: [], overridden: false };
    const tables = this.#tablesFor(path).filter((t) => t.expressions.length > 0);
    const override = tables.find((t) => t.precedence === 'override');
    if (override !== undefined)
      return { expressions: [...override.expressions], from: [override], overridden: true };
    const from = tables.filter((t) => t.precedence === 'aggregate');
    const expressions = from.flatMap((t) => t.expressions);
    if (own.length > 0) {
      expressions.push(...own);
    } else {
      const closest = tables.at(-1);
      if (closest !== undefined && !from.includes(closest)) {
        from.push(closest);
        expressions.push(...closest.expressions);
      }
    }
    return { expressions: [...new Set(expressions)], from, overridden: false };
  }
}
