import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/types.js';
import type { AnyCheck, Check } from '../../src/core/check.js';
import { checks as builtIn } from '../../src/checks/index.js';
import { DEFAULT_CHECK_BUDGET_MS, runChecks } from '../../src/core/engine.js';
import { toJson } from '../../src/core/report.js';
import { VERSION } from '../../src/core/version.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import { withCommits } from '../../src/sources/with-commits.js';

const config = (over: Partial<ResolvedConfig> = {}): ResolvedConfig => ({
  levels: {},
  options: {},
  rules: {},
  sources: [],
  ...over,
});

const noisy: Check = {
  id: 'noisy',
  title: 'Noisy',
  rules: {
    'noisy/bad': { level: 'error', description: 'bad things' },
    'noisy/meh': { level: 'warning', description: 'meh things' },
    'noisy/quiet': { level: 'off', description: 'only when asked' },
  },
  run: (ctx) => [
    { rule: 'noisy/bad', message: 'bad', path: 'a.md', line: 3 },
    { rule: 'noisy/meh', message: 'meh' },
    ...(ctx.enabled('noisy/quiet') ? [{ rule: 'noisy/quiet', message: 'asked for' }] : []),
  ],
};

const crashing: Check = {
  id: 'crashing',
  title: 'Crashing',
  rules: {},
  run: () => {
    throw new Error('disk on fire');
  },
};

const withData: Check = {
  id: 'with-data',
  title: 'With data',
  rules: { 'with-data/note': { level: 'notice', description: 'a note' } },
  run: async () =>
    Promise.resolve({ findings: [{ rule: 'with-data/note', message: 'fyi' }], data: { n: 1 } }),
};

const all = [noisy, crashing, withData] as unknown as AnyCheck[];
const snapshot = new MemorySnapshot({ 'a.md': 'x' }, { name: 'repo', head: 'abc123' });

