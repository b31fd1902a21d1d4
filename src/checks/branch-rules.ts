import type { Check, CheckContext, CheckOptionsSpec, DraftFinding, RuleInfo } from '../core/check.js';
import type { BranchRules } from '../sources/snapshot.js';

/** `branch-rules:` in `.github/openly.yml`: which requirements of the default branch to ask for. */
export interface BranchRulesOptions {
  /** Ask that the default branch accepts signed commits only. */
  'signed-commits': boolean;
  /** Ask that changes reach the default branch through a reviewed pull request. */
  review: boolean;
  /** The fewest approving reviews a pull request must need. */
  approvals: number;
}

const POLICY =
  'the NHS Digital engineering quality framework asks for signed commits, review of every change and no direct pushes to the default branch';

/**
 * Warnings, not errors: the framework states the practice but not that the branch setting is mandatory, and the
 * signed-commits check already fails a change whose commits are unsigned.
 */
export const branchRulesRules: Record<string, RuleInfo> = {
  'branch-rules/signed-commits-not-required': {
    level: 'warning',
    description:
      "The default branch requires signed commits, through a ruleset (the repository's or the organisation's) or branch protection.",
  },
  'branch-rules/review-not-required': {
    level: 'warning',
    description:
      'The default branch requires a pull request with at least `approvals` approving reviews (1 by default), through a ruleset or branch protection.',
  },
};

export const branchRulesOptions: CheckOptionsSpec<BranchRulesOptions> = {
  schema: {
    title: 'branch-rules check',
    description:
      "Checks that the default branch requires signed commits and reviewed pull requests, as its rulesets (the repository's and the organisation's) and branch protection say. Openly only reads these settings, never changes them. Give a level (error, warning, off) or a mapping with a level and options.",
    oneOf: [
      { $ref: '#/$defs/checkLevel' },
      {
        title: 'branch-rules check settings',
        description: 'The level of the branch-rules check and which requirements it asks for.',
        type: 'object',
        additionalProperties: false,
        properties: {
          level: { $ref: '#/$defs/checkLevel' },
          'signed-commits': {
            title: 'signed commits',
            description: 'Ask that the default branch accepts signed commits only (true by default).',
            type: 'boolean',
          },
          review: {
            title: 'review',
            description:
              'Ask that changes reach the default branch through a pull request that someone approves (true by default).',
            type: 'boolean',
          },
          approvals: {
            title: 'approvals',
            description:
              'The fewest approving reviews a pull request must need before it merges (1 by default).',
            type: 'integer',
            minimum: 1,
            maximum: 10,
          },
        },
      },
    ],
  },
  defaults: () => ({ 'signed-commits': true, review: true, approvals: 1 }),
};

const WHERE =
  'In the repository on GitHub, open Settings → Rules → Rulesets and add a branch ruleset targeting the default branch, or ask an organisation owner to add an organisation ruleset (Organisation settings → Repository → Rulesets) that covers every repository';

const NEVER_CHANGED = 'Openly reads these settings and never changes them.';

/** "a ruleset and branch protection": where the rules read came from, for a finding's message. */
function seen(rules: BranchRules): string {
  if (rules.sources.length === 0) return 'No ruleset or branch protection that Openly can see applies to it.';
  const names = rules.sources.map((s) => (s === 'ruleset' ? 'its rulesets' : 'its branch protection'));
  const partial = rules.complete
    ? ''
    : ' More ruleset rules apply than GitHub lists in one answer, so a requirement may be among those not read.';
  return `Openly read ${names.join(' and ')}.${partial}`;
}

function signedCommits(rules: BranchRules): DraftFinding {
  return {
    rule: 'branch-rules/signed-commits-not-required',
    message: `The default branch accepts commits that are not signed. ${seen(rules)} A signature shows who really made a change; ${POLICY}.`,
    fix: `${WHERE}, with the rule "Require signed commits". ${NEVER_CHANGED}`,
  };
}

function review(rules: BranchRules, approvals: number): DraftFinding {
  const needed = approvals === 1 ? 'an approving review' : `${approvals} approving reviews`;
  const state = !rules.pullRequests
    ? 'Changes can be pushed to the default branch without a pull request or anyone reviewing them.'
    : rules.approvals === 0
      ? 'Changes reach the default branch through pull requests, but these can merge without anyone approving them.'
      : `Pull requests to the default branch need ${rules.approvals} approving review${rules.approvals === 1 ? '' : 's'}, fewer than the ${approvals} asked for.`;
  return {
    rule: 'branch-rules/review-not-required',
    message: `${state} ${seen(rules)} A second pair of eyes catches mistakes and secrets before they are published; ${POLICY}.`,
    fix: `${WHERE}, with the rule "Require a pull request before merging" and ${needed}. ${NEVER_CHANGED}`,
  };
}

export const branchRulesCheck: Check<BranchRulesOptions> = {
  id: 'branch-rules',
  title: 'Branch rules',
  rules: branchRulesRules,
  options: branchRulesOptions,
  run(ctx: CheckContext<BranchRulesOptions>) {
    const rules = ctx.snapshot.repository?.branchRules;
    if (rules === undefined) {
      return {
        findings: [],
        skipped:
          "Whether the default branch requires signed commits and review is read from GitHub's rulesets and branch protection by the organisation audit (`openly audit --org`); this source does not carry them.",
      };
    }
    ctx.checkpoint();
    // A configuration built by hand (the engine's callers may) can leave options out: the defaults hold then.
    const options = { ...branchRulesOptions.defaults(), ...(ctx.options as Partial<BranchRulesOptions>) };
    const { approvals } = options;
    const findings: DraftFinding[] = [];
    if (options['signed-commits'] && !rules.signedCommits) findings.push(signedCommits(rules));
    if (options.review && (!rules.pullRequests || rules.approvals < approvals)) {
      findings.push(review(rules, approvals));
    }
    return {
      findings,
      data: {
        signedCommits: rules.signedCommits,
        pullRequests: rules.pullRequests,
        approvals: rules.approvals,
        sources: rules.sources,
      },
    };
  },
};
