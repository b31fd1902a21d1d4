import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { communityFilesCheck } from '../../src/checks/community-files.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import type { Level } from '../../src/core/check.js';
import { runChecks } from '../../src/core/engine.js';
import { MemorySnapshot, type MemoryFiles } from '../../src/sources/memory.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/community-files/${name}`, import.meta.url), 'utf8');

const GOOD: MemoryFiles = {
  'README.md': fixture('real-README.md'),
  'CONTRIBUTING.md': '# Contributing\n\nOpen an issue first, then a pull request.\n',
  'SECURITY.md': '# Security\n\nEmail security@example.gov.uk to report a vulnerability.\n',
  'CODE_OF_CONDUCT.md': '# Code of conduct\n\nBe kind. Report problems to conduct@example.gov.uk.\n',
};

async function judge(files: MemoryFiles, rules: Record<string, Level> = {}) {
  const config: ResolvedConfig = { levels: {}, options: { 'community-files': {} }, rules, sources: [] };
  const report = await runChecks({
    snapshot: new MemorySnapshot(files),
    checks: [communityFilesCheck],
    config,
  });
  return report.results[0]!;
}

describe('community-files', () => {
  it('passes a repository that has every file, and leaves CODEOWNERS alone by default', async () => {
    const result = await judge(GOOD);
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
    expect(result.data).toMatchObject({ files: { readme: 'README.md', security: 'SECURITY.md' } });
  });

  it.each([
    ['README.md', 'community-files/readme', 'error'],
    ['CONTRIBUTING.md', 'community-files/contributing', 'error'],
    ['SECURITY.md', 'community-files/security', 'error'],
    ['CODE_OF_CONDUCT.md', 'community-files/code-of-conduct', 'warning'],
  ])('reports a missing %s as %s (%s) with a fix', async (missing, rule, severity) => {
    const files = { ...GOOD };
    delete files[missing];
    const result = await judge(files);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ rule, severity, check: 'community-files' });
    expect(result.findings[0]!.path).toBeUndefined();
    expect(result.findings[0]!.fix).toContain(missing.replace('.md', ''));
  });

  it.each([
    ['.github/CONTRIBUTING.md'],
    ['docs/contributing.md'],
    ['Contributing.rst'],
    ['.github/contributing'],
  ])('finds contribution guidance at %s, where GitHub looks', async (path) => {
    const files = { ...GOOD };
    delete files['CONTRIBUTING.md'];
    files[path] = 'Open an issue, then a pull request.';
    expect((await judge(files)).findings).toEqual([]);
  });

  it('does not count a CONTRIBUTING file in some other folder', async () => {
    const files = { ...GOOD };
    delete files['CONTRIBUTING.md'];
    files['packages/api/CONTRIBUTING.md'] = 'Open an issue, then a pull request.';
    const result = await judge(files);
    expect(result.findings.map((f) => f.rule)).toEqual(['community-files/contributing']);
  });

  it.each([
    ['github-new-repo-README.md', 'placeholder'],
    ['gitlab-template-README.md', 'placeholder'],
  ])('calls %s a placeholder', async (name, word) => {
    const result = await judge({ ...GOOD, 'README.md': fixture(name) });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ rule: 'community-files/readme', path: 'README.md', line: 1 });
    expect(result.findings[0]!.message).toContain(word);
  });

  it.each([[''], ['   \n\n'], ['<!-- write something here -->\n'], ['\uFEFF#\n']])(
    'calls a README of %j empty',
    async (text) => {
      const result = await judge({ ...GOOD, 'README.md': text });
      expect(result.findings[0]).toMatchObject({ rule: 'community-files/readme', severity: 'error' });
      expect(result.findings[0]!.message).toContain('empty');
    },
  );

  it('asks a security policy for somewhere to report, and accepts a URL', async () => {
    const bad = await judge({ ...GOOD, 'SECURITY.md': '# Security\n\nPlease tell the team privately.\n' });
    expect(bad.findings).toHaveLength(1);
    expect(bad.findings[0]).toMatchObject({ rule: 'community-files/security', path: 'SECURITY.md' });
    expect(bad.findings[0]!.message).toMatch(/email address or web address/);

    const good = await judge({ ...GOOD, 'SECURITY.md': fixture('SECURITY-with-url.md') });
    expect(good.findings).toEqual([]);
  });

  it('reports a binary community file instead of crashing', async () => {
    const result = await judge({
      ...GOOD,
      'CONTRIBUTING.md': new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1]),
    });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.message).toContain('not a text file');
  });

  it('checks CODEOWNERS when the organisation turns it on, line by line', async () => {
    const missing = await judge(GOOD, { 'community-files/codeowners': 'error' });
    expect(missing.findings.map((f) => f.rule)).toEqual(['community-files/codeowners']);

    const result = await judge(
      { ...GOOD, '.github/CODEOWNERS': fixture('CODEOWNERS') },
      {
        'community-files/codeowners': 'warning',
      },
    );
    expect(result.findings.map((f) => [f.line, f.severity])).toEqual([
      [4, 'warning'],
      [5, 'warning'],
    ]);
    expect(result.findings[0]!.message).toContain('/infrastructure/');
    expect(result.findings[1]!.message).toContain('example-council/platform');
  });

  it('lets configuration switch a rule off or soften it', async () => {
    const files = { ...GOOD };
    delete files['SECURITY.md'];
    delete files['CODE_OF_CONDUCT.md'];
    const result = await judge(files, {
      'community-files/security': 'warning',
      'community-files/code-of-conduct': 'off',
    });
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['community-files/security', 'warning'],
    ]);
    expect(result.status).toBe('warn');
  });
});
