/**
 * The one Octokit the Action and the libraries use, against GitHub mocked at the HTTP layer: what it retries, what
 * it waits out, where it stops, what it counts and what it logs. Waits are scaled to nothing, so no test sleeps.
 */
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { explainFailure } from '../../src/github/failure.js';
import { createOctokit, type GitHubClient, type GitHubClientOptions } from '../../src/github/octokit.js';
import { example } from '../release/github-mock.js';
import {
  validateGraphqlDocument,
  validateRestRequestBody,
  validateRestResponse,
} from '../support/github-schemas.js';

const API = 'https://api.github.com';
/** Distinctive, so that finding it in a log line cannot be an accident. */
const TOKEN = 'ghs_openlyTestToken9f3c2a7e5b1d4c6a8e0f';
const LATEST = '/repos/{owner}/{repo}/releases/latest';
const RELEASES = '/repos/{owner}/{repo}/releases';
const WHO_AM_I = 'query WhoAmI {\n  viewer {\n    login\n  }\n}\n';

/** A real release, from GitHub's own example of a release event. */
const release = example('release', (payload) => payload.action === 'published').release as {
  tag_name: string;
};
const serverError = { message: 'Server Error' };
const secondary = {
  message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url:
    'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
};
const primary = {
  message: 'API rate limit exceeded for installation ID 1234.',
  documentation_url:
    'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-primary-rate-limits',
};
const notFound = {
  message: 'Not Found',
  documentation_url: 'https://docs.github.com/rest/releases/releases#get-the-latest-release',
};
const alreadyExists = {
  message: 'Validation Failed',
  errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
  documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
};

let lines: string[] = [];

function client(options: Partial<GitHubClientOptions> = {}): GitHubClient {
  return createOctokit({
    token: TOKEN,
    msPerSecond: 0,
    spacing: false,
    log: {
      warn: (text) => void lines.push(`warn ${text}`),
      debug: (text) => void lines.push(`debug ${text}`),
    },
    ...options,
  });
}

const latest = (octokit: GitHubClient) => octokit.request(`GET ${LATEST}`, { owner: 'o', repo: 'r' });
const create = (octokit: GitHubClient) =>
  octokit.request(`POST ${RELEASES}`, { owner: 'o', repo: 'r', tag_name: 'v1.0.0' });

/** The seconds since the epoch a primary limit resets at, as GitHub sends them. */
function resetIn(seconds: number): string {
  return String(Math.floor(Date.now() / 1000) + seconds);
}

beforeAll(() => {
  nock.disableNetConnect();
  validateRestResponse('GET', LATEST, 200, release);
  validateRestResponse('GET', LATEST, 502, serverError);
  validateRestResponse('GET', LATEST, 403, secondary);
  validateRestResponse('GET', LATEST, 429, primary);
  validateRestResponse('GET', LATEST, 404, notFound);
  validateRestRequestBody('POST', RELEASES, { tag_name: 'v1.0.0' });
  validateRestResponse('POST', RELEASES, 201, release);
  validateRestResponse('POST', RELEASES, 502, serverError);
  validateRestResponse('POST', RELEASES, 403, secondary);
  validateRestResponse('POST', RELEASES, 422, alreadyExists);
  validateGraphqlDocument(WHO_AM_I);
});
beforeEach(() => {
  lines = [];
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, 'every mocked answer was asked for').toEqual([]);
  // Whatever happened, the token is in no line logged.
  expect(lines.filter((line) => line.includes(TOKEN))).toEqual([]);
});

describe('GitHub failing on its side', () => {
  it('reads again after a 502, and counts both requests', async () => {
    nock(API).get('/repos/o/r/releases/latest').reply(502, serverError);
    nock(API).get('/repos/o/r/releases/latest').reply(200, release);
    const octokit = client();
    const { data } = await latest(octokit);
    expect(data.tag_name).toBe(release.tag_name);
    expect(octokit.requests.count()).toBe(2);
  });

  it('gives up after its retries with the last answer', async () => {
    nock(API).get('/repos/o/r/releases/latest').times(3).reply(502, serverError);
    const octokit = client({ retries: 2 });
    await expect(latest(octokit)).rejects.toMatchObject({ status: 502 });
    expect(octokit.requests.count()).toBe(3);
  });

  it('never repeats a write that met a server error, so no release is made twice', async () => {
    nock(API).post('/repos/o/r/releases').reply(502, serverError);
    const octokit = client();
    await expect(create(octokit)).rejects.toMatchObject({ status: 502 });
    expect(octokit.requests.count()).toBe(1);
  });

  it('repeats a GraphQL query, never a mutation', async () => {
    nock(API).post('/graphql').reply(502, serverError);
    await expect(client().graphql('mutation M { __typename }')).rejects.toMatchObject({ status: 502 });
    nock(API).post('/graphql').reply(502, serverError);
    nock(API)
      .post('/graphql')
      .reply(200, { data: { viewer: { login: 'openly[bot]' } } });
    await expect(client().graphql(WHO_AM_I)).resolves.toEqual({ viewer: { login: 'openly[bot]' } });
  });
});

