/**
 * Just enough of GitHub's table grammar to check a document's tables: a table is a header row, a delimiter row,
 * then rows until a blank line; a cell ends at a `|` that no backslash escapes.
 */
export function splitRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\' && i + 1 < line.length) {
      cell += ch + line[i + 1]!;
      i++;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  // The leading and trailing pipes open and close the row; they bound no cell.
  return cells.slice(1, -1);
}

export interface Table {
  header: string[];
  rows: string[][];
}

export function tablesOf(markdown: string): Table[] {
  const lines = markdown.split('\n');
  const tables: Table[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (lines[i]!.startsWith('|') && /^\|( *:?-+:? *\|)+$/.test(lines[i + 1]!)) {
      const table: Table = { header: splitRow(lines[i]!), rows: [] };
      i += 2;
      while (i < lines.length && lines[i] !== '') table.rows.push(splitRow(lines[i++]!));
      tables.push(table);
    }
  }
  return tables;
}
