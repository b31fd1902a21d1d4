/**
 * GitHub's checks API for one repository, faked with state: check runs are kept by id, and each request changes
 * them as GitHub documents, so a test sees what a person would see on the pull request afterwards.
 *
 * - `POST .../check-runs` makes a run; its `output.annotations` (at most 50) are the run's first annotations.
 * - `PATCH .../check-runs/{id}` changes the fields it is given and **appends** its annotations to the run's
 *   (REST reference, "Update a check run": each update adds its annotations to those the run already has). A
 *   `conclusion` completes the run.
 * - `GET .../check-runs/{id}`, `GET .../check-runs/{id}/annotations` and `GET .../commits/{sha}/check-runs` answer
 *   from the state, paged as GitHub pages (`per_page` 30 by default, at most 100, and a `Link` header).
 * - The App's context query reads the runs of the head commit through `checkSuites(graphql)`.
 *
 * Every body sent is checked against GitHub's OpenAPI description, and every answer too; a body GitHub would refuse
 * gets GitHub's 422 and is reported through `onInvalid`, so the test fails.
 */
import openapi from '@octokit/openapi/generated/api.github.com.json' with { type: 'json' };
import nock from 'nock';
import { validateRestRequestBody, validateRestResponse } from '../support/github-schemas.js';

type Json = Record<string, unknown>;

export interface FakeAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  app_id: number;
  check_suite_id: number;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  external_id: string;
  started_at: string;
  completed_at: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: FakeAnnotation[];
}

export interface FakeChecksOptions {
  api: string;
  owner: string;
  repo: string;
  /** The App making the requests: its runs carry this id. */
  appId: number;
  /** The id of the first run the fake makes; later ones count up from the highest id it holds. */
  firstId: number;
  onInvalid: (problem: string) => void;
  onWrite: (method: 'POST' | 'PATCH', body: Json) => void;
}

const CHECK_RUN_EXAMPLE = (
  openapi as unknown as { components: { examples: Record<string, { value: Json }> } }
).components.examples['check-run']!.value;

const RUN_ROUTE = '/repos/{owner}/{repo}/check-runs/{check_run_id}';

export class FakeChecks {
  readonly runs = new Map<number, FakeCheckRun>();
  /** Every request the fake answered, as `METHOD route`, in order. */
  readonly requests: string[] = [];
  private readonly suites = new Map<string, number>();

  constructor(private readonly options: FakeChecksOptions) {
    const { api, owner, repo } = options;
    const base = `/repos/${owner}/${repo}`;
    const scope = nock(api).persist();
    scope
      .post(`${base}/check-runs`)
      .optionally()
      .reply((_uri, body) => this.create(body as Json));
    scope
      .patch(new RegExp(`^${base}/check-runs/(\\d+)$`))
      .optionally()
      .reply((uri, body) => this.update(idIn(uri), body as Json));
    scope
      .get(new RegExp(`^${base}/check-runs/(\\d+)/annotations(\\?.*)?$`))
      .optionally()
      .reply((uri) => this.listAnnotations(uri));
    scope
      .get(new RegExp(`^${base}/check-runs/(\\d+)$`))
      .optionally()
      .reply((uri) => this.get(idIn(uri)));
    scope
      .get(new RegExp(`^${base}/commits/([0-9a-f]{40})/check-runs(\\?.*)?$`))
      .optionally()
      .reply((uri) => this.listForRef(uri));
  }

  /** A run made before the test (by an earlier version of the App, say), as GitHub would hold it. */
  seed(run: Partial<FakeCheckRun> & Pick<FakeCheckRun, 'id' | 'head_sha'>): FakeCheckRun {
    const stored: FakeCheckRun = {
      name: 'Openly',
      app_id: this.options.appId,
      check_suite_id: this.suiteOf(run.head_sha),
      status: 'completed',
      conclusion: 'success',
      external_id: '',
      started_at: '2026-11-20T09:00:00Z',
      completed_at: '2026-11-20T09:00:00Z',
      output: { title: 'All open-working checks pass', summary: '## Openly\n', text: null },
      annotations: [],
      ...run,
    };
    this.runs.set(stored.id, stored);
    return stored;
  }

  /** The runs of a commit under a name, oldest first. */
  runsOf(headSha: string, name = 'Openly'): FakeCheckRun[] {
    return [...this.runs.values()]
      .filter((run) => run.head_sha === headSha && run.name === name)
      .sort((a, b) => a.id - b.id);
  }

  /** The newest run of a commit under a name: the one a pull request shows and branch protection reads. */
  latest(headSha: string, name = 'Openly'): FakeCheckRun | undefined {
    return this.runsOf(headSha, name).at(-1);
  }

