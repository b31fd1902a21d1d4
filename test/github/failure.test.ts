import { GraphqlResponseError } from '@octokit/graphql';
import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import {
  explainFailure,
  GitHubFailure,
  graphqlFailure,
  httpFailure,
  type FailureContext,
} from '../../src/github/failure.js';

/** The error Octokit throws for an HTTP error status, built as Octokit builds it. */
function requestError(status: number, message: string, headers: Record<string, string> = {}): RequestError {
  return new RequestError(message, status, {
    request: {
      method: 'GET',
      url: 'https://api.github.com/repos/o/r',
      headers: { authorization: 'token secret' },
    },
    response: { status, url: 'https://api.github.com/repos/o/r', headers, data: { message } },
  });
}

describe('httpFailure', () => {
  it.each([
    [
      'a secondary rate limit (403 with retry-after)',
      requestError(403, 'You have exceeded a secondary rate limit', { 'retry-after': '60' }),
      true,
      60,
    ],
    [
      'a primary rate limit (403 saying so)',
      requestError(403, 'API rate limit exceeded for installation ID 1.'),
      true,
      undefined,
    ],
    ['a 429', requestError(429, 'Too many requests'), true, undefined],
    [
      'a missing permission (403)',
      requestError(403, 'Resource not accessible by integration'),
      false,
      undefined,
    ],
    ['a server error', requestError(502, 'Bad gateway'), false, undefined],
  ])('reads %s', (_name, error, rateLimited, retryAfter) => {
    const failure = httpFailure(error);
    expect(failure?.rateLimited).toBe(rateLimited);
    expect(failure?.retryAfter).toBe(retryAfter);
    expect(failure?.said).toBe((error.response?.data as { message: string }).message);
  });

  it('is undefined for errors that are not GitHub answers', () => {
    expect(httpFailure(new Error('socket hang up'))).toBeUndefined();
    expect(httpFailure('text')).toBeUndefined();
    expect(httpFailure(null)).toBeUndefined();
  });

  it('gives an empty text when GitHub said nothing readable', () => {
    const error = new RequestError('HttpError', 500, {
      request: { method: 'GET', url: 'https://api.github.com/x', headers: {} },
      response: { status: 500, url: 'https://api.github.com/x', headers: {}, data: '<html>oops</html>' },
    });
    expect(httpFailure(error)).toEqual({ status: 500, said: '', rateLimited: false });
  });
});

describe('graphqlFailure', () => {
  type Response = ConstructorParameters<typeof GraphqlResponseError<unknown>>[2];
  /** The error Octokit throws for a GraphQL answer with errors, built as Octokit builds it. */
  function graphqlError(errors: { type?: string; message: string }[]): GraphqlResponseError<unknown> {
    const response = {
      data: {},
      errors: errors.map((e) => ({
        ...e,
        locations: [{ line: 1, column: 9 }],
        path: ['repository'],
        extensions: {},
      })),
    } as unknown as Response;
    return new GraphqlResponseError(
      { method: 'POST', url: '/graphql', query: 'query { viewer { login } }' },
      {},
      response,
    );
  }

  it('tells a rate limit, a missing object and a hidden one apart', () => {
    expect(
      graphqlFailure(graphqlError([{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }])),
    ).toMatchObject({
      rateLimited: true,
      notFound: false,
      forbidden: false,
    });
    expect(graphqlFailure(graphqlError([{ type: 'NOT_FOUND', message: 'Could not resolve' }]))).toMatchObject(
      {
        notFound: true,
        said: 'Could not resolve',
      },
    );
    expect(
      graphqlFailure(
        graphqlError([
          { message: 'Resource not accessible by integration' },
          { type: 'FORBIDDEN', message: 'no' },
        ]),
      ),
    ).toMatchObject({ forbidden: true, said: 'Resource not accessible by integration; no' });
  });

  it('is undefined for a REST failure', () => {
    expect(graphqlFailure(requestError(404, 'Not Found'))).toBeUndefined();
  });
});

