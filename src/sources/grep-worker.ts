/**
 * The grep-ahead worker (started by `local.ts`): runs `git grep`, then sizes each matched file, so that the main
 * thread need not stat thousands of files either. It posts one `GrepReply` on `port` and then raises `done`,
 * which the main thread sleeps on: a busy main thread cannot receive events, but it can wait on shared memory.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { isMainThread, workerData, type MessagePort } from 'node:worker_threads';

export interface GrepWorkerData {
  command: string;
  args: string[];
  /** The work tree, ending with a path separator. */
  root: string;
  /** The work tree's path inside the repository, as `git grep --full-name` prefixes it. */
  prefix: string;
  env: NodeJS.ProcessEnv;
  maxBuffer: number;
  /** Matched files larger than this are listed in `large`, not read. */
  maxBytes: number;
  /** Set to 1 once the reply is posted. */
  done: Int32Array;
  port: MessagePort;
}

export interface GrepReply {
  failed: boolean;
  status: number | null;
  stdout: Uint8Array;
  stderrBytes: number;
  /** Matched files (full names) larger than `maxBytes`, or gone. */
  large: string[];
}

/** The full names of the matched files whose size is over `maxBytes` or cannot be had. */
function largeMatches(out: Buffer, { root, prefix, maxBytes }: GrepWorkerData): string[] {
  const large: string[] = [];
  let at = 0;
  let last = '';
  while (at < out.length) {
    // `-z` output: path NUL line-number NUL text LF.
    const pathEnd = out.indexOf(0, at);
    const lineEnd = pathEnd < 0 ? -1 : out.indexOf(0, pathEnd + 1);
    if (lineEnd < 0) break;
    let textEnd = out.indexOf(10, lineEnd + 1);
    if (textEnd < 0) textEnd = out.length;
    const full = out.toString('utf8', at, pathEnd);
    at = textEnd + 1;
    if (full === last || !full.startsWith(prefix)) continue;
    last = full;
    let size: number;
    try {
      size = statSync(root + full.slice(prefix.length)).size;
    } catch {
      size = Infinity;
    }
    if (size > maxBytes) large.push(full);
  }
  return large;
}

function grep(data: GrepWorkerData): void {
  let reply: GrepReply = { failed: true, status: null, stdout: new Uint8Array(0), stderrBytes: 0, large: [] };
  try {
    const result = spawnSync(data.command, data.args, {
      cwd: data.root,
      env: data.env,
      maxBuffer: data.maxBuffer,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Both outputs are absent when git could not be started at all.
    const out = (result.stdout as Buffer | null) ?? Buffer.alloc(0);
    const ran = result.error === undefined && (result.status === 0 || result.status === 1);
    reply = {
      failed: result.error !== undefined,
      status: result.status,
      stdout: out,
      stderrBytes: (result.stderr as Buffer | null)?.length ?? 0,
      large: ran ? largeMatches(out, data) : [],
    };
  } finally {
    data.port.postMessage(reply);
    Atomics.store(data.done, 0, 1);
    Atomics.notify(data.done, 0);
  }
}

if (!isMainThread) grep(workerData as GrepWorkerData);
