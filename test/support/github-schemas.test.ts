import { describe, expect, it } from 'vitest';
import { validateGraphqlResponse } from './github-schemas.js';

// The schema checks are what make every GitHub mock in the suite trustworthy, so they are tested themselves.
const QUERY = `query Author($owner: String!, $repo: String!) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: 1) { author { __typename login ... on Bot { id } } }
  }
}`;
const VARIABLES = { owner: 'o', repo: 'r' };
const answer = (author: unknown) => ({ repository: { pullRequest: { author } } });

describe('validateGraphqlResponse', () => {
  it('takes an interface answer as the type its __typename names', () => {
    expect(() =>
      validateGraphqlResponse(
        QUERY,
        VARIABLES,
        answer({ __typename: 'Bot', login: 'dependabot', id: 'BOT_1' }),
      ),
    ).not.toThrow();
    expect(() =>
      validateGraphqlResponse(QUERY, VARIABLES, answer({ __typename: 'User', login: 'priya' })),
    ).not.toThrow();
  });

  it('refuses a __typename the interface cannot be', () => {
    expect(() =>
      validateGraphqlResponse(QUERY, VARIABLES, answer({ __typename: 'Issue', login: 'x' })),
    ).toThrow(/Issue .* is not a possible Actor/);
  });

  it('refuses an answer missing a field that was asked for', () => {
    expect(() =>
      validateGraphqlResponse(QUERY, VARIABLES, answer({ __typename: 'Bot', id: 'BOT_1' })),
    ).toThrow(/login/);
  });
});
