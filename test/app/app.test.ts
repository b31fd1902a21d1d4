import nock from 'nock';
import type { Probot } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  API,
  APP_ID,
  CHECK_RUN_ID,
  PRIVATE_KEY,
  annotationsShown,
  example,
  fixtureRepo,
  invalidMocks,
  logs,
  makeProbot,
  mockCheckRuns,
  mockContext,
  mockFiles,
  mockRepository,
  mockTree,
  sent,
  type RepoMock,
} from './harness.js';

type Json = Record<string, unknown>;

interface Annotation {
  path: string;
  start_line: number;
  annotation_level: string;
  title: string;
  message: string;
}

interface CheckRunBody {
  name?: string;
  head_sha?: string;
  status?: string;
  conclusion?: string;
  output: { title: string; summary: string; annotations: Annotation[] };
}

const PR_OPENED = example('pull_request', (p) => p.action === 'opened' && p.installation !== undefined);
const pr = PR_OPENED.pull_request as { number: number; head: { sha: string } };
const HEAD = pr.head.sha;

function repo(extra: Partial<RepoMock> = {}): RepoMock {
  return { owner: 'Codertocat', repo: 'Hello-World', headSha: HEAD, files: fixtureRepo('clean'), ...extra };
}

function without(files: Record<string, string>, ...paths: string[]): Record<string, string> {
  const copy = { ...files };
  for (const path of paths) delete copy[path];
  return copy;
}

/** The clean repository and `count` weeknotes, each missing its date: one annotated finding a weeknote. */
function withWeeknotes(count: number): Record<string, string> {
  const files = fixtureRepo('clean');
  for (let week = 0; week < count; week++) {
    const date = new Date(Date.UTC(2025, 0, 3 + week * 7)).toISOString().slice(0, 10);
    files[`weeknotes/${date}.md`] = `---\ntitle: Week ${week}\n---\n\nNotes.\n`;
  }
  return files;
}

function bodies(): CheckRunBody[] {
  return sent.map((s) => s.body as unknown as CheckRunBody);
}

function only(): CheckRunBody {
  expect(sent).toHaveLength(1);
  return bodies()[0]!;
}

let probot: Probot;

async function receive(name: string, payload: Json, id = 'delivery-1'): Promise<void> {
  await probot.receive({ id, name, payload } as Parameters<Probot['receive']>[0]);
}

beforeAll(() => {
  nock.disableNetConnect();
});

beforeEach(async () => {
  sent.length = 0;
  invalidMocks.length = 0;
  logs.length = 0;
  probot = await makeProbot();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(invalidMocks).toEqual([]);
  expect(pending).toEqual([]);
  // Nothing secret is ever logged: not the token, not the key.
  const logged = JSON.stringify(logs);
  expect(logged).not.toContain('token test');
  expect(logged).not.toContain(PRIVATE_KEY.split('\n')[1]!);
});