describe('engine', () => {
  it('gives each finding its check and its rule default severity, and counts them', async () => {
    const report = await runChecks({ snapshot, checks: [noisy], config: config() });
    expect(report.results[0]!.findings).toEqual([
      { check: 'noisy', rule: 'noisy/bad', severity: 'error', message: 'bad', path: 'a.md', line: 3 },
      { check: 'noisy', rule: 'noisy/meh', severity: 'warning', message: 'meh' },
    ]);
    expect(report.results[0]!.status).toBe('fail');
    expect(report.summary).toEqual({ errors: 1, warnings: 1, notices: 0, checks: 1 });
  });

  it('isolates a check that throws: it becomes an error result and the others still report', async () => {
    const report = await runChecks({ snapshot, checks: all, config: config() });
    expect(report.results.map((r) => [r.check, r.status])).toEqual([
      ['noisy', 'fail'],
      ['crashing', 'error'],
      ['with-data', 'pass'],
    ]);
    expect(report.results[1]!.error).toContain('disk on fire');
    expect(report.summary.errors).toBe(2);
    expect(report.results[2]!.data).toEqual({ n: 1 });
  });

  it('skips a check set to off, caps a check set to warning, and applies rule levels', async () => {
    const report = await runChecks({
      snapshot,
      checks: all,
      config: config({
        levels: { noisy: 'warning', crashing: 'off' },
        rules: { 'noisy/meh': 'off', 'noisy/quiet': 'notice' },
      }),
    });
    expect(report.results[0]!.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['noisy/bad', 'warning'],
      ['noisy/quiet', 'notice'],
    ]);
    expect(report.results[0]!.status).toBe('warn');
    expect(report.results[1]!.status).toBe('skip');
    expect(report.summary).toEqual({ errors: 0, warnings: 1, notices: 2, checks: 3 });
  });

  it('hides the files `exclude:` names from every check', async () => {
    const seen: string[][] = [];
    const looker: Check = {
      id: 'looker',
      title: 'Looker',
      rules: { 'looker/found': { level: 'warning', description: 'found a LICENCE' } },
      run: (ctx) => {
        seen.push([...ctx.snapshot.files()]);
        const hits = ctx.snapshot.grep('SPDX').matches.map((m) => m.path);
        return ctx.snapshot.read('vendor/lib/LICENCE').kind === 'text'
          ? [{ rule: 'looker/found', message: hits.join(',') }]
          : [{ rule: 'looker/found', message: `none ${hits.join(',')}` }];
      },
    };
    const files = new MemorySnapshot({
      'README.md': 'SPDX x',
      'vendor/lib/LICENCE': 'SPDX y',
      'test/fixtures/a/LICENCE': 'SPDX z',
    });
    const report = await runChecks({
      snapshot: files,
      checks: [looker],
      config: config({ exclude: ['vendor/**', 'test/fixtures/**'] }),
    });
    expect(seen[0]).toEqual(['README.md']);
    expect(report.results[0]!.findings[0]!.message).toBe('none README.md');
  });

  it('prints the JSON contract of ARCHITECTURE.md', async () => {
    const report = await runChecks({ snapshot, checks: all, config: config(), repositoryPath: '.' });
    const json = toJson(report) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['tool', 'version', 'repository', 'summary', 'results']);
    expect(json).toMatchObject({
      tool: 'openly',
      version: VERSION,
      repository: { path: '.', head: 'abc123' },
    });
    const results = json.results as Array<Record<string, unknown>>;
    expect(results[0]).toEqual({
      check: 'noisy',
      status: 'fail',
      findings: [
        { rule: 'noisy/bad', severity: 'error', message: 'bad', path: 'a.md', line: 3 },
        { rule: 'noisy/meh', severity: 'warning', message: 'meh' },
      ],
    });
    expect(results[2]).toMatchObject({ check: 'with-data', data: { n: 1 } });
  });

  it('reports the version package.json gives', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
  });

  describe('time budget', () => {
    /** A clock that moves on by `step` milliseconds each time it is read. */
    const ticking = (step: number) => {
      let t = 0;
      return () => (t += step);
    };
    const looping: Check = {
      id: 'looping',
      title: 'Looping',
      rules: {},
      run: (ctx) => {
        for (;;) ctx.checkpoint();
      },
    };

    it('stops a check that runs past its budget with an error result, and the others still report', async () => {
      const report = await runChecks({
        snapshot,
        checks: [noisy, looping, withData],
        config: config(),
        clock: ticking(1000),
      });
      expect(report.results.map((r) => [r.check, r.status])).toEqual([
        ['noisy', 'fail'],
        ['looping', 'error'],
        ['with-data', 'pass'],
      ]);
      expect(DEFAULT_CHECK_BUDGET_MS).toBe(20_000);
      expect(report.results[1]!.error).toMatch(/^The looping check stopped after 20 s: /);
      expect(report.results[0]!.findings).toHaveLength(2);
      expect(report.results[2]!.data).toEqual({ n: 1 });
    });

    it('takes the budget from the door, and lets a check within it finish', async () => {
      const counted: Check = {
        id: 'counted',
        title: 'Counted',
        rules: {},
        run: (ctx) => {
          for (let i = 0; i < 10; i++) ctx.checkpoint();
          return [];
        },
      };
      const tight = await runChecks({
        snapshot,
        checks: [looping],
        config: config(),
        clock: ticking(500),
        budgetMs: 1500,
      });
      expect(tight.results[0]!.error).toMatch(/^The looping check stopped after 1\.5 s: /);
      const roomy = await runChecks({
        snapshot,
        checks: [counted],
        config: config(),
        clock: ticking(1000),
        budgetMs: 60_000,
      });
      expect(roomy.results[0]!.status).toBe('pass');
    });

    it('reaches every built-in check: each asks for the time in its loops', async () => {
      const person = { name: 'Dev', email: 'dev@example.gov.uk' };
      const commit = {
        sha: 'a'.repeat(40),
        message: 'Add notes',
        author: person,
        committer: person,
        parents: 1,
        signature: { verified: false, reason: 'unsigned', signedByGitHub: false },
      };
      const files = new MemorySnapshot(
        {
          'README.md': '# Bins\n',
          LICENCE: 'MIT',
          'package.json': '{"license": "MIT"}',
          'docs/adr/0001-record.md': '# Record\n',
          'docs/flow.drawio':
            '<mxfile><diagram id="a" name="Page-1"><mxGraphModel><root/></mxGraphModel></diagram></mxfile>',
        },
        // Archived, so that the visibility check reads the README sentence by sentence; branch rules as the
        // organisation audit reads them.
        {
          repository: {
            visibility: 'public',
            archived: true,
            branchRules: {
              signedCommits: false,
              pullRequests: false,
              approvals: 0,
              sources: [],
              complete: true,
            },
          },
        },
      );
      const report = await runChecks({
        snapshot: withCommits(files, [commit]),
        checks: builtIn,
        config: config(),
        // Every reading of the clock is an hour later: the first checkpoint of each check is past its budget.
        clock: ticking(3_600_000),
      });
      expect(report.results.map((r) => [r.check, r.status])).toEqual(
        builtIn.map((check) => [check.id, 'error']),
      );
      for (const result of report.results) expect(result.error).toContain('stopped after 20 s');
    });
  });
});

