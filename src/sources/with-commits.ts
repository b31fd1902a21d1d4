import type { AddedLines, CommitInfo, RepoSnapshot, RepositoryFacts } from './snapshot.js';

/**
 * A snapshot that also carries the commits under judgement, for sources that learn them separately, what those
 * commits added when the source can read their diffs (read once, when first asked), and what GitHub knows of the
 * repository (a checkout in CI, whose event payload says whether the repository is public).
 */
export function withCommits(
  snapshot: RepoSnapshot,
  commits: readonly CommitInfo[] | undefined,
  additions?: () => readonly AddedLines[] | undefined,
  facts: RepositoryFacts | undefined = snapshot.repository,
): RepoSnapshot {
  const unreadable = snapshot.unreadableFolders?.bind(snapshot);
  const containing = snapshot.filesContaining?.bind(snapshot);
  const lastChanges = snapshot.lastChanges?.bind(snapshot);
  const bytes = snapshot.bytes?.bind(snapshot);
  const changedFiles = snapshot.changedFiles?.bind(snapshot);
  let added: { value: readonly AddedLines[] | undefined } | undefined;
  return {
    ...(unreadable === undefined ? {} : { unreadableFolders: unreadable }),
    ...(containing === undefined ? {} : { filesContaining: containing }),
    ...(additions === undefined ? {} : { additions: () => (added ??= { value: additions() }).value }),
    ...(lastChanges === undefined ? {} : { lastChanges }),
    ...(bytes === undefined ? {} : { bytes }),
    ...(changedFiles === undefined ? {} : { changedFiles }),
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
