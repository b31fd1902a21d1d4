/**
 * What a failed GitHub request says, and the one sentence every door shows for it: what was under way, what GitHub
 * answered, and what to do (the permission to grant, the token to check, when to try again). The doors only say
 * what they were doing and how their users grant a permission; the reading and the wording live here, so that the
 * App, the Action and the release library agree on what counts as a rate limit and say the same thing about it.
 * A message never carries the request itself, whose headers hold the token.
 */

/** A REST request GitHub answered with an error status. */
export interface HttpFailure {
  status: number;
  /** GitHub's own message from the response body, or '' when it gave none. */
  said: string;
  /** Seconds GitHub asked us to wait (`retry-after`), when it said. */
  retryAfter?: number;
  /** A primary or secondary rate limit: 429, or 403 with `retry-after` or a message saying so. */
  rateLimited: boolean;
  /** Which rate limit, when GitHub's answer tells: the hourly budget (primary) or its abuse guard (secondary). */
  limit?: 'primary' | 'secondary';
  /** When the primary limit resets (`x-ratelimit-reset`), when GitHub said it was used up. */
  resetAt?: Date;
  /** No answer came at all (DNS, TLS, a dropped connection): Octokit reports these as a 500 with no response. */
  unanswered?: true;
}

/** A GraphQL answer that carried errors. */
export interface GraphqlFailure {
  errors: { type?: string; message: string; path?: (string | number)[] }[];
  /** The errors' messages, joined. */
  said: string;
  rateLimited: boolean;
  notFound: boolean;
  /** GitHub hid something from the token (`FORBIDDEN`, or "Resource not accessible by integration"). */
  forbidden: boolean;
  /** When the GraphQL budget resets, when the answer's headers said. */
  resetAt?: Date;
}

type Headers = Record<string, string | number | undefined>;

interface OctokitRequestFailure {
  status: number;
  response?: { headers?: Headers; data?: unknown };
}

function resetOf(headers: Headers | undefined): Date | undefined {
  const reset = Number(headers?.['x-ratelimit-reset']);
  return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
}

/** Octokit's `RequestError` (or anything shaped like it), read; undefined for other errors. */
export function httpFailure(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // Openly's own errors carry GitHub's status too, but they are sentences already, not answers to read again.
  if (error instanceof GitHubFailure) return undefined;
  const { status, response } = error as Partial<OctokitRequestFailure>;
  if (typeof status !== 'number') return undefined;
  const body = response?.data;
  const message =
    typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  const said = typeof message === 'string' ? message : '';
  const headers = response?.headers;
  const retryHeader = Number(headers?.['retry-after']);
  const retryAfter = Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined;
  const usedUp = String(headers?.['x-ratelimit-remaining']) === '0';
  const rateLimited =
    status === 429 || (status === 403 && (retryAfter !== undefined || usedUp || /rate limit/i.test(said)));
  let limit: HttpFailure['limit'];
  if (rateLimited) {
    if (/secondary rate/i.test(said) || retryAfter !== undefined) limit = 'secondary';
    else if (usedUp || /API rate limit exceeded/i.test(said)) limit = 'primary';
  }
  const resetAt = rateLimited && limit === 'primary' ? resetOf(headers) : undefined;
  return {
    status,
    said,
    rateLimited,
    ...(retryAfter === undefined ? {} : { retryAfter }),
    ...(limit === undefined ? {} : { limit }),
    ...(resetAt === undefined ? {} : { resetAt }),
    ...(status === 500 && response === undefined ? { unanswered: true as const } : {}),
  };
}

/** Octokit's `GraphqlResponseError`, read; undefined for other errors. */
export function graphqlFailure(error: unknown): GraphqlFailure | undefined {
  if (!(error instanceof Error) || error.name !== 'GraphqlResponseError') return undefined;
  const errors = (error as { errors?: GraphqlFailure['errors'] }).errors ?? [];
  const rateLimited = errors.some((e) => e.type === 'RATE_LIMITED');
  const resetAt = rateLimited ? resetOf((error as { headers?: Headers }).headers) : undefined;
  return {
    errors,
    said: errors.map((e) => e.message).join('; '),
    rateLimited,
    notFound: errors.some((e) => e.type === 'NOT_FOUND'),
    forbidden: errors.some((e) => e.type === 'FORBIDDEN' || /not accessible/i.test(e.message)),
    ...(resetAt === undefined ? {} : { resetAt }),
  };
}