describe('folders the snapshot could not read', () => {
  class PartlyHidden extends MemorySnapshot {
    unreadableFolders() {
      return [{ path: 'private', reason: 'permission denied' }];
    }
  }
  const reader: Check = {
    id: 'reader',
    title: 'Reader',
    rules: { 'reader/missing': { level: 'error', description: 'a README' } },
    run: (ctx) => (ctx.snapshot.has('README.md') ? [] : [{ rule: 'reader/missing', message: 'no README' }]),
  };
  const blind: Check = { id: 'blind', title: 'Blind', rules: {}, run: () => [] };
  const snapshot = () => new PartlyHidden({ 'README.md': '# x\n' });

  it('gives a check that read files a notice per folder and warn instead of pass; one that read none passes', async () => {
    const report = await runChecks({
      snapshot: snapshot(),
      checks: [reader, blind] as AnyCheck[],
      config: config(),
    });
    expect(report.results.map((r) => [r.check, r.status])).toEqual([
      ['reader', 'warn'],
      ['blind', 'pass'],
    ]);
    expect(report.results[0]!.findings).toEqual([
      expect.objectContaining({
        check: 'reader',
        rule: 'snapshot/unreadable-folder',
        severity: 'notice',
        message:
          'The folder private/ could not be read (permission denied), so the files in it were not checked.',
      }),
    ]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 0, notices: 1 });
  });

  it('keeps a failing verdict failing, and can be raised or switched off like any rule', async () => {
    const failing = await runChecks({
      snapshot: new PartlyHidden({}),
      checks: [reader] as AnyCheck[],
      config: config({ rules: { 'snapshot/unreadable-folder': 'error' } }),
    });
    expect(failing.results[0]!.status).toBe('fail');
    expect(failing.results[0]!.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['reader/missing', 'error'],
      ['snapshot/unreadable-folder', 'error'],
    ]);
    const off = await runChecks({
      snapshot: snapshot(),
      checks: [reader] as AnyCheck[],
      config: config({ rules: { 'snapshot/unreadable-folder': 'off' } }),
    });
    expect(off.results[0]!.status).toBe('pass');
    const raised = await runChecks({
      snapshot: snapshot(),
      checks: [reader] as AnyCheck[],
      config: config({ rules: { 'snapshot/unreadable-folder': 'warning' } }),
    });
    expect(raised.results[0]!.status).toBe('warn');
    expect(raised.summary).toMatchObject({ warnings: 1, notices: 0 });
  });
});
