import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { countRequests } from '../../src/github/request-counter.js';
import { validateGraphqlDocument, validateRestResponse } from '../support/github-schemas.js';

const REPO = '/repos/{owner}/{repo}';
const WHO_AM_I = '# who\nquery WhoAmI {\n  viewer {\n    login\n  }\n}\n';

beforeAll(() => {
  nock.disableNetConnect();
  validateGraphqlDocument(WHO_AM_I);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

it('counts each resend of the retry plugin as a request of its own', async () => {
  const octokit = new ProbotOctokit({
    auth: { token: 'test' },
    retry: { enabled: true, retries: 2, retryAfterBaseValue: 1 },
    throttle: { enabled: false },
  });
  const counter = countRequests(octokit);
  const error = { message: 'Server Error' };
  validateRestResponse('GET', REPO, 500, error);
  nock('https://api.github.com')
    .get('/repos/nhsengland/triage-design-history')
    .reply(502, error)
    .get('/repos/nhsengland/triage-design-history')
    .reply(502, error)
    .get('/repos/nhsengland/triage-design-history')
    .reply(404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository',
    });

  await expect(
    octokit.request(`GET ${REPO}`, { owner: 'nhsengland', repo: 'triage-design-history' }),
  ).rejects.toMatchObject({ status: 404 });
  expect(counter.count()).toBe(3);
  expect(counter.byRoute()).toEqual({ [`GET ${REPO}`]: 3 });
});

it('counts a request that passed on its second try as two', async () => {
  const octokit = new ProbotOctokit({
    auth: { token: 'test' },
    retry: { enabled: true, retries: 2, retryAfterBaseValue: 1 },
    throttle: { enabled: false },
  });
  const counter = countRequests(octokit);
  nock('https://api.github.com').post('/graphql').reply(502, { message: 'Server Error' });
  nock('https://api.github.com')
    .post('/graphql')
    .reply(200, { data: { viewer: { login: 'openly[bot]' } } });
  await octokit.graphql(WHO_AM_I);
  expect(counter.count()).toBe(2);
});

it('names GraphQL requests by their operation', async () => {
  const octokit = new ProbotOctokit({
    auth: { token: 'test' },
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const counter = countRequests(octokit);
  nock('https://api.github.com')
    .post('/graphql')
    .reply(200, { data: { viewer: { login: 'openly[bot]' } } });
  await octokit.graphql(WHO_AM_I);
  expect(counter.byRoute()).toEqual({ 'POST /graphql WhoAmI': 1 });
});

it("counts the throttling plugin's resend after a secondary rate limit, as the App's Octokit makes it", async () => {
  const waits: number[] = [];
  const octokit = new ProbotOctokit({
    auth: { token: 'test' },
    retry: { enabled: false },
    throttle: {
      retryAfterBaseValue: 0,
      onSecondaryRateLimit: (retryAfter: number) => {
        waits.push(retryAfter);
        return true;
      },
      onRateLimit: () => false,
    },
  });
  const counter = countRequests(octokit);
  const limited = {
    message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api',
  };
  validateRestResponse('GET', REPO, 403, limited);
  nock('https://api.github.com')
    .get('/repos/nhsengland/triage-design-history')
    .reply(403, limited, { 'retry-after': '30' })
    .get('/repos/nhsengland/triage-design-history')
    .reply(404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/repos/repos#get-a-repository',
    });

  await expect(
    octokit.request(`GET ${REPO}`, { owner: 'nhsengland', repo: 'triage-design-history' }),
  ).rejects.toMatchObject({ status: 404 });
  expect(waits).toEqual([30]);
  expect(counter.byRoute()).toEqual({ [`GET ${REPO}`]: 2 });
});
