import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SIGNED_COMMITS_OPTIONS,
  signedCommitsCheck,
  type SignedCommitsOptions,
} from '../../src/checks/signed-commits.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import type { Level } from '../../src/core/check.js';
import { runChecks } from '../../src/core/engine.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import type { CommitInfo } from '../../src/sources/snapshot.js';

/** One item of GitHub's REST "list commits on a pull request" answer, as much of it as a source maps. */
interface RestCommit {
  sha: string;
  commit: {
    author: { name: string; email: string };
    committer: { name: string; email: string };
    message: string;
    verification: { verified: boolean; reason: string; signature: string | null; payload: string | null };
  };
  author: { login: string } | null;
  committer: { login: string } | null;
  parents: Array<{ sha: string }>;
}

const PR: RestCommit[] = JSON.parse(
  readFileSync(new URL('../fixtures/signed-commits/pull-request-commits.json', import.meta.url), 'utf8'),
);

/** What a GitHub source makes of a REST commit; GitHub marks its own commits by committing as noreply@github.com. */
function fromRest(item: RestCommit): CommitInfo {
  const { verification } = item.commit;
  return {
    sha: item.sha,
    message: item.commit.message,
    author: { ...item.commit.author, ...(item.author ? { login: item.author.login } : {}) },
    committer: { ...item.commit.committer, ...(item.committer ? { login: item.committer.login } : {}) },
    parents: item.parents.length,
    signature: {
      verified: verification.verified,
      reason: verification.reason,
      signedByGitHub: item.commit.committer.email === 'noreply@github.com' && verification.signature !== null,
    },
  };
}

/** A memory snapshot with commits under judgement, as the GitHub and local sources provide. */
class CommitsSnapshot extends MemorySnapshot {
  readonly #commits: readonly CommitInfo[] | undefined;
  constructor(commits: readonly CommitInfo[] | undefined) {
    super({ 'README.md': '# Triage design history\n' }, { name: 'nhsengland/triage-design-history' });
    this.#commits = commits;
  }
  commits(): readonly CommitInfo[] | undefined {
    return this.#commits;
  }
}

async function judge(
  commits: readonly CommitInfo[] | undefined,
  options: Partial<SignedCommitsOptions> = {},
  rules: Record<string, Level> = {},
  snapshot: MemorySnapshot = new CommitsSnapshot(commits),
) {
  const config: ResolvedConfig = {
    levels: {},
    options: { 'signed-commits': { ...DEFAULT_SIGNED_COMMITS_OPTIONS, ...options } },
    rules,
    sources: [],
  };
  const report = await runChecks({
    snapshot,
    checks: [signedCommitsCheck],
    config,
  });
  const result = report.results[0]!;
  expect(result.status).not.toBe('error');
  return result;
}

const [signed, unsigned, webEdit, dependabot, merge] = PR.map(fromRest) as [
  CommitInfo,
  CommitInfo,
  CommitInfo,
  CommitInfo,
  CommitInfo,
];

/** A commit by a person, varied from Tom's unsigned one. */
function commit(over: Partial<CommitInfo> & { reason?: string; verified?: boolean }, n = 0): CommitInfo {
  const { reason, verified, ...rest } = over;
  const sha = (n.toString(16).padStart(8, '0') + unsigned.sha).slice(0, 40);
  return {
    ...unsigned,
    sha,
    ...rest,
    signature: {
      verified: verified ?? false,
      reason: reason ?? 'unsigned',
      signedByGitHub: false,
      ...rest.signature,
    },
  };
}

