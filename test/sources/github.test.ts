import { readFileSync } from 'node:fs';
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CONFIG_LINK_QUERY,
  CONTEXT_QUERY,
  EMPTY_REPOSITORY,
  FILES_PER_QUERY,
  GitHubReadError,
  PULL_REQUEST_COMMITS_QUERY,
  fetchContext,
  fetchFiles,
  filesQuery,
  gitHubSnapshot,
} from '../../src/sources/github.js';
import type { GitHubTarget } from '../../src/sources/github-context.js';
import { countRequests, type RequestCount } from '../../src/github/request-counter.js';
import {
  graphqlDocumentErrors,
  validateGraphqlResponse,
  validateRestResponse,
} from '../support/github-schemas.js';

const OWNER = 'nhsengland';
const REPO = 'triage-design-history';
const HEAD = 'c0ffee5d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a30';
const BEFORE = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const API = 'https://api.github.com';
const TREE = '/repos/{owner}/{repo}/git/trees/{tree_sha}';
const COMPARE = '/repos/{owner}/{repo}/compare/{basehead}';

function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8')) as T;
}

interface TreeBody {
  sha: string;
  tree: { path: string; type: string; sha: string; size?: number }[];
  truncated: boolean;
}

interface CommitNode {
  commit: { oid: string; [key: string]: unknown };
}

function target(change: GitHubTarget['change'], extra: Partial<GitHubTarget> = {}): GitHubTarget {
  return {
    owner: OWNER,
    repo: REPO,
    headSha: HEAD,
    defaultBranch: 'main',
    change,
    checkName: 'Openly',
    appId: 1234,
    ...extra,
  };
}

function octokit(): InstanceType<typeof ProbotOctokit> {
  return new ProbotOctokit({
    auth: { token: TOKEN },
    retry: { enabled: false },
    throttle: { enabled: false },
  });
}

/** A REST mock, refused unless GitHub documents that body for that route and status. */
function rest(
  route: string,
  path: string,
  query: Record<string, string> | undefined,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  validateRestResponse('GET', route, status, body);
  const scope = nock(API).get(path);
  (query === undefined ? scope : scope.query(query)).reply(status, body as nock.Body, headers);
}

const sentQueries: { operation: string; variables: Record<string, unknown> }[] = [];
const invalidMocks: string[] = [];

/**
 * A GraphQL mock for one operation: the request must be one GitHub accepts (document and variables), and the
 * answer one GitHub could give to it. `answer` sees the variables, so one mock can serve aliases it did not know.
 */
function graphql(
  operation: string,
  answer: (variables: Record<string, unknown>) => { data: unknown; errors?: unknown[] },
): void {
  nock(API)
    .post('/graphql', (body: { query: string }) => body.query.includes(`query ${operation}(`))
    .reply((_uri, body) => {
      const { query, variables = {} } = body as { query: string; variables?: Record<string, unknown> };
      const response = answer(variables);
      try {
        validateGraphqlResponse(query, variables, response.data);
      } catch (error) {
        // Thrown here, nock would leave the request hanging; answer, and fail the test after it.
        invalidMocks.push(String(error));
        return [500, { message: 'invalid mock' }];
      }
      sentQueries.push({ operation, variables });
      return [200, response as nock.Body];
    });
}

function blob(text: string): { text: string; isBinary: boolean; byteSize: number } {
  return { text, isBinary: false, byteSize: Buffer.byteLength(text) };
}

function commitPage(nodes: CommitNode[], totalCount: number, endCursor: string | null, hasNextPage: boolean) {
  return { totalCount, pageInfo: { hasNextPage, endCursor }, nodes };
}

/** `count` commits made from the fixture's four kinds, each with its own oid. */
function commitNodes(count: number, offset = 0): CommitNode[] {
  const kinds = fixture<CommitNode[]>('pull-request-commit-nodes.json');
  return Array.from({ length: count }, (_, i) => {
    const node = structuredClone(kinds[(offset + i) % kinds.length]!);
    node.commit.oid = (offset + i).toString(16).padStart(40, '0');
    return node;
  });
}