describe('answers a resend cannot change', () => {
  it.each([
    ['a 404', () => nock(API).get('/repos/o/r/releases/latest').reply(404, notFound), latest, 404],
    ['a 422', () => nock(API).post('/repos/o/r/releases').reply(422, alreadyExists), create, 422],
  ])('sends %s once', async (_name, mock, call, status) => {
    mock();
    const octokit = client();
    await expect(call(octokit)).rejects.toMatchObject({ status });
    expect(octokit.requests.count()).toBe(1);
    expect(lines.filter((line) => line.startsWith('warn'))).toEqual([]);
  });

  it('sends a refusal for a missing permission once: it is not a rate limit', async () => {
    const refused = {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
    };
    validateRestResponse('POST', RELEASES, 403, refused);
    nock(API).post('/repos/o/r/releases').reply(403, refused);
    const octokit = client();
    await expect(create(octokit)).rejects.toMatchObject({ status: 403 });
    expect(octokit.requests.count()).toBe(1);
  });
});

describe('rate limits', () => {
  it('waits out a secondary rate limit as long as retry-after asks, then sends the write again', async () => {
    nock(API).post('/repos/o/r/releases').reply(403, secondary, { 'retry-after': '7' });
    nock(API).post('/repos/o/r/releases').reply(201, release);
    const octokit = client();
    const { status } = await create(octokit);
    expect(status).toBe(201);
    expect(octokit.requests.count()).toBe(2);
    expect(lines).toContain(
      `warn GitHub's secondary rate limit: waiting 7 seconds before sending POST ${RELEASES} again`,
    );
  });

  it('waits out a primary rate limit (429) until x-ratelimit-reset, then reads again', async () => {
    nock(API)
      .get('/repos/o/r/releases/latest')
      .reply(429, primary, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(30) });
    nock(API).get('/repos/o/r/releases/latest').reply(200, release);
    const octokit = client();
    const { data } = await latest(octokit);
    expect(data.tag_name).toBe(release.tag_name);
    expect(octokit.requests.count()).toBe(2);
    // GitHub's docs ask for the wait to end after the reset, hence a second or two more than the 30 it said.
    expect(lines.filter((line) => line.startsWith('warn'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^warn GitHub's primary rate limit: waiting 3[012] seconds before sending GET ${LATEST} again$`,
        ),
      ),
    ]);
  });

  it('stops after its bound, and the failure names the limit and when it resets', async () => {
    nock(API).get('/repos/o/r/releases/latest').times(3).reply(403, secondary, { 'retry-after': '60' });
    const octokit = client({ rateLimitWaits: 2 });
    const error = await latest(octokit).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 403 });
    expect(octokit.requests.count()).toBe(3);
    expect(lines.filter((line) => line.startsWith('warn'))).toEqual([
      `warn GitHub's secondary rate limit: waiting 60 seconds before sending GET ${LATEST} again`,
      `warn GitHub's secondary rate limit: waiting 60 seconds before sending GET ${LATEST} again`,
      `warn GitHub's secondary rate limit: not waiting 60 seconds more for GET ${LATEST}, as it has waited 2 times already`,
    ]);
    expect(explainFailure(error, { doing: 'reading the latest release', permissions: [] }).message).toBe(
      "GitHub's secondary rate limit stopped reading the latest release (403); try again after 60 seconds",
    );
  });

  it('does not wait for a primary limit that resets later than it will wait, and says when it resets', async () => {
    const reset = resetIn(45 * 60);
    nock(API)
      .get('/repos/o/r/releases/latest')
      .reply(403, primary, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset });
    const octokit = client({ maxWaitSeconds: 600 });
    const error = await latest(octokit).catch((caught: unknown) => caught);
    expect(octokit.requests.count()).toBe(1);
    expect(lines.filter((line) => line.startsWith('warn'))).toEqual([
      expect.stringMatching(/not waiting \d+ seconds more for GET .*, as that is longer than 600 seconds$/),
    ]);
    const at = new Date(Number(reset) * 1000).toISOString().slice(11, 16);
    expect(explainFailure(error, { doing: 'reading the latest release', permissions: [] }).message).toBe(
      `GitHub's primary rate limit stopped reading the latest release (403); it resets at ${at} UTC, so try again after that`,
    );
  });
});

describe('counting and logging', () => {
  it('counts REST and GraphQL requests apart, GraphQL by operation name', async () => {
    nock(API).get('/repos/o/r/releases/latest').reply(200, release);
    nock(API)
      .post('/graphql')
      .reply(200, { data: { viewer: { login: 'openly[bot]' } } });
    const octokit = client();
    await latest(octokit);
    await octokit.graphql(WHO_AM_I);
    expect(octokit.requests.byRoute()).toEqual({ [`GET ${LATEST}`]: 1, 'POST /graphql WhoAmI': 1 });
  });

  it("logs each request's route and status for debugging, never its headers", async () => {
    nock(API).get('/repos/o/r/releases/latest').reply(200, release);
    nock(API).get('/repos/o/r/releases/latest').reply(404, notFound);
    const octokit = client();
    await latest(octokit);
    await latest(octokit).catch(() => undefined);
    expect(lines).toEqual([
      expect.stringMatching(/^debug GET \/repos\/o\/r\/releases\/latest - 200 /),
      expect.stringMatching(/^debug GET \/repos\/o\/r\/releases\/latest - 404 /),
    ]);
  });

  it('sends the token to GitHub only, and takes a GitHub Enterprise Server address', async () => {
    let authorization: string | string[] | undefined;
    nock('https://github.example.gov.uk')
      .get('/api/v3/repos/o/r/releases/latest')
      .reply(function reply() {
        authorization = this.req.headers.authorization;
        return [200, release];
      });
    const { data } = await latest(client({ baseUrl: 'https://github.example.gov.uk/api/v3/' }));
    expect(data.tag_name).toBe(release.tag_name);
    expect(authorization).toBe(`token ${TOKEN}`);
  });
});
