import { readFileSync } from 'node:fs';

function document(name: string): string {
  return readFileSync(new URL(`./github/${name}.graphql`, import.meta.url), 'utf8');
}

const TREE_ENTRY = document('org-tree-entry');
const REPOSITORY = document('org-repository');
const BLOB = document('org-blob');
const RATE_LIMIT = document('org-rate-limit');
const FOLDER = document('org-folder');

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

/** The template of the batched folders query (one repository, one folder): what `foldersQuery([1])` must equal. */
export const FOLDERS_TEMPLATE = [document('org-folders'), FOLDER, TREE_ENTRY, RATE_LIMIT].join('\n');

/**
 * A batched query: `counts[i]` objects of repository `r<i>`, each aliased `<alias><j>` and spread with `fragment`.
 * The aliases are generated; every name and expression is a variable, so nothing from a repository is ever
 * written into the document.
 */
function batchQuery(
  operation: string,
  alias: string,
  fragment: string,
  fragments: readonly string[],
  counts: readonly number[],
): string {
  const variables = ['$org: String!'];
  const repositories: string[] = [];
  counts.forEach((count, r) => {
    variables.push(`$n${r}: String!`);
    const objects: string[] = [];
    for (let f = 0; f < count; f++) {
      variables.push(`$e${r}_${f}: String!`);
      objects.push(`    ${alias}${f}: object(expression: $e${r}_${f}) {\n      ...${fragment}\n    }\n`);
    }
    repositories.push(`  r${r}: repository(owner: $org, name: $n${r}) {\n${objects.join('')}  }\n`);
  });
  return (
    `query ${operation}(${variables.join(', ')}) {\n${repositories.join('')}` +
    `  rateLimit {\n    ...OrgRateLimit\n  }\n}\n\n${fragments.join('\n')}`
  );
}

/** The batched files query: `counts[i]` files of repository `r<i>`. */
export function filesQuery(counts: readonly number[]): string {
  return batchQuery('OpenlyOrgFiles', 'f', 'OrgBlob', [BLOB, RATE_LIMIT], counts);
}

/** The batched folders query: `counts[i]` folders of repository `r<i>`, each listed four levels deep. */
export function foldersQuery(counts: readonly number[]): string {
  return batchQuery('OpenlyOrgFolders', 'd', 'OrgFolder', [FOLDER, TREE_ENTRY, RATE_LIMIT], counts);
}
