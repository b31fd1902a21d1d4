/**
 * The secrets check in the organisation audit: it scans the files the audit reads anyway, says that this is all it
 * scanned, and no output of the audit (any format, the `--out` folder and its memory) holds a secret or a piece of
 * one.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/core';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditCommand } from '../../src/cli/audit-command.js';
import { leaks, SAMPLES } from '../checks/secrets-samples.js';
import { Capture } from '../support/cli.js';
import { FakeOrg } from './fake-org.js';
import { COMPLIANT_FILES, compliant } from './support.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const ORG = 'nhs-digital-team';
const NOW = new Date('2026-12-07T09:00:00Z');
const [aws, github] = SAMPLES;
const README = COMPLIANT_FILES['README.md']!;
/** The line of the README where the GitHub token is planted (the AWS key is on the next). */
const TOKEN_LINE = README.split('\n').length + 1;

/** A made-up token in a real token's format, as a test fixture holds one; put together so no source holds it. */
const FIXTURE_TOKEN = ['gh', 'p_', 'madeUpForTestFixturesOnly', '01234567890'].join('');

/**
 * A repository whose README holds two credentials and whose (unread) source folder a third; two whose README holds
 * a made-up one, the first naming it in its `.secretlintignore`; and one without any.
 */
const fake = new FakeOrg(ORG, [
  {
    name: 'bin-days',
    files: {
      ...COMPLIANT_FILES,
      'README.md': `${README}\n${github!.line}\n${aws!.line}\n`,
      'deploy/settings.env': `${github!.line}\n`,
    },
  },
  // An invalid configuration stops every check, the secrets check too: what it read is not kept either.
  {
    name: 'broken-config',
    files: {
      ...COMPLIANT_FILES,
      'README.md': `${README}\n${github!.line}\n`,
      '.github/openly.yml': 'licence:\n  alowed: [MIT]\n',
    },
  },
  {
    name: 'fixtures-kept',
    files: {
      ...COMPLIANT_FILES,
      'README.md': `${README}\nGITHUB_TOKEN=${FIXTURE_TOKEN}\n`,
      '.secretlintignore': 'README.md\n',
    },
  },
  {
    name: 'fixtures-forgotten',
    files: { ...COMPLIANT_FILES, 'README.md': `${README}\nGITHUB_TOKEN=${FIXTURE_TOKEN}\n` },
  },
  compliant('clean'),
]);

async function audit(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runAuditCommand(
    ['--org', ORG, ...argv],
    { stdout, stderr, cwd: tmpdir(), env: { GITHUB_TOKEN: TOKEN } },
    // A plain client: the shared one's spacing of requests would only slow the test.
    { octokit: new Octokit({ auth: TOKEN }), now: () => NOW, sleep: async () => {} },
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Every file under a folder, hidden ones included, as one text. */
function everything(folder: string): string {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

interface Result {
  check: string;
  status: string;
  note?: string;
  findings: Array<{ rule: string; message: string; path?: string; line?: number }>;
}
interface Report {
  auditedAt: string;
  repositories: Array<{ name: string; status: string; results: Result[] }>;
}

function secretsOf(report: Report, name: string): Result {
  return report.repositories.find((r) => r.name === name)!.results.find((r) => r.check === 'secrets')!;
}

/** The repositories each file-read request asked for. */
function readNames(from: number): string[] {
  return fake.sent
    .slice(from)
    .filter((sent) => sent.operation === 'OpenlyOrgFiles')
    .flatMap((sent) =>
      Object.entries(sent.variables)
        .filter(([key]) => /^n\d+$/.test(key))
        .map(([, name]) => (typeof name === 'string' ? name : JSON.stringify(name))),
    );
}

beforeAll(() => {
  nock.disableNetConnect();
  fake.install();
});

afterAll(() => {
  expect(fake.invalid).toEqual([]);
  nock.cleanAll();
});

describe('openly audit: secrets in the files the audit reads', () => {
  const out = mkdtempSync(join(tmpdir(), 'openly-audit-secrets-'));
  let first: Report;

  it('reports each credential by file, line and kind, and says only the files read were scanned', async () => {
    const run = await audit(['--format', 'json', '--out', out]);
    expect(run.code).toBe(1);
    first = JSON.parse(run.stdout) as Report;
    expect(first.repositories.find((r) => r.name === 'bin-days')!.status).toBe('failing');

    const found = secretsOf(first, 'bin-days');
    expect(found.status).toBe('fail');
    expect(found.findings.map((f) => [f.rule, f.path, f.line])).toEqual([
      ['secrets/in-tree', 'README.md', TOKEN_LINE],
      ['secrets/in-tree', 'README.md', TOKEN_LINE + 1],
    ]);
    expect(found.findings[0]!.message).toContain(github!.kind);
    expect(found.findings[1]!.message).toContain(aws!.kind);
    for (const finding of found.findings) expect(finding.message).toMatch(/scans only the files it reads/);
    // deploy/settings.env is not one of the files the audit reads: the note says where to scan it.
    expect(found.note).toMatch(/not the rest of the tree nor the history/);
    expect(found.note).toContain('openly check --range HEAD');

    expect(secretsOf(first, 'fixtures-kept')).toMatchObject({ status: 'pass', findings: [] });
    expect(secretsOf(first, 'fixtures-forgotten').findings).toEqual([
      expect.objectContaining({ rule: 'secrets/in-tree', path: 'README.md', line: TOKEN_LINE }),
    ]);
    expect(secretsOf(first, 'clean')).toMatchObject({ status: 'pass', findings: [] });
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toMatch(
      /<code>secrets<\/code>: The organisation audit scanned only the files it reads/,
    );
  });

  it('writes no secret, nor a piece of one, to any output or to the --out folder and its memory', async () => {
    const outputs = [everything(out)];
    for (const format of ['text', 'markdown', 'csv', 'json'])
      outputs.push((await audit(['--format', format])).stdout);
    expect(outputs.join('\n')).toContain(github!.kind);
    expect(leaks(outputs.join('\n'))).toEqual([]);
  });

  it('a re-run reads the repository holding a secret again (its texts were not kept) and judges as the first', async () => {
    const from = fake.sent.length;
    const run = await audit(['--format', 'json', '--out', out]);
    expect(readNames(from)).toEqual(['bin-days', 'broken-config', 'fixtures-forgotten']);
    const again = JSON.parse(run.stdout) as Report;
    expect(again.repositories).toEqual(first.repositories);
    const kept = everything(out);
    expect(leaks(kept)).toEqual([]);
    // What a team names as a fixture is kept as read; what the check reports is not.
    expect(kept.split(FIXTURE_TOKEN)).toHaveLength(2);
  });
});
