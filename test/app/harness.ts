import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fixtureTree } from '../support/fixture-tree.js';
import { Writable } from 'node:stream';
import { Octokit } from '@octokit/core';
import examples from '@octokit/webhooks-examples' with { type: 'json' };
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { openlyApp, type OpenlyAppOptions } from '../../src/app/index.js';
import { validateGraphqlResponse, validateRestResponse } from '../support/github-schemas.js';
import { FakeChecks } from './fake-checks.js';

export { FakeChecks, type FakeAnnotation, type FakeCheckRun } from './fake-checks.js';

export const API = 'https://api.github.com';
export const APP_ID = 1234;
export const CHECK_RUN_ID = 4242;

/** A throwaway key: Probot wants one, the tests authenticate with `githubToken` and never sign with it. */
export const PRIVATE_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

type Json = Record<string, unknown>;

/** A webhook example of GitHub's own, as `@octokit/webhooks-examples` records it. */
export function example(event: string, pick: (payload: Json) => boolean): Json {
  const entry = (examples as unknown as { name: string; examples: Json[] }[]).find((e) => e.name === event);
  const found = entry?.examples.find(pick);
  if (found === undefined) throw new Error(`no ${event} example matches`);
  return structuredClone(found);
}

/** Every file under a fixture folder, by repository path. */
export function fixtureRepo(name: string): Record<string, string> {
  return fixtureTree(`app/${name}`);
}

export function fixtureText(path: string): string {
  return readFileSync(new URL(`../fixtures/app/${path}`, import.meta.url), 'utf8');
}

function blob(text: string) {
  return { text, isBinary: false, byteSize: Buffer.byteLength(text) };
}

const SIGNED_COMMIT = {
  commit: {
    oid: '3f1c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
    message: 'Add the opening times page',
    parents: { totalCount: 1 },
    author: { name: 'Priya Shah', email: 'priya.shah@nhs.net', user: { login: 'priya-shah-nhs' } },
    committer: { name: 'Priya Shah', email: 'priya.shah@nhs.net', user: { login: 'priya-shah-nhs' } },
    signature: {
      isValid: true,
      state: 'VALID',
      wasSignedByGitHub: false,
      signer: { login: 'priya-shah-nhs' },
    },
  },
};

export interface RepoMock {
  owner: string;
  repo: string;
  headSha: string;
  files: Record<string, string>;
  /** `.github/openly.yml` on the default branch, when the repository has one. */
  repoConfig?: string;
  /** `.github/openly.yml` at the head commit, when a pull request changes it. */
  headConfig?: string;
  orgConfig?: string;
  pullRequest?: boolean;
}

export interface Sent {
  method: 'POST' | 'PATCH';
  body: Json;
}

/** Everything the tests learn about what the App sent. */
export const sent: Sent[] = [];
export const invalidMocks: string[] = [];

function guard(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    // Thrown inside nock, the request would hang; recorded, it fails the test in afterEach.
    invalidMocks.push(String(error));
    return false;
  }
}

