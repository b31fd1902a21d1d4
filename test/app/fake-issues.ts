/**
 * GitHub's issues and labels API for the audit's tests, with state, at the HTTP layer (nock): listing is paginated and
 * returns pull requests too, `labels` filters, PATCH edits in place, a repository with issues turned off answers 410.
 * Every request body must be one GitHub accepts and every answer one GitHub documents, or the problem is recorded in
 * `invalid` (and the request answered 500).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { schemaCheckedAnswer, validateRestRequestBody } from '../support/github-schemas.js';

type Json = Record<string, unknown>;

const require = createRequire(import.meta.url);
const spec = JSON.parse(
  readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'),
) as { components: { examples: Record<string, { value: Json }> } };

/** An example answer from GitHub's OpenAPI description, copied so that a test may change it. */
export function openApiExample(name: string): unknown {
  return structuredClone(spec.components.examples[name]!.value);
}

const ISSUE = spec.components.examples.issue!.value;
const COMMENT = spec.components.examples['issue-comment']!.value;
const LABEL = spec.components.examples.label!.value;

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  pullRequest?: boolean;
  createdAt: string;
}

export interface Write {
  method: string;
  path: string;
  body: Json;
}

export class FakeIssues {
  readonly issues = new Map<string, FakeIssue[]>();
  readonly labels = new Map<string, Set<string>>();
  readonly comments: { repo: string; number: number; body: string }[] = [];
  readonly writes: Write[] = [];
  readonly invalid: string[] = [];
  /** Repositories with issues turned off: GitHub answers 410 Gone. */
  readonly disabled = new Set<string>();
  /** Repositories where the installation may read issues but not write them: 403. */
  readonly readOnly = new Set<string>();
  /** The clock for new issues' `created_at`. */
  now = () => new Date('2026-12-07T09:00:00Z');

  constructor(
    readonly owner: string,
    readonly api = 'https://api.github.com',
  ) {}

  list(repo: string): FakeIssue[] {
    let list = this.issues.get(repo);
    if (list === undefined) this.issues.set(repo, (list = []));
    return list;
  }

  /** Issues a person sees in the repository (pull requests left out). */
  open(repo: string): FakeIssue[] {
    return this.list(repo).filter((i) => !i.pullRequest && i.state === 'open');
  }

  private json(repo: string, issue: FakeIssue): Json {
    const url = `${this.api}/repos/${this.owner}/${repo}/issues/${issue.number}`;
    return {
      ...ISSUE,
      id: 1000 + issue.number,
      number: issue.number,
      url,
      html_url: `https://github.com/${this.owner}/${repo}/issues/${issue.number}`,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      state_reason: issue.state === 'closed' ? 'completed' : null,
      closed_at: issue.state === 'closed' ? this.now().toISOString() : null,
      created_at: issue.createdAt,
      updated_at: this.now().toISOString(),
      labels: issue.labels.map((name) => ({ ...LABEL, name, default: false })),
      ...(issue.pullRequest
        ? {
            pull_request: {
              url: `${this.api}/repos/${this.owner}/${repo}/pulls/${issue.number}`,
              html_url: `https://github.com/${this.owner}/${repo}/pull/${issue.number}`,
              diff_url: `https://github.com/${this.owner}/${repo}/pull/${issue.number}.diff`,
              patch_url: `https://github.com/${this.owner}/${repo}/pull/${issue.number}.patch`,
            },
          }
        : { pull_request: undefined }),
    };
  }

  private answer(method: string, route: string, status: number, body: unknown): [number, nock.Body] {
    return schemaCheckedAnswer(this.invalid, method, route, status, body) as [number, nock.Body];
  }

  private refusal(repo: string, write: boolean): [number, nock.Body] | undefined {
    if (this.disabled.has(repo)) {
      return [
        410,
        {
          message: 'Issues are disabled for this repo',
          documentation_url: 'https://docs.github.com/rest/issues/issues',
        },
      ];
    }
    if (write && this.readOnly.has(repo)) {
      return [
        403,
        {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
          status: '403',
        },
      ];
    }
    return undefined;
  }

  private checked(method: string, route: string, body: unknown): boolean {
    try {
      validateRestRequestBody(method, route, body);
      return true;
    } catch (error) {
      this.invalid.push(String(error));
      return false;
    }
  }

