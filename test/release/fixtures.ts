import { fixtureTree } from '../support/fixture-tree.js';
import { MemorySnapshot } from '../../src/sources/memory.js';

/** Every file under test/fixtures/release/<name>/, by repository path. */
export function fixtureFiles(name: string): Record<string, string> {
  return fixtureTree(`release/${name}`);
}

export function fixtureSnapshot(name: string, head: string | null = null): MemorySnapshot {
  return new MemorySnapshot(fixtureFiles(name), { name: 'nhsengland/book-a-vaccination', head });
}
