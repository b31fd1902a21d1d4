import crypto from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Runtime } from '../../src/action/runtime.js';
import { captureRunner, cleanUp, readOutputs, tempDir, type CapturedRunner } from './support.js';

const restores: (() => void)[] = [];

afterEach(() => {
  for (const restore of restores.splice(0).reverse()) restore();
  cleanUp();
});

function capture(env: Record<string, string> = {}): { runtime: Runtime; out: () => string } {
  const runner: CapturedRunner = captureRunner(env);
  restores.push(() => runner.restore());
  return { runtime: new Runtime(), out: () => runner.out() };
}

/**
 * The runner's heredoc delimiters made predictable: @actions/core takes each from crypto.randomUUID, which is
 * random so that no value can end its own output early.
 */
function uuids(next: () => string): void {
  const original = crypto.randomUUID;
  crypto.randomUUID = next as typeof crypto.randomUUID;
  syncBuiltinESMExports();
  restores.push(() => {
    crypto.randomUUID = original;
    syncBuiltinESMExports();
  });
}

/**
 * The commands the runner would carry out, reading the log as it does: `::` after leading spaces (v2) or `##[`
 * anywhere in a line (v1), none between `::stop-commands::T` and `::T::`. The test's own commands are left out.
 */
function obeyed(log: string): string[] {
  const found: string[] = [];
  let stopped: string | undefined;
  for (const raw of log.split('\n')) {
    const line = raw.trimStart();
    if (stopped !== undefined) {
      if (line === `::${stopped}::`) stopped = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop !== null) {
      stopped = stop[1];
      continue;
    }
    if (line.startsWith('::') || line.includes('##[')) found.push(line);
  }
  return found;
}

describe('inputs', () => {
  it('reads INPUT_ with the name upper-cased and hyphens kept, trimmed, empty when unset', () => {
    const { runtime } = capture({ 'INPUT_DRY-RUN': ' true \n', INPUT_PAGES_BRANCH: 'wrong' });
    expect(runtime.getInput('dry-run')).toBe('true');
    expect(runtime.getInput('pages-branch')).toBe('');
  });
});

