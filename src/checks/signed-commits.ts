import type { Check, CheckContext, CheckOptionsSpec, DraftFinding, RuleInfo } from '../core/check.js';
import { compileGlob, type GlobMatcher } from '../core/glob.js';
import type { CommitInfo, CommitPerson, CommitSignature } from '../sources/snapshot.js';

/** Options of the `signed-commits` check (`signed-commits:` in `.github/openly.yml`). */
export interface SignedCommitsOptions {
  /**
   * Accounts whose commits are not judged: GitHub logins, email addresses or names, compared without regard to
   * case. `*` stands for any run of characters and `?` for one; nothing else is special, so `dependabot[bot]`
   * means itself.
   */
  exempt: readonly string[];
  /** Leave bots alone: logins ending `[bot]` and `…[bot]@users.noreply.github.com` addresses. */
  'exempt-bots': boolean;
  /** Count commits GitHub signed with its own key (web edits, merges made on github.com) as signed. */
  'allow-github-signed': boolean;
  /** Judge merge commits like any other; `false` skips them. */
  'merge-commits': boolean;
}

export const DEFAULT_SIGNED_COMMITS_OPTIONS: Readonly<SignedCommitsOptions> = Object.freeze({
  exempt: Object.freeze([]),
  'exempt-bots': true,
  'allow-github-signed': true,
  'merge-commits': true,
});

const RULE = {
  unsigned: 'signed-commits/unsigned',
  unverified: 'signed-commits/unverified',
  notHere: 'signed-commits/not-verifiable-here',
  githubSigned: 'signed-commits/github-signed',
  dco: 'signed-commits/dco',
} as const;

type RuleId = (typeof RULE)[keyof typeof RULE];

const rules: Record<RuleId, RuleInfo> = {
  [RULE.unsigned]: {
    level: 'error',
    description: 'Every commit carries a signature (SSH, GPG or S/MIME).',
  },
  [RULE.unverified]: {
    level: 'error',
    description:
      'Every signature can be verified: by GitHub against the signer’s account, or by git on this machine.',
  },
  [RULE.notHere]: {
    level: 'warning',
    description:
      'A signed commit that this machine cannot check (no copy of the signer’s key); GitHub may still verify it.',
  },
  [RULE.githubSigned]: {
    level: 'error',
    description:
      'Commits are signed by their author, not by GitHub’s own key. Only reported when allow-github-signed is false.',
  },
  [RULE.dco]: {
    level: 'off',
    description:
      'Every commit has a "Signed-off-by: Name <email>" line for its author (the Developer Certificate of Origin).',
  },
};

/** At most this many failing commits are listed one by one; the rest are counted in one finding. */
export const MAX_LISTED_COMMITS = 50;
/** `data.failing` keeps this many SHAs, so that a report on a huge range stays a sensible size. */
const MAX_FAILING_SHAS = 1000;

const SIGNING_GUIDE =
  'https://docs.github.com/en/authentication/managing-commit-signature-verification/signing-commits';

/**
 * GitHub's `verification.reason` values (REST; GraphQL `GitSignatureState` in lower case) and the reasons a local
 * checkout gives, in words for someone new to git. Each completes "… because …".
 */
const REASONS: Record<string, string> = {
  unknown_key: 'the key that signed it is not added to any GitHub account',
  bad_email:
    'the commit’s email address is not one of the email addresses in the key that signed it, so the key cannot be tied to the committer',
  unverified_email:
    'the commit’s email address belongs to a GitHub account but has not been verified on that account',
  no_user: 'no GitHub account has the commit’s email address',
  expired_key: 'the key that signed it had expired',
  not_signing_key: 'the key that signed it is not allowed to sign (it lacks the signing capability)',
  malformed_signature: 'the signature is damaged and could not be read',
  invalid:
    'the signature does not match the commit: the commit was changed after it was signed, or the signature belongs to another key',
  gpgverify_error: 'GitHub’s signature checking service failed while checking it',
  gpgverify_unavailable: 'GitHub’s signature checking service was unavailable when it was pushed',
  unknown_signature_type: 'it carries a kind of signature GitHub does not recognise',
  bad_cert: 'the S/MIME certificate that signed it could not be validated',
  ocsp_pending: 'GitHub has not yet checked whether the S/MIME certificate that signed it was revoked',
  ocsp_error: 'GitHub could not check whether the S/MIME certificate that signed it was revoked',
  ocsp_revoked: 'the S/MIME certificate that signed it has been revoked',
  bad_signature:
    'the signature does not match the commit: the commit was changed after it was signed, or the signature is broken',
  revoked_key: 'the key that signed it has been revoked by its owner',
  no_key: 'git has no copy of the public key that made it, or no program to check it with',
  unknown_validity:
    'nothing on this machine ties the key to the committer (the GPG key is not trusted here, or the SSH key is not in git’s allowed signers file), though the signature itself is intact',
};

