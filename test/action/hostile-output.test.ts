/**
 * The Action on a checkout whose file names attack the log that prints them: every workflow command in the log is
 * one the Action meant, each annotation still names its file as the runner will read it back, and no control or
 * direction character reaches the log, the job summary or the status page raw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, runAction, runner } from './support.js';
import { example } from '../release/github-mock.js';

afterEach(cleanUp);

/** A header naming no SPDX licence; each file names another, so that each gets a finding of its own. */
const header = (n: number) => `# Notes\n\nSPDX-License-Identifier: Not-A-Licence-${n}.0\n`;

const NAMES = [
  'N1\n::error file=INJ.md::X.txt',
  'N2\r::warning::Y.txt',
  'N3\x1b[31mred.txt',
  'N4\x1b]8;;http:x\x07link.txt',
  'N5\u202egpj.txt',
  'N6\x9bc1.txt',
  'N7 ##[error]boom.txt',
  'N8\t\x7f.txt',
  'N9 a,b:c%0A.txt',
];

// eslint-disable-next-line no-control-regex -- these are exactly what must not reach the log raw
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** A property value as the runner's ActionCommand reads it back. */
function unescapeProperty(value: string): string {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}

describe('the Action on a checkout with hostile file names', () => {
  it('logs only its own commands, each annotation on its file, with no raw control character', async () => {
    const r = runner({
      event: 'push',
      payload: example('push', (p) => p.ref === 'refs/heads/master' && p.deleted === false),
      inputs: { mode: 'status', 'dry-run': 'true' },
      change: Object.fromEntries(NAMES.map((name, n) => [name, header(n)])),
    });
    const result = await runAction(r);
    expect(result.status).not.toBe('pass');

    // The runner splits the output at CR, LF and CRLF, and trims leading whitespace before looking for `::`.
    const lines = result.log.split(/\r\n|\r|\n/);
    const commands = lines.filter((line) => /^[\s\u0085]*::/.test(line) || line.includes('##['));
    for (const line of commands) {
      expect(line).toMatch(/^::(add-mask|debug|error|warning|notice)(::| title=Openly )/);
    }
    expect(result.log).not.toMatch(RAW_CONTROL);

    const files = commands
      .map((line) => /^::\w+ [^:]*?file=([^,:]*)/.exec(line)?.[1])
      .filter((file): file is string => file !== undefined)
      .map(unescapeProperty);
    // Line breaks and the runner's own separators travel in its escaping, so those annotations land on the file;
    // the other names are shown with their escapes.
    expect(files).toContain(NAMES[0]);
    expect(files).toContain(NAMES[1]);
    expect(files).toContain(NAMES[8]);
    expect(files).toContain('N3\\x1b[31mred.txt');
    expect(files).toContain('N5\\u202egpj.txt');
    expect(files).toContain('N7 ##[error]boom.txt');
    // The message quoting a name shows its line break as `\n`, not as a second line of the annotation.
    expect(result.log).toContain('N1\\n::error file=INJ.md::X.txt');

    const summary = readFileSync(r.summaryFile, 'utf8');
    expect(summary).not.toMatch(RAW_CONTROL);
    expect(summary).toContain('N5\\\\u202egpj.txt');
    const page = readFileSync(join(r.workspace, 'openly-status', 'index.html'), 'utf8');
    expect(page).not.toMatch(RAW_CONTROL);
  });
});
