/**
 * The commit status a governance status becomes: its state and the one line GitHub shows beside the commit and in
 * pull requests. Setting it on GitHub is the door's business.
 */
import type { GovernanceStatus, OverallStatus } from '../status/model.js';
import { plural } from '../core/words.js';

export type CommitState = 'success' | 'failure' | 'error' | 'pending';

export interface CommitStatus {
  state: CommitState;
  description: string;
  targetUrl?: string;
}

/** GitHub refuses a commit status whose description is longer than 140 characters. */
export const MAX_DESCRIPTION = 140;

/** A warning does not block a merge; a failed or unfinished judgement does. */
export const STATE: Record<OverallStatus, CommitState> = {
  pass: 'success',
  warn: 'success',
  fail: 'failure',
  error: 'error',
};

/** The description on one line, within GitHub's limit, cut with an ellipsis rather than refused. */
export function shortDescription(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return [...flat].length <= MAX_DESCRIPTION ? flat : `${[...flat].slice(0, MAX_DESCRIPTION - 1).join('')}…`;
}

/** The commit status's one line. */
export function describe(status: GovernanceStatus): string {
  const { errors, warnings, checks: total } = status.summary;
  const crashed = status.checks.filter((check) => check.status === 'error').map((check) => check.id);
  switch (status.overall) {
    case 'pass':
      return `All ${plural(total, 'check')} pass`;
    case 'warn':
      return `${plural(warnings, 'warning')}, no errors, in ${plural(total, 'check')}`;
    case 'fail':
      return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(total, 'check')}`;
    case 'error':
      return `Could not finish: ${crashed.join(', ') || 'a check'}`;
  }
}

/** The status to set for a judged commit, linking to `targetUrl` when there is one. */
export function commitStatusOf(status: GovernanceStatus, targetUrl?: string): CommitStatus {
  return {
    state: STATE[status.overall],
    description: shortDescription(describe(status)),
    ...(targetUrl === undefined ? {} : { targetUrl }),
  };
}

/** The status to set when nothing was judged because the configuration is invalid; `where` names the problem. */
export function brokenConfigStatus(where: string, targetUrl?: string): CommitStatus {
  return {
    state: 'error',
    description: shortDescription(`Configuration invalid: ${where}`),
    ...(targetUrl === undefined ? {} : { targetUrl }),
  };
}
