/**
 * A fake GitHub for the release tests, at the HTTP layer: every GraphQL request is checked against GitHub's
 * schema (document and variables) and every answer is one GitHub could give; every REST body sent and answered is
 * checked against GitHub's OpenAPI description. A mock GitHub would reject is recorded and fails the test.
 */
import openapi from '@octokit/openapi/generated/api.github.com.json' with { type: 'json' };
import examples from '@octokit/webhooks-examples' with { type: 'json' };
import { Octokit } from '@octokit/core';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Logger } from '../../src/core/check.js';
import { resolveReleaseNotesConfig, type ReleaseContext } from '../../src/release/index.js';
import { countRequests, type RequestCount } from '../../src/sources/request-counter.js';
import {
  validateGraphqlResponse,
  validateRestRequestBody,
  validateRestResponse,
} from '../support/github-schemas.js';

export const API = 'https://api.github.com';
export const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

type Json = Record<string, unknown>;

/** A webhook example of GitHub's own, as `@octokit/webhooks-examples` records it. */
export function example(event: string, pick: (payload: Json) => boolean): Json {
  const entry = (examples as unknown as { name: string; examples: Json[] }[]).find((e) => e.name === event);
  const found = entry?.examples.find(pick);
  if (found === undefined) throw new Error(`no ${event} example matches`);
  return structuredClone(found);
}

export const invalidMocks: string[] = [];
export const sentQueries: { operation: string; variables: Json }[] = [];
export const sentBodies: { method: string; path: string; body: Json }[] = [];

export function resetMocks(): void {
  invalidMocks.length = 0;
  sentQueries.length = 0;
  sentBodies.length = 0;
  nock.cleanAll();
}

function guard(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    // Thrown inside nock, the request would hang; recorded, it fails the test afterwards.
    invalidMocks.push(String(error));
    return false;
  }
}

export function octokit(): Octokit {
  return new Octokit({ auth: TOKEN });
}

export function quietLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const note = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { lines, debug: note('debug'), info: note('info'), warn: note('warn'), error: note('error') };
}

/**
 * A GraphQL mock for one operation, answering as often as asked (`times`). `answer` sees the variables, so one
 * mock serves every page. A non-200 `status` answers with GitHub's error body instead.
 */
export function graphql(
  operation: string,
  answer: (variables: Json) => { data: unknown; errors?: unknown[] },
  times = 1,
  status = 200,
): nock.Scope {
  return nock(API)
    .post('/graphql', (body: { query: string }) => body.query.includes(`query ${operation}(`))
    .times(times)
    .reply((_uri, body) => {
      const { query, variables = {} } = body as { query: string; variables?: Json };
      sentQueries.push({ operation, variables });
      if (status !== 200) return [status, { message: 'Server Error' }];
      const response = answer(variables);
      if (!guard(() => validateGraphqlResponse(query, variables, response.data))) {
        return [500, { message: 'invalid mock' }];
      }
      return [200, response as nock.Body];
    });
}

// ------------------------------------------------------------------------------------------------ data makers

export interface ReleaseNode {
  databaseId: number | null;
  tagName: string;
  name: string | null;
  isDraft: boolean;
  isPrerelease: boolean;
  createdAt: string;
  publishedAt: string | null;
  url: string;
  description: string | null;
  /** `history`: the newest commits the tag reaches, itself first. */
  tagCommit: { oid: string; committedDate: string; history: { nodes: { oid: string }[] } } | null;
}

export function releaseNode(fields: Partial<ReleaseNode> & { tagName: string }): ReleaseNode {
  const draft = fields.isDraft ?? false;
  return {
    databaseId: 1000,
    name: fields.tagName,
    isDraft: draft,
    isPrerelease: false,
    createdAt: '2026-10-01T09:00:00Z',
    publishedAt: draft ? null : '2026-10-01T09:00:00Z',
    url: `https://github.com/nhsengland/book-a-vaccination/releases/tag/${fields.tagName}`,
    description: '',
    tagCommit: draft
      ? null
      : {
          oid: 'a1'.repeat(20),
          committedDate: '2026-10-01T08:55:00Z',
          history: { nodes: [{ oid: 'a1'.repeat(20) }] },
        },
    ...fields,
  };
}

