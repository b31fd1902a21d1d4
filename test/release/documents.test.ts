import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  artefactsQuery,
  MERGED_PULL_REQUESTS_QUERY,
  MILESTONE_QUERY,
  RELEASE_STATE_QUERY,
} from '../../src/release/github.js';
import { graphqlDocumentErrors } from '../support/github-schemas.js';

describe("the release notes' GraphQL documents", () => {
  it.each([
    ['OpenlyReleaseState', RELEASE_STATE_QUERY],
    ['OpenlyMergedPullRequests', MERGED_PULL_REQUESTS_QUERY],
    ['OpenlyMilestone', MILESTONE_QUERY],
    ['OpenlyReleaseArtefacts', artefactsQuery(3)],
  ])('%s is one GitHub accepts', (_name, query) => {
    expect(graphqlDocumentErrors(query)).toEqual([]);
  });

  it('asks at most 100 items a page, within GitHub’s node limit', () => {
    for (const query of [RELEASE_STATE_QUERY, MERGED_PULL_REQUESTS_QUERY, MILESTONE_QUERY]) {
      const pages = [...query.matchAll(/first: (\d+)/g)].map((match) => Number(match[1]));
      expect(Math.max(...pages)).toBeLessThanOrEqual(100);
    }
  });

  it('are each kept in their own file beside the code', () => {
    const files = readdirSync(new URL('../../src/release/github/', import.meta.url)).sort();
    expect(files).toEqual([
      'artefact-blob.graphql',
      'merged-pull-request-page.graphql',
      'merged-pull-requests.graphql',
      'milestone.graphql',
      'release-fields.graphql',
      'release-state.graphql',
    ]);
  });
});
