/**
 * Writing inside a root without following links, on real folders, links, hard links and FIFOs in a temp dir.
 */
import { execFileSync } from 'node:child_process';
import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkInside,
  folderInside,
  partsInside,
  UnsafePathError,
  writeInside,
} from '../../src/sinks/safe-write.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp dir holding `workspace` (the root) and `outside` (where nothing may be written). */
function layout(): { root: string; outside: string } {
  const dir = mkdtempSync(join(tmpdir(), 'openly-safe-write-'));
  made.push(dir);
  const root = join(dir, 'workspace');
  const outside = join(dir, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, 'deploy.sh'), 'echo deploy\n');
  return { root, outside };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UnsafePathError) return error.message;
    throw error;
  }
  throw new Error('not refused');
}

describe('partsInside', () => {
  it.each([
    ['.', []],
    ['openly-status', ['openly-status']],
    ['site//public/./status/', ['site', 'public', 'status']],
    ['site/../status', ['status']],
    ['..status', ['..status']],
  ])('%j stays inside as %j', (given, parts) => {
    expect(partsInside('/work/space', given)).toEqual(parts);
  });

  it.each(['..', '../other', 'site/../../other', '/etc'])('%j is outside', (given) => {
    expect(refusal(() => partsInside('/work/space', given))).toBe(`${given} is outside the workspace`);
  });
});

describe('folderInside and writeInside', () => {
  it('makes the missing folders and writes real files, replacing a longer old file whole', () => {
    const { root } = layout();
    const folder = folderInside(root, 'site/public/status');
    expect(folder.path).toBe('site/public/status');
    expect(writeInside(folder, 'report.json', 'x'.repeat(100))).toBe('site/public/status/report.json');
    expect(writeInside(folder, 'report.json', '{}\n')).toBe('site/public/status/report.json');
    expect(readFileSync(join(root, 'site', 'public', 'status', 'report.json'), 'utf8')).toBe('{}\n');
  });

  it('accepts a root that is itself a link, as a runner may give (the root is not the repository’s)', () => {
    const { root, outside } = layout();
    const linkedRoot = join(outside, '..', 'linked-workspace');
    symlinkSync(root, linkedRoot);
    writeInside(folderInside(linkedRoot, 'status'), 'index.html', '<html></html>');
    expect(readFileSync(join(root, 'status', 'index.html'), 'utf8')).toBe('<html></html>');
  });

  it('refuses a link anywhere below the root, making nothing behind it', () => {
    const { root, outside } = layout();
    symlinkSync(outside, join(root, 'site'));
    expect(refusal(() => folderInside(root, 'site/status'))).toBe(
      `site is a symbolic link (to ${JSON.stringify(outside)}); Openly follows no link inside the workspace`,
    );
    expect(readdirSync(outside)).toEqual(['deploy.sh']);
  });

  it('refuses a file where a folder should be', () => {
    const { root } = layout();
    writeFileSync(join(root, 'site'), 'not a folder');
    expect(refusal(() => folderInside(root, 'site/status'))).toBe('site is not a folder');
  });

  it.each([
    [
      'a link to a file',
      (dir: string, outside: string) => symlinkSync(join(outside, 'deploy.sh'), join(dir, 'report.json')),
      /^status\/report\.json is a symbolic link \(to ".*deploy\.sh"\); .*, so it was not written$/,
    ],
    [
      'a dangling link',
      (dir: string, outside: string) => symlinkSync(join(outside, 'new.sh'), join(dir, 'report.json')),
      /^status\/report\.json is a symbolic link/,
    ],
    [
      'a hard link',
      (dir: string, outside: string) => linkSync(join(outside, 'deploy.sh'), join(dir, 'report.json')),
      /^status\/report\.json has 1 other hard link, which writing would change too$/,
    ],
    ['a folder', (dir: string) => mkdirSync(join(dir, 'report.json')), /^status\/report\.json is a folder/],
    [
      'a FIFO nobody reads, which would otherwise block the step',
      (dir: string) => execFileSync('mkfifo', [join(dir, 'report.json')]),
      /^status\/report\.json is not a regular file/,
    ],
  ])('refuses %s at the file’s name and leaves what lies behind it alone', (_what, plant, message) => {
    const { root, outside } = layout();
    const folder = folderInside(root, 'status');
    plant(folder.absolute, outside);
    expect(refusal(() => writeInside(folder, 'report.json', 'overwritten'))).toMatch(message);
    expect(readdirSync(outside)).toEqual(['deploy.sh']);
    expect(readFileSync(join(outside, 'deploy.sh'), 'utf8')).toBe('echo deploy\n');
  });

  it.each(['', '.', '..', '../report.json', 'a/b'])('refuses %j as a file name', (name) => {
    const { root } = layout();
    expect(refusal(() => writeInside(folderInside(root, 'status'), name, 'x'))).toMatch(
      /is not a file name$/,
    );
  });

  it('refuses to write when the folder checked was swapped for a link before the write', () => {
    const { root, outside } = layout();
    const folder = folderInside(root, 'status');
    renameSync(folder.absolute, join(root, 'status-old'));
    symlinkSync(outside, folder.absolute);
    expect(refusal(() => writeInside(folder, 'deploy.sh', 'overwritten'))).toBe(
      'status/deploy.sh changed while it was being opened, so it was not written',
    );
    expect(readFileSync(join(outside, 'deploy.sh'), 'utf8')).toBe('echo deploy\n');
  });
});

describe('checkInside', () => {
  it('returns a real file or folder reached through real folders', () => {
    const { root } = layout();
    mkdirSync(join(root, 'ci'));
    writeFileSync(join(root, 'ci', 'openly.yml'), 'licence: {}\n');
    expect(checkInside(root, 'ci/openly.yml', 'file')).toBe(join(root, 'ci', 'openly.yml'));
    expect(checkInside(root, 'ci', 'folder')).toBe(join(root, 'ci'));
    expect(checkInside(root, '.', 'folder')).toBe(root);
  });

  it.each([
    ['ci/openly.yml', 'file', 'ci is a symbolic link'],
    ['ci', 'folder', 'ci is a symbolic link'],
    ['ci/missing.yml', 'file', 'ci is a symbolic link'],
    ['docs', 'folder', 'docs does not exist'],
    ['plain.txt', 'folder', 'plain.txt is not a folder'],
    ['plain.txt/x', 'file', 'plain.txt is not a folder'],
    ['.', 'file', '. is not a file'],
  ] as const)('refuses %j as a %s: %s', (given, kind, message) => {
    const { root, outside } = layout();
    writeFileSync(join(outside, 'openly.yml'), 'licence: {}\n');
    symlinkSync(outside, join(root, 'ci'));
    writeFileSync(join(root, 'plain.txt'), 'text');
    expect(refusal(() => checkInside(root, given, kind))).toContain(message);
    expect(lstatSync(join(root, 'ci')).isSymbolicLink()).toBe(true);
  });
});