describe('signed-commits: what GitHub says about each commit', () => {
  it('passes commits GitHub verified, including a web edit it signed, and counts them', async () => {
    const result = await judge([signed, webEdit]);
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
    expect(result.data).toEqual({
      judged: true,
      commits: 2,
      verified: 2,
      exempt: 0,
      skippedMerges: 0,
      failing: [],
      failingCount: 0,
    });
  });

  it('judges a real pull request: the unsigned commit and the merge signed with an unknown key fail', async () => {
    const result = await judge([signed, unsigned, webEdit, dependabot, merge]);
    expect(result.status).toBe('fail');
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['signed-commits/unsigned', 'error'],
      ['signed-commits/unverified', 'error'],
    ]);
    const [first, second] = result.findings;
    expect(first!.message).toBe(
      'Commit 8e4d0b7 “Fix broken link to the service manual” by tokafor-gds is not signed, so nobody can tell that it really came from its author.',
    );
    expect(first!.path).toBeUndefined();
    expect(first!.fix).toContain(
      'https://docs.github.com/en/authentication/managing-commit-signature-verification/signing-commits',
    );
    // The oldest failing commit's parent is where re-signing starts.
    expect(first!.fix).toContain("`git rebase --exec 'git commit --amend --no-edit -S' 8e4d0b7~1`");
    expect(first!.fix).toContain('`git push --force-with-lease`');
    expect(second!.message).toContain(
      "Commit a0b1c2d “Merge branch 'main' into triage-prototype” by tokafor-gds",
    );
    expect(second!.message).toContain('the key that signed it is not added to any GitHub account');
    expect(result.data).toMatchObject({
      judged: true,
      commits: 5,
      verified: 2,
      exempt: 1,
      failing: [unsigned.sha, merge.sha],
      failingCount: 2,
    });
  });

  it.each([
    ['unknown_key', 'the key that signed it is not added to any GitHub account', 'as a signing key'],
    ['bad_email', 'is not one of the email addresses in the key', 'git config user.email'],
    ['unverified_email', 'has not been verified on that account', 'git config user.email'],
    ['no_user', 'no GitHub account has the commit’s email address', 'git config user.email'],
    ['expired_key', 'the key that signed it had expired', 'expiry date'],
    ['not_signing_key', 'is not allowed to sign', 'signing capability'],
    ['malformed_signature', 'damaged and could not be read', 'Set up commit signing'],
    ['invalid', 'changed after it was signed', 'Set up commit signing'],
    ['gpgverify_error', 'checking service failed', 'run the check again later'],
    ['gpgverify_unavailable', 'checking service was unavailable', 'run the check again later'],
    ['unknown_signature_type', 'a kind of signature GitHub does not recognise', 'Set up commit signing'],
    ['bad_cert', 'S/MIME certificate that signed it could not be validated', 'Set up commit signing'],
    ['ocsp_pending', 'not yet checked whether the S/MIME certificate', 'run the check again later'],
    ['ocsp_revoked', 'certificate that signed it has been revoked', 'new signing key'],
    ['MALFORMED_SIG', 'damaged and could not be read', 'Set up commit signing'],
    ['UNKNOWN_SIG_TYPE', 'a kind of signature GitHub does not recognise', 'Set up commit signing'],
    ['bad_signature', 'changed after it was signed, or the signature is broken', 'Set up commit signing'],
    ['revoked_key', 'has been revoked by its owner', 'new signing key'],
  ])('explains %s in plain words, as an unverified signature (error)', async (reason, words, fixWords) => {
    const result = await judge([commit({ reason })]);
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ rule: 'signed-commits/unverified', severity: 'error' });
    expect(finding!.message).toContain('is signed, but the signature could not be verified because');
    expect(finding!.message).toContain(words);
    expect(finding!.fix).toContain(fixWords);
    expect(finding!.fix).toContain('--force-with-lease');
  });

  it.each(['quantum_flux', '__proto__', 'constructor'])(
    'names a reason it does not know (%s) rather than calling the commit unsigned',
    async (reason) => {
      const result = await judge([commit({ reason })]);
      expect(result.findings[0]).toMatchObject({ rule: 'signed-commits/unverified' });
      expect(result.findings[0]!.message).toContain(`reason given: ${reason}`);
    },
  );

  it.each([
    ['no_key', 'git has no copy of the public key that made it', '`gpg --import`'],
    ['unknown_validity', 'nothing on this machine ties the key to the committer', '`gpg --lsign-key'],
  ])(
    'tells a signature this machine cannot check (%s) apart from no signature, as a warning',
    async (reason, words, fix) => {
      const result = await judge([commit({ reason })]);
      expect(result.status).toBe('warn');
      expect(result.findings).toHaveLength(1);
      const [finding] = result.findings;
      expect(finding).toMatchObject({ rule: 'signed-commits/not-verifiable-here', severity: 'warning' });
      expect(finding!.message).toContain('is signed, but this machine cannot check the signature');
      expect(finding!.message).toContain(words);
      expect(finding!.message).toContain('not the same as unsigned');
      expect(finding!.fix).toContain(fix);
      expect(finding!.fix).toContain('gpg.ssh.allowedSignersFile');
    },
  );

  it('says a Signed-off-by line is not a signature when an unsigned commit has one', async () => {
    const result = await judge([
      commit({
        message:
          'Add risk register\n\nSigned-off-by: Tom Okafor <tom.okafor@digital.cabinet-office.gov.uk>\n',
      }),
    ]);
    expect(result.findings[0]!.rule).toBe('signed-commits/unsigned');
    expect(result.findings[0]!.message).toContain('is a sign-off (a statement of origin), not a signature');
  });

  it('names the author by name and email when the source has no login', async () => {
    const local = commit({
      author: { name: 'Sam Jones', email: 'sam.jones@leeds.gov.uk' },
      committer: { name: 'Sam Jones', email: 'sam.jones@leeds.gov.uk' },
    });
    const result = await judge([local]);
    expect(result.findings[0]!.message).toContain('by Sam Jones <sam.jones@leeds.gov.uk> is not signed');
  });

  it('lets a rule switched off in the config pass the commit entirely', async () => {
    const result = await judge([unsigned], {}, { 'signed-commits/unsigned': 'off' });
    expect(result.findings).toEqual([]);
    expect(result.data).toMatchObject({ failing: [], failingCount: 0 });
  });
});

