import { auditOrganisation, type AuditOptions } from './audit.js';
import type { AuditOctokit } from './octokit.js';
import type { AuditReport } from './report.js';

/** One organisation's audit, as the App asks for it: on installation, on a schedule, or for a few repositories. */
export interface AuditJob {
  org: string;
  /** The App installation whose token reads the organisation; absent for a token given by hand. */
  installationId?: number;
  includeArchived?: boolean;
  includeForks?: boolean;
}

/**
 * Runs an audit job to its report. In-process by default; a queue (BullMQ on Redis) spreads the same job over
 * worker processes and still resolves to one report.
 */
export type AuditRunner = (job: AuditJob, octokit: AuditOctokit) => Promise<AuditReport>;

/** The embedded default: the whole audit in this process. */
export function inProcessRunner(extra: Partial<AuditOptions> = {}): AuditRunner {
  return (job, octokit) =>
    auditOrganisation({
      ...extra,
      octokit,
      org: job.org,
      ...(job.includeArchived === undefined ? {} : { includeArchived: job.includeArchived }),
      ...(job.includeForks === undefined ? {} : { includeForks: job.includeForks }),
    });
}
