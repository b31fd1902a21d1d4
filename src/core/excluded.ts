import type { RepoSnapshot } from '../sources/snapshot.js';
import { compileGlobs } from './glob.js';
import { delegate } from './snapshot-view.js';

/**
 * The snapshot without the files `exclude:` names (vendored code, fixtures, generated files): to every check they
 * simply are not there.
 */
export function withoutExcluded(snapshot: RepoSnapshot, globs: readonly string[]): RepoSnapshot {
  if (globs.length === 0) return snapshot;
  const excluded = compileGlobs(globs);
  const files = snapshot.files().filter((path) => !excluded.test(path));
  const present = new Set(files);
  return delegate(snapshot, {
    files: () => () => files,
    has: () => (path) => present.has(path),
    read: (read) => (path) => (present.has(path) ? read(path) : { kind: 'missing' }),
    grep: (grep) => (needle, options) => {
      const result = grep(needle, options);
      return { matches: result.matches.filter((m) => present.has(m.path)), complete: result.complete };
    },
    filesContaining: (containing) =>
      containing &&
      ((needles) => {
        const found = containing(needles);
        return found === undefined
          ? undefined
          : { paths: found.paths.filter((path) => present.has(path)), complete: found.complete };
      }),
    additions: (additions) => additions && (() => additions()?.filter((added) => !excluded.test(added.path))),
    bytes: (bytes) => bytes && ((path) => (present.has(path) ? bytes(path) : undefined)),
  });
}