describe('signed-commits: bots and exemptions', () => {
  const renovate = commit({
    author: { name: 'renovate[bot]', email: '29139614+renovate[bot]@users.noreply.github.com' },
    committer: { name: 'renovate[bot]', email: '29139614+renovate[bot]@users.noreply.github.com' },
    message: 'chore(deps): update dependency eslint to v9',
  });

  it('leaves bots alone by default: by login, and by noreply address when there is no login', async () => {
    const result = await judge([dependabot, renovate]);
    expect(result.findings).toEqual([]);
    expect(result.data).toMatchObject({ exempt: 2, commits: 2 });
  });

  it('judges bots like anyone else when exempt-bots is false', async () => {
    const result = await judge([dependabot, renovate], { 'exempt-bots': false });
    expect(result.findings.map((f) => f.rule)).toEqual([
      'signed-commits/unsigned',
      'signed-commits/unsigned',
    ]);
    expect(result.findings[0]!.message).toContain('by dependabot[bot]');
    expect(result.findings[1]!.message).toContain(
      'by renovate[bot] <29139614+renovate[bot]@users.noreply.github.com>',
    );
  });

  it.each([
    ['a login', ['tokafor-gds'], 0],
    ['a login in another case', ['TOkafor-GDS'], 0],
    ['an email address', ['tom.okafor@digital.cabinet-office.gov.uk'], 0],
    ['a name', ['tom okafor'], 0],
    ['a glob over emails', ['*@digital.cabinet-office.gov.uk'], 0],
    ['a glob over logins', ['tokafor*'], 0],
    ['someone else', ['priya-shah-nhs', '*@nhs.net'], 1],
    ['a glob that only matches part of the login', ['okafor'], 1],
  ])('exempts by %s', async (_what, exempt, findings) => {
    const result = await judge([unsigned], { exempt });
    expect(result.findings).toHaveLength(findings);
  });

  it('reads [bot] in an exempt pattern literally, with renovate* covering the bot', async () => {
    const opts = { 'exempt-bots': false };
    expect((await judge([renovate], { ...opts, exempt: ['renovate*'] })).findings).toEqual([]);
    expect((await judge([dependabot], { ...opts, exempt: ['dependabot[bot]'] })).findings).toEqual([]);
    // A character class would have matched "dependabotb".
    const lookalike = commit({
      author: { name: 'dependabotb', email: 'x@example.com', login: 'dependabotb' },
    });
    expect((await judge([lookalike], { ...opts, exempt: ['dependabot[bot]'] })).findings).toHaveLength(1);
  });
});