/** Reasons that say nothing against the signature: only that this machine lacks what it needs to check it. */
const NOT_CHECKABLE_HERE = new Set(['no_key', 'unknown_validity']);

/** Reasons that are GitHub's passing trouble rather than the author's: checking again later may pass. */
const TRANSIENT = new Set(['gpgverify_error', 'gpgverify_unavailable', 'ocsp_pending', 'ocsp_error']);

/** GraphQL spells two states differently from REST. */
const ALIASES: Record<string, string> = {
  malformed_sig: 'malformed_signature',
  unknown_sig_type: 'unknown_signature_type',
};

type Problem =
  | { rule: typeof RULE.unsigned }
  | { rule: typeof RULE.unverified; reason: string }
  | { rule: typeof RULE.notHere; reason: string; github: boolean }
  | { rule: typeof RULE.githubSigned }
  | { rule: typeof RULE.dco; signoffs: string[] };

function normaliseReason(signature: CommitSignature | undefined): string {
  const raw = typeof signature?.reason === 'string' ? signature.reason.trim().toLowerCase() : '';
  return Object.hasOwn(ALIASES, raw) ? ALIASES[raw]! : raw;
}

/** What, if anything, is wrong with a commit's signature. */
function signatureProblem(commit: CommitInfo, allowGitHubSigned: boolean): Problem | undefined {
  const signature = commit.signature as CommitSignature | undefined;
  const reason = normaliseReason(signature);
  const verified = signature?.verified === true;
  if (signature?.signedByGitHub === true) {
    if (!allowGitHubSigned) return { rule: RULE.githubSigned };
    if (verified) return undefined;
    if (NOT_CHECKABLE_HERE.has(reason)) return { rule: RULE.notHere, reason, github: true };
    return { rule: RULE.unverified, reason };
  }
  if (verified) return undefined;
  if (reason === 'unsigned' || reason === '') return { rule: RULE.unsigned };
  if (NOT_CHECKABLE_HERE.has(reason)) return { rule: RULE.notHere, reason, github: false };
  return { rule: RULE.unverified, reason };
}

const SIGNOFF = /^[ \t]*signed-off-by[ \t]*:[ \t]*(.*?)[ \t]*<([^<>\n]*)>[ \t]*\r?$/gim;

/** `Signed-off-by:` lines anywhere in the message, as the DCO GitHub App reads them. */
export function signOffs(message: string): Array<{ name: string; email: string }> {
  return [...message.matchAll(SIGNOFF)].map((m) => ({
    name: (m[1] ?? '').trim(),
    email: (m[2] ?? '').trim(),
  }));
}

function sameText(a: string, b: string): boolean {
  return a !== '' && a.toLowerCase() === b.toLowerCase();
}

function dcoProblem(commit: CommitInfo): Problem | undefined {
  const found = signOffs(commit.message);
  const { name, email } = commit.author;
  if (found.some((s) => sameText(s.email, email) || sameText(s.name.trim(), name.trim()))) return undefined;
  return { rule: RULE.dco, signoffs: found.map((s) => `${s.name} <${s.email}>`.trim()) };
}

/** A case-insensitive matcher for an account pattern where only `*` and `?` are wildcards. */
function accountMatcher(pattern: string): GlobMatcher {
  return compileGlob(pattern, 'account');
}

