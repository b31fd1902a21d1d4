/**
 * A GitHub GraphQL double for one organisation, at the HTTP layer (nock): it answers the audit's listing and
 * batched-file queries from an in-memory organisation, and refuses (500, recorded in `invalid`) any request GitHub's
 * schema would reject or any answer GitHub could not give.
 */
import { createHash } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeAll, expect } from 'vitest';
import { VERSION } from '../../src/core/version.js';
import { createOctokit, type GitHubClient } from '../../src/github/octokit.js';
import { auditOrganisation } from '../../src/org/audit.js';
import { FOLDER_LEVELS } from '../../src/org/folders.js';
import { createAuditOctokit, DEFAULT_API_URL, type AuditOctokitOptions } from '../../src/org/octokit.js';
import type { AuditedRepository } from '../../src/org/report.js';
import { validateGraphqlRequest, validateGraphqlResponse } from '../support/github-schemas.js';

export interface FakeRepo {
  name: string;
  visibility?: 'PUBLIC' | 'PRIVATE' | 'INTERNAL';
  archived?: boolean;
  fork?: boolean;
  pushedAt?: string;
  /** Path → text; folders are implied. Absent for an empty repository. */
  files?: Record<string, string>;
  /** Paths (among `files`) that are symbolic links. */
  links?: string[];
  /** The default branch's commit; `oidOf(name)` unless a push moved it. */
  head?: string;
  /** Classic branch protection on the default branch, as a non-admin sees it (`Ref.refUpdateRule`). */
  protection?: { requiresSignatures?: boolean; requiredApprovingReviewCount?: number | null };
  /** Rules of active rulesets (the repository's and the organisation's) on the default branch (`Ref.rules`). */
  rules?: FakeRule[];
}

/** A ruleset rule: `REQUIRED_SIGNATURES`, `PULL_REQUEST` with its approvals, or another type. */
export type FakeRule = { type: 'PULL_REQUEST'; approvals: number } | { type: string };

