import { resolve } from 'node:path';
import { checks, configOptions, ruleCatalogue } from '../checks/index.js';
import { formatProblem } from '../config/load.js';
import { defuseCommands, jsonSafe } from '../core/printable.js';
import { optional } from '../core/words.js';
import { runChecks } from '../core/engine.js';
import { toJson, type Report } from '../core/report.js';
import { renderMarkdown } from '../sinks/markdown.js';
import { renderSarif } from '../sinks/sarif.js';
import { renderText } from '../sinks/text.js';
import { SnapshotError } from '../sources/local.js';
import { LocalCommitsError } from '../sources/local-commits.js';
import { openLocal } from '../sources/open-local.js';
import type { RepoSnapshot } from '../sources/snapshot.js';
import { EXIT, say, type CliIo, type Format } from './io.js';

export interface CheckCommand {
  /** Absolute path of the repository. */
  path: string;
  /** The path as the user gave it, for the report. */
  displayPath: string;
  format: Format;
  /** `--config FILE` as given, relative to the working directory. */
  config: string | undefined;
  /** `--range A..B`: the commits whose signatures are judged. */
  range: string | undefined;
}

/**
 * GitHub code scanning needs every SARIF result to sit in a file; findings about the whole repository are placed
 * on the file a reader would open first.
 */
function repositoryFile(snapshot: RepoSnapshot): string | undefined {
  const files = snapshot.files();
  const readme = files.find((p) => /^readme(\.[a-z]+)?$/i.test(p));
  return readme ?? files.find((p) => p === '.github/openly.yml') ?? files[0];
}

function render(report: Report, format: Format, colour: boolean, snapshot: RepoSnapshot): string {
  const rules = ruleCatalogue();
  switch (format) {
    case 'json':
      return `${jsonSafe(JSON.stringify(toJson(report), null, 2))}\n`;
    case 'sarif':
      return `${renderSarif(report, { rules, ...optional('repositoryFile', repositoryFile(snapshot)) })}\n`;
    case 'markdown':
      // Printed to a CI log as often as to a file: no line may be a workflow command.
      return defuseCommands(renderMarkdown(report, { rules }));
    case 'text':
      return renderText(report, { color: colour, rules });
  }
}

/** `openly check`: local snapshot in, engine, report out. */
export async function runCheckCommand(
  command: CheckCommand,
  io: CliIo & { colour: boolean },
): Promise<number> {
  let opened;
  try {
    opened = openLocal({
      root: command.path,
      config: configOptions(),
      displayPath: command.displayPath,
      ...optional('configPath', command.config === undefined ? undefined : resolve(io.cwd, command.config)),
      ...optional('range', command.range),
      commits: 'required',
    });
  } catch (error) {
    if (error instanceof SnapshotError || error instanceof LocalCommitsError) {
      io.stderr.write(say([error.message]));
      return EXIT.usage;
    }
    throw error;
  }
  if (!opened.ok) {
    io.stderr.write(say(opened.problems.map(formatProblem)));
    return EXIT.usage;
  }
  const { snapshot, config } = opened;
  if (command.format === 'text') {
    io.stderr.write(
      config.sources.length === 0
        ? 'openly: no .github/openly.yml found; using the built-in defaults\n'
        : say([`configuration from ${config.sources.join(', ')}`]),
    );
  }
  for (const note of opened.notes) {
    if (note.kind !== 'extends-not-followed') continue;
    // Offline there is no other repository to read; a team must not take the base's rules as checked.
    io.stderr.write(
      say([
        `${note.file}${note.line > 0 ? `:${note.line}` : ''}: _extends: "${note.value}" is not followed offline, so that base's rules were not applied here (the Openly App applies them)`,
      ]),
    );
  }

  const report = await runChecks({ snapshot, checks, config, repositoryPath: command.displayPath });
  io.stdout.write(render(report, command.format, io.colour, snapshot));
  return report.summary.errors > 0 ? EXIT.findings : EXIT.ok;
}
