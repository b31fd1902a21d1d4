/**
 * The Action's `mode: audit` end to end, in-process: a scheduled run in an organisation's `.github` repository
 * audits the fake organisation (GraphQL at the HTTP layer), writes the audit's files, the job summary and outputs,
 * and publishes the dashboard to a Pages branch with the branch's earlier history carried over.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapi from '@octokit/openapi/generated/api.github.com.json' with { type: 'json' };
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { FakeOrg } from '../org/fake-org.js';
import { compliant, parseCsv, unlicensed } from '../org/support.js';
import {
  API,
  invalidMocks,
  readOutputs,
  rest,
  runAction,
  runner,
  type Runner,
  sent,
  tempDir,
  useActionBench,
} from './support.js';

const EXAMPLES = (
  openapi as unknown as { components: { examples: Record<string, { value: Record<string, unknown> }> } }
).components.examples;

const ORG = 'nhs-digital-team';
const REPO = '.github';
const NOW = new Date('2026-12-07T06:30:00Z');
let fake: FakeOrg | undefined;

// The fake organisation answers every GraphQL query an audit might make; an audit need not make them all.
useActionBench({
  unused: (mock) => mock.includes('/graphql'),
  check: () => {
    expect(fake?.invalid ?? []).toEqual([]);
    fake = undefined;
  },
});

function organisation(): FakeOrg {
  fake = new FakeOrg(ORG, [
    compliant('appointment-booking'),
    unlicensed('triage-notes'),
    compliant('old-prototype', { archived: true }),
  ]).install();
  return fake;
}

/** A scheduled run in the organisation's `.github` repository, whose payload names no repository. */
function scheduled(inputs: Record<string, string> = {}): Runner {
  const r = runner({
    event: 'schedule',
    payload: { schedule: '30 6 * * 1', workflow: '.github/workflows/openly-audit.yml' },
    inputs: { mode: 'audit', ...inputs },
  });
  r.env.GITHUB_REPOSITORY = `${ORG}/${REPO}`;
  r.env.GITHUB_REF = 'refs/heads/main';
  return r;
}

interface History {
  organisation: string;
  audits: Array<{ auditedAt: string; summary: Record<string, number> }>;
}

