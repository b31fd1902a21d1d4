import { Octokit } from '@octokit/core';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withRetries } from '../../src/action/retry.js';
import { example } from '../release/github-mock.js';
import { validateRestResponse } from '../support/github-schemas.js';

const API = 'https://api.github.com';
/** A real release, from GitHub's own example of a release event. */
const release = example('release', (payload) => payload.action === 'published').release as {
  tag_name: string;
};
const serverError = { message: 'Server Error' };

function client(waits: number[]): Octokit {
  return withRetries(new Octokit({ auth: 'ghs_test' }), {
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
}

beforeAll(() => {
  nock.disableNetConnect();
  validateRestResponse('get', '/repos/{owner}/{repo}/releases/latest', 200, release);
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('withRetries', () => {
  it('reads again after GitHub answers 502, backing off', async () => {
    nock(API).get('/repos/o/r/releases/latest').reply(502, serverError);
    nock(API).get('/repos/o/r/releases/latest').reply(503, serverError);
    nock(API).get('/repos/o/r/releases/latest').reply(200, release);
    const waits: number[] = [];
    const { data } = await client(waits).request('GET /repos/{owner}/{repo}/releases/latest', {
      owner: 'o',
      repo: 'r',
    });
    expect(data.tag_name).toBe(release.tag_name);
    expect(waits).toEqual([1000, 2000]);
  });

  it('gives up after two further attempts with the last error', async () => {
    nock(API).get('/repos/o/r/releases/latest').times(3).reply(500, serverError);
    const octokit = client([]);
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/releases/latest', { owner: 'o', repo: 'r' }),
    ).rejects.toMatchObject({ status: 500 });
  });

  it('never repeats a write that met a server error, so no release is made twice', async () => {
    nock(API).post('/repos/o/r/releases').reply(502, serverError);
    const waits: number[] = [];
    await expect(
      client(waits).request('POST /repos/{owner}/{repo}/releases', {
        owner: 'o',
        repo: 'r',
        tag_name: 'v1.0.0',
      }),
    ).rejects.toMatchObject({ status: 502 });
    expect(waits).toEqual([]);
  });

  it('never repeats a GraphQL mutation, but repeats a query', async () => {
    nock(API).post('/graphql').reply(502, serverError);
    await expect(client([]).graphql('mutation M { __typename }')).rejects.toMatchObject({ status: 502 });
    nock(API).post('/graphql').reply(502, serverError);
    nock(API)
      .post('/graphql')
      .reply(200, { data: { viewer: { login: 'openly[bot]' } } });
    await expect(client([]).graphql('query Q { viewer { login } }')).resolves.toEqual({
      viewer: { login: 'openly[bot]' },
    });
  });

  it('waits out a secondary rate limit for as long as GitHub asks, then sends the write once more', async () => {
    nock(API)
      .post('/repos/o/r/releases')
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '7' });
    nock(API).post('/repos/o/r/releases').reply(201, release);
    const waits: number[] = [];
    const { status } = await client(waits).request('POST /repos/{owner}/{repo}/releases', {
      owner: 'o',
      repo: 'r',
      tag_name: 'v1.0.0',
    });
    expect(status).toBe(201);
    expect(waits).toEqual([7000]);
  });

  it('does not wait when GitHub asks for longer than a job should, nor on a missing permission', async () => {
    nock(API)
      .get('/repos/o/r/releases/latest')
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '3600' });
    nock(API)
      .get('/repos/o/r/releases/latest')
      .reply(403, { message: 'Resource not accessible by integration' });
    const waits: number[] = [];
    const octokit = client(waits);
    const read = () =>
      octokit.request('GET /repos/{owner}/{repo}/releases/latest', { owner: 'o', repo: 'r' });
    await expect(read()).rejects.toMatchObject({ status: 403 });
    await expect(read()).rejects.toMatchObject({ status: 403 });
    expect(waits).toEqual([]);
  });
});
