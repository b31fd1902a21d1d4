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
import { countRequests, type RequestCount } from '../../src/github/request-counter.js';
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
  current = undefined;
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
  releases: ReleaseNode[] | FakeReleases;
  latest?: ReleaseNode | null;
  pulls: PullNode[];
  pages?: number;
  withPulls?: boolean;
  /** Git tags, newest commit first; by default those of the published releases. */
  tags?: string[];
}): void {
  const pulls = [...options.pulls].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  const github = storeOf(options.releases, options.latest);
  const given = options.releases instanceof FakeReleases ? undefined : options.releases;
  graphql('OpenlyReleaseState', (variables) => {
    const releases = given ?? github.listed();
    const latest =
      options.latest !== undefined
        ? options.latest
        : given === undefined
          ? github.latest()
          : (given.find((release) => !release.isDraft && !release.isPrerelease) ?? null);
    return {
      data: {
        repository: {
          latestRelease: latest,
          releases: { nodes: releases },
          ...(variables.withPulls === true
            ? {
                pullRequests: page(pulls, 0),
                tags: {
                  nodes: (
                    options.tags ??
                    releases.filter((release) => !release.isDraft).map((release) => release.tagName)
                  ).map((name) => ({ name })),
                },
              }
            : {}),
        },
      },
    };
  });
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

/**
 * A milestone's pull requests and issues, paged 100 at a time each, with the releases on the first page. Given a
 * `FakeReleases`, the releases are read from it at each request, so a second run sees what the first one wrote.
 */
export function mockMilestone(options: {
  title: string;
  releases: ReleaseNode[] | FakeReleases;
  pulls: PullNode[];
  issues: IssueNode[];
  byTag?: ReleaseNode | null;
  times?: number;
  /** Git tags, newest commit first; by default those of the published releases. */
  tags?: string[];
}): void {
  const github = storeOf(options.releases, undefined, options.byTag ?? undefined);
  const given = options.releases instanceof FakeReleases ? undefined : options.releases;
  graphql(
    'OpenlyMilestone',
    (variables) => {
      const releases = given ?? github.listed();
      const latest =
        given === undefined
          ? github.latest()
          : (given.find((release) => !release.isDraft && !release.isPrerelease) ?? null);
      const lookUp = (tag: unknown) => {
        if (given === undefined) return github.byTag(String(tag));
        const byTag = options.byTag ?? null;
        return byTag !== null && tag === byTag.tagName ? byTag : null;
      };
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
                  releases: { nodes: releases },
                  tags: {
                    nodes: (
                      options.tags ??
                      releases.filter((release) => !release.isDraft).map((release) => release.tagName)
                    ).map((name) => ({ name })),
                  },
                }
              : {}),
            ...(variables.withTag === true
              ? { byTag: lookUp(variables.tag), byPlainTag: lookUp(variables.plainTag) }
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

/** A release as the REST API gives it, from the node the GraphQL mocks answer with. */
function restRelease(node: ReleaseNode, target: string): Json {
  return {
    ...RELEASE_EXAMPLE,
    id: node.databaseId,
    node_id: `RE_${String(node.databaseId)}`,
    tag_name: node.tagName,
    target_commitish: target,
    name: node.name,
    body: node.description,
    draft: node.isDraft,
    prerelease: node.isPrerelease,
    created_at: node.createdAt,
    published_at: node.publishedAt,
    html_url: node.url,
  };
}

const ERROR_BODIES: Record<number, Json> = {
  403: {
    message: 'Resource not accessible by integration',
    documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
    status: '403',
  },
  404: {
    message: 'Not Found',
    documentation_url: 'https://docs.github.com/rest/releases/releases#update-a-release',
    status: '404',
  },
  // What GitHub answers a release whose tag another release already has (its "validation-error" schema).
  422: {
    message: 'Validation Failed',
    errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
    documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
    status: '422',
  },
  500: { message: 'Server Error' },
};

/** Releases made by the fake are created after every release a test writes by hand. */
const FAKE_CLOCK = Date.parse('2026-12-01T09:00:00Z');

/**
 * The repository's releases as GitHub keeps them, shared by the reads and the writes of one test: a write changes
 * what the next read (or run) sees. It holds to what GitHub documents, and to the conservative reading where it
 * does not: no two releases share a tag, drafts included; drafts are listed only to a token that can push.
 */
export class FakeReleases {
  readonly nodes: ReleaseNode[];
  readonly push: boolean;
  private readonly targets = new Map<number, string>();
  private made = 0;

  constructor(nodes: readonly ReleaseNode[], options: { push?: boolean } = {}) {
    this.nodes = nodes.map((node) => structuredClone(node));
    this.push = options.push ?? true;
  }

  /** Every release the token can see, newest first, as GitHub lists them. */
  visible(): ReleaseNode[] {
    return this.nodes
      .filter((node) => this.push || !node.isDraft)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  }

  /** The first page of `releases(first: 25)`. */
  listed(): ReleaseNode[] {
    return this.visible().slice(0, 25);
  }

  latest(): ReleaseNode | null {
    return this.visible().find((node) => !node.isDraft && !node.isPrerelease) ?? null;
  }

  /** A release by its tag: only a published one, as "Get a release by tag name" documents. */
  byTag(tag: string): ReleaseNode | null {
    return this.nodes.find((node) => !node.isDraft && node.tagName === tag) ?? null;
  }

  find(id: number): ReleaseNode | undefined {
    return this.nodes.find((node) => node.databaseId === id);
  }

  target(node: ReleaseNode): string {
    return this.targets.get(node.databaseId ?? 0) ?? node.tagCommit?.oid ?? 'main';
  }

  /** The other release, draft or not, that already has `tag`. */
  holder(tag: string, except?: number): ReleaseNode | undefined {
    return this.nodes.find((node) => node.tagName === tag && node.databaseId !== except);
  }

  create(id: number, body: Json): ReleaseNode {
    this.made += 1;
    const tag = String(body.tag_name);
    const at = new Date(FAKE_CLOCK + this.made * 60_000).toISOString().replace('.000', '');
    const node = releaseNode({
      tagName: tag,
      databaseId: id,
      name: typeof body.name === 'string' ? body.name : tag,
      description: typeof body.body === 'string' ? body.body : '',
      isDraft: body.draft === true,
      isPrerelease: body.prerelease === true,
      createdAt: at,
    });
    this.nodes.push(node);
    if (typeof body.target_commitish === 'string') this.targets.set(id, body.target_commitish);
    if (!node.isDraft) this.publish(node, at);
    return node;
  }

  update(node: ReleaseNode, body: Json): void {
    if (typeof body.tag_name === 'string') node.tagName = body.tag_name;
    if (typeof body.name === 'string') node.name = body.name;
    if (typeof body.body === 'string') node.description = body.body;
    if (typeof body.prerelease === 'boolean') node.isPrerelease = body.prerelease;
    if (typeof body.target_commitish === 'string' && node.databaseId !== null) {
      this.targets.set(node.databaseId, body.target_commitish);
    }
    if (body.draft === true && !node.isDraft) {
      node.isDraft = true;
      node.publishedAt = null;
      node.tagCommit = null;
    }
    if (body.draft === false && node.isDraft) {
      this.made += 1;
      this.publish(node, new Date(FAKE_CLOCK + this.made * 60_000).toISOString().replace('.000', ''));
    }
    node.url = node.isDraft
      ? `https://github.com/nhsengland/book-a-vaccination/releases/tag/untagged-${String(node.databaseId)}`
      : `https://github.com/nhsengland/book-a-vaccination/releases/tag/${node.tagName}`;
  }

  private publish(node: ReleaseNode, at: string): void {
    const oid = this.target(node);
    node.isDraft = false;
    node.publishedAt = at;
    node.url = `https://github.com/nhsengland/book-a-vaccination/releases/tag/${node.tagName}`;
    const sha = /^[0-9a-f]{40}$/.test(oid) ? oid : 'a2'.repeat(20);
    node.tagCommit = { oid: sha, committedDate: at, history: { nodes: [{ oid: sha }] } };
  }
}

/** The releases the writes of the test check and change: the last set given to a read mock, or made here. */
let current: FakeReleases | undefined;

/** Releases that every mock of this test reads and writes; `push: false` is a token without contents: write. */
export function fakeReleases(nodes: readonly ReleaseNode[], options: { push?: boolean } = {}): FakeReleases {
  current = new FakeReleases(nodes, options);
  return current;
}

function storeOf(
  releases: ReleaseNode[] | FakeReleases,
  ...more: (ReleaseNode | null | undefined)[]
): FakeReleases {
  if (releases instanceof FakeReleases) {
    current = releases;
    return releases;
  }
  const known = new Map<number | string, ReleaseNode>();
  for (const node of [...releases, ...more]) {
    if (node !== null && node !== undefined) known.set(node.databaseId ?? node.tagName, node);
  }
  current = new FakeReleases([...known.values()]);
  return current;
}

/**
 * POST /repos/{owner}/{repo}/releases: the body must be one GitHub accepts; it is recorded. A tag another release
 * already has, draft or not, is refused with 422 `already_exists`, as GitHub refuses it.
 */
export function mockCreate(owner: string, repo: string, status = 201, id = 5555): void {
  const route = '/repos/{owner}/{repo}/releases';
  nock(API)
    .post(`/repos/${owner}/${repo}/releases`)
    .reply((_uri, body) => {
      const sent = body as Json;
      guard(() => validateRestRequestBody('POST', route, sent));
      sentBodies.push({ method: 'POST', path: route, body: sent });
      let answered = status;
      if (current !== undefined && status === 201) {
        if (!current.push) answered = 403;
        else if (current.holder(String(sent.tag_name)) !== undefined) answered = 422;
      }
      let answer = ERROR_BODIES[answered];
      if (answered === 201) {
        const node = (current ?? fakeReleases([])).create(id, sent);
        answer = restRelease(
          node,
          typeof sent.target_commitish === 'string' ? sent.target_commitish : 'main',
        );
      }
      guard(() => validateRestResponse('POST', route, answered, answer));
      return [answered, answer as nock.Body];
    });
}

/**
 * PATCH /repos/{owner}/{repo}/releases/{release_id}, checked and recorded like `mockCreate`, and applied to the
 * releases. `applied`: GitHub failed with `status` after making the change (a re-run must see it done). Moving a
 * release to a tag another release has is recorded as an invalid request: GitHub does not document its answer.
 */
export function mockUpdate(
  owner: string,
  repo: string,
  id: number,
  status = 200,
  options: { applied?: boolean } = {},
): void {
  const route = '/repos/{owner}/{repo}/releases/{release_id}';
  nock(API)
    .patch(`/repos/${owner}/${repo}/releases/${id}`)
    .reply((_uri, body) => {
      const sent = body as Json;
      guard(() => validateRestRequestBody('PATCH', route, sent));
      sentBodies.push({ method: 'PATCH', path: route, body: sent });
      const github = current ?? fakeReleases([]);
      const node = github.find(id);
      let answered = status;
      if (node === undefined) answered = 404;
      else if (!github.push) answered = 403;
      if (node !== undefined && typeof sent.tag_name === 'string') {
        const holder = github.holder(sent.tag_name, id);
        if (holder !== undefined) {
          invalidMocks.push(
            `PATCH release ${id} to tag ${sent.tag_name}, which release ${String(holder.databaseId)} has`,
          );
        }
      }
      if (node !== undefined && (answered === 200 || options.applied === true)) github.update(node, sent);
      const answer =
        answered === 200 && node !== undefined
          ? restRelease(node, github.target(node))
          : ERROR_BODIES[answered];
      guard(() => validateRestResponse('PATCH', route, answered, answer));
      return [answered, answer as nock.Body];
    });
}

/**
 * GET /repos/{owner}/{repo}/releases, `per_page` at a time: the releases the token can see, newest first, drafts
 * only with push access, and a `Link` header to the next and last pages, as GitHub pages them. `pages`: how many
 * pages the code is expected to read.
 */
export function mockListReleases(owner: string, repo: string, pages = 1): void {
  const route = '/repos/{owner}/{repo}/releases';
  nock(API)
    .get(`/repos/${owner}/${repo}/releases`)
    .query(true)
    .times(pages)
    .reply((uri) => {
      const query = new URL(uri, API).searchParams;
      const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
      const number = Number(query.get('page') ?? 1);
      const all = (current ?? new FakeReleases([])).visible();
      const answer = all
        .slice((number - 1) * perPage, number * perPage)
        .map((node) => restRelease(node, current?.target(node) ?? 'main'));
      guard(() => validateRestResponse('GET', route, 200, answer));
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const link = (n: number, rel: string) =>
        `<${API}/repositories/1296269/releases?per_page=${perPage}&page=${n}>; rel="${rel}"`;
      const links = [
        ...(number > 1 ? [link(number - 1, 'prev'), link(1, 'first')] : []),
        ...(number < last ? [link(number + 1, 'next'), link(last, 'last')] : []),
      ];
      return [200, answer, links.length === 0 ? {} : { link: links.join(', ') }];
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
