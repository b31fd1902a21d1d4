// The App's request budget, on the bench's own scenarios and mocks (bench/support/github-mock.js), with every
// answer checked against GitHub's schemas here so that the bench measures against mocks GitHub would send.
import nock from 'nock';
import type { Probot } from 'probot';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECK_RUNS_ROUTE,
  COMPARE_ROUTE,
  TREE_ROUTE,
  byRoute,
  generateRepository,
  mockGitHub,
  type MockedGitHub,
  type Validators,
} from '../../bench/support/github-mock.js';
import { checks } from '../../src/checks/index.js';
import type { AnyCheck } from '../../src/core/check.js';
import {
  validateGraphqlResponse,
  validateRestRequestBody,
  validateRestResponse,
} from '../support/github-schemas.js';
import { example, logs, makeProbot } from './harness.js';

const validate: Validators = {
  restResponse: validateRestResponse,
  restRequestBody: validateRestRequestBody,
  graphqlResponse: validateGraphqlResponse,
};

const PR_OPENED = example('pull_request', (p) => p.action === 'opened' && p.installation !== undefined);
const PR = PR_OPENED.pull_request as { number: number; head: { sha: string } };
const PUSH = example('push', (p) => p.ref === 'refs/heads/master' && p.installation !== undefined);
// The example creates the branch; an ordinary push to the default branch has a commit before it.
PUSH.before = 'b7e2a1c9d8f7e6a5b4c3d2e1f0a9b8c7d6e5f4a3';

/** A check of the kind a team might add: it wants every Markdown file, and finds nothing. */
const EXTRA: AnyCheck = {
  id: 'extra-markdown',
  title: 'Extra Markdown check',
  rules: { 'extra-markdown/none': { level: 'notice', description: 'Nothing.' } },
  wants: (paths) => paths.filter((path) => path.endsWith('.md')),
  run: () => [],
};

const EVERY_CHECK = 'artefacts: error\nsigned-commits: error\n';

let mocked: MockedGitHub | undefined;

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(mocked?.problems ?? []).toEqual([]);
  expect(pending).toEqual([]);
  mocked = undefined;
});

function repository(commits: number, config?: string) {
  return generateRepository({
    owner: 'Codertocat',
    repo: 'Hello-World',
    headSha: PR.head.sha,
    files: 300,
    artefacts: 20,
    commits,
    ...(config === undefined ? {} : { config }),
  });
}

async function pullRequest(commits: number, options: { config?: string; checks?: readonly AnyCheck[] } = {}) {
  logs.length = 0;
  const probot: Probot = await makeProbot(options.checks === undefined ? {} : { checks: options.checks });
  mocked = mockGitHub(
    repository(commits, options.config),
    { event: 'pull_request', number: PR.number },
    { validate },
  );
  await probot.receive({ id: 'delivery-budget', name: 'pull_request', payload: PR_OPENED } as Parameters<
    Probot['receive']
  >[0]);
  return mocked;
}

/** The App's own count, from its log line: the same figure the bench reads from the mocks. */
function logged(): unknown {
  return logs.find((l) => l.msg === 'Openly check run written')?.requests;
}

describe('requests per event', () => {
  it('a pull request of 30 commits, 300 files and 20 artefacts costs at most 4 requests, writes included', async () => {
    const { requests, written } = await pullRequest(30);
    expect(requests.length).toBeLessThanOrEqual(4);
    expect(byRoute(requests)).toEqual({
      [TREE_ROUTE]: 1,
      'POST /graphql OpenlyContext': 1,
      'POST /graphql OpenlyFiles': 1,
      [CHECK_RUNS_ROUTE]: 1,
    });
    expect(logged()).toEqual(byRoute(requests));
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ conclusion: 'success' });
  });

  it('costs the same with every check switched on and one more check registered', async () => {
    const { requests, written } = await pullRequest(30, {
      config: EVERY_CHECK,
      checks: [...checks, EXTRA],
    });
    expect(byRoute(requests)).toEqual({
      [TREE_ROUTE]: 1,
      'POST /graphql OpenlyContext': 1,
      'POST /graphql OpenlyFiles': 1,
      [CHECK_RUNS_ROUTE]: 1,
    });
    const summary = (written[0] as { output: { summary: string } }).output.summary;
    expect(summary).toContain('Signed commits');
    expect(summary).toContain('Extra Markdown check');
    expect(written[0]).toMatchObject({ conclusion: 'success' });
  });

  it('pages 300 commits: two requests more, one per further 100', async () => {
    const { requests, written } = await pullRequest(300, { config: EVERY_CHECK });
    expect(byRoute(requests)).toEqual({
      [TREE_ROUTE]: 1,
      'POST /graphql OpenlyContext': 1,
      'POST /graphql OpenlyPullRequestCommits': 2,
      'POST /graphql OpenlyFiles': 1,
      [CHECK_RUNS_ROUTE]: 1,
    });
    expect(written[0]).toMatchObject({ conclusion: 'success' });
  });

  it('a redelivery of the same pull request costs the reads only, and writes nothing', async () => {
    logs.length = 0;
    const probot = await makeProbot();
    mocked = mockGitHub(
      repository(30),
      { event: 'pull_request', number: PR.number },
      { validate, times: 2, remember: true },
    );
    const deliver = () =>
      probot.receive({ id: 'delivery-again', name: 'pull_request', payload: PR_OPENED } as Parameters<
        Probot['receive']
      >[0]);
    await deliver();
    mocked.requests.length = 0;
    await deliver();
    expect(byRoute(mocked.requests)).toEqual({
      [TREE_ROUTE]: 1,
      'POST /graphql OpenlyContext': 1,
      'POST /graphql OpenlyFiles': 1,
    });
    expect(mocked.written).toHaveLength(1);
    const again = logs.find((l) => l.msg === 'Openly check run already shows this result');
    expect(again?.requests).toEqual(byRoute(mocked.requests));
  });

  it('a push to the default branch reads its commits through one compare', async () => {
    logs.length = 0;
    const probot = await makeProbot();
    const repo = { ...repository(30, EVERY_CHECK), headSha: PUSH.after as string };
    mocked = mockGitHub(repo, { event: 'push', before: PUSH.before as string }, { validate });
    await probot.receive({ id: 'delivery-push', name: 'push', payload: PUSH } as Parameters<
      Probot['receive']
    >[0]);
    expect(byRoute(mocked.requests)).toEqual({
      [TREE_ROUTE]: 1,
      'POST /graphql OpenlyContext': 1,
      [COMPARE_ROUTE]: 1,
      'POST /graphql OpenlyFiles': 1,
      [CHECK_RUNS_ROUTE]: 1,
    });
    expect(mocked.written[0]).toMatchObject({ head_sha: PUSH.after, conclusion: 'success' });
  });
});
