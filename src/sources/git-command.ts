import { spawnSync } from 'node:child_process';

/**
 * How every git command Openly runs on a checked folder is started. The folder may be a stranger's, and its
 * `.git/config` may name programs (an fsmonitor hook, a GPG or SSH verifier, a pager, an external diff, a
 * transport for a lazy fetch) that git would run for us. Settings given with `-c` on the command line win over
 * every config file, so pinning them here means checking a folder runs no program the folder names.
 */
export const SAFE_CONFIG: readonly string[] = [
  // A pager is never started without a terminal, but the pipe here must not be the reason nothing runs.
  '--no-pager',
  // What the commands print: raw file names, no colour codes, no submodule contents.
  '-c',
  'core.quotePath=false',
  '-c',
  'color.ui=false',
  '-c',
  'submodule.recurse=false',
  // `ls-files` and `grep` ask an fsmonitor hook what changed, and would run whatever the config names.
  '-c',
  'core.fsmonitor=false',
  // Signature checks run these; by name, they are found on PATH (the user's own), not where the folder says.
  '-c',
  'gpg.program=gpg',
  '-c',
  'gpg.openpgp.program=gpg',
  '-c',
  'gpg.ssh.program=ssh-keygen',
  '-c',
  'gpg.x509.program=gpgsm',
  '-c',
  'log.showSignature=false',
  // A partial clone fetches missing objects on demand, through a transport the config chooses (`ext::` runs a
  // command): nothing here may reach out.
  '-c',
  'protocol.allow=never',
  '-c',
  'core.pager=cat',
];

/** Variables a git hook sets, which would point git at another repository than the one asked about. */
const HOOK_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_PREFIX',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
];

/** The environment for git: the user's, without a hook's repository variables, in a locale whose words we parse. */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LC_ALL: 'C',
    LANGUAGE: 'C',
    // Newer git (2.44+) then refuses to fetch a missing object at all; older git ignores it.
    GIT_NO_LAZY_FETCH: '1',
    GIT_TERMINAL_PROMPT: '0',
  };
  for (const key of HOOK_VARIABLES) delete env[key];
  return env;
}

/** Generous: 50,000 paths with index data come to ~5 MB, and a grep or a long history can say much more. */
export const MAX_GIT_OUTPUT = 1024 * 1024 * 1024;

export interface GitRun {
  /** Set when git itself could not be started (not installed, not executable). */
  spawnError?: string;
  /** Null when git was killed by a signal or never started. */
  status: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** Runs `git <SAFE_CONFIG> <args>` in `cwd`, with the safe environment, and waits for it. */
export function runSafeGit(
  git: string,
  cwd: string,
  args: readonly string[],
  options: { input?: string } = {},
): GitRun {
  const result = spawnSync(git, [...SAFE_CONFIG, ...args], {
    cwd,
    env: gitEnv(),
    maxBuffer: MAX_GIT_OUTPUT,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    ...(options.input === undefined ? {} : { input: options.input }),
  });
  return {
    ...(result.error === undefined ? {} : { spawnError: result.error.message }),
    status: result.status,
    stdout: result.stdout ?? Buffer.alloc(0),
    stderr: result.stderr ?? Buffer.alloc(0),
  };
}
