/**
 * The Action's test bench: a fixture repository committed into a temporary git checkout, a runner environment
 * (INPUT_*, GITHUB_*, event payload, output and summary files), and GitHub at the HTTP layer through nock, every
 * request body, answer and GraphQL document checked against GitHub's published descriptions.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import openapi from '@octokit/openapi/generated/api.github.com.json' with { type: 'json' };
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { Runtime } from '../../src/action/runtime.js';
import { STATUS_CONTEXT_QUERY } from '../../src/action/github.js';
import { run, type OctokitFactory, type RunDependencies, type RunResult } from '../../src/action/run.js';
import { createOctokit } from '../../src/github/octokit.js';
import {
  validateGraphqlRequest,
  validateGraphqlResponse,
  validateRestRequestBody,
  validateRestResponse,
} from '../support/github-schemas.js';

export const API = 'https://api.github.com';
export const TOKEN = 'ghs_actionTestToken0123456789abcdefABCDEF';
export const NOW = new Date('2026-11-23T10:30:00Z');

type Json = Record<string, unknown>;

export const invalidMocks: string[] = [];
export const sent: { method: string; route: string; body: Json }[] = [];
export const temporary: string[] = [];

export function reset(): void {
  invalidMocks.length = 0;
  sent.length = 0;
  nock.cleanAll();
}

export function cleanUp(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * The hooks of an Action test file: no network; each test starts with no mocks and nothing recorded, and after it
 * its folders are removed and every request it mocked must have been made. `reset` clears what the file adds
 * (the release library's mocks), `unused` lets a mock go unmade (the fake organisation's GraphQL), and `check`
 * asserts what else each test must leave right.
 */
export function useActionBench(
  options: { reset?: () => void; unused?: (mock: string) => boolean; check?: () => void } = {},
): void {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => {
    reset();
    options.reset?.();
  });
  afterEach(() => {
    const pending = nock.pendingMocks().filter((mock) => options.unused?.(mock) !== true);
    options.check?.();
    reset();
    options.reset?.();
    cleanUp();
    expect(pending, 'every mocked request was made').toEqual([]);
  });
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

function guard(fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (error) {
    // Thrown inside nock, the request would hang; recorded, it fails the test afterwards.
    invalidMocks.push(String(error));
    return false;
  }
}

function git(dir: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Priya Shah',
      GIT_AUTHOR_EMAIL: 'priya.shah@nhs.net',
      GIT_COMMITTER_NAME: 'Priya Shah',
      GIT_COMMITTER_EMAIL: 'priya.shah@nhs.net',
      GIT_AUTHOR_DATE: '2026-11-20T09:00:00Z',
      GIT_COMMITTER_DATE: '2026-11-20T09:00:00Z',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: dir,
    },
  }).trim();
}

/**
 * The fixture repository (test/fixtures/action/repo) committed into a fresh git checkout inside `workspace`;
 * `change` edits it first (path → text, or null to delete), then `prepare` may add what text cannot (links).
 */
export function checkout(
  workspace: string,
  change: Record<string, string | null> = {},
  prepare?: (workspace: string) => void,
): string {
  const fixture = new URL('../fixtures/action/repo/', import.meta.url).pathname;
  cpSync(fixture, workspace, { recursive: true });
  for (const [path, text] of Object.entries(change)) {
    if (text === null) rmSync(join(workspace, path));
    else writeFileSync(join(workspace, path), text);
  }
  prepare?.(workspace);
  git(workspace, ['init', '-q', '-b', 'master']);
  git(workspace, ['add', '-A']);
  git(workspace, ['commit', '-q', '--no-gpg-sign', '-m', 'Book a vaccination']);
  return git(workspace, ['rev-parse', 'HEAD']);
}

export interface Runner {
  env: Record<string, string>;
  workspace: string;
  outputFile: string;
  summaryFile: string;
  sha: string;
}

/** A runner's environment for one event: the checkout, the payload on disk, and the files the runner reads back. */
export function runner(options: {
  event: string;
  payload: Json;
  inputs?: Record<string, string>;
  change?: Record<string, string | null>;
  /** Called with the workspace and the folder around it before the checkout is committed. */
  prepare?: (workspace: string, around: string) => void;
}): Runner {
  const root = tempDir('openly-action-');
  const workspace = join(root, 'workspace');
  const prepare = options.prepare;
  const sha = checkout(workspace, options.change, prepare && ((dir) => prepare(dir, root)));
  const eventPath = join(root, 'event.json');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  const outputFile = join(root, 'output.txt');
  const summaryFile = join(root, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const repository = (options.payload.repository as { full_name?: string } | undefined)?.full_name;
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: repository ?? 'Codertocat/Hello-World',
    GITHUB_SHA: sha,
    GITHUB_REF: typeof options.payload.ref === 'string' ? options.payload.ref : 'refs/heads/master',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_API_URL: API,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '7001',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    INPUT_TOKEN: TOKEN,
    INPUT_PATH: '.',
    INPUT_MODE: 'auto',
    'INPUT_DRY-RUN': 'false',
    'INPUT_FAIL-ON': 'error',
    'INPUT_STATUS-DIR': 'openly-status',
  };
  for (const [name, value] of Object.entries(options.inputs ?? {}))
    env[`INPUT_${name.toUpperCase()}`] = value;
  return { env, workspace, outputFile, summaryFile, sha };
}