  install(): this {
    const scope = nock(this.api).persist();
    const base = `/repos/${this.owner}/`;
    scope.get(new RegExp(`^${base}([^/]+)/issues(\\?.*)?$`)).reply((uri) => {
      const url = new URL(uri, this.api);
      const repo = decodeURIComponent(url.pathname.split('/')[3]!);
      const refused = this.refusal(repo, false);
      if (refused !== undefined) return refused;
      const state = url.searchParams.get('state') ?? 'open';
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter((l) => l !== '');
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const matching = [...this.list(repo)]
        .sort((a, b) => b.number - a.number)
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => labels.every((l) => i.labels.includes(l)));
      const slice = matching.slice((page - 1) * perPage, page * perPage);
      return this.answer(
        'GET',
        '/repos/{owner}/{repo}/issues',
        200,
        slice.map((i) => this.json(repo, i)),
      );
    });
    scope.post(new RegExp(`^${base}([^/]+)/issues$`)).reply((uri, body) => {
      const repo = decodeURIComponent(uri.split('/')[3]!);
      this.writes.push({ method: 'POST', path: uri, body: body as Json });
      const refused = this.refusal(repo, true);
      if (refused !== undefined) return refused;
      if (!this.checked('POST', '/repos/{owner}/{repo}/issues', body)) return [500, { message: 'invalid' }];
      const { title, body: text, labels = [] } = body as { title: string; body: string; labels?: string[] };
      const known = this.labels.get(repo) ?? new Set<string>();
      const issue: FakeIssue = {
        number: this.list(repo).length + 1,
        title,
        body: text,
        state: 'open',
        // GitHub drops labels the repository does not have when creating an issue this way only for those without
        // push access; the App has it, so unknown labels would be created: Openly creates its label first anyway.
        labels: labels.filter((l) => known.has(l)),
        createdAt: this.now().toISOString(),
      };
      this.list(repo).push(issue);
      return this.answer('POST', '/repos/{owner}/{repo}/issues', 201, this.json(repo, issue));
    });
    scope.patch(new RegExp(`^${base}([^/]+)/issues/(\\d+)$`)).reply((uri, body) => {
      const [, , , repo, , number] = uri.split('/');
      this.writes.push({ method: 'PATCH', path: uri, body: body as Json });
      const refused = this.refusal(repo!, true);
      if (refused !== undefined) return refused;
      if (!this.checked('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', body)) return [500, {}];
      const issue = this.list(repo!).find((i) => i.number === Number(number));
      if (issue === undefined)
        return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }];
      const change = body as { body?: string; state?: 'open' | 'closed' };
      if (change.body !== undefined) issue.body = change.body;
      if (change.state !== undefined) issue.state = change.state;
      return this.answer(
        'PATCH',
        '/repos/{owner}/{repo}/issues/{issue_number}',
        200,
        this.json(repo!, issue),
      );
    });
    scope.post(new RegExp(`^${base}([^/]+)/issues/(\\d+)/comments$`)).reply((uri, body) => {
      const [, , , repo, , number] = uri.split('/');
      this.writes.push({ method: 'POST', path: uri, body: body as Json });
      const refused = this.refusal(repo!, true);
      if (refused !== undefined) return refused;
      const route = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
      if (!this.checked('POST', route, body)) return [500, {}];
      this.comments.push({ repo: repo!, number: Number(number), body: (body as { body: string }).body });
      return this.answer('POST', route, 201, { ...COMMENT, body: (body as { body: string }).body });
    });
    scope.post(new RegExp(`^${base}([^/]+)/labels$`)).reply((uri, body) => {
      const repo = decodeURIComponent(uri.split('/')[3]!);
      this.writes.push({ method: 'POST', path: uri, body: body as Json });
      const refused = this.refusal(repo, true);
      if (refused !== undefined) return refused;
      if (!this.checked('POST', '/repos/{owner}/{repo}/labels', body)) return [500, {}];
      const { name } = body as { name: string };
      const known = this.labels.get(repo) ?? new Set<string>();
      this.labels.set(repo, known);
      if (known.has(name)) {
        return this.answer('POST', '/repos/{owner}/{repo}/labels', 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
          documentation_url: 'https://docs.github.com/rest/issues/labels#create-a-label',
        });
      }
      known.add(name);
      return this.answer('POST', '/repos/{owner}/{repo}/labels', 201, { ...LABEL, name, default: false });
    });
    return this;
  }
}
