import type { Octokit } from '@octokit/core';
import { VERSION } from '../core/version.js';
import { createOctokit, type GitHubClient, type GitHubLog, type SharedThrottle } from '../github/octokit.js';

/** What the audit needs of an Octokit; injected, so that any client (the App's, the shared factory's) will do. */
export type AuditOctokit = Pick<Octokit, 'request' | 'graphql'>;

export interface AuditOctokitOptions {
  token: string;
  /** GitHub's REST API: `GITHUB_API_URL` (GitHub Enterprise Server: `https://HOST/api/v3`). */
  apiUrl?: string;
  /** GitHub's GraphQL endpoint: `GITHUB_GRAPHQL_URL` (GitHub Enterprise Server: `https://HOST/api/graphql`). */
  graphqlUrl?: string;
  /** Where the client's warnings go (a 5xx read again); never given the token. */
  log?: GitHubLog;
  /** Spacing shared with other processes through Redis, under an id per installation (a queue worker's). */
  shared?: SharedThrottle;
}

export const DEFAULT_API_URL = 'https://api.github.com';

/**
 * The audit's client: the shared one (`src/github/octokit.ts`: retries of failed reads, the request counter, no
 * token in logs), with its rate-limit waits left to the audit (`ask.ts`), which waits as long as GitHub asks, so that
 * a rate limit delays an audit and never fails it. Without `graphqlUrl`, Octokit finds GraphQL from the REST address
 * (`/api/v3` becomes `/api/graphql` on GitHub Enterprise Server).
 */
export function createAuditOctokit(options: AuditOctokitOptions): GitHubClient {
  const baseUrl = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
  const octokit = createOctokit({
    token: options.token,
    baseUrl,
    userAgent: `openly/${VERSION}`,
    rateLimitWaits: 0,
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.shared === undefined ? {} : { shared: options.shared }),
  });
  if (options.graphqlUrl !== undefined && options.graphqlUrl !== '') {
    // An absolute `url` wins over `baseUrl`; a `baseUrl` not ending in /api/v3 keeps Octokit from rewriting it.
    const url = options.graphqlUrl.replace(/\/+$/, '');
    octokit.graphql = octokit.graphql.defaults({ baseUrl: url, url });
  }
  return octokit;
}
