import type { GovernanceStatus } from '../status/model.js';
import { plural } from '../core/words.js';

/**
 * A shields.io endpoint badge (https://shields.io/badges/endpoint-badge): written as `status.json`, it is shown
 * with `https://img.shields.io/endpoint?url=<where status.json is served>`.
 */
export interface EndpointBadge {
  schemaVersion: 1;
  label: string;
  /** shields.io refuses an empty message. */
  message: string;
  color: string;
}

/**
 * `passing` (green), `3 warnings` (yellow), `2 errors` (red), or `check error` (light grey) when a check could
 * not finish and nothing failed: the badge must never say passing about a repository that was not fully judged.
 */
export function statusBadge(status: GovernanceStatus): EndpointBadge {
  const { errors, warnings } = status.summary;
  switch (status.overall) {
    case 'fail':
      return {
        schemaVersion: 1,
        label: 'openly',
        message: errors > 0 ? plural(errors, 'error') : 'failing',
        color: 'red',
      };
    case 'error':
      return { schemaVersion: 1, label: 'openly', message: 'check error', color: 'lightgrey' };
    case 'warn':
      return {
        schemaVersion: 1,
        label: 'openly',
        message: warnings > 0 ? plural(warnings, 'warning') : 'warnings',
        color: 'yellow',
      };
    case 'pass':
      return { schemaVersion: 1, label: 'openly', message: 'passing', color: 'green' };
  }
}
