import type { ArtefactFormat } from '../config/types.js';
import { parseFrontMatter } from '../parse/front-matter.js';
import { parseAllYaml, parseYaml, type Location, type Locator } from '../parse/yaml.js';
import { parseTable } from './table.js';
import { fastYaml } from './fast-yaml.js';
import { CORE_SCHEMA, load as loadPlainYaml } from 'js-yaml';

import type { ArtefactDocument, ParsedArtefact, ReadProblem } from './parsed.js';

export type { ArtefactDocument, ParsedArtefact, ReadProblem } from './parsed.js';

/** The format a file's extension says, else `fallback` (the type's usual format). */
export function formatOf(path: string, fallback: ArtefactFormat): ArtefactFormat {
  const extension = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  switch (extension) {
    case 'md':
    case 'markdown':
      return 'markdown';
    case 'yaml':
    case 'yml':
      return 'yaml';
    case 'json':
      return 'json';
    case 'csv':
      return 'csv';
    case 'tsv':
      return 'tsv';
    default:
      return fallback;
  }
}

const nowhere: Location = { line: 1, column: 1, endLine: 1, endColumn: 1, exact: false };

/** The 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.max(0, Math.min(offset, text.length));
  for (let index = text.indexOf('\n'); index !== -1 && index < end; index = text.indexOf('\n', index + 1)) {
    line += 1;
    start = index + 1;
  }
  return { line, column: end - start + 1 };
}

/** Anchors, aliases, tags or a second document: left to the full reader, which guards against alias bombs. */
const NEEDS_FULL_READER = /(^|[\s[{,:-])[&*!]|^(---|\.\.\.)\s*\S*\s*$[\s\S]*^(---|\.\.\.)/m;

/**
 * A large register (a risk register of thousands of rows) through a plain, fast YAML reader when it has no
 * anchors, aliases, tags or extra documents. Positions are only needed for findings, so the full reader, which
 * knows them, runs only when something asks where a value is.
 */
function plainYaml(text: string, lineOffset: number): ParsedArtefact | undefined {
  if (text.length < 4096 || NEEDS_FULL_READER.test(text)) return undefined;
  let value: unknown;
  try {
    // Duplicate keys make it throw: the full reader then reports them with their place.
    value = loadPlainYaml(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  let full: Locator | undefined;
  const located = (): Locator => (full ??= parseYaml(text, { lineOffset }));
  return {
    documents: [
      { value, locator: { locate: (p) => located().locate(p), locateKey: (p) => located().locateKey(p) } },
    ],
    problems: [],
  };
}

function readYamlDocuments(text: string, lineOffset: number, single: boolean): ParsedArtefact {
  const fast = fastYaml(text, lineOffset);
  if (fast !== undefined) return { documents: [{ value: fast.value, locator: fast }], problems: [] };
  const plain = plainYaml(text, lineOffset);
  if (plain !== undefined) return plain;
  const docs = single ? [parseYaml(text, { lineOffset })] : parseAllYaml(text, { lineOffset });
  const problems: ReadProblem[] = [];
  const documents: ArtefactDocument[] = [];
  docs.forEach((doc, index) => {
    const errors = doc.problems.filter((problem) => problem.severity === 'error');
    for (const problem of doc.problems) problems.push(problem);
    // With broken YAML the data is a guess, and schema messages about a guess only confuse.
    if (errors.length > 0 || doc.document === undefined) return;
    documents.push({
      value: doc.value,
      locator: doc,
      ...(docs.length > 1 ? { label: `document ${index + 1}` } : {}),
    });
  });
  return { documents, problems };
}

function readJson(text: string): ParsedArtefact {
  const source = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? source.length);
    const where = positionAt(source, offset);
    return {
      documents: [],
      problems: [
        {
          ...where,
          message: `this is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')}; check for a missing comma or quote, or a comma after the last item`,
        },
      ],
    };
  }
  // JSON is YAML, so the YAML reader gives positions, and reports what JSON.parse lets pass: keys given twice.
  const located = parseYaml(source);
  const problems = located.problems.filter((problem) => problem.code !== 'MULTIPLE_DOCS');
  if (problems.some((problem) => problem.severity === 'error')) return { documents: [], problems };
  return { documents: [{ value, locator: located.document === undefined ? fallback : located }], problems };
}

const fallback: Locator = { locate: () => nowhere, locateKey: () => nowhere };

/** Reads one artefact file into the documents its schema judges. Never throws. */
export function parseArtefact(text: string, format: ArtefactFormat): ParsedArtefact {
  switch (format) {
    case 'markdown': {
      const opening = /^\uFEFF?---[ \t]*\r?\n/.test(text);
      if (!opening) return { documents: [], problems: [], frontMatter: false, body: text, bodyLine: 1 };
      const fast = fastFrontMatter(text);
      if (fast !== undefined) return fast;
      const front = parseFrontMatter(text);
      const yaml = front.yaml;
      const base = { frontMatter: true, body: front.body, bodyLine: front.bodyLine };
      if (yaml === undefined) return { documents: [], problems: [], ...base };
      const errors = yaml.problems.filter((problem) => problem.severity === 'error');
      if (errors.length > 0 || (yaml.document === undefined && yaml.problems.length > 0)) {
        return { documents: [], problems: yaml.problems, ...base };
      }
      return { documents: [{ value: yaml.value, locator: yaml }], problems: yaml.problems, ...base };
    }
    case 'yaml':
      return readYamlDocuments(text, 0, false);
    case 'json':
      return readJson(text);
    case 'csv':
    case 'tsv':
      return parseTable(text, format === 'csv' ? ',' : '\t');
  }
}

/**
 * Front matter through the fast reader: most front matter is a handful of `key: value` lines, and the full YAML
 * reader costs tens of microseconds a file, which a monorepo of thousands of entries notices.
 */
function fastFrontMatter(text: string): ParsedArtefact | undefined {
  const opening = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (opening === null) return undefined;
  const start = opening[0].length;
  const close = /^(?:---|\.\.\.)[ \t]*\r?$/m;
  const rest = text.slice(start);
  const match = close.exec(rest);
  if (match === null) return undefined;
  const yamlText = rest.slice(0, match.index);
  const parsed = fastYaml(yamlText, 1);
  if (parsed === undefined) return undefined;
  const yamlLines = yamlText === '' ? 0 : yamlText.split('\n').length - 1;
  const afterClose = rest.indexOf('\n', match.index);
  return {
    documents: [{ value: parsed.value, locator: parsed }],
    problems: [],
    frontMatter: true,
    body: afterClose === -1 ? '' : rest.slice(afterClose + 1),
    bodyLine: yamlLines + 3,
  };
}