describe('outputs', () => {
  it('writes each output to $GITHUB_OUTPUT as a heredoc the runner reads back, lines and all', () => {
    const file = join(tempDir('openly-runtime-'), 'output');
    writeFileSync(file, '');
    let n = 0;
    uuids(() => String(++n));
    const { runtime } = capture({ GITHUB_OUTPUT: file });
    runtime.setOutput('status', 'pass');
    runtime.setOutput('notes', 'line one\nstatus<<x\nline three');
    expect(readFileSync(file, 'utf8')).toBe(
      'status<<ghadelimiter_1\npass\nghadelimiter_1\nnotes<<ghadelimiter_2\nline one\nstatus<<x\nline three\nghadelimiter_2\n',
    );
    expect(readOutputs(file)).toEqual({ status: 'pass', notes: 'line one\nstatus<<x\nline three' });
  });

  it('refuses a value that holds its own delimiter rather than let it end the output early', () => {
    const file = join(tempDir('openly-runtime-'), 'output');
    writeFileSync(file, '');
    uuids(() => 'EOF');
    const { runtime } = capture({ GITHUB_OUTPUT: file });
    expect(() => runtime.setOutput('body', 'a\nghadelimiter_EOF\nmalicious=1')).toThrow(
      /contains its own delimiter/,
    );
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('appends the job summary to $GITHUB_STEP_SUMMARY', async () => {
    const file = join(tempDir('openly-runtime-'), 'summary');
    writeFileSync(file, '# Earlier step\n');
    const { runtime } = capture({ GITHUB_STEP_SUMMARY: file });
    expect(await runtime.summary('## Openly')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('# Earlier step\n## Openly\n');
    restores.pop()?.();
    expect(await capture().runtime.summary('x')).toBe(false);
  });
});

describe('one run after another in the same process', () => {
  it('writes each job summary to the file its own run was given', async () => {
    const first = join(tempDir('openly-runtime-'), 'summary');
    const second = join(tempDir('openly-runtime-'), 'summary');
    writeFileSync(first, '');
    writeFileSync(second, '');
    expect(await capture({ GITHUB_STEP_SUMMARY: first }).runtime.summary('# First run')).toBe(true);
    restores.pop()?.();
    expect(await capture({ GITHUB_STEP_SUMMARY: second }).runtime.summary('# Second run')).toBe(true);
    expect(readFileSync(first, 'utf8')).toBe('# First run\n');
    expect(readFileSync(second, 'utf8')).toBe('# Second run\n');
  });
});

describe('workflow commands', () => {
  it('escapes message text and property values as the runner expects', () => {
    const { runtime, out } = capture();
    runtime.annotate('error', '100% done\nnext', { file: 'docs/a:b,c.md', line: 3 });
    runtime.annotate('notice', 'bad\nthing', { title: 'Openly a,b', file: 'a,b.md', col: 2 });
    expect(out()).toBe(
      '::error file=docs/a%3Ab%2Cc.md,line=3::100%25 done%0Anext\n' +
        '::notice title=Openly a%2Cb,file=a%2Cb.md,col=2::bad%0Athing\n',
    );
  });

  it('annotates a finding on its file and lines; a newline in a message cannot start a second command', () => {
    const { runtime, out } = capture();
    runtime.annotate('warning', 'Review overdue\n::error::injected', {
      title: 'Openly artefact/review-due',
      file: 'roadmap, 2026.yaml',
      line: 4,
      endLine: 6,
      col: 2,
    });
    expect(out()).toBe(
      '::warning title=Openly artefact/review-due,file=roadmap%2C 2026.yaml,line=4,endLine=6,col=2::Review overdue%0A::error::injected\n',
    );
    expect(
      out()
        .split('\n')
        .filter((line) => line.startsWith('::')),
    ).toHaveLength(1);
  });

  it('a log line from the repository cannot give the runner a command, in either form', () => {
    const { runtime, out } = capture();
    const title = 'Fix typo\n::add-mask::secret\n  ::set-output name=tag::v9\nsee ##[error]boom';
    runtime.info(`Listed pull request: ${title}`);
    runtime.info('GitHub requests: 2');
    expect(obeyed(out())).toEqual([]);
    // The text still reaches the log, with only the command starts escaped.
    expect(out()).toContain(
      'Listed pull request: Fix typo\n\\x3a:add-mask::secret\n  \\x3a:set-output name=tag::v9\nsee ##\\x5berror]boom\n',
    );
    expect(out()).toContain('GitHub requests: 2\n');
  });

  it('a log line cannot stop the runner reading commands, nor carry a terminal escape', () => {
    const { runtime, out } = capture();
    runtime.info('::stop-commands::tok\r::add-mask::x \x1b[2J\u202e');
    expect(obeyed(out().replace(/\r/g, '\n'))).toEqual([]);
    expect(out()).toBe('\\x3a:stop-commands::tok\n\\x3a:add-mask::x \\x1b[2J\\u202e\n');
  });

  it('without $GITHUB_OUTPUT an output is logged, and a value cannot give the runner a command', () => {
    const { runtime, out } = capture();
    runtime.setOutput('tag', 'v1\n::add-mask::ghs_x');
    expect(obeyed(out())).toEqual([]);
  });

  it('masks the token: add-mask for the runner, and the runtime never prints it again', () => {
    const { runtime, out } = capture();
    runtime.mask('ghs_secret123');
    runtime.info('calling GitHub with ghs_secret123');
    runtime.error('refused: token ghs_secret123 lacks a permission');
    expect(out()).toBe(
      '::add-mask::ghs_secret123\ncalling GitHub with ***\n::error::refused: token *** lacks a permission\n',
    );
  });

  it('setFailed sets exit code 1 with an error annotation', () => {
    const { runtime, out } = capture();
    expect(runtime.exitCode).toBe(0);
    runtime.setFailed('Openly found 2 errors');
    expect(runtime.exitCode).toBe(1);
    expect(out()).toBe('::error::Openly found 2 errors\n');
  });
});