  /**
   * `head.checkSuites` of the context query: the App's suites on the commit, each with its runs of `checkName`.
   * With `checkType: LATEST` a suite gives its newest run of the name; without it, its runs oldest first, as many
   * as `checkRuns(first: n)` asks for.
   */
  graphqlCheckSuites(headSha: string, variables: Json, query: string): Json {
    const latestOnly = /checkType:\s*LATEST/.test(query);
    const first = Number(/checkRuns\(\s*first:\s*(\d+)/.exec(query)?.[1] ?? 100);
    const appId = typeof variables.appId === 'number' ? variables.appId : undefined;
    const bySuite = new Map<number, FakeCheckRun[]>();
    for (const run of this.runsOf(headSha, String(variables.checkName))) {
      if (appId !== undefined && run.app_id !== appId) continue;
      bySuite.set(run.check_suite_id, [...(bySuite.get(run.check_suite_id) ?? []), run]);
    }
    return {
      nodes: [...bySuite.values()].map((runs) => ({
        checkRuns: {
          nodes: (latestOnly ? runs.slice(-1) : runs).slice(0, first).map((run) => ({
            databaseId: run.id,
            status: run.status.toUpperCase(),
            externalId: run.external_id,
          })),
        },
      })),
    };
  }

  private suiteOf(headSha: string): number {
    let id = this.suites.get(headSha);
    if (id === undefined) {
      id = 9000 + this.suites.size;
      this.suites.set(headSha, id);
    }
    return id;
  }

  private nextId(): number {
    return Math.max(this.options.firstId - 1, ...this.runs.keys()) + 1;
  }

  /** The body, or GitHub's 422 when GitHub would refuse it. */
  private refused(method: string, route: string, body: Json): nock.ReplyFnResult | undefined {
    try {
      validateRestRequestBody(method, route, body);
      return undefined;
    } catch (error) {
      this.options.onInvalid(String(error));
      return [422, { message: 'Invalid request.', documentation_url: 'https://docs.github.com/rest' }];
    }
  }

  private answer(method: string, route: string, status: number, body: unknown): nock.ReplyFnResult {
    try {
      validateRestResponse(method, route, status, body);
    } catch (error) {
      this.options.onInvalid(String(error));
    }
    return [status, body as nock.Body];
  }

  private notFound(method: string, route: string): nock.ReplyFnResult {
    return this.answer(method, route, 404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/checks/runs',
    });
  }

  private create(body: Json): nock.ReplyFnResult {
    const route = '/repos/{owner}/{repo}/check-runs';
    this.requests.push(`POST ${route}`);
    const refused = this.refused('POST', route, body);
    if (refused !== undefined) return refused;
    this.options.onWrite('POST', body);
    const headSha = String(body.head_sha);
    const output = body.output as Json | undefined;
    const run = this.seed({
      id: this.nextId(),
      name: String(body.name),
      head_sha: headSha,
      status: 'queued',
      conclusion: null,
      completed_at: null,
      started_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      output: { title: null, summary: null, text: null },
    });
    this.apply(run, body, output);
    return this.answer('POST', route, 201, this.rest(run));
  }

  private update(id: number, body: Json): nock.ReplyFnResult {
    this.requests.push(`PATCH ${RUN_ROUTE}`);
    const run = this.runs.get(id);
    if (run === undefined) return this.notFound('PATCH', RUN_ROUTE);
    const refused = this.refused('PATCH', RUN_ROUTE, body);
    if (refused !== undefined) return refused;
    this.options.onWrite('PATCH', body);
    this.apply(run, body, body.output as Json | undefined);
    return this.answer('PATCH', RUN_ROUTE, 200, this.rest(run));
  }

  /** What a create or an update does to a run: fields given replace, annotations add to those already there. */
  private apply(run: FakeCheckRun, body: Json, output: Json | undefined): void {
    if (typeof body.name === 'string') run.name = body.name;
    if (typeof body.external_id === 'string') run.external_id = body.external_id;
    if (typeof body.started_at === 'string') run.started_at = body.started_at;
    if (body.status === 'queued' || body.status === 'in_progress' || body.status === 'completed') {
      run.status = body.status;
    }
    if (typeof body.conclusion === 'string') {
      run.conclusion = body.conclusion;
      run.status = 'completed';
    }
    if (typeof body.completed_at === 'string') run.completed_at = body.completed_at;
    else if (run.status === 'completed' && run.completed_at === null) run.completed_at = run.started_at;
    if (output === undefined) return;
    if (typeof output.title === 'string') run.output.title = output.title;
    if (typeof output.summary === 'string') run.output.summary = output.summary;
    if (typeof output.text === 'string') run.output.text = output.text;
    run.annotations.push(...((output.annotations as FakeAnnotation[] | undefined) ?? []));
  }

