/**
 * The snapshot wrappers (exclusions, commits learnt apart, the engine's watch) pass on what they do not change:
 * a check that asks a wrapped snapshot for the last changes, the raw bytes or the unreadable folders gets the
 * source's answer, not silence.
 */
import { describe, expect, it } from 'vitest';
import { withoutExcluded } from '../../src/core/excluded.js';
import { delegate } from '../../src/core/snapshot-view.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import type { CommitInfo, LastChange, RepoSnapshot } from '../../src/sources/snapshot.js';
import { withCommits } from '../../src/sources/with-commits.js';

const commit: CommitInfo = {
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  message: 'Add the triage notes',
  author: { name: 'Priya Shah', email: 'priya.shah@nhs.net' },
  committer: { name: 'Priya Shah', email: 'priya.shah@nhs.net' },
  parents: 1,
  signature: { verified: true, reason: 'valid', signedByGitHub: false },
};

/** A source with every optional method, each answering something a test can recognise. */
function fullSource(): RepoSnapshot {
  const files = new MemorySnapshot(
    { 'README.md': '# Triage\n', 'vendor/lib.js': 'SPDX-License-Identifier: MIT\n' },
    { name: 'nhs-digital/triage', head: 'f00d' },
  );
  return Object.assign(files, {
    commits: () => [commit],
    additions: () => [{ sha: commit.sha, path: 'README.md', runs: [{ line: 1, text: '# Triage' }] }],
    filesContaining: () => ({ paths: ['README.md', 'vendor/lib.js'], complete: true }),
    unreadableFolders: () => [{ path: 'secrets', reason: 'permission denied' }],
    lastChanges: (paths: readonly string[]) =>
      new Map<string, LastChange | null>(paths.map((path) => [path, { sha: commit.sha, order: 0 }])),
  });
}

describe('delegate', () => {
  it('answers as the snapshot under it for every method it is not told to change', () => {
    const source = fullSource();
    const view = delegate(source, { read: () => () => ({ kind: 'missing' }) });

    expect(view.name).toBe('nhs-digital/triage');
    expect(view.head).toBe('f00d');
    expect(view.read('README.md')).toEqual({ kind: 'missing' });
    expect(view.files()).toEqual(['README.md', 'vendor/lib.js']);
    expect(view.commits?.()).toEqual([commit]);
    expect(view.unreadableFolders?.()).toEqual([{ path: 'secrets', reason: 'permission denied' }]);
    expect(view.lastChanges?.(['README.md'])?.get('README.md')).toEqual({ sha: commit.sha, order: 0 });
    expect(view.bytes?.('README.md')).toEqual(Buffer.from('# Triage\n'));
  });

  it('leaves out an optional method the snapshot lacks, so a check can tell it is not there', () => {
    const view = delegate(new MemorySnapshot({ 'README.md': '# Triage\n' }));

    expect('commits' in view).toBe(false);
    expect('lastChanges' in view).toBe(false);
    expect('filesContaining' in view).toBe(false);
  });
});

describe('the wrappers pass on what they do not change', () => {
  it('withoutExcluded hides the excluded files and still gives the commits, last changes and unreadable folders', () => {
    const view = withoutExcluded(fullSource(), ['vendor/**']);

    expect(view.files()).toEqual(['README.md']);
    expect(view.filesContaining?.(['SPDX'])?.paths).toEqual(['README.md']);
    expect(view.bytes?.('vendor/lib.js')).toBeUndefined();
    expect(view.commits?.()).toEqual([commit]);
    expect(view.lastChanges?.(['README.md'])?.get('README.md')).toEqual({ sha: commit.sha, order: 0 });
    expect(view.unreadableFolders?.()).toEqual([{ path: 'secrets', reason: 'permission denied' }]);
  });

  it('withCommits gives its own commits and the source’s files, bytes, last changes and search', () => {
    const view = withCommits(fullSource(), []);

    expect(view.commits?.()).toEqual([]);
    // The source's additions belong to other commits than those given.
    expect('additions' in view).toBe(false);
    expect(view.filesContaining?.(['SPDX'])?.paths).toEqual(['README.md', 'vendor/lib.js']);
    expect(view.bytes?.('vendor/lib.js')).toEqual(Buffer.from('SPDX-License-Identifier: MIT\n'));
    expect(view.lastChanges?.(['vendor/lib.js'])?.get('vendor/lib.js')).toEqual({
      sha: commit.sha,
      order: 0,
    });
    expect(view.unreadableFolders?.()).toEqual([{ path: 'secrets', reason: 'permission denied' }]);
    expect(view.repository).toBeUndefined();
  });
});
