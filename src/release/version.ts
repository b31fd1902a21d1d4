/** A release version: SemVer's three numbers, an optional pre-release part, and how its tag is written. */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** `rc.1` of `v2.0.0-rc.1`; empty for a release. */
  prerelease: string;
  /** `v` or empty: the tag's style, kept for the next tag. */
  prefix: string;
}

export type Bump = 'major' | 'minor' | 'patch';

const TAG = /^(v?)(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** A tag such as `v1.2.3`, `1.2.3` or `v2.0.0-rc.1`; undefined for anything else (`release-2024`, `v1.2`). */
export function parseTag(tag: string): Version | undefined {
  const match = TAG.exec(tag.trim());
  if (match === null) return undefined;
  return {
    prefix: match[1] ?? '',
    major: Number(match[2]),
    minor: Number(match[3]),
    patch: Number(match[4]),
    prerelease: match[5] ?? '',
  };
}

/**
 * A milestone title that names a version, normalised: `v1.4.0`, `1.4` (→ 1.4.0), `v2` (→ 2.0.0), `Release 1.4`,
 * `Version 1.4.0-beta.1`. Undefined for titles such as `Private beta` or `Sprint 12`: those get the next version.
 * `prefix` is `v` when the title says so, else undefined (the caller keeps the repository's style).
 */
export function versionFromTitle(title: string): (Omit<Version, 'prefix'> & { prefix?: string }) | undefined {
  const match =
    /^(?:release|version)?\s*(v?)(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-([0-9A-Za-z.-]+))?$/i.exec(
      title.trim(),
    );
  if (match === null) return undefined;
  // A bare number ("12") is far more often a sprint or a count than a version.
  if (match[3] === undefined && match[1] === '') return undefined;
  return {
    ...(match[1] === '' ? {} : { prefix: 'v' }),
    major: Number(match[2]),
    minor: Number(match[3] ?? 0),
    patch: Number(match[4] ?? 0),
    prerelease: match[5] ?? '',
  };
}

export function formatTag(version: Version): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return `${version.prefix}${core}${version.prerelease === '' ? '' : `-${version.prerelease}`}`;
}

/** SemVer precedence, enough for picking the highest tag: numbers, then a release above its pre-releases. */
export function compareVersions(a: Version, b: Version): number {
  const numbers = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (numbers !== 0) return numbers;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1;
  if (b.prerelease === '') return -1;
  return a.prerelease < b.prerelease ? -1 : 1;
}

/** The next version: `1.2.3` with a minor bump is `1.3.0`; a pre-release `2.0.0-rc.1` becomes `2.0.0` on any bump. */
export function bumpVersion(version: Version, bump: Bump): Version {
  const base = { prefix: version.prefix, prerelease: '' };
  if (version.prerelease !== '') {
    return { ...base, major: version.major, minor: version.minor, patch: version.patch };
  }
  if (bump === 'major') return { ...base, major: version.major + 1, minor: 0, patch: 0 };
  if (bump === 'minor') return { ...base, major: version.major, minor: version.minor + 1, patch: 0 };
  return { ...base, major: version.major, minor: version.minor, patch: version.patch + 1 };
}

/** The largest bump the items' labels ask for, else `fallback`. Labels match without regard to case. */
export function bumpFromLabels(
  labels: Iterable<string>,
  versionLabels: { major: string[]; minor: string[]; patch: string[] },
  fallback: Bump,
): Bump {
  const seen = new Set([...labels].map((label) => label.toLowerCase()));
  const has = (list: string[]) => list.some((label) => seen.has(label.toLowerCase()));
  if (has(versionLabels.major)) return 'major';
  if (has(versionLabels.minor)) return 'minor';
  if (has(versionLabels.patch)) return 'patch';
  return fallback;
}
