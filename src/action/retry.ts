import type { Octokit } from '@octokit/core';
import { httpFailure } from '../sources/github-failure.js';

export interface RetryOptions {
  /** Further attempts after the first (2: three in all). */
  retries: number;
  /** Waits; injected so that tests do not sleep. */
  sleep: (ms: number) => Promise<void>;
  /** The longest `retry-after` worth waiting for inside a job; longer, and the job fails saying so. */
  maxWaitSeconds: number;
}

const DEFAULTS: RetryOptions = {
  retries: 2,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  maxWaitSeconds: 60,
};

/** The GraphQL documents the Action and the release library send are queries, but a mutation must never repeat. */
function isQuery(options: { method?: string; url?: string; query?: unknown }): boolean {
  if (options.method === 'GET' || options.method === 'HEAD') return true;
  return (
    options.method === 'POST' &&
    options.url === '/graphql' &&
    typeof options.query === 'string' &&
    !/^\s*(?:#[^\n]*\n\s*)*mutation\b/.test(options.query)
  );
}

/**
 * Retries what GitHub documents as worth retrying, and only where a repeat cannot do a thing twice: reads that met a
 * server error (500, 502, 503, 504), and any request GitHub refused for a secondary rate limit with a `retry-after`
 * it asks us to honour. A write that met a server error is not repeated here: the release library re-reads what is
 * there on the next run, so a re-run finishes the job without risking a second release.
 */
export function withRetries(octokit: Octokit, options: Partial<RetryOptions> = {}): Octokit {
  const { retries, sleep, maxWaitSeconds } = { ...DEFAULTS, ...options };
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        const failure = httpFailure(error);
        if (failure === undefined || attempt >= retries) throw error;
        if (failure.rateLimited) {
          // Without retry-after GitHub asks for a wait of at least a minute; that is the job's to decide, not ours.
          if (failure.retryAfter === undefined || failure.retryAfter > maxWaitSeconds) throw error;
          await sleep(failure.retryAfter * 1000);
          continue;
        }
        const serverError = [500, 502, 503, 504].includes(failure.status);
        if (!serverError || !isQuery(requestOptions)) throw error;
        await sleep(1000 * 2 ** attempt);
      }
    }
  });
  return octokit;
}