describe('signed-commits: commits GitHub signed, and merge commits', () => {
  it('counts a web edit GitHub signed as signed by default, and fails it when allow-github-signed is false', async () => {
    expect((await judge([webEdit])).findings).toEqual([]);
    const result = await judge([webEdit], { 'allow-github-signed': false });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ rule: 'signed-commits/github-signed', severity: 'error' });
    expect(result.findings[0]!.message).toBe(
      "Commit c7b6a5d “Update README.md” by priya-shah-nhs was signed by GitHub's own key (it was made on github.com: a web edit or a merge), not by its author.",
    );
    expect(result.findings[0]!.fix).toContain('allow-github-signed: true');
  });

  it('does not report github-signed while allow-github-signed is true', async () => {
    const result = await judge([webEdit], {}, { 'signed-commits/github-signed': 'error' });
    expect(result.findings).toEqual([]);
  });

  it('warns, with the command to import GitHub’s key, when a local checkout cannot check a GitHub-signed commit', async () => {
    const local = { ...webEdit, signature: { verified: false, reason: 'no_key', signedByGitHub: true } };
    const result = await judge([local]);
    expect(result.findings[0]).toMatchObject({
      rule: 'signed-commits/not-verifiable-here',
      severity: 'warning',
    });
    expect(result.findings[0]!.message).toContain('is signed by GitHub, but this machine cannot check');
    expect(result.findings[0]!.fix).toContain('curl https://github.com/web-flow.gpg | gpg --import');
  });

  it('judges merge commits like others by default, and skips them when merge-commits is false', async () => {
    const unsignedMerge = commit({ parents: 2, message: "Merge branch 'main' into triage-prototype" });
    expect((await judge([unsignedMerge])).findings.map((f) => f.rule)).toEqual(['signed-commits/unsigned']);
    const skipped = await judge([unsignedMerge, merge], { 'merge-commits': false });
    expect(skipped.findings).toEqual([]);
    expect(skipped.data).toMatchObject({ skippedMerges: 2, commits: 2 });
    // Only merges are skipped.
    expect((await judge([unsignedMerge, unsigned], { 'merge-commits': false })).findings).toHaveLength(1);
  });
});

describe('signed-commits/dco', () => {
  const dco = { 'signed-commits/dco': 'error' } as const;

  it('is off by default', async () => {
    const result = await judge([signed, { ...signed, sha: 'b'.repeat(40), message: 'No sign-off here' }]);
    expect(result.findings).toEqual([]);
  });

  it('asks for a sign-off by the author when switched on', async () => {
    const noSignoff = { ...signed, sha: 'b'.repeat(40), message: 'Add weeknote for 7 March' };
    const result = await judge([signed, noSignoff], {}, dco);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ rule: 'signed-commits/dco', severity: 'error' });
    expect(result.findings[0]!.message).toContain('has no "Signed-off-by: Name <email>" line');
    expect(result.findings[0]!.fix).toContain('git rebase --signoff bbbbbbb~1');
  });

  it.each([
    ['the author’s email in another case', 'Signed-off-by: P. Shah <Priya.Shah@NHS.net>', 0],
    ['the author’s name in another case', 'Signed-off-by: priya shah <priya@home.example>', 0],
    ['lower-case key and extra spaces', 'signed-off-by:   Priya Shah   <priya.shah@nhs.net>  ', 0],
    ['someone else', 'Signed-off-by: Tom Okafor <tom.okafor@digital.cabinet-office.gov.uk>', 1],
    ['a line without an email', 'Signed-off-by: Priya Shah', 1],
  ])('with a sign-off by %s', async (_what, line, findings) => {
    const result = await judge([{ ...signed, message: `Add weeknote\n\n${line}\n` }], {}, dco);
    expect(result.findings).toHaveLength(findings);
    if (findings > 0) expect(result.findings[0]!.rule).toBe('signed-commits/dco');
  });

  it('names whose sign-off it found when it is not the author’s', async () => {
    const message = 'Add weeknote\n\nSigned-off-by: Tom Okafor <tom@example.gov.uk>\n';
    const result = await judge([{ ...signed, message }], {}, dco);
    expect(result.findings[0]!.message).toContain(
      'is signed off by Tom Okafor <tom@example.gov.uk>, not by its author',
    );
  });

  it('reports a commit both unsigned and without sign-off once per rule', async () => {
    const result = await judge([unsigned], {}, { 'signed-commits/dco': 'warning' });
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['signed-commits/unsigned', 'error'],
      ['signed-commits/dco', 'warning'],
    ]);
    expect(result.data).toMatchObject({ failingCount: 1 });
  });
});

