import { describe, expect, it } from 'vitest';
import { checks, configOptions } from '../../src/checks/index.js';
import { secretsCheck } from '../../src/checks/secrets/index.js';
import { kindOf, PRESET_RULE_IDS, scanText, TRIGGERS } from '../../src/checks/secrets/scan.js';
import { parseConfig } from '../../src/config/load.js';
import { runChecks } from '../../src/core/engine.js';
import { MemorySnapshot, type MemoryFiles } from '../../src/sources/memory.js';
import type { AddedLines, CommitInfo, RepoSnapshot } from '../../src/sources/snapshot.js';
import { withCommits } from '../../src/sources/with-commits.js';
import { leaks, SAMPLES } from './secrets-samples.js';

async function judge(snapshot: RepoSnapshot, yaml = '', list = [secretsCheck]) {
  const config = parseConfig(yaml, '.github/openly.yml', configOptions());
  return runChecks({ snapshot, checks: list, config });
}

const COMMIT: CommitInfo = {
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  message: 'Add settings',
  author: { name: 'Dev', email: 'dev@example.gov.uk' },
  committer: { name: 'Dev', email: 'dev@example.gov.uk' },
  parents: 1,
  signature: { verified: true, reason: 'valid', signedByGitHub: false },
};

describe('secrets: the files', () => {
  it.each(SAMPLES)('finds $name, naming the file, line and kind, never the secret', async (sample) => {
    const report = await judge(
      new MemorySnapshot({
        'README.md': '# Bins\n',
        'config/settings.env': `# settings\n\n${sample.line}\n`,
      }),
    );
    const result = report.results[0]!;
    expect(result.status).toBe('fail');
    expect(result.findings).toHaveLength(1);
    const finding = result.findings[0]!;
    expect(finding).toMatchObject({ rule: 'secrets/in-tree', path: 'config/settings.env', line: 3 });
    expect(finding.message).toContain(sample.kind);
    expect(finding.fix).toMatch(/revoke/i);
    expect(finding.fix).toContain('git filter-repo');
    expect(finding.fix).toMatch(/does not un-leak/);
    expect(leaks(JSON.stringify(report))).toEqual([]);
  });

  it('passes a repository with none, and says how many files it had to look into', async () => {
    const result = (
      await judge(
        new MemorySnapshot({
          'README.md': '# Bins\n\nSee https://www.gov.uk/bins for collection days.\n',
          'src/app.ts': 'export const secretName = process.env.API_TOKEN;\n',
        }),
      )
    ).results[0]!;
    expect(result.status).toBe('pass');
    expect(result.data).toMatchObject({ files: 2, scanned: 1, secretsInFiles: 0 });
  });

  it('leaves alone the files .secretlintignore lists (gitignore syntax) and those the ignore option names', async () => {
    const [aws, github] = SAMPLES;
    const files: MemoryFiles = {
      '.secretlintignore': '# made-up keys for the tests\ntest/fixtures/*\n!test/fixtures/real.env\n',
      'test/fixtures/keys.env': `${aws!.line}\n`,
      'test/fixtures/real.env': `${aws!.line}\n`,
      'spec/data/token.txt': `${github!.line}\n`,
    };
    const plain = (await judge(new MemorySnapshot(files))).results[0]!;
    expect(plain.findings.map((f) => f.path)).toEqual(['spec/data/token.txt', 'test/fixtures/real.env']);
    const configured = (await judge(new MemorySnapshot(files), 'secrets:\n  ignore: ["spec/**"]\n'))
      .results[0]!;
    expect(configured.findings.map((f) => f.path)).toEqual(['test/fixtures/real.env']);
    expect(configured.data).toMatchObject({ ignored: 2 });
  });

  it("honours secretlint's own disable comments", async () => {
    const [aws] = SAMPLES;
    const text = `# secretlint-disable-next-line\n${aws!.line}\n`;
    expect(await scanText(text, 'example.env')).toEqual([]);
  });

  it('survives a binary file, a 50 MB file and invalid UTF-8, and the other checks still report', async () => {
    const [, github] = SAMPLES;
    const binary = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, ...Buffer.from(github!.line)]);
    const invalid = Buffer.concat([Buffer.from(`${github!.line}\n`), Buffer.from([0xff, 0xfe, 0xc3, 0x28])]);
    const huge = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    const report = await judge(
      new MemorySnapshot({
        'README.md': '# Bins\n',
        'logo.png': binary,
        'latin1.txt': invalid,
        'dump.sql': huge,
      }),
      '',
      checks as never,
    );
    const secrets = report.results.find((r) => r.check === 'secrets')!;
    expect(secrets.status).toBe('pass');
    expect(secrets.data).toMatchObject({ binary: 2, tooLarge: 1 });
    expect(report.results.find((r) => r.check === 'licence')!.status).toBe('fail');
  });

  it('asks the App to fetch the files that usually hold credentials, and .secretlintignore', () => {
    const wanted = secretsCheck.wants!(
      [
        '.env',
        '.env.production',
        '.secretlintignore',
        'README.md',
        'deploy/key.pem',
        'src/app.ts',
        'gcp-service-account.json',
      ],
      { ignore: [] },
    );
    expect(wanted.sort()).toEqual([
      '.env',
      '.env.production',
      '.secretlintignore',
      'deploy/key.pem',
      'gcp-service-account.json',
    ]);
  });
});

