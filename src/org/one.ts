import { readFileSync } from 'node:fs';
import { ask, type AskOptions, type RateLimitInfo } from './ask.js';
import { baseOf, judgeBatch, type BatchContext } from './audit.js';
import {
  listed,
  type BlobData,
  type ListedRepository,
  type ListingPage,
  type RepositoryNode,
} from './list.js';
import type { AuditedRepository } from './report.js';

function document(name: string): string {
  return readFileSync(new URL(`./github/${name}.graphql`, import.meta.url), 'utf8');
}

const FRAGMENTS = ['org-repository', 'org-tree-entry', 'org-blob', 'org-rate-limit'].map(document).join('\n');
const TEMPLATE = document('org-repositories-by-name');

/** Names asked in one request: each brings a few folders' entries, far below GitHub's node limit. */
export const NAMES_PER_QUERY = 25;

/** The query as sent for one name, fragments appended; `byNameQuery(1)` is exactly this. */
export const BY_NAME_QUERY = `${TEMPLATE}\n${FRAGMENTS}`;

/**
 * The query for `count` names: the template's `r0` alias repeated as `r1`…, each name a variable, so that nothing
 * from a webhook payload is ever written into the document.
 */
export function byNameQuery(count: number): string {
  const head = /^query OpenlyOrgRepositoriesByName\(\$org: String!, \$n0: String!\) \{\n/m;
  const alias = '  r0: repository(owner: $org, name: $n0) {\n    ...OrgRepository\n  }\n';
  if (!head.test(TEMPLATE) || !TEMPLATE.includes(alias)) throw new Error('unexpected by-name template');
  const variables = Array.from({ length: count }, (_, i) => `$n${i}: String!`).join(', ');
  const aliases = Array.from({ length: count }, (_, i) => alias.replace(/r0|n0/g, (m) => `${m[0]}${i}`)).join(
    '',
  );
  return (
    TEMPLATE.replace(head, `query OpenlyOrgRepositoriesByName($org: String!, ${variables}) {\n`).replace(
      alias,
      aliases,
    ) + `\n${FRAGMENTS}`
  );
}

type Answer = Record<string, RepositoryNode | null | undefined> & {
  orgBase?: { configYml: BlobData | null; configYaml: BlobData | null } | null;
  rateLimit?: RateLimitInfo | null;
};

/** Repositories read by name, as the listing would have brought them. */
export interface ReadByName {
  repositories: ListedRepository[];
  /** Names GitHub no longer shows (deleted, renamed again, or no longer visible to the installation). */
  gone: string[];
  /** The organisation base as a listing page carries it, for `baseOf`. */
  page: ListingPage;
}

function orgBaseOf(answer: Answer): ListingPage['orgBase'] {
  const base = answer.orgBase;
  if (base === undefined || base === null) return undefined;
  if (base.configYml?.byteSize !== undefined) return { path: '.github/openly.yml', blob: base.configYml };
  if (base.configYaml?.byteSize !== undefined) return { path: '.github/openly.yaml', blob: base.configYaml };
  return undefined;
}

/**
 * Reads repositories by name with what the audit judges them by, `NAMES_PER_QUERY` a request, the organisation base
 * with the first. A missing repository or `.github` is an answer (gone, no base), not a failure.
 */
export async function readRepositories(
  options: AskOptions,
  org: string,
  names: readonly string[],
): Promise<ReadByName> {
  const repositories: ListedRepository[] = [];
  const gone: string[] = [];
  let page: ListingPage = {
    repositories: [],
    first: true,
    next: null,
    total: undefined,
    rateLimit: undefined,
  };
  for (let start = 0; start < names.length; start += NAMES_PER_QUERY) {
    const chunk = names.slice(start, start + NAMES_PER_QUERY);
    const variables: Record<string, string> = { org };
    chunk.forEach((name, i) => (variables[`n${i}`] = name));
    const answer = await ask<Answer>(options, org, byNameQuery(chunk.length), variables, (partial, errors) =>
      errors.every((e) => e.type === 'NOT_FOUND') ? (partial as Answer) : undefined,
    );
    chunk.forEach((name, i) => {
      const node = answer[`r${i}`];
      if (node === null || node === undefined) gone.push(name);
      else repositories.push(listed(node));
    });
    if (start === 0)
      page = {
        repositories: [],
        orgBase: orgBaseOf(answer),
        first: true,
        next: null,
        total: undefined,
        rateLimit: answer.rateLimit ?? undefined,
      };
  }
  return { repositories, gone, page };
}

/**
 * Judges repositories read by name exactly as the organisation audit judges them (`judgeBatch`): the repository
 * events and the repositories added to an installation cost a request or two, not an audit.
 */
export async function judgeRepositories(
  context: Omit<BatchContext, 'base'>,
  read: ReadByName,
): Promise<AuditedRepository[]> {
  const base = baseOf(context.org, read.page);
  return judgeBatch({ ...context, base }, read.repositories, read.page.rateLimit);
}
