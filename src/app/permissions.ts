/**
 * What the App asks of an organisation, and nothing more: app.yml is checked against these in a test, so a
 * handler that starts needing more fails there before anyone installs it.
 */
export const APP_PERMISSIONS = {
  /** Create and update the Openly check run. */
  checks: 'write',
  /**
   * Read the tree, files, commits and the configuration (repository and `<org>/.github`). Write is used only by
   * `fix: pull-request`, for the branch `openly/first-files` (never the default branch); without it, reading is all.
   */
  contents: 'write',
  /**
   * The organisation audit's tracking issue (and, when asked, one issue per repository): used only when the
   * organisation base sets `audit: { enforcement: issue }`; with the default `report` the App writes no issue.
   */
  issues: 'write',
  /** Every App has it; listed so that the manifest says so. It also brings the `repository` events. */
  metadata: 'read',
  /**
   * Read a pull request's commits. Write is used only by `fix: pull-request`: the one pull request adding the
   * first set of files.
   */
  pull_requests: 'write',
} as const;

/** The webhook events the handlers subscribe to. */
export const APP_EVENTS = [
  'check_run',
  'check_suite',
  'pull_request',
  'push',
  // A repository created, made private or public, archived or renamed is judged again at once, so that the
  // organisation's tracking issue shows a repository that went private without waiting for the daily audit.
  'repository',
] as const;

/**
 * Events GitHub sends every App without a subscription (and which a manifest cannot list): `installation` starts
 * the first audit of an organisation, `installation_repositories` audits the repositories added to it.
 */
export const APP_EVENTS_ALWAYS_SENT = ['installation', 'installation_repositories'] as const;

/** The name of the check run, as it shows on pull requests and in branch protection. */
export const CHECK_NAME = 'Openly';
