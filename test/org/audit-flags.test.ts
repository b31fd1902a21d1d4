import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runAuditCommand } from '../../src/cli/audit-command.js';
import { Capture } from '../support/cli.js';
import { auditClient, FakeOrg, useFakeOrg } from './fake-org.js';
import { compliant, unlicensed } from './support.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
let fake: FakeOrg | undefined;

useFakeOrg(() => fake);

function organisation(): FakeOrg {
  return new FakeOrg('dwp-engineering', [
    compliant('benefits-calculator'),
    { ...unlicensed('old-claims'), archived: true },
    { ...compliant('forked-toolkit'), fork: true },
  ]).install();
}

async function audit(argv: string[], env: NodeJS.ProcessEnv = {}, isTTY = false) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runAuditCommand(
    ['--org', 'dwp-engineering', ...argv],
    { stdout, stderr, cwd: tmpdir(), env: { GITHUB_TOKEN: TOKEN, ...env } },
    { isTTY, client: auditClient },
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}

interface Report {
  repositories: Array<{ name: string; status: string; reason?: string }>;
}

function statuses(stdout: string): Record<string, string> {
  const report = JSON.parse(stdout) as Report;
  return Object.fromEntries(report.repositories.map((r) => [r.name, r.status]));
}

describe('openly audit --include-archived and --include-forks', () => {
  it('lists archived repositories and forks as skipped unless asked to judge them', async () => {
    fake = organisation();
    const plain = await audit(['--format', 'json']);
    expect(plain.code).toBe(0);
    expect(statuses(plain.stdout)).toEqual({
      'benefits-calculator': 'compliant',
      'forked-toolkit': 'skipped',
      'old-claims': 'skipped',
    });

    const archived = await audit(['--format', 'json', '--include-archived']);
    expect(archived.code).toBe(1);
    expect(statuses(archived.stdout)).toEqual({
      'benefits-calculator': 'compliant',
      'forked-toolkit': 'skipped',
      'old-claims': 'failing',
    });

    const both = await audit(['--format', 'json', '--include-archived', '--include-forks']);
    expect(statuses(both.stdout)).toEqual({
      'benefits-calculator': 'compliant',
      'forked-toolkit': 'compliant',
      'old-claims': 'failing',
    });
  });

  it('names both flags in --help', async () => {
    const { stdout } = await audit(['--help']);
    expect(stdout).toMatch(/--include-archived\s+judge archived repositories too/);
    expect(stdout).toMatch(/--include-forks\s+judge forks too/);
  });
});

describe('the progress bar of openly audit', () => {
  it('is drawn on a terminal and cleared before the report', async () => {
    fake = organisation();
    const { stderr, stdout } = await audit([], {}, true);
    expect(stderr).toContain('\rAuditing 3/3 repositories ▕████████████████████▏ 100%');
    // Cleared, so that the closing line starts at the left margin rather than after the bar.
    expect(stderr).toMatch(/\r +\ropenly: \d+ requests to GitHub for 3 repositories\n$/);
    expect(stdout).toContain('3 repositories, 1 compliant');
  });

  it.each([
    ['not a terminal', {}, false],
    ['NO_COLOR', { NO_COLOR: '1' }, true],
    ['CI', { CI: 'true' }, true],
  ])('is not drawn: %s', async (_case, env: NodeJS.ProcessEnv, isTTY) => {
    fake = organisation();
    const { stderr } = await audit([], env, isTTY);
    expect(stderr).not.toContain('Auditing');
    expect(stderr).not.toContain('\r');
  });
});