/** Outputs as the runner reads them from $GITHUB_OUTPUT: `name<<DELIMITER`, the value's lines, `DELIMITER`. */
export function readOutputs(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const outputs: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (match === null) continue;
    const end = lines.indexOf(match[2]!, i + 1);
    if (end < 0) throw new Error(`output ${match[1]} is never closed by ${match[2]}`);
    outputs[match[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

export interface Ran extends RunResult {
  log: string;
}

/**
 * The Action's own GitHub client, but with no wait: GitHub's spacing of writes and its retry delays would only
 * slow the tests, and what they do is tested with the client itself.
 */
const withoutWaits: OctokitFactory = (options) =>
  createOctokit({ ...options, spacing: false, msPerSecond: 0 });

/** A step's side of the runner while a test runs it: the environment it reads, and what it prints. */
export interface CapturedRunner {
  /** Everything written to standard output since the capture began. */
  out(): string;
  /** Gives back the test process's own environment, standard output and exit code. */
  restore(): void;
}

/**
 * Sets the runner's variables (and only those: any INPUT_*, GITHUB_* or RUNNER_* of the process running the tests
 * is hidden) and captures standard output, where @actions/core writes workflow commands, until `restore`.
 */
export function captureRunner(env: Record<string, string> = {}): CapturedRunner {
  const saved = { ...process.env };
  const exitCode = process.exitCode;
  for (const key of Object.keys(process.env)) {
    if (/^(INPUT_|GITHUB_|RUNNER_)/.test(key)) delete process.env[key];
  }
  Object.assign(process.env, env);
  const chunks: string[] = [];
  const stdout = Object.getOwnPropertyDescriptor(process.stdout, 'write');
  process.stdout.write = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  return {
    out: () => chunks.join(''),
    restore() {
      // As the stream was: its own `write` when it had one (the test runner's), else the prototype's.
      if (stdout === undefined) delete (process.stdout as { write?: unknown }).write;
      else Object.defineProperty(process.stdout, 'write', stdout);
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      // @actions/core's setFailed sets it; the step's exit code is the result's, not the test process's.
      process.exitCode = exitCode;
    },
  };
}

/** Runs the Action in-process, with the runner's environment set and standard output captured. */
export async function runAction(
  r: Runner,
  now: Date = NOW,
  more: Pick<RunDependencies, 'openRenderer'> = {},
): Promise<Ran> {
  const captured = captureRunner(r.env);
  try {
    const result = await run({
      env: r.env,
      runtime: new Runtime(),
      now: () => now,
      cwd: r.workspace,
      octokit: withoutWaits,
      ...more,
    });
    return { ...result, log: captured.out() };
  } finally {
    captured.restore();
  }
}

// ---------------------------------------------------------------------------------------------------- GitHub

const EXAMPLES = (openapi as unknown as { components: { examples: Record<string, { value: Json }> } })
  .components.examples;

/** A REST mock: the body the code sends and the answer given are both checked against GitHub's description. */
export function rest(
  method: 'GET' | 'POST' | 'PATCH',
  route: string,
  path: string,
  status: number,
  answer: Json | ((body: Json) => Json),
): nock.Scope {
  const scope = nock(API);
  const interceptor =
    method === 'GET' ? scope.get(path) : method === 'POST' ? scope.post(path) : scope.patch(path);
  return interceptor.reply((_uri, body) => {
    const sentBody = (typeof body === 'object' && body !== null ? body : {}) as Json;
    if (method !== 'GET') {
      guard(() => validateRestRequestBody(method, route, sentBody));
      sent.push({ method, route, body: sentBody });
    }
    const data = typeof answer === 'function' ? answer(sentBody) : answer;
    if (!guard(() => validateRestResponse(method, route, status, data)))
      return [500, { message: 'invalid mock' }];
    return [status, data as nock.Body];
  });
}

export const FORBIDDEN = {
  message: 'Resource not accessible by integration',
  documentation_url: 'https://docs.github.com/rest/commits/statuses#create-a-commit-status',
  status: '403',
};

export function mockCommitStatus(owner: string, repo: string, sha: string, status = 201): nock.Scope {
  return rest(
    'POST',
    '/repos/{owner}/{repo}/statuses/{sha}',
    `/repos/${owner}/${repo}/statuses/${sha}`,
    status,
    (body) =>
      status === 201
        ? {
            ...EXAMPLES['status']!.value,
            state: body.state,
            description: body.description ?? null,
            target_url: body.target_url ?? null,
            context: body.context,
          }
        : FORBIDDEN,
  );
}

/** The one GraphQL read of the status step: the latest release and the open milestones. */
export function mockStatusContext(
  answer: Json = { latestRelease: null, milestones: { nodes: [] } },
  errors?: Json[],
): nock.Scope {
  return nock(API)
    .post('/graphql', (body: { query: string }) => body.query.includes('query OpenlyStatusContext('))
    .reply((_uri, body) => {
      const { query, variables = {} } = body as { query: string; variables?: Json };
      if (!guard(() => validateGraphqlRequest(query, variables))) return [500, { message: 'invalid mock' }];
      if (query !== STATUS_CONTEXT_QUERY)
        invalidMocks.push('the status query sent is not the one in the .graphql file');
      const response = { data: { repository: answer }, ...(errors === undefined ? {} : { errors }) };
      if (!guard(() => validateGraphqlResponse(query, variables, response.data))) {
        return [500, { message: 'invalid mock' }];
      }
      return [200, response];
    });
}
