import type { CommitInfo, RepoSnapshot } from './snapshot.js';

/** A snapshot that also carries the commits under judgement, for sources that learn them separately. */
export function withCommits(
  snapshot: RepoSnapshot,
  commits: readonly CommitInfo[] | undefined,
): RepoSnapshot {
  const unreadable = snapshot.unreadableFolders?.bind(snapshot);
  return {
    ...(unreadable === undefined ? {} : { unreadableFolders: unreadable }),
    name: snapshot.name,
    head: snapshot.head,
    ...(snapshot.repository === undefined ? {} : { repository: snapshot.repository }),
    files: () => snapshot.files(),
    has: (path) => snapshot.has(path),
    read: (path) => snapshot.read(path),
    grep: (needle, options) => snapshot.grep(needle, options),
    commits: () => commits,
  };
}
