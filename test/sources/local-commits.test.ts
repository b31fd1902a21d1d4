import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedCommitsCheck } from '../../src/checks/signed-commits.js';
import { runChecks } from '../../src/core/engine.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import { LocalCommitsError, defaultLocalRange, readLocalCommits } from '../../src/sources/local-commits.js';
import type { CommitInfo } from '../../src/sources/snapshot.js';

/** Whether a program can be started at all: these tests make real SSH and GPG signatures. */
function installed(program: string, probe: string[]): boolean {
  return spawnSync(program, probe, { stdio: 'ignore' }).error === undefined;
}
const HAS_SSH_KEYGEN = installed('ssh-keygen', ['-?']);
const HAS_GPG = installed('gpg', ['--version']);

const TEMP = mkdtempSync(join(tmpdir(), 'openly-commits-'));
let counter = 0;

// Neither the user's nor the machine's git or GPG configuration may change what these tests see.
const saved = { ...process.env };
beforeAll(() => {
  mkdirSync(join(TEMP, 'home'));
  mkdirSync(join(TEMP, 'gnupg'), { mode: 0o700 });
  Object.assign(process.env, {
    HOME: join(TEMP, 'home'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    GNUPGHOME: join(TEMP, 'gnupg'),
  });
});
afterAll(() => {
  if (HAS_GPG) spawnSync('gpgconf', ['--kill', 'gpg-agent'], { stdio: 'ignore' });
  process.env = saved;
  rmSync(TEMP, { recursive: true, force: true });
});

/**
 * Runs `action` with a PATH on which git is found and nothing else, so that the programs that check signatures
 * (gpg, ssh-keygen) cannot be run: Openly finds them on PATH, never where a repository's config says.
 */
function withoutVerifiers<T>(action: () => T): T {
  const bin = join(TEMP, `bin-${++counter}`);
  mkdirSync(bin);
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  symlinkSync(real, join(bin, 'git'));
  const path = process.env.PATH;
  process.env.PATH = bin;
  try {
    return action();
  } finally {
    process.env.PATH = path;
  }
}

/** A program that records that it ran, in `marker`, and fails: what a hostile .git/config would name. */
function tripwire(marker: string): string {
  const script = join(TEMP, `tripwire-${++counter}.sh`);
  writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> '${marker}'\nexit 1\n`, { mode: 0o755 });
  return script;
}

function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } }).trim();
}

/** A fresh repository on `main` that never signs unless told to. */
function makeRepo(): string {
  const dir = join(TEMP, `repo-${++counter}`);
  mkdirSync(dir);
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Priya Shah']);
  git(dir, ['config', 'user.email', 'priya.shah@nhs.net']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  return dir;
}

function commit(dir: string, message: string, options: { sign?: string[]; env?: NodeJS.ProcessEnv } = {}) {
  git(
    dir,
    [
      ...(options.sign ?? []),
      'commit',
      '-q',
      '--allow-empty',
      ...(options.sign ? ['-S'] : []),
      '-m',
      message,
    ],
    options.env,
  );
  return git(dir, ['rev-parse', 'HEAD']);
}

/** A memory snapshot carrying commits, as the CLI would build from a checkout and a range. */
class CommitsSnapshot extends MemorySnapshot {
  readonly #commits: readonly CommitInfo[];
  constructor(commits: readonly CommitInfo[]) {
    super({});
    this.#commits = commits;
  }
  commits(): readonly CommitInfo[] {
    return this.#commits;
  }
}

async function judge(commits: readonly CommitInfo[]) {
  const report = await runChecks({
    snapshot: new CommitsSnapshot(commits),
    checks: [signedCommitsCheck],
    config: { levels: {}, options: {}, rules: {} },
  });
  return report.results[0]!;
}

describe('readLocalCommits: commits without signatures', () => {
  it('reads every field, oldest first, and calls unsigned commits unsigned', () => {
    const dir = makeRepo();
    const first = commit(dir, 'Start the weeknotes');
    const second = commit(
      dir,
      'Add weeknote for 7 March\n\nWhat we did this week.\n\nSigned-off-by: Priya Shah <priya.shah@nhs.net>',
      {
        env: {
          GIT_AUTHOR_NAME: 'Zoë Ó Briain',
          GIT_AUTHOR_EMAIL: 'zoe@leeds.gov.uk',
        },
      },
    );
    const commits = readLocalCommits(dir, 'HEAD');
    expect(commits.map((c) => c.sha)).toEqual([first, second]);
    expect(commits[0]).toEqual({
      sha: first,
      message: 'Start the weeknotes\n',
      author: { name: 'Priya Shah', email: 'priya.shah@nhs.net' },
      committer: { name: 'Priya Shah', email: 'priya.shah@nhs.net' },
      parents: 0,
      signature: { verified: false, reason: 'unsigned', signedByGitHub: false },
    });
    expect(commits[1]).toMatchObject({
      author: { name: 'Zoë Ó Briain', email: 'zoe@leeds.gov.uk' },
      committer: { name: 'Priya Shah', email: 'priya.shah@nhs.net' },
      parents: 1,
    });
    expect(commits[1]!.message).toBe(
      'Add weeknote for 7 March\n\nWhat we did this week.\n\nSigned-off-by: Priya Shah <priya.shah@nhs.net>\n',
    );
  });

  it('reads only the range asked for', () => {
    const dir = makeRepo();
    commit(dir, 'One');
    commit(dir, 'Two');
    const three = commit(dir, 'Three');
    expect(readLocalCommits(dir, 'HEAD~1..HEAD').map((c) => c.sha)).toEqual([three]);
    expect(readLocalCommits(dir, 'HEAD..HEAD')).toEqual([]);
  });

  it('counts the parents of a merge commit and keeps the order parents-first', () => {
    const dir = makeRepo();
    const base = commit(dir, 'Base');
    git(dir, ['switch', '-q', '-c', 'feature']);
    const feature = commit(dir, 'Feature work');
    git(dir, ['switch', '-q', 'main']);
    const main = commit(dir, 'Main work');
    git(dir, ['merge', '-q', '--no-ff', '--no-edit', 'feature']);
    const commits = readLocalCommits(dir, `${base}..HEAD`);
    expect(commits).toHaveLength(3);
    expect(commits.map((c) => c.parents)).toEqual([1, 1, 2]);
    expect(new Set(commits.slice(0, 2).map((c) => c.sha))).toEqual(new Set([feature, main]));
    expect(commits[2]!.message).toBe("Merge branch 'feature'\n");
  });

  it('keeps a message intact whatever separators it holds', () => {
    const dir = makeRepo();
    const message = 'Odd \u001f subject\n\nbody with \u001e and | and %x1f\n';
    commit(dir, message);
    expect(readLocalCommits(dir, 'HEAD')[0]!.message).toBe(message);
  });

  it('says which range was bad and why, in a LocalCommitsError', () => {
    const dir = makeRepo();
    commit(dir, 'One');
    const error = (() => {
      try {
        readLocalCommits(dir, 'origin/mian..HEAD');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(LocalCommitsError);
    expect((error as LocalCommitsError).range).toBe('origin/mian..HEAD');
    expect((error as Error).message).toBe(
      `Could not read the commits in range "origin/mian..HEAD": bad revision 'origin/mian..HEAD'`,
    );
  });

  it('never reads a range as an option of git log', () => {
    const dir = makeRepo();
    commit(dir, 'One');
    const target = join(TEMP, 'should-not-exist');
    expect(() => readLocalCommits(dir, `--output=${target}`)).toThrow(LocalCommitsError);
    expect(existsSync(target)).toBe(false);
    expect(() => readLocalCommits(dir, '  ')).toThrow(/the range is empty/);
  });

  it('fails clearly outside a repository', () => {
    const dir = join(TEMP, `plain-${++counter}`);
    mkdirSync(dir);
    expect(() => readLocalCommits(dir, 'HEAD')).toThrow(/not a git repository/);
  });
});

describe.skipIf(!HAS_SSH_KEYGEN)(
  'readLocalCommits: SSH signatures (needs ssh-keygen, from openssh-client)',
  () => {
    let key = '';
    let allowed = '';
    beforeAll(() => {
      key = join(TEMP, 'id_ed25519');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'priya.shah@nhs.net', '-f', key]);
      allowed = join(TEMP, 'allowed_signers');
      writeFileSync(allowed, `priya.shah@nhs.net ${readFileSync(`${key}.pub`, 'utf8')}`);
    });
    const ssh = () => ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${key}`];

    it('verifies a signature whose key is in the allowed signers file (G)', () => {
      const dir = makeRepo();
      git(dir, ['config', 'gpg.ssh.allowedSignersFile', allowed]);
      commit(dir, 'Signed with SSH', { sign: ssh() });
      expect(readLocalCommits(dir, 'HEAD')[0]!.signature).toEqual({
        verified: true,
        reason: 'valid',
        signedByGitHub: false,
        signer: 'priya.shah@nhs.net',
      });
    });

    it('calls an SSH signature with no allowed signers file "cannot be checked here", not unsigned', () => {
      const dir = makeRepo();
      commit(dir, 'Signed with SSH', { sign: ssh() });
      const [signed] = readLocalCommits(dir, 'HEAD');
      expect(signed!.signature).toMatchObject({ verified: false, reason: 'unknown_validity' });
      // git alone would say N here: this is the distinction the check depends on.
      expect(git(dir, ['log', '-1', '--format=%G?'])).toBe('N');
    });

    it('does not verify a key missing from the allowed signers file', () => {
      const dir = makeRepo();
      const others = join(TEMP, `others-${++counter}`);
      writeFileSync(
        others,
        'tom@example.gov.uk ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHNvbWVvbmUgZWxzZSdzIGtleSwgbm90IG91cnMhIQ==\n',
      );
      git(dir, ['config', 'gpg.ssh.allowedSignersFile', others]);
      commit(dir, 'Signed with SSH', { sign: ssh() });
      expect(readLocalCommits(dir, 'HEAD')[0]!.signature).toMatchObject({
        verified: false,
        reason: 'unknown_validity',
      });
    });

    it('calls a commit changed after signing a bad signature', () => {
      const dir = makeRepo();
      git(dir, ['config', 'gpg.ssh.allowedSignersFile', allowed]);
      commit(dir, 'Signed with SSH', { sign: ssh() });
      const raw = git(dir, ['cat-file', 'commit', 'HEAD']) + '\n';
      const forged = join(TEMP, `forged-${++counter}`);
      writeFileSync(forged, raw.replace('\n\nSigned with SSH', '\n\nSigned with SSH, then changed'));
      const sha = git(dir, ['hash-object', '-t', 'commit', '-w', forged]);
      expect(readLocalCommits(dir, sha)[0]!.signature).toMatchObject({
        verified: false,
        reason: 'bad_signature',
      });
    });

    it('does not call a signature bad when the program that checks it is missing', () => {
      const dir = makeRepo();
      git(dir, ['config', 'gpg.ssh.allowedSignersFile', allowed]);
      commit(dir, 'Signed with SSH', { sign: ssh() });
      commit(dir, 'Not signed');
      const [signed, unsigned] = withoutVerifiers(() => readLocalCommits(dir, 'HEAD'));
      expect(signed!.signature).toMatchObject({ verified: false, reason: 'no_key' });
      expect(unsigned!.signature).toMatchObject({ verified: false, reason: 'unsigned' });
    });

    it('feeds the check: verified passes, unknown signer warns, unsigned fails', async () => {
      const dir = makeRepo();
      const base = commit(dir, 'Base');
      commit(dir, 'Signed and known', { sign: ssh() });
      commit(dir, 'Unsigned change');
      const verifiedHere = readLocalCommits(dir, `${base}..HEAD`);
      expect((await judge(verifiedHere)).findings.map((f) => [f.rule, f.severity])).toEqual([
        ['signed-commits/not-verifiable-here', 'warning'],
        ['signed-commits/unsigned', 'error'],
      ]);
      git(dir, ['config', 'gpg.ssh.allowedSignersFile', allowed]);
      const result = await judge(readLocalCommits(dir, `${base}..HEAD`));
      expect(result.findings.map((f) => f.rule)).toEqual(['signed-commits/unsigned']);
      expect(result.findings[0]!.message).toContain(
        '“Unsigned change” by Priya Shah <priya.shah@nhs.net> is not signed',
      );
      expect(result.data).toMatchObject({ judged: true, commits: 2, verified: 1 });
    });
  },
);

