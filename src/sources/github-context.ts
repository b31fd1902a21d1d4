import type { RepositoryFacts } from './snapshot.js';
import type { ChangedFiles, CommitInfo } from './snapshot.js';

/**
 * What the GitHub App needs to know about one event before it can judge, read in as few requests as GitHub
 * allows. The handler (src/app) resolves the configuration from it, asks the checks which files they want, and
 * then fetches those files in one more round (`fetchFiles`).
 */
export interface GitHubTarget {
  owner: string;
  /** The repository's visibility, archiving and last push, as the webhook payload gives them. */
  facts?: RepositoryFacts;
  repo: string;
  /** The commit under judgement (the pull request's head, or the pushed commit). */
  headSha: string;
  /** The repository's default branch, where the configuration is read from. */
  defaultBranch: string;
  /** The commits to judge for signatures. */
  change:
    | { kind: 'pull_request'; number: number }
    | {
        kind: 'push';
        before: string;
        after: string;
        /**
         * The files each pushed commit added or modified, oldest commit first, as the push payload lists them;
         * `complete` is false when the payload cut the list of commits short.
         */
        files?: { commits: { sha: string; paths: string[] }[]; complete: boolean };
      }
    | { kind: 'none' };
  /** The check run's name, to find the one already made for this head SHA (a redelivery leaves it as it is). */
  checkName: string;
  /**
   * The App's id, so that only its own check suites are searched for `checkName`; without it a check run of that
   * name made by another app could be taken for ours.
   */
  appId?: number;
}

export interface ConfigText {
  /** `owner/repo:path` as a person would look for it. */
  source: string;
  text: string;
}

export interface LastCheckRun {
  id: number;
  completed: boolean;
  /** What the run was given as `external_id` (empty when nothing was): the App keeps its output's digest there. */
  externalId: string;
}

export interface GitHubContext {
  /** Every file path in the head commit's tree, sorted. */
  paths: string[];
  /** Blob size by path, from the tree (for files over the text limit, which are never fetched). */
  sizes: Map<string, number>;
  /** `.github/openly.yml` (or `.yaml`) on the default branch, when present. */
  repoConfig?: ConfigText;
  /** The organisation base: `.github/openly.yml` in `<owner>/.github`, when present. */
  orgConfig?: ConfigText;
  /** The head commit's version of the config file, when a pull request changes it (to validate it too). */
  headConfig?: ConfigText;
  /** The commits the change adds, oldest first; undefined when there is no change to judge. */
  commits?: CommitInfo[];
  /** What the change touched (a push's payload, a pull request's files), read without a request of its own. */
  changedFiles?: ChangedFiles;
  /** The newest check run already made for this head SHA by this app under `checkName`, if any. */
  lastCheckRun?: LastCheckRun;
  /** Problems reading (a truncated tree that could not be completed, a commit list cut short): said in the report. */
  warnings: string[];
}
