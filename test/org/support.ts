import { readFileSync } from 'node:fs';
import { CROWN_MIT } from '../support/cli.js';
import type { FakeRepo } from './fake-org.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/org/${name}`, import.meta.url), 'utf8');
}

/** Every file a repository needs to pass the licence and community-files checks. */
export const COMPLIANT_FILES: Record<string, string> = {
  'README.md': fixture('README.md'),
  LICENCE: CROWN_MIT,
  'CONTRIBUTING.md': fixture('CONTRIBUTING.md'),
  '.github/SECURITY.md': fixture('SECURITY.md'),
  'docs/CODE_OF_CONDUCT.md': fixture('CODE_OF_CONDUCT.md'),
  'src/index.ts': 'export const answer = 42;\n',
};

export function compliant(name: string, extra: Partial<FakeRepo> = {}): FakeRepo {
  return { name, files: { ...COMPLIANT_FILES }, ...extra };
}

/** Without a licence file: fails `licence/missing`. */
export function unlicensed(name: string): FakeRepo {
  const { LICENCE: _licence, ...files } = COMPLIANT_FILES;
  return { name, files };
}

/** RFC 4180 CSV, as a spreadsheet reads it: quoted cells may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
