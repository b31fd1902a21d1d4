/**
 * The Action end to end, in-process: real webhook payloads on disk, a real git checkout, GitHub mocked at the HTTP
 * layer with every request and answer checked against GitHub's published descriptions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import openapi from '@octokit/openapi/generated/api.github.com.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { gitBlobSha } from '../../src/action/github.js';
import {
  example,
  invalidMocks as releaseInvalidMocks,
  mockCreate,
  mockDraftState,
  mockMilestone,
  mockUpdate,
  pullNode,
  releaseNode,
  resetMocks as resetReleaseMocks,
} from '../release/github-mock.js';
import {
  API,
  FORBIDDEN,
  invalidMocks,
  mockCommitStatus,
  mockStatusContext,
  NOW,
  readOutputs,
  rest,
  runAction,
  runner,
  sent,
  TOKEN,
  useActionBench,
} from './support.js';

const EXAMPLES = (
  openapi as unknown as { components: { examples: Record<string, { value: Record<string, unknown> }> } }
).components.examples;

const OWNER = 'Codertocat';
const REPO = 'Hello-World';

const pushToMaster = () => example('push', (p) => p.ref === 'refs/heads/master' && p.deleted === false);
const milestoneClosed = () => example('milestone', (p) => p.action === 'closed');
const dispatch = () => example('workflow_dispatch', (p) => p.ref === 'refs/heads/master');

useActionBench({ reset: resetReleaseMocks });

function expectValidMocks(): void {
  expect([...invalidMocks, ...releaseInvalidMocks]).toEqual([]);
}

function statuses() {
  return sent.filter((request) => request.route === '/repos/{owner}/{repo}/statuses/{sha}');
}

describe('status mode', () => {
  it('posts openly/governance as success on a repository that meets the rules, and writes the status files', async () => {
    const r = runner({ event: 'push', payload: pushToMaster(), inputs: { mode: 'status' } });
    mockStatusContext({
      latestRelease: {
        tagName: 'v1.3.0',
        name: 'v1.3.0',
        url: `https://github.com/${OWNER}/${REPO}/releases/tag/v1.3.0`,
        publishedAt: '2026-11-01T12:00:00Z',
      },
      milestones: {
        nodes: [
          {
            number: 4,
            title: 'Private beta',
            url: `https://github.com/${OWNER}/${REPO}/milestone/4`,
            dueOn: null,
            openIssues: { totalCount: 9 },
            closedIssues: { totalCount: 1 },
            openPullRequests: { totalCount: 0 },
            closedPullRequests: { totalCount: 0 },
          },
          {
            number: 3,
            title: 'v1.4',
            url: `https://github.com/${OWNER}/${REPO}/milestone/3`,
            dueOn: '2026-12-01T00:00:00Z',
            openIssues: { totalCount: 2 },
            closedIssues: { totalCount: 5 },
            openPullRequests: { totalCount: 1 },
            closedPullRequests: { totalCount: 4 },
          },
        ],
      },
    });
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(result.requests).toBe(2);
    expect(statuses()).toHaveLength(1);
    expect(statuses()[0]!.body).toMatchObject({
      state: 'success',
      context: 'openly/governance',
      description: 'All 9 checks pass',
      target_url: `https://github.com/${OWNER}/${REPO}/actions/runs/7001`,
    });
    const outputs = readOutputs(r.outputFile);
    expect(outputs.status).toBe('pass');
    expect(outputs['report-path']).toBe(join(r.workspace, 'openly-status', 'report.json'));
    expect(outputs.tag).toBeUndefined();

    const dir = join(r.workspace, 'openly-status');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      summary: { errors: number };
      results: { check: string; data?: { licences?: { spdx: string }[] } }[];
    };
    expect(report.summary.errors).toBe(0);
    expect(report.results.find((x) => x.check === 'licence')?.data?.licences?.[0]?.spdx).toBe('MIT');
    expect(JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'))).toMatchObject({
      schemaVersion: 1,
      message: 'passing',
    });
    const page = readFileSync(join(dir, 'index.html'), 'utf8');
    // The milestone due soonest is shown, with its issues and pull requests counted together.
    expect(page).toContain('v1.4');
    expect(page).not.toContain('Private beta');
    expect(page).toContain('v1.3.0');
    const summary = readFileSync(r.summaryFile, 'utf8');
    expect(summary).toContain('Governance status');
    expect(summary).toContain('v1.3.0');
  });

  it('shows the latest release when GitHub withholds the milestones from a token without issues: read', async () => {
    const r = runner({ event: 'push', payload: pushToMaster(), inputs: { mode: 'status' } });
    mockStatusContext(
      {
        latestRelease: {
          tagName: 'v1.3.0',
          name: 'Spring release',
          url: `https://github.com/${OWNER}/${REPO}/releases/tag/v1.3.0`,
          publishedAt: '2026-11-01T12:00:00Z',
        },
        milestones: { nodes: [null] },
      },
      [
        {
          type: 'FORBIDDEN',
          path: ['repository', 'milestones', 'nodes', 0, 'openIssues'],
          locations: [{ line: 18, column: 9 }],
          message: 'Resource not accessible by integration',
        },
      ],
    );
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(result.log).toMatch(
      /::warning::GitHub answered only part of the release and milestone read.*"issues: read"/,
    );
    expect(readFileSync(join(r.workspace, 'openly-status', 'index.html'), 'utf8')).toContain(
      'Spring release',
    );
  });

  it('fails the step and posts failure when a required file is missing, with an annotation on the file', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status' },
      change: {
        'SECURITY.md': null,
        'README.md': '# Book a vaccination\n\nLicence: MIT, see [LICENCE](LICENCE).\n',
      },
    });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.exitCode).toBe(1);
    expect(statuses()[0]!.body.state).toBe('failure');
    expect(String(statuses()[0]!.body.description)).toMatch(/^\d+ errors?, \d+ warnings? in 9 checks$/);
    expect(result.log).toMatch(/^::error title=Openly community-files\/security::No security policy/m);
    expect(result.log).toMatch(/^::error::Openly found \d+ errors? \(fail-on: error\)/m);
    expect(readOutputs(r.outputFile).status).toBe('fail');
  });

  it('fail-on never reports the failure without failing the step', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'fail-on': 'never' },
      change: { 'SECURITY.md': null },
    });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);
    const result = await runAction(r);
    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(statuses()[0]!.body.state).toBe('failure');
  });

  it('fail-on warning fails the step on warnings alone, while the commit status stays success', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'fail-on': 'warning' },
      change: { 'CODE_OF_CONDUCT.md': null },
    });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);
    const result = await runAction(r);
    expectValidMocks();
    expect(result.exitCode).toBe(1);
    expect(statuses()[0]!.body).toMatchObject({
      state: 'success',
      description: '1 warning, no errors, in 9 checks',
    });
    expect(result.log).toMatch(/^::error::Openly found 1 warning \(fail-on: warning\)/m);
    expect(readOutputs(r.outputFile).status).toBe('warn');
  });

  it('dry-run makes no request at all and still writes the files and outputs', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'dry-run': 'true', 'pages-branch': 'gh-pages' },
    });
    const result = await runAction(r);
    expect(result.requests).toBe(0);
    expect(result.exitCode).toBe(0);
    expect(readOutputs(r.outputFile).status).toBe('pass');
    expect(existsSync(join(r.workspace, 'openly-status', 'index.html'))).toBe(true);
    expect(result.log).toContain('Dry run: no commit status and no publishing to gh-pages');
    // Nothing was asked of GitHub, so neither the page nor the summary may claim there is no release or milestone.
    const page = readFileSync(join(r.workspace, 'openly-status', 'index.html'), 'utf8');
    const summary = readFileSync(r.summaryFile, 'utf8');
    for (const text of [page, summary]) {
      expect(text).toContain('Not known: a dry run asks GitHub nothing.');
      expect(text).not.toContain('No release has been published yet');
      expect(text).not.toContain('No milestone is open');
    }
  });

  it('names the statuses: write permission when GitHub refuses the commit status, and never logs the token', async () => {
    const r = runner({ event: 'push', payload: pushToMaster(), inputs: { mode: 'status' } });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha, 403);
    const result = await runAction(r);
    expectValidMocks();
    expect(result.exitCode).toBe(1);
    expect(result.log).toMatch(
      /::error::GitHub refused setting the commit status openly\/governance \(403 Resource not accessible by integration\): the token lacks the "statuses: write" permission/,
    );
    // The files and outputs are still there for later steps.
    expect(readOutputs(r.outputFile).status).toBe('pass');
    expect(result.log).toContain(`::add-mask::${TOKEN}`);
    expect(result.log.split(`::add-mask::${TOKEN}`).join('')).not.toContain(TOKEN);
  });

  it('reports an invalid configuration with its file and line, as an error status, without checking', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status' },
      change: { '.github/openly.yml': 'licence:\n  allowed: [MIT]\nlicnece: warning\n' },
    });
    mockCommitStatus(OWNER, REPO, r.sha);
    const result = await runAction(r);
    expectValidMocks();
    expect(result.exitCode).toBe(1);
    expect(statuses()[0]!.body.state).toBe('error');
    expect(String(statuses()[0]!.body.description)).toMatch(
      /^Configuration invalid: \.github\/openly\.yml:3: /,
    );
    expect(result.log).toMatch(
      /^::error title=Openly configuration,file=\.github\/openly\.yml,line=3,col=1::.*licence/m,
    );
    expect(readOutputs(r.outputFile).status).toBe('error');
    expect(existsSync(join(r.workspace, 'openly-status'))).toBe(false);
  });
});

describe('_extends in the checkout', () => {
  it('warns on its line that the base it names is not applied by the Action', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'dry-run': 'true' },
      change: { '.github/openly.yml': 'licence: error\n_extends: nhsengland/openly-config\n' },
    });
    const result = await runAction(r);
    expect(result.exitCode).toBe(0);
    expect(result.log).toMatch(
      /^::warning title=Openly configuration,file=\.github\/openly\.yml,line=2::_extends: "nhsengland\/openly-config" is not followed by the Action/m,
    );
  });
});

describe('pull requests', () => {
  it('judges and reports on the head commit, not the merge commit GitHub made for the run', async () => {
    const payload = example('pull_request', (p) => p.action === 'opened');
    const r = runner({ event: 'pull_request', payload, inputs: { mode: 'status' } });
    const head = (payload.pull_request as { head: { sha: string } }).head.sha;
    const [owner, repo] = (payload.repository as { full_name: string }).full_name.split('/');
    mockStatusContext();
    mockCommitStatus(owner!, repo!, head);
    const result = await runAction(r);
    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(head).not.toBe(r.sha);
    expect(statuses()).toHaveLength(1);
  });
});

describe('pages branch', () => {
  const refRoute = '/repos/{owner}/{repo}/git/ref/{ref}';

  it('creates the branch with index.html and status.json in one commit when it does not exist', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'pages-branch': 'gh-pages' },
    });
    mockStatusContext();
    rest('GET', refRoute, `/repos/${OWNER}/${REPO}/git/ref/heads%2Fgh-pages`, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference',
      status: '404',
    });
    rest('POST', '/repos/{owner}/{repo}/git/trees', `/repos/${OWNER}/${REPO}/git/trees`, 201, {
      ...EXAMPLES['git-tree']!.value,
      sha: 'c'.repeat(40),
    });
    rest('POST', '/repos/{owner}/{repo}/git/commits', `/repos/${OWNER}/${REPO}/git/commits`, 201, {
      ...EXAMPLES['git-commit']!.value,
      sha: 'd'.repeat(40),
    });
    rest('POST', '/repos/{owner}/{repo}/git/refs', `/repos/${OWNER}/${REPO}/git/refs`, 201, {
      ...EXAMPLES['git-ref']!.value,
      ref: 'refs/heads/gh-pages',
    });
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(result.pages).toEqual({ action: 'created', branch: 'gh-pages', commit: 'd'.repeat(40) });
    // The status read, the branch looked up, tree, commit, branch made, commit status.
    expect(result.requests).toBe(6);
    const [tree, commit, ref] = sent.filter((s) => s.route.includes('/git/'));
    const page = readFileSync(join(r.workspace, 'openly-status', 'index.html'), 'utf8');
    expect(tree!.body.base_tree).toBeUndefined();
    expect(tree!.body.tree).toEqual([
      { path: 'index.html', mode: '100644', type: 'blob', content: page },
      {
        path: 'status.json',
        mode: '100644',
        type: 'blob',
        content: readFileSync(join(r.workspace, 'openly-status', 'status.json'), 'utf8'),
      },
    ]);
    expect(commit!.body).toMatchObject({ tree: 'c'.repeat(40), parents: [] });
    expect(ref!.body).toEqual({ ref: 'refs/heads/gh-pages', sha: 'd'.repeat(40) });
    // The commit status links to the published page.
    expect(statuses()[0]!.body.target_url).toBe('https://codertocat.github.io/Hello-World/');
  });

  it('makes no commit when the branch already holds the same page', async () => {
    // A first run without a pages branch gives the files a second run would publish (same checkout, same clock,
    // same answers from GitHub).
    const r = runner({ event: 'push', payload: pushToMaster(), inputs: { mode: 'status' } });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);
    await runAction(r);
    const page = readFileSync(join(r.workspace, 'openly-status', 'index.html'), 'utf8');
    const badge = readFileSync(join(r.workspace, 'openly-status', 'status.json'), 'utf8');
    r.env['INPUT_PAGES-BRANCH'] = 'gh-pages';

    const head = 'e'.repeat(40);
    const treeSha = 'f'.repeat(40);
    mockStatusContext();
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
    const entry = (path: string, text: string) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: gitBlobSha(text),
      size: Buffer.byteLength(text),
      url: `${API}/repos/${OWNER}/${REPO}/git/blobs/${gitBlobSha(text)}`,
    });
    rest(
      'GET',
      '/repos/{owner}/{repo}/git/trees/{tree_sha}',
      `/repos/${OWNER}/${REPO}/git/trees/${treeSha}`,
      200,
      {
        sha: treeSha,
        url: `${API}/repos/${OWNER}/${REPO}/git/trees/${treeSha}`,
        truncated: false,
        tree: [
          entry('CNAME', 'status.example.nhs.uk\n'),
          entry('index.html', page),
          entry('status.json', badge),
        ],
      },
    );
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(result.pages).toEqual({ action: 'unchanged', branch: 'gh-pages', commit: head });
    expect(result.requests).toBe(5);
    expect(sent.filter((s) => s.route.includes('/git/'))).toEqual([]);
  });

  it('updates an existing branch on its head, not forced, keeping the other files', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'pages-branch': 'gh-pages' },
    });
    const head = 'e'.repeat(40);
    const treeSha = 'f'.repeat(40);
    mockStatusContext();
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
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.pages?.action).toBe('updated');
    const git = sent.filter((s) => s.route.includes('/git/'));
    expect(git[0]!.body.base_tree).toBe(treeSha);
    expect(git[1]!.body.parents).toEqual([head]);
    expect(git[2]!.body).toEqual({ sha: 'd'.repeat(40), force: false });
  });

  it('names contents: write when GitHub refuses the branch, and still sets the commit status', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'pages-branch': 'gh-pages' },
    });
    mockStatusContext();
    rest('GET', refRoute, `/repos/${OWNER}/${REPO}/git/ref/heads%2Fgh-pages`, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference',
      status: '404',
    });
    rest('POST', '/repos/{owner}/{repo}/git/trees', `/repos/${OWNER}/${REPO}/git/trees`, 403, FORBIDDEN);
    mockCommitStatus(OWNER, REPO, r.sha);
    const result = await runAction(r);
    expectValidMocks();
    expect(result.exitCode).toBe(1);
    expect(result.log).toMatch(
      /::error::GitHub refused publishing the status page to the branch gh-pages \(403.*"contents: write"/,
    );
    expect(statuses()[0]!.body.state).toBe('success');
  });
});

describe('pages branch: only the default branch publishes, and a concurrent run is never overwritten', () => {
  const refRoute = '/repos/{owner}/{repo}/git/ref/{ref}';

  function existingBranch(head: string, treeSha: string): void {
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
        tree: [
          {
            path: 'CNAME',
            mode: '100644',
            type: 'blob',
            sha: gitBlobSha('status.example.nhs.uk\n'),
            size: 22,
            url: `${API}/repos/${OWNER}/${REPO}/git/blobs/${gitBlobSha('status.example.nhs.uk\n')}`,
          },
        ],
      },
    );
  }

  it('a re-run later on the same commit adds no commit: a page that differs only in its time is the same page', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'pages-branch': 'gh-pages' },
    });
    // The first run publishes, and its commit records when the page was made.
    mockStatusContext();
    rest('GET', refRoute, `/repos/${OWNER}/${REPO}/git/ref/heads%2Fgh-pages`, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference',
      status: '404',
    });
    rest('POST', '/repos/{owner}/{repo}/git/trees', `/repos/${OWNER}/${REPO}/git/trees`, 201, {
      ...EXAMPLES['git-tree']!.value,
      sha: 'f'.repeat(40),
    });
    rest('POST', '/repos/{owner}/{repo}/git/commits', `/repos/${OWNER}/${REPO}/git/commits`, 201, {
      ...EXAMPLES['git-commit']!.value,
      sha: 'e'.repeat(40),
    });
    rest('POST', '/repos/{owner}/{repo}/git/refs', `/repos/${OWNER}/${REPO}/git/refs`, 201, {
      ...EXAMPLES['git-ref']!.value,
      ref: 'refs/heads/gh-pages',
    });
    mockCommitStatus(OWNER, REPO, r.sha);
    expect((await runAction(r)).pages?.action).toBe('created');
    const tree = sent.find((s) => s.route === '/repos/{owner}/{repo}/git/trees')!.body.tree as {
      path: string;
      content: string;
    }[];
    const message = String(sent.find((s) => s.route === '/repos/{owner}/{repo}/git/commits')!.body.message);
    expect(message).toContain(`Openly-Generated-At: ${NOW.toISOString()}`);
    sent.length = 0;

    // Two hours later, the branch holds that commit.
    const head = 'e'.repeat(40);
    const treeSha = 'f'.repeat(40);
    mockStatusContext();
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
        message,
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
        tree: tree.map(({ path, content }) => ({
          path,
          mode: '100644',
          type: 'blob',
          sha: gitBlobSha(content),
          size: Buffer.byteLength(content),
          url: `${API}/repos/${OWNER}/${REPO}/git/blobs/${gitBlobSha(content)}`,
        })),
      },
    );
    mockCommitStatus(OWNER, REPO, r.sha);
    const later = new Date(NOW.getTime() + 2 * 3600_000);
    const result = await runAction(r, later);

    expectValidMocks();
    expect(result.pages).toEqual({ action: 'unchanged', branch: 'gh-pages', commit: head });
    expect(sent.filter((s) => s.route.includes('/git/'))).toEqual([]);
    // The files in the step's own folder do say when this run judged the commit.
    expect(readFileSync(join(r.workspace, 'openly-status', 'index.html'), 'utf8')).toContain(
      later.toISOString(),
    );
  });

  it('a branch moved by another run meanwhile is refused, not forced, with a message saying so', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'pages-branch': 'gh-pages' },
    });
    mockStatusContext();
    existingBranch('e'.repeat(40), 'f'.repeat(40));
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
      422,
      {
        message: 'Update is not a fast forward',
        documentation_url: 'https://docs.github.com/rest/git/refs#update-a-reference',
        status: '422',
      },
    );
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.exitCode).toBe(1);
    const patch = sent.find((s) => s.method === 'PATCH');
    expect(patch?.body.force).toBe(false);
    expect(result.log).toContain(
      '::error::The branch gh-pages moved by someone else while Openly was publishing the status page, so nothing was overwritten; run the job again',
    );
    // The CNAME already there is kept: the new tree builds on the branch's.
    expect(sent.find((s) => s.route === '/repos/{owner}/{repo}/git/trees')?.body.base_tree).toBe(
      'f'.repeat(40),
    );
    expect(statuses()[0]!.body.state).toBe('success');
  });

  it('a tag push sets the status on its commit but leaves the page, which shows the default branch', async () => {
    const payload = example('push', (p) => p.ref === 'refs/tags/simple-tag' && p.deleted === false);
    const r = runner({ event: 'push', payload, inputs: { 'pages-branch': 'gh-pages' } });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);
    const result = await runAction(r);
    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(result.pages).toBeUndefined();
    expect(result.log).toContain(
      'The status page on gh-pages is left as it is: the page is published only from the default branch master, and this run is on refs/tags/simple-tag.',
    );
    // The run's page, not the Pages site, since the site does not show this commit.
    expect(statuses()[0]!.body.target_url).toBe(`https://github.com/${OWNER}/${REPO}/actions/runs/7001`);
  });

  it('a pull request leaves the page alone and still reports on its head commit', async () => {
    const payload = example('pull_request', (p) => p.action === 'opened');
    const r = runner({ event: 'pull_request', payload, inputs: { 'pages-branch': 'gh-pages' } });
    r.env.GITHUB_REF = 'refs/pull/2/merge';
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, (payload.pull_request as { head: { sha: string } }).head.sha);
    const result = await runAction(r);
    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(result.pages).toBeUndefined();
    expect(sent.filter((s) => s.route.includes('/git/'))).toEqual([]);
  });
});

describe('events with nothing to report on, or no right to report', () => {
  it('a push whose payload is empty is judged, status only, with no crash', async () => {
    const r = runner({ event: 'push', payload: {}, inputs: { 'dry-run': 'true' } });
    const result = await runAction(r);
    expect(result.exitCode).toBe(0);
    expect(result.status).toBe('pass');
    expect(result.log).toContain(
      'but the event does not name the default branch, so no release notes: status only',
    );
  });

  it('a push that deletes a tag does nothing at all and says so', async () => {
    const payload = example('push', (p) => p.deleted === true);
    const r = runner({ event: 'push', payload, inputs: { 'pages-branch': 'gh-pages' } });
    const result = await runAction(r);
    expect(result.exitCode).toBe(0);
    expect(result.requests).toBe(0);
    expect(result.log).toContain(
      '::notice::This push deleted refs/tags/simple-tag: there is no commit to judge, so Openly did nothing.',
    );
    expect(existsSync(join(r.workspace, 'openly-status'))).toBe(false);
  });

  it("a fork's pull request is judged and annotated, with no commit status its read-only token would be refused", async () => {
    const payload = example('pull_request', (p) => p.action === 'opened');
    (payload.pull_request as { head: { repo: { full_name: string } } }).head.repo.full_name =
      'contributor/Hello-World';
    const r = runner({ event: 'pull_request', payload, inputs: { mode: 'status' } });
    r.env.GITHUB_REF = 'refs/pull/2/merge';
    mockStatusContext();
    const result = await runAction(r);
    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(statuses()).toEqual([]);
    expect(result.log).toContain(
      '::notice::This pull request comes from contributor/Hello-World, and GitHub gives such a run a read-only token',
    );
  });

  it('a config input naming a missing file fails at once naming the input, with no request and no status', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', config: 'governance/opnly.yml' },
    });
    const result = await runAction(r);
    expect(result.exitCode).toBe(1);
    expect(result.requests).toBe(0);
    expect(result.log).toContain(
      '::error::Openly could not run: input "config": governance/opnly.yml does not exist',
    );
  });
});

describe('release steps', () => {
  it('a push to the default branch drafts the release notes, then reports the status', async () => {
    const r = runner({ event: 'push', payload: pushToMaster() });
    mockDraftState({
      releases: [releaseNode({ tagName: 'v1.2.0' })],
      pulls: [pullNode(41, 60, { labels: ['feature'], title: 'Add the <b>opening</b> times page' })],
    });
    mockCreate(OWNER, REPO, 201, 7777);
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(result.release).toMatchObject({ action: 'created', tag: 'v1.3.0', draft: true });
    const outputs = readOutputs(r.outputFile);
    expect(outputs.tag).toBe('v1.3.0');
    expect(outputs['release-url']).toBe(
      'https://github.com/nhsengland/book-a-vaccination/releases/tag/v1.3.0',
    );
    expect(outputs.status).toBe('pass');
    expect(statuses()).toHaveLength(1);
    expect(readFileSync(r.summaryFile, 'utf8')).toContain('Draft release [v1.3.0]');
  });

  it('a closed milestone publishes its release', async () => {
    const r = runner({ event: 'milestone', payload: milestoneClosed() });
    mockMilestone({ title: 'v1.0', releases: [], pulls: [pullNode(7, 10)], issues: [] });
    mockCreate(OWNER, REPO, 201, 8888);
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.exitCode).toBe(0);
    expect(result.release).toMatchObject({ action: 'published', tag: 'v1.0.0', draft: false });
    expect(readOutputs(r.outputFile).tag).toBe('v1.0.0');
  });

  it('workflow_dispatch publishes the draft', async () => {
    const r = runner({ event: 'workflow_dispatch', payload: dispatch() });
    mockDraftState({
      releases: [
        releaseNode({
          tagName: 'v2.1.0',
          isDraft: true,
          databaseId: 4321,
          description: '<!-- openly:release-notes draft abc -->\n- x (#1)',
        }),
        releaseNode({ tagName: 'v2.0.0' }),
      ],
      pulls: [],
      withPulls: false,
    });
    mockUpdate('octo-org', 'octo-repo', 4321);
    mockStatusContext();
    mockCommitStatus('octo-org', 'octo-repo', r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.release).toMatchObject({ action: 'published', tag: 'v2.1.0' });
    expect(result.exitCode).toBe(0);
  });

  it('a release GitHub refuses fails the step naming contents: write, and the status is still reported', async () => {
    const r = runner({ event: 'push', payload: pushToMaster() });
    mockDraftState({ releases: [releaseNode({ tagName: 'v1.2.0' })], pulls: [pullNode(41, 60)] });
    mockCreate(OWNER, REPO, 403);
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expectValidMocks();
    expect(result.exitCode).toBe(1);
    expect(result.log).toMatch(
      /::error::GitHub refused creating the draft release v1\.2\.1 \(403.*contents: write/,
    );
    expect(statuses()[0]!.body.state).toBe('success');
    expect(readOutputs(r.outputFile).status).toBe('pass');
  });

  it('mode milestone on a push says it needs a milestone event, before any request', async () => {
    const r = runner({ event: 'push', payload: pushToMaster(), inputs: { mode: 'milestone' } });
    const result = await runAction(r);
    expect(result.exitCode).toBe(1);
    expect(result.requests).toBe(0);
    expect(result.log).toMatch(/::error::Openly could not run: mode "milestone" needs a milestone event/);
  });
});
