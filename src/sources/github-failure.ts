/**
 * What a failed GitHub request says, read in one place. The App's source, the Action and the release library each
 * word their own message (what was under way, which permission to grant), but they must agree on what counts as a
 * rate limit and where GitHub's own words are, so that reading lives here.
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
}

interface OctokitRequestFailure {
  status: number;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

/** Octokit's `RequestError` (or anything shaped like it), read; undefined for other errors. */
export function httpFailure(error: unknown): HttpFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, response } = error as Partial<OctokitRequestFailure>;
  if (typeof status !== 'number') return undefined;
  const body = response?.data;
  const message =
    typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  const said = typeof message === 'string' ? message : '';
  const retryHeader = Number(response?.headers?.['retry-after']);
  const retryAfter = Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined;
  const rateLimited =
    status === 429 || (status === 403 && (retryAfter !== undefined || /rate limit/i.test(said)));
  return { status, said, rateLimited, ...(retryAfter === undefined ? {} : { retryAfter }) };
}

/** Octokit's `GraphqlResponseError`, read; undefined for other errors. */
export function graphqlFailure(error: unknown): GraphqlFailure | undefined {
  if (!(error instanceof Error) || error.name !== 'GraphqlResponseError') return undefined;
  const errors = (error as { errors?: GraphqlFailure['errors'] }).errors ?? [];
  return {
    errors,
    said: errors.map((e) => e.message).join('; '),
    rateLimited: errors.some((e) => e.type === 'RATE_LIMITED'),
    notFound: errors.some((e) => e.type === 'NOT_FOUND'),
    forbidden: errors.some((e) => e.type === 'FORBIDDEN' || /not accessible/i.test(e.message)),
  };
}
