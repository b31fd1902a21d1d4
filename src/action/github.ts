/**
 * The Action's own GitHub requests: one GraphQL read for the status page, the commit status, and the status page
 * published to a branch through the Git data API. Failures become sentences that name the missing permission.
 */
import { readFileSync } from 'node:fs';
import type { Octokit } from '@octokit/core';
import type { LatestRelease, MilestoneProgress } from '../status/model.js';
import { BranchRefusedError, commitFiles, gitBlobSha, type BranchHead } from '../github/commit-files.js';
import { explainFailure, GitHubFailure } from '../github/failure.js';
import { shortDescription, type CommitStatus } from '../sinks/commit-status.js';

/** What the Action needs of an Octokit, so tests and the release library can share one. */
export type ActionOctokit = Pick<Octokit, 'request' | 'graphql'>;

export interface Repo {
  owner: string;
  repo: string;
}

export const STATUS_CONTEXT_QUERY = readFileSync(
  new URL('./github/status-context.graphql', import.meta.url),
  'utf8',
);

/** The commit status's name on the commit: branch protection can require it. */
export const STATUS_CONTEXT = 'openly/governance';

/** A GitHub request failed; the message says what was under way and what to do. */
export class GitHubActionError extends GitHubFailure {
  override name = 'GitHubActionError';
}

/** A workflow's token gets its permissions from the job's `permissions:`. */
function grantInWorkflow(permissions: readonly string[]): string {
  return permissions.length === 1
    ? `add "permissions: ${permissions[0]}" to the job (see docs/action.md)`
    : `add ${permissions.map((p) => `"${p}"`).join(' and ')} to the job's "permissions:" (see docs/action.md)`;
}

/**
 * A sentence for a failed request: a refusal names the permission the job must grant; never the request itself,
 * whose headers carry the token.
 */
export function gitHubError(error: unknown, doing: string, permission: string): GitHubActionError {
  if (error instanceof GitHubActionError) return error;
  const { message, status } = explainFailure(error, {
    doing,
    permissions: [permission],
    grant: grantInWorkflow,
    credentials: 'check the "token" input, or leave it unset to use the workflow\'s GITHUB_TOKEN',
  });
  return new GitHubActionError(message, status);
}

// ------------------------------------------------------------------------------------------- status context

interface Count {
  totalCount: number;
}

interface StatusContextAnswer {
  repository: {
    latestRelease: { tagName: string; name: string | null; url: string; publishedAt: string | null } | null;
    milestones: {
      nodes:
        | ({
            number: number;
            title: string;
            url: string;
            dueOn: string | null;
            openIssues: Count;
            closedIssues: Count;
            openPullRequests: Count;
            closedPullRequests: Count;
          } | null)[]
        | null;
    } | null;
  } | null;
}

export interface StatusContext {
  latestRelease?: LatestRelease;
  milestone?: MilestoneProgress;
  /** Set when GitHub answered only part: what it said. */
  partial?: string;
}

/**
 * The latest release and the open milestone due soonest (milestones without a due date come after those with
 * one), in one request.
 */
export async function readStatusContext(octokit: ActionOctokit, repo: Repo): Promise<StatusContext> {
  let answer: StatusContextAnswer;
  try {
    answer = await octokit.graphql<StatusContextAnswer>(STATUS_CONTEXT_QUERY, {
      owner: repo.owner,
      repo: repo.repo,
    });
  } catch (error) {
    // A token without issues or pull-requests read gets the release but errors for the milestone's counts:
    // what GitHub did answer is still shown, and the caller warns with the reason.
    const partial = (error as { data?: StatusContextAnswer }).data;
    if (error instanceof Error && error.name === 'GraphqlResponseError' && partial?.repository) {
      return { ...contextOf(partial), partial: error.message };
    }
    throw gitHubError(error, 'reading the latest release and milestones', 'contents: read');
  }
  return contextOf(answer);
}

function contextOf(answer: StatusContextAnswer): StatusContext {
  const repository = answer.repository;
  if (repository === null) return {};
  const context: StatusContext = {};
  const release = repository.latestRelease;
  if (release !== null) {
    context.latestRelease = {
      tag: release.tagName,
      name: release.name ?? release.tagName,
      url: release.url,
      publishedAt: release.publishedAt ?? '',
    };
  }
  const milestones = (repository.milestones?.nodes ?? []).filter(
    (m): m is NonNullable<typeof m> => m !== null,
  );
  const dated = milestones.filter((m) => m.dueOn !== null);
  const first = dated[0] ?? milestones[0];
  if (first !== undefined) {
    context.milestone = {
      title: first.title,
      url: first.url,
      open: first.openIssues.totalCount + first.openPullRequests.totalCount,
      closed: first.closedIssues.totalCount + first.closedPullRequests.totalCount,
      ...(first.dueOn === null ? {} : { dueOn: first.dueOn }),
    };
  }
  return context;
}

// -------------------------------------------------------------------------------------------- commit status

export async function setCommitStatus(
  octokit: ActionOctokit,
  repo: Repo,
  sha: string,
  status: CommitStatus,
): Promise<void> {
  try {
    await octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
      owner: repo.owner,
      repo: repo.repo,
      sha,
      state: status.state,
      context: STATUS_CONTEXT,
      description: shortDescription(status.description),
      ...(status.targetUrl === undefined ? {} : { target_url: status.targetUrl }),
    });
  } catch (error) {
    throw gitHubError(error, `setting the commit status ${STATUS_CONTEXT}`, 'statuses: write');
  }
}

// ------------------------------------------------------------------------------------------------ pages

/** Kept here too, where the Action's callers have always found it. */
export { gitBlobSha };

export interface PagesResult {
  action: 'created' | 'updated' | 'unchanged';
  branch: string;
  commit: string;
}

export interface PublishOptions {
  /**
   * The files as this run would have written them at the time the branch's head commit records (from its message),
   * or undefined when the message records none. A page that differs only in when it was made is not a change.
   */
  asRecorded?: (headMessage: string) => Record<string, string> | undefined;
}

/**
 * Publishes `files` (path → text) at the top of `branch`: one commit whose parent is the branch's head, or the
 * branch's first commit when it does not exist yet. When every file already has this content (or would have, but
 * for the time it was made) nothing is written, so a re-run adds no commit. Other files on the branch are kept.
 */
export async function publishToBranch(
  octokit: ActionOctokit,
  repo: Repo,
  branch: string,
  files: Record<string, string>,
  message: string,
  options: PublishOptions = {},
): Promise<PagesResult> {
  const doing = `publishing the status page to the branch ${branch}`;
  try {
    const held = (head: BranchHead, set: Record<string, string>): boolean =>
      Object.entries(set).every(([path, text]) => head.blobs.get(path) === gitBlobSha(text));
    return await commitFiles(octokit, {
      ...repo,
      branch,
      files,
      message,
      unchanged: (head) => {
        if (held(head, files)) return true;
        const recorded = options.asRecorded?.(head.message);
        return recorded !== undefined && held(head, recorded);
      },
    });
  } catch (error) {
    if (error instanceof BranchRefusedError) {
      throw new GitHubActionError(
        `The branch ${branch} ${error.reason === 'exists' ? 'was made' : 'moved'} by someone else while Openly was ` +
          'publishing the status page, so nothing was overwritten; run the job again to publish on top of it ' +
          '(a "concurrency:" group in the workflow keeps two runs from publishing at once)',
        422,
      );
    }
    throw gitHubError(error, doing, 'contents: write');
  }
}
