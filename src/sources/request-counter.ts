import type { ProbotOctokit } from 'probot';

export interface RequestCount {
  /** Every request sent so far, REST and GraphQL, failed ones and the retry plugin's resends included. */
  count(): number;
  /** Requests by route template (`GET /repos/{owner}/{repo}/git/trees/{tree_sha}`); GraphQL by operation name. */
  byRoute(): Record<string, number>;
}

const OPERATION = /^\s*(?:#[^\n]*\n\s*)*(query|mutation)\s+(\w+)/;

/**
 * Counts the requests an Octokit sends from now on. The house rule is that every GitHub request is counted, and the
 * bench reports requests per event, so the count sits on Octokit's request hook, below every caller.
 */
export function countRequests(octokit: Pick<ProbotOctokit, 'hook'>): RequestCount {
  const routes = new Map<string, number>();
  let total = 0;
  octokit.hook.wrap('request', async (request, options) => {
    let key = `${options.method} ${options.url}`;
    const query = (options as { query?: unknown }).query;
    if (typeof query === 'string') {
      const match = OPERATION.exec(query);
      if (match !== null) key += ` ${match[2]}`;
    }
    const add = (n: number) => {
      total += n;
      routes.set(key, (routes.get(key) ?? 0) + n);
    };
    add(1);
    let failed = false;
    try {
      return await request(options);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // The retry plugin resends below this hook and counts the failed attempts on the options it was given,
      // the last one too when it gave up.
      const failures = (options.request as { retryCount?: unknown } | undefined)?.retryCount;
      const resends = typeof failures === 'number' ? failures - (failed ? 1 : 0) : 0;
      if (resends > 0) add(resends);
    }
  });
  return {
    count: () => total,
    byRoute: () => Object.fromEntries([...routes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}
