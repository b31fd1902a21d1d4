/**
 * The workflow run the Action is in, from the variables the runner sets: which event, which repository and commit,
 * and where GitHub is (GITHUB_API_URL and GITHUB_SERVER_URL differ on GitHub Enterprise Server).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ActionEnv } from './runtime.js';

export type Payload = Record<string, unknown>;

export interface ActionContext {
  eventName: string;
  /** The webhook payload of the event; empty when the runner gave none (a local run). */
  payload: Payload;
  owner: string;
  repo: string;
  /** The commit judged and given the status: GITHUB_SHA, or a pull request's head commit. */
  sha: string;
  /** `refs/heads/main`, when known. */
  ref?: string;
  apiUrl: string;
  serverUrl: string;
  /** The run's page, for the commit status's link when there is no status page. */
  runUrl?: string;
  /** Where relative input paths start: the runner's workspace. */
  workspace: string;
}

export class ContextError extends Error {
  override name = 'ContextError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPayload(path: string | undefined): Payload {
  if (path === undefined || path === '') return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ContextError(
      `GITHUB_EVENT_PATH names ${path}, which cannot be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new ContextError(
      `GITHUB_EVENT_PATH ${path} is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!isRecord(payload)) throw new ContextError(`GITHUB_EVENT_PATH ${path} holds no event object`);
  return payload;
}

/** Reads the run's context. `cwd` stands in for GITHUB_WORKSPACE when the runner did not set it. */
export function readContext(env: ActionEnv, cwd: string): ActionContext {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repository);
  if (match === null) {
    throw new ContextError(
      repository === ''
        ? 'GITHUB_REPOSITORY is not set; the Action runs inside a GitHub Actions workflow'
        : `GITHUB_REPOSITORY "${repository}" is not owner/name`,
    );
  }
  const sha = env.GITHUB_SHA ?? '';
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) {
    throw new ContextError(sha === '' ? 'GITHUB_SHA is not set' : `GITHUB_SHA "${sha}" is not a commit id`);
  }
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  // On a pull request GITHUB_SHA is a merge commit GitHub made for the run; a status there would not show on the
  // pull request, so the head commit is the one judged and reported.
  const head = field(payload, 'pull_request', 'head', 'sha');
  const commit = typeof head === 'string' && /^[0-9a-f]{40}$/.test(head) ? head : sha;
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const runId = env.GITHUB_RUN_ID;
  const ref = env.GITHUB_REF;
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload,
    owner: match[1]!,
    repo: match[2]!,
    sha: commit,
    ...(ref === undefined || ref === '' ? {} : { ref }),
    apiUrl,
    serverUrl,
    ...(runId === undefined || runId === ''
      ? {}
      : { runUrl: `${serverUrl}/${match[1]!}/${match[2]!}/actions/runs/${runId}` }),
    // Made absolute once, so that every path shown and every check below starts from the same place.
    workspace: resolve(env.GITHUB_WORKSPACE || cwd),
  };
}

/** A field of the payload, when it has the expected type. */
export function field(payload: Payload, ...path: string[]): unknown {
  let at: unknown = payload;
  for (const key of path) {
    if (!isRecord(at)) return undefined;
    at = at[key];
  }
  return at;
}
