import { defaultReleaseNotesConfig } from '../config/defaults.js';
import { resolveConfig } from '../config/load.js';
import type { ReleaseNotesConfig } from '../config/types.js';

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function strings(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : fallback;
}

/**
 * The `release-notes:` section (as parsed from `.github/openly.yml`, or `config.options['release-notes']` of a
 * resolved configuration) with every default applied. `undefined` gives the defaults. The section is validated
 * against the configuration schema first, so a caller that skipped loading still gets a `ConfigError` naming the
 * key, never a silent default.
 */
export function resolveReleaseNotesConfig(raw: unknown): ReleaseNotesConfig {
  const defaults = defaultReleaseNotesConfig();
  if (raw === undefined || raw === null) return defaults;
  // Throws a ConfigError worded as for a file, naming the key (`release-notes.default-bump: ...`).
  resolveConfig(
    { 'release-notes': raw },
    { knownRules: new Set(), checks: [], file: 'release-notes configuration' },
  );
  const section = raw as Mapping;
  const versionLabels = isMapping(section['version-labels']) ? section['version-labels'] : {};
  const categories = Array.isArray(section.categories)
    ? section.categories.filter(isMapping).map((entry) => ({
        title: String(entry.title),
        labels: strings(entry.labels, []),
      }))
    : defaults.categories;
  const text = (key: string, fallback: string): string =>
    typeof section[key] === 'string' ? section[key] : fallback;
  const flag = (key: string, fallback: boolean): boolean =>
    typeof section[key] === 'boolean' ? section[key] : fallback;
  const bump = section['default-bump'];
  return {
    categories,
    otherTitle: text('other-title', defaults.otherTitle),
    excludeLabels: strings(section['exclude-labels'], defaults.excludeLabels),
    versionLabels: {
      major: strings(versionLabels.major, defaults.versionLabels.major),
      minor: strings(versionLabels.minor, defaults.versionLabels.minor),
      patch: strings(versionLabels.patch, defaults.versionLabels.patch),
    },
    defaultBump: bump === 'major' || bump === 'minor' || bump === 'patch' ? bump : defaults.defaultBump,
    initialVersion: text('initial-version', defaults.initialVersion).replace(/^v/, ''),
    tagPrefix: text('tag-prefix', defaults.tagPrefix),
    header: text('header', defaults.header),
    footer: text('footer', defaults.footer),
    line: text('line', defaults.line),
    artefacts: flag('artefacts', defaults.artefacts),
    contributors: flag('contributors', defaults.contributors),
  };
}
