import type { CheckStatus, ReportFinding } from '../core/report.js';

/** A repository's verdict: `compliant` has no error finding; `skipped` was not judged (archived, fork, empty). */
export type RepositoryStatus = 'compliant' | 'failing' | 'skipped';

/** One check's result for one repository, shaped as in `openly check --format json`. */
export interface AuditCheckResult {
  check: string;
  status: CheckStatus;
  /** Why the check judged nothing (status `skip`). */
  skipped?: string;
  /** What went wrong running it (status `error`). */
  error?: string;
  /** What the audit could judge, when it is less than `openly check` judges (the secrets check's files). */
  note?: string;
  findings: ReportFinding[];
}

export interface AuditedRepository {
  name: string;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  fork: boolean;
  defaultBranch: string | null;
  pushedAt: string | null;
  status: RepositoryStatus;
  /** Why a repository was skipped, or could not be judged. */
  reason?: string;
  results: AuditCheckResult[];
}

/**
 * The organisation audit: the exact JSON contract of `openly audit --format json` and of `report.json`
 * (issue 11). Fields are only ever added, never renamed.
 */
export interface AuditReport {
  tool: 'openly';
  version: string;
  organisation: string;
  /** ISO 8601, when the audit started. */
  auditedAt: string;
  summary: { repositories: number; compliant: number; failing: number; skipped: number };
  repositories: AuditedRepository[];
}

export function summariseAudit(repositories: readonly AuditedRepository[]): AuditReport['summary'] {
  const summary = { repositories: repositories.length, compliant: 0, failing: 0, skipped: 0 };
  for (const repo of repositories) summary[repo.status]++;
  return summary;
}
