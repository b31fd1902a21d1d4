import { readFileSync } from 'node:fs';
import { Kind, parse, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  FILES_TEMPLATE,
  FOLDERS_TEMPLATE,
  REPOSITORIES_QUERY,
  filesQuery,
  foldersQuery,
} from '../../src/org/queries.js';
import { foldersToList, placeOf } from '../../src/org/folders.js';
import { batchReads, BYTES_PER_READ, FILES_PER_READ, REPOSITORIES_PER_READ } from '../../src/org/read.js';
import type { ListedRepository } from '../../src/org/list.js';
import { graphqlDocumentErrors, validateGraphqlRequest } from '../support/github-schemas.js';

const squeeze = (text: string) =>
  text
    .replace(/#[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();

function repo(name: string, sizes: Record<string, number>): ListedRepository {
  return {
    name,
    visibility: 'public',
    archived: false,
    fork: false,
    defaultBranch: 'main',
    head: 'a'.repeat(40),
    pushedAt: null,
    sizes: new Map(Object.entries(sizes)),
    links: new Set(),
    folders: new Set(),
    unlisted: new Set(),
  };
}

/**
 * The nodes a query may return as GitHub counts them for its 500,000 limit, and its cost in points: each
 * connection's `first` times the `first` of every connection above it; the cost is the number of connections
 * GitHub must fill (one per parent node) over 100, at least 1.
 */
function nodeLimits(query: string): { nodes: number; cost: number } {
  const document = parse(query);
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  let nodes = 0;
  let requests = 0;
  const walk = (set: SelectionSetNode | undefined, parents: number): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FRAGMENT_SPREAD)
        walk(fragments.get(selection.name.value)?.selectionSet, parents);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, parents);
      else {
        const first = selection.arguments?.find((a) => a.name.value === 'first')?.value;
        if (first?.kind === Kind.INT) {
          requests += parents;
          nodes += parents * Number(first.value);
          walk(selection.selectionSet, parents * Number(first.value));
        } else walk(selection.selectionSet, parents);
      }
    }
  };
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  walk(operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet : undefined, 1);
  return { nodes, cost: Math.max(1, Math.round(requests / 100)) };
}

describe("the audit's GraphQL documents", () => {
  it("the listing of 100 repositories, their branches' rules included, stays far below GitHub's node limit at about 1 point", () => {
    expect(nodeLimits(REPOSITORIES_QUERY)).toEqual({ nodes: 100 + 100 * 100, cost: 1 });
  });

  it('the listing query is one GitHub accepts, with its variables', () => {
    expect(graphqlDocumentErrors(REPOSITORIES_QUERY)).toEqual([]);
    validateGraphqlRequest(REPOSITORIES_QUERY, { org: 'nhs-digital-team', cursor: null, withBase: true });
    validateGraphqlRequest(REPOSITORIES_QUERY, {
      org: 'nhs-digital-team',
      cursor: 'Y3Vyc29y',
      withBase: false,
    });
  });

  it('the batched files query is the template repeated, and GitHub accepts any batch of it', () => {
    expect(squeeze(filesQuery([1]))).toBe(squeeze(FILES_TEMPLATE));
    const query = filesQuery([2, 3]);
    expect(graphqlDocumentErrors(query)).toEqual([]);
    validateGraphqlRequest(query, {
      org: 'nhs-digital-team',
      n0: 'booking',
      e0_0: 'HEAD:LICENCE',
      e0_1: 'HEAD:README.md',
      n1: 'triage',
      e1_0: 'HEAD:README.md',
      e1_1: 'HEAD:.github/openly.yml',
      e1_2: 'HEAD:docs/SECURITY.md',
    });
  });

  it('the batched folders query is the template repeated, and GitHub accepts any batch of it', () => {
    expect(squeeze(foldersQuery([1]))).toBe(squeeze(FOLDERS_TEMPLATE));
    const query = foldersQuery([2, 1]);
    expect(graphqlDocumentErrors(query)).toEqual([]);
    validateGraphqlRequest(query, {
      org: 'nhs-digital-team',
      n0: 'booking',
      e0_0: 'HEAD:docs/adr',
      e0_1: 'HEAD:app/posts',
      n1: 'triage',
      e1_0: 'HEAD:governance',
    });
    // Tree entries are lists: listing folders costs no nodes and no points.
    expect(nodeLimits(query)).toEqual({ nodes: 0, cost: 1 });
  });

  it('every .graphql file of the audit is valid on its own or as a fragment of these', () => {
    for (const name of ['org-repositories', 'org-files', 'org-folders']) {
      const text = readFileSync(new URL(`../../src/org/github/${name}.graphql`, import.meta.url), 'utf8');
      expect([REPOSITORIES_QUERY, FILES_TEMPLATE, FOLDERS_TEMPLATE].some((q) => q.includes(text))).toBe(true);
    }
  });
});

