/**
 * What the Action needs of the runner, without @actions/core: inputs from `INPUT_*`, outputs and the job summary
 * through the files the runner names, and workflow commands on standard output. Everything it touches is injected
 * so that tests read exactly what a runner would.
 */
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { EOL } from 'node:os';
import { defuseCommands, printable, printableLines } from '../core/printable.js';

export type ActionEnv = Readonly<Record<string, string | undefined>>;

export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** Where an annotation points; GitHub places it on the file and lines of the commit. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
}

export interface RuntimeOptions {
  env: ActionEnv;
  /** Standard output, where the runner reads workflow commands. */
  write?: (text: string) => void;
  /** Appends to a file the runner reads afterwards ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY). */
  append?: (path: string, text: string) => void;
  /** A fresh heredoc delimiter; random by default so that no value can end its own output early. */
  delimiter?: () => string;
}

/** Workflow-command message text: `%`, CR and LF are escaped, or the runner would cut the command short. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property values: as message text, and `:` and `,`, which separate properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * A workflow command's property value (a file name, a title) as the runner should receive it: CR and LF are left
 * for the runner's own escaping, which it undoes, so that an annotation still lands on a file whose name holds a
 * line break; every other control or bidirectional character is shown as an escape, since the runner would pass
 * it on raw to the log viewer (which acts on ANSI escape sequences) and to the annotation on the page.
 */
function propertyText(value: string): string {
  return value
    .split(/([\r\n])/)
    .map((part) => (part === '\r' || part === '\n' ? part : printable(part)))
    .join('');
}

/** One workflow command line, `::name key=value,...::message`. */
export function command(
  name: string,
  properties: Record<string, string | number | undefined>,
  message: string,
): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name}${props === '' ? '' : ` ${props}`}::${escapeData(message)}${EOL}`;
}

/**
 * The runner's side of a step. `exitCode` is 1 once `setFailed` has been called; the entry point hands it to the
 * process, and tests read it.
 */
export class Runtime {
  readonly env: ActionEnv;
  exitCode = 0;
  private readonly write: (text: string) => void;
  private readonly append: (path: string, text: string) => void;
  private readonly delimiter: () => string;
  private readonly secrets: string[] = [];

  constructor(options: RuntimeOptions) {
    this.env = options.env;
    this.write = options.write ?? ((text) => process.stdout.write(text));
    this.append = options.append ?? ((path, text) => appendFileSync(path, text, 'utf8'));
    this.delimiter = options.delimiter ?? (() => `ghadelimiter_${randomUUID()}`);
  }

  /** An input as the runner passes it (`INPUT_DRY-RUN` for `dry-run`), trimmed; empty when not given. */
  getInput(name: string): string {
    return (this.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
  }

  /**
   * Sets an output through $GITHUB_OUTPUT as a heredoc, so a value may span lines. Without the file (an old runner,
   * or a run outside Actions) the value is only logged.
   */
  setOutput(name: string, value: string): void {
    const file = this.env.GITHUB_OUTPUT;
    if (file === undefined || file === '') {
      this.info(`output ${name}=${value}`);
      return;
    }
    const delimiter = this.delimiter();
    if (name.includes(delimiter) || value.includes(delimiter)) {
      throw new Error(`the output ${name} contains its own delimiter, so the runner would misread it`);
    }
    this.append(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`);
  }

  /** Appends Markdown to the job summary; false when the runner gave no summary file. */
  summary(markdown: string): boolean {
    const file = this.env.GITHUB_STEP_SUMMARY;
    if (file === undefined || file === '') return false;
    this.append(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
    return true;
  }

  /** Asks the runner to hide `secret` in every later log line, and hides it in this runtime's own output too. */
  mask(secret: string): void {
    if (secret === '') return;
    this.secrets.push(secret);
    this.write(command('add-mask', {}, secret));
  }

  /**
   * An annotation. The message keeps its line breaks (the runner's escaping carries them); a file name it quotes
   * shows its own as `\n`, and control and bidirectional characters show as escapes.
   */
  annotate(level: AnnotationLevel, message: string, properties: AnnotationProperties = {}): void {
    this.emit(
      command(
        level,
        {
          title: properties.title === undefined ? undefined : propertyText(properties.title),
          file: properties.file === undefined ? undefined : propertyText(properties.file),
          line: properties.line,
          endLine: properties.endLine,
          col: properties.col,
        },
        printableLines(message, [properties.file]),
      ),
    );
  }

  /**
   * A plain log line. Text from the repository (a pull request's title, a path) shows its control characters as
   * escapes, and a line of it that the runner would take for a command (`::add-mask::`, `::stop-commands::`,
   * `##[...]`) is shown with that start escaped, so that the runner prints it and obeys none of it.
   */
  info(message: string): void {
    this.emit(`${defuseCommands(printableLines(message))}${EOL}`);
  }

  debug(message: string): void {
    this.emit(command('debug', {}, printableLines(message)));
  }

  warning(message: string): void {
    this.annotate('warning', message);
  }

  error(message: string): void {
    this.annotate('error', message);
  }

  /** Marks the step failed: an error annotation with the reason, and exit code 1. */
  setFailed(message: string): void {
    this.exitCode = 1;
    this.error(message);
  }

  /** Text with every masked secret replaced, for anything this runtime writes. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  private emit(text: string): void {
    // add-mask is the runner's guard; this one also holds when the output is read elsewhere (tests, local runs).
    this.write(this.redact(text));
  }
}
