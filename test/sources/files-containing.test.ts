import { describe, expect, it } from 'vitest';
import { openLocalSnapshot } from '../../src/sources/local.js';
import { commitAll, initRepo, useTempDirs, writeFiles } from '../support/cli.js';

const tempDir = useTempDirs('openly-containing-');
const TAG = 'SPDX-License-Identifier:';
/** The compiled grep worker: run from the TypeScript source, the snapshot has none beside it. */
const WORKER = new URL('../../lib/sources/grep-worker.js', import.meta.url);

function repository(): string {
  const dir = tempDir();
  initRepo(dir);
  writeFiles(dir, {
    'src/a.ts': `// ${TAG} MIT\nexport const a = 1;\n`,
    'src/b.ts': "const url = 'https://example.gov.uk';\n",
    'src/c.ts': 'export const c = 3;\n',
    'src/d.ts': `// ${TAG} MIT\nconst hook = 'https://hooks.example.gov.uk';\n`,
  });
  commitAll(dir);
  return dir;
}

describe('LocalSnapshot.filesContaining', () => {
  it('lists the files holding any of the strings, with git grep', () => {
    const snapshot = openLocalSnapshot(repository(), { grepAhead: false });
    expect(snapshot.filesContaining(['://', 'never-there'])).toEqual({
      paths: ['src/b.ts', 'src/d.ts'],
      complete: true,
    });
  });

  it('answers from the grep-ahead when its strings were searched in the same pass, and grep still sees only its own', () => {
    const snapshot = openLocalSnapshot(repository(), {
      grepAhead: { needle: TAG, minIndexBytes: 0, worker: WORKER },
      alsoGrepAhead: ['://'],
    });
    expect(snapshot.grep(TAG).matches.map((m) => `${m.path}:${m.line}`)).toEqual([
      'src/a.ts:1',
      'src/d.ts:1',
    ]);
    expect(snapshot.filesContaining(['://'])).toEqual({ paths: ['src/b.ts', 'src/d.ts'], complete: true });
    // A string the grep-ahead did not look for is searched for afresh.
    expect(snapshot.filesContaining(['export const'])!.paths).toEqual(['src/a.ts', 'src/c.ts']);
  });

  it('has no quicker way in a plain folder: the caller reads the files', () => {
    const dir = tempDir();
    writeFiles(dir, { 'a.txt': 'https://example.gov.uk\n' });
    expect(openLocalSnapshot(dir).filesContaining(['://'])).toBeUndefined();
  });
});
