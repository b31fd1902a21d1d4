/**
 * Planted credentials in a real git repository, judged by `openly check` in every output format and rendered by
 * every sink the Action writes: the finding is there, the secret is nowhere.
 */
import { describe, expect, it } from 'vitest';
import { checks, configOptions, ruleCatalogue } from '../../src/checks/index.js';
import { runChecks } from '../../src/core/engine.js';
import { checkRunOutput } from '../../src/sinks/check-run.js';
import { renderJobSummary } from '../../src/sinks/job-summary.js';
import { statusFiles } from '../../src/sinks/status-files.js';
import { findingAnnotations } from '../../src/sinks/workflow-annotations.js';
import { openLocal } from '../../src/sources/open-local.js';
import { buildGovernanceStatus } from '../../src/status/model.js';
import { AWS_KEY_ID, leaks, SAMPLES } from '../checks/secrets-samples.js';
import { commitAll, git, initRepo, runCli, useTempDirs, writeFiles } from '../support/cli.js';

const tempDir = useTempDirs('openly-secrets-');
const [aws, github, slack, key] = SAMPLES;

/**
 * main has a clean README; the feature branch adds a settings file with an AWS key pair and a private key, then
 * removes it and adds a GitHub token and a Slack webhook that stay.
 */
function plantedRepository(): string {
  const dir = tempDir();
  initRepo(dir);
  writeFiles(dir, { 'README.md': '# Bin days\n\nTells residents which day their bins are collected.\n' });
  commitAll(dir, 'First commit');
  git(dir, 'checkout', '-q', '-b', 'feature');
  writeFiles(dir, {
    'deploy/settings.env': `REGION=eu-west-2\naws_access_key_id = ${AWS_KEY_ID}\n${aws!.line}\n`,
    'deploy/id_rsa': `${key!.line}\n`,
  });
  commitAll(dir, 'Add deployment settings');
  git(dir, 'rm', '-q', 'deploy/settings.env', 'deploy/id_rsa');
  writeFiles(dir, {
    'app/config.yml': `name: bins\n${github!.line}\nalerts:\n  ${slack!.line}\n`,
    'test/fixtures/fake.env': `${aws!.line}\n`,
    '.secretlintignore': 'test/fixtures/\n',
  });
  commitAll(dir, 'Move settings to the app');
  return dir;
}

describe('openly check: secrets', () => {
  it('names every planted secret by file, line and kind in every format, and shows none of them', async () => {
    const dir = plantedRepository();
    const json = await runCli(['check', dir, '--range', 'main..feature', '--format', 'json']);
    expect(json.code).toBe(1);
    const result = (
      JSON.parse(json.stdout) as {
        results: Array<{
          check: string;
          findings: Array<{ rule: string; path: string; line: number; message: string }>;
        }>;
      }
    ).results.find((r) => r.check === 'secrets')!;
    expect(result.findings.map((f) => [f.rule, f.path, f.line])).toEqual([
      ['secrets/in-tree', 'app/config.yml', 2],
      ['secrets/in-tree', 'app/config.yml', 4],
      ['secrets/in-history', 'deploy/id_rsa', 1],
      ['secrets/in-history', 'deploy/settings.env', 3],
    ]);
    expect(result.findings.map((f) => f.message.match(/: ([^.]+)\./)?.[1])).toEqual([
      github!.kind,
      slack!.kind,
      key!.kind,
      aws!.kind,
    ]);
    expect(leaks(json.stdout)).toEqual([]);
    for (const format of ['text', 'sarif', 'markdown']) {
      const out = await runCli(['check', dir, '--range', 'main..feature', '--format', format]);
      expect(out.code).toBe(1);
      expect(out.stdout).toContain('app/config.yml');
      expect(leaks(out.stdout + out.stderr), format).toEqual([]);
    }
  });

  it('keeps the secrets out of annotations, the check run, the job summary and the status page', async () => {
    const dir = plantedRepository();
    const opened = openLocal({
      root: dir,
      config: configOptions(),
      range: 'main..feature',
      commits: 'required',
    });
    if (!opened.ok) throw new Error('the planted repository did not open');
    const report = await runChecks({ snapshot: opened.snapshot, checks, config: opened.config });
    expect(report.results.find((r) => r.check === 'secrets')!.findings).toHaveLength(4);
    const status = buildGovernanceStatus({
      report,
      snapshot: opened.snapshot,
      repository: {
        fullName: 'council/bins',
        url: 'https://github.com/council/bins',
        sha: opened.local.head,
      },
      generatedAt: '2026-12-07T10:00:00Z',
    });
    const written = [
      JSON.stringify(findingAnnotations(report)),
      JSON.stringify(checkRunOutput(report, { rules: ruleCatalogue() })),
      renderJobSummary(status, report),
      ...Object.values(statusFiles(status, report)),
    ].join('\n');
    expect(written).toContain('GitHub Token');
    expect(leaks(written)).toEqual([]);
  });

  it('without a range judges the files only, and a removed secret is not reported', async () => {
    const dir = plantedRepository();
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'merge', '-q', '--ff-only', 'feature');
    const json = await runCli(['check', dir, '--format', 'json']);
    const result = (
      JSON.parse(json.stdout) as {
        results: Array<{ check: string; findings: Array<{ rule: string }>; data: object }>;
      }
    ).results.find((r) => r.check === 'secrets')!;
    expect(result.findings.map((f) => f.rule)).toEqual(['secrets/in-tree', 'secrets/in-tree']);
    expect(result.data).toMatchObject({ history: 'no commits under judgement' });
  });
});
