import { devNull } from 'node:os';
import { runSafeGit } from './git-command.js';
import type { CommitInfo, CommitSignature } from './snapshot.js';

/** A range git could not read: a name that does not exist, a folder that is not a repository, no git at all. */
export class LocalCommitsError extends Error {
  readonly range: string;
  constructor(range: string, reason: string) {
    super(`Could not read the commits in range "${range}": ${reason}`);
    this.name = 'LocalCommitsError';
    this.range = range;
  }
}

const FIELD = '\x1f';
// The message goes last so that whatever it contains cannot shift the other fields.
const FORMAT = ['%H', '%P', '%an', '%ae', '%cn', '%ce', '%G?', '%GS', '%GK', '%GF', '%B'].join('%x1f');
const FIELDS = 11;

/**
 * GitHub's web-flow key ids: the key in use since January 2024, and the one before it. GitHub signs with them
 * every commit it makes on someone's behalf (web edits, merges and squash merges on github.com).
 */
const GITHUB_KEY_IDS = ['B5690EEEBB952194', '4AEE18F83AFDEB23'];
const GITHUB_EMAIL = 'noreply@github.com';

interface GitRun {
  ok: boolean;
  stdout: Buffer;
  stderr: string;
  /** Set when git itself could not be started. */
  spawnError?: string;
}

function git(repoDir: string, args: readonly string[]): GitRun {
  const run = runSafeGit('git', repoDir, args);
  const stdout = run.stdout;
  const stderr = run.stderr.toString('utf8');
  if (run.spawnError !== undefined) return { ok: false, stdout, stderr, spawnError: run.spawnError };
  return { ok: run.status === 0, stdout, stderr };
}

function gitLine(repoDir: string, args: readonly string[]): string | undefined {
  const run = git(repoDir, args);
  if (!run.ok) return undefined;
  const line = run.stdout.toString('utf8').trim();
  return line === '' ? undefined : line;
}

/** The last `fatal:` or `error:` line git wrote, without the prefix: its reason in a sentence. */
function gitReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const fatal = [...lines].reverse().find((l) => /^(fatal|error):/.test(l)) ?? lines[lines.length - 1];
  return fatal === undefined ? 'git gave no reason' : fatal.replace(/^(fatal|error):\s*/, '');
}

/**
 * Maps `%G?` to a signature. U ("good signature, unknown validity") is not counted as verified: the signature
 * is intact, but GPG does not trust the key or no allowed-signers entry names it, so nothing here ties the key to
 * the committer. GitHub would decide that from the signer's account, which this machine cannot see, hence
 * `unknown_validity`, which the check reports as "cannot be checked here" rather than as a bad signature.
 */
function signatureOf(code: string): Pick<CommitSignature, 'verified' | 'reason'> {
  switch (code) {
    case 'G':
      return { verified: true, reason: 'valid' };
    case 'B':
      return { verified: false, reason: 'bad_signature' };
    case 'U':
      return { verified: false, reason: 'unknown_validity' };
    case 'X':
    case 'Y':
      return { verified: false, reason: 'expired_key' };
    case 'R':
      return { verified: false, reason: 'revoked_key' };
    case 'E':
      return { verified: false, reason: 'no_key' };
    default:
      return { verified: false, reason: 'unsigned' };
  }
}

function isGitHubKey(key: string): boolean {
  const upper = key.toUpperCase();
  return GITHUB_KEY_IDS.some((id) => upper.endsWith(id));
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

interface Raw {
  sha: string;
  parents: string;
  authorName: string;
  authorEmail: string;
  committerName: string;
  committerEmail: string;
  code: string;
  signer: string;
  key: string;
  fingerprint: string;
  message: string;
}

function parse(output: string): Raw[] {
  const commits: Raw[] = [];
  for (const record of output.split('\0')) {
    const fields = record.split(FIELD);
    const sha = (fields[0] ?? '').replace(/^\n/, '');
    if (fields.length < FIELDS || !SHA.test(sha)) {
      // git refuses NUL in messages it writes, but a hand-made commit may hold one: it belongs to the message.
      const last = commits[commits.length - 1];
      if (last !== undefined && record !== '') last.message += `\0${record}`;
      continue;
    }
    const [
      ,
      parents,
      authorName,
      authorEmail,
      committerName,
      committerEmail,
      code,
      signer,
      key,
      fingerprint,
    ] = fields;
    commits.push({
      sha,
      parents: parents ?? '',
      authorName: authorName ?? '',
      authorEmail: authorEmail ?? '',
      committerName: committerName ?? '',
      committerEmail: committerEmail ?? '',
      code: code ?? 'N',
      signer: signer ?? '',
      key: key ?? '',
      fingerprint: fingerprint ?? '',
      message: fields.slice(FIELDS - 1).join(FIELD),
    });
  }
  return commits;
}

/**
 * Whether each commit carries a signature header, read from the commit objects themselves. Needed only when git
 * could not run the program that checks signatures: it then reports a signed commit as unsigned (GPG) or as a
 * bad signature (SSH), and neither is true.
 */
function hasSignatureHeader(repoDir: string, shas: readonly string[]): Set<string> {
  const signed = new Set<string>();
  if (shas.length === 0) return signed;
  const result = runSafeGit('git', repoDir, ['cat-file', '--batch'], { input: `${shas.join('\n')}\n` });
  if (result.spawnError !== undefined || result.status !== 0) return signed;
  const out: Buffer = result.stdout;
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const [sha = '', type, size] = out.subarray(at, eol).toString('utf8').split(' ');
    const length = Number(size);
    if (type === undefined || !Number.isFinite(length)) break;
    const body = out.subarray(eol + 1, eol + 1 + length).toString('utf8');
    const headerEnd = body.indexOf('\n\n');
    const header = headerEnd < 0 ? body : body.slice(0, headerEnd);
    if (/^gpgsig(-sha256)? /m.test(header)) signed.add(sha);
    at = eol + 1 + length + 1;
  }
  return signed;
}

