import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContextError, readContext, type ActionContext } from '../../src/action/context.js';
import { planRun, PlanError } from '../../src/action/plan.js';
import { example } from '../release/github-mock.js';
import { cleanUp, tempDir } from './support.js';

afterEach(cleanUp);

const SHA = 'a'.repeat(40);

function contextOf(eventName: string, payload: Record<string, unknown>): ActionContext {
  return {
    eventName,
    payload,
    owner: 'Codertocat',
    repo: 'Hello-World',
    sha: SHA,
    apiUrl: 'https://api.github.com',
    serverUrl: 'https://github.com',
    workspace: '/tmp',
  };
}

describe('planRun in auto mode', () => {
  it.each([
    [
      'push',
      (p: Record<string, unknown>) => p.ref === 'refs/heads/master' && p.deleted === false,
      'release-notes',
    ],
    [
      'push',
      (p: Record<string, unknown>) => p.ref === 'refs/tags/simple-tag' && p.deleted === false,
      undefined,
    ],
    ['push', (p: Record<string, unknown>) => p.deleted === true, undefined],
    ['milestone', (p: Record<string, unknown>) => p.action === 'closed', 'milestone'],
    ['milestone', (p: Record<string, unknown>) => p.action === 'created', undefined],
    ['workflow_dispatch', () => true, 'publish'],
    ['pull_request', (p: Record<string, unknown>) => p.action === 'opened', undefined],
  ] as const)('%s (%#) → %s', (event, pick, kind) => {
    const plan = planRun('auto', contextOf(event, example(event, pick)));
    expect(plan.release?.kind).toBe(kind);
  });

  it('a push to a branch other than the default one reports the status only', () => {
    const payload = example('push', (p) => p.ref === 'refs/heads/master');
    payload.ref = 'refs/heads/feature/opening-times';
    expect(planRun('auto', contextOf('push', payload))).toEqual({
      reason: 'push to refs/heads/feature/opening-times, not the default branch: status only',
    });
  });

  it('a push whose payload does not name the default branch says so rather than call it another branch', () => {
    const payload = example('push', (p) => p.ref === 'refs/heads/master' && p.deleted === false);
    delete payload.repository;
    expect(planRun('auto', contextOf('push', payload))).toEqual({
      reason:
        'push to refs/heads/master, but the event does not name the default branch, so no release notes: status only',
    });
  });

  it('a closed milestone whose payload lacks the milestone says no release was made, and why', () => {
    const payload = example('milestone', (p) => p.action === 'closed');
    delete (payload.milestone as Record<string, unknown>).number;
    expect(planRun('auto', contextOf('milestone', payload))).toEqual({
      reason:
        'milestone closed, but the event names no milestone number and title, so no release was made: status only',
    });
  });

  it('a closed milestone names its number and title', () => {
    expect(
      planRun(
        'auto',
        contextOf(
          'milestone',
          example('milestone', (p) => p.action === 'closed'),
        ),
      ).release,
    ).toEqual({
      kind: 'milestone',
      number: 1,
      title: 'v1.0',
    });
  });
});

describe('planRun with a mode given', () => {
  it('status never releases, whatever the event', () => {
    expect(planRun('status', contextOf('workflow_dispatch', {})).release).toBeUndefined();
  });

  it('milestone outside a milestone event is refused with what to do', () => {
    expect(() => planRun('milestone', contextOf('push', {}))).toThrow(PlanError);
    expect(() => planRun('milestone', contextOf('push', {}))).toThrow(/on "milestone: types: \[closed\]"/);
  });
});

describe('readContext', () => {
  const base = { GITHUB_REPOSITORY: 'nhsengland/book-a-vaccination', GITHUB_SHA: SHA };

  it('takes the API and server addresses of GitHub Enterprise Server, and the run page', () => {
    const context = readContext(
      {
        ...base,
        GITHUB_API_URL: 'https://github.nhs.example/api/v3',
        GITHUB_SERVER_URL: 'https://github.nhs.example/',
        GITHUB_RUN_ID: '42',
      },
      '/work',
    );
    expect(context).toMatchObject({
      owner: 'nhsengland',
      repo: 'book-a-vaccination',
      apiUrl: 'https://github.nhs.example/api/v3',
      serverUrl: 'https://github.nhs.example',
      runUrl: 'https://github.nhs.example/nhsengland/book-a-vaccination/actions/runs/42',
      workspace: '/work',
      payload: {},
    });
  });

  it.each([
    [{ GITHUB_SHA: SHA }, 'GITHUB_REPOSITORY is not set; the Action runs inside a GitHub Actions workflow'],
    [
      { GITHUB_REPOSITORY: 'just-a-name', GITHUB_SHA: SHA },
      'GITHUB_REPOSITORY "just-a-name" is not owner/name',
    ],
    [{ GITHUB_REPOSITORY: 'a/b', GITHUB_SHA: 'main' }, 'GITHUB_SHA "main" is not a commit id'],
  ])('%j is refused: %s', (env, message) => {
    expect(() => readContext(env, '/work')).toThrow(new ContextError(message));
  });

  it('names the event file when it is not JSON', () => {
    const path = join(tempDir('openly-context-'), 'event.json');
    writeFileSync(path, '{"ref": ');
    expect(() => readContext({ ...base, GITHUB_EVENT_PATH: path }, '/work')).toThrow(
      new RegExp(`^GITHUB_EVENT_PATH ${path} is not JSON \\(`),
    );
  });
});
