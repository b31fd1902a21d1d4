// Diagram exports judged by the App, which has no history: what the push or pull request touched dates a plain
// export, read from what the App already has (the push payload, the pull request's files in the context query).
import { readFileSync } from 'node:fs';
import nock from 'nock';
import type { Probot } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  example,
  fixtureRepo,
  invalidMocks,
  logs,
  makeProbot,
  mockCheckRuns,
  mockContext,
  mockFiles,
  mockGraphql,
  mockTree,
  sent,
  type RepoMock,
} from './harness.js';

type Json = Record<string, unknown>;
interface Annotation {
  path: string;
  annotation_level: string;
  title: string;
  message: string;
}

/** jgraph's UML deployment example (test/fixtures/diagrams/SOURCES.md). */
const UML = readFileSync(
  new URL('../fixtures/diagrams/uml-deployment-example.drawio', import.meta.url),
  'utf8',
);
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
const FILES = {
  ...fixtureRepo('clean'),
  'docs/deployment.drawio': UML,
  'docs/deployment.svg': SVG,
  'docs/journey.drawio': UML,
  'docs/journey.svg': SVG,
};
const SHA = { first: '1'.repeat(40), second: '2'.repeat(40) };

let probot: Probot;

beforeAll(() => nock.disableNetConnect());
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
});

async function receive(name: string, payload: Json): Promise<void> {
  await probot.receive({ id: 'delivery-1', name, payload } as Parameters<Probot['receive']>[0]);
}

/** The diagrams annotations of the one check run written, and the requests its judging cost. */
function judged(): { annotations: Annotation[]; requests: unknown } {
  expect(sent).toHaveLength(1);
  const output = (sent[0]!.body as { output: { annotations: Annotation[] } }).output;
  const written = logs.find((l) => l.msg === 'Openly check run written');
  return {
    annotations: output.annotations.filter((a) => a.path.startsWith('docs/')),
    requests: written?.requests,
  };
}

const READS = {
  'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': 1,
  'POST /graphql OpenlyContext': 1,
  'POST /graphql OpenlyFiles': 1,
  'POST /repos/{owner}/{repo}/check-runs': 1,
};

describe('diagram exports in the App', () => {
  it("on a push, finds an export stale whose source a later pushed commit changed, from the payload's file lists", async () => {
    const push = example('push', (p) => p.ref === 'refs/heads/master' && p.installation !== undefined);
    const commit = (push.commits as Json[])[0]!;
    push.commits = [
      { ...commit, id: SHA.first, added: ['docs/journey.drawio', 'docs/journey.svg'], modified: [] },
      { ...commit, id: SHA.second, added: [], modified: ['docs/journey.drawio', 'README.md'] },
    ];
    const mock: RepoMock = {
      owner: 'Codertocat',
      repo: 'Hello-World',
      headSha: push.after as string,
      pullRequest: false,
      files: FILES,
    };
    mockTree(mock);
    mockContext(mock, mockCheckRuns(mock));
    mockFiles(mock);

    await receive('push', push);

    const { annotations, requests } = judged();
    expect(annotations).toEqual([
      expect.objectContaining({
        path: 'docs/journey.svg',
        annotation_level: 'warning',
        message: expect.stringContaining(
          `the source changed in commit ${SHA.second.slice(0, 7)}, after the export was last committed (${SHA.first.slice(0, 7)})`,
        ),
      }),
      // Neither file of the other diagram was touched: only history could date it, and the App has none.
      expect.objectContaining({
        path: 'docs/deployment.svg',
        annotation_level: 'notice',
        message: expect.stringContaining('neither changed in this push, and no git history'),
      }),
    ]);
    expect((sent[0]!.body as { output: { summary: string } }).output.summary).toContain(
      'export it again over docs/journey.svg',
    );
    // Nothing asked of GitHub beyond what any push costs.
    expect(requests).toEqual(READS);
  });

  it('warns of the export of a page the source no longer has, from the tree alone', async () => {
    const push = example('push', (p) => p.ref === 'refs/heads/master' && p.installation !== undefined);
    const commit = (push.commits as Json[])[0]!;
    push.commits = [{ ...commit, id: SHA.first, added: [], modified: ['README.md'] }];
    const mock: RepoMock = {
      owner: 'Codertocat',
      repo: 'Hello-World',
      headSha: push.after as string,
      pullRequest: false,
      // The journey has one page: its page 2 export is left over from a page since removed.
      files: { ...FILES, 'docs/journey-page2.svg': SVG },
    };
    mockTree(mock);
    mockContext(mock, mockCheckRuns(mock));
    mockFiles(mock);

    await receive('push', push);

    const { annotations, requests } = judged();
    expect(annotations.filter((a) => a.path === 'docs/journey-page2.svg')).toEqual([
      expect.objectContaining({
        annotation_level: 'warning',
        message: expect.stringContaining(
          'docs/journey-page2.svg is the SVG export of page 2 of docs/journey.drawio, which has one page now',
        ),
      }),
    ]);
    expect((sent[0]!.body as { output: { summary: string } }).output.summary).toContain(
      'Delete docs/journey-page2.svg',
    );
    // Told from the tree's paths: nothing is asked of GitHub beyond what any push costs.
    expect(requests).toEqual(READS);
  });

  it.each([
    [
      'the source alone',
      ['docs/journey.drawio'],
      [
        {
          path: 'docs/journey.svg',
          level: 'warning',
          says: 'the source changed in pull request #2, the export did not',
        },
      ],
    ],
    ['the export alone', ['docs/journey.svg'], []],
    [
      'both, in an order it cannot know',
      ['docs/journey.drawio', 'docs/journey.svg'],
      [{ path: 'docs/journey.svg', level: 'notice', says: 'which came last is not known' }],
    ],
  ])('on a pull request that changes %s, judges from its files', async (_name, changed, expected) => {
    const pr = example('pull_request', (p) => p.action === 'opened' && p.installation !== undefined);
    const head = (pr.pull_request as { head: { sha: string } }).head.sha;
    const mock: RepoMock = { owner: 'Codertocat', repo: 'Hello-World', headSha: head, files: FILES };
    mockTree(mock);
    const checks = mockCheckRuns(mock);
    mockGraphql('OpenlyContext', (variables, query) => ({
      data: {
        repository: {
          repoConfigYml: null,
          repoConfigYaml: null,
          headConfigYml: null,
          headConfigYaml: null,
          pullRequest: {
            commits: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] },
            files: { totalCount: changed.length, nodes: changed.map((path) => ({ path })) },
          },
          head: { checkSuites: checks.graphqlCheckSuites(head, variables, query) },
        },
        orgBase: { configYml: null, configYaml: null },
      },
    }));
    mockFiles(mock);

    await receive('pull_request', pr);

    const { annotations, requests } = judged();
    const ofJourney = annotations.filter((a) => a.message.includes('docs/journey.svg'));
    expect(ofJourney.map((a) => ({ path: a.path, level: a.annotation_level, says: a.message }))).toEqual(
      expected.map((e) => ({ ...e, says: expect.stringContaining(e.says) })),
    );
    expect(requests).toEqual(READS);
  });
});
