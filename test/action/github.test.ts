import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { gitHubError } from '../../src/action/github.js';

function failure(status: number, message: string): RequestError {
  return new RequestError(message, status, {
    request: { method: 'POST', url: 'https://api.github.com/repos/o/r/statuses/abc', headers: {} },
    response: {
      status,
      url: 'https://api.github.com/repos/o/r/statuses/abc',
      headers: {},
      data: { message, documentation_url: 'https://docs.github.com/rest' },
    },
  });
}

describe('gitHubError', () => {
  it('says a token GitHub does not accept (401) is the token, not a missing permission', () => {
    const error = gitHubError(
      failure(401, 'Bad credentials'),
      'setting the commit status',
      'statuses: write',
    );
    expect(error.message).toBe(
      `GitHub did not accept the token while setting the commit status (401 Bad credentials); check the "token" input, or leave it unset to use the workflow's GITHUB_TOKEN`,
    );
    expect(error.message).not.toContain('permission');
  });

  it('names the permission when GitHub refuses (403)', () => {
    const error = gitHubError(
      failure(403, 'Resource not accessible by integration'),
      'setting the commit status',
      'statuses: write',
    );
    expect(error.message).toContain('the token lacks the "statuses: write" permission');
  });
});
