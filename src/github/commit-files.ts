/**
 * Commits files onto a branch through the Git data API: one tree (the contents inline), one commit, one ref moved.
 * GitHub signs a commit made this way with its own key, so `signed-commits` stays green. Every door that writes
 * files to GitHub (the Action's Pages branch, the App's first-files pull request) goes through this function.
 */
import { createHash } from 'node:crypto';
import type { Octokit } from '@octokit/core';
import { httpFailure } from './failure.js';

type GitOctokit = Pick<Octokit, 'request'>;

/** The id git gives a file's content, so that unchanged files are seen without uploading them. */
export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export interface BranchHead {
  /** The head commit's message. */
  message: string;
  /** The blob sha of each file at the top of the head commit's tree, by name. */
  blobs: ReadonlyMap<string, string>;
}

export interface CommitFilesRequest {
  owner: string;
  repo: string;
  branch: string;
  /** Path → text, or bytes (PNG, PDF); other files of the tree the commit builds on are kept. */
  files: Record<string, string | Uint8Array>;
  message: string;
  /**
   * The commit the new one builds on (its tree and parent). Without it, the branch's own head, or no parent at all
   * when the branch does not exist yet.
   */
  base?: string;
  /**
   * With `base`: the branch exists and its head is this commit, which the new commit replaces (the ref is forced).
   * The caller has made sure that the commit is its own, so that nobody's work is lost. Without it the branch is
   * created, and GitHub refuses when it exists already.
   */
  replaces?: string;
  /**
   * With `base`: the branch exists and its head is `base`, which the new commit follows; the ref moves without
   * force, so GitHub refuses if someone pushed meanwhile.
   */
  follows?: boolean;
  /** Building on the branch's head: whether that head already holds what would be written. Then nothing is. */
  unchanged?: (head: BranchHead) => boolean;
}

export interface CommitFilesResult {
  action: 'created' | 'updated' | 'unchanged';
  branch: string;
  commit: string;
}

/**
 * GitHub refused to make or move the branch (422): it exists already, or it moved since it was read. Nothing that
 * was on the branch is lost; the caller says what the person can do.
 */
export class BranchRefusedError extends Error {
  override name = 'BranchRefusedError';
  constructor(
    readonly branch: string,
    readonly reason: 'exists' | 'moved',
  ) {
    super(
      reason === 'exists'
        ? `The branch ${branch} exists already, so it was not made again`
        : `The branch ${branch} moved while Openly was writing to it, so nothing was overwritten`,
    );
  }
}

function notFound(error: unknown): boolean {
  return httpFailure(error)?.status === 404;
}

/**
 * Commits `files` onto `branch`. A GitHub failure is thrown as Octokit gives it (the caller knows what it was doing
 * and which permission that needs), except a refused ref, which is a `BranchRefusedError`.
 */
export async function commitFiles(
  octokit: GitOctokit,
  request: CommitFilesRequest,
): Promise<CommitFilesResult> {
  const { branch, files, message } = request;
  const repo = { owner: request.owner, repo: request.repo };

  let parent = request.base;
  let baseTree: string | undefined;
  let exists = request.replaces !== undefined || request.follows === true;
  if (parent === undefined) {
    try {
      const ref = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
        ...repo,
        ref: `heads/${branch}`,
      });
      parent = ref.data.object.sha;
      exists = true;
    } catch (error) {
      if (!notFound(error)) throw error;
    }
  }
  if (parent !== undefined) {
    const commit = await octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
      ...repo,
      commit_sha: parent,
    });
    baseTree = commit.data.tree.sha;
    if (request.base === undefined && request.unchanged !== undefined) {
      const tree = await octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
        ...repo,
        tree_sha: baseTree,
      });
      const blobs = new Map(tree.data.tree.map((entry) => [entry.path, entry.sha]));
      if (request.unchanged({ message: commit.data.message, blobs })) {
        return { action: 'unchanged', branch, commit: parent };
      }
    }
  }

  // Text goes inline in the tree: GitHub stores each as a blob, and that saves a request per file. A tree's inline
  // content is UTF-8 text, so bytes go up first as base64 blobs, named in the tree by their sha.
  const entries = [];
  for (const [path, content] of Object.entries(files)) {
    const entry = { path, mode: '100644' as const, type: 'blob' as const };
    if (typeof content === 'string') {
      entries.push({ ...entry, content });
      continue;
    }
    const blob = await octokit.request('POST /repos/{owner}/{repo}/git/blobs', {
      ...repo,
      content: Buffer.from(content).toString('base64'),
      encoding: 'base64',
    });
    entries.push({ ...entry, sha: blob.data.sha });
  }
  const tree = await octokit.request('POST /repos/{owner}/{repo}/git/trees', {
    ...repo,
    ...(baseTree === undefined ? {} : { base_tree: baseTree }),
    tree: entries,
  });
  const commit = await octokit.request('POST /repos/{owner}/{repo}/git/commits', {
    ...repo,
    message,
    tree: tree.data.sha,
    parents: parent === undefined ? [] : [parent],
  });
  const sha = commit.data.sha;
  try {
    if (!exists) {
      await octokit.request('POST /repos/{owner}/{repo}/git/refs', {
        ...repo,
        ref: `refs/heads/${branch}`,
        sha,
      });
      return { action: 'created', branch, commit: sha };
    }
    // Building on the head, never forced: if someone moved the branch meanwhile, GitHub refuses rather than lose
    // their commit. Replacing a commit the caller knows to be its own is forced, since the new one does not follow it.
    await octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
      ...repo,
      ref: `heads/${branch}`,
      sha,
      force: request.replaces !== undefined,
    });
    return { action: 'updated', branch, commit: sha };
  } catch (error) {
    if (httpFailure(error)?.status !== 422) throw error;
    throw new BranchRefusedError(branch, exists ? 'moved' : 'exists');
  }
}
