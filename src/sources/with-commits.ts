import type { CommitInfo, RepoSnapshot, RepositoryFacts } from './snapshot.js';

/**
 * A snapshot that also carries the commits under judgement, and what GitHub knows of the repository, for sources
 * that learn them separately (a checkout in CI, whose event payload says whether the repository is public).
 */
export function withCommits(
  snapshot: RepoSnapshot,
  commits: readonly CommitInfo[] | undefined,
  facts: RepositoryFacts | undefined = snapshot.repository,
): RepoSnapshot {
  const unreadable = snapshot.unreadableFolders?.bind(snapshot);
  const lastChanges = snapshot.lastChanges?.bind(snapshot);
  const bytes = snapshot.bytes?.bind(snapshot);
  return {
    ...(unreadable === undefined ? {} : { unreadableFolders: unreadable }),
    ...(lastChanges === undefined ? {} : { lastChanges }),
    ...(bytes === undefined ? {} : { bytes }),
    name: snapshot.name,
    head: snapshot.head,
    ...(facts === undefined ? {} : { repository: facts }),
    files: () => snapshot.files(),
    has: (path) => snapshot.has(path),
    read: (path) => snapshot.read(path),
    grep: (needle, options) => snapshot.grep(needle, options),
    commits: () => commits,
  };
}
