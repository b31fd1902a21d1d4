import type { ArtefactFormat } from '../config/types.js';
import { parseFrontMatter } from '../parse/front-matter.js';
import { parseYaml, readAllYaml, type Location, type Locator } from '../parse/yaml.js';
import { parseTable } from './table.js';

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

function readYamlDocuments(text: string): ParsedArtefact {
  const docs = readAllYaml(text);
  const problems: ReadProblem[] = [];
  const documents: ArtefactDocument[] = [];
  docs.forEach((doc, index) => {
    const errors = doc.problems.filter((problem) => problem.severity === 'error');
    for (const problem of doc.problems) problems.push(problem);
    // With broken YAML the data is a guess, and schema messages about a guess only confuse.
    if (errors.length > 0 || doc.refused) return;
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
      const front = parseFrontMatter(text);
      const yaml = front.yaml;
      const base = { frontMatter: true, body: front.body, bodyLine: front.bodyLine };
      if (yaml === undefined) return { documents: [], problems: [], ...base };
      const errors = yaml.problems.filter((problem) => problem.severity === 'error');
      if (errors.length > 0 || yaml.refused) {
        return { documents: [], problems: yaml.problems, ...base };
      }
      return { documents: [{ value: yaml.value, locator: yaml }], problems: yaml.problems, ...base };
    }
    case 'yaml':
      return readYamlDocuments(text);
    case 'json':
      return readJson(text);
    case 'csv':
    case 'tsv':
      return parseTable(text, format === 'csv' ? ',' : '\t');
  }
}
