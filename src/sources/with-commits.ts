import { delegate } from '../core/snapshot-view.js';
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
  let added: { value: readonly AddedLines[] | undefined } | undefined;
  return delegate(snapshot, {
    repository: facts,
    commits: () => () => commits,
    // The snapshot's own additions, if it had any, belong to other commits than these.
    additions: () => additions && (() => (added ??= { value: additions() }).value),
  });
}