describe('signed-commits: many commits, no commits, odd commits', () => {
  it('lists the first 50 failing commits and sums up the rest in one finding', async () => {
    const commits = Array.from({ length: 130 }, (_, i) =>
      commit({ message: `Commit number ${i}`, ...(i % 2 === 0 ? {} : { reason: 'no_key' }) }, i),
    );
    const result = await judge(commits);
    expect(result.findings).toHaveLength(51);
    expect(result.findings[0]!.message).toContain('“Commit number 0”');
    expect(result.findings[49]!.message).toContain('“Commit number 49”');
    const last = result.findings[50]!;
    expect(last.rule).toBe('signed-commits/unsigned');
    expect(last.severity).toBe('error');
    expect(last.message).toBe(
      '80 more commits fail as well (40 unsigned, 40 not checkable here); only the first 50 are listed.',
    );
    expect(result.data).toMatchObject({ commits: 130, failingCount: 130 });
    expect((result.data as { failing: string[] }).failing).toHaveLength(130);
  });

  it('judges a huge range without trouble, keeping the report a sensible size', async () => {
    const commits = Array.from({ length: 20_000 }, (_, i) => commit({}, i));
    const result = await judge(commits);
    expect(result.findings).toHaveLength(51);
    expect(result.findings[50]!.message).toContain('19950 more commits');
    expect((result.data as { failing: string[] }).failing).toHaveLength(1000);
    expect(result.data).toMatchObject({ failingCount: 20_000 });
  });

  it('says it did not judge when the source has no commits, or cannot have any', async () => {
    for (const snapshot of [new CommitsSnapshot(undefined), new MemorySnapshot({ 'README.md': '# x\n' })]) {
      const result = await judge(undefined, {}, {}, snapshot);
      expect(result.findings).toEqual([]);
      expect(result.status).toBe('skip');
      expect(result.data).toMatchObject({ judged: false });
      expect((result.data as { reason: string }).reason).toContain('no commits to judge');
    }
  });

  it('reports an empty range as skipped, saying why, rather than as a pass', async () => {
    const result = await judge([]);
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('skip');
    expect(result.data).toMatchObject({ judged: false, commits: 0 });
    expect(String((result.data as { reason?: unknown }).reason)).toMatch(/no commits to judge.*--range/);
  });

  it('copes with an empty message, a missing email, control characters and a root commit', async () => {
    const odd = commit({
      message: '',
      parents: 0,
      author: { name: '', email: '' },
      committer: { name: '', email: '' },
    });
    const escape = commit(
      { message: '\u001b[31mRed\u001b[0m\ttitle\r\nbody', author: { name: 'Al', email: '' } },
      1,
    );
    const long = commit({ message: 'x'.repeat(10_000) }, 2);
    const result = await judge([odd, escape, long]);
    expect(result.findings).toHaveLength(3);
    expect(result.findings[0]!.message).toContain('(no message) by an unknown author');
    expect(result.findings[0]!.fix).toContain('--root');
    expect(result.findings[1]!.message).toContain('“[31mRed [0m title” by Al is not signed');
    expect([...result.findings[1]!.message].filter((ch) => ch < ' ')).toEqual([]);
    expect(result.findings[2]!.message.length).toBeLessThan(300);
  });

  it('never crashes on arbitrary commit data', async () => {
    const person = fc.record(
      { name: fc.string(), email: fc.string(), login: fc.string() },
      { requiredKeys: ['name', 'email'] },
    );
    const arbitraryCommit = fc.record({
      sha: fc.string(),
      message: fc.string(),
      author: person,
      committer: person,
      parents: fc.integer({ min: -1, max: 5 }),
      signature: fc.record({
        verified: fc.boolean(),
        reason: fc.oneof(
          fc.string(),
          fc.constantFrom('valid', 'unsigned', 'no_key', 'unknown_key', '__proto__', 'toString'),
        ),
        signedByGitHub: fc.boolean(),
      }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbitraryCommit, { maxLength: 60 }),
        fc.array(fc.string({ unit: 'binary' }), { maxLength: 3 }),
        async (commits, exempt) => {
          const result = await judge(commits, { exempt }, { 'signed-commits/dco': 'warning' });
          expect(result.data).toMatchObject({ judged: commits.length > 0, commits: commits.length });
          expect(result.findings.length).toBeLessThanOrEqual(2 * 50 + 1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
