/**
 * The Action's own GitHub requests: one GraphQL read for the status page, the commit status, and the status page
 * published to a branch through the Git data API. Failures become sentences that name the missing permission.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Octokit } from '@octokit/core';
import type { LatestRelease, MilestoneProgress } from '../status/model.js';
import { explainFailure, GitHubFailure, httpFailure } from '../github/failure.js';
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

/** The id git gives a file's content, so that unchanged files are seen without uploading them. */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export interface PagesResult {
  action: 'created' | 'updated' | 'unchanged';
  branch: string;
  commit: string;
}

function notFound(error: unknown): boolean {
  return httpFailure(error)?.status === 404;
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
  const base = { owner: repo.owner, repo: repo.repo };
  try {
    let head: string | undefined;
    try {
      const ref = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
        ...base,
        ref: `heads/${branch}`,
      });
      head = ref.data.object.sha;
    } catch (error) {
      if (!notFound(error)) throw error;
    }

    let baseTree: string | undefined;
    if (head !== undefined) {
      const commit = await octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
        ...base,
        commit_sha: head,
      });
      baseTree = commit.data.tree.sha;
      const tree = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
        ...base,
        tree_sha: baseTree,
      });
      const existing = new Map(tree.data.tree.map((entry) => [entry.path, entry.sha]));
      const held = (set: Record<string, string>): boolean =>
        Object.entries(set).every(([path, text]) => existing.get(path) === gitBlobSha(text));
      if (held(files)) return { action: 'unchanged', branch, commit: head };
      const recorded = options.asRecorded?.(commit.data.message);
      if (recorded !== undefined && held(recorded)) return { action: 'unchanged', branch, commit: head };
    }

    // Contents go inline in the tree: GitHub stores each as a blob, and the run saves a request per file.
    const tree = await octokit.request('POST /repos/{owner}/{repo}/git/trees', {
      ...base,
      ...(baseTree === undefined ? {} : { base_tree: baseTree }),
      tree: Object.entries(files).map(([path, content]) => ({
        path,
        mode: '100644' as const,
        type: 'blob' as const,
        content,
      })),
    });
    const commit = await octokit.request('POST /repos/{owner}/{repo}/git/commits', {
      ...base,
      message,
      tree: tree.data.sha,
      parents: head === undefined ? [] : [head],
    });
    try {
      if (head === undefined) {
        await octokit.request('POST /repos/{owner}/{repo}/git/refs', {
          ...base,
          ref: `refs/heads/${branch}`,
          sha: commit.data.sha,
        });
        return { action: 'created', branch, commit: commit.data.sha };
      }
      // Not forced: if another run moved the branch meanwhile, GitHub refuses (422) rather than lose its commit.
      await octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
        ...base,
        ref: `heads/${branch}`,
        sha: commit.data.sha,
        force: false,
      });
      return { action: 'updated', branch, commit: commit.data.sha };
    } catch (error) {
      if (httpFailure(error)?.status !== 422) throw error;
      throw new GitHubActionError(
        `The branch ${branch} ${head === undefined ? 'was made' : 'moved'} by someone else while Openly was ` +
          'publishing the status page, so nothing was overwritten; run the job again to publish on top of it ' +
          '(a "concurrency:" group in the workflow keeps two runs from publishing at once)',
        422,
      );
    }
  } catch (error) {
    throw gitHubError(error, doing, 'contents: write');
  }
}
