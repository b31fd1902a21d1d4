import { defuseCommands, printable } from '../core/printable.js';

// What the CLI's commands share, apart from main.ts: main.ts loads each command when it is asked for, and a
// command that imported main.ts back would make the two a cycle.

/** What the CLI touches of the outside world, injected so tests can run it in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** Exit statuses: a contract (ARCHITECTURE.md). */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/**
 * Lines for standard error, each after `openly: `. They quote file names, configuration keys and values, and the
 * arguments given: each line shows its control characters as escapes and cannot be a CI runner's command.
 */
export function say(lines: readonly string[]): string {
  return lines.map((line) => defuseCommands(`openly: ${printable(line)}\n`)).join('');
}