describe('a pull request is judged with one check run', () => {
  it('fails a repository without SECURITY.md, saying so', async () => {
    mockRepository(repo({ files: without(fixtureRepo('clean'), 'SECURITY.md') }));
    await receive('pull_request', PR_OPENED);
    const body = only();
    expect(sent[0]!.method).toBe('POST');
    expect(body).toMatchObject({
      name: 'Openly',
      head_sha: HEAD,
      status: 'completed',
      conclusion: 'failure',
    });
    // GitHub's example payload was last pushed to in 2019: the visibility check, reading the payload's facts, notes it.
    expect(body.output.title).toBe('1 error, 1 notice');
    expect(body.output.summary).toContain('SECURITY.md');
    expect(body.output.summary).toContain('community-files/security');
    expect(body.output.summary).toContain('visibility/stale');
  });

  it('fails a private repository with no justification, from the payload alone', async () => {
    mockRepository(repo());
    const repository = PR_OPENED.repository as Record<string, unknown>;
    const payload = {
      ...PR_OPENED,
      repository: {
        ...repository,
        private: true,
        visibility: 'private',
        pushed_at: new Date().toISOString(),
      },
    };
    await receive('pull_request', payload);
    const body = only();
    expect(body.conclusion).toBe('failure');
    expect(body.output.title).toBe('1 error');
    expect(body.output.summary).toContain('visibility/not-public');
  });

  it('passes a clean repository, in four requests', async () => {
    mockRepository(repo());
    await receive('pull_request', PR_OPENED);
    const body = only();
    expect(body.conclusion).toBe('success');
    expect(body.output.annotations).toEqual([]);
    expect(body.output.summary).toContain('built-in defaults');
    const written = logs.find((l) => l.msg === 'Openly check run written');
    expect(written?.requests).toEqual({
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': 1,
      'POST /graphql OpenlyContext': 1,
      'POST /graphql OpenlyFiles': 1,
      'POST /repos/{owner}/{repo}/check-runs': 1,
    });
  });

  it('is neutral when there are warnings only', async () => {
    mockRepository(repo({ files: without(fixtureRepo('clean'), 'CODE_OF_CONDUCT.md') }));
    await receive('pull_request', PR_OPENED);
    const body = only();
    expect(body.conclusion).toBe('neutral');
    expect(body.output.summary).toContain('community-files/code-of-conduct');
  });

  it('sends every annotation past the first 50 in further updates, each exactly once', async () => {
    const mock = repo({ files: withWeeknotes(120) });
    mockRepository(mock);
    await receive('pull_request', PR_OPENED);
    expect(sent.map((s) => s.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    const [created, ...more] = bodies();
    expect(created!.conclusion).toBe('failure');
    expect([created, ...more].map((b) => b!.output.annotations.length)).toEqual([50, 50, 20]);
    expect(more.every((b) => b.output.title === created!.output.title)).toBe(true);
    const shown = await annotationsShown(mock);
    expect(shown).toHaveLength(120);
    expect(new Set(shown.map((a) => a.path)).size).toBe(120);
    expect(shown.every((a) => a.path.startsWith('weeknotes/'))).toBe(true);
  });
});

describe('a redelivery leaves the pull request as it was', () => {
  it('writes nothing when the same pull_request event is delivered again: N annotations, not 2N', async () => {
    const mock = repo({ files: withWeeknotes(16) });
    const checks = mockRepository(mock);
    await receive('pull_request', PR_OPENED, 'delivery-1');
    expect(await annotationsShown(mock)).toHaveLength(16);
    sent.length = 0;
    logs.length = 0;

    mockRepository(mock, checks);
    await receive('pull_request', PR_OPENED, 'delivery-1');
    expect(sent).toEqual([]);
    expect(checks.runsOf(HEAD)).toHaveLength(1);
    expect(await annotationsShown(mock)).toHaveLength(16);
    const unchanged = logs.find((l) => l.msg === 'Openly check run already shows this result');
    expect(unchanged).toMatchObject({ deliveryId: 'delivery-1', checkRunId: CHECK_RUN_ID, annotations: 16 });
    expect(unchanged?.requests).toEqual({
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': 1,
      'POST /graphql OpenlyContext': 1,
      'POST /graphql OpenlyFiles': 1,
    });
  });

  it('writes nothing on a redelivery of a run of more than 50 annotations either', async () => {
    const mock = repo({ files: withWeeknotes(75) });
    const checks = mockRepository(mock);
    await receive('pull_request', PR_OPENED);
    mockRepository(mock, checks);
    await receive('pull_request', { ...PR_OPENED, action: 'synchronize' }, 'delivery-2');
    expect(sent.map((s) => s.method)).toEqual(['POST', 'PATCH']);
    expect(await annotationsShown(mock)).toHaveLength(75);
  });

  it('writes nothing for a second push event for a commit already judged', async () => {
    const push = example('push', (p) => p.ref === 'refs/heads/master' && p.installation !== undefined);
    const mock = repo({ headSha: push.after as string, pullRequest: false, files: withWeeknotes(4) });
    const checks = mockRepository(mock);
    await receive('push', push, 'push-1');
    mockRepository(mock, checks);
    await receive('push', push, 'push-2');
    expect(sent.map((s) => s.method)).toEqual(['POST']);
    expect(await annotationsShown(mock)).toHaveLength(4);
  });

  it('makes a new run when the last one was cut short or written by an older Openly', async () => {
    const mock = repo({ files: withWeeknotes(60) });
    const checks = mockCheckRuns(mock);
    // Only the first 50 got there: the delivery that wrote them stopped before the update with the rest.
    const old = checks.seed({
      id: 777,
      head_sha: HEAD,
      conclusion: 'failure',
      output: { title: '60 errors', summary: '## Openly\n', text: null },
      annotations: Array.from({ length: 50 }, (_, i) => ({
        path: `weeknotes/${i}.md`,
        start_line: 1,
        end_line: 1,
        annotation_level: 'failure',
        message: 'old',
      })),
    });
    mockRepository(mock, checks);
    await receive('pull_request', PR_OPENED, 'delivery-again');
    expect(sent.map((s) => s.method)).toEqual(['POST', 'PATCH']);
    expect(checks.latest(HEAD)!.id).toBeGreaterThan(old.id);
    expect(await annotationsShown(mock)).toHaveLength(60);
    expect(old.annotations).toHaveLength(50);
  });

  it('shows only the new findings when the result for the same commit changed', async () => {
    const mock = repo({ files: withWeeknotes(16) });
    const checks = mockRepository(mock);
    await receive('pull_request', PR_OPENED);
    const before = checks.latest(HEAD)!;
    expect(before.conclusion).toBe('failure');

    // The default branch's configuration now makes the same findings warnings, and asks for a CODEOWNERS file.
    const config = 'rules:\n  artefacts/schema: warning\n  community-files/codeowners: error\n';
    mockRepository({ ...mock, repoConfig: config }, checks);
    await receive('pull_request', { ...PR_OPENED, action: 'synchronize' }, 'delivery-2');
    expect(checks.runsOf(HEAD)).toHaveLength(2);
    const after = checks.latest(HEAD)!;
    expect(after.id).not.toBe(before.id);
    expect(after.conclusion).toBe('failure');
    expect(after.output.summary).toContain('community-files/codeowners');
    const shown = await annotationsShown(mock);
    expect(shown).toHaveLength(16);
    expect(shown.every((a) => a.annotation_level === 'warning')).toBe(true);
    // The old run is left as it was, one run further back.
    expect(before.annotations).toHaveLength(16);
    expect(before.annotations.every((a) => a.annotation_level === 'failure')).toBe(true);
  });
});

describe('configuration', () => {
  it('fails on a broken .github/openly.yml, naming the file and line, and runs no check', async () => {
    const config = 'licence: error\ncommunity-files: sometimes\n';
    const mock = repo({
      repoConfig: config,
      files: { ...fixtureRepo('clean'), '.github/openly.yml': config },
    });
    mockTree(mock);
    mockContext(mock);
    mockCheckRuns(mock);
    await receive('pull_request', PR_OPENED);
    const body = only();
    expect(body.conclusion).toBe('failure');
    expect(body.output.title).toBe('The Openly configuration cannot be used');
    expect(body.output.summary).toContain('Codertocat/Hello-World:.github/openly.yml:2');
    expect(body.output.annotations).toEqual([
      expect.objectContaining({ path: '.github/openly.yml', start_line: 2, annotation_level: 'failure' }),
    ]);
  });

  it('validates the version a pull request brings, and still judges the rest', async () => {
    const head = 'rules:\n  community-files/securty: off\n';
    const mock = repo({
      repoConfig: 'licence: error\n',
      headConfig: head,
      files: { ...fixtureRepo('clean'), '.github/openly.yml': head },
    });
    mockRepository(mock);
    await receive('pull_request', PR_OPENED);
    const body = only();
    expect(body.conclusion).toBe('failure');
    const annotation = body.output.annotations.find((a) => a.path === '.github/openly.yml');
    expect(annotation).toMatchObject({ start_line: 2, title: 'config/invalid' });
    expect(annotation!.message).toContain('community-files/security');
    // The checks ran under the default branch's configuration.
    expect(body.output.summary).toContain('Community files');
  });

  it("merges the organisation's base under the repository's", async () => {
    mockRepository(
      repo({
        orgConfig: 'rules:\n  community-files/codeowners: error\n',
        repoConfig: 'licence: error\n',
        files: { ...fixtureRepo('clean'), '.github/openly.yml': 'licence: error\n' },
      }),
    );
    await receive('pull_request', PR_OPENED);
    const body = only();
    expect(body.conclusion).toBe('failure');
    expect(body.output.summary).toContain('community-files/codeowners');
    expect(body.output.summary).toContain('Codertocat/.github:.github/openly.yml');
  });
});

describe('when GitHub fails', () => {
  it('still writes an honest check run, logs the delivery, and carries on', async () => {
    const mock = repo();
    mockTree(mock, 500);
    mockContext(mock);
    mockCheckRuns(mock);
    await receive('pull_request', PR_OPENED, 'delivery-500');
    const body = only();
    expect(body.conclusion).toBe('failure');
    expect(body.output.title).toBe('Openly could not read the repository');
    expect(body.output.summary).toContain('500');
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 50,
        deliveryId: 'delivery-500',
        msg: 'Openly could not judge the commit',
      }),
    );
  });

  it('logs a check run GitHub refuses to take, and does not crash', async () => {
    const mock = repo();
    mockTree(mock);
    mockContext(mock);
    mockFiles(mock);
    nock(API).post('/repos/Codertocat/Hello-World/check-runs').reply(403, {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest',
    });
    await receive('pull_request', PR_OPENED, 'delivery-403');
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 50,
        deliveryId: 'delivery-403',
        msg: 'Openly could not write the check run',
      }),
    );
  });
});

