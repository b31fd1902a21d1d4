// The fake checks API behaves as GitHub documents it, so that the App's tests against it mean something: updates
// append annotations, a request GitHub refuses is refused, lists page as GitHub pages them.
import { Octokit } from '@octokit/core';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeChecks, type FakeAnnotation } from './fake-checks.js';

const API = 'https://api.github.com';
const OWNER = 'nhsengland';
const REPO = 'manage-your-referral';
const SHA = 'a'.repeat(40);
const where = { owner: OWNER, repo: REPO };

let problems: string[];
let fake: FakeChecks;
const octokit = new Octokit({ auth: 'test' });

function annotations(count: number, level: FakeAnnotation['annotation_level'] = 'failure'): FakeAnnotation[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `docs/adr/ADR-${String(i).padStart(3, '0')}.md`,
    start_line: 1,
    end_line: 1,
    annotation_level: level,
    message: 'The decision record has no status.',
    title: 'artefacts/schema',
  }));
}

async function create(count: number, name = 'Openly') {
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    ...where,
    name,
    head_sha: SHA,
    status: 'completed',
    conclusion: 'failure',
    output: { title: `${count} errors`, summary: 'First.', annotations: annotations(count) },
  });
  return Number(data.id);
}

beforeAll(() => {
  nock.disableNetConnect();
});

beforeEach(() => {
  problems = [];
  fake = new FakeChecks({
    api: API,
    ...where,
    appId: 1234,
    firstId: 100,
    onInvalid: (problem) => problems.push(problem),
    onWrite: () => undefined,
  });
});

afterEach(() => {
  nock.cleanAll();
});

describe('the fake checks API', () => {
  it('appends the annotations of each update, and replaces the fields the update gives', async () => {
    const id = await create(50);
    const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      ...where,
      check_run_id: id,
      external_id: 'run-1',
      output: { title: '80 errors', summary: 'Second.', annotations: annotations(30, 'warning') },
    });
    expect(data.output).toMatchObject({ title: '80 errors', summary: 'Second.', annotations_count: 80 });
    expect(data).toMatchObject({ status: 'completed', conclusion: 'failure', external_id: 'run-1' });
    expect(fake.runs.get(id)!.annotations.map((a) => a.annotation_level)).toEqual([
      ...Array<string>(50).fill('failure'),
      ...Array<string>(30).fill('warning'),
    ]);
    expect(problems).toEqual([]);
  });

  it('refuses more than 50 annotations in one request, as GitHub does', async () => {
    await expect(create(51)).rejects.toMatchObject({ status: 422 });
    expect(fake.runs.size).toBe(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('/output/annotations must NOT have more than 50 items');
  });

  it('pages annotations 30 at a time by default, with the Link header GitHub sends', async () => {
    const id = await create(50);
    const first = await octokit.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', {
      ...where,
      check_run_id: id,
    });
    expect(first.data).toHaveLength(30);
    expect(first.headers.link).toContain('page=2>; rel="next"');
    expect(first.headers.link).toContain('page=2>; rel="last"');
    const second = await octokit.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', {
      ...where,
      check_run_id: id,
      page: 2,
    });
    expect(second.data).toHaveLength(20);
    expect(second.headers.link).not.toContain('rel="next"');
    expect(second.headers.link).toContain('page=1>; rel="prev"');
    const all = await octokit.request('GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', {
      ...where,
      check_run_id: id,
      per_page: 100,
    });
    expect(all.data).toHaveLength(50);
    expect(all.headers.link).toBeUndefined();
    expect(problems).toEqual([]);
  });

  it("lists a commit's newest run of each name, or every run with filter=all", async () => {
    const older = await create(2);
    const newer = await create(1);
    await create(0, 'Another check');
    const latest = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
      ...where,
      ref: SHA,
      check_name: 'Openly',
    });
    expect(latest.data.total_count).toBe(1);
    expect(latest.data.check_runs.map((run) => run.id)).toEqual([newer]);
    const all = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
      ...where,
      ref: SHA,
      check_name: 'Openly',
      filter: 'all',
    });
    expect(all.data.check_runs.map((run) => run.id)).toEqual([newer, older]);
    expect(problems).toEqual([]);
  });

  it('answers the GraphQL check suites with the newest run only when the query asks for LATEST', async () => {
    const older = await create(2);
    const newer = await create(1);
    const variables = { checkName: 'Openly', appId: 1234 };
    const ids = (query: string) =>
      (
        fake.graphqlCheckSuites(SHA, variables, query) as {
          nodes: { checkRuns: { nodes: { databaseId: number }[] } }[];
        }
      ).nodes.flatMap((suite) => suite.checkRuns.nodes.map((run) => run.databaseId));
    expect(ids('checkRuns(first: 1, filterBy: { checkName: $checkName, checkType: LATEST })')).toEqual([
      newer,
    ]);
    // Without it, GitHub's order is oldest first: the first run is the one the App must not take for the last.
    expect(ids('checkRuns(first: 1, filterBy: { checkName: $checkName })')).toEqual([older]);
    expect(ids('checkRuns(first: 10, filterBy: { checkName: $checkName })')).toEqual([older, newer]);
    expect(
      (fake.graphqlCheckSuites(SHA, { ...variables, appId: 99 }, 'checkType: LATEST') as { nodes: [] }).nodes,
    ).toEqual([]);
  });

  it('answers 404 for a run it does not hold', async () => {
    await expect(
      octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
        ...where,
        check_run_id: 5,
        output: { title: 'x', summary: 'x' },
      }),
    ).rejects.toMatchObject({ status: 404 });
    expect(problems).toEqual([]);
  });
});
