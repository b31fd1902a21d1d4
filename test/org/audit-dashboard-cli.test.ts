import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAuditCommand } from '../../src/cli/audit-command.js';
import { Capture } from '../support/cli.js';
import { auditClient, FakeOrg } from './fake-org.js';
import { compliant, unlicensed } from './support.js';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
let fake: FakeOrg | undefined;

/** One run of `openly audit`, as if started at `at`: the audit stamps its report with the clock. */
async function auditAt(at: string, argv: string[]) {
  fake = new FakeOrg('nhs-digital-team', [
    compliant('appointment-booking'),
    unlicensed('triage-notes'),
    compliant('old-prototype', { archived: true }),
  ]).install();
  vi.useFakeTimers({ toFake: ['Date'], now: new Date(at) });
  try {
    const stdout = new Capture();
    const stderr = new Capture();
    // The command itself, as `openly audit` runs it (audit-cli.test.ts goes through main), with a client that
    // does not wait a second between requests to the double.
    const code = await runAuditCommand(
      ['--org', 'nhs-digital-team', ...argv],
      { stdout, stderr, cwd: tmpdir(), env: { GITHUB_TOKEN: TOKEN } },
      { client: auditClient },
    );
    return { code, stderr: stderr.text };
  } finally {
    vi.useRealTimers();
    expect(fake.invalid).toEqual([]);
    nock.cleanAll();
  }
}

interface History {
  organisation: string;
  audits: Array<{ auditedAt: string; summary: Record<string, number> }>;
}

function history(out: string): History {
  return JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as History;
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  fake = undefined;
  nock.cleanAll();
});

describe('openly audit --out DIR: the dashboard', () => {
  it('writes index.html, and the history of audits grows run by run, newest last', async () => {
    const out = mkdtempSync(join(tmpdir(), 'openly-dashboard-'));
    const first = await auditAt('2026-11-30T06:00:00Z', ['--out', out]);
    expect(first.code).toBe(1);
    const page = readFileSync(join(out, 'index.html'), 'utf8');
    expect(page).toContain('<h1>Governance of the nhs-digital-team organisation</h1>');
    expect(page).toContain('<th scope="row">triage-notes</th>');
    expect(page).not.toContain('Compliance over time');
    expect(history(out).audits.map((a) => a.auditedAt)).toEqual(['2026-11-30T06:00:00.000Z']);

    const second = await auditAt('2026-12-07T06:00:00Z', ['--out', out]);
    expect(second.code).toBe(1);
    expect(second.stderr).not.toMatch(/history|report\.json/);
    const kept = history(out);
    expect(kept.organisation).toBe('nhs-digital-team');
    expect(kept.audits).toEqual([
      {
        auditedAt: '2026-11-30T06:00:00.000Z',
        summary: { repositories: 3, compliant: 1, failing: 1, skipped: 1 },
      },
      {
        auditedAt: '2026-12-07T06:00:00.000Z',
        summary: { repositories: 3, compliant: 1, failing: 1, skipped: 1 },
      },
    ]);
    const later = readFileSync(join(out, 'index.html'), 'utf8');
    expect(later).toContain('<h2 id="over-time">Compliance over time</h2>');
    expect(later).toContain('Compliance at each of the last 2 audits');
  });

  it('keeps the summary of an earlier report.json when there is no history yet', async () => {
    const out = mkdtempSync(join(tmpdir(), 'openly-dashboard-'));
    writeFileSync(
      join(out, 'report.json'),
      JSON.stringify({
        tool: 'openly',
        version: '0.1.0',
        organisation: 'nhs-digital-team',
        auditedAt: '2026-11-01T06:00:00Z',
        summary: { repositories: 2, compliant: 0, failing: 2, skipped: 0 },
        repositories: [],
      }),
    );
    await auditAt('2026-12-07T06:00:00Z', ['--out', out]);
    expect(history(out).audits.map((a) => [a.auditedAt, a.summary.compliant])).toEqual([
      ['2026-11-01T06:00:00Z', 0],
      ['2026-12-07T06:00:00.000Z', 1],
    ]);
  });

  it('an earlier report of another organisation starts the history afresh', async () => {
    const out = mkdtempSync(join(tmpdir(), 'openly-dashboard-'));
    const other = {
      organisation: 'gds-team',
      auditedAt: '2026-11-01T06:00:00Z',
      summary: { repositories: 9, compliant: 9, failing: 0, skipped: 0 },
    };
    writeFileSync(join(out, 'report.json'), JSON.stringify({ tool: 'openly', ...other, repositories: [] }));
    writeFileSync(
      join(out, 'history.json'),
      JSON.stringify({ tool: 'openly', organisation: 'gds-team', audits: [other] }),
    );
    await auditAt('2026-12-07T06:00:00Z', ['--out', out]);
    expect(history(out)).toEqual({
      tool: 'openly',
      organisation: 'nhs-digital-team',
      audits: [
        {
          auditedAt: '2026-12-07T06:00:00.000Z',
          summary: { repositories: 3, compliant: 1, failing: 1, skipped: 1 },
        },
      ],
    });
  });

  it('a corrupt earlier history or report is a warning and a fresh history, never a failed audit', async () => {
    const out = mkdtempSync(join(tmpdir(), 'openly-dashboard-'));
    writeFileSync(join(out, 'history.json'), '{"audits": [');
    writeFileSync(join(out, 'report.json'), JSON.stringify({ organisation: 'nhs-digital-team', summary: 3 }));
    const { code, stderr } = await auditAt('2026-12-07T06:00:00Z', ['--out', out]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${join(out, 'history.json')} is not readable JSON`);
    expect(stderr).toContain(`${join(out, 'report.json')} is not an Openly audit report`);
    expect(history(out).audits).toHaveLength(1);
    expect(existsSync(join(out, 'index.html'))).toBe(true);

    // A history of the right shape but wrong entries is as corrupt as one that does not parse.
    writeFileSync(
      join(out, 'history.json'),
      JSON.stringify({ organisation: 'nhs-digital-team', audits: [{ auditedAt: 'yesterday' }] }),
    );
    const again = await auditAt('2026-12-08T06:00:00Z', ['--out', out]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not an Openly audit history: the history starts afresh');
    expect(history(out).audits.map((a) => a.auditedAt)).toEqual([
      '2026-12-07T06:00:00.000Z',
      '2026-12-08T06:00:00.000Z',
    ]);
  });
});
