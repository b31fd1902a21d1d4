import { pointerSegments, type Location, type Locator } from '../parse/yaml.js';
import type { ArtefactDocument, ParsedArtefact, ReadProblem } from './parsed.js';
import { groupedPlural } from '../core/words.js';

interface Cell {
  text: string;
  line: number;
  column: number;
}

/**
 * Most rows judged in one register, the first row of column names aside; past this a file is a data dump, not a
 * register a person keeps. The rows after it are still counted, so that the report can say how many went unjudged.
 */
export const MAX_ROWS = 100_000;

/**
 * Splits CSV (RFC 4180: quotes around cells holding the separator, a newline or `""`) or TSV into rows of cells
 * with their positions. Returns a problem for a quote that is never closed.
 */
function cells(
  text: string,
  separator: string,
): { rows: Cell[][]; problem?: ReadProblem; unread?: { rows: number; line: number } } {
  const rows: Cell[][] = [];
  let unread: { rows: number; line: number } | undefined;
  let row: Cell[] = [];
  let line = 1;
  let lineStart = 0;
  let index = text.startsWith('\uFEFF') ? 1 : 0;
  while (index <= text.length) {
    const cellLine = line;
    const column = index - lineStart + 1;
    let value = '';
    if (text.charAt(index) === '"') {
      let cursor = index + 1;
      for (;;) {
        const quote = text.indexOf('"', cursor);
        if (quote === -1) {
          return {
            rows,
            problem: {
              line: cellLine,
              column,
              message:
                'a quoted cell is never closed: add the closing " (write "" for a quote inside a cell)',
            },
          };
        }
        value += text.slice(cursor, quote);
        if (text.charAt(quote + 1) === '"') {
          value += '"';
          cursor = quote + 2;
          continue;
        }
        cursor = quote + 1;
        break;
      }
      for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1)) line += 1;
      if (value.includes('\n')) lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
      const end = nextBreak(text, cursor, separator);
      index = end;
    } else {
      const end = nextBreak(text, index, separator);
      value = text.slice(index, end).replace(/\r$/, '');
      index = end;
    }
    row.push({ text: value, line: cellLine, column });
    const char = text.charAt(index);
    if (char === separator) {
      index += 1;
      continue;
    }
    // End of a line or of the text: the row is done; a last empty line is not a row.
    if (!(row.length === 1 && row[0]?.text === '')) {
      if (rows.length <= MAX_ROWS) rows.push(row);
      else if (unread === undefined) unread = { rows: 1, line: cellLine };
      else unread.rows += 1;
    }
    row = [];
    if (index >= text.length) break;
    index += 1;
    line += 1;
    lineStart = index;
  }
  return unread === undefined ? { rows } : { rows, unread };
}

function nextBreak(text: string, from: number, separator: string): number {
  let end = from;
  while (end < text.length) {
    const char = text.charAt(end);
    if (char === separator || char === '\n') break;
    end += 1;
  }
  return end;
}

class RowLocator implements Locator {
  constructor(
    private readonly row: Cell[],
    private readonly columns: Map<string, number>,
  ) {}

  private at(cell: Cell | undefined, exact: boolean): Location {
    const where = cell ?? this.row[0] ?? { line: 1, column: 1, text: '' };
    return {
      line: where.line,
      column: where.column,
      endLine: where.line,
      endColumn: where.column + where.text.length,
      exact,
    };
  }

  locate(pointer: string): Location {
    const [name] = pointerSegments(pointer);
    if (name === undefined) return this.at(this.row[0], true);
    const index = this.columns.get(name);
    return this.at(index === undefined ? undefined : this.row[index], index !== undefined);
  }

  locateKey(pointer: string): Location {
    return this.locate(pointer);
  }
}

/**
 * Reads a register kept as a table: the first row names the columns, and each further row is one document, a
 * mapping of column name to text. Empty cells are left out, so that `required` in the schema means "filled in".
 */
export function parseTable(text: string, separator: string): ParsedArtefact {
  const { rows, problem, unread } = cells(text, separator);
  if (problem !== undefined) return { documents: [], problems: [problem] };
  const [header, ...body] = rows;
  if (header === undefined) return { documents: [], problems: [] };
  const columns = new Map<string, number>();
  const problems: ReadProblem[] = [];
  header.forEach((cell, index) => {
    const name = cell.text.trim();
    if (columns.has(name)) {
      problems.push({
        line: cell.line,
        column: cell.column,
        message: `the column "${name}" is named twice in the first row; give each column its own name`,
      });
    }
    columns.set(name, index);
  });
  if (problems.length > 0) return { documents: [], problems };
  const documents: ArtefactDocument[] = body.map((row) => {
    const value: Record<string, string> = {};
    header.forEach((cell, index) => {
      const text = row[index]?.text ?? '';
      if (text.trim() !== '') {
        Object.defineProperty(value, cell.text.trim(), { value: text, enumerable: true, writable: true });
      }
    });
    return { value, locator: new RowLocator(row, columns), label: `the row on line ${row[0]?.line ?? 0}` };
  });
  if (unread === undefined) return { documents, problems: [] };
  // Said first, so that no count of problems further down can be read as covering the whole file.
  return {
    documents,
    problems: [
      {
        line: unread.line,
        column: 1,
        message: `only the first ${MAX_ROWS.toLocaleString('en-GB')} rows are checked: the ${groupedPlural(unread.rows, 'row')} from line ${unread.line} on ${unread.rows === 1 ? 'was' : 'were'} not; split the register into files of at most ${MAX_ROWS.toLocaleString('en-GB')} rows`,
      },
    ],
  };
}