describe('secrets: the commits under judgement', () => {
  const [aws, github] = SAMPLES;
  const added = (path: string, line: number, text: string): AddedLines => ({
    sha: COMMIT.sha,
    path,
    runs: [{ line, text }],
  });

  it('finds a secret a commit added and a later one removed, at its line in that commit', async () => {
    const snapshot = withCommits(new MemorySnapshot({ 'README.md': '# Bins\n' }), [COMMIT], () => [
      added('deploy/prod.env', 4, `REGION=eu-west-2\n${aws!.line}`),
    ]);
    const result = (await judge(snapshot)).results[0]!;
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      rule: 'secrets/in-history',
      path: 'deploy/prod.env',
      line: 5,
    });
    expect(result.findings[0]!.message).toContain('Commit a1b2c3d');
    expect(result.findings[0]!.message).toContain('AWS Secret Access Key');
    expect(result.data).toMatchObject({ history: 'scanned', commits: 1, secretsInHistory: 1 });
    expect(leaks(JSON.stringify(result))).toEqual([]);
  });

  it('reports a secret still in the files once, as in the files', async () => {
    const snapshot = withCommits(
      new MemorySnapshot({ 'README.md': '# Bins\n', '.env': `${github!.line}\n` }),
      [COMMIT],
      () => [added('.env', 1, github!.line)],
    );
    const result = (await judge(snapshot)).results[0]!;
    expect(result.findings.map((f) => f.rule)).toEqual(['secrets/in-tree']);
  });

  it('says so when the source has commits but no diffs (the App)', async () => {
    const snapshot = withCommits(new MemorySnapshot({ 'README.md': '# Bins\n' }), [COMMIT]);
    const result = (await judge(snapshot)).results[0]!;
    expect(result.data).toMatchObject({ history: 'not read by this source' });
  });
});

describe('secrets: the rule set', () => {
  it('has triggers for every rule of the recommended preset, so none is skipped by the pre-filter', () => {
    expect(PRESET_RULE_IDS.length).toBeGreaterThan(20);
    expect(PRESET_RULE_IDS.filter((id) => !Object.hasOwn(TRIGGERS, id))).toEqual([]);
  });

  it("names kinds from the rules' own messages", () => {
    expect(kindOf('@secretlint/secretlint-rule-aws', 'AWSSecretAccessKey')).toBe('AWS Secret Access Key');
    expect(kindOf('@secretlint/secretlint-rule-github', 'GITHUB_TOKEN')).toBe('GitHub Token');
    expect(kindOf('@secretlint/secretlint-rule-new', 'X')).toBe('secret (secretlint rule new)');
  });
});
