import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { runSafeGit } from './git-command.js';
import type { LastChange } from './snapshot.js';

/** Past this many paths, git is asked about the whole history and the answer filtered, not given every path. */
const MAX_PATHSPECS = 2000;

/**
 * The last commit that changed each path, from one `git log` over the given paths (relative to `root`, which sits
 * at `prefix` in the work tree). Undefined when git cannot answer (no commit yet, git failing). In a shallow clone
 * the oldest commits at hand show every file as added, which says nothing of when it last changed: a path last
 * seen there comes back null, as does a path never committed.
 */
export function gitLastChanges(
  git: string,
  root: string,
  prefix: string,
  paths: readonly string[],
): Map<string, LastChange | null> | undefined {
  const wanted = new Set(paths);
  const result = new Map<string, LastChange | null>(paths.map((path) => [path, null]));
  if (wanted.size === 0) return result;
  // Merges show no names under --name-only, so each path is credited to the commit that really changed it.
  const args = ['log', '-z', '--no-renames', '--name-only', '--format=%x01%H'];
  if (wanted.size <= MAX_PATHSPECS) args.push('--', ...[...wanted].map((path) => `:(literal)${path}`));
  else args.push('--', '.');
  const run = runSafeGit(git, root, args);
  if (run.status !== 0) return undefined;
  const shallow = shallowCommits(git, root);
  let order = -1;
  let sha = '';
  for (const field of run.stdout.toString('utf8').split('\0')) {
    let name = field;
    const marker = field.indexOf('\x01');
    if (marker >= 0) {
      // "\x01<sha>\n<first name>": the format line and the first name share a field.
      const line = field.slice(marker + 1);
      const newline = line.indexOf('\n');
      sha = newline < 0 ? line : line.slice(0, newline);
      name = newline < 0 ? '' : line.slice(newline + 1);
      order += 1;
    }
    name = name.replace(/^\n/, '');
    if (name === '' || !name.startsWith(prefix)) continue;
    const path = name.slice(prefix.length);
    if (!wanted.has(path) || result.get(path) !== null) continue;
    wanted.delete(path);
    result.set(path, shallow.has(sha) ? null : { sha, order });
  }
  return result;
}

/** The commits a shallow clone was cut at (git's own `shallow` file), empty for a full clone. */
function shallowCommits(git: string, root: string): Set<string> {
  const run = runSafeGit(git, root, ['rev-parse', '--git-path', 'shallow']);
  if (run.status !== 0) return new Set();
  const name = run.stdout.toString('utf8').trim();
  try {
    const text = readFileSync(isAbsolute(name) ? name : join(root, name), 'utf8');
    return new Set(text.split('\n').filter((line) => line !== ''));
  } catch {
    return new Set();
  }
}