  private rest(run: FakeCheckRun): Json {
    const { api, owner, repo } = this.options;
    const url = `${api}/repos/${owner}/${repo}/check-runs/${run.id}`;
    return {
      ...structuredClone(CHECK_RUN_EXAMPLE),
      id: run.id,
      node_id: Buffer.from(`CheckRun${run.id}`).toString('base64'),
      head_sha: run.head_sha,
      name: run.name,
      url,
      html_url: `https://github.com/${owner}/${repo}/runs/${run.id}`,
      external_id: run.external_id,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.started_at,
      completed_at: run.completed_at,
      output: {
        ...run.output,
        annotations_count: run.annotations.length,
        annotations_url: `${url}/annotations`,
      },
      check_suite: { id: run.check_suite_id },
      app: { ...(CHECK_RUN_EXAMPLE.app as Json), id: run.app_id },
      pull_requests: [],
    };
  }

  private get(id: number): nock.ReplyFnResult {
    this.requests.push(`GET ${RUN_ROUTE}`);
    const run = this.runs.get(id);
    if (run === undefined) return this.notFound('GET', RUN_ROUTE);
    return this.answer('GET', RUN_ROUTE, 200, this.rest(run));
  }

  private listAnnotations(uri: string): nock.ReplyFnResult {
    const route = `${RUN_ROUTE}/annotations`;
    this.requests.push(`GET ${route}`);
    const run = this.runs.get(idIn(uri));
    if (run === undefined) return this.notFound('GET', route);
    const { owner, repo } = this.options;
    const all = run.annotations.map((a) => ({
      path: a.path,
      blob_href: `https://github.com/${owner}/${repo}/blob/${run.head_sha}/${a.path}`,
      start_line: a.start_line,
      end_line: a.end_line,
      start_column: a.start_column ?? null,
      end_column: a.end_column ?? null,
      annotation_level: a.annotation_level,
      title: a.title ?? null,
      message: a.message,
      raw_details: a.raw_details ?? null,
    }));
    const { items, link } = this.page(uri, all);
    const [status, body] = this.answer('GET', route, 200, items) as [number, nock.Body];
    return [status, body, link === undefined ? {} : { Link: link }];
  }

  private listForRef(uri: string): nock.ReplyFnResult {
    const route = '/repos/{owner}/{repo}/commits/{ref}/check-runs';
    this.requests.push(`GET ${route}`);
    const url = new URL(uri, this.options.api);
    const sha = /\/commits\/([0-9a-f]{40})\//.exec(url.pathname)![1]!;
    const name = url.searchParams.get('check_name');
    const status = url.searchParams.get('status');
    const appId = url.searchParams.get('app_id');
    let runs = [...this.runs.values()]
      .filter((run) => run.head_sha === sha)
      .filter((run) => name === null || run.name === name)
      .filter((run) => status === null || run.status === status)
      .filter((run) => appId === null || run.app_id === Number(appId))
      .sort((a, b) => b.id - a.id);
    // `filter=latest`, GitHub's default: the newest run of each name in each suite.
    if (url.searchParams.get('filter') !== 'all') {
      const seen = new Set<string>();
      runs = runs.filter((run) => {
        const key = `${run.check_suite_id}\u0000${run.name}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    const { items, link } = this.page(uri, runs);
    const body = { total_count: runs.length, check_runs: items.map((run) => this.rest(run)) };
    const [code, answer] = this.answer('GET', route, 200, body) as [number, nock.Body];
    return [code, answer, link === undefined ? {} : { Link: link }];
  }

  /** One page of a list, and the `Link` header GitHub sends with it (none when everything fits on one page). */
  private page<T>(uri: string, all: T[]): { items: T[]; link?: string } {
    const url = new URL(uri, this.options.api);
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
    const page = Math.max(Number(url.searchParams.get('page') ?? 1), 1);
    const last = Math.max(Math.ceil(all.length / perPage), 1);
    const items = all.slice((page - 1) * perPage, page * perPage);
    if (last === 1) return { items };
    const at = (n: number, rel: string) => {
      const target = new URL(url);
      target.searchParams.set('page', String(n));
      return `<${target.toString()}>; rel="${rel}"`;
    };
    const links = [];
    if (page > 1) links.push(at(page - 1, 'prev'));
    if (page < last) links.push(at(page + 1, 'next'), at(last, 'last'));
    if (page > 1) links.push(at(1, 'first'));
    return { items, link: links.join(', ') };
  }
}

function idIn(uri: string): number {
  return Number(/\/check-runs\/(\d+)/.exec(uri)![1]);
}
