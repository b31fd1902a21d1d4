import { GraphqlResponseError } from '@octokit/graphql';
import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { graphqlFailure, httpFailure } from '../../src/github/failure.js';

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
