/**
 * What the Action needs of the runner, through @actions/core: inputs, outputs and the job summary through the files
 * the runner names, and workflow commands on standard output. On top of it, Openly's own guards for text that comes
 * from the repository: @actions/core escapes a command's data, but a plain log line of repository text could still
 * start with `::` and be obeyed, and control characters would reach the log viewer raw.
 */
import * as core from '@actions/core';
import { defuseCommands, printable, printableLines } from '../core/printable.js';
import type { Logger } from '../core/check.js';
import type {
  AnnotationLevel,
  AnnotationProperties,
  WorkflowMessage,
} from '../sinks/workflow-annotations.js';

export type { AnnotationLevel, AnnotationProperties } from '../sinks/workflow-annotations.js';

export type ActionEnv = Readonly<Record<string, string | undefined>>;

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

type Summary = typeof core.summary;
/** The class of @actions/core's job summary, which the package exports only as one shared instance. */
const SummaryFile = (Object.getPrototypeOf(core.summary) as { constructor: new () => Summary }).constructor;

/**
 * The runner's side of a step. `exitCode` is 1 once `setFailed` has been called; the entry point hands it to the
 * process, and tests read it.
 */
export class Runtime {
  exitCode = 0;
  private readonly secrets: string[] = [];
  /**
   * A job summary of this run's own: @actions/core's shared one keeps the first summary file it found for the life
   * of the process, so a second run in it (as in tests) would append to the first run's file.
   */
  private readonly jobSummary = new SummaryFile();

  /** An input as the runner passes it (`INPUT_DRY-RUN` for `dry-run`), trimmed; empty when not given. */
  getInput(name: string): string {
    return core.getInput(name);
  }

  /**
   * Sets an output through $GITHUB_OUTPUT, so a value may span lines. Without the file (an old runner, or a run
   * outside Actions) the value is only logged: @actions/core would print a `set-output` command instead, which a
   * value from the repository could extend.
   */
  setOutput(name: string, value: string): void {
    if (!process.env.GITHUB_OUTPUT) {
      this.info(`output ${name}=${value}`);
      return;
    }
    try {
      core.setOutput(name, value);
    } catch (error) {
      if (error instanceof Error && /should not contain the delimiter/.test(error.message)) {
        throw new Error(`the output ${name} contains its own delimiter, so the runner would misread it`);
      }
      throw error;
    }
  }

  /** Appends Markdown to the job summary; false when the runner gave no summary file. */
  async summary(markdown: string): Promise<boolean> {
    if (!process.env.GITHUB_STEP_SUMMARY) return false;
    try {
      await this.jobSummary.addRaw(markdown.endsWith('\n') ? markdown : `${markdown}\n`).write();
    } catch (error) {
      // What was not written must not come out with the next summary.
      this.jobSummary.emptyBuffer();
      throw error;
    }
    return true;
  }

  /** Asks the runner to hide `secret` in every later log line, and hides it in this runtime's own output too. */
  mask(secret: string): void {
    if (secret === '') return;
    this.secrets.push(secret);
    core.setSecret(secret);
  }

  /**
   * An annotation. The message keeps its line breaks (the runner's escaping carries them); a file name it quotes
   * shows its own as `\n`, and control and bidirectional characters show as escapes.
   */
  annotate(level: AnnotationLevel, message: string, properties: AnnotationProperties = {}): void {
    const shown = (value: string | undefined) =>
      value === undefined || value === '' ? undefined : this.redact(propertyText(value));
    const title = shown(properties.title);
    const file = shown(properties.file);
    const where: core.AnnotationProperties = {
      ...(title === undefined ? {} : { title }),
      ...(file === undefined ? {} : { file }),
      ...(properties.line === undefined ? {} : { startLine: properties.line }),
      ...(properties.endLine === undefined ? {} : { endLine: properties.endLine }),
      ...(properties.col === undefined ? {} : { startColumn: properties.col }),
    };
    core[level](this.redact(printableLines(message, [properties.file])), where);
  }

  /**
   * A plain log line. Text from the repository (a pull request's title, a path) shows its control characters as
   * escapes, and a line of it that the runner would take for a command (`::add-mask::`, `::stop-commands::`,
   * `##[...]`) is shown with that start escaped, so that the runner prints it and obeys none of it.
   */
  info(message: string): void {
    core.info(this.redact(defuseCommands(printableLines(message))));
  }

  debug(message: string): void {
    core.debug(this.redact(printableLines(message)));
  }

  warning(message: string): void {
    this.annotate('warning', message);
  }

  error(message: string): void {
    this.annotate('error', message);
  }

  /** Lines a sink made for the log, each an annotation or a plain line. */
  log(messages: readonly WorkflowMessage[]): void {
    for (const { level, message, properties } of messages) {
      if (level === 'info') this.info(message);
      else this.annotate(level, message, properties);
    }
  }

  /** The core's logger, for libraries (the release step) that log as they go. */
  logger(): Logger {
    return {
      debug: (text) => this.debug(text),
      info: (text) => this.info(text),
      warn: (text) => this.warning(text),
      error: (text) => this.error(text),
    };
  }

  /** Runs `fn` inside a foldable group of the log, titled `name`. */
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return core.group(this.redact(printable(name)), fn);
  }

  /** Marks the step failed: an error annotation with the reason, and exit code 1. */
  setFailed(message: string): void {
    this.exitCode = 1;
    core.setFailed(this.redact(printableLines(message)));
  }

  /** Text with every masked secret replaced, for anything this runtime writes. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }
}