// ------------------------------------------------------------------------------------------------- the words

/**
 * A GitHub request failed and the message says so in plain words. The Action's and the release library's errors
 * are kinds of this, so that a sentence made once is passed on as it is, never worded twice.
 */
export class GitHubFailure extends Error {
  override name = 'GitHubFailure';
  constructor(
    message: string,
    /** GitHub's HTTP status, when it answered (403 also for a GraphQL field hidden from the token). */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface Explained {
  message: string;
  status?: number;
}

/** What a door says about the request that failed. */
export interface FailureContext {
  /** What was under way, as it reads after "while": "setting the commit status openly/governance". */
  doing: string;
  /**
   * The permissions the request needs, as a workflow's `permissions:` names them ("contents: write"). A refused REST
   * request names the first; a refused GraphQL read names the fields' permissions, or all of these when GitHub's
   * answer does not say which field it hid.
   */
  permissions: readonly string[];
  /**
   * Said after a failure that a later run can get past (a rate limit, GitHub's own error): what this failure left
   * behind and what a re-run does. Unset, GitHub's own failures end with "Try again later."
   */
  outcome?: string;
  /** How this door's users grant permissions; unset, both a workflow's and a GitHub App's way are given. */
  grant?: (permissions: readonly string[]) => string;
  /** What to do when GitHub does not accept the credentials at all (401). */
  credentials?: string;
  /** Whose access GitHub judged: "the token" (a workflow's, a person's), or "the App". */
  who?: string;
}

/**
 * Which permissions the fields of the GraphQL documents need, by the name each has in GitHub's answer. A refusal's
 * `path` names the field GitHub hid, and so the permission the token lacks.
 */
export const FIELD_PERMISSION: Readonly<Record<string, string>> = {
  pullRequests: 'pull-requests: read',
  issues: 'issues: read',
  milestone: 'issues: read',
  releases: 'contents: read',
  latestRelease: 'contents: read',
  byTag: 'contents: read',
  byPlainTag: 'contents: read',
};

/**
 * The permissions the refused fields need, read from where GitHub says each refusal was (`path`); aliases `a0`,
 * `a1`, ... read files. Empty when the refusal names no field, such as the whole repository.
 */
export function permissionsRefused(
  errors: readonly { type?: string; path?: (string | number)[] }[],
): string[] {
  const found = new Set<string>();
  for (const error of errors) {
    if (error.type !== undefined && error.type !== 'FORBIDDEN') continue;
    const field = error.path?.[1];
    if (typeof field !== 'string') continue;
    // The deepest named field decides: a milestone's pull requests need pull-requests, not issues.
    const named = [...(error.path ?? [])]
      .reverse()
      .find((part): part is string => typeof part === 'string' && FIELD_PERMISSION[part] !== undefined);
    const permission =
      named !== undefined ? FIELD_PERMISSION[named] : /^a\d+$/.test(field) ? 'contents: read' : undefined;
    if (permission !== undefined) found.add(permission);
  }
  return [...found].sort();
}

const APP_PERMISSION_NAMES: Record<string, string> = {
  contents: 'Contents',
  'pull-requests': 'Pull requests',
  issues: 'Issues',
  statuses: 'Commit statuses',
  checks: 'Checks',
  metadata: 'Metadata',
};

/** "contents: write" as a GitHub App's settings page names it: "Contents read and write". */
function appPermission(permission: string): string {
  const [scope = permission, level = 'read'] = permission.split(':').map((part) => part.trim());
  const name = APP_PERMISSION_NAMES[scope] ?? scope.replace(/-/g, ' ');
  return `${name} ${level === 'write' ? 'read and write' : level}`;
}

function quoted(permissions: readonly string[]): string {
  const each = permissions.map((permission) => `"${permission}"`);
  return each.length <= 1 ? each.join('') : `${each.slice(0, -1).join(', ')} and ${each.at(-1)}`;
}

/** Both ways of granting a permission: a workflow's token and a GitHub App's installation. */
export function grantAnywhere(permissions: readonly string[]): string {
  return (
    `in a workflow, give the job ${quoted(permissions)} under "permissions:"; ` +
    `for a GitHub App, grant ${permissions.map(appPermission).join(' and ')}`
  );
}

/** An App's permissions are granted once, by whoever installs it, for every repository it judges. */
export function grantToApp(permissions: readonly string[]): string {
  return `the App must be granted ${permissions.map(appPermission).join(' and ')}, and each installation accept it`;
}

function clock(date: Date): string {
  return `${date.toISOString().slice(11, 16)} UTC`;
}

/** "GitHub's secondary rate limit stopped ... (403); try again after 60 seconds". */
function rateLimitSentence(
  doing: string,
  limit: string | undefined,
  status: number | undefined,
  retryAfter: number | undefined,
  resetAt: Date | undefined,
): string {
  const which = limit === undefined ? 'rate limit' : `${limit} rate limit`;
  const code = status === undefined ? '' : ` (${status})`;
  const when =
    resetAt !== undefined
      ? `; it resets at ${clock(resetAt)}, so try again after that`
      : retryAfter !== undefined
        ? `; try again after ${retryAfter} seconds`
        : '; try again later';
  return `GitHub's ${which} stopped ${doing}${code}${when}`;
}

/**
 * The one sentence for a failed GitHub request: a refusal names the permission to grant, a rate limit names the
 * limit and when it resets, GitHub's own failure says so. Errors that are sentences already pass through.
 */
export function explainFailure(error: unknown, context: FailureContext): Explained {
  if (error instanceof GitHubFailure) {
    return { message: error.message, ...(error.status === undefined ? {} : { status: error.status }) };
  }
  const { doing, permissions } = context;
  const who = context.who ?? 'the token';
  const grant = context.grant ?? grantAnywhere;
  // A rate limit's sentence says when to try again; GitHub's other failures get the door's advice, or a default.
  const later = (sentence: string, advised = false) =>
    context.outcome !== undefined
      ? `${sentence}. ${context.outcome}`
      : advised
        ? sentence
        : `${sentence}. Try again later.`;

  const graphql = graphqlFailure(error);
  if (graphql !== undefined) {
    const { said } = graphql;
    if (graphql.rateLimited) {
      return {
        message: later(rateLimitSentence(doing, 'GraphQL', undefined, undefined, graphql.resetAt), true),
      };
    }
    if (graphql.forbidden) {
      const missing = permissionsRefused(graphql.errors);
      const needed = missing.length > 0 ? missing : [...permissions];
      const plural = needed.length === 1 ? '' : 's';
      const lacks = missing.length > 0 ? 'lacks' : 'needs';
      return {
        message: `GitHub refused ${doing} (${said}): ${who} ${lacks} the ${quoted(needed)} permission${plural}; ${grant(needed)}`,
        status: 403,
      };
    }
    if (graphql.notFound) {
      return { message: `GitHub could not find what was asked for while ${doing}: ${said}`, status: 404 };
    }
    return { message: later(`GitHub answered errors while ${doing}: ${said}`) };
  }

  const http = httpFailure(error);
  if (http !== undefined) {
    const { status } = http;
    const said = http.said === '' ? '' : ` ${http.said}`;
    if (http.unanswered === true) {
      const reason = error instanceof Error ? error.message : String(error);
      return { message: later(`Could not reach GitHub while ${doing}: ${reason}`) };
    }
    if (http.rateLimited) {
      return {
        message: later(rateLimitSentence(doing, http.limit, status, http.retryAfter, http.resetAt), true),
        status,
      };
    }
    if (status === 401) {
      // 401 is a token GitHub does not accept at all (expired, revoked, mistyped), not a missing permission.
      const credentials = context.credentials ?? 'the token has expired, been revoked or is mistyped';
      return {
        message: `GitHub did not accept the token while ${doing} (401${said}); ${credentials}`,
        status,
      };
    }
    if (status === 403) {
      const permission = permissions[0];
      const lacks =
        permission === undefined
          ? `${who} lacks a permission it needs`
          : `${who} lacks the "${permission}" permission; ${grant([permission])}`;
      return { message: `GitHub refused ${doing} (${status}${said}): ${lacks}`, status };
    }
    if (status === 404) {
      return {
        message: later(
          `GitHub answered 404 while ${doing}: what was asked for is gone, or ${who} cannot see it`,
        ),
        status,
      };
    }
    if (status === 422) return { message: `GitHub would not accept ${doing} (422${said})`, status };
    if (status >= 500) {
      return { message: later(`GitHub failed while ${doing} (${status}); this is on GitHub's side`), status };
    }
    return { message: `GitHub answered ${status}${said} while ${doing}`, status };
  }
  const reason = error instanceof Error ? error.message : String(error);
  return { message: `Openly failed while ${doing}: ${reason}` };
}
