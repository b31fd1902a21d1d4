import semver from 'semver';

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

/**
 * A tag such as `v1.2.3`, `1.2.3`, `v2.0.0-rc.1` or `1.2.3+build.5` (build metadata is dropped: SemVer gives it no
 * precedence); undefined for anything else (`release-2024`, `v1.2`, `01.2.3`). Parsing is semver's, strict, so a
 * tag that sorts is one that npm and every other SemVer tool read the same way.
 */
export function parseTag(tag: string): Version | undefined {
  const match = /^(v?)(\d.*)$/.exec(tag.trim());
  if (match === null) return undefined;
  const parsed = semver.parse(match[2]);
  if (parsed === null) return undefined;
  return {
    prefix: match[1] ?? '',
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: parsed.prerelease.join('.'),
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
  // Read back as a tag, so that a title semver would refuse (`1.4.0-beta.01`) is no version rather than a crash later.
  const version = parseTag(
    `${match[2]}.${match[3] ?? 0}.${match[4] ?? 0}${match[5] === undefined ? '' : `-${match[5]}`}`,
  );
  if (version === undefined) return undefined;
  const { prefix: _none, ...numbers } = version;
  return { ...(match[1] === '' ? {} : { prefix: 'v' }), ...numbers };
}

export function formatTag(version: Version): string {
  const core = `${version.major}.${version.minor}.${version.patch}`;
  return `${version.prefix}${core}${version.prerelease === '' ? '' : `-${version.prerelease}`}`;
}

function plain(version: Version): string {
  return formatTag({ ...version, prefix: '' });
}

/** SemVer precedence: numbers, then a release above its pre-releases, whose parts compare as numbers where they are. */
export function compareVersions(a: Version, b: Version): number {
  return semver.compare(plain(a), plain(b));
}

/**
 * The next version, as semver increments: `1.2.3` with a minor bump is `1.3.0`. A pre-release becomes the release it
 * leads up to when that is bump enough (`2.0.0-rc.1` is `2.0.0` on any bump, `1.3.0-rc.1` with a patch or minor
 * bump is `1.3.0`), and goes past it otherwise (`1.3.0-rc.1` with a major bump is `2.0.0`).
 */
export function bumpVersion(version: Version, bump: Bump): Version {
  const next = parseTag(semver.inc(plain(version), bump) ?? plain(version));
  if (next === undefined) throw new Error(`semver cannot increment ${formatTag(version)}`);
  return { ...next, prefix: version.prefix };
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
