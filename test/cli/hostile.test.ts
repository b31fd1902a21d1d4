import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, CROWN_MIT, git, initRepo, runCli, useTempDirs, writeFiles } from '../support/cli.js';

/** The shape of a token actions/checkout leaves in .git/config; the test fails if any report carries it. */
const TOKEN = 'ghs_0penlyTestToken7Fq2ZkPzW9rN3vXyB1';

const tempDir = useTempDirs('openly-hostile-');
const MIT = CROWN_MIT;

/** A healthy repository: every check passes, so anything else in a report comes from what a test adds. */
function healthyRepo(extra: Record<string, string> = {}): string {
  const dir = tempDir();
  writeFiles(dir, {
    LICENCE: MIT,
    'README.md':
      '# Bin days\n\nTells residents which day their bins are collected.\n\n## Licence\n\nMIT, see LICENCE.\n',
    'CONTRIBUTING.md': '# Contributing\n\nRaise an issue, then a pull request.\n',
    'SECURITY.md': '# Security\n\nReport vulnerabilities to security@example.gov.uk.\n',
    'CODE_OF_CONDUCT.md': '# Code of conduct\n\nBe kind. Tell conduct@example.gov.uk about problems.\n',
    ...extra,
  });
  initRepo(dir);
  return dir;
}

const run = (argv: string[]) => runCli(argv);

interface JsonReport {
  results: Array<{
    check: string;
    status: string;
    findings: Array<{ rule: string; severity: string; message: string; path?: string }>;
  }>;
}

describe('a checkout whose links lead to the job token', () => {
  /** As actions/checkout leaves it, with the links a hostile pull request could add. */
  function tokenCheckout(): string {
    const dir = healthyRepo({
      '.gitignore': '.env\n',
      '.env': `GITHUB_TOKEN=${TOKEN}\n`,
      'docs/config': 'x\n',
    });
    symlinkSync('.git/config', join(dir, 'roadmap.yaml'));
    symlinkSync('.env', join(dir, 'notes.md'));
    symlinkSync('../.env', join(dir, 'docs/risks.yaml'));
    commitAll(dir);
    git(dir, 'config', 'http.https://github.com/.extraheader', `AUTHORIZATION: basic ${TOKEN}`);
    rmSync(join(dir, 'docs'), { recursive: true });
    symlinkSync('.git', join(dir, 'docs'));
    return dir;
  }

  for (const format of ['text', 'json', 'sarif', 'markdown'] as const) {
    it(`never shows the token in ${format}`, async () => {
      const dir = tokenCheckout();
      // The token is there to be found: git itself reads it through the links.
      expect(readFileSync(join(dir, 'roadmap.yaml'), 'utf8')).toContain(TOKEN);
      const result = await run(['check', dir, '--format', format]);
      expect(result.stdout + result.stderr).not.toContain(TOKEN);
      expect(result.stdout + result.stderr).not.toContain('extraheader');
      expect(result.stdout).toContain('roadmap.yaml');
      expect(result.stdout).toContain('symbolic link to a file outside the files judged');
    });
  }

  it('says why the linked roadmap was not read, as a finding on that file', async () => {
    const result = await run(['check', tokenCheckout(), '--format', 'json']);
    const report = JSON.parse(result.stdout) as JsonReport;
    const artefacts = report.results.find((r) => r.check === 'artefacts')!;
    const onRoadmap = artefacts.findings.filter((f) => f.path === 'roadmap.yaml');
    expect(onRoadmap).toHaveLength(1);
    expect(onRoadmap[0]!.message).toContain('symbolic link to a file outside the files judged');
  });
});

describe('a configuration file that is a link', () => {
  it('is not read when it leads to an ignored file, and its text is not quoted', async () => {
    const dir = healthyRepo({ '.gitignore': '.env\n', '.env': `licence: [${TOKEN}\n` });
    mkdirSync(join(dir, '.github'));
    symlinkSync('../.env', join(dir, '.github/openly.yml'));
    commitAll(dir);
    const result = await run(['check', dir, '--format', 'json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      'openly: .github/openly.yml: cannot be read: symbolic link to a file outside the files judged',
    );
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('is not read when it leads outside the repository, whose path is not named either', async () => {
    const outside = tempDir();
    writeFiles(outside, { 'secret.yml': `password: ${TOKEN}\nnot yaml: [\n` });
    const dir = healthyRepo();
    mkdirSync(join(dir, '.github'));
    symlinkSync(join(outside, 'secret.yml'), join(dir, '.github/openly.yml'));
    commitAll(dir);
    const result = await run(['check', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('symbolic link to a file outside the files judged');
    expect(result.stderr).not.toContain(TOKEN);
    expect(result.stderr).not.toContain(outside);
  });

  it('is not read through a linked .github folder', async () => {
    const outside = tempDir();
    writeFiles(outside, { 'openly.yml': `licence: ${TOKEN}\n` });
    const dir = healthyRepo();
    symlinkSync(outside, join(dir, '.github'));
    commitAll(dir);
    const result = await run(['check', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('.github/openly.yml: is not one of the files being judged');
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('is read through a link to another file being judged, and from --config wherever the user puts it', async () => {
    const dir = healthyRepo({ 'config/openly.yml': 'licence: warning\n' });
    mkdirSync(join(dir, '.github'));
    symlinkSync('../config/openly.yml', join(dir, '.github/openly.yml'));
    commitAll(dir);
    const linked = await run(['check', dir]);
    expect(linked.stderr).toContain('openly: configuration from .github/openly.yml');
    expect(linked.code).toBe(0);
    const elsewhere = tempDir();
    writeFiles(elsewhere, { 'mine.yml': 'licence: [\n' });
    const given = await run(['check', dir, '--config', join(elsewhere, 'mine.yml')]);
    expect(given.code).toBe(2);
    expect(given.stderr).toContain('mine.yml:');
  });
});

describe('folders and repositories that cannot be judged as they are', () => {
  it('says a folder too deep to open was not checked, and no check that reads files passes silently', async () => {
    const dir = healthyRepo();
    commitAll(dir);
    const name = 'n'.repeat(200);
    execFileSync('bash', [
      '-c',
      `cd "$1" && mkdir vendor && cd vendor && for i in $(seq 1 25); do mkdir ${name} && cd ${name}; done && echo 'GPL' > LICENSE`,
      'nest',
      dir,
    ]);
    const result = await run(['check', dir, '--format', 'json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    const byCheck = Object.fromEntries(report.results.map((r) => [r.check, r]));
    for (const check of ['licence', 'community-files', 'artefacts']) {
      expect(byCheck[check]!.status, check).toBe('warn');
      const notices = byCheck[check]!.findings.filter((f) => f.rule === 'snapshot/unreadable-folder');
      expect(notices).toHaveLength(1);
      expect(notices[0]!.severity).toBe('notice');
      expect(notices[0]!.message).toMatch(
        /^The folder vendor\/[n/]+…[n/]+\/ could not be read \(its path is too long to open\), so the files in it were not checked\.$/,
      );
    }
    // Judging commits reads no file: nothing hidden changes its verdict.
    expect(byCheck['signed-commits']!.findings.map((f) => f.rule)).not.toContain(
      'snapshot/unreadable-folder',
    );
  });

  it('refuses a bare repository with a usage error', async () => {
    const dir = healthyRepo();
    commitAll(dir);
    const bare = join(tempDir(), 'bins.git');
    git(dir, 'clone', '-q', '--bare', dir, bare);
    const result = await run(['check', bare]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `openly: ${bare} is a bare git repository: check out a work tree and give its folder\n`,
    );
  });
});
