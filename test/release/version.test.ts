import { describe, expect, it } from 'vitest';
import {
  bumpFromLabels,
  bumpVersion,
  compareVersions,
  formatTag,
  parseTag,
  versionFromTitle,
} from '../../src/release/version.js';

const LABELS = { major: ['breaking'], minor: ['enhancement'], patch: ['bug'] };

describe('versions', () => {
  it.each([
    ['v1.2.3', 'minor', 'v1.3.0'],
    ['1.2.3', 'major', '2.0.0'],
    ['v1.2.3', 'patch', 'v1.2.4'],
    ['v0.9.9', 'minor', 'v0.10.0'],
    ['v2.0.0-rc.2', 'patch', 'v2.0.0'],
    ['v2.0.0-rc.2', 'major', 'v2.0.0'],
    ['v1.3.0-rc.10', 'minor', 'v1.3.0'],
    ['v1.3.0-rc.10', 'major', 'v2.0.0'],
    ['1.3.1-beta.1', 'minor', '1.4.0'],
  ] as const)('%s with a %s bump is %s, keeping the tag style', (tag, bump, next) => {
    expect(formatTag(bumpVersion(parseTag(tag)!, bump))).toBe(next);
  });

  it.each(['release-2024', 'v1.2', '01.2.3', 'v1.2.3.4', '', 'vv1.2.3', '=1.2.3', 'v1.2.3-rc.01'])(
    '%j is not a SemVer tag',
    (tag) => {
      expect(parseTag(tag)).toBeUndefined();
    },
  );

  it.each([
    ['v1.4.0', 'v', '1.4.0'],
    ['1.4', undefined, '1.4.0'],
    ['v2', 'v', '2.0.0'],
    ['Release 1.4', undefined, '1.4.0'],
    ['version v3.1.2-beta.1', 'v', '3.1.2-beta.1'],
  ] as const)('milestone title %j is version %s%s', (title, prefix, version) => {
    const found = versionFromTitle(title)!;
    expect(found.prefix).toBe(prefix);
    expect(formatTag({ ...found, prefix: '' })).toBe(version);
  });

  it.each(['Private beta', 'Sprint 12', '12', 'Q3 2026', 'v1.4 and more', '1.4.0-beta.01'])(
    'milestone title %j is not a version',
    (title) => {
      expect(versionFromTitle(title)).toBeUndefined();
    },
  );

  it('takes the largest bump any label asks for, and the default when none does', () => {
    expect(bumpFromLabels(['bug', 'Enhancement'], LABELS, 'patch')).toBe('minor');
    expect(bumpFromLabels(['bug', 'BREAKING'], LABELS, 'patch')).toBe('major');
    expect(bumpFromLabels(['question'], LABELS, 'minor')).toBe('minor');
  });

  it('orders a release above its pre-releases', () => {
    expect(compareVersions(parseTag('v2.0.0')!, parseTag('v2.0.0-rc.1')!)).toBeGreaterThan(0);
    expect(compareVersions(parseTag('v1.10.0')!, parseTag('v1.9.0')!)).toBeGreaterThan(0);
  });

  it('orders pre-releases by their numbers, not as text', () => {
    const sorted = ['v1.0.0', 'v1.0.0-rc.2', 'v1.0.0-rc.10', 'v1.0.0-beta.11', 'v1.0.0-rc.1', 'v0.9.0']
      .map((tag) => parseTag(tag)!)
      .sort(compareVersions)
      .map(formatTag);
    expect(sorted).toEqual([
      'v0.9.0',
      'v1.0.0-beta.11',
      'v1.0.0-rc.1',
      'v1.0.0-rc.2',
      'v1.0.0-rc.10',
      'v1.0.0',
    ]);
    expect(compareVersions(parseTag('1.0.0-rc.10')!, parseTag('v1.0.0-rc.2')!)).toBeGreaterThan(0);
  });

  it('ignores build metadata, as SemVer says', () => {
    const built = parseTag('v1.0.0+build.7')!;
    expect(compareVersions(built, parseTag('v1.0.0+build.12')!)).toBe(0);
    expect(compareVersions(built, parseTag('v1.0.0-rc.10+exp.sha.5114f85')!)).toBeGreaterThan(0);
    expect(formatTag(bumpVersion(built, 'patch'))).toBe('v1.0.1');
  });
});
