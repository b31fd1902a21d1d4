import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLocalAdditions } from '../../src/sources/local-additions.js';
import { LocalCommitsError } from '../../src/sources/local-commits.js';
import { commitAll, git, initRepo, useTempDirs, writeFiles } from '../support/cli.js';

const tempDir = useTempDirs('openly-additions-');

describe('readLocalAdditions', () => {
  it('gives the added lines of each commit, in runs, with their line numbers in that commit', () => {
    const dir = tempDir();
    initRepo(dir);
    writeFiles(dir, { 'notes.md': 'one\ntwo\nthree\nfour\nfive\n' });
    commitAll(dir, 'First');
    git(dir, 'checkout', '-q', '-b', 'topic');
    writeFiles(dir, { 'notes.md': 'one\nTWO\nthree\nfour\nfive\nsix\nseven' });
    commitAll(dir, 'Edit');
    writeFiles(dir, { 'tab\tand "quote".txt': 'odd name\n', 'café/menü.txt': 'accents\n' });
    writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    commitAll(dir, 'Add files');
    const shas = git(dir, 'rev-list', '--reverse', 'main..topic').split('\n');

    const added = readLocalAdditions(dir, 'main..topic');
    expect(added).toEqual([
      {
        sha: shas[0],
        path: 'notes.md',
        runs: [
          { line: 2, text: 'TWO' },
          { line: 6, text: 'six\nseven' },
        ],
      },
      { sha: shas[1], path: 'café/menü.txt', runs: [{ line: 1, text: 'accents' }] },
      { sha: shas[1], path: 'tab\tand "quote".txt', runs: [{ line: 1, text: 'odd name' }] },
    ]);
  });

  it('counts a line removed in a later commit as added by the earlier one', () => {
    const dir = tempDir();
    initRepo(dir);
    writeFiles(dir, { 'README.md': '# Bins\n' });
    commitAll(dir, 'First');
    writeFiles(dir, { '.env': 'PASSWORD=x\n' });
    commitAll(dir, 'Add');
    git(dir, 'rm', '-q', '.env');
    commitAll(dir, 'Remove');
    expect(readLocalAdditions(dir, 'HEAD~2..HEAD').map((a) => a.path)).toEqual(['.env']);
  });

  it('throws LocalCommitsError for a range git cannot read', () => {
    const dir = tempDir();
    initRepo(dir);
    writeFiles(dir, { 'README.md': '# Bins\n' });
    commitAll(dir, 'First');
    expect(() => readLocalAdditions(dir, 'nothing..HEAD')).toThrow(LocalCommitsError);
  });
});
