import { Octokit } from '@octokit/core';
import { VERSION } from '../core/version.js';

/** What the audit needs of an Octokit; injected, so that any client (the App's, the shared factory's) will do. */
export type AuditOctokit = Pick<Octokit, 'request' | 'graphql'>;

export interface AuditOctokitOptions {
  token: string;
  /** GitHub's REST API: `GITHUB_API_URL` (GitHub Enterprise Server: `https://HOST/api/v3`). */
  apiUrl?: string;
  /** GitHub's GraphQL endpoint: `GITHUB_GRAPHQL_URL` (GitHub Enterprise Server: `https://HOST/api/graphql`). */
  graphqlUrl?: string;
}

export const DEFAULT_API_URL = 'https://api.github.com';

/**
 * The one place the audit's Octokit is built. Without `graphqlUrl`, Octokit finds GraphQL from the REST address
 * (`/api/v3` becomes `/api/graphql` on GitHub Enterprise Server). Retries and rate limits are the audit's own
 * (`ask.ts`) until the shared factory brings Octokit's plugins.
 */
export function createAuditOctokit(options: AuditOctokitOptions): Octokit {
  const baseUrl = (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, '');
  const octokit = new Octokit({ auth: options.token, baseUrl, userAgent: `openly/${VERSION}` });
  if (options.graphqlUrl !== undefined && options.graphqlUrl !== '') {
    // An absolute `url` wins over `baseUrl`; a `baseUrl` not ending in /api/v3 keeps Octokit from rewriting it.
    const url = options.graphqlUrl.replace(/\/+$/, '');
    octokit.graphql = octokit.graphql.defaults({ baseUrl: url, url });
  }
  return octokit;
}