describe('explainFailure', () => {
  const writing: FailureContext = {
    doing: 'creating the draft release v1.4.0',
    permissions: ['contents: write'],
  };
  type Response = ConstructorParameters<typeof GraphqlResponseError<unknown>>[2];
  function hidden(path: (string | number)[]): GraphqlResponseError<unknown> {
    const response = {
      data: { repository: null },
      errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration', path, locations: [] }],
    } as unknown as Response;
    return new GraphqlResponseError(
      { method: 'POST', url: '/graphql', query: 'query Q { x }' },
      {},
      response,
    );
  }

  it.each([
    [
      'a refusal names the permission, and how a workflow and a GitHub App grant it',
      requestError(403, 'Resource not accessible by integration'),
      'GitHub refused creating the draft release v1.4.0 (403 Resource not accessible by integration): the token lacks the "contents: write" permission; in a workflow, give the job "contents: write" under "permissions:"; for a GitHub App, grant Contents read and write',
      403,
    ],
    [
      'a token GitHub does not take is the token, not a permission',
      requestError(401, 'Bad credentials'),
      'GitHub did not accept the token while creating the draft release v1.4.0 (401 Bad credentials); the token has expired, been revoked or is mistyped',
      401,
    ],
    [
      "GitHub's own failure is said to be GitHub's, with what to do",
      requestError(502, 'Server Error'),
      "GitHub failed while creating the draft release v1.4.0 (502); this is on GitHub's side. Try again later.",
      502,
    ],
    [
      "a rejected body gives GitHub's reason",
      requestError(422, 'Validation Failed'),
      'GitHub would not accept creating the draft release v1.4.0 (422 Validation Failed)',
      422,
    ],
    [
      'a field hidden from the token names the permission that field needs',
      hidden(['repository', 'milestone', 'pullRequests']),
      'GitHub refused creating the draft release v1.4.0 (Resource not accessible by integration): the token lacks the "pull-requests: read" permission; in a workflow, give the job "pull-requests: read" under "permissions:"; for a GitHub App, grant Pull requests read',
      403,
    ],
    [
      'a hidden repository names every permission the request needs',
      hidden(['repository']),
      'GitHub refused creating the draft release v1.4.0 (Resource not accessible by integration): the token needs the "contents: write" permission; in a workflow, give the job "contents: write" under "permissions:"; for a GitHub App, grant Contents read and write',
      403,
    ],
  ])('%s', (_name, error, message, status) => {
    expect(explainFailure(error, writing)).toEqual({ message, status });
  });

  it("ends a failure a re-run gets past with the door's outcome", () => {
    const { message } = explainFailure(requestError(500, 'Server Error'), {
      ...writing,
      outcome: 'Nothing was written; running again finishes the job.',
    });
    expect(message).toBe(
      "GitHub failed while creating the draft release v1.4.0 (500); this is on GitHub's side. Nothing was written; running again finishes the job.",
    );
  });

  it('says GitHub could not be reached when no answer came', () => {
    const error = new RequestError('getaddrinfo ENOTFOUND api.github.com', 500, {
      request: {
        method: 'GET',
        url: 'https://api.github.com/repos/o/r',
        headers: { authorization: 'token secret' },
      },
    });
    expect(explainFailure(error, writing)).toEqual({
      message:
        'Could not reach GitHub while creating the draft release v1.4.0: getaddrinfo ENOTFOUND api.github.com. Try again later.',
    });
  });

  it('passes a sentence already made through as it is, status included', () => {
    expect(explainFailure(new GitHubFailure('The branch moved', 422), writing)).toEqual({
      message: 'The branch moved',
      status: 422,
    });
  });

  it('never repeats the request, whose headers carry the token', () => {
    const { message } = explainFailure(requestError(403, 'Forbidden'), writing);
    expect(message).not.toContain('secret');
    expect(message).not.toContain('api.github.com/repos');
  });
});
