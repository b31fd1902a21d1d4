// The check-run sink on its own, against the stateful fake of GitHub's checks API: what a person sees on the commit
// after each write, and which requests were spent getting there.
import { Octokit } from '@octokit/core';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outputDigest, type CheckRunAnnotation, type CheckRunOutput } from '../../src/sinks/check-run.js';
import { writeCheckRun, type CheckRunOctokit } from '../../src/sinks/check-run-writer.js';
import { FakeChecks } from '../app/fake-checks.js';
import { validateRestResponse } from '../support/github-schemas.js';

const API = 'https://api.github.com';
const target = {
  owner: 'nhsengland',
  repo: 'manage-your-referral',
  checkName: 'Openly',
  headSha: 'b'.repeat(40),
};
const octokit = new Octokit({ auth: 'test' }) as unknown as CheckRunOctokit;
const now = () => new Date('2026-12-07T09:30:00Z');

let problems: string[];
let fake: FakeChecks;

function output(count: number): CheckRunOutput {
  const annotations: CheckRunAnnotation[] = Array.from({ length: count }, (_, i) => ({
    path: `docs/adr/ADR-${String(i).padStart(3, '0')}.md`,
    start_line: 1,
    end_line: 1,
    annotation_level: 'failure',
    message: 'The decision record has no status.',
    title: 'artefact/schema',
  }));
  return { conclusion: 'failure', title: `${count} errors`, summary: '## Openly\n', annotations };
}

beforeAll(() => {
  nock.disableNetConnect();
});

beforeEach(() => {
  problems = [];
  fake = new FakeChecks({
    api: API,
    owner: target.owner,
    repo: target.repo,
    appId: 1234,
    firstId: 500,
    onInvalid: (problem) => problems.push(problem),
    onWrite: () => undefined,
  });
});

afterEach(() => {
  nock.cleanAll();
  expect(problems).toEqual([]);
});

describe('writeCheckRun', () => {
  it('shows 120 findings once each on a new run: a create, then updates of 50, the digest on the last', async () => {
    const shown = output(120);
    const run = await writeCheckRun({ octokit, target, output: shown, now });

    expect(run).toEqual({ id: 500, written: true });
    expect(fake.requests).toEqual([
      'POST /repos/{owner}/{repo}/check-runs',
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
    ]);
    const stored = fake.latest(target.headSha)!;
    expect(stored.annotations.map((a) => a.path)).toEqual(shown.annotations.map((a) => a.path));
    expect(stored).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      external_id: outputDigest(shown),
      completed_at: '2026-12-07T09:30:00.000Z',
    });
  });

  it('writes nothing when the latest run already shows this output, complete', async () => {
    const shown = output(3);
    const previous = { id: 77, completed: true, externalId: outputDigest(shown) };

    const run = await writeCheckRun({ octokit, target, output: shown, previous, now });

    expect(run).toEqual({ id: 77, written: false });
    expect(fake.requests).toEqual([]);
  });

  it('makes a new run for a changed result, a run cut short, or the Re-run button', async () => {
    const shown = output(3);
    const digest = outputDigest(shown);
    const cases = [
      { previous: { id: 77, completed: true, externalId: outputDigest(output(2)) } },
      { previous: { id: 77, completed: true, externalId: '' } },
      { previous: { id: 77, completed: false, externalId: digest } },
      { previous: { id: 77, completed: true, externalId: digest }, rerun: true },
    ];
    for (const extra of cases) await writeCheckRun({ octokit, target, output: shown, now, ...extra });

    expect(fake.runsOf(target.headSha).map((run) => [run.id, run.external_id])).toEqual([
      [500, digest],
      [501, digest],
      [502, digest],
      [503, digest],
    ]);
  });

  it('throws what GitHub answers when the run cannot be written', async () => {
    const refusal = {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run',
    };
    validateRestResponse('POST', '/repos/{owner}/{repo}/check-runs', 403, refusal);
    nock.cleanAll();
    nock(API).post(`/repos/${target.owner}/${target.repo}/check-runs`).reply(403, refusal);

    await expect(writeCheckRun({ octokit, target, output: output(1), now })).rejects.toMatchObject({
      status: 403,
    });
  });
});
