import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import spdxFull from 'spdx-license-list/full.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'licence-check');

/** A fixture folder as snapshot files: repository-relative POSIX path → text. */
export function readFixture(name: string): Record<string, string> {
  const root = join(FIXTURES, name);
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[relative(root, full).split('\\').join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

/** The full text of an SPDX licence, as published on the SPDX list, optionally with a copyright line on top. */
export function licenceText(id: string, copyright?: string): string {
  const entry = (spdxFull as Record<string, { licenseText: string } | undefined>)[id];
  if (entry === undefined) throw new Error(`no SPDX text for ${id}`);
  return copyright === undefined ? entry.licenseText : `${copyright}\n\n${entry.licenseText}`;
}