describe('mode: audit', () => {
  it('audits the owner of the repository, writes the four files, the summary and the outputs, and does not fail on findings', async () => {
    organisation();
    const r = scheduled();

    const result = await runAction(r, NOW);

    expect(invalidMocks).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.audit).toEqual({ repositories: 3, compliant: 1, failing: 1, skipped: 1 });
    const dir = join(r.workspace, 'openly-audit');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      organisation: string;
      auditedAt: string;
    };
    expect(report.organisation).toBe(ORG);
    expect(report.auditedAt).toBe(NOW.toISOString());
    const csv = parseCsv(readFileSync(join(dir, 'report.csv'), 'utf8'));
    expect(csv.map((row) => row[0])).toEqual(
      expect.arrayContaining(['appointment-booking', 'triage-notes', 'old-prototype']),
    );
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('triage-notes');
    const history = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as History;
    expect(history.audits).toEqual([
      { auditedAt: NOW.toISOString(), summary: { repositories: 3, compliant: 1, failing: 1, skipped: 1 } },
    ]);

    const summary = readFileSync(r.summaryFile, 'utf8');
    expect(summary).toContain(`Openly audit of ${ORG}`);
    expect(summary).toContain('**1 compliant**, **1 failing**, 1 skipped');
    expect(summary).toContain('- triage-notes: `licence/missing`');
    expect(summary).not.toContain('- appointment-booking');

    expect(readOutputs(r.outputFile)).toMatchObject({
      compliant: '1',
      failing: '1',
      'report-path': join(dir, 'report.json'),
    });
    // The audit reads GitHub only: nothing is written to the .github repository without pages-branch.
    expect(sent).toEqual([]);
  });

  it('audits the organisation the input names, into audit-dir, adding to the history left there', async () => {
    organisation();
    const r = scheduled({ organisation: ORG, 'audit-dir': 'site/audit' });
    r.env.GITHUB_REPOSITORY = 'nhs-platform/governance';
    const dir = join(r.workspace, 'site', 'audit');
    mkdirSync(dir, { recursive: true });
    const earlier = {
      auditedAt: '2026-11-30T06:30:00Z',
      summary: { repositories: 2, compliant: 0, failing: 2, skipped: 0 },
    };
    writeFileSync(
      join(dir, 'history.json'),
      JSON.stringify({ tool: 'openly', organisation: ORG, audits: [earlier] }),
    );

    const result = await runAction(r, NOW);

    expect(result.exitCode).toBe(0);
    const history = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as History;
    expect(history.audits.map((a) => a.auditedAt)).toEqual([earlier.auditedAt, NOW.toISOString()]);
  });

  it('judges archived repositories with include-archived, and a re-run into the kept audit-dir reads no file again', async () => {
    organisation();
    const r = scheduled({ 'include-archived': 'true', 'include-forks': 'true' });

    const first = await runAction(r, NOW);
    expect(first.exitCode).toBe(0);
    expect(first.audit).toEqual({ repositories: 3, compliant: 2, failing: 1, skipped: 0 });
    const reads = fake!.count('OpenlyOrgFiles');
    expect(reads).toBeGreaterThan(0);

    // As a restored actions/cache leaves it: the same workspace, audit-dir and its .openly folder.
    const again = await runAction(r, NOW);
    expect(again.exitCode).toBe(0);
    expect(again.audit).toEqual(first.audit);
    expect(fake!.count('OpenlyOrgFiles')).toBe(reads);
    expect(fake!.count('OpenlyOrgRepositories')).toBe(2);
  });

  it('refuses to write through a link in audit-dir, and says so, while the summary and the other files still come out', async () => {
    organisation();
    const r = scheduled();
    const outside = tempDir('openly-outside-');
    const dir = join(r.workspace, 'openly-audit');
    mkdirSync(dir);
    symlinkSync(join(outside, 'stolen.csv'), join(dir, 'report.csv'));

    const result = await runAction(r, NOW);

    expect(result.exitCode).toBe(1);
    expect(result.log).toMatch(/::error::input "audit-dir": openly-audit\/report\.csv is a symbolic link/);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toContain(ORG);
    expect(readFileSync(r.summaryFile, 'utf8')).toContain('**1 failing**');
    expect(() => readFileSync(join(outside, 'stolen.csv'))).toThrow();
  });

  it('fails with a plain sentence when the organisation cannot be read, naming the App token', async () => {
    const r = scheduled();
    nock(API).post('/graphql').reply(403, {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/graphql',
    });

    const result = await runAction(r, NOW);

    expect(result.exitCode).toBe(1);
    expect(result.log).toContain('actions/create-github-app-token');
  });
});