describe('read batches', () => {
  it('hold at most 50 repositories, 300 files and 8 MiB, and never split a repository', () => {
    const many = Array.from({ length: 120 }, (_, i) => ({
      repo: repo(`r${i}`, { 'README.md': 100, LICENCE: 1000 }),
      paths: ['README.md', 'LICENCE'],
    }));
    expect(batchReads(many).map((b) => b.length)).toEqual([REPOSITORIES_PER_READ, REPOSITORIES_PER_READ, 20]);

    const wide = Array.from({ length: 40 }, (_, i) => {
      const sizes = Object.fromEntries(Array.from({ length: 10 }, (_, f) => [`LICENSES/L${f}.txt`, 10]));
      return { repo: repo(`w${i}`, sizes), paths: Object.keys(sizes) };
    });
    const files = batchReads(wide).map((b) => b.reduce((n, r) => n + r.paths.length, 0));
    expect(Math.max(...files)).toBeLessThanOrEqual(FILES_PER_READ);
    expect(files.reduce((a, b) => a + b, 0)).toBe(400);

    const heavy = Array.from({ length: 10 }, (_, i) => ({
      repo: repo(`h${i}`, { 'README.md': 900_000 }),
      paths: ['README.md'],
    }));
    const bytes = batchReads(heavy).map((b) => b.length * 900_000);
    expect(Math.max(...bytes)).toBeLessThanOrEqual(BYTES_PER_READ);

    expect(batchReads([{ repo: repo('none', {}), paths: [] }])).toEqual([]);
  });
});

describe('artefact folders to list', () => {
  it('are the plain folders before each wildcard, only where the listing shows the way to them', () => {
    expect(placeOf('docs/adr/*.md')).toEqual({ folder: 'docs/adr', levels: 1 });
    expect(placeOf('app/posts/**/[0-9]*.md')).toEqual({ folder: 'app/posts', levels: Infinity });
    expect(placeOf('roadmap.yaml')).toEqual({ folder: '', levels: 1 });
    const listed = repo('forms', { 'README.md': 10 });
    for (const folder of ['ADR', 'docs', 'docs/architecture', 'catalogue']) listed.folders.add(folder);
    const plan = foldersToList(
      listed,
      [
        'ADR/*.md',
        'adr/*.md',
        'docs/architecture/decisions/*.md',
        'docs/roadmap.yaml',
        'catalogue/services.yaml',
        'catalogue/data/*.yaml',
        'roadmap.yaml',
      ],
      new Set(),
    );
    // docs/roadmap.yaml and roadmap.yaml are in folders the listing shows; catalogue/data is within catalogue's levels.
    expect(plan).toEqual({ folders: ['ADR', 'catalogue', 'docs/architecture/decisions'] });
    expect(foldersToList(listed, ['**/*.adr.md'], new Set()).wholeTree).toBe('**/*.adr.md');
  });
});
