import type { RepoSnapshot, RepositoryFacts } from '../sources/snapshot.js';

/** The methods every snapshot has. */
type RequiredMethod = 'files' | 'has' | 'read' | 'grep';

/** The methods a source may leave out: derived from the interface, so a new one is forwarded without an edit here. */
type OptionalMethod = {
  [K in keyof RepoSnapshot]-?: undefined extends RepoSnapshot[K]
    ? NonNullable<RepoSnapshot[K]> extends (...args: never[]) => unknown
      ? K
      : never
    : never;
}[keyof RepoSnapshot];

// A record, not a list, so that the compiler refuses this file until a new optional method is named here too.
const OPTIONAL_METHODS: Record<OptionalMethod, true> = {
  commits: true,
  additions: true,
  filesContaining: true,
  unreadableFolders: true,
  lastChanges: true,
  bytes: true,
  changedFiles: true,
};
const REQUIRED_METHODS: readonly RequiredMethod[] = ['files', 'has', 'read', 'grep'];

type Method<K extends RequiredMethod | OptionalMethod> = NonNullable<RepoSnapshot[K]>;

/**
 * What a view changes of the snapshot under it. Each method's entry receives the snapshot's own method (bound to
 * it; undefined for an optional method the snapshot lacks) and gives the view's; undefined leaves the method out.
 */
export type SnapshotChanges = {
  name?: string;
  head?: string | null;
  repository?: RepositoryFacts | undefined;
} & { [K in RequiredMethod]?: (inner: Method<K>) => Method<K> } & {
  [K in OptionalMethod]?: (inner: Method<K> | undefined) => Method<K> | undefined;
};

/**
 * A snapshot that answers as `inner` does but for what `changes` says: wrappers (exclusions, commits learnt
 * apart, the engine's watch on what a check reads) override only what they change, and a method added to
 * `RepoSnapshot` reaches every check through them all.
 */
export function delegate(inner: RepoSnapshot, changes: SnapshotChanges = {}): RepoSnapshot {
  const repository = 'repository' in changes ? changes.repository : inner.repository;
  const view: Record<string, unknown> = {
    name: changes.name ?? inner.name,
    head: changes.head === undefined ? inner.head : changes.head,
    ...(repository === undefined ? {} : { repository }),
  };
  const wrap = changes as Record<string, ((method: unknown) => unknown) | undefined>;
  const own = inner as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;
  for (const key of [...REQUIRED_METHODS, ...(Object.keys(OPTIONAL_METHODS) as OptionalMethod[])]) {
    const method = own[key]?.bind(inner);
    const change = wrap[key];
    const answer = change === undefined ? method : change(method);
    if (answer !== undefined) view[key] = answer;
  }
  return view as unknown as RepoSnapshot;
}
