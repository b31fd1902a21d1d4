/** The release step a run takes (release notes, a milestone's release, or publishing the draft), on the checkout. */
import type { Octokit } from '@octokit/core';
import type { Logger } from '../core/check.js';
import type { ResolvedConfig } from '../config/types.js';
import {
  draftReleaseNotes,
  milestoneRelease,
  publishDraft,
  resolveReleaseNotesConfig,
  type ReleaseContext,
  type ReleaseOutcome,
} from '../release/index.js';
import type { RepoSnapshot } from '../sources/snapshot.js';
import type { ActionContext } from './context.js';
import { defaultBranchOf, type ReleaseStep } from './plan.js';

export interface ReleaseStepInput {
  step: ReleaseStep;
  octokit: Octokit;
  context: ActionContext;
  snapshot: RepoSnapshot;
  config: ResolvedConfig;
  dryRun: boolean;
  log: Logger;
}

export async function releaseStep(input: ReleaseStepInput): Promise<ReleaseOutcome> {
  const { step, context, config } = input;
  const defaultBranch = defaultBranchOf(context) ?? context.ref?.replace(/^refs\/heads\//, '');
  if (defaultBranch === undefined) {
    throw new Error('The release step needs the default branch, and the event payload does not name it.');
  }
  const ctx: ReleaseContext = {
    octokit: input.octokit,
    owner: context.owner,
    repo: context.repo,
    defaultBranch,
    headSha: context.sha,
    config: resolveReleaseNotesConfig(config.options['release-notes']),
    checkout: input.snapshot,
    artefactsOptions: config.options.artefacts,
    // The snapshot is the checkout as it is; the engine applies `exclude:` to checks, so the release step must too.
    ...(config.exclude === undefined ? {} : { exclude: config.exclude }),
    dryRun: input.dryRun,
    log: input.log,
  };
  switch (step.kind) {
    case 'release-notes':
      return draftReleaseNotes(ctx);
    case 'milestone':
      return milestoneRelease(ctx, { number: step.number, title: step.title });
    case 'publish':
      return publishDraft(ctx);
  }
}
