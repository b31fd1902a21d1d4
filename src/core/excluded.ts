import type { GrepResult, RepoSnapshot } from '../sources/snapshot.js';
import { compileGlobs } from './glob.js';

/**
 * The snapshot without the files `exclude:` names (vendored code, fixtures, generated files): to every check they
 * simply are not there.
 */
export function withoutExcluded(snapshot: RepoSnapshot, globs: readonly string[]): RepoSnapshot {
  if (globs.length === 0) return snapshot;
  const excluded = compileGlobs(globs);
  const files = snapshot.files().filter((path) => !excluded.test(path));
  const present = new Set(files);
  const view: RepoSnapshot = {
    name: snapshot.name,
    head: snapshot.head,
    ...(snapshot.repository === undefined ? {} : { repository: snapshot.repository }),
    files: () => files,
    has: (path) => present.has(path),
    read: (path) => (present.has(path) ? snapshot.read(path) : { kind: 'missing' }),
    grep: (needle, options): GrepResult => {
      const result = snapshot.grep(needle, options);
      return { matches: result.matches.filter((m) => present.has(m.path)), complete: result.complete };
    },
  };
  const containing = snapshot.filesContaining?.bind(snapshot);
  if (containing !== undefined) {
    view.filesContaining = (needles) => {
      const found = containing(needles);
      return found === undefined
        ? undefined
        : { paths: found.paths.filter((path) => present.has(path)), complete: found.complete };
    };
  }
  const additions = snapshot.additions?.bind(snapshot);
  if (additions !== undefined) {
    view.additions = () => additions()?.filter((added) => !excluded.test(added.path));
  }
  const commits = snapshot.commits?.bind(snapshot);
  const lastChanges = snapshot.lastChanges?.bind(snapshot);
  const bytes = snapshot.bytes?.bind(snapshot);
  const changedFiles = snapshot.changedFiles?.bind(snapshot);
  return {
    ...view,
    ...(commits === undefined ? {} : { commits }),
    ...(changedFiles === undefined ? {} : { changedFiles }),
    ...(lastChanges === undefined ? {} : { lastChanges }),
    ...(bytes === undefined
      ? {}
      : { bytes: (path: string) => (present.has(path) ? bytes(path) : undefined) }),
  };
}
