/**
 * The one place an Octokit is built for the Action, the CLI and the libraries: `@octokit/rest` with the retry and
 * throttling plugins composed as ProbotOctokit composes them, so that every door waits and retries alike, and the
 * request counter installed. The App keeps ProbotOctokit, which Probot builds per installation.
 */
import type { Octokit as CoreOctokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { countRequests, type RequestCount } from './request-counter.js';

/** What a library needs of an Octokit: this layer's, Probot's, or a test's. */
export type GitHubApi = Pick<CoreOctokit, 'request' | 'graphql'>;

/** Where the client says what it is doing: rate-limit waits are warnings, each request a debug line. */
export interface GitHubLog {
  warn(message: string): void;
  debug?(message: string): void;
}

export interface GitHubClientOptions {
  token: string;
  /** GitHub's API: GITHUB_API_URL in a workflow, `https://HOST/api/v3` on GitHub Enterprise Server. */
  baseUrl?: string;
  userAgent?: string;
  log?: GitHubLog;
  /** Resends after GitHub's own failures (5xx) of a request that is safe to repeat. */
  retries?: number;
  /** Times one request waits out a rate limit before it fails saying which limit and when it resets. */
  rateLimitWaits?: number;
  /** The longest wait worth making: a limit that resets later fails at once, saying when. */
  maxWaitSeconds?: number;
  /** Milliseconds in each second of waiting: 1000, but tests set 0 so that a wait of a minute takes none. */
  msPerSecond?: number;
  /**
   * Writes and GraphQL requests spaced a second apart, as GitHub asks of integrations to avoid its secondary limit;
   * tests turn it off.
   */
  spacing?: boolean;
  /**
   * The throttle shared with other processes (Bottleneck's Redis connection, as Probot builds it from `REDIS_URL`)
   * and the id its spacing is kept under: one per installation, so that one organisation's audit spaces its own
   * requests and not another's.
   */
  shared?: SharedThrottle;
}

/** What the throttling plugin needs to space requests across processes. */
export interface SharedThrottle {
  id: string;
  Bottleneck?: unknown;
  connection?: unknown;
}

/** Statuses that a resend cannot change, and rate limits, which are the throttling plugin's to wait out. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

type RequestOptions = { method?: string; url?: string; query?: unknown; request?: object };

/** Reads and GraphQL queries: a write that met a server error may have been made, and must not be made twice. */
function repeatable(options: RequestOptions): boolean {
  if (options.method === 'GET' || options.method === 'HEAD') return true;
  return (
    options.method === 'POST' &&
    options.url === '/graphql' &&
    typeof options.query === 'string' &&
    !/^\s*(?:#[^\n]*\n\s*)*mutation\b/.test(options.query)
  );
}

/**
 * A write that met a server error is not sent again: the release library re-reads what is there on its next run,
 * so a re-run finishes the job without risking a second release. Rate limits are still waited out: GitHub refused
 * the write, so sending it again cannot make it twice.
 */
function writesOnce(octokit: CoreOctokit): void {
  octokit.hook.before('request', (options) => {
    if (!repeatable(options)) options.request = { ...options.request, retries: 0 };
  });
}

/** Every request counted, resends included: `octokit.requests`. */
function requestCounting(octokit: CoreOctokit): { requests: RequestCount } {
  return { requests: countRequests(octokit) };
}

/** Octokit with the plugins in ProbotOctokit's order: throttling below retry, so a rate limit is waited out first. */
export const GitHubOctokit = Octokit.plugin(throttling, retry, writesOnce, requestCounting);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

/**
 * The throttling plugin keeps its spacing groups for the whole process; a group that runs each task at once stands
 * in for them when spacing is off. It has the one method the plugin calls on a group.
 */
const UNSPACED = {
  key: () => ({
    schedule: (_options: unknown, task: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve().then(() => task(...args)),
  }),
} as unknown as NonNullable<Extract<ThrottlingOptions, { enabled?: boolean }>['write']>;

function redactor(token: string): (text: string) => string {
  return token === '' ? (text) => text : (text) => text.split(token).join('***');
}

/** Builds the client. Nothing it logs carries the token: Octokit's own debug line of each request is dropped. */
export function createOctokit(options: GitHubClientOptions): GitHubClient {
  const retries = options.retries ?? 2;
  const waits = options.rateLimitWaits ?? 2;
  const maxWait = options.maxWaitSeconds ?? 600;
  const msPerSecond = options.msPerSecond ?? 1000;
  const redact = redactor(options.token);
  const warn = (message: string) => options.log?.warn(redact(message));
  const debug = (message: unknown) => {
    if (typeof message === 'string') options.log?.debug?.(redact(message));
  };

  const onLimit =
    (limit: 'primary' | 'secondary') =>
    (retryAfter: number, request: { method?: string; url?: string }, _octokit: unknown, count: number) => {
      const what = `${request.method ?? 'GET'} ${request.url ?? ''}`;
      const when = `${retryAfter} seconds`;
      if (count < waits && retryAfter <= maxWait) {
        warn(`GitHub's ${limit} rate limit: waiting ${when} before sending ${what} again`);
        return true;
      }
      const why =
        count >= waits
          ? `it has waited ${count} time${count === 1 ? '' : 's'} already`
          : `that is longer than ${maxWait} seconds`;
      warn(`GitHub's ${limit} rate limit: not waiting ${when} more for ${what}, as ${why}`);
      return false;
    };

  const baseUrl = (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const spaced = options.spacing ?? true;
  return new GitHubOctokit({
    auth: options.token,
    baseUrl,
    ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
    log: {
      // Octokit's debug line of each request is the request itself, headers and token included.
      debug: () => undefined,
      info: debug,
      // A failed request is logged by the caller, in words; Octokit's line says only its status.
      error: debug,
      warn: (message: unknown) => {
        if (typeof message === 'string') warn(message);
      },
    },
    retry: { retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: msPerSecond },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: msPerSecond,
      ...(spaced ? {} : { write: UNSPACED, search: UNSPACED, notifications: UNSPACED }),
      ...(options.shared as Partial<ThrottlingOptions> | undefined),
    },
  });
}
