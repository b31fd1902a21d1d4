import { describe, expect, it } from 'vitest';
import { ProgressLine, renderProgress, showsProgress } from '../../src/cli/progress-bar.js';
import { Capture } from '../support/cli.js';

describe('whether the audit draws a progress bar', () => {
  it.each([
    ['a terminal, nothing set', {}, true, true],
    ['a pipe or a file', {}, false, false],
    ['a stream that says nothing', {}, undefined, false],
    ['NO_COLOR=1', { NO_COLOR: '1' }, true, false],
    ['NO_COLOR set but empty (no-color.org: not set)', { NO_COLOR: '' }, true, true],
    ['CI=true', { CI: 'true' }, true, false],
    ['CI=1 (GitLab, Buildkite)', { CI: '1' }, true, false],
    ['CI=false', { CI: 'false' }, true, true],
  ])('%s', (_case, env: NodeJS.ProcessEnv, isTTY, expected) => {
    expect(showsProgress(env, isTTY)).toBe(expected);
  });
});

describe('the progress line', () => {
  it('counts with thousands separators and fills the bar in proportion', () => {
    expect(renderProgress(340, 2000)).toBe('Auditing 340/2,000 repositories ▕███░░░░░░░░░░░░░░░░░▏ 17%');
    expect(renderProgress(0, 0)).toBe('Auditing 0/0 repositories ▕░░░░░░░░░░░░░░░░░░░░▏ 0%');
    expect(renderProgress(2000, 2000)).toBe('Auditing 2,000/2,000 repositories ▕████████████████████▏ 100%');
  });

  it('never shows more done than the whole, when repositories were added during the audit', () => {
    expect(renderProgress(105, 100)).toBe('Auditing 105/105 repositories ▕████████████████████▏ 100%');
  });

  it('shows a rate-limit wait and what it waits for', () => {
    expect(renderProgress(300, 1200, { ms: 41_200, why: "GitHub's GraphQL rate limit is used up" })).toBe(
      "Auditing 300/1,200 repositories ▕█████░░░░░░░░░░░░░░░▏ 25%, waiting 42 s: GitHub's GraphQL rate limit is used up",
    );
  });

  it('is redrawn in place, a shorter line covering the longer one, and cleared at the end', () => {
    const out = new Capture();
    const line = new ProgressLine(out);
    line.update(1, 10);
    line.wait(5000, 'secondary limit');
    line.update(2, 10);
    line.clear();
    const draws = out.text.split('\r').slice(1);
    expect(draws[0]).toBe('Auditing 1/10 repositories ▕██░░░░░░░░░░░░░░░░░░▏ 10%');
    expect(draws[1]).toBe(
      'Auditing 1/10 repositories ▕██░░░░░░░░░░░░░░░░░░▏ 10%, waiting 5 s: secondary limit',
    );
    expect(draws[2]!.trimEnd()).toBe('Auditing 2/10 repositories ▕████░░░░░░░░░░░░░░░░▏ 20%');
    expect(draws[2]).toHaveLength(draws[1]!.length);
    expect(draws[3]!.trim()).toBe('');
    expect(draws[4]).toBe('');
    expect(out.text).not.toContain('\n');
  });
});
