import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const spdx = (id: string) =>
  (
    JSON.parse(readFileSync(join(ROOT, 'node_modules/spdx-license-list/spdx-full.json'), 'utf8')) as Record<
      string,
      { licenseText: string }
    >
  )[id]!.licenseText;

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

/** A real git repository in a temp folder, committed. */
function makeRepo(files: Record<string, string>, options: { git?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'openly-cli-'));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  if (options.git !== false) {
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.email', 'dev@example.gov.uk');
    git(dir, 'config', 'user.name', 'Dev');
    git(dir, 'config', 'commit.gpgsign', 'false');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'First commit');
  }
  return dir;
}

const MIT = spdx('MIT').replace(
  '<year> <copyright holders>',
  '2025 Crown Copyright (Government Digital Service)',
);

const HEALTHY = {
  LICENCE: MIT,
  'README.md':
    '# Bin days\n\nTells residents which day their bins are collected. Beta.\n\n## Licence\n\nMIT — see LICENCE.\n',
  'CONTRIBUTING.md': '# Contributing\n\nRaise an issue, then a pull request.\n',
  'SECURITY.md': '# Security\n\nReport vulnerabilities to security@example.gov.uk.\n',
  'CODE_OF_CONDUCT.md': '# Code of conduct\n\nBe kind. Tell conduct@example.gov.uk about problems.\n',
};

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function run(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  stdout.isTTY = options.tty ?? false;
  const code = await main(argv, { stdout, stderr, cwd: options.cwd ?? ROOT, env: options.env ?? {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

interface JsonReport {
  repository: { path: string; head: string | null };
  summary: { errors: number; warnings: number; notices: number; checks: number };
  results: Array<{
    check: string;
    status: string;
    findings: Array<{
      rule: string;
      severity: string;
      message: string;
      path?: string;
      line?: number;
      fix?: string;
    }>;
    data?: {
      licences?: Array<{ path: string; spdx: string | null; confidence: number; scope: string | null }>;
    };
  }>;
}

describe('openly check', () => {
  it('passes a healthy git repository (exit 0) and reports its HEAD and licence in JSON', async () => {
    const repo = makeRepo(HEALTHY);
    const { code, stdout } = await run(['check', repo, '--format', 'json']);
    const report = JSON.parse(stdout) as JsonReport;
    expect(code).toBe(0);
    expect(report.repository.head).toBe(git(repo, 'rev-parse', 'HEAD'));
    expect(report.summary.errors).toBe(0);
    const licence = report.results.find((r) => r.check === 'licence')!;
    expect(licence.data!.licences).toEqual([
      expect.objectContaining({ path: 'LICENCE', spdx: 'MIT', scope: '**' }),
    ]);
    expect(licence.data!.licences![0]!.confidence).toBeGreaterThan(0.9);
  });

  it('fails (exit 1) when a required file is missing, and says how to fix it', async () => {
    const { SECURITY: _s, ...files } = { ...HEALTHY, SECURITY: '' };
    const repo = makeRepo({ ...files, 'SECURITY.md': '# Security\n\nTell us privately.\n' });
    const { code, stdout } = await run(['check', repo, '--format', 'json']);
    expect(code).toBe(1);
    const findings = (JSON.parse(stdout) as JsonReport).results.flatMap((r) => r.findings);
    expect(findings).toContainEqual(
      expect.objectContaining({ rule: 'community-files/security', severity: 'error', path: 'SECURITY.md' }),
    );
  });

  it('checks new files that are not committed yet, and not ignored ones', async () => {
    const { LICENCE: _l, ...rest } = HEALTHY;
    const repo = makeRepo({ ...rest, '.gitignore': 'scratch/\n' });
    writeFileSync(join(repo, 'LICENCE'), MIT);
    mkdirSync(join(repo, 'scratch'));
    writeFileSync(join(repo, 'scratch/LICENSE'), spdx('GPL-3.0-only'));
    const report = JSON.parse((await run(['check', repo, '--format', 'json'])).stdout) as JsonReport;
    const licences = report.results.find((r) => r.check === 'licence')!.data!.licences!;
    expect(licences.map((l) => l.path)).toEqual(['LICENCE']);
  });

  it('checks a plain folder that is not a git repository (head null)', async () => {
    const dir = makeRepo(HEALTHY, { git: false });
    const { code, stdout } = await run(['check', dir, '--format', 'json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as JsonReport).repository.head).toBeNull();
  });

  it('reads .github/openly.yml, and stops with exit 2 and file:line:column on an unknown key', async () => {
    const repo = makeRepo({
      ...HEALTHY,
      '.github/openly.yml': 'licence:\n  level: error\n  alowed: [MIT]\n',
    });
    const { code, stdout, stderr } = await run(['check', repo]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('.github/openly.yml:3:3');
    expect(stderr).toMatch(/alowed/);
    expect(stderr).toMatch(/allowed/);
  });

  it('says, at its line, that an _extends base is not applied offline, and still judges the repository', async () => {
    const repo = makeRepo({
      ...HEALTHY,
      '.github/openly.yml': '# our rules\n_extends: nhs-digital/.github\ncommunity-files: warning\n',
    });
    const { code, stdout, stderr } = await run(['check', repo, '--format', 'json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as JsonReport).summary.errors).toBe(0);
    expect(stderr).toContain('.github/openly.yml:2: _extends: "nhs-digital/.github" is not followed offline');
    const plain = await run(['check', makeRepo(HEALTHY)]);
    expect(plain.stderr).not.toContain('_extends');
  });

  it('reports broken YAML with its position (exit 2)', async () => {
    const repo = makeRepo({ ...HEALTHY, '.github/openly.yml': 'licence:\n  allowed: ["MIT\n' });
    const { code, stderr } = await run(['check', repo]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/\.github\/openly\.yml:\d+:\d+/);
  });

  it('takes --config from outside the repository, relative to the working directory', async () => {
    const repo = makeRepo(HEALTHY);
    const elsewhere = makeRepo(
      { 'strict.yml': 'rules:\n  community-files/codeowners: error\n' },
      { git: false },
    );
    const { code, stdout } = await run(['check', repo, '--config', 'strict.yml', '--format', 'json'], {
      cwd: elsewhere,
    });
    expect(code).toBe(1);
    const findings = (JSON.parse(stdout) as JsonReport).results.flatMap((r) => r.findings);
    expect(findings.map((f) => f.rule)).toContain('community-files/codeowners');

    const missing = await run(['check', repo, '--config', 'nope.yml'], { cwd: elsewhere });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yml');
  });

  it('prints text for a person: grouped by check, with the fix, colour only on a terminal without NO_COLOR', async () => {
    const repo = makeRepo({ ...HEALTHY, 'SECURITY.md': '# Security\n\nTell us privately.\n' });
    const plain = await run(['check', repo]);
    expect(plain.code).toBe(1);
    expect(plain.stdout).toContain('SECURITY.md');
    expect(plain.stdout).toMatch(/fix/i);
    expect(plain.stdout).not.toContain('\x1b[');

    expect((await run(['check', repo], { tty: true })).stdout).toContain('\x1b[');
    expect((await run(['check', repo], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
  });

  it('prints SARIF 2.1.0 and Markdown', async () => {
    const repo = makeRepo({ ...HEALTHY, 'SECURITY.md': '# Security\n\nTell us privately.\n' });
    const sarif = JSON.parse((await run(['check', repo, '--format', 'sarif'])).stdout) as {
      version: string;
      runs: Array<{ results: Array<{ ruleId: string }> }>;
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain('community-files/security');
    const markdown = (await run(['check', repo, '--format', 'markdown'])).stdout;
    expect(markdown).toContain('community-files/security');
    expect(markdown).toMatch(/^\|/m);
  });

  it.each([
    [['check', '--format', 'xml'], /unknown format "xml"/],
    [['check', '--colour'], /colour/],
    [['check', 'a', 'b'], /one PATH/],
    [['init', 'a', 'b'], /init takes one PATH, got 2: a b/],
    [['audit', 'platform'], /Unexpected argument 'platform'/],
    [['audit', '--org', 'platform', '--colour'], /Unknown option '--colour'/],
    [['frobnicate'], /unknown command/],
    [['check', '/definitely/not/here'], /not\/here/],
  ])('exits 2 with a message for bad usage: %j', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('shows help and version', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('openly check [PATH]');
    expect((await run(['check', '--help'])).stdout).toContain('--format');
    expect((await run(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('finds the deliberate problems in the bundled example', async () => {
    const { code, stdout } = await run(['check', 'examples/clinic-finder', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as JsonReport;
    const rules = report.results.flatMap((r) => r.findings.map((f) => f.rule));
    expect(rules).toEqual(
      expect.arrayContaining([
        'community-files/security',
        'community-files/code-of-conduct',
        'licence/path',
        'artefacts/schema',
        'artefacts/overdue',
      ]),
    );
    const licences = report.results.find((r) => r.check === 'licence')!.data!.licences!;
    expect(licences).toContainEqual(expect.objectContaining({ path: 'LICENCE', spdx: 'MIT', scope: '**' }));
    // README's "Try it" tells a newcomer what to expect: keep the two in step.
    expect(report.summary).toMatchObject({ errors: 4, warnings: 2 });
  });
});

describe('openly check --range', () => {
  it('judges the signatures of the commits in the range, and names the unsigned one', async () => {
    const repo = makeRepo(HEALTHY);
    writeFileSync(join(repo, 'NOTES.md'), 'notes\n');
    git(repo, 'add', 'NOTES.md');
    git(repo, 'commit', '-qm', 'Add notes from the show and tell');
    const { code, stdout } = await run(['check', repo, '--range', 'HEAD~1..HEAD', '--format', 'json']);
    expect(code).toBe(1);
    const result = (JSON.parse(stdout) as JsonReport).results.find((r) => r.check === 'signed-commits')!;
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.rule).toBe('signed-commits/unsigned');
    expect(result.findings[0]!.message).toContain(git(repo, 'rev-parse', '--short=7', 'HEAD'));
    expect(result.findings[0]!.message).toContain('Add notes from the show and tell');
  });

  it('skips the signature check, rather than passing it, when there is no range to judge', async () => {
    const repo = makeRepo(HEALTHY);
    const report = JSON.parse((await run(['check', repo, '--format', 'json'])).stdout) as JsonReport;
    expect(report.results.find((r) => r.check === 'signed-commits')!.status).toBe('skip');
  });

  it.each([
    ['a range git does not know', 'nope..HEAD', true],
    ['a range in a folder that is not a repository', 'HEAD~1..HEAD', false],
  ])('exits 2 for %s', async (_what, range, isGit) => {
    const dir = makeRepo(HEALTHY, { git: isGit });
    const { code, stderr } = await run(['check', dir, '--range', range]);
    expect(code).toBe(2);
    expect(stderr).toContain(range);
  });
});

describe('the openly binary', () => {
  it('runs as a separate process from the built code, with the exit status as its contract', () => {
    const repo = makeRepo({ ...HEALTHY, 'SECURITY.md': '# Security\n\nTell us privately.\n' });
    const result = spawnSync(process.execPath, [join(ROOT, 'bin/openly.js'), 'check', '--format', 'json'], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as JsonReport).repository.path).toBe('.');
  });
});
