/**
 * What the App asks of an organisation, and nothing more: app.yml is checked against these in a test, so a
 * handler that starts needing more fails there before anyone installs it.
 */
export const APP_PERMISSIONS = {
  /** Create and update the Openly check run. */
  checks: 'write',
  /** Read the tree, files, commits and the configuration (repository and `<org>/.github`). */
  contents: 'read',
  /** Every App has it; listed so that the manifest says so. */
  metadata: 'read',
  /** Read a pull request's commits. */
  pull_requests: 'read',
} as const;

/** The webhook events the handlers subscribe to. */
export const APP_EVENTS = ['check_run', 'check_suite', 'pull_request', 'push'] as const;

/** The name of the check run, as it shows on pull requests and in branch protection. */
export const CHECK_NAME = 'Openly';
