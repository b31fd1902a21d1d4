import { parseArgs, type ParseArgsConfig } from 'node:util';
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

/** A mistake in how a command was called: its message goes to standard error, and the exit status is 2. */
export class UsageError extends Error {}

type Flags = NonNullable<ParseArgsConfig['options']>;
type WithHelp<T extends Flags> = T & { help: { type: 'boolean'; short: 'h' } };
type Values<T extends Flags> = ReturnType<
  typeof parseArgs<{ args: string[]; options: WithHelp<T>; strict: true; allowPositionals: true }>
>['values'];

/**
 * A command's arguments, strictly: an unknown flag or a missing value is a UsageError in node's own words, and
 * `-h`/`--help` (which every command takes) gives 'help'. A command that `takesPath` takes at most one
 * positional, its PATH; any other takes none.
 */
export function parseFlags<T extends Flags>(
  command: string,
  args: string[],
  options: T,
  takesPath: boolean,
): { values: Values<T>; path: string | undefined } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: takesPath,
      strict: true,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if ((parsed.values as { help?: boolean }).help === true) return 'help';
  if (parsed.positionals.length > 1) {
    throw new UsageError(
      `${command} takes one PATH, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`,
    );
  }
  return { values: parsed.values, path: parsed.positionals[0] };
}
