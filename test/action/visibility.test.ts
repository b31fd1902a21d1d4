/**
 * The Action judges `visibility` from its event: the payload's repository says whether it is public, archived and
 * when it was last pushed, at no request's cost. Real webhook payloads, a real checkout, GitHub mocked by nock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { example, resetMocks as resetReleaseMocks } from '../release/github-mock.js';
import {
  invalidMocks,
  mockCommitStatus,
  mockStatusContext,
  reset,
  runAction,
  runner,
  sent,
  useActionBench,
} from './support.js';

const OWNER = 'Codertocat';
const REPO = 'Hello-World';

type Payload = Record<string, unknown> & { repository: Record<string, unknown> };

/** GitHub's own push example, with the repository as the test needs it. */
function push(repository: Record<string, unknown>): Payload {
  const payload = example('push', (p) => p.ref === 'refs/heads/master' && p.deleted === false) as Payload;
  return { ...payload, repository: { ...payload.repository, ...repository } };
}

interface ReportResult {
  check: string;
  status: string;
  skipped?: string;
  findings: { rule: string; severity: string }[];
}

function visibilityResult(workspace: string): ReportResult {
  const report = JSON.parse(readFileSync(join(workspace, 'openly-status', 'report.json'), 'utf8')) as {
    results: ReportResult[];
  };
  return report.results.find((r) => r.check === 'visibility')!;
}

function statusState(): unknown {
  return sent.find((s) => s.route === '/repos/{owner}/{repo}/statuses/{sha}')?.body.state;
}

useActionBench({ reset: resetReleaseMocks });

describe('the visibility check in the Action', () => {
  it('fails a private repository with no justification, from the push payload alone', async () => {
    // epoch seconds, as push events give pushed_at
    const r = runner({
      event: 'push',
      payload: push({ visibility: 'private', private: true, pushed_at: 1795170000 }),
      inputs: { mode: 'status' },
    });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expect(invalidMocks).toEqual([]);
    expect(result.requests).toBe(2);
    const visibility = visibilityResult(r.workspace);
    expect(visibility.status).toBe('fail');
    expect(visibility.findings.map((f) => f.rule)).toEqual(['visibility/not-public']);
    expect(statusState()).toBe('failure');
  });

  it('passes a public repository pushed recently, and says a long-untouched one is stale', async () => {
    const fresh = runner({
      event: 'push',
      payload: push({ visibility: 'public', pushed_at: 1795170000 }),
      inputs: { mode: 'status' },
    });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, fresh.sha);
    await runAction(fresh);
    expect(visibilityResult(fresh.workspace)).toMatchObject({ status: 'pass', findings: [] });

    reset();
    // GitHub's example was last pushed in May 2019: more than a year before the test's clock.
    const old = runner({
      event: 'push',
      payload: push({ visibility: 'public' }),
      inputs: { mode: 'status' },
    });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, old.sha);
    await runAction(old);
    expect(visibilityResult(old.workspace).findings.map((f) => f.rule)).toEqual(['visibility/stale']);
  });

  it('skips it when the event says nothing of whether the repository is public', async () => {
    const bare = push({});
    delete bare.repository.visibility;
    const r = runner({ event: 'push', payload: bare, inputs: { mode: 'status' } });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);
    await runAction(r);
    expect(visibilityResult(r.workspace).status).toBe('skip');
  });
});