const REPO_CONFIG = 'checks:\n  signed-commits: error\n';
const ORG_CONFIG = 'checks:\n  licence: error\n';

function contextAnswer(options: {
  commits?: { nodes: CommitNode[]; total: number };
  orgBase?: boolean;
  headConfig?: string;
  checkRunId?: number;
}) {
  const { commits, orgBase = true } = options;
  const data = {
    repository: {
      repoConfigYml: blob(REPO_CONFIG),
      repoConfigYaml: null,
      headConfigYml: blob(options.headConfig ?? REPO_CONFIG),
      headConfigYaml: null,
      ...(commits === undefined
        ? {}
        : {
            pullRequest: {
              commits: commitPage(
                commits.nodes,
                commits.total,
                'Y3Vyc29yOnYyOpHOAAAAZA==',
                commits.total > commits.nodes.length,
              ),
            },
          }),
      head: {
        checkSuites: {
          nodes: [
            { checkRuns: { nodes: [] } },
            ...(options.checkRunId === undefined
              ? []
              : [
                  // Two suites on the commit (it was pushed twice): the newer run is the one shown.
                  {
                    checkRuns: {
                      nodes: [{ databaseId: options.checkRunId - 5, status: 'COMPLETED', externalId: '' }],
                    },
                  },
                  {
                    checkRuns: {
                      nodes: [
                        {
                          databaseId: options.checkRunId,
                          status: 'COMPLETED',
                          externalId: 'openly-sha256:ab',
                        },
                      ],
                    },
                  },
                ]),
          ],
        },
      },
    },
    orgBase: orgBase ? { configYml: blob(ORG_CONFIG), configYaml: null } : null,
  };
  return orgBase
    ? { data }
    : {
        data,
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['orgBase'],
            locations: [{ line: 62, column: 3 }],
            message: "Could not resolve to a Repository with the name 'nhsengland/.github'.",
          },
        ],
      };
}

function filesAnswer(texts: Record<string, string>) {
  return (variables: Record<string, unknown>) => {
    const repository: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(variables)) {
      if (!/^e\d+$/.test(key)) continue;
      const path = String(value).slice(HEAD.length + 1);
      const text = texts[path] ?? `# ${path}\n`;
      repository[`f${key.slice(1)}`] = { ...blob(text), isTruncated: false };
    }
    return { data: { repository } };
  };
}

let counter: RequestCount;
let client: InstanceType<typeof ProbotOctokit>;

beforeAll(() => {
  nock.disableNetConnect();
});

beforeEach(() => {
  sentQueries.length = 0;
  invalidMocks.length = 0;
  client = octokit();
  counter = countRequests(client);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(invalidMocks).toEqual([]);
  expect(pending).toEqual([]);
});

describe('GraphQL documents', () => {
  it.each([
    ['context', CONTEXT_QUERY],
    ['config link', CONFIG_LINK_QUERY],
    ['pull request commits', PULL_REQUEST_COMMITS_QUERY],
    ['files, one', filesQuery(1)],
    ['files, a full batch', filesQuery(FILES_PER_QUERY)],
  ])('GitHub’s schema accepts the %s query', (_name, query) => {
    expect(graphqlDocumentErrors(query)).toEqual([]);
  });
});

