import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toJson } from '../../src/core/report.js';
import {
  pageFiles,
  pagesAsRecorded,
  pagesCommitMessage,
  statusFiles,
  writeStatusFiles,
} from '../../src/sinks/status-files.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import { buildGovernanceStatus, type GovernanceStatus } from '../../src/status/model.js';
import { sampleReport } from './report-fixture.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function status(generatedAt = '2026-11-23T10:30:00.000Z'): GovernanceStatus {
  return buildGovernanceStatus({
    report: sampleReport(),
    snapshot: new MemorySnapshot({ 'README.md': '# Covid app\n' }),
    repository: { fullName: 'nhsx/covid-app', url: 'https://github.com/nhsx/covid-app', sha: 'a'.repeat(40) },
    generatedAt,
  });
}

/** A workspace with a folder beside it where nothing may be written. */
function workspace(): { root: string; outside: string } {
  const dir = mkdtempSync(join(tmpdir(), 'openly-status-files-'));
  made.push(dir);
  const root = join(dir, 'workspace');
  const outside = join(dir, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  return { root, outside };
}

describe('statusFiles', () => {
  it('are the page, its badge and the whole report, which parses back to the report', () => {
    const files = statusFiles(status(), sampleReport());
    expect(Object.keys(files)).toEqual(['index.html', 'status.json', 'report.json']);
    expect(files['index.html']).toContain('nhsx/covid-app');
    expect(JSON.parse(files['status.json']!)).toMatchObject({ schemaVersion: 1, label: 'openly' });
    expect(JSON.parse(files['report.json']!)).toEqual(JSON.parse(JSON.stringify(toJson(sampleReport()))));
  });
});

describe('pagesAsRecorded', () => {
  it('remakes the page and badge at the time the last status page commit records', () => {
    const earlier = status('2026-11-20T08:00:00.000Z');
    const now = status();
    const message = pagesCommitMessage(earlier, 'abcdef1234567890');
    expect(message).toBe('Openly status of abcdef1: fail\n\nOpenly-Generated-At: 2026-11-20T08:00:00.000Z\n');
    expect(pagesAsRecorded(now, message)).toEqual(pageFiles(earlier));
    expect(pageFiles(now)['index.html']).not.toBe(pageFiles(earlier)['index.html']);
  });

  it.each([
    ['a commit of someone else', 'Update the status page by hand\n'],
    ['a time that is not one', 'Openly status of abcdef1: pass\n\nOpenly-Generated-At: yesterday\n'],
  ])('knows nothing from %s', (_what, message) => {
    expect(pagesAsRecorded(status(), message)).toBeUndefined();
  });
});

describe('writeStatusFiles', () => {
  it('makes the folder where missing and writes every file', () => {
    const { root } = workspace();
    const written = writeStatusFiles(root, 'site/status', {
      'index.html': '<p>ok</p>\n',
      'status.json': '{}\n',
    });
    expect(written).toEqual({
      names: ['index.html', 'status.json'],
      dir: join(root, 'site/status'),
      problems: [],
    });
    expect(readFileSync(join(root, 'site/status/index.html'), 'utf8')).toBe('<p>ok</p>\n');
  });

  it('refuses a linked file and still writes the others', () => {
    const { root, outside } = workspace();
    mkdirSync(join(root, 'openly-status'));
    writeFileSync(join(outside, 'report.json'), 'theirs\n');
    symlinkSync(join(outside, 'report.json'), join(root, 'openly-status', 'report.json'));
    const written = writeStatusFiles(root, 'openly-status', {
      'index.html': 'page\n',
      'report.json': 'ours\n',
    });
    expect(written.names).toEqual(['index.html']);
    expect(written.problems).toHaveLength(1);
    expect(written.problems[0]).toContain('report.json');
    expect(readFileSync(join(outside, 'report.json'), 'utf8')).toBe('theirs\n');
  });

  it('refuses a folder behind a link whole, naming it, and makes nothing there', () => {
    const { root, outside } = workspace();
    symlinkSync(outside, join(root, 'public'));
    const written = writeStatusFiles(root, 'public/status', { 'index.html': 'page\n' });
    expect(written.names).toEqual([]);
    expect(written.dir).toBe(join(root, 'public/status'));
    expect(written.problems).toEqual([expect.stringMatching(/public.*; no status files were written$/)]);
    expect(() => lstatSync(join(outside, 'status'))).toThrow();
  });
});
