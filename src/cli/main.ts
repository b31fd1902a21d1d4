import { resolve } from 'node:path';
import { defuseCommands, printableLines } from '../core/printable.js';
import { VERSION } from '../core/version.js';
import { EXIT, FORMATS, parseFlags, say, UsageError, type CliIo, type Format } from './io.js';

export type { CliIo } from './io.js';

const HELP = `openly ${VERSION} — open-working governance checks for a repository

Usage:
  openly check [PATH] [options]   check the repository at PATH (default: the current folder)
  openly audit --org ORG [...]    judge every repository of a GitHub organisation (openly audit --help)
  openly init [PATH] [...]        write the licence and community files PATH lacks (openly init --help)
  openly --help | --version

Options for check:
  -f, --format FORMAT   text (default), json, sarif or markdown
  -c, --config FILE     use FILE instead of PATH/.github/openly.yml
  -r, --range A..B      the commits whose signatures to judge (default: those on HEAD that the
                        remote's default branch does not have, e.g. origin/main..HEAD)
  -h, --help            show this help

PATH may be a git checkout (tracked and untracked-but-not-ignored files are checked, as they are on disk)
or a plain folder (.gitignore files are honoured; .git and node_modules are skipped). A symbolic link
is read only when it leads to another file being checked, never into .git or to an ignored file, and
git runs no program the checked repository's .git/config names. Nothing is sent anywhere: the check
runs offline.

Exit status: 0 no errors, 1 at least one error finding, 2 usage or configuration error.
Colour is used on a terminal unless NO_COLOR is set.
`;

interface CheckArgs {
  path: string;
  format: Format;
  config: string | undefined;
  range: string | undefined;
}

function parseCheckArgs(args: string[]): CheckArgs | 'help' {
  const parsed = parseFlags(
    'check',
    args,
    {
      format: { type: 'string', short: 'f' },
      config: { type: 'string', short: 'c' },
      range: { type: 'string', short: 'r' },
    },
    true,
  );
  if (parsed === 'help') return 'help';
  const format = parsed.values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format "${format}": use one of ${FORMATS.join(', ')}`);
  }
  return {
    path: parsed.path ?? '.',
    format: format as Format,
    config: parsed.values.config,
    range: parsed.values.range,
  };
}

function useColour(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '' && io.env.FORCE_COLOR !== '0')
    return true;
  return io.stdout.isTTY === true;
}

/** Runs the `openly` command; resolves to the exit status. Never throws. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (command === 'audit') {
    // Loaded only now, as the checks are, so that `--help` stays instant.
    const { runAuditCommand } = await import('./audit-command.js');
    try {
      return await runAuditCommand(rest, io);
    } catch (error) {
      return internalError(error, io);
    }
  }
  if (command === 'init') {
    const { runInitCommand } = await import('./init-command.js');
    try {
      return await runInitCommand(rest, io);
    } catch (error) {
      return internalError(error, io);
    }
  }
  if (command !== 'check') {
    io.stderr.write(
      say([
        `unknown command "${command}". Try: openly check [PATH], openly audit --org ORG or openly init [PATH]`,
      ]),
    );
    return EXIT.usage;
  }
  let args: CheckArgs | 'help';
  try {
    args = parseCheckArgs(rest);
  } catch (error) {
    io.stderr.write(`${say([(error as Error).message])}Try: openly --help\n`);
    return EXIT.usage;
  }
  if (args === 'help') {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  try {
    // The checks and their dependencies load only now, so `--help` stays instant.
    const { runCheckCommand } = await import('./check-command.js');
    return await runCheckCommand(
      {
        path: resolve(io.cwd, args.path),
        displayPath: args.path,
        format: args.format,
        config: args.config,
        range: args.range,
      },
      { ...io, colour: useColour(io) },
    );
  } catch (error) {
    return internalError(error, io);
  }
}

/** A failure that is a bug in Openly itself: said plainly, exit 2. */
function internalError(error: unknown, io: CliIo): number {
  // Checks are isolated by the engine; reaching here is a bug in Openly itself, not in the repository.
  const detail =
    error instanceof Error
      ? io.env.OPENLY_DEBUG
        ? (error.stack ?? error.message)
        : error.message
      : String(error);
  io.stderr.write(
    // A stack trace keeps its lines; what it quotes is still shown as escapes.
    defuseCommands(
      `openly: internal error: ${printableLines(detail)}\nPlease report it, with OPENLY_DEBUG=1 set for details.\n`,
    ),
  );
  return EXIT.usage;
}
