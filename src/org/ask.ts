import { graphqlFailure, httpFailure } from '../github/failure.js';
import type { AuditOctokit } from './octokit.js';

/** What one audit query reports of GitHub's GraphQL budget (`rateLimit { cost remaining resetAt }`). */
export interface RateLimitInfo {
  cost: number;
  remaining: number;
  resetAt: string;
}

/** The audit could not go on: a bad token, a missing permission, no such organisation, GitHub unreachable. */
export class AuditError extends Error {
  override name = 'AuditError';
  constructor(
    message: string,
    readonly kind: 'auth' | 'permission' | 'not-found' | 'github',
  ) {
    super(message);
  }
}

/** What a token needs, as GitHub documents it for listing an organisation's repositories and reading their files. */
export const PERMISSIONS =
  'a GitHub App installation token needs the repository permissions "Metadata: read" and "Contents: read"; ' +
  'a fine-grained token the same, on the organisation\'s repositories; a classic token the "repo" scope ' +
  '("public_repo" sees public repositories only) and "read:org"';

export interface AskOptions {
  octokit: AuditOctokit;
  /** Waits; injected so that tests of rate limits take no time. */
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  /** Told when the audit waits for a rate limit: how long and why. */
  onWait?: (ms: number, why: string) => void;
}

/** Waits past this many in a row are a GitHub that never lets the audit go on: it stops with a message instead. */
const MAX_WAITS = 10;
/** GitHub's advice when a secondary limit names no time: wait at least a minute. */
const DEFAULT_WAIT_MS = 60_000;

function header(headers: Record<string, unknown> | undefined, name: string): number | undefined {
  const value = Number(headers?.[name]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** How long GitHub asked us to wait: `retry-after` seconds, else until `x-ratelimit-reset` (epoch seconds). */
function waitFrom(headers: Record<string, unknown> | undefined, now: Date): number {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) return retryAfter * 1000;
  const reset = header(headers, 'x-ratelimit-reset');
  if (reset !== undefined) return Math.max(1000, reset * 1000 - now.getTime() + 1000);
  return DEFAULT_WAIT_MS;
}

function errorHeaders(error: unknown): Record<string, unknown> | undefined {
  const e = error as { headers?: Record<string, unknown>; response?: { headers?: Record<string, unknown> } };
  return e.response?.headers ?? e.headers;
}

/** A failed request in plain words, never the request itself (it carries the token). */
export function auditFailure(error: unknown, org: string): AuditError {
  if (error instanceof AuditError) return error;
  const graphql = graphqlFailure(error);
  if (graphql !== undefined) {
    const scopes = graphql.errors.some((e) => e.type === 'INSUFFICIENT_SCOPES');
    if (scopes || graphql.forbidden) {
      return new AuditError(
        `GitHub refused to show ${org}'s repositories to this token (${graphql.said}); ${PERMISSIONS}.`,
        'permission',
      );
    }
    if (graphql.notFound && graphql.errors.some((e) => e.path?.[0] === 'organization')) {
      return new AuditError(
        `GitHub has no organisation "${org}" that this token can see; check the name (a personal account is not an organisation).`,
        'not-found',
      );
    }
    return new AuditError(`GitHub answered with errors: ${graphql.said}`, 'github');
  }
  const http = httpFailure(error);
  if (http !== undefined) {
    const said = http.said === '' ? '' : ` (${http.said})`;
    if (http.status === 401) {
      return new AuditError(
        `GitHub refused the token${said}: it is wrong, expired or revoked. Give a valid one in GITHUB_TOKEN or --token.`,
        'auth',
      );
    }
    if (http.status === 403) {
      // GitHub names what the request needed: scopes for a classic token, permissions for an App or fine-grained one.
      const headers = errorHeaders(error);
      const asked = [headers?.['x-accepted-github-permissions'], headers?.['x-accepted-oauth-scopes']].filter(
        (value): value is string => typeof value === 'string' && value !== '',
      );
      const needs = asked.length === 0 ? '' : ` GitHub says this request needs: ${asked.join('; ')}.`;
      return new AuditError(
        `GitHub refused the audit's request (403)${said}: ${PERMISSIONS}.${needs}`,
        'permission',
      );
    }
    if (http.status === 404) {
      return new AuditError(
        `GitHub answered 404: no GitHub API at this address, or no organisation "${org}" this token can see (set GITHUB_API_URL and GITHUB_GRAPHQL_URL for GitHub Enterprise Server).`,
        'not-found',
      );
    }
    return new AuditError(`GitHub answered ${http.status}${said}; try again later.`, 'github');
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new AuditError(`Could not reach GitHub: ${reason}`, 'github');
}

/**
 * The shared client's throttling plugin turns a GraphQL `RATE_LIMITED` answer into a plain error of its own
 * ("GraphQL Rate Limit Exceeded"), keeping GitHub's answer on it; the audit waits that out like any other limit.
 */
function throttledGraphql(error: unknown): boolean {
  const data = (error as { response?: { data?: { errors?: { type?: string }[] } } }).response?.data;
  return data?.errors?.some((e) => e.type === 'RATE_LIMITED') === true;
}

/**
 * Sends one GraphQL query, waiting out GitHub's rate limits rather than failing: a 403 or 429 that says so (with
 * `retry-after` or a reset time), and a GraphQL `RATE_LIMITED` error. Other failures throw an AuditError. A
 * `partial` reader may accept an answer that carries errors (a repository gone since it was listed).
 */
export async function ask<T>(
  options: AskOptions,
  org: string,
  query: string,
  variables: Record<string, unknown>,
  partial?: (data: unknown, errors: { type?: string; path?: (string | number)[] }[]) => T | undefined,
): Promise<T> {
  for (let waits = 0; ; waits++) {
    let wait: number | undefined;
    let why = '';
    try {
      return await options.octokit.graphql<T>(query, variables);
    } catch (error) {
      const graphql = graphqlFailure(error);
      const http = httpFailure(error);
      if (graphql?.rateLimited === true || throttledGraphql(error)) {
        wait = waitFrom(errorHeaders(error), options.now());
        why = "GitHub's GraphQL rate limit is used up";
      } else if (
        http?.rateLimited === true ||
        (http?.status === 403 &&
          header(errorHeaders(error), 'x-ratelimit-reset') !== undefined &&
          errorHeaders(error)?.['x-ratelimit-remaining'] === '0')
      ) {
        wait = waitFrom(errorHeaders(error), options.now());
        why = `GitHub's rate limit (${http?.status ?? 403})`;
      } else if (graphql !== undefined && partial !== undefined) {
        const data = (error as { data?: unknown }).data;
        const answer = data === undefined || data === null ? undefined : partial(data, graphql.errors);
        if (answer !== undefined) return answer;
        throw auditFailure(error, org);
      } else {
        throw auditFailure(error, org);
      }
    }
    if (waits >= MAX_WAITS) {
      throw new AuditError(`${why}, and still after ${MAX_WAITS} waits; try again later.`, 'github');
    }
    options.onWait?.(wait, why);
    await options.sleep(wait);
  }
}

/** Waits for the reset when what is left of the budget would not pay for the next query. */
export async function pace(options: AskOptions, limit: RateLimitInfo | undefined): Promise<void> {
  if (limit === undefined || limit.remaining > Math.max(limit.cost, 1)) return;
  const ms = Math.max(1000, Date.parse(limit.resetAt) - options.now().getTime() + 1000);
  if (!Number.isFinite(ms)) return;
  options.onWait?.(ms, "GitHub's GraphQL budget for this hour is spent");
  await options.sleep(ms);
}