/** A ruleset rule as GitHub's GraphQL API gives it, parameters asked for a pull-request rule only. */
function ruleNode(rule: FakeRule): Json {
  if ('approvals' in rule) {
    return { type: rule.type, parameters: { requiredApprovingReviewCount: rule.approvals } };
  }
  // A rule without parameters (REQUIRED_SIGNATURES) answers null; others an object with no field asked for.
  return { type: rule.type, parameters: rule.type === 'REQUIRED_SIGNATURES' ? null : {} };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Sent {
  operation: string;
  variables: Record<string, Json>;
  url: string;
}

/** A canned failure for the next request: HTTP status, body, headers. */
export interface Failure {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

/** A variable as text: GitHub's variables here are all strings (or null). */
function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function oidOf(name: string): string {
  return createHash('sha1').update(name).digest('hex');
}

const RATE_LIMIT = { cost: 1, remaining: 4990, resetAt: '2026-12-07T08:00:00Z' };

export class FakeOrg {
  readonly sent: Sent[] = [];
  readonly invalid: string[] = [];
  /** Failures to answer with, first in first out, before the organisation's answers. */
  readonly failures: Failure[] = [];
  /** Repositories listed but gone by the time their files are read (deleted, renamed, or hidden from the token). */
  readonly gone = new Set<string>();
  /** What each answer reports of the rate limit. */
  rateLimit = { ...RATE_LIMIT };
  /** A failure for a request as it comes (after `failures`), such as the third listing request. */
  failWhen: ((sent: Sent, index: number) => Failure | undefined) | undefined;
  #pushes = 0;

  constructor(
    readonly login: string,
    readonly repos: FakeRepo[],
    readonly options: { pageSize?: number; origin?: string; path?: string } = {},
  ) {}

  install(): this {
    nock(this.options.origin ?? 'https://api.github.com')
      .persist()
      .post(this.options.path ?? '/graphql')
      .reply((uri, body) => {
        const { query, variables = {} } = body as { query: string; variables?: Record<string, Json> };
        const operation = /query (\w+)/.exec(query)?.[1] ?? '?';
        this.sent.push({ operation, variables, url: uri });
        const failure = this.failures.shift() ?? this.failWhen?.(this.sent.at(-1)!, this.sent.length - 1);
        if (failure !== undefined) return [failure.status, failure.body as nock.Body, failure.headers ?? {}];
        try {
          validateGraphqlRequest(query, variables);
          const answer =
            operation === 'OpenlyOrgRepositories'
              ? this.listing(variables)
              : operation === 'OpenlyOrgFiles'
                ? this.files(variables)
                : operation === 'OpenlyOrgFolders'
                  ? this.folders(variables)
                  : operation === 'OpenlyOrgRepositoriesByName'
                    ? this.byName(variables)
                    : operation === 'OpenlyConfigLink'
                      ? this.configLink(variables)
                      : undefined;
          if (answer === undefined) throw new Error(`unexpected operation ${operation}`);
          validateGraphqlResponse(query, variables, answer.data);
          return [200, answer as nock.Body];
        } catch (error) {
          this.invalid.push(String(error));
          return [500, { message: 'invalid mock' }];
        }
      });
    return this;
  }

  /** A push to a repository's default branch: new files at a new commit, pushed at `pushedAt`. */
  push(name: string, files: Record<string, string>, pushedAt: string): void {
    const repo = this.find(name);
    if (repo === undefined) throw new Error(`no repository ${name}`);
    this.#pushes++;
    repo.files = files;
    repo.head = oidOf(`${name}#${this.#pushes}`);
    repo.pushedAt = pushedAt;
  }

  /** Requests by operation name. */
  count(operation: string): number {
    return this.sent.filter((s) => s.operation === operation).length;
  }

  private find(name: string): FakeRepo | undefined {
    return this.repos.find((r) => r.name.toLowerCase() === name.toLowerCase());
  }

  private entries(repo: FakeRepo, folder: string): Json[] | undefined {
    const files = repo.files ?? {};
    const prefix = folder === '' ? '' : `${folder}/`;
    if (folder !== '' && !Object.keys(files).some((p) => p.startsWith(prefix))) return undefined;
    const seen = new Map<string, Json>();
    for (const [path, text] of Object.entries(files)) {
      if (!path.startsWith(prefix)) continue;
      const [name, ...rest] = path.slice(prefix.length).split('/');
      if (name === undefined || seen.has(name)) continue;
      const link = repo.links?.includes(path) === true;
      seen.set(
        name,
        rest.length > 0
          ? { name, type: 'tree', mode: 0o40000, size: 0 }
          : { name, type: 'blob', mode: link ? 0o120000 : 0o100644, size: Buffer.byteLength(text) },
      );
    }
    return [...seen.values()];
  }

  private tree(repo: FakeRepo, folder: string): Json {
    const entries = this.entries(repo, folder);
    return entries === undefined ? null : { entries };
  }

  /** A folder as the `OrgFolder` fragment lists it: each entry with its object, down to the fragment's depth. */
  private folder(repo: FakeRepo, path: string, level = 1): Json {
    const entries = this.entries(repo, path);
    if (entries === undefined) return null;
    return {
      entries: entries.map((entry) => {
        if (level >= FOLDER_LEVELS) return entry;
        const { name, type } = entry as { name: string; type: string };
        return {
          ...(entry as Record<string, Json>),
          object: type === 'tree' ? this.folder(repo, `${path}/${name}`, level + 1) : {},
        };
      }),
    };
  }

  private blob(repo: FakeRepo | undefined, path: string): Json {
    const text = repo?.files?.[path];
    if (text === undefined) return null;
    const binary = text.includes('\u0000');
    return {
      text: binary ? null : text,
      isBinary: binary,
      byteSize: Buffer.byteLength(text),
      isTruncated: false,
    };
  }

  /** A repository as the `OrgRepository` fragment asks for it. */
  private node(repo: FakeRepo): Json {
    return {
      name: repo.name,
      visibility: repo.visibility ?? 'PUBLIC',
      isArchived: repo.archived ?? false,
      isFork: repo.fork ?? false,
      isEmpty: repo.files === undefined,
      pushedAt: repo.pushedAt ?? '2026-11-30T10:00:00Z',
      defaultBranchRef:
        repo.files === undefined
          ? null
          : {
              name: 'main',
              refUpdateRule:
                repo.protection === undefined
                  ? null
                  : {
                      requiresSignatures: repo.protection.requiresSignatures ?? false,
                      requiredApprovingReviewCount: repo.protection.requiredApprovingReviewCount ?? null,
                    },
              rules: {
                totalCount: repo.rules?.length ?? 0,
                nodes: (repo.rules ?? []).slice(0, 100).map(ruleNode),
              },
              target: {
                oid: repo.head ?? oidOf(repo.name),
                tree: { entries: this.entries(repo, '') ?? [] },
              },
            },
      dotGithub: this.tree(repo, '.github'),
      docs: this.tree(repo, 'docs'),
      licenses: this.tree(repo, 'LICENSES'),
    };
  }

  private orgBase(errors: Json[]): Json {
    const base = this.find('.github');
    if (base === undefined) {
      errors.push({
        type: 'NOT_FOUND',
        path: ['orgBase'],
        message: `Could not resolve to a Repository with the name '${this.login}/.github'.`,
      });
      return null;
    }
    return {
      configYml: this.blob(base, '.github/openly.yml'),
      configYaml: this.blob(base, '.github/openly.yaml'),
    };
  }

  /** The App's read of one configuration file (the organisation base, before an audit). */
  private configLink(variables: Record<string, Json>): { data: Json; errors?: Json[] } {
    const repo = this.find(text(variables.repo));
    if (repo === undefined) {
      return {
        data: { repository: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository'],
            message: `Could not resolve to a Repository with the name '${this.login}/${text(variables.repo)}'.`,
          },
        ],
      };
    }
    const read = (expression: Json | undefined) => this.blob(repo, text(expression).replace(/^HEAD:/, ''));
    return {
      data: {
        repository: {
          file: read(variables.expression),
          ...(variables.withAlternative === true ? { alternative: read(variables.alternative) } : {}),
        },
      },
    };
  }

  /** Repositories by name (the App's repository events): `null` and NOT_FOUND for one that is gone. */
  private byName(variables: Record<string, Json>): { data: Json; errors?: Json[] } {
    const errors: Json[] = [];
    const data: Record<string, Json> = { rateLimit: this.rateLimit };
    for (const [key, name] of Object.entries(variables)) {
      const r = /^n(\d+)$/.exec(key)?.[1];
      if (r === undefined) continue;
      const repo = this.gone.has(text(name)) ? undefined : this.find(text(name));
      data[`r${r}`] = repo === undefined ? null : this.node(repo);
      if (repo === undefined) {
        errors.push({
          type: 'NOT_FOUND',
          path: [`r${r}`],
          message: `Could not resolve to a Repository with the name '${this.login}/${text(name)}'.`,
        });
      }
    }
    data.orgBase = this.orgBase(errors);
    return errors.length === 0 ? { data } : { data, errors };
  }

  private listing(variables: Record<string, Json>): { data: Json; errors?: Json[] } {
    if (text(variables.org).toLowerCase() !== this.login.toLowerCase()) {
      return {
        data: { organization: null, rateLimit: this.rateLimit },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['organization'],
            message: `Could not resolve to an Organization with the login of '${text(variables.org)}'.`,
          },
        ],
      };
    }
    const size = this.options.pageSize ?? 100;
    const start =
      variables.cursor === null || variables.cursor === undefined
        ? 0
        : Number(text(variables.cursor).slice(7));
    const page = [...this.repos].sort((a, b) => (a.name < b.name ? -1 : 1)).slice(start, start + size);
    const end = start + page.length;
    const data: Record<string, Json> = {
      organization: {
        repositories: {
          totalCount: this.repos.length,
          pageInfo: {
            hasNextPage: end < this.repos.length,
            endCursor: page.length === 0 ? null : `cursor:${end}`,
          },
          nodes: page.map((repo) => this.node(repo)),
        },
      },
      rateLimit: this.rateLimit,
    };
    const errors: Json[] = [];
    if (variables.withBase === true) data.orgBase = this.orgBase(errors);
    return errors.length === 0 ? { data } : { data, errors };
  }

  private files(variables: Record<string, Json>): { data: Json; errors?: Json[] } {
    return this.objects(variables, 'f', (repo, path) => this.blob(repo, path));
  }

  private folders(variables: Record<string, Json>): { data: Json; errors?: Json[] } {
    return this.objects(variables, 'd', (repo, path) => this.folder(repo, path));
  }

  /** A batched answer: for each repository `r<i>`, each `<alias><j>` from the expression `e<i>_<j>`. */
  private objects(
    variables: Record<string, Json>,
    alias: string,
    answer: (repo: FakeRepo, path: string) => Json,
  ): { data: Json; errors?: Json[] } {
    const data: Record<string, Json> = { rateLimit: this.rateLimit };
    const errors: Json[] = [];
    for (const [key, name] of Object.entries(variables)) {
      const r = /^n(\d+)$/.exec(key)?.[1];
      if (r === undefined) continue;
      const repo = this.gone.has(text(name)) ? undefined : this.find(text(name));
      if (repo === undefined) {
        data[`r${r}`] = null;
        errors.push({
          type: 'NOT_FOUND',
          path: [`r${r}`],
          message: `Could not resolve to a Repository with the name '${this.login}/${text(name)}'.`,
        });
        continue;
      }
      const files: Record<string, Json> = {};
      for (const [expressionKey, expression] of Object.entries(variables)) {
        const match = new RegExp(`^e${r}_(\\d+)$`).exec(expressionKey);
        if (match === null) continue;
        const [oid, ...path] = text(expression).split(':');
        files[`${alias}${match[1]}`] =
          oid === (repo.head ?? oidOf(repo.name)) ? answer(repo, path.join(':')) : null;
      }
      data[`r${r}`] = files;
    }
    return errors.length === 0 ? { data } : { data, errors };
  }
}