function identities(person: CommitPerson | undefined): string[] {
  if (person === undefined || person === null) return [];
  return [person.login, person.email, person.name].filter(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
}

const BOT_EMAIL = /\[bot\]@users\.noreply\.github\.com$/i;

function isBot(commit: CommitInfo): boolean {
  return [commit.author, commit.committer].some(
    (person) =>
      (typeof person?.login === 'string' && /\[bot\]$/i.test(person.login)) ||
      (typeof person?.email === 'string' && BOT_EMAIL.test(person.email)),
  );
}

// Control characters (escape sequences, newlines) from commit data must not reach a terminal or a summary.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function clean(text: string, max: number): string {
  const flat = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

function subjectOf(message: string): string {
  const first = message.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const subject = clean(first, 72);
  return subject === '' ? '(no message)' : `“${subject}”`;
}

function authorOf(person: CommitPerson | undefined): string {
  const login = clean(person?.login ?? '', 60);
  if (login !== '') return login;
  const name = clean(person?.name ?? '', 60);
  const email = clean(person?.email ?? '', 80);
  if (name !== '' && email !== '') return `${name} <${email}>`;
  if (name !== '') return name;
  if (email !== '') return `<${email}>`;
  return 'an unknown author';
}

function reasonText(reason: string): string {
  // Reasons arrive from outside: "__proto__" or "constructor" must not find Object's own properties.
  if (Object.hasOwn(REASONS, reason)) return REASONS[reason]!;
  return `the signature could not be verified (reason given: ${clean(reason, 40)})`;
}

/** The command that re-signs every commit from the oldest failing one onwards. */
function resign(base: string): string {
  return `re-sign the commits with \`git rebase --exec 'git commit --amend --no-edit -S' ${base}\` and \`git push --force-with-lease\``;
}

function unverifiedFix(reason: string, base: string): string {
  const tail = resign(base);
  switch (reason) {
    case 'unknown_key':
      return `Add the key you sign with to your GitHub account as a signing key (Settings → SSH and GPG keys; see ${SIGNING_GUIDE}), then ${tail}.`;
    case 'bad_email':
    case 'unverified_email':
    case 'no_user':
      return `Commit with an email address that is verified on your GitHub account and, for a GPG key, listed in the key (\`git config user.email\`), then ${tail}.`;
    case 'expired_key':
      return `Extend your key's expiry date (or make a new key) and add it to GitHub again (see ${SIGNING_GUIDE}), then ${tail}.`;
    case 'not_signing_key':
      return `Sign with a key or subkey that has the signing capability and add it to GitHub (see ${SIGNING_GUIDE}), then ${tail}.`;
    case 'revoked_key':
    case 'ocsp_revoked':
      return `Make a new signing key, add it to GitHub (see ${SIGNING_GUIDE}), then ${tail}.`;
    default:
      if (TRANSIENT.has(reason)) {
        return `This is usually a passing problem on GitHub's side: run the check again later, and if it stays, ${tail}.`;
      }
      return `Set up commit signing with an SSH or GPG key added to your GitHub account (see ${SIGNING_GUIDE}), then ${tail}.`;
  }
}

function notHereFix(reason: string, github: boolean): string {
  if (github) {
    return "To check it here, import GitHub's public key with `curl https://github.com/web-flow.gpg | gpg --import`.";
  }
  const gpg =
    reason === 'unknown_validity'
      ? "mark the signer's GPG key as trusted (`gpg --lsign-key <key id>`)"
      : "import the signer's public GPG key (`gpg --import`)";
  return `To check it here, ${gpg} or add their SSH key to an allowed signers file (\`git config gpg.ssh.allowedSignersFile <file>\`); GitHub checks it against the signer's account when it is pushed.`;
}

function draft(problem: Problem, commit: CommitInfo, base: string): DraftFinding {
  const sha = typeof commit.sha === 'string' ? clean(commit.sha, 40).slice(0, 7) : '';
  const message = typeof commit.message === 'string' ? commit.message : '';
  const who = `Commit ${sha || '(unknown)'} ${subjectOf(message)} by ${authorOf(commit.author)}`;
  switch (problem.rule) {
    case RULE.unsigned: {
      const dcoNote =
        signOffs(message).length > 0
          ? ' Its "Signed-off-by:" line is a sign-off (a statement of origin), not a signature.'
          : '';
      return {
        rule: problem.rule,
        message: `${who} is not signed, so nobody can tell that it really came from its author.${dcoNote}`,
        fix: `Set up commit signing with an SSH or GPG key (see ${SIGNING_GUIDE}), then ${resign(base)}.`,
      };
    }
    case RULE.unverified:
      return {
        rule: problem.rule,
        message: `${who} is signed, but the signature could not be verified because ${reasonText(problem.reason)}.`,
        fix: unverifiedFix(problem.reason, base),
      };
    case RULE.notHere:
      return {
        rule: problem.rule,
        message: `${who} is signed${problem.github ? ' by GitHub' : ''}, but this machine cannot check the signature: ${reasonText(problem.reason)}. This is not the same as unsigned.`,
        fix: notHereFix(problem.reason, problem.github),
      };
    case RULE.githubSigned:
      return {
        rule: problem.rule,
        message: `${who} was signed by GitHub's own key (it was made on github.com: a web edit or a merge), not by its author.`,
        fix: `Make the change on your own computer with commit signing set up (see ${SIGNING_GUIDE}) rather than on github.com and ${resign(base)}, or set \`allow-github-signed: true\` under \`signed-commits\` in .github/openly.yml.`,
      };
    case RULE.dco: {
      const found =
        problem.signoffs.length === 0
          ? 'has no "Signed-off-by: Name <email>" line'
          : `is signed off by ${problem.signoffs.map((s) => clean(s, 100)).join(', ')}, not by its author`;
      return {
        rule: problem.rule,
        message: `${who} ${found}, which the Developer Certificate of Origin asks for.`,
        fix: `Add the author's sign-off to each commit with \`git rebase --signoff ${base}\` (as the author, with the same name and email), then \`git push --force-with-lease\`.`,
      };
    }
  }
}

/** Which rule a summary of many commits runs under: the gravest among them by default level. */
const SUMMARY_ORDER: readonly RuleId[] = [
  RULE.unsigned,
  RULE.unverified,
  RULE.githubSigned,
  RULE.notHere,
  RULE.dco,
];

const RULE_WORDS: Record<RuleId, string> = {
  [RULE.unsigned]: 'unsigned',
  [RULE.unverified]: 'not verified',
  [RULE.notHere]: 'not checkable here',
  [RULE.githubSigned]: 'signed by GitHub',
  [RULE.dco]: 'without sign-off',
};

function summary(rest: ReadonlyArray<readonly Problem[]>): DraftFinding {
  const counts = new Map<RuleId, number>();
  for (const problems of rest) {
    for (const p of problems) counts.set(p.rule, (counts.get(p.rule) ?? 0) + 1);
  }
  const rule = SUMMARY_ORDER.find((r) => counts.has(r)) ?? RULE.unsigned;
  const parts = SUMMARY_ORDER.filter((r) => counts.has(r)).map((r) => `${counts.get(r)} ${RULE_WORDS[r]}`);
  return {
    rule,
    message: `${rest.length} more commits fail as well (${parts.join(', ')}); only the first ${MAX_LISTED_COMMITS} are listed.`,
    fix: `Fix the listed commits first, then run the check again to see the rest.`,
  };
}

function isCommit(value: unknown): value is CommitInfo {
  return typeof value === 'object' && value !== null;
}

function options(raw: unknown): SignedCommitsOptions {
  const given = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<SignedCommitsOptions>;
  const merged = { ...DEFAULT_SIGNED_COMMITS_OPTIONS, ...given };
  return {
    exempt: Array.isArray(merged.exempt)
      ? merged.exempt.filter((p) => typeof p === 'string' && p !== '')
      : [],
    'exempt-bots': merged['exempt-bots'] !== false,
    'allow-github-signed': merged['allow-github-signed'] !== false,
    'merge-commits': merged['merge-commits'] !== false,
  };
}

function run(ctx: CheckContext<SignedCommitsOptions>) {
  const list = ctx.snapshot.commits?.();
  if (list === undefined || !Array.isArray(list)) {
    const reason =
      'There are no commits to judge: a plain folder, or a local checkout without a range of commits (--range).';
    return {
      findings: [],
      skipped: reason,
      data: {
        judged: false,
        reason,
      },
    };
  }
  const opts = options(ctx.options);
  const exempt = opts.exempt.map(accountMatcher);
  const commits = (list as readonly unknown[]).filter(isCommit);
  if (commits.length === 0) {
    // Nothing judged is not a pass: a checkout level with its upstream adds no commits, and saying "pass" would
    // tell a newcomer their unsigned history is fine.
    const reason =
      'There are no commits to judge: the range holds none (a local checkout judges what HEAD adds to its upstream; give --range A..B to judge others).';
    return { findings: [], skipped: reason, data: { judged: false, reason, commits: 0 } };
  }

  let verified = 0;
  let exempted = 0;
  let skippedMerges = 0;
  const failing: Array<{ commit: CommitInfo; problems: Problem[] }> = [];
  for (const commit of commits) {
    ctx.checkpoint();
    if ((commit.signature as CommitSignature | undefined)?.verified === true) verified++;
    const people = [...identities(commit.author), ...identities(commit.committer)];
    if ((opts['exempt-bots'] && isBot(commit)) || exempt.some((re) => people.some((id) => re.test(id)))) {
      exempted++;
      continue;
    }
    if (!opts['merge-commits'] && typeof commit.parents === 'number' && commit.parents >= 2) {
      skippedMerges++;
      continue;
    }
    const problems: Problem[] = [];
    const signature = signatureProblem(commit, opts['allow-github-signed']);
    if (signature !== undefined && ctx.enabled(signature.rule)) problems.push(signature);
    if (ctx.enabled(RULE.dco)) {
      const dco = dcoProblem({
        ...commit,
        message: typeof commit.message === 'string' ? commit.message : '',
        author: {
          name: typeof commit.author?.name === 'string' ? commit.author.name : '',
          email: typeof commit.author?.email === 'string' ? commit.author.email : '',
        },
      });
      if (dco !== undefined) problems.push(dco);
    }
    if (problems.length > 0) failing.push({ commit, problems });
  }

  // Rewriting from the oldest failing commit onwards is what fixes all of them at once.
  const oldest = failing[0]?.commit;
  const base =
    oldest === undefined || oldest.parents === 0
      ? '--root'
      : `${typeof oldest.sha === 'string' ? clean(oldest.sha, 40).slice(0, 7) : 'HEAD'}~1`;

  const findings: DraftFinding[] = [];
  for (const { commit, problems } of failing.slice(0, MAX_LISTED_COMMITS)) {
    for (const problem of problems) findings.push(draft(problem, commit, base));
  }
  if (failing.length > MAX_LISTED_COMMITS) {
    findings.push(summary(failing.slice(MAX_LISTED_COMMITS).map((f) => f.problems)));
  }

  return {
    findings,
    data: {
      judged: true,
      commits: commits.length,
      verified,
      exempt: exempted,
      skippedMerges,
      failing: failing.slice(0, MAX_FAILING_SHAS).map((f) => String(f.commit.sha)),
      failingCount: failing.length,
    },
  };
}

/** `signed-commits:` in `.github/openly.yml`: a level, or a level with who is exempt and what counts as signed. */
const signedCommitsOptions: CheckOptionsSpec<SignedCommitsOptions> = {
  schema: {
    title: 'signed commits check',
    description:
      'Checks that commits carry a verified signature (SSH, GPG or S/MIME). Give a level (error, warning, off) or a mapping with a level and options.',
    oneOf: [
      {
        $ref: '#/$defs/checkLevel',
      },
      {
        title: 'signed commits check settings',
        description: 'The level of the signed commits check and its options.',
        type: 'object',
        additionalProperties: false,
        properties: {
          level: {
            $ref: '#/$defs/checkLevel',
          },
          exempt: {
            title: 'exempt accounts',
            description:
              'Accounts whose commits are not judged: GitHub logins, email addresses or names. * stands for any run of characters and ? for one.',
            type: 'array',
            items: {
              type: 'string',
              minLength: 1,
              title: 'account',
              description:
                'A GitHub login, email address or name, such as renovate[bot] or *@example.gov.uk.',
            },
            uniqueItems: true,
          },
          'exempt-bots': {
            title: 'leave bots alone',
            description: 'When true (the default), commits by bots (logins ending [bot]) are not judged.',
            type: 'boolean',
          },
          'allow-github-signed': {
            title: "accept GitHub's signature",
            description:
              'When true (the default), commits GitHub signed with its own key (edits and merges made on github.com) count as signed.',
            type: 'boolean',
          },
          'merge-commits': {
            title: 'judge merge commits',
            description:
              'When true (the default), merge commits are judged like any other; false skips them.',
            type: 'boolean',
          },
        },
      },
    ],
  },
  defaults: () => ({ ...DEFAULT_SIGNED_COMMITS_OPTIONS, exempt: [] }),
};

export const signedCommitsCheck: Check<SignedCommitsOptions> = {
  id: 'signed-commits',
  title: 'Signed commits',
  rules,
  options: signedCommitsOptions,
  run,
};