/**
 * The commits in `range` (anything `git log` accepts: `main..HEAD`, `A...B`, `HEAD~3..`), oldest first, with
 * their signatures as git on this machine judges them: with the user's own keyring and allowed-signers file.
 * Throws LocalCommitsError when git cannot read the range.
 */
export function readLocalCommits(repoDir: string, range: string): CommitInfo[] {
  if (range.trim() === '') throw new LocalCommitsError(range, 'the range is empty');
  // Without an allowed-signers file git 2.39 reports an SSH-signed commit as unsigned ("N"). An empty one makes
  // it check the signature itself and say "U": signed, signer unknown here. Only when the user has set none.
  const allowedSigners = gitLine(repoDir, ['config', '--get', 'gpg.ssh.allowedSignersFile']);
  const sshDefault = allowedSigners === undefined ? ['-c', `gpg.ssh.allowedSignersFile=${devNull}`] : [];
  const run = git(repoDir, [
    ...sshDefault,
    'log',
    '-z',
    '--no-color',
    '--encoding=UTF-8',
    '--topo-order',
    '--reverse',
    // Nothing here prints a diff; these keep a config's external diff or textconv program unused if one ever did.
    '--no-ext-diff',
    '--no-textconv',
    `--format=${FORMAT}`,
    // A range beginning with "-" must never be read as an option (`--output=…` would write a file).
    '--end-of-options',
    range,
    '--',
  ]);
  if (run.spawnError !== undefined) {
    throw new LocalCommitsError(range, `git could not be run (${run.spawnError}); is git installed?`);
  }
  if (!run.ok) throw new LocalCommitsError(range, gitReason(run.stderr));

  const raws = parse(run.stdout.toString('utf8'));
  const verifierMissing = /cannot run /.test(run.stderr);
  const doubtful = verifierMissing
    ? raws.filter((r) => r.code === 'N' || r.code === 'B').map((r) => r.sha)
    : [];
  const signedAnyway = hasSignatureHeader(repoDir, doubtful);

  return raws.map((raw): CommitInfo => {
    const judged =
      signedAnyway.has(raw.sha) && (raw.code === 'N' || raw.code === 'B')
        ? { verified: false, reason: 'no_key' }
        : signatureOf(raw.code);
    const signed = judged.reason !== 'unsigned';
    const key = raw.fingerprint !== '' ? raw.fingerprint : raw.key;
    // GitHub makes these commits as committer GitHub <noreply@github.com>. When git names the key, it must be
    // GitHub's; when it cannot (no program to check with), the committer is all there is to go on.
    const byGitHub =
      signed && raw.committerEmail.toLowerCase() === GITHUB_EMAIL && (key === '' || isGitHubKey(key));
    const signature: CommitSignature = { ...judged, signedByGitHub: byGitHub };
    const signer = raw.signer !== '' ? raw.signer : raw.key;
    if (signed && signer !== '') signature.signer = signer;
    return {
      sha: raw.sha,
      message: raw.message,
      author: { name: raw.authorName, email: raw.authorEmail },
      committer: { name: raw.committerName, email: raw.committerEmail },
      parents: raw.parents.split(' ').filter((p) => p !== '').length,
      signature,
    };
  });
}

/**
 * The commits a person would want judged when they name none: those on HEAD that are not yet on the default
 * branch, which is what a pull request would bring. `origin/HEAD` (else `origin/main`, `origin/master`) comes
 * before `@{upstream}`: once a feature branch is pushed its upstream holds every commit, and judging against it
 * would show nothing while the pull request still fails. Undefined when there is no HEAD or nothing to compare.
 */
export function defaultLocalRange(repoDir: string): string | undefined {
  if (gitLine(repoDir, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']) === undefined) return undefined;
  const originHead = gitLine(repoDir, ['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD']);
  const candidates = [originHead, 'origin/main', 'origin/master'];
  for (const ref of candidates) {
    if (ref === undefined) continue;
    if (gitLine(repoDir, ['rev-parse', '-q', '--verify', `refs/remotes/${ref}^{commit}`]) !== undefined) {
      return `${ref}..HEAD`;
    }
  }
  const upstream = gitLine(repoDir, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
  return upstream === undefined ? undefined : `${upstream}..HEAD`;
}