describe('mode: audit with pages-branch', () => {
  const OWNER = ORG;
  const refRoute = '/repos/{owner}/{repo}/git/ref/{ref}';

  it('reads the branch history first, then publishes the four files with it carried over', async () => {
    organisation();
    const r = scheduled({ 'pages-branch': 'gh-pages' });
    const older = [
      {
        auditedAt: '2026-11-23T06:30:00Z',
        summary: { repositories: 3, compliant: 0, failing: 2, skipped: 1 },
      },
      {
        auditedAt: '2026-11-30T06:30:00Z',
        summary: { repositories: 3, compliant: 1, failing: 1, skipped: 1 },
      },
    ];
    const onBranch = JSON.stringify({ tool: 'openly', organisation: ORG, audits: older });
    rest(
      'GET',
      '/repos/{owner}/{repo}/contents/{path}',
      `/repos/${OWNER}/${REPO}/contents/history.json?ref=gh-pages`,
      200,
      {
        ...EXAMPLES['content-file-response-if-content-is-a-file']!.value,
        name: 'history.json',
        path: 'history.json',
        content: Buffer.from(onBranch).toString('base64'),
        encoding: 'base64',
      },
    );
    const head = 'e'.repeat(40);
    const treeSha = 'f'.repeat(40);
    rest('GET', refRoute, `/repos/${OWNER}/${REPO}/git/ref/heads%2Fgh-pages`, 200, {
      ...EXAMPLES['git-ref']!.value,
      ref: 'refs/heads/gh-pages',
      object: { type: 'commit', sha: head, url: `${API}/repos/${OWNER}/${REPO}/git/commits/${head}` },
    });
    rest(
      'GET',
      '/repos/{owner}/{repo}/git/commits/{commit_sha}',
      `/repos/${OWNER}/${REPO}/git/commits/${head}`,
      200,
      {
        ...EXAMPLES['git-commit-2']!.value,
        sha: head,
        tree: { sha: treeSha, url: `${API}/repos/${OWNER}/${REPO}/git/trees/${treeSha}` },
      },
    );
    rest(
      'GET',
      '/repos/{owner}/{repo}/git/trees/{tree_sha}',
      `/repos/${OWNER}/${REPO}/git/trees/${treeSha}`,
      200,
      {
        sha: treeSha,
        url: `${API}/repos/${OWNER}/${REPO}/git/trees/${treeSha}`,
        truncated: false,
        tree: [],
      },
    );
    rest('POST', '/repos/{owner}/{repo}/git/trees', `/repos/${OWNER}/${REPO}/git/trees`, 201, {
      ...EXAMPLES['git-tree']!.value,
      sha: 'c'.repeat(40),
    });
    rest('POST', '/repos/{owner}/{repo}/git/commits', `/repos/${OWNER}/${REPO}/git/commits`, 201, {
      ...EXAMPLES['git-commit']!.value,
      sha: 'd'.repeat(40),
    });
    rest(
      'PATCH',
      '/repos/{owner}/{repo}/git/refs/{ref}',
      `/repos/${OWNER}/${REPO}/git/refs/heads%2Fgh-pages`,
      200,
      {
        ...EXAMPLES['git-ref']!.value,
        ref: 'refs/heads/gh-pages',
      },
    );

    const result = await runAction(r, NOW);

    expect(invalidMocks).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.pages?.action).toBe('updated');
    const tree = sent.find((s) => s.route === '/repos/{owner}/{repo}/git/trees')!.body as {
      base_tree: string;
      tree: Array<{ path: string; content: string }>;
    };
    expect(tree.base_tree).toBe(treeSha);
    expect(tree.tree.map((file) => file.path).sort()).toEqual([
      'history.json',
      'index.html',
      'report.csv',
      'report.json',
    ]);
    const published = JSON.parse(tree.tree.find((file) => file.path === 'history.json')!.content) as History;
    expect(published.audits.map((a) => a.auditedAt)).toEqual([
      ...older.map((a) => a.auditedAt),
      NOW.toISOString(),
    ]);
    // The dashboard charts the earlier audits too.
    const page = tree.tree.find((file) => file.path === 'index.html')!.content;
    expect(page).toContain('2026-11-23');
    const local = JSON.parse(
      readFileSync(join(r.workspace, 'openly-audit', 'history.json'), 'utf8'),
    ) as History;
    expect(local).toEqual(published);
    expect(readFileSync(r.summaryFile, 'utf8')).toContain(`https://${ORG}.github.io/${REPO}/`);
  });

  it('publishes nothing when the branch history cannot be read, so it is never lost, and still writes the files', async () => {
    organisation();
    const r = scheduled({ 'pages-branch': 'gh-pages' });
    rest(
      'GET',
      '/repos/{owner}/{repo}/contents/{path}',
      `/repos/${ORG}/${REPO}/contents/history.json?ref=gh-pages`,
      403,
      {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content',
        status: '403',
      },
    );

    const result = await runAction(r, NOW);

    expect(invalidMocks).toEqual([]);
    expect(result.exitCode).toBe(1);
    expect(result.pages).toBeUndefined();
    expect(result.log).toContain('the dashboard was not published, so its history is kept');
    expect(sent).toEqual([]);
    expect(readFileSync(join(r.workspace, 'openly-audit', 'report.json'), 'utf8')).toContain(ORG);
    expect(readFileSync(r.summaryFile, 'utf8')).toContain('**1 failing**');
  });

  it('publishes nothing in a dry run, and reads no branch', async () => {
    organisation();
    const r = scheduled({ 'pages-branch': 'gh-pages', 'dry-run': 'true' });

    const result = await runAction(r, NOW);

    expect(result.exitCode).toBe(0);
    expect(result.pages).toBeUndefined();
    expect(sent).toEqual([]);
    expect(result.log).toContain('Dry run: no publishing to gh-pages.');
  });
});
