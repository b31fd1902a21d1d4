import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fixtureTree } from '../support/fixture-tree.js';
import { Writable } from 'node:stream';
import openapi from '@octokit/openapi/generated/api.github.com.json' with { type: 'json' };
import examples from '@octokit/webhooks-examples' with { type: 'json' };
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { openlyApp, type OpenlyAppOptions } from '../../src/app/index.js';
import {
  validateGraphqlResponse,
  validateRestRequestBody,
  validateRestResponse,
} from '../support/github-schemas.js';

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
  existingCheckRunId?: number;
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
  answer: (variables: Json) => Json,
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
      const response = answer(variables);
      if (!guard(() => validateGraphqlResponse(query, variables, response.data))) {
        return [500, { message: 'invalid mock' }];
      }
      return [200, response as nock.Body];
    });
}

export function mockContext(mock: RepoMock): void {
  const headConfig = mock.headConfig ?? mock.repoConfig;
  mockGraphql('OpenlyContext', () => ({
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
          checkSuites: {
            nodes:
              mock.existingCheckRunId === undefined
                ? []
                : [{ checkRuns: { nodes: [{ databaseId: mock.existingCheckRunId }] } }],
          },
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

const CHECK_RUN_EXAMPLE = (
  openapi as unknown as { components: { examples: Record<string, { value: Json }> } }
).components.examples['check-run']!.value;

/** The check-run routes: every body the App sends is recorded, and must be one GitHub accepts. */
export function mockCheckRuns(mock: RepoMock, patches: number, post: boolean): void {
  const base = `/repos/${mock.owner}/${mock.repo}/check-runs`;
  const answer = (id: number) => ({ ...CHECK_RUN_EXAMPLE, id, head_sha: mock.headSha, name: 'Openly' });
  guard(() => validateRestResponse('POST', '/repos/{owner}/{repo}/check-runs', 201, answer(CHECK_RUN_ID)));
  if (post) {
    nock(API)
      .post(base)
      .reply(201, (_uri, body) => {
        guard(() => validateRestRequestBody('POST', '/repos/{owner}/{repo}/check-runs', body));
        sent.push({ method: 'POST', body: body as Json });
        return answer(CHECK_RUN_ID);
      });
  }
  const id = post ? CHECK_RUN_ID : (mock.existingCheckRunId ?? CHECK_RUN_ID);
  if (patches > 0) {
    nock(API)
      .patch(`${base}/${id}`)
      .times(patches)
      .reply(200, (_uri, body) => {
        guard(() =>
          validateRestRequestBody('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', body),
        );
        sent.push({ method: 'PATCH', body: body as Json });
        return answer(id);
      });
  }
}

/** A whole judgement: tree, context, files, then the check run (POST, or PATCH of the existing one). */
export function mockRepository(mock: RepoMock, extraPatches = 0): void {
  mockTree(mock);
  mockContext(mock);
  mockFiles(mock);
  const existing = mock.existingCheckRunId !== undefined;
  mockCheckRuns(mock, extraPatches + (existing ? 1 : 0), !existing);
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
