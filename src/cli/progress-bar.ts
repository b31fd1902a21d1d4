/**
 * The audit's progress on a terminal: one line on standard error, redrawn in place with a carriage return. Only
 * for a person watching: never in a pipe, a file or a CI log, where a line redrawn a thousand times is noise.
 */

/** Whether to draw the bar: standard error is a terminal, and neither NO_COLOR nor CI asks for plain output. */
export function showsProgress(env: NodeJS.ProcessEnv, isTTY: boolean | undefined): boolean {
  if (isTTY !== true) return false;
  // NO_COLOR (no-color.org) counts when set to anything but the empty string; CI=false is how some set it off.
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0') return false;
  return true;
}

const WIDTH = 20;

/** `Auditing 340/2,000 repositories ▕████░░░░▏ 17%`, and what the audit is waiting for, when it waits. */
export function renderProgress(done: number, total: number, waiting?: { ms: number; why: string }): string {
  const whole = Math.max(total, done, 0);
  const share = whole === 0 ? 0 : done / whole;
  const filled = Math.min(WIDTH, Math.floor(share * WIDTH));
  const bar = `▕${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}▏`;
  const count = `${done.toLocaleString('en-GB')}/${whole.toLocaleString('en-GB')}`;
  const line = `Auditing ${count} repositories ${bar} ${Math.floor(share * 100)}%`;
  if (waiting === undefined) return line;
  return `${line}, waiting ${Math.ceil(waiting.ms / 1000)} s: ${waiting.why}`;
}

/** The line as drawn: each draw overwrites the last, padded so that a shorter line leaves nothing behind. */
export class ProgressLine {
  #drawn = 0;
  #done = 0;
  #total = 0;

  constructor(private readonly out: NodeJS.WritableStream) {}

  #draw(line: string): void {
    const width = [...line].length;
    this.out.write(`\r${line}${' '.repeat(Math.max(0, this.#drawn - width))}`);
    this.#drawn = width;
  }

  update(done: number, total: number): void {
    this.#done = done;
    this.#total = total;
    this.#draw(renderProgress(done, total));
  }

  wait(ms: number, why: string): void {
    this.#draw(renderProgress(this.#done, this.#total, { ms, why }));
  }

  /** Removes the line, so that what is printed next starts on a clean line. */
  clear(): void {
    if (this.#drawn === 0) return;
    this.out.write(`\r${' '.repeat(this.#drawn)}\r`);
    this.#drawn = 0;
  }
}
