import type { ArtefactsOptions, LicenceOptions, ReleaseNotesConfig, ResolvedConfig } from './types.js';

/**
 * Open licences that UK public-sector policy accepts for code and documentation (NHS open source policy §4c, GDS
 * Way). Older OGL versions and non-commercial licences are left out on purpose, so that a repository using one is
 * told to move to OGL v3.0.
 */
export const DEFAULT_ALLOWED_LICENCES: readonly string[] = Object.freeze([
  'MIT',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'ISC',
  '0BSD',
  'MIT-0',
  'MPL-2.0',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'LGPL-2.1-only',
  'LGPL-2.1-or-later',
  'LGPL-3.0-only',
  'LGPL-3.0-or-later',
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'EUPL-1.2',
  'CC0-1.0',
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'OGL-UK-3.0',
]);

/** The ids of the checks the configuration file knows, in the order the schema lists them. */
export const CONFIGURABLE_CHECKS = ['licence', 'community-files', 'artefacts'] as const;

/**
 * Default options of the artefacts check: no mappings, and the pack's usual places searched. The check merges its
 * configured options over these itself, so that `DEFAULT_CONFIG` stays what existing tools compare against.
 */
export function defaultArtefactsOptions(): ArtefactsOptions {
  return { files: [], detect: true };
}

/** Fresh default options per check, so that a caller changing its copy cannot change the next run's defaults. */
export function defaultOptions(): Record<string, unknown> {
  const licence: LicenceOptions = { allowed: [...DEFAULT_ALLOWED_LICENCES], paths: [] };
  return { licence, 'community-files': {} };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** What Openly uses when a repository has no `.github/openly.yml`: every check on, at `error`. Frozen. */
export const DEFAULT_CONFIG: ResolvedConfig = deepFreeze({
  levels: { licence: 'error', 'community-files': 'error' },
  options: defaultOptions(),
  rules: {},
  sources: [],
});

/**
 * Defaults of the `release-notes:` section: the headings GOV.UK teams use, plus documentation and open working, and
 * the labels GitHub's and release-drafter's users already put on pull requests.
 */
export function defaultReleaseNotesConfig(): ReleaseNotesConfig {
  return {
    categories: [
      { title: 'Breaking changes', labels: ['breaking', 'breaking-change', 'major'] },
      { title: 'New features', labels: ['feature', 'enhancement', 'minor'] },
      { title: 'Deprecated features', labels: ['deprecated', 'deprecation'] },
      { title: 'Bug fixes', labels: ['bug', 'fix', 'bugfix'] },
      { title: 'Documentation', labels: ['documentation', 'docs'] },
      { title: 'Open working', labels: ['open-working', 'governance', 'design-history', 'weeknotes'] },
    ],
    otherTitle: 'Other changes',
    excludeLabels: ['skip-changelog', 'no-release-notes'],
    versionLabels: {
      major: ['major', 'breaking', 'breaking-change'],
      minor: ['minor', 'feature', 'enhancement'],
      patch: ['patch', 'bug', 'fix', 'bugfix'],
    },
    defaultBump: 'patch',
    initialVersion: '0.1.0',
    tagPrefix: 'v',
    header: '',
    footer: '',
    line: '- $TITLE (#$NUMBER) by @$AUTHOR',
    artefacts: true,
    contributors: true,
  };
}
