/**
 * GitHub's Git data and pulls API for one repository, with state, at the HTTP layer (nock): branches, commits and
 * trees as GitHub keeps them, pull requests listed by `head`, and comments on them. It refuses what GitHub refuses:
 * a ref that exists (422 "Reference already exists"), a move that is not a fast-forward unless forced, a second open
 * pull request from one head (422 "A pull request already exists"). Every request body must be one GitHub accepts
 * and every answer one it documents, or the problem is recorded in `invalid`.
 */
import { createHash } from 'node:crypto';
import nock from 'nock';
import { schemaCheckedAnswer, validateRestRequestBody } from '../support/github-schemas.js';
import { openApiExample } from './fake-issues.js';

type Json = Record<string, unknown>;

export interface FakeCommit {
  sha: string;
  message: string;
  tree: string;
  parents: string[];
}

export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  title: string;
  body: string;
  head: string;
  headSha: string;
  base: string;
}

export interface GitWrite {
  method: string;
  path: string;
  body: Json;
}

function sha(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\0')).digest('hex');
}

export class FakeGit {
  /** Branch → commit. */
  readonly refs = new Map<string, string>();
  readonly commits = new Map<string, FakeCommit>();
  /** Tree sha → path → text. */
  readonly trees = new Map<string, Map<string, string>>();
  readonly pulls: FakePull[] = [];
  /** Comments on pull requests (GitHub's issue comments), in the order made. */
  readonly comments: { number: number; body: string }[] = [];
  readonly writes: GitWrite[] = [];
  /** Every request, as `METHOD path`, reads included. */
  readonly seen: string[] = [];
  readonly invalid: string[] = [];
  /** Writes answered 403, as for an installation that has not accepted `contents: write`. */
  readOnly = false;

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly api = 'https://api.github.com',
  ) {}

  /** A branch whose head commit holds `files`, as a person's push left it. */
  seedBranch(branch: string, files: Record<string, string>, message = 'A commit', parents: string[] = []) {
    const tree = sha('tree', JSON.stringify(Object.entries(files).sort()));
    this.trees.set(tree, new Map(Object.entries(files)));
    const commit = sha('commit', message, tree, ...parents);
    this.commits.set(commit, { sha: commit, message, tree, parents });
    this.refs.set(branch, commit);
    return commit;
  }

  /** The files at a branch's head. */
  filesOf(branch: string): Record<string, string> {
    const commit = this.commits.get(this.refs.get(branch) ?? '');
    return Object.fromEntries(this.trees.get(commit?.tree ?? '') ?? []);
  }

  private url(path: string): string {
    return `${this.api}/repos/${this.owner}/${this.repo}${path}`;
  }

  private answer(method: string, route: string, status: number, body: unknown): [number, nock.Body] {
    return schemaCheckedAnswer(this.invalid, method, route, status, body) as [number, nock.Body];
  }

  private accepted(method: string, route: string, body: unknown): boolean {
    try {
      validateRestRequestBody(method, route, body);
      return true;
    } catch (error) {
      this.invalid.push(String(error));
      return false;
    }
  }

  private refused(method: string, route: string, documentation: string): [number, nock.Body] | undefined {
    if (!this.readOnly) return undefined;
    return this.answer(method, route, 403, {
      message: 'Resource not accessible by integration',
      documentation_url: documentation,
      status: '403',
    });
  }

  private refJson(branch: string): Json {
    const example = openApiExample('git-ref') as Json;
    const commit = this.refs.get(branch)!;
    return {
      ...example,
      ref: `refs/heads/${branch}`,
      url: this.url(`/git/refs/heads/${branch}`),
      object: { type: 'commit', sha: commit, url: this.url(`/git/commits/${commit}`) },
    };
  }

  private commitJson(commit: FakeCommit): Json {
    const example = openApiExample('git-commit') as Json;
    return {
      ...example,
      sha: commit.sha,
      node_id: `C_${commit.sha.slice(0, 8)}`,
      url: this.url(`/git/commits/${commit.sha}`),
      html_url: `https://github.com/${this.owner}/${this.repo}/commit/${commit.sha}`,
      message: commit.message,
      tree: { sha: commit.tree, url: this.url(`/git/trees/${commit.tree}`) },
      parents: commit.parents.map((p) => ({
        sha: p,
        url: this.url(`/git/commits/${p}`),
        html_url: `https://github.com/${this.owner}/${this.repo}/commit/${p}`,
      })),
    };
  }

  private pullJson(pull: FakePull, route: 'pull-request' | 'pull-request-simple'): Json {
    const example = openApiExample(route) as Json & { head: Json; base: Json };
    const html = `https://github.com/${this.owner}/${this.repo}/pull/${pull.number}`;
    return {
      ...example,
      number: pull.number,
      url: this.url(`/pulls/${pull.number}`),
      html_url: html,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      merged_at: pull.merged ? '2026-12-01T10:00:00Z' : null,
      // GitHub's example lists a team without the `type` its own schema requires; nobody was asked to review here.
      requested_teams: [],
      requested_reviewers: [],
      closed_at: pull.state === 'closed' ? '2026-12-01T10:00:00Z' : null,
      ...(route === 'pull-request' ? { merged: pull.merged } : {}),
      head: { ...example.head, ref: pull.head, sha: pull.headSha, label: `${this.owner}:${pull.head}` },
      base: { ...example.base, ref: pull.base, label: `${this.owner}:${pull.base}` },
    };
  }

  install(): this {
    const scope = nock(this.api).persist();
    const base = `/repos/${this.owner}/${this.repo}`;
    scope.on('request', (request: { method: string; path: string }) => {
      if (request.path.startsWith(base))
        this.seen.push(`${request.method} ${decodeURIComponent(request.path)}`);
    });

    scope.get(new RegExp(`^${base}/pulls(\\?.*)?$`)).reply((uri) => {
      const query = new URL(uri, this.api).searchParams;
      const head = query.get('head');
      const state = query.get('state') ?? 'open';
      const list = [...this.pulls]
        .sort((a, b) => b.number - a.number)
        .filter((p) => head === null || `${this.owner}:${p.head}` === head)
        .filter((p) => state === 'all' || p.state === state)
        .map((p) => this.pullJson(p, 'pull-request-simple'));
      return this.answer('GET', '/repos/{owner}/{repo}/pulls', 200, list);
    });

    scope.post(`${base}/pulls`).reply((uri, body) => {
      const route = '/repos/{owner}/{repo}/pulls';
      this.writes.push({ method: 'POST', path: uri, body: body as Json });
      if (!this.accepted('POST', route, body)) return [500, { message: 'invalid' }];
      const refused = this.refused(
        'POST',
        route,
        'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
      );
      if (refused !== undefined) return refused;
      const {
        title,
        head,
        base: into,
        body: text,
      } = body as { title: string; head: string; base: string; body: string };
      const failed = (message: string): [number, nock.Body] =>
        this.answer('POST', route, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'PullRequest', code: 'custom', message }],
          documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
        });
      if (this.pulls.some((p) => p.head === head && p.state === 'open')) {
        return failed(`A pull request already exists for ${this.owner}:${head}.`);
      }
      const headSha = this.refs.get(head);
      if (headSha === undefined) return failed(`No commits between ${into} and ${head}`);
      const pull: FakePull = {
        number: this.pulls.length + 1,
        state: 'open',
        merged: false,
        title,
        body: text,
        head,
        headSha,
        base: into,
      };
      this.pulls.push(pull);
      return this.answer('POST', route, 201, this.pullJson(pull, 'pull-request'));
    });

    scope.patch(new RegExp(`^${base}/pulls/(\\d+)$`)).reply((uri, body) => {
      const route = '/repos/{owner}/{repo}/pulls/{pull_number}';
      this.writes.push({ method: 'PATCH', path: uri, body: body as Json });
      if (!this.accepted('PATCH', route, body)) return [500, { message: 'invalid' }];
      const pull = this.pulls.find((p) => p.number === Number(uri.split('/').at(-1)));
      if (pull === undefined) return [404, { message: 'Not Found' }];
      const change = body as { body?: string; state?: 'open' | 'closed' };
      if (change.body !== undefined) pull.body = change.body;
      if (change.state !== undefined && !pull.merged) pull.state = change.state;
      return this.answer('PATCH', route, 200, this.pullJson(pull, 'pull-request'));
    });

    scope.post(new RegExp(`^${base}/issues/(\\d+)/comments$`)).reply((uri, body) => {
      const route = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
      this.writes.push({ method: 'POST', path: uri, body: body as Json });
      if (!this.accepted('POST', route, body)) return [500, { message: 'invalid' }];
      const refused = this.refused(
        'POST',
        route,
        'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
      );
      if (refused !== undefined) return refused;
      const number = Number(uri.split('/').at(-2));
      if (!this.pulls.some((p) => p.number === number)) return [404, { message: 'Not Found' }];
      const text = (body as { body: string }).body;
      this.comments.push({ number, body: text });
      const example = openApiExample('issue-comment') as Json;
      return this.answer('POST', route, 201, {
        ...example,
        body: text,
        issue_url: this.url(`/issues/${number}`),
        html_url: `https://github.com/${this.owner}/${this.repo}/pull/${number}#issuecomment-1`,
      });
    });

    scope.get(new RegExp(`^${base}/git/ref/heads(/|%2F)`)).reply((uri) => {
      const route = '/repos/{owner}/{repo}/git/ref/{ref}';
      const branch = decodeURIComponent(uri).slice(`${base}/git/ref/heads/`.length);
      if (!this.refs.has(branch)) {
        return this.answer('GET', route, 404, {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference',
          status: '404',
        });
      }
      return this.answer('GET', route, 200, this.refJson(branch));
    });

    scope.get(new RegExp(`^${base}/git/commits/[0-9a-f]{40}$`)).reply((uri) => {
      const commit = this.commits.get(uri.split('/').at(-1)!);
      if (commit === undefined) return [404, { message: 'Not Found' }];
      return this.answer(
        'GET',
        '/repos/{owner}/{repo}/git/commits/{commit_sha}',
        200,
        this.commitJson(commit),
      );
    });

    scope.post(`${base}/git/trees`).reply((uri, body) => {
      const route = '/repos/{owner}/{repo}/git/trees';
      this.writes.push({ method: 'POST', path: uri, body: body as Json });
      if (!this.accepted('POST', route, body)) return [500, { message: 'invalid' }];
      const refused = this.refused('POST', route, 'https://docs.github.com/rest/git/trees#create-a-tree');
      if (refused !== undefined) return refused;
      const request = body as { base_tree?: string; tree: { path: string; content: string }[] };
      const files = new Map(request.base_tree === undefined ? [] : this.trees.get(request.base_tree));
      for (const entry of request.tree) files.set(entry.path, entry.content);
      const tree = sha('tree', JSON.stringify([...files].sort()));
      this.trees.set(tree, files);
      const example = openApiExample('git-tree') as Json;
      return this.answer('POST', route, 201, {
        ...example,
        sha: tree,
        url: this.url(`/git/trees/${tree}`),
        truncated: false,
        tree: [...files].map(([path, text]) => ({
          path,
          mode: '100644',
          type: 'blob',
          size: Buffer.byteLength(text),
          sha: sha('blob', text),
          url: this.url(`/git/blobs/${sha('blob', text)}`),
        })),
      });
    });

    scope.post(`${base}/git/commits`).reply((uri, body) => {
      const route = '/repos/{owner}/{repo}/git/commits';
      this.writes.push({ method: 'POST', path: uri, body: body as Json });
      if (!this.accepted('POST', route, body)) return [500, { message: 'invalid' }];
      const { message, tree, parents = [] } = body as { message: string; tree: string; parents?: string[] };
      const commit: FakeCommit = { sha: sha('commit', message, tree, ...parents), message, tree, parents };
      this.commits.set(commit.sha, commit);
      return this.answer('POST', route, 201, this.commitJson(commit));
    });

    scope.post(`${base}/git/refs`).reply((uri, body) => {
      const route = '/repos/{owner}/{repo}/git/refs';
      this.writes.push({ method: 'POST', path: uri, body: body as Json });
      if (!this.accepted('POST', route, body)) return [500, { message: 'invalid' }];
      const { ref, sha: commit } = body as { ref: string; sha: string };
      const branch = ref.replace(/^refs\/heads\//, '');
      if (this.refs.has(branch)) {
        return this.answer('POST', route, 422, {
          message: 'Reference already exists',
          documentation_url: 'https://docs.github.com/rest/git/refs#create-a-reference',
          status: '422',
        });
      }
      this.refs.set(branch, commit);
      return this.answer('POST', route, 201, this.refJson(branch));
    });

    scope.patch(new RegExp(`^${base}/git/refs/heads(/|%2F)`)).reply((uri, body) => {
      const route = '/repos/{owner}/{repo}/git/refs/{ref}';
      this.writes.push({ method: 'PATCH', path: uri, body: body as Json });
      if (!this.accepted('PATCH', route, body)) return [500, { message: 'invalid' }];
      const branch = decodeURIComponent(uri).slice(`${base}/git/refs/heads/`.length);
      const { sha: commit, force } = body as { sha: string; force?: boolean };
      const head = this.refs.get(branch);
      if (head === undefined) return [422, { message: 'Reference does not exist' }];
      if (force !== true && !this.commits.get(commit)?.parents.includes(head)) {
        return this.answer('PATCH', route, 422, {
          message: 'Update is not a fast forward',
          documentation_url: 'https://docs.github.com/rest/git/refs#update-a-reference',
          status: '422',
        });
      }
      this.refs.set(branch, commit);
      for (const pull of this.pulls) if (pull.head === branch && pull.state === 'open') pull.headSha = commit;
      return this.answer('PATCH', route, 200, this.refJson(branch));
    });
    return this;
  }
}
