import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalSnapshot } from '../../src/sources/local.js';
import { MAX_TEXT_BYTES } from '../../src/sources/snapshot.js';

// A grep started ahead, in a worker thread, must give exactly what the grep run on demand gives.

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore' });
}

function repo(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'openly-ahead-'));
  made.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.gov.uk');
  git(dir, 'config', 'core.autocrlf', 'false');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'test');
  return dir;
}

const TAG = 'SPDX-License-Identifier:';
/** The compiled worker: run from its TypeScript source, `local.ts` has none beside it (`npm run build` first). */
const WORKER = new URL('../../lib/sources/grep-worker.js', import.meta.url);
const AHEAD = { grepAhead: { needle: TAG, minIndexBytes: 0, worker: WORKER } } as const;
const ON_DEMAND = { grepAhead: false } as const;

const FILES: Record<string, string | Uint8Array> = {
  'a.ts': `// ${TAG} MIT\n`,
  'b/c.py': `#!/usr/bin/env python\n# ${TAG} Apache-2.0\n`,
  'b/late.md': `${'line\n'.repeat(40)}${TAG} MIT\n`,
  'windows.md': `\ufeffLine\r\n${TAG} MIT\r\n`,
  'big.txt': Buffer.concat([Buffer.from(`${TAG} MIT\n`), Buffer.alloc(MAX_TEXT_BYTES, 0x61)]),
  'latin1.txt': Buffer.from(`${TAG} Caf\xe9\n`, 'latin1'),
  'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]),
  'packages/app/x.ts': `// ${TAG} OGL-UK-3.0\n// ${TAG} MIT\n`,
  'packages/app/y.ts': 'export {};\n',
};

describe('grep started ahead', () => {
  it('runs the compiled worker module', () => {
    expect(existsSync(WORKER)).toBe(true);
  });

  it("takes the worker's reply as the grep's answer", () => {
    const dir = repo(FILES);
    // A worker that answers "no match" without running git: the snapshot must take its word.
    const stub = join(mkdtempSync(join(tmpdir(), 'openly-worker-')), 'grep-worker.js');
    made.push(dirname(stub));
    writeFileSync(
      stub,
      [
        "import { workerData } from 'node:worker_threads';",
        'const { port, done } = workerData;',
        'port.postMessage({ failed: false, status: 1, stdout: new Uint8Array(0), stderrBytes: 0, large: [] });',
        'Atomics.store(done, 0, 1);',
        'Atomics.notify(done, 0);',
        '',
      ].join('\n'),
    );
    const grepAhead = { needle: TAG, minIndexBytes: 0, worker: pathToFileURL(stub) };
    expect(openLocalSnapshot(dir, { grepAhead }).grep(TAG).matches).toEqual([]);
    expect(openLocalSnapshot(dir, ON_DEMAND).grep(TAG).matches).not.toEqual([]);
  });

  it('greps on demand when the worker file is missing', () => {
    const dir = repo(FILES);
    const worker = pathToFileURL(join(dir, 'no-such-worker.js'));
    const snapshot = openLocalSnapshot(dir, { grepAhead: { needle: TAG, minIndexBytes: 0, worker } });
    expect(snapshot.grep(TAG)).toEqual(openLocalSnapshot(dir, ON_DEMAND).grep(TAG));
  });

  it('finds what an on-demand grep finds, with or without maxLines', () => {
    const dir = repo(FILES);
    for (const maxLines of [undefined, 1, 30]) {
      const options = maxLines === undefined ? {} : { maxLines };
      const expected = openLocalSnapshot(dir, ON_DEMAND).grep(TAG, options);
      expect(openLocalSnapshot(dir, AHEAD).grep(TAG, options)).toEqual(expected);
    }
    expect(openLocalSnapshot(dir, AHEAD).grep(TAG).complete).toBe(false);
  });

  it('agrees in a snapshot of a folder inside the work tree', () => {
    const dir = join(repo(FILES), 'packages/app');
    const expected = openLocalSnapshot(dir, ON_DEMAND).grep(TAG);
    expect(expected.matches.map((m) => m.path)).toEqual(['x.ts', 'x.ts']);
    expect(openLocalSnapshot(dir, AHEAD).grep(TAG)).toEqual(expected);
  });

  it('sees files as they are on disk, and untracked files', () => {
    const dir = repo(FILES);
    writeFileSync(join(dir, 'a.ts'), `// ${TAG} GPL-3.0-only\n`);
    writeFileSync(join(dir, 'new.ts'), `// ${TAG} MIT\n`);
    const expected = openLocalSnapshot(dir, ON_DEMAND).grep(TAG);
    expect(expected.matches.map((m) => m.path)).toContain('new.ts');
    expect(openLocalSnapshot(dir, AHEAD).grep(TAG)).toEqual(expected);
  });

  it('leaves other needles to an on-demand grep, and a second grep too', () => {
    const dir = repo(FILES);
    const snapshot = openLocalSnapshot(dir, AHEAD);
    const onDemand = openLocalSnapshot(dir, ON_DEMAND);
    expect(snapshot.grep('Line')).toEqual(onDemand.grep('Line'));
    expect(snapshot.grep(TAG)).toEqual(onDemand.grep(TAG));
    expect(snapshot.grep(TAG)).toEqual(onDemand.grep(TAG));
  });

  it('falls back to reading files when git cannot be run', () => {
    const dir = repo(FILES);
    const expected = openLocalSnapshot(dir, ON_DEMAND).grep(TAG);
    const snapshot = openLocalSnapshot(dir, { ...AHEAD, git: 'openly-no-such-git' });
    expect(snapshot.kind).toBe('folder');
    expect(snapshot.grep(TAG).matches).toEqual(expected.matches);
  });
});
