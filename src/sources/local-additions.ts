import { runSafeGit } from './git-command.js';
import { LocalCommitsError } from './local-commits.js';
import { MAX_TEXT_BYTES, type AddedLines } from './snapshot.js';

const COMMIT_MARK = 'openly-commit ';
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const HUNK = /^@@@* -[0-9,]+ (?:-[0-9,]+ )*\+([0-9]+)(?:,[0-9]+)? @@/;

/**
 * What each commit in `range` added, file by file, from `git log -p` with no context lines: the added side of
 * every hunk. Merge commits show no diff (what they bring was added by the commits they join, which the range
 * holds). Binary files, and files whose added text passes MAX_TEXT_BYTES in one commit, are left out, as the
 * snapshot leaves them unread. Throws LocalCommitsError when git cannot read the range.
 */
export function readLocalAdditions(repoDir: string, range: string): AddedLines[] {
  const run = runSafeGit('git', repoDir, [
    'log',
    '-p',
    '-U0',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    // A renamed file counts as added at its new path: its lines are in that commit's tree under that name.
    '--no-renames',
    '--no-relative',
    '--diff-filter=d',
    // The repository's config may choose other prefixes (diff.noprefix, diff.mnemonicPrefix); these are parsed.
    '--src-prefix=a/',
    '--dst-prefix=b/',
    '--topo-order',
    '--reverse',
    `--format=${COMMIT_MARK}%H`,
    '--end-of-options',
    range,
    '--',
  ]);
  if (run.spawnError !== undefined) {
    throw new LocalCommitsError(range, `git could not be run (${run.spawnError}); is git installed?`);
  }
  if (run.status !== 0) {
    const reason = run.stderr.toString('utf8').trim().split('\n').pop() ?? 'git gave no reason';
    throw new LocalCommitsError(range, reason.replace(/^(fatal|error):\s*/, ''));
  }
  return parseAdditions(run.stdout);
}

/** Parses `git log -p -U0 --format=openly-commit %H` output. Exported for tests of odd diffs. */
export function parseAdditions(output: Buffer): AddedLines[] {
  const result: AddedLines[] = [];
  let sha = '';
  let current: (AddedLines & { bytes: number; tooLarge: boolean }) | undefined;
  let run: { line: number; lines: string[] } | undefined;

  const endRun = (): void => {
    if (current !== undefined && run !== undefined && run.lines.length > 0 && !current.tooLarge) {
      current.runs.push({ line: run.line, text: run.lines.join('\n') });
    }
    run = undefined;
  };
  const endFile = (): void => {
    endRun();
    if (current !== undefined && !current.tooLarge && current.runs.length > 0) {
      result.push({ sha: current.sha, path: current.path, runs: current.runs });
    }
    current = undefined;
  };

  let at = 0;
  // True between a file's `diff --git` line and its first hunk: lines there are headers, whatever they start with.
  let inHeader = false;
  while (at < output.length) {
    const start = at;
    let end = output.indexOf(0x0a, at);
    if (end < 0) end = output.length;
    const line = output.toString('utf8', start, end);
    at = end + 1;
    if (line.startsWith(COMMIT_MARK) && SHA.test(line.slice(COMMIT_MARK.length))) {
      endFile();
      sha = line.slice(COMMIT_MARK.length);
      inHeader = false;
      continue;
    }
    if (line.startsWith('diff --git ')) {
      endFile();
      inHeader = true;
      continue;
    }
    if (inHeader) {
      if (line.startsWith('+++ ')) {
        const path = diffPath(line.slice(4));
        if (path !== undefined && sha !== '') {
          current = { sha, path, runs: [], bytes: 0, tooLarge: false };
        }
        continue;
      }
      if (!line.startsWith('@@')) continue;
      inHeader = false;
    }
    const hunk = HUNK.exec(line);
    if (hunk !== null) {
      endRun();
      run = { line: Number(hunk[1]), lines: [] };
      continue;
    }
    if (current === undefined || run === undefined) continue;
    if (line.startsWith('+')) {
      let text = line.slice(1);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      current.bytes += end - start;
      if (current.bytes > MAX_TEXT_BYTES) current.tooLarge = true;
      else run.lines.push(text);
    }
    // Without context lines a hunk's removed lines all come before its added ones, which are consecutive in the
    // new file: only the next hunk starts a new run.
  }
  endFile();
  return result;
}

/** The repository path in a `+++ b/path` line; undefined for `/dev/null`. Git quotes odd names C-style. */
function diffPath(raw: string): string | undefined {
  const name = raw.startsWith('"') ? unquote(raw) : raw.replace(/\t$/, '');
  if (name === undefined || !name.startsWith('b/')) return undefined;
  return name.slice(2);
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undoes git's C-style quoting of a path: `"b/a\\tb"`, with octal escapes for bytes that are not printable. */
function unquote(quoted: string): string | undefined {
  const close = quoted.lastIndexOf('"');
  if (close <= 0) return undefined;
  const body = quoted.slice(1, close);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (Object.hasOwn(ESCAPES, next)) {
      bytes.push(ESCAPES[next]!);
      i += 1;
    } else {
      return undefined;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