describe('fetchContext and fetchFiles for a pull request', () => {
  it('reads 30 commits, 300 paths and 20 wanted files in three requests', async () => {
    const tree = fixture<TreeBody>('tree-300-files.json');
    rest(TREE, `/repos/${OWNER}/${REPO}/git/trees/${HEAD}`, { recursive: '1' }, 200, tree);
    graphql('OpenlyContext', () =>
      contextAnswer({ commits: { nodes: commitNodes(30), total: 30 }, checkRunId: 987 }),
    );
    const t = target({ kind: 'pull_request', number: 42 });

    const context = await fetchContext(client, t);
    const blobs = tree.tree.filter((entry) => entry.type === 'blob');
    expect(context.paths).toHaveLength(300);
    expect(context.paths).toEqual(blobs.map((entry) => entry.path).sort());
    expect(context.paths).not.toContain('vendor/govuk-frontend');
    expect(context.sizes.get('app/assets/images/triage-flow.png')).toBe(2_400_000);
    expect(context.repoConfig).toEqual({ source: `${OWNER}/${REPO}:.github/openly.yml`, text: REPO_CONFIG });
    expect(context.orgConfig).toEqual({ source: `${OWNER}/.github:.github/openly.yml`, text: ORG_CONFIG });
    expect(context.headConfig).toBeUndefined();
    expect(context.lastCheckRun).toEqual({ id: 987, completed: true, externalId: 'openly-sha256:ab' });
    expect(context.warnings).toEqual([]);
    expect(context.commits).toHaveLength(30);
    expect(context.commits!.slice(0, 4)).toEqual([
      {
        sha: '0'.repeat(40),
        message:
          'Add design history entry for the triage prototype\n\nSigned-off-by: Priya Shah <priya.shah@nhs.net>',
        author: { name: 'Priya Shah', email: 'priya.shah@nhs.net', login: 'priya-shah-nhs' },
        committer: { name: 'Priya Shah', email: 'priya.shah@nhs.net', login: 'priya-shah-nhs' },
        parents: 1,
        signature: { verified: true, reason: 'valid', signedByGitHub: false, signer: 'priya-shah-nhs' },
      },
      expect.objectContaining({
        author: { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' },
        signature: { verified: false, reason: 'unsigned', signedByGitHub: false },
      }),
      expect.objectContaining({
        parents: 2,
        signature: { verified: true, reason: 'valid', signedByGitHub: true },
      }),
      expect.objectContaining({
        signature: { verified: false, reason: 'unknown_sig_type', signedByGitHub: false },
      }),
    ]);
    const sent = sentQueries[0]!.variables;
    expect(sent).toMatchObject({
      repoConfigYml: 'main:.github/openly.yml',
      headConfigYml: `${HEAD}:.github/openly.yml`,
      number: 42,
      withPullRequest: true,
      appId: 1234,
      checkName: 'Openly',
    });

    const wanted = [
      ...blobs
        .filter((b) => b.path.startsWith('docs/adr/'))
        .slice(0, 18)
        .map((b) => b.path),
    ];
    wanted.push('README.md', 'app/assets/images/triage-flow.png');
    graphql('OpenlyFiles', filesAnswer({ 'README.md': '# Triage design history\n' }));
    const files = await fetchFiles(client, t, wanted, context.sizes);

    expect(counter.count()).toBe(3);
    expect(counter.byRoute()).toEqual({
      [`GET ${TREE}`]: 1,
      'POST /graphql OpenlyContext': 1,
      'POST /graphql OpenlyFiles': 1,
    });
    // The image is over 1 MiB by the tree: never asked for.
    expect(Object.keys(sentQueries[1]!.variables).filter((k) => k.startsWith('e'))).toHaveLength(19);

    const snapshot = gitHubSnapshot(context, files, t);
    expect(snapshot.name).toBe(`${OWNER}/${REPO}`);
    expect(snapshot.head).toBe(HEAD);
    expect(snapshot.files()).toHaveLength(300);
    expect(snapshot.read('README.md')).toEqual({ kind: 'text', text: '# Triage design history\n' });
    expect(snapshot.read('app/assets/images/triage-flow.png')).toEqual({
      kind: 'too-large',
      size: 2_400_000,
    });
    expect(snapshot.read('src/components/component-1/index.ts')).toMatchObject({ kind: 'unavailable' });
    expect(snapshot.read('nowhere.md')).toEqual({ kind: 'missing' });
    expect(snapshot.commits?.()).toHaveLength(30);
    const grep = snapshot.grep('Triage');
    expect(grep.matches).toEqual([{ path: 'README.md', line: 1, text: '# Triage design history' }]);
    expect(grep.complete).toBe(false);
  });

  it('reads 300 commits in pages of 100: five requests in all', async () => {
    rest(
      TREE,
      `/repos/${OWNER}/${REPO}/git/trees/${HEAD}`,
      { recursive: '1' },
      200,
      fixture('tree-300-files.json'),
    );
    graphql('OpenlyContext', () => contextAnswer({ commits: { nodes: commitNodes(100), total: 300 } }));
    graphql('OpenlyPullRequestCommits', (variables) => {
      expect(variables.cursor).toBe('Y3Vyc29yOnYyOpHOAAAAZA==');
      return {
        data: {
          repository: {
            pullRequest: {
              commits: commitPage(commitNodes(100, 100), 300, 'Y3Vyc29yOnYyOpHOAAAAyA==', true),
            },
          },
        },
      };
    });
    graphql('OpenlyPullRequestCommits', (variables) => {
      expect(variables.cursor).toBe('Y3Vyc29yOnYyOpHOAAAAyA==');
      return {
        data: {
          repository: {
            pullRequest: {
              commits: commitPage(commitNodes(100, 200), 300, 'Y3Vyc29yOnYyOpHOAAABLA==', false),
            },
          },
        },
      };
    });
    const t = target({ kind: 'pull_request', number: 42 });
    const context = await fetchContext(client, t);
    graphql('OpenlyFiles', filesAnswer({}));
    await fetchFiles(client, t, ['README.md', 'LICENCE'], context.sizes);

    expect(context.commits).toHaveLength(300);
    expect(new Set(context.commits!.map((c) => c.sha)).size).toBe(300);
    expect(context.commits![299]!.sha).toBe((299).toString(16).padStart(40, '0'));
    expect(counter.count()).toBe(5);
    expect(counter.byRoute()['POST /graphql OpenlyPullRequestCommits']).toBe(2);
  });

  it('gives the head version of the config when the pull request changes it', async () => {
    rest(
      TREE,
      `/repos/${OWNER}/${REPO}/git/trees/${HEAD}`,
      { recursive: '1' },
      200,
      fixture('tree-300-files.json'),
    );
    const changed = 'checks:\n  signed-commits: off\n';
    graphql('OpenlyContext', () =>
      contextAnswer({ commits: { nodes: commitNodes(1), total: 1 }, headConfig: changed }),
    );
    const context = await fetchContext(client, target({ kind: 'pull_request', number: 42 }));
    expect(context.headConfig).toEqual({
      source: `${OWNER}/${REPO}:.github/openly.yml (at c0ffee5)`,
      text: changed,
    });
  });

  it('takes a missing organisation .github repository as no base, not a failure', async () => {
    rest(
      TREE,
      `/repos/${OWNER}/${REPO}/git/trees/${HEAD}`,
      { recursive: '1' },
      200,
      fixture('tree-300-files.json'),
    );
    graphql('OpenlyContext', () =>
      contextAnswer({ commits: { nodes: commitNodes(2), total: 2 }, orgBase: false }),
    );
    const context = await fetchContext(client, target({ kind: 'pull_request', number: 42 }));
    expect(context.orgConfig).toBeUndefined();
    expect(context.repoConfig?.text).toBe(REPO_CONFIG);
    expect(context.commits).toHaveLength(2);
  });

  it('fails plainly when the repository itself cannot be found by GraphQL', async () => {
    rest(
      TREE,
      `/repos/${OWNER}/${REPO}/git/trees/${HEAD}`,
      { recursive: '1' },
      200,
      fixture('tree-300-files.json'),
    );
    graphql('OpenlyContext', () => ({
      data: { repository: null, orgBase: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          message: `Could not resolve to a Repository with the name '${OWNER}/${REPO}'.`,
        },
      ],
    }));
    const error = await fetchContext(client, target({ kind: 'none' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubReadError);
    expect(error).toMatchObject({ status: 404, route: 'POST /graphql OpenlyContext' });
  });
});

describe('a truncated tree', () => {
  it('is completed by reading the directories GitHub cut', async () => {
    const base = `/repos/${OWNER}/${REPO}/git/trees`;
    const truncated = fixture<TreeBody>('tree-truncated.json');
    const sha = (path: string) => truncated.tree.find((entry) => entry.path === path)!.sha;
    rest(TREE, `${base}/${HEAD}`, { recursive: '1' }, 200, truncated);
    rest(TREE, `${base}/${HEAD}`, undefined, 200, fixture('tree-truncated-root.json'));
    rest(TREE, `${base}/${sha('docs')}`, undefined, 200, fixture('tree-truncated-docs.json'));
    rest(TREE, `${base}/${sha('docs/adr')}`, undefined, 200, fixture('tree-truncated-docs-adr.json'));
    const root = fixture<TreeBody>('tree-truncated-root.json');
    const src = root.tree.find((entry) => entry.path === 'src')!.sha;
    rest(TREE, `${base}/${src}`, { recursive: '1' }, 200, fixture('tree-truncated-src.json'));
    graphql('OpenlyContext', () => contextAnswer({}));

    const context = await fetchContext(client, target({ kind: 'none' }));
    expect(context.paths).toEqual([
      'LICENCE',
      'README.md',
      'docs/adr/0001-record-architecture-decisions.md',
      'docs/adr/0002-use-govuk-frontend.md',
      'docs/adr/0003-store-prototypes-in-heroku.md',
      'docs/index.md',
      'src/lib/triage.ts',
      'src/main.ts',
    ]);
    expect(context.warnings).toEqual([]);
    expect(context.commits).toBeUndefined();
    expect(counter.byRoute()[`GET ${TREE}`]).toBe(5);
  });
});

describe('a push', () => {
  it('judges the commits between before and after, from the compare API', async () => {
    rest(
      TREE,
      `/repos/${OWNER}/${REPO}/git/trees/${HEAD}`,
      { recursive: '1' },
      200,
      fixture('tree-300-files.json'),
    );
    graphql('OpenlyContext', () => contextAnswer({}));
    rest(
      COMPARE,
      `/repos/${OWNER}/${REPO}/compare/${BEFORE}...${HEAD}`,
      { per_page: '100', page: '1' },
      200,
      fixture('compare-push.json'),
    );
    const context = await fetchContext(client, target({ kind: 'push', before: BEFORE, after: HEAD }));
    expect(context.commits).toEqual([
      {
        sha: '3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
        message: 'Add design history entry for the triage prototype',
        author: { name: 'Priya Shah', email: 'priya.shah@nhs.net', login: 'priya-shah-nhs' },
        committer: { name: 'Priya Shah', email: 'priya.shah@nhs.net', login: 'priya-shah-nhs' },
        parents: 1,
        signature: { verified: true, reason: 'valid', signedByGitHub: false },
      },
      {
        sha: HEAD,
        message: 'Update README.md',
        author: { name: 'Tom Okafor', email: 'tom.okafor@digital.cabinet-office.gov.uk', login: 'tomokafor' },
        committer: { name: 'GitHub', email: 'noreply@github.com', login: 'web-flow' },
        parents: 1,
        signature: { verified: true, reason: 'valid', signedByGitHub: true },
      },
    ]);
    expect(counter.count()).toBe(3);
  });

  it('judges only the pushed commit when the push creates a branch, without a compare', async () => {
    rest(
      TREE,
      `/repos/${OWNER}/${REPO}/git/trees/${HEAD}`,
      { recursive: '1' },
      200,
      fixture('tree-300-files.json'),
    );
    const head = commitNodes(1)[0]!.commit;
    graphql('OpenlyContext', (variables) => {
      expect(variables.withHeadCommit).toBe(true);
      const answer = contextAnswer({});
      Object.assign(answer.data.repository.head, { ...head, oid: HEAD });
      return answer;
    });
    const context = await fetchContext(client, target({ kind: 'push', before: '0'.repeat(40), after: HEAD }));
    expect(context.commits).toHaveLength(1);
    expect(context.commits![0]).toMatchObject({
      sha: HEAD,
      signature: { verified: true, signer: 'priya-shah-nhs' },
    });
    expect(counter.count()).toBe(2);
  });
});

describe('GitHub failing', () => {
  const treePath = `/repos/${OWNER}/${REPO}/git/trees/${HEAD}`;

  async function failure(): Promise<GitHubReadError> {
    graphql('OpenlyContext', () => contextAnswer({}));
    const error = await fetchContext(client, target({ kind: 'none' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubReadError);
    expect((error as Error).message).not.toContain(TOKEN);
    // The context query may or may not have gone out before the tree failed; either is fine.
    nock.cleanAll();
    return error as GitHubReadError;
  }

  it('takes a 409 for the tree as an empty repository: no files, a warning, no failure', async () => {
    rest(TREE, treePath, { recursive: '1' }, 409, {
      message: 'Git Repository is empty.',
      documentation_url: 'https://docs.github.com/rest/git/trees#get-a-tree',
    });
    graphql('OpenlyContext', () => contextAnswer({}));
    const context = await fetchContext(client, target({ kind: 'none' }));
    expect(context.paths).toEqual([]);
    expect(context.warnings).toEqual([EMPTY_REPOSITORY]);
    expect(counter.count()).toBe(2);
  });

  it('says the repository is gone on a 404 for the tree', async () => {
    rest(TREE, treePath, { recursive: '1' }, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/git/trees#get-a-tree',
      status: '404',
    });
    const error = await failure();
    expect(error).toMatchObject({ status: 404, route: `GET ${TREE}` });
    expect(error.message).toMatch(/gone, or the App cannot see it/);
  });

  it.each([500, 502])('says it is on GitHub’s side on a %i', async (status) => {
    rest(TREE, treePath, { recursive: '1' }, status, { message: 'Server Error' });
    const error = await failure();
    expect(error).toMatchObject({ status, route: `GET ${TREE}` });
    expect(error.message).toMatch(/on GitHub's side/);
  });

  it('gives the wait GitHub asks for on a secondary rate limit', async () => {
    rest(
      TREE,
      treePath,
      { recursive: '1' },
      403,
      {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
      { 'retry-after': '60' },
    );
    const error = await failure();
    expect(error).toMatchObject({ status: 403, retryAfter: 60 });
    expect(error.message).toMatch(/rate limit.*after 60 seconds/);
  });
});

describe('the mock validators', () => {
  it('refuse a tree response GitHub would not send', () => {
    const tree = fixture<TreeBody>('tree-truncated-root.json');
    const wrong = { ...tree, truncated: 'no', tree: tree.tree.map(({ sha: _sha, ...entry }) => entry) };
    expect(() => validateRestResponse('GET', TREE, 200, wrong)).toThrow(/truncated must be boolean/);
    expect(() => validateRestResponse('GET', TREE, 200, wrong)).toThrow(/must have required property 'sha'/);
  });

  it('refuse a GraphQL answer with a field GitHub never leaves null', () => {
    const variables = { owner: OWNER, repo: REPO, number: 42, cursor: null };
    const page = commitPage(commitNodes(1), 1, null, false);
    (page.nodes[0]!.commit as Record<string, unknown>).signature = {
      isValid: true,
      state: 'VALID',
      wasSignedByGitHub: null,
      signer: null,
    };
    expect(() =>
      validateGraphqlResponse(PULL_REQUEST_COMMITS_QUERY, variables, {
        repository: { pullRequest: { commits: page } },
      }),
    ).toThrow(/wasSignedByGitHub/);
  });

  it('refuse a GraphQL query GitHub would not accept', () => {
    expect(
      graphqlDocumentErrors('query { repository(owner: "a", name: "b") { signedCommits } }'),
    ).not.toEqual([]);
  });
});

describe('fetchFiles', () => {
  it('splits 300 wanted files into batches of 250 and marks binary and cut-short files', async () => {
    const tree = fixture<TreeBody>('tree-300-files.json');
    const sizes = new Map(tree.tree.filter((e) => e.type === 'blob').map((e) => [e.path, e.size ?? 0]));
    const wanted = [...sizes.keys()].filter((path) => sizes.get(path)! <= 1024 * 1024);
    sizes.set('app/assets/images/logo.png', 2048);
    wanted.push('app/assets/images/logo.png');
    const special = (path: string) =>
      path === 'app/assets/images/logo.png'
        ? { text: null, isBinary: true, byteSize: 2048, isTruncated: false }
        : path === 'package-lock.json'
          ? { text: '{\n  "name": "triage"', isBinary: false, byteSize: 412_331, isTruncated: true }
          : undefined;
    const answer = (variables: Record<string, unknown>) => {
      const { data } = filesAnswer({})(variables);
      for (const [key, value] of Object.entries(variables)) {
        const blob = /^e\d+$/.test(key) ? special(String(value).slice(HEAD.length + 1)) : undefined;
        if (blob !== undefined) data.repository[`f${key.slice(1)}`] = blob;
      }
      return { data };
    };
    graphql('OpenlyFiles', answer);
    graphql('OpenlyFiles', answer);
    const t = target({ kind: 'none' });
    const files = await fetchFiles(client, t, wanted, sizes);

    expect(counter.count()).toBe(2);
    expect(sentQueries.map((q) => Object.keys(q.variables).length - 2)).toEqual([250, wanted.length - 250]);
    expect(files.get('README.md')).toBe('# README.md\n');
    expect(files.get('app/assets/images/logo.png')).toEqual(new Uint8Array(2048));
    expect(files.get('package-lock.json')).toBeUndefined();
    expect(files.has('package-lock.json')).toBe(true);

    const context = { paths: [...sizes.keys()].sort(), sizes, warnings: [] };
    const snapshot = gitHubSnapshot(context, files, t);
    expect(snapshot.read('app/assets/images/logo.png')).toEqual({ kind: 'binary', size: 2048 });
    expect(snapshot.read('package-lock.json')).toEqual({ kind: 'too-large', size: 412_331 });
    expect(snapshot.commits?.()).toBeUndefined();
  });

  it('sends nothing when no wanted file can be read', async () => {
    const sizes = new Map([['big.csv', 5_000_000]]);
    const files = await fetchFiles(client, target({ kind: 'none' }), ['big.csv', 'not-in-tree.md'], sizes);
    expect(counter.count()).toBe(0);
    expect([...files]).toEqual([['big.csv', undefined]]);
  });
});

describe('more GitHub failures', () => {
  it('surfaces a 502 on the GraphQL endpoint as GitHub’s failure', async () => {
    nock(API).post('/graphql').reply(502, { message: 'Server Error' });
    const sizes = new Map([['README.md', 20]]);
    const error = await fetchFiles(client, target({ kind: 'none' }), ['README.md'], sizes).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GitHubReadError);
    expect(error).toMatchObject({ status: 502, route: 'POST /graphql OpenlyFiles' });
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('pages a push of more than 100 commits through compare', async () => {
    rest(
      TREE,
      `/repos/${OWNER}/${REPO}/git/trees/${HEAD}`,
      { recursive: '1' },
      200,
      fixture('tree-300-files.json'),
    );
    graphql('OpenlyContext', () => contextAnswer({}));
    const compare = fixture<{ total_commits: number; commits: { sha: string }[] }>('compare-push.json');
    const page = (from: number, count: number) => ({
      ...compare,
      total_commits: 150,
      commits: Array.from({ length: count }, (_, i) => ({
        ...compare.commits[i % 2]!,
        sha: (from + i).toString(16).padStart(40, '0'),
      })),
    });
    const path = `/repos/${OWNER}/${REPO}/compare/${BEFORE}...${HEAD}`;
    rest(COMPARE, path, { per_page: '100', page: '1' }, 200, page(0, 100));
    rest(COMPARE, path, { per_page: '100', page: '2' }, 200, page(100, 50));
    const context = await fetchContext(client, target({ kind: 'push', before: BEFORE, after: HEAD }));
    expect(context.commits).toHaveLength(150);
    expect(counter.byRoute()[`GET ${COMPARE}`]).toBe(2);
  });
});
