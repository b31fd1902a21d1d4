import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitAll, git, initRepo, ROOT, runCli, useTempDirs, writeFiles } from '../support/cli.js';

const tempDir = useTempDirs('openly-init-');

const spdx = (id: string): string =>
  (
    JSON.parse(readFileSync(join(ROOT, 'node_modules/spdx-license-list/spdx-full.json'), 'utf8')) as Record<
      string,
      { licenseText: string }
    >
  )[id]!.licenseText;

const README = [
  '# Bin days',
  '',
  'Tells residents which day their bins are collected. This service is in beta.',
  '',
  '## Licence',
  '',
  'The code is under the MIT licence (see LICENCE); the documentation is under the Open Government Licence v3.0.',
  '',
].join('\n');

const FLAGS = ['--organisation', 'NHS England', '--security-contact', 'security@example.nhs.uk'];

/** A committed git repository holding `files`. */
function repo(files: Record<string, string>): string {
  const dir = tempDir();
  writeFiles(dir, files);
  initRepo(dir);
  commitAll(dir);
  return dir;
}

/** Every file under `dir` except .git, with its text: what a run may have changed. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (path === '.git') continue;
    if (entry.isSymbolicLink()) out[path] = `-> link`;
    else if (entry.isDirectory()) Object.assign(out, tree(dir, path));
    else out[path] = readFileSync(join(dir, path), 'utf8');
  }
  return out;
}

interface JsonResult {
  check: string;
  status: string;
  findings: Array<{ rule: string; message: string }>;
  data?: { licences?: Array<{ path: string; spdx: string | null }> };
}

async function check(dir: string): Promise<JsonResult[]> {
  const run = await runCli(['check', dir, '--format', 'json']);
  return (JSON.parse(run.stdout) as { results: JsonResult[] }).results;
}

function rulesOf(results: JsonResult[]): string[] {
  return results.flatMap((r) => r.findings.map((f) => f.rule));
}

describe('openly init', () => {
  it('writes the missing files, after which the licence and community-files rules it covers pass', async () => {
    const dir = repo({ 'README.md': README });
    const run = await runCli(['init', dir, ...FLAGS]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const path of [
      'LICENCE',
      'CONTRIBUTING.md',
      'SECURITY.md',
      'CODE_OF_CONDUCT.md',
      '.github/openly.yml',
    ]) {
      expect(run.stdout).toContain(`  ${path}  `);
      expect(existsSync(join(dir, path))).toBe(true);
    }
    // The MIT text exactly as SPDX has it, with the fill-in copyright line made the Crown's.
    const year = new Date().getUTCFullYear();
    expect(readFileSync(join(dir, 'LICENCE'), 'utf8')).toBe(
      `${spdx('MIT').replace('<year> <copyright holders>', `${year} Crown Copyright (NHS England)`)}\n`,
    );
    expect(readFileSync(join(dir, 'SECURITY.md'), 'utf8')).toContain('security@example.nhs.uk');
    expect(readFileSync(join(dir, 'CONTRIBUTING.md'), 'utf8')).not.toMatch(/\{\{/);

    const results = await check(dir);
    const licence = results.find((r) => r.check === 'licence')!;
    expect(licence.status).toBe('pass');
    expect(licence.data?.licences).toEqual([expect.objectContaining({ path: 'LICENCE', spdx: 'MIT' })]);
    expect(results.find((r) => r.check === 'community-files')?.status).toBe('pass');
    expect(rulesOf(results)).toEqual([]);
    // The configuration written is valid and is the one the check now reads.
    expect(results.map((r) => r.check)).not.toContain('config');
  });

  it('adds the OGL for documentation where the policy asks for it, and the check then passes with Crown copyright required', async () => {
    const dir = repo({
      'README.md': README,
      'docs/guide.md': '# How to use the service\n',
      '.github/openly.yml':
        'licence:\n  paths:\n    - path: "docs/**"\n      licence: OGL-UK-3.0\nrules:\n  licence/crown-copyright: error\n',
    });
    const run = await runCli(['init', dir, ...FLAGS]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('LICENCE-OGL.md');
    expect(readFileSync(join(dir, 'LICENCE-OGL.md'), 'utf8')).toContain(spdx('OGL-UK-3.0'));
    expect(readFileSync(join(dir, 'LICENSES/OGL-UK-3.0.txt'), 'utf8')).toBe(`${spdx('OGL-UK-3.0')}\n`);
    const reuse = readFileSync(join(dir, 'REUSE.toml'), 'utf8');
    expect(reuse).toContain('path = ["docs/**"]');
    expect(reuse).toContain('SPDX-License-Identifier = "OGL-UK-3.0"');
    // The repository's own configuration is kept.
    expect(run.stdout).not.toContain('.github/openly.yml');

    const results = await check(dir);
    const licence = results.find((r) => r.check === 'licence')!;
    expect(licence.findings).toEqual([]);
    expect(licence.status).toBe('pass');
    expect(licence.data?.licences?.map((l) => l.spdx)).toContain('OGL-UK-3.0');
  });

  it('with --licence OGL-UK-3.0 writes the OGL as LICENCE and nothing more for the documentation', async () => {
    const dir = repo({
      'README.md': README.replace('MIT', 'OGL v3.0'),
      '.github/openly.yml': 'licence:\n  paths:\n    - path: "docs/**"\n      licence: OGL-UK-3.0\n',
    });
    const run = await runCli(['init', dir, ...FLAGS, '--licence', 'OGL-UK-3.0']);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'LICENCE-OGL.md'))).toBe(false);
    expect(existsSync(join(dir, 'REUSE.toml'))).toBe(false);
    const licence = (await check(dir)).find((r) => r.check === 'licence')!;
    expect(licence.status).toBe('pass');
    expect(licence.data?.licences).toEqual([
      expect.objectContaining({ path: 'LICENCE', spdx: 'OGL-UK-3.0' }),
    ]);
  });

  it('--licence writes another allowed licence, exact, with the Crown line above it', async () => {
    const dir = repo({
      'README.md': README.replace('MIT', 'Apache-2.0'),
      '.github/openly.yml': 'rules:\n  licence/crown-copyright: error\n',
    });
    const run = await runCli(['init', dir, ...FLAGS, '--licence', 'apache-2.0']);
    expect(run.code).toBe(0);
    const year = new Date().getUTCFullYear();
    expect(readFileSync(join(dir, 'LICENCE'), 'utf8')).toBe(
      `Copyright (c) ${year} Crown Copyright (NHS England)\n\n${spdx('Apache-2.0')}\n`,
    );
    const licence = (await check(dir)).find((r) => r.check === 'licence')!;
    expect(licence.findings).toEqual([]);
    expect(licence.data?.licences).toEqual([
      expect.objectContaining({ path: 'LICENCE', spdx: 'Apache-2.0' }),
    ]);
  });

  it('--dry-run lists what it would write and writes nothing', async () => {
    const dir = repo({ 'README.md': README });
    const before = tree(dir);
    const run = await runCli(['init', dir, ...FLAGS, '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Would write 5 files');
    expect(run.stdout).toContain(
      '  LICENCE  the MIT licence, with a Crown copyright line naming NHS England',
    );
    expect(run.stdout).toContain('  .github/openly.yml  ');
    expect(tree(dir)).toEqual(before);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('is idempotent: a second run writes nothing and says so', async () => {
    const dir = repo({ 'README.md': README });
    expect((await runCli(['init', dir, ...FLAGS])).code).toBe(0);
    const after = tree(dir);
    // Without flags too: nothing left to write needs a value.
    const again = await runCli(['init', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing to write/);
    expect(tree(dir)).toEqual(after);
  });

  it('never overwrites a file, nor writes beside one the checks accept under another name', async () => {
    const dir = repo({
      'README.md': README,
      'LICENSE.md': spdx('MIT').replace('<year> <copyright holders>', '2024 Crown Copyright (NHS England)'),
      '.github/SECURITY.md': '# Security\n\nTell security@example.nhs.uk.\n',
      'docs/CONTRIBUTING.md': '# Contributing\n\nOpen an issue first.\n',
      'CODE-OF-CONDUCT.txt': 'Be kind.\n',
      '.github/openly.yaml': 'licence: error\n',
    });
    const before = tree(dir);
    const run = await runCli(['init', dir, ...FLAGS]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Nothing to write/);
    expect(tree(dir)).toEqual(before);
  });

  it('leaves a file the check finds wanting as it is, and says what to change', async () => {
    const dir = repo({ 'README.md': README, 'SECURITY.md': '# Security\n\nAsk the team.\n' });
    const run = await runCli(['init', dir, ...FLAGS]);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'SECURITY.md'), 'utf8')).toBe('# Security\n\nAsk the team.\n');
    expect(run.stderr).toContain('SECURITY.md gives no email address or web address');
    expect(run.stderr).toContain('It was left alone');
    expect(run.stdout).not.toContain('SECURITY.md');
  });

  it('does not overwrite a file git ignores', async () => {
    const dir = repo({ 'README.md': README, '.gitignore': 'CONTRIBUTING.md\n' });
    writeFiles(dir, { 'CONTRIBUTING.md': 'Our own words, not yet committed.\n' });
    const run = await runCli(['init', dir, ...FLAGS]);
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'CONTRIBUTING.md'), 'utf8')).toBe('Our own words, not yet committed.\n');
    expect(run.stderr).toContain('CONTRIBUTING.md is there (git ignores it), so it was left alone.');
  });

  it('refuses to write through a symbolic link out of the repository, and still writes the rest', async () => {
    const outside = tempDir();
    const dir = repo({ 'README.md': README });
    symlinkSync(outside, join(dir, '.github'));
    const run = await runCli(['init', dir, ...FLAGS]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\.github is a symbolic link .*nothing was written there/);
    expect(readdirSync(outside)).toEqual([]);
    expect(lstatSync(join(dir, '.github')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(dir, 'LICENCE'))).toBe(true);
  });

  describe("an organisation's own templates (--templates)", () => {
    function orgRepo(templates: Record<string, string>): string {
      const dir = tempDir();
      writeFiles(
        dir,
        Object.fromEntries(
          Object.entries(templates).map(([name, text]) => [`openly/templates/${name}`, text]),
        ),
      );
      return dir;
    }

    it('uses the organisation template where there is one, and the built-in one elsewhere', async () => {
      const org = orgRepo({
        'CONTRIBUTING.md': '# Contributing to {{ organisation }} projects\n\nSee our playbook. ({{year}})\n',
        'NOTES.md': 'not a template\n',
      });
      const dir = repo({ 'README.md': README });
      const run = await runCli(['init', dir, ...FLAGS, '--templates', org]);
      expect(run.code).toBe(0);
      expect(readFileSync(join(dir, 'CONTRIBUTING.md'), 'utf8')).toBe(
        `# Contributing to NHS England projects\n\nSee our playbook. (${new Date().getUTCFullYear()})\n`,
      );
      expect(run.stdout).toContain(`contribution guidance (from ${org}/openly/templates/CONTRIBUTING.md)`);
      expect(run.stdout).toContain('code of conduct (from built-in CODE_OF_CONDUCT.md)');
      expect(run.stderr).toContain('openly/templates/NOTES.md is not a template init uses');
    });

    it('refuses a template with a placeholder it does not know, naming the file and line', async () => {
      const org = orgRepo({ 'SECURITY.md': '# Security\n\nWrite to {{securityContact}}.\nTeam: {{team}}\n' });
      const dir = repo({ 'README.md': README });
      const before = tree(dir);
      const run = await runCli(['init', dir, ...FLAGS, '--templates', org]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${org}/openly/templates/SECURITY.md:4: {{team}} is not a placeholder`);
      expect(run.stderr).toContain('nothing was written');
      expect(tree(dir)).toEqual(before);
    });

    it('refuses an OGL template that leaves out the licence text', async () => {
      const org = orgRepo({ 'LICENCE-OGL.md': 'Our documentation is under the OGL.\n' });
      const dir = repo({
        'README.md': README,
        '.github/openly.yml': 'licence:\n  paths:\n    - path: "docs/**"\n      licence: OGL-UK-3.0\n',
      });
      const run = await runCli(['init', dir, ...FLAGS, '--templates', org]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${org}/openly/templates/LICENCE-OGL.md has no {{licenceText}}`);
      expect(existsSync(join(dir, 'LICENCE'))).toBe(false);
    });

    it('says where it looked when the folder is missing', async () => {
      const org = tempDir();
      const dir = repo({ 'README.md': README });
      const run = await runCli(['init', dir, ...FLAGS, '--templates', org]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`no folder ${org}/openly/templates/ was found`);
    });
  });

  describe('bad flags are usage errors (exit 2) that say what to pass, and nothing is written', () => {
    it.each([
      [['--licence', 'mitt'], 'did you mean --licence MIT?'],
      [['--licence', 'Banana-1.0'], '--licence Banana-1.0: not an SPDX licence id'],
      [['--security-contact', 'the security team'], 'not an email address or a web address'],
      [['--force'], "Unknown option '--force'"],
      [['--organisation'], "Option '--organisation <value>' argument missing"],
    ])('%j', async (extra, message) => {
      const dir = repo({ 'README.md': README });
      const before = tree(dir);
      const flags = extra.includes('--organisation') ? extra : [...FLAGS, ...extra];
      const run = await runCli(['init', dir, ...flags]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(message);
      expect(tree(dir)).toEqual(before);
    });

    it('a missing --security-contact when SECURITY.md would be written', async () => {
      const dir = repo({ 'README.md': README });
      const run = await runCli(['init', dir, '--organisation', 'NHS England']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('SECURITY.md needs a value: pass --security-contact');
      expect(existsSync(join(dir, 'LICENCE'))).toBe(false);
    });

    it('a missing --organisation names the files that need it', async () => {
      const dir = repo({ 'README.md': README });
      const run = await runCli(['init', dir, '--security-contact', 'https://example.nhs.uk/security']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/LICENCE, CONTRIBUTING\.md, .* need a value: pass --organisation "NAME"/);
    });

    it('a licence the policy does not allow', async () => {
      const dir = repo({
        'README.md': README,
        '.github/openly.yml': 'licence:\n  allowed: [MIT, OGL-UK-3.0]\n',
      });
      const run = await runCli(['init', dir, ...FLAGS, '--licence', 'GPL-3.0-only']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        '--licence GPL-3.0-only: the licence policy (licence.allowed) does not allow it',
      );
      expect(run.stderr).toContain('pass one of MIT, OGL-UK-3.0');
    });

    it('an invalid configuration, with its file and line', async () => {
      const dir = repo({ 'README.md': README, '.github/openly.yml': 'licence:\n  alowed: [MIT]\n' });
      const run = await runCli(['init', dir, ...FLAGS]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('.github/openly.yml:2');
      expect(existsSync(join(dir, 'LICENCE'))).toBe(false);
    });
  });

  it('has its own --help, and the main help names it', async () => {
    const own = await runCli(['init', '--help']);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain('--security-contact');
    expect(own.stdout).toContain('openly/templates/');
    expect((await runCli(['--help'])).stdout).toContain('openly init [PATH]');
  });

  it('works in a plain folder too', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'docs'));
    writeFiles(dir, { 'README.md': README });
    const run = await runCli(['init', dir, ...FLAGS]);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'LICENCE'))).toBe(true);
  });
});