export interface PullNode {
  number: number;
  title: string;
  url: string;
  mergedAt: string;
  updatedAt: string;
  author: { login: string; url: string } | null;
  mergeCommit: { oid: string } | null;
  labels: { nodes: { name: string }[] };
}

/** A merged pull request `minutes` after 2026-10-01 09:00 UTC (negative is before the release above). */
export function pullNode(
  number: number,
  minutes: number,
  fields: Partial<Omit<PullNode, 'labels'>> & { labels?: string[] } = {},
): PullNode {
  const at = new Date(Date.parse('2026-10-01T09:00:00Z') + minutes * 60_000)
    .toISOString()
    .replace('.000', '');
  const { labels, ...rest } = fields;
  return {
    number,
    title: `Change number ${number}`,
    url: `https://github.com/nhsengland/book-a-vaccination/pull/${number}`,
    mergedAt: at,
    updatedAt: at,
    author: { login: 'priya-shah-nhs', url: 'https://github.com/priya-shah-nhs' },
    mergeCommit: { oid: number.toString(16).padStart(40, 'b') },
    labels: { nodes: (labels ?? []).map((name) => ({ name })) },
    ...rest,
  };
}

function page<T>(nodes: T[], offset: number, size = 100) {
  const slice = nodes.slice(offset, offset + size);
  const end = offset + slice.length;
  return {
    pageInfo: { hasNextPage: end < nodes.length, endCursor: slice.length === 0 ? null : `cursor:${end}` },
    nodes: slice,
  };
}

function offsetOf(cursor: unknown): number {
  return typeof cursor === 'string' ? Number(cursor.slice('cursor:'.length)) : 0;
}

/**
 * The repository's releases and merged pull requests, as OpenlyReleaseState and OpenlyMergedPullRequests page
 * through them: `pulls` are sorted here newest activity first, as GitHub would. `pages` is how many further pages
 * the code is expected to ask for.
 */
export function mockDraftState(options: {
  releases: ReleaseNode[];
  latest?: ReleaseNode | null;
  pulls: PullNode[];
  pages?: number;
  withPulls?: boolean;
  /** Git tags, newest commit first; by default those of the published releases. */
  tags?: string[];
}): void {
  const pulls = [...options.pulls].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  const latest =
    options.latest !== undefined
      ? options.latest
      : (options.releases.find((release) => !release.isDraft && !release.isPrerelease) ?? null);
  graphql('OpenlyReleaseState', (variables) => ({
    data: {
      repository: {
        latestRelease: latest,
        releases: { nodes: options.releases },
        ...(variables.withPulls === true
          ? {
              pullRequests: page(pulls, 0),
              tags: {
                nodes: (
                  options.tags ??
                  options.releases.filter((release) => !release.isDraft).map((release) => release.tagName)
                ).map((name) => ({ name })),
              },
            }
          : {}),
      },
    },
  }));
  if ((options.pages ?? 0) > 0) {
    graphql(
      'OpenlyMergedPullRequests',
      (variables) => ({ data: { repository: { pullRequests: page(pulls, offsetOf(variables.cursor)) } } }),
      options.pages,
    );
  }
}

export interface IssueNode {
  number: number;
  title: string;
  url: string;
  stateReason: 'COMPLETED' | 'NOT_PLANNED' | 'REOPENED' | null;
  author: { login: string; url: string } | null;
  labels: { nodes: { name: string }[] };
}

