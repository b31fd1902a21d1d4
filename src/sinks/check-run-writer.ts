import type { ProbotOctokit } from 'probot';
import type { GitHubTarget, LastCheckRun } from '../sources/github-context.js';
import { annotationBatches, outputDigest, type CheckRunOutput } from './check-run.js';

/** What writing a check run needs of an Octokit: Probot's, or any with the same `request`. */
export type CheckRunOctokit = Pick<ProbotOctokit, 'request'>;

export interface CheckRunWrite {
  octokit: CheckRunOctokit;
  target: Pick<GitHubTarget, 'owner' | 'repo' | 'checkName' | 'headSha'>;
  output: CheckRunOutput;
  /** The newest run Openly already made for this commit, read with the rest of the event's context. */
  previous?: LastCheckRun | undefined;
  /**
   * The Re-run button: GitHub leaves the old run as it was and expects a new one, so one is made even when the
   * result has not changed.
   */
  rerun?: boolean;
  now?: () => Date;
}

/** The run that shows the output: a new one (`written`), or the latest one when it already showed it. */
export interface CheckRunWritten {
  id: number;
  written: boolean;
}

/** The latest run already shows this output, complete: writing it again would only add copies of its annotations. */
function alreadyShown(previous: LastCheckRun | undefined, digest: string): previous is LastCheckRun {
  return previous !== undefined && previous.completed && previous.externalId === digest;
}

/**
 * A new check run with every annotation exactly once: GitHub appends the annotations of each update to the run's,
 * so only a new run can show a new result without the old findings beside it. The digest goes in the last request,
 * so a run cut short (a crash between the batches) never passes for a complete one.
 */
async function createCheckRun(write: CheckRunWrite, digest: string): Promise<number> {
  const { octokit, target, output } = write;
  const [first = [], ...rest] = annotationBatches(output.annotations);
  const last = rest.length;
  const id = Number(
    (
      await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
        owner: target.owner,
        repo: target.repo,
        name: target.checkName,
        head_sha: target.headSha,
        status: 'completed',
        conclusion: output.conclusion,
        completed_at: (write.now?.() ?? new Date()).toISOString(),
        ...(last === 0 ? { external_id: digest } : {}),
        output: { title: output.title, summary: output.summary, annotations: first },
      })
    ).data.id,
  );
  for (const [i, annotations] of rest.entries()) {
    await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: target.owner,
      repo: target.repo,
      check_run_id: id,
      ...(i === last - 1 ? { external_id: digest } : {}),
      output: { title: output.title, summary: output.summary, annotations },
    });
  }
  return id;
}

/**
 * Shows the output on the commit: a new run, unless the latest one already shows this very output (a redelivery,
 * or another event for a commit already judged), when nothing is written and the pull request stays as it was.
 * Throws what GitHub answers when the run cannot be written.
 */
export async function writeCheckRun(write: CheckRunWrite): Promise<CheckRunWritten> {
  const digest = outputDigest(write.output);
  if (write.rerun !== true && alreadyShown(write.previous, digest)) {
    return { id: write.previous.id, written: false };
  }
  return { id: await createCheckRun(write, digest), written: true };
}
