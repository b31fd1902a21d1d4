/** Which release step a run takes, from the `mode` input and, in `auto`, from the event. */
import { field, type ActionContext } from './context.js';
import type { Mode } from './inputs.js';

export type ReleaseStep =
  { kind: 'release-notes' } | { kind: 'milestone'; number: number; title: string } | { kind: 'publish' };

export interface Plan {
  /** The release step, when the run takes one; the status step runs on every run. */
  release?: ReleaseStep;
  /** Why, for the log. */
  reason: string;
}

export class PlanError extends Error {
  override name = 'PlanError';
}

function milestoneOf(context: ActionContext): ReleaseStep | undefined {
  const number = field(context.payload, 'milestone', 'number');
  const title = field(context.payload, 'milestone', 'title');
  if (typeof number !== 'number' || typeof title !== 'string') return undefined;
  return { kind: 'milestone', number, title };
}

export function defaultBranchOf(context: ActionContext): string | undefined {
  const branch = field(context.payload, 'repository', 'default_branch');
  return typeof branch === 'string' && branch !== '' ? branch : undefined;
}

export function planRun(mode: Mode, context: ActionContext): Plan {
  switch (mode) {
    case 'status':
      return { reason: 'mode: status' };
    case 'release-notes':
      return { release: { kind: 'release-notes' }, reason: 'mode: release-notes' };
    case 'publish':
      return { release: { kind: 'publish' }, reason: 'mode: publish' };
    case 'milestone': {
      const step = milestoneOf(context);
      if (step === undefined) {
        throw new PlanError(
          `mode "milestone" needs a milestone event, whose payload names the milestone; this run is a "${context.eventName || 'unknown'}" event. Run it on "milestone: types: [closed]"`,
        );
      }
      return { release: step, reason: 'mode: milestone' };
    }
    case 'diagrams':
      // Never part of auto: it writes to the branch and needs Chromium, so a workflow opts in to it.
      return { reason: 'mode: diagrams' };
    case 'audit':
      // The organisation audit replaces the status step: the checkout is not judged.
      return { reason: 'mode: audit' };
    case 'auto':
      return autoPlan(context);
  }
}

function autoPlan(context: ActionContext): Plan {
  const event = context.eventName;
  if (event === 'push') {
    const branch = defaultBranchOf(context);
    const ref = field(context.payload, 'ref') ?? context.ref;
    if (field(context.payload, 'deleted') === true) return { reason: 'push deleting a branch: status only' };
    if (branch !== undefined && ref === `refs/heads/${branch}`) {
      return { release: { kind: 'release-notes' }, reason: `push to the default branch ${branch}` };
    }
    if (branch === undefined) {
      return {
        reason: `push to ${typeof ref === 'string' ? ref : 'a branch'}, but the event does not name the default branch, so no release notes: status only`,
      };
    }
    return {
      reason: `push to ${typeof ref === 'string' ? ref : 'a branch'}, not the default branch: status only`,
    };
  }
  if (event === 'milestone') {
    const action = field(context.payload, 'action');
    const step = milestoneOf(context);
    if (action === 'closed' && step !== undefined) {
      return { release: step, reason: `milestone "${step.kind === 'milestone' ? step.title : ''}" closed` };
    }
    if (action === 'closed') {
      return {
        reason:
          'milestone closed, but the event names no milestone number and title, so no release was made: status only',
      };
    }
    return { reason: `milestone ${typeof action === 'string' ? action : 'event'}: status only` };
  }
  if (event === 'workflow_dispatch')
    return { release: { kind: 'publish' }, reason: 'workflow_dispatch: publish the draft' };
  return { reason: `${event || 'unknown'} event: status only` };
}

/** The commits a run judges: what a push added; unset, what the branch adds to the default branch. */
export function pushedRange(context: ActionContext): string | undefined {
  const before = field(context.payload, 'before');
  return context.eventName === 'push' && typeof before === 'string' && !/^0+$/.test(before)
    ? `${before}..HEAD`
    : undefined;
}

/** Where GitHub Pages serves a project's site on github.com; on GitHub Enterprise Server the address varies. */
export function pagesUrl(context: ActionContext): string | undefined {
  if (context.serverUrl !== 'https://github.com') return undefined;
  const owner = context.owner.toLowerCase();
  return context.repo.toLowerCase() === `${owner}.github.io`
    ? `https://${owner}.github.io/`
    : `https://${owner}.github.io/${context.repo}/`;
}

/** Why this run is not on the default branch, or undefined when it is (or the event does not say). */
export function notOnDefaultBranch(context: ActionContext): string | undefined {
  const branch = defaultBranchOf(context);
  if (branch === undefined || context.ref === undefined) return undefined;
  if (context.ref === `refs/heads/${branch}`) return undefined;
  return `the page is published only from the default branch ${branch}, and this run is on ${context.ref}`;
}

/** The head repository of a pull request from a fork, whose runs get a read-only token. */
export function forkPullRequest(context: ActionContext): string | undefined {
  // pull_request_target runs in the base repository with its own token, so only pull_request is read-only.
  if (context.eventName !== 'pull_request') return undefined;
  const head = field(context.payload, 'pull_request', 'head', 'repo', 'full_name');
  const base = field(context.payload, 'repository', 'full_name');
  if (typeof head !== 'string' || typeof base !== 'string') return undefined;
  return head.toLowerCase() === base.toLowerCase() ? undefined : head;
}