export function issueNode(
  number: number,
  fields: Partial<Omit<IssueNode, 'labels'>> & { labels?: string[] } = {},
): IssueNode {
  const { labels, ...rest } = fields;
  return {
    number,
    title: `Issue number ${number}`,
    url: `https://github.com/nhsengland/book-a-vaccination/issues/${number}`,
    stateReason: 'COMPLETED',
    author: { login: 'sam-jones-gds', url: 'https://github.com/sam-jones-gds' },
    labels: { nodes: (labels ?? []).map((name) => ({ name })) },
    ...rest,
  };
}

/** A milestone's pull requests and issues, paged 100 at a time each, with the releases on the first page. */
export function mockMilestone(options: {
  title: string;
  releases: ReleaseNode[];
  pulls: PullNode[];
  issues: IssueNode[];
  byTag?: ReleaseNode | null;
  times?: number;
  /** Git tags, newest commit first; by default those of the published releases. */
  tags?: string[];
}): void {
  graphql(
    'OpenlyMilestone',
    (variables) => {
      const latest = options.releases.find((release) => !release.isDraft && !release.isPrerelease) ?? null;
      const byTag = options.byTag ?? null;
      return {
        data: {
          repository: {
            milestone: {
              title: options.title,
              ...(variables.withPulls === true
                ? { pullRequests: page(options.pulls, offsetOf(variables.pullsCursor)) }
                : {}),
              ...(variables.withIssues === true
                ? { issues: page(options.issues, offsetOf(variables.issuesCursor)) }
                : {}),
            },
            ...(variables.withReleases === true
              ? {
                  latestRelease: latest,
                  releases: { nodes: options.releases },
                  tags: {
                    nodes: (
                      options.tags ??
                      options.releases.filter((release) => !release.isDraft).map((release) => release.tagName)
                    ).map((name) => ({ name })),
                  },
                }
              : {}),
            ...(variables.withTag === true
              ? {
                  byTag: byTag !== null && variables.tag === byTag.tagName ? byTag : null,
                  byPlainTag: byTag !== null && variables.plainTag === byTag.tagName ? byTag : null,
                }
              : {}),
          },
        },
      };
    },
    options.times ?? 1,
  );
}

/** The artefacts at the last release: each alias `aN` answers the file at `eN` (`<oid>:<path>`), or null. */
export function mockArtefactsAt(oid: string, files: Record<string, string>, times = 1): void {
  graphql(
    'OpenlyReleaseArtefacts',
    (variables) => {
      const repository: Json = {};
      for (const [key, value] of Object.entries(variables)) {
        if (!/^e\d+$/.test(key)) continue;
        const expression = String(value);
        const text = expression.startsWith(`${oid}:`) ? files[expression.slice(oid.length + 1)] : undefined;
        repository[`a${key.slice(1)}`] =
          text === undefined ? null : { text, isBinary: false, isTruncated: false };
      }
      return { data: { repository } };
    },
    times,
  );
}

/**
 * GET /repos/{owner}/{repo}/git/trees/{oid}?recursive=1: the files at the last release (and their folders, as
 * GitHub lists them), answered as GitHub's OpenAPI description says.
 */
