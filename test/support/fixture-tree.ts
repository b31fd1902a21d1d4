import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every file under a fixture folder (under test/fixtures/), keyed by its path inside that folder with `/`
 * separators: a fixture repository as a snapshot or a GitHub mock sees it.
 */
export function fixtureTree(folder: string): Record<string, string> {
  const root = fileURLToPath(new URL(`../fixtures/${folder}/`, import.meta.url));
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(root, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(root);
  return files;
}
