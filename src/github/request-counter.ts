import type { Octokit } from '@octokit/core';

export interface RequestCount {
  /** Every request sent so far, REST and GraphQL, failed ones and every resend of the retry and throttling plugins included. */
  count(): number;
  /** Requests by route template (`GET /repos/{owner}/{repo}/git/trees/{tree_sha}`); GraphQL by operation name. */
  byRoute(): Record<string, number>;
}

const OPERATION = /^\s*(?:#[^\n]*\n\s*)*(query|mutation)\s+(\w+)/;

type Fetch = typeof globalThis.fetch;

/**
 * Counts the requests an Octokit sends from now on. The house rule is that every GitHub request is counted, and the
 * bench reports requests per event, so the count sits below every caller: the hook names the request once, and the
 * `fetch` it hands down counts each time a request actually leaves, so the resends of the retry and throttling
 * plugins (which run between this hook and `fetch`, in whatever order an Octokit composes them) are counted too.
 */
export function countRequests(octokit: Pick<Octokit, 'hook'>): RequestCount {
  const routes = new Map<string, number>();
  let total = 0;
  octokit.hook.wrap('request', (request, options) => {
    let key = `${options.method} ${options.url}`;
    const query = (options as { query?: unknown }).query;
    if (typeof query === 'string') {
      const match = OPERATION.exec(query);
      if (match !== null) key += ` ${match[2]}`;
    }
    const given = options.request?.fetch as Fetch | undefined;
    const counted: Fetch = (input, init) => {
      total += 1;
      routes.set(key, (routes.get(key) ?? 0) + 1);
      // Looked up when sent, not when counted: a test's HTTP mock may replace the global fetch in between.
      return (given ?? globalThis.fetch)(input, init);
    };
    // Set on these very options, which every hook below is bound to, but in a copy of `request`: Octokit may share
    // that object between calls, and this fetch counts for this request only.
    options.request = { ...options.request, fetch: counted };
    return request(options);
  });
  return {
    count: () => total,
    byRoute: () => Object.fromEntries([...routes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}
