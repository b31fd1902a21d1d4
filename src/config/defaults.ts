import type { CheckLevel, ConfigurableCheck, ReleaseNotesConfig } from './types.js';

/** Fresh default options of each check that has a key in the configuration, from the checks themselves. */
export function defaultOptions(checks: readonly ConfigurableCheck[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const check of checks) if (check.options !== undefined) options[check.id] = check.options.defaults();
  return options;
}

/**
 * The levels the defaults spell out. A check not named here runs at `error` all the same; these two are kept
 * because callers read `DEFAULT_CONFIG.levels` (built with the registry in `src/checks/index.ts`).
 */
export const DEFAULT_LEVELS: Readonly<Record<string, CheckLevel>> = Object.freeze({
  licence: 'error',
  'community-files': 'error',
});

/** Freezes a value and everything in it, so that no caller can change shared defaults. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

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