/**
 * The audit's client as `createAuditOctokit` builds it, less the second it leaves between GraphQL requests to spare
 * GitHub's secondary rate limit: against the double that second is only waiting, and a test that audits three
 * times spent most of its 15 seconds in it. Given GITHUB_API_URL or GITHUB_GRAPHQL_URL, it is the real client.
 */
export function auditClient(options: AuditOctokitOptions = { token: 'ghs_test' }): GitHubClient {
  if (options.apiUrl !== undefined || options.graphqlUrl !== undefined) return createAuditOctokit(options);
  return createOctokit({
    token: options.token,
    baseUrl: DEFAULT_API_URL,
    userAgent: `openly/${VERSION}`,
    rateLimitWaits: 0,
    spacing: false,
    ...(options.log === undefined ? {} : { log: options.log }),
  });
}

/**
 * The hooks of a file whose tests audit fake organisations: no network; after each test the mocks are gone, and
 * every request the test's organisation (`current()`, if any) was sent is one GitHub would have accepted.
 */
export function useFakeOrg(current: () => FakeOrg | undefined): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const invalid = current()?.invalid ?? [];
    nock.cleanAll();
    expect(invalid).toEqual([]);
  });
}

/** `org`'s audit through `auditClient`, at `now`: its repositories by name. */
export async function auditByName(org: string, now: Date): Promise<Record<string, AuditedRepository>> {
  const report = await auditOrganisation({ octokit: auditClient(), org, now: () => now });
  return Object.fromEntries(report.repositories.map((r) => [r.name, r]));
}
