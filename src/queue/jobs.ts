import type { RateLimitInfo } from '../org/ask.js';
import type { ConfigText } from '../org/config.js';
import type { AuditedRepository } from '../org/report.js';
import type { WireRepository } from '../org/wire.js';

// A listed repository travels in a job as the audit's kept state holds it: one serialiser for both.
export { fromWire, toWire, type WireRepository } from '../org/wire.js';

/** The queue every audit batch goes through; workers and the App must agree on it (and on the key prefix). */
export const AUDIT_QUEUE = 'openly-audit';
export const BATCH_JOB = 'batch';

/** One batch of an organisation's repositories (a listing page), with all a worker needs to judge it. */
export interface BatchJobData {
  org: string;
  /** The App installation whose token the worker mints; absent when the worker reads with its own GITHUB_TOKEN. */
  installationId?: number;
  /** Where this batch stands in the listing, so that the report keeps the listing's order. */
  index: number;
  base?: ConfigText;
  includeArchived?: boolean;
  includeForks?: boolean;
  /** GitHub's GraphQL budget as the listing last saw it, so that the reads wait for the reset when it is spent. */
  rateLimit?: RateLimitInfo;
  repositories: WireRepository[];
}

export interface BatchResult {
  index: number;
  repositories: AuditedRepository[];
}

/**
 * The Bottleneck id under which GitHub requests are spaced and counted: one per installation, so that one busy
 * organisation waits for its own requests only, and every process reading for that installation shares it.
 */
export function throttleId(installationId: number | undefined): string {
  return installationId === undefined ? 'openly-token' : `openly-installation-${installationId}`;
}

/** The repositories of a batch that could not be judged, each failing with the reason, never dropped. */
export function unjudged(data: BatchJobData, reason: string): AuditedRepository[] {
  return data.repositories.map((repo) => ({
    name: repo.name,
    visibility: repo.visibility,
    archived: repo.archived,
    fork: repo.fork,
    defaultBranch: repo.defaultBranch,
    pushedAt: repo.pushedAt,
    status: 'failing',
    reason,
    results: [],
  }));
}