export function mockTree(mock: RepoMock, status = 200, error?: Json): void {
  const route = '/repos/{owner}/{repo}/git/trees/{tree_sha}';
  const body =
    error !== undefined
      ? error
      : status === 200
        ? {
            sha: mock.headSha,
            url: `${API}/repos/${mock.owner}/${mock.repo}/git/trees/${mock.headSha}`,
            truncated: false,
            tree: Object.entries(mock.files).map(([path, text], i) => ({
              path,
              mode: '100644',
              type: 'blob',
              sha: i.toString(16).padStart(40, 'a'),
              size: Buffer.byteLength(text),
              url: `${API}/repos/${mock.owner}/${mock.repo}/git/blobs/${i.toString(16).padStart(40, 'a')}`,
            })),
          }
        : { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' };
  guard(() => validateRestResponse('GET', route, status, body));
  nock(API)
    .get(`/repos/${mock.owner}/${mock.repo}/git/trees/${mock.headSha}`)
    .query({ recursive: '1' })
    .reply(status, body);
}

/**
 * A GraphQL mock for one operation (and, with `match`, only for requests whose variables it accepts): the answer
 * must be one GitHub could give to the request, or the test fails.
 */
export function mockGraphql(
  operation: string,
  answer: (variables: Json, query: string) => Json,
  match: (variables: Json) => boolean = () => true,
): void {
  nock(API)
    .post(
      '/graphql',
      (body: { query: string; variables?: Json }) =>
        body.query.includes(`query ${operation}(`) && match(body.variables ?? {}),
    )
    .reply((_uri, body) => {
      const { query, variables = {} } = body as { query: string; variables?: Json };
      const response = answer(variables, query);
      if (!guard(() => validateGraphqlResponse(query, variables, response.data))) {
        return [500, { message: 'invalid mock' }];
      }
      return [200, response as nock.Body];
    });
}

/** The context query; the head commit's check runs are those `checks` holds when the query is asked, if given. */
export function mockContext(mock: RepoMock, checks?: FakeChecks): void {
  const headConfig = mock.headConfig ?? mock.repoConfig;
  mockGraphql('OpenlyContext', (variables, query) => ({
    data: {
      repository: {
        repoConfigYml: mock.repoConfig === undefined ? null : blob(mock.repoConfig),
        repoConfigYaml: null,
        headConfigYml: headConfig === undefined ? null : blob(headConfig),
        headConfigYaml: null,
        ...(mock.pullRequest === false
          ? {}
          : {
              pullRequest: {
                commits: {
                  totalCount: 1,
                  pageInfo: { hasNextPage: false, endCursor: null },
                  nodes: [SIGNED_COMMIT],
                },
              },
            }),
        head: {
          // A push that creates a branch asks for the pushed commit itself.
          ...(mock.pullRequest === false ? SIGNED_COMMIT.commit : {}),
          checkSuites:
            checks === undefined ? { nodes: [] } : checks.graphqlCheckSuites(mock.headSha, variables, query),
        },
      },
      orgBase:
        mock.orgConfig === undefined
          ? { configYml: null, configYaml: null }
          : { configYml: blob(mock.orgConfig), configYaml: null },
    },
  }));
}

export function mockFiles(mock: RepoMock): void {
  mockGraphql('OpenlyFiles', (variables) => {
    const repository: Json = {};
    for (const [key, value] of Object.entries(variables)) {
      if (!/^e\d+$/.test(key)) continue;
      const path = String(value).slice(mock.headSha.length + 1);
      const text = mock.files[path];
      repository[`f${key.slice(1)}`] = text === undefined ? null : { ...blob(text), isTruncated: false };
    }
    return { data: { repository } };
  });
}

/**
 * One `_extends` link: `files` by path in `owner/repo` on its default branch, or `null` for a repository GitHub
 * cannot find (it answers `repository: null` with a NOT_FOUND error, as for any repository the App cannot see).
 */
export function mockConfigLink(owner: string, repo: string, files: Record<string, string> | null): void {
  mockGraphql(
    'OpenlyConfigLink',
    (variables) => {
      if (files === null) {
        return {
          data: { repository: null },
          errors: [
            {
              type: 'NOT_FOUND',
              path: ['repository'],
              locations: [{ line: 8, column: 3 }],
              message: `Could not resolve to a Repository with the name '${owner}/${repo}'.`,
            },
          ],
        };
      }
      const read = (expression: unknown) => {
        const text = files[String(expression).replace(/^HEAD:/, '')];
        return text === undefined ? null : blob(text);
      };
      return {
        data: {
          repository: {
            file: read(variables.expression),
            ...(variables.withAlternative === true ? { alternative: read(variables.alternative) } : {}),
          },
        },
      };
    },
    (variables) => variables.owner === owner && variables.repo === repo,
  );
}

/**
 * GitHub's checks API for the repository, with state (test/app/fake-checks.ts): every body the App sends is
 * recorded in `sent`, and must be one GitHub accepts. One per repository per test: its routes stay until
 * `nock.cleanAll()`.
 */
export function mockCheckRuns(mock: Pick<RepoMock, 'owner' | 'repo'>): FakeChecks {
  return new FakeChecks({
    api: API,
    owner: mock.owner,
    repo: mock.repo,
    appId: APP_ID,
    firstId: CHECK_RUN_ID,
    onInvalid: (problem) => invalidMocks.push(problem),
    onWrite: (method, body) => sent.push({ method, body }),
  });
}

/**
 * One judgement's reads (tree, context, files) over the checks API: a new fake, or, for a further delivery to the
 * same repository, the fake the first one wrote to.
 */
export function mockRepository(mock: RepoMock, checks: FakeChecks = mockCheckRuns(mock)): FakeChecks {
  mockTree(mock);
  mockContext(mock, checks);
  mockFiles(mock);
  return checks;
}

export interface ShownAnnotation {
  path: string;
  annotation_level: string | null;
  title: string | null;
  message: string | null;
}

/**
 * The annotations a person sees on the commit: those of the newest Openly run GitHub lists for it, read through the
 * REST API page by page (30 to a page, GitHub's default), as any client of GitHub's would.
 */
export async function annotationsShown(
  mock: Pick<RepoMock, 'owner' | 'repo' | 'headSha'>,
): Promise<ShownAnnotation[]> {
  const octokit = new Octokit({ auth: 'reader' });
  const { owner, repo } = mock;
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
    owner,
    repo,
    ref: mock.headSha,
    check_name: 'Openly',
    app_id: APP_ID,
  });
  const run = data.check_runs[0];
  if (run === undefined) return [];
  const annotations: ShownAnnotation[] = [];
  // Page after page while GitHub's Link header names a next one.
  for (let page = 1; ; page++) {
    const response = await octokit.request(
      'GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations',
      {
        owner,
        repo,
        check_run_id: run.id,
        page,
      },
    );
    annotations.push(...response.data);
    if (!/rel="next"/.test(response.headers.link ?? '')) break;
  }
  if (annotations.length !== run.output.annotations_count) {
    throw new Error(`${annotations.length} annotations listed, ${run.output.annotations_count} counted`);
  }
  return annotations;
}

/** Log lines Probot and the App wrote, as pino records. */
export const logs: Json[] = [];

export async function makeProbot(options: OpenlyAppOptions = {}): Promise<Probot> {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line !== '') logs.push(JSON.parse(line) as Json);
      done();
    },
  });
  const probot = new Probot({
    appId: APP_ID,
    privateKey: PRIVATE_KEY,
    githubToken: 'test',
    log: pino({ level: 'debug' }, stream),
    // Probot puts its own throttle options over an object given to `defaults`, which would switch the throttle
    // back on (a second between writes); a function runs last, so it can keep retries and throttling off.
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...(options.throttle as object), enabled: false },
    })),
  });
  await probot.load(openlyApp({ appId: APP_ID, now: () => new Date('2026-11-23T12:00:00Z'), ...options }));
  return probot;
}
