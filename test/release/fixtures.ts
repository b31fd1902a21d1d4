import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { MemorySnapshot } from '../../src/sources/memory.js';

/** Every file under test/fixtures/release/<name>/, by repository path. */
export function fixtureFiles(name: string): Record<string, string> {
  const root = new URL(`../fixtures/release/${name}/`, import.meta.url).pathname;
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

export function fixtureSnapshot(name: string, head: string | null = null): MemorySnapshot {
  return new MemorySnapshot(fixtureFiles(name), { name: 'nhsengland/book-a-vaccination', head });
}
