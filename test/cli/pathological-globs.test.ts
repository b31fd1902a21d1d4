import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import {
  Capture,
  commitAll,
  CROWN_MIT,
  git,
  initRepo,
  ROOT,
  useTempDirs,
  writeFiles,
} from '../support/cli.js';

// A pattern of many stars over a long name that does not match: a backtracking matcher tries every way of
// spreading the 40 letters over the 14 stars (issue 9 measured 143 s for one REUSE.toml line). Each test builds
// a real repository holding such a name, runs `openly check` on it and asserts what it reports.
const STARS = `${'*a'.repeat(13)}*b`;
const MISS = 'a'.repeat(40);
const HIT = `${'a'.repeat(13)}b`;

const tempDir = useTempDirs('openly-globs-');

function makeRepo(files: Record<string, string>): string {
  const dir = tempDir();
  writeFiles(dir, {
    LICENCE: CROWN_MIT,
    'README.md': '# Bin days\n\nTells residents which day their bins are collected.\n\n## Licence\n\nMIT.\n',
    ...files,
  });
  initRepo(dir);
  commitAll(dir, 'First commit');
  return dir;
}

interface Result {
  check: string;
  status: string;
  findings: Array<{ rule: string; message: string; path?: string }>;
  data?: Record<string, unknown>;
}

async function check(repo: string, ...extra: string[]): Promise<Map<string, Result>> {
  const stdout = new Capture();
  const stderr = new Capture();
  await main(['check', repo, '--format', 'json', ...extra], { stdout, stderr, cwd: ROOT, env: {} });
  expect(stderr.text).toBe('');
  const report = JSON.parse(stdout.text) as { results: Result[] };
  return new Map(report.results.map((r) => [r.check, r]));
}

const requireOgl = (glob: string) => `licence:\n  paths:\n    - path: "${glob}"\n      licence: OGL-UK-3.0\n`;

const notes = { [`docs/${MISS}`]: 'Notes.\n', [`docs/${HIT}`]: 'Notes.\n' };

/** The licence/path finding's message, which names the files not under the required licence. */
function pathFinding(results: Map<string, Result>): string {
  const findings = results.get('licence')!.findings.filter((f) => f.rule === 'licence/path');
  expect(findings).toHaveLength(1);
  return findings[0]!.message;
}

describe('globs of many stars finish and decide', () => {
  it('in a REUSE.toml annotation', async () => {
    const repo = makeRepo({
      ...notes,
      'REUSE.toml': `version = 1\n\n[[annotations]]\npath = "docs/${STARS}"\nSPDX-FileCopyrightText = "2025 Crown Copyright"\nSPDX-License-Identifier = "OGL-UK-3.0"\n`,
      '.github/openly.yml': requireOgl('docs/**'),
    });
    const message = pathFinding(await check(repo));
    expect(message).toContain(`docs/${MISS}`);
    expect(message).not.toContain(`docs/${HIT}`);
  });

  it('in a .reuse/dep5 stanza', async () => {
    const repo = makeRepo({
      ...notes,
      '.reuse/dep5': `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: docs/${STARS}\nCopyright: 2025 Crown Copyright\nLicense: OGL-UK-3.0\n`,
      '.github/openly.yml': requireOgl('docs/**'),
    });
    const message = pathFinding(await check(repo));
    expect(message).toContain(`docs/${MISS}`);
    expect(message).not.toContain(`docs/${HIT}`);
  });

  it('in licence.paths', async () => {
    const repo = makeRepo({ ...notes, '.github/openly.yml': requireOgl(`docs/${STARS}`) });
    const message = pathFinding(await check(repo));
    expect(message).toContain(`docs/${HIT}`);
    expect(message).not.toContain(`docs/${MISS}`);
  });

  it('in exclude', async () => {
    const repo = makeRepo({
      ...notes,
      '.github/openly.yml': `exclude:\n  - "docs/${STARS}"\n${requireOgl('docs/**')}`,
    });
    const message = pathFinding(await check(repo));
    expect(message).toContain(`docs/${MISS}`);
    expect(message).not.toContain(`docs/${HIT}`);
  });

  it('in an artefacts path', async () => {
    const weeknote = '---\ntitle: Week 1\ndate: 2025-01-10\n---\n\n# Week 1\n\nWe shipped.\n';
    const repo = makeRepo({
      [`misc/${MISS}.md`]: weeknote,
      [`misc/${HIT}.md`]: weeknote,
      '.github/openly.yml': `artefacts:\n  - path: "misc/${STARS}.md"\n    type: weeknote\n`,
    });
    const artefacts = (await check(repo)).get('artefacts')!.data!.artefacts as Array<{ path: string }>;
    expect(artefacts.map((a) => a.path)).toEqual([`misc/${HIT}.md`]);
  });

  it('in signed-commits exempt', async () => {
    const repo = makeRepo({ '.github/openly.yml': `signed-commits:\n  exempt:\n    - "${STARS}"\n` });
    for (const name of [MISS, HIT]) {
      writeFileSync(join(repo, `${name}.txt`), 'x\n');
      git(repo, 'add', '-A');
      git(repo, '-c', `user.name=${name}`, 'commit', '-qm', `Add ${name}`);
    }
    const signed = (await check(repo, '--range', 'HEAD~2..HEAD')).get('signed-commits')!;
    expect(signed.data).toMatchObject({ commits: 2, exempt: 1 });
    expect(signed.findings.map((f) => f.rule)).toEqual(['signed-commits/unsigned']);
    expect(signed.findings[0]!.message).toContain(`Add ${MISS}`);
  });
});

describe('braces past the bound', () => {
  it('are a configuration error at their line, not a hang', async () => {
    const repo = makeRepo({
      '.github/openly.yml': `licence: error\nexclude:\n  - "${'{a,b}'.repeat(11)}"\n`,
    });
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(['check', repo], { stdout, stderr, cwd: ROOT, env: {} });
    expect(code).toBe(2);
    expect(stderr.text).toContain('.github/openly.yml:3');
    expect(stderr.text).toContain('expands to more than 1024 patterns');
  });
});