export function mockTreeAt(
  owner: string,
  repo: string,
  oid: string,
  paths: readonly string[],
  truncated = false,
): void {
  const route = '/repos/{owner}/{repo}/git/trees/{tree_sha}';
  const folders = new Set(
    paths.flatMap((path) =>
      path
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  const entry = (path: string, type: 'blob' | 'tree', i: number) => ({
    path,
    mode: type === 'blob' ? '100644' : '040000',
    type,
    sha: (i + 1).toString(16).padStart(40, 'e'),
    ...(type === 'blob' ? { size: 100 } : {}),
    url: `${API}/repos/${owner}/${repo}/git/${type === 'blob' ? 'blobs' : 'trees'}/${(i + 1).toString(16).padStart(40, 'e')}`,
  });
  nock(API)
    .get(`/repos/${owner}/${repo}/git/trees/${oid}`)
    .query({ recursive: '1' })
    .reply(() => {
      const answer = {
        sha: 'f'.repeat(40),
        url: `${API}/repos/${owner}/${repo}/git/trees/${'f'.repeat(40)}`,
        truncated,
        tree: [
          ...[...folders].map((path, i) => entry(path, 'tree', 1000 + i)),
          ...paths.map((path, i) => entry(path, 'blob', i)),
        ],
      };
      guard(() => validateRestResponse('GET', route, 200, answer));
      return [200, answer];
    });
}

// ------------------------------------------------------------------------------------------------------ writes

const RELEASE_EXAMPLE = (openapi as unknown as { components: { examples: Record<string, { value: Json }> } })
  .components.examples['release']!.value;

function releaseAnswer(id: number, body: Json): Json {
  const tag = typeof body.tag_name === 'string' ? body.tag_name : 'v1.0.0';
  return {
    ...RELEASE_EXAMPLE,
    id,
    tag_name: tag,
    name: typeof body.name === 'string' ? body.name : tag,
    body: typeof body.body === 'string' ? body.body : '',
    draft: body.draft === true,
    html_url: `https://github.com/nhsengland/book-a-vaccination/releases/tag/${tag}`,
  };
}

const ERROR_BODIES: Record<number, Json> = {
  403: {
    message: 'Resource not accessible by integration',
    documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
    status: '403',
  },
  500: { message: 'Server Error' },
};

/** POST /repos/{owner}/{repo}/releases: the body must be one GitHub accepts; it is recorded. */
export function mockCreate(owner: string, repo: string, status = 201, id = 5555): void {
  const route = '/repos/{owner}/{repo}/releases';
  nock(API)
    .post(`/repos/${owner}/${repo}/releases`)
    .reply((_uri, body) => {
      guard(() => validateRestRequestBody('POST', route, body));
      sentBodies.push({ method: 'POST', path: route, body: body as Json });
      const answer = status === 201 ? releaseAnswer(id, body as Json) : ERROR_BODIES[status];
      guard(() => validateRestResponse('POST', route, status, answer));
      return [status, answer as nock.Body];
    });
}

/** PATCH /repos/{owner}/{repo}/releases/{release_id}, checked and recorded like `mockCreate`. */
export function mockUpdate(owner: string, repo: string, id: number, status = 200): void {
  const route = '/repos/{owner}/{repo}/releases/{release_id}';
  nock(API)
    .patch(`/repos/${owner}/${repo}/releases/${id}`)
    .reply((_uri, body) => {
      guard(() => validateRestRequestBody('PATCH', route, body));
      sentBodies.push({ method: 'PATCH', path: route, body: body as Json });
      const answer = status === 200 ? releaseAnswer(id, body as Json) : ERROR_BODIES[status];
      guard(() => validateRestResponse('PATCH', route, status, answer));
      return [status, answer as nock.Body];
    });
}

/**
 * The setup every release test file shares: no network, fresh mocks and a quiet log per test, and after each test
 * no invalid or unused mock and no token in the log. `context()` gives a ReleaseContext on a fresh, counted Octokit.
 */
export function releaseHarness(base: Pick<ReleaseContext, 'owner' | 'repo' | 'defaultBranch' | 'headSha'>): {
  context: (extra?: Partial<ReleaseContext>) => ReleaseContext;
  requests: () => RequestCount;
} {
  let log = quietLog();
  let counter: RequestCount | undefined;
  beforeAll(() => nock.disableNetConnect());
  beforeEach(() => {
    resetMocks();
    log = quietLog();
  });
  afterEach(() => {
    expect(invalidMocks).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(log.lines.join('\n')).not.toContain(TOKEN);
  });
  return {
    context: (extra = {}) => {
      const client = octokit();
      counter = countRequests(client);
      return {
        ...base,
        octokit: client,
        config: resolveReleaseNotesConfig(undefined),
        dryRun: false,
        log,
        ...extra,
      };
    },
    requests: () => {
      if (counter === undefined) throw new Error('no context was made, so no requests were counted');
      return counter;
    },
  };
}