describe.skipIf(!HAS_GPG)('readLocalCommits: GPG signatures (needs gpg, from gnupg)', () => {
  /** Makes a key in the test keyring and returns its fingerprint. */
  function gpgKey(uid: string): string {
    execFileSync(
      'gpg',
      ['--batch', '-q', '--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never'],
      {
        stdio: 'ignore',
      },
    );
    const listing = execFileSync('gpg', ['--with-colons', '-K', uid], { encoding: 'utf8' });
    return /^fpr:+([0-9A-F]{40}):/m.exec(listing)![1]!;
  }
  const gpgSign = (fpr: string) => ['-c', 'gpg.format=openpgp', '-c', `user.signingkey=${fpr}`];

  it('verifies a signature by a key in the keyring (G), naming the signer', () => {
    const fpr = gpgKey('Priya Shah <priya.gpg@nhs.net>');
    const dir = makeRepo();
    commit(dir, 'Signed with GPG', { sign: gpgSign(fpr) });
    expect(readLocalCommits(dir, 'HEAD')[0]!.signature).toEqual({
      verified: true,
      reason: 'valid',
      signedByGitHub: false,
      signer: 'Priya Shah <priya.gpg@nhs.net>',
    });
  });

  it('cannot check a signature by a key it lacks (E), and says so rather than unsigned', () => {
    const fpr = gpgKey('Tom Okafor <tom.gpg@example.gov.uk>');
    const dir = makeRepo();
    commit(dir, 'Signed with GPG', { sign: gpgSign(fpr) });
    const elsewhere = join(TEMP, `gnupg-${++counter}`);
    mkdirSync(elsewhere, { mode: 0o700 });
    process.env.GNUPGHOME = elsewhere;
    try {
      expect(readLocalCommits(dir, 'HEAD')[0]!.signature).toMatchObject({
        verified: false,
        reason: 'no_key',
      });
      // Imported but not trusted: U, good signature of unknown validity.
      execFileSync('gpg', ['--batch', '-q', '--import'], {
        input: execFileSync('gpg', ['--export', fpr], {
          env: { ...process.env, GNUPGHOME: join(TEMP, 'gnupg') },
        }),
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      expect(readLocalCommits(dir, 'HEAD')[0]!.signature).toMatchObject({
        verified: false,
        reason: 'unknown_validity',
      });
    } finally {
      process.env.GNUPGHOME = join(TEMP, 'gnupg');
    }
  });

  it('reports a key that expired (Y) or was revoked (R) after signing', async () => {
    const expiring = gpgKey('Exp Ired <expired@example.gov.uk>');
    const revoked = gpgKey('Rev Oked <revoked@example.gov.uk>');
    const dir = makeRepo();
    commit(dir, 'Signed with a key about to expire', { sign: gpgSign(expiring) });
    commit(dir, 'Signed with a key about to be revoked', { sign: gpgSign(revoked) });
    execFileSync(
      'gpg',
      [
        '--batch',
        '--passphrase',
        '',
        '--pinentry-mode',
        'loopback',
        '--quick-set-expire',
        expiring,
        'seconds=1',
      ],
      {
        stdio: 'ignore',
      },
    );
    // gpg keeps a revocation certificate for every key it makes; importing it revokes the key.
    const certificate = readFileSync(join(TEMP, 'gnupg', 'openpgp-revocs.d', `${revoked}.rev`), 'utf8');
    execFileSync('gpg', ['--batch', '-q', '--import'], {
      input: certificate.replace(/^:-----BEGIN/m, '-----BEGIN'),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    // The expiry lies a second ahead; on a busy machine gpg may take longer to see it, so wait for it (bounded).
    let [expired, gone] = readLocalCommits(dir, 'HEAD');
    for (let tries = 0; tries < 20 && expired!.signature.reason === 'valid'; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      execFileSync('gpg', ['--batch', '-q', '--check-trustdb'], { stdio: 'ignore' });
      [expired, gone] = readLocalCommits(dir, 'HEAD');
    }
    expect(expired!.signature).toMatchObject({ verified: false, reason: 'expired_key' });
    expect(gone!.signature).toMatchObject({ verified: false, reason: 'revoked_key' });
  });

  it('treats a signed commit as signed when gpg cannot be run, and GitHub as the signer only when it is the committer', () => {
    const fpr = gpgKey('Web Flow Lookalike <lookalike@example.gov.uk>');
    const dir = makeRepo();
    const asGitHub = { GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com' };
    commit(dir, 'Update README.md', { sign: gpgSign(fpr), env: asGitHub });
    commit(dir, 'Signed by a person', { sign: gpgSign(fpr) });
    // Verified here with a key that is not GitHub's: the committer line alone does not make it GitHub's.
    expect(readLocalCommits(dir, 'HEAD').map((c) => c.signature.signedByGitHub)).toEqual([false, false]);
    const [web, person] = withoutVerifiers(() => readLocalCommits(dir, 'HEAD'));
    expect(web!.signature).toEqual({ verified: false, reason: 'no_key', signedByGitHub: true });
    expect(person!.signature).toEqual({ verified: false, reason: 'no_key', signedByGitHub: false });
  });
});

describe.skipIf(!HAS_GPG || !HAS_SSH_KEYGEN)(
  'readLocalCommits runs no program the checked repository names',
  () => {
    it('ignores core.fsmonitor, gpg.program, gpg.ssh.program and log.showSignature in .git/config, and still judges signatures', () => {
      execFileSync(
        'gpg',
        [
          '--batch',
          '-q',
          '--passphrase',
          '',
          '--quick-gen-key',
          'Ada Lovelace <ada@example.gov.uk>',
          'ed25519',
          'sign',
          'never',
        ],
        { stdio: 'ignore' },
      );
      const dir = makeRepo();
      const base = commit(dir, 'Base');
      const signed = commit(dir, 'Signed with GPG', {
        sign: ['-c', 'gpg.format=openpgp', '-c', 'user.signingkey=ada@example.gov.uk'],
      });
      const unsigned = commit(dir, 'Not signed');
      const marker = join(TEMP, `marker-${++counter}`);
      const hostile = tripwire(marker);
      for (const key of [
        'core.fsmonitor',
        'gpg.program',
        'gpg.openpgp.program',
        'gpg.ssh.program',
        'gpg.x509.program',
        'core.pager',
      ]) {
        git(dir, ['config', key, hostile]);
      }
      git(dir, ['config', 'log.showSignature', 'true']);
      git(dir, ['config', 'diff.external', hostile]);
      // The tripwire is armed: git on its own runs it.
      git(dir, ['log', '-1', '--format=%G?', signed]);
      expect(existsSync(marker)).toBe(true);
      rmSync(marker);

      expect(defaultLocalRange(dir)).toBeUndefined();
      const commits = readLocalCommits(dir, `${base}..HEAD`);
      expect(commits.map((c) => [c.sha, c.signature.reason])).toEqual([
        [signed, 'valid'],
        [unsigned, 'unsigned'],
      ]);
      expect(commits[0]!.message).toBe('Signed with GPG\n');
      expect(existsSync(marker)).toBe(false);
    });
  },
);

describe('defaultLocalRange', () => {
  function cloneOf(upstream: string): string {
    const dir = join(TEMP, `clone-${++counter}`);
    git(TEMP, ['clone', '-q', upstream, dir]);
    git(dir, ['config', 'user.name', 'Priya Shah']);
    git(dir, ['config', 'user.email', 'priya.shah@nhs.net']);
    git(dir, ['config', 'commit.gpgsign', 'false']);
    return dir;
  }

  it('judges what a pull request would bring: commits on HEAD not on origin’s default branch', () => {
    const upstream = makeRepo();
    commit(upstream, 'Published work');
    const dir = cloneOf(upstream);
    git(dir, ['switch', '-q', '-c', 'weeknote']);
    const mine = commit(dir, 'Add weeknote');
    // Pushed, so the branch's own upstream holds every commit; the default branch still does not.
    git(dir, ['push', '-q', '-u', 'origin', 'weeknote']);
    expect(defaultLocalRange(dir)).toBe('origin/main..HEAD');
    expect(readLocalCommits(dir, defaultLocalRange(dir)!).map((c) => c.sha)).toEqual([mine]);
  });

  it('falls back to origin/main, then to the branch’s upstream, and gives up without either', () => {
    const upstream = makeRepo();
    commit(upstream, 'Published work');
    const dir = cloneOf(upstream);
    git(dir, ['remote', 'set-head', 'origin', '-d']);
    expect(defaultLocalRange(dir)).toBe('origin/main..HEAD');

    const local = makeRepo();
    commit(local, 'Base');
    expect(defaultLocalRange(local)).toBeUndefined();
    git(local, ['switch', '-q', '-c', 'topic', '--track', 'main']);
    commit(local, 'Topic work');
    expect(defaultLocalRange(local)).toBe('main..HEAD');
  });

  it('gives up on a repository without commits', () => {
    expect(defaultLocalRange(makeRepo())).toBeUndefined();
  });
});
