import { readFileSync } from 'node:fs';

function document(name: string): string {
  return readFileSync(new URL(`./github/${name}.graphql`, import.meta.url), 'utf8');
}

const TREE_ENTRY = document('org-tree-entry');
const REPOSITORY = document('org-repository');
const BLOB = document('org-blob');
const RATE_LIMIT = document('org-rate-limit');

/** The listing query as sent, fragments appended; exported so that tests validate exactly this. */
export const REPOSITORIES_QUERY = [
  document('org-repositories'),
  REPOSITORY,
  TREE_ENTRY,
  BLOB,
  RATE_LIMIT,
].join('\n');

/** The template of the batched files query (one repository, one file): what `filesQuery([1])` must equal. */
export const FILES_TEMPLATE = [document('org-files'), BLOB, RATE_LIMIT].join('\n');

/**
 * The batched files query: `counts[i]` files of repository `r<i>`. The aliases are generated; every name and
 * expression is a variable, so nothing from a repository is ever written into the document.
 */
export function filesQuery(counts: readonly number[]): string {
  const variables = ['$org: String!'];
  const repositories: string[] = [];
  counts.forEach((count, r) => {
    variables.push(`$n${r}: String!`);
    const files: string[] = [];
    for (let f = 0; f < count; f++) {
      variables.push(`$e${r}_${f}: String!`);
      files.push(`    f${f}: object(expression: $e${r}_${f}) {\n      ...OrgBlob\n    }\n`);
    }
    repositories.push(`  r${r}: repository(owner: $org, name: $n${r}) {\n${files.join('')}  }\n`);
  });
  return (
    `query OpenlyOrgFiles(${variables.join(', ')}) {\n${repositories.join('')}` +
    `  rateLimit {\n    ...OrgRateLimit\n  }\n}\n\n${BLOB}\n${RATE_LIMIT}`
  );
}
