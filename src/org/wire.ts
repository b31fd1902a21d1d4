import type { ListedRepository } from './list.js';

/** What the listing and the folder lookups found of a repository's tree: Maps and Sets, which JSON has not. */
export type ListedTree = Pick<ListedRepository, 'sizes' | 'links' | 'folders' | 'unlisted'>;

/** A listed tree as JSON carries it, in a queue job or in the audit's kept state. */
export interface WireTree {
  sizes: [string, number][];
  links: string[];
  folders: string[];
  unlisted: string[];
}

/** A listed repository as it travels in a job. */
export interface WireRepository extends Omit<ListedRepository, keyof WireTree>, WireTree {}

export function treeToWire(tree: ListedTree): WireTree {
  return {
    sizes: [...tree.sizes],
    links: [...tree.links],
    folders: [...tree.folders],
    unlisted: [...tree.unlisted],
  };
}

export function treeFromWire(tree: WireTree): ListedTree {
  return {
    sizes: new Map(tree.sizes),
    links: new Set(tree.links),
    folders: new Set(tree.folders),
    unlisted: new Set(tree.unlisted),
  };
}

function strings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Whether a value read back from a file is a listed tree: a damaged one is not trusted. */
export function isWireTree(value: unknown): value is WireTree {
  if (typeof value !== 'object' || value === null) return false;
  const tree = value as Record<string, unknown>;
  return (
    Array.isArray(tree.sizes) &&
    tree.sizes.every(
      (entry) =>
        Array.isArray(entry) &&
        entry.length === 2 &&
        typeof entry[0] === 'string' &&
        typeof entry[1] === 'number',
    ) &&
    strings(tree.links) &&
    strings(tree.folders) &&
    strings(tree.unlisted)
  );
}

export function toWire(repo: ListedRepository): WireRepository {
  return { ...repo, ...treeToWire(repo) };
}

export function fromWire(repo: WireRepository): ListedRepository {
  return { ...repo, ...treeFromWire(repo) };
}