describe('which events are judged', () => {
  it('ignores a push to a branch other than the default, with no request', async () => {
    const push = example('push', (p) => p.ref === 'refs/heads/master' && p.installation !== undefined);
    push.ref = 'refs/heads/feature/opening-times';
    await receive('push', push);
    expect(sent).toEqual([]);
    expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('judges a push to the default branch', async () => {
    const push = example('push', (p) => p.ref === 'refs/heads/master' && p.installation !== undefined);
    mockRepository(repo({ headSha: push.after as string, pullRequest: false }));
    await receive('push', push);
    expect(only()).toMatchObject({ head_sha: push.after, conclusion: 'success' });
  });

  it('ignores an edited pull request whose base did not change', async () => {
    await receive('pull_request', { ...PR_OPENED, action: 'edited', changes: { title: { from: 'Old' } } });
    expect(sent).toEqual([]);
  });

  it('judges again when the base branch changes', async () => {
    mockRepository(repo());
    await receive('pull_request', {
      ...PR_OPENED,
      action: 'edited',
      changes: { base: { ref: { from: 'develop' }, sha: { from: 'a'.repeat(40) } } },
    });
    expect(only().conclusion).toBe('success');
  });

  it('makes a new check run each time Re-run is pressed, the old ones left as they were', async () => {
    const rerun = example('check_run', (p) => p.action === 'rerequested');
    const run = rerun.check_run as { id: number; name: string; head_sha: string; app: { id: number } };
    run.name = 'Openly';
    run.app.id = APP_ID;
    const mock = repo({
      owner: 'github',
      repo: 'hello-world',
      headSha: run.head_sha,
      pullRequest: false,
      files: withWeeknotes(16),
    });
    const checks = mockCheckRuns(mock);
    const old = checks.seed({ id: run.id, head_sha: run.head_sha, conclusion: 'failure' });
    mockRepository(mock, checks);
    await receive('check_run', rerun);
    expect(sent.map((s) => s.method)).toEqual(['POST']);
    const second = checks.latest(run.head_sha)!;
    expect(second.id).toBeGreaterThan(old.id);
    expect(await annotationsShown(mock)).toHaveLength(16);
    expect(old.annotations).toEqual([]);

    // Nothing changed since, but the person pressing the button gets a new run, not a second copy of each finding.
    sent.length = 0;
    mockRepository(mock, checks);
    await receive('check_run', { ...rerun, check_run: { ...run, id: second.id } }, 'delivery-rerun-2');
    expect(sent.map((s) => s.method)).toEqual(['POST']);
    expect(checks.runsOf(run.head_sha)).toHaveLength(3);
    expect(await annotationsShown(mock)).toHaveLength(16);
    expect(second.annotations).toHaveLength(16);
  });

  it('makes a new check run when Re-run all is pressed on the suite', async () => {
    const rerun = example('check_suite', (p) => p.action === 'rerequested');
    const suite = rerun.check_suite as { head_sha: string };
    const mock = repo({ headSha: suite.head_sha, files: withWeeknotes(3) });
    const checks = mockRepository(mock);
    await receive('check_suite', rerun);
    mockRepository(mock, checks);
    await receive('check_suite', rerun, 'delivery-rerun-2');
    expect(sent.map((s) => s.method)).toEqual(['POST', 'POST']);
    expect(checks.runsOf(suite.head_sha).map((r) => r.annotations.length)).toEqual([3, 3]);
    expect(await annotationsShown(mock)).toHaveLength(3);
  });

  it("leaves another app's Re-run alone", async () => {
    await receive(
      'check_run',
      example('check_run', (p) => p.action === 'rerequested'),
    );
    expect(sent).toEqual([]);
  });

  it('leaves a check suite on the default branch to the push event', async () => {
    await receive(
      'check_suite',
      example('check_suite', (p) => p.action === 'requested'),
    );
    expect(sent).toEqual([]);
  });

  it('judges a check suite requested for a branch with no pull request', async () => {
    const suite = example('check_suite', (p) => p.action === 'requested');
    (suite.check_suite as { head_branch: string }).head_branch = 'opening-times';
    const mock = repo({ headSha: (suite.check_suite as { head_sha: string }).head_sha, pullRequest: false });
    mockRepository(mock);
    await receive('check_suite', suite);
    expect(only()).toMatchObject({ conclusion: 'success', head_sha: mock.headSha });
    expect(CHECK_RUN_ID).toBeGreaterThan(0);
  });
});
