/**
 * A repository whose file names, configuration keys and values are written to attack whoever prints the report:
 * a line break and a workflow command in a file name, a carriage return, ANSI and OSC escape sequences, a C1 CSI,
 * a right-to-left override. Every format the CLI prints, on standard output and standard error, must show them
 * as escapes, never as a line a CI runner obeys, and JSON and SARIF must still carry the exact names.
 */
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Capture, commitAll, initRepo, useTempDirs, writeFiles } from '../support/cli.js';

const tempDir = useTempDirs('openly-hostile-');

/** File names no tool should print raw; `/` and NUL are the only characters a name cannot hold. */
export const HOSTILE_NAMES = [
  'docs/adr/ADR-001\n::error file=INJ.md::X.md',
  'docs/adr/ADR-002\r::warning::Y.md',
  'docs/adr/ADR-003\x1b[31mred.md',
  'docs/adr/ADR-004\x1b]8;;http:x\x07link.md',
  'docs/adr/ADR-005\u202egpj.md',
  'docs/adr/ADR-006\x9bc1.md',
  'docs/adr/ADR-007 ##[error]boom.md',
  'docs/adr/ADR-008\t\x7f.md',
  'docs/adr/ADR-009\u2028::error::sep.md',
  'docs/adr/ADR-010\u0085::notice::nel.md',
];

/** An ADR that any reading of the rules flags, and a licence header that names no SPDX licence. */
const BAD_ADR = '---\nstatus: Nonsense\n---\n# A decision\n\nSPDX-License-Identifier: Not-A-Licence-1.0\n';

export function hostileRepo(files: Record<string, string>): string {
  const dir = tempDir();
  writeFiles(dir, files);
  initRepo(dir);
  commitAll(dir, 'First');
  return dir;
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout, stderr, cwd: tmpdir(), env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** What a terminal or log viewer acts on rather than shows; LF is the output's own line break. */
// eslint-disable-next-line no-control-regex -- these are exactly what must not be printed raw
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/**
 * Lines as the GitHub Actions runner splits a step's output (at CR, LF or CRLF), and those it would take for a
 * command: `::` after leading whitespace (.NET's TrimStart, NEL included), or `##[` anywhere.
 */
export function commandLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => /^[\s\u0085]*::/.test(line) || line.includes('##['));
}

export function expectPrintable(text: string): void {
  expect(commandLines(text)).toEqual([]);
  expect(text).not.toMatch(RAW_CONTROL);
}

const healthy = {
  'README.md': '# Bins\n\nWhich day the bins go out.\n',
  LICENCE: 'MIT Licence\n',
};

describe('a repository with hostile file names', () => {
  const repo = hostileRepo({
    ...healthy,
    ...Object.fromEntries(HOSTILE_NAMES.map((name) => [name, BAD_ADR])),
  });

  it('text: each name shows its control characters as escapes, and no line is a workflow command', async () => {
    const { code, stdout, stderr } = await run(['check', repo]);
    expect(code).toBe(1);
    expectPrintable(stdout);
    expectPrintable(stderr);
    expect(stdout).toContain('docs/adr/ADR-001\\n::error file=INJ.md::X.md');
    expect(stdout).toContain('docs/adr/ADR-002\\r::warning::Y.md');
    expect(stdout).toContain('docs/adr/ADR-003\\x1b[31mred.md');
    expect(stdout).toContain('docs/adr/ADR-004\\x1b]8;;http:x\\x07link.md');
    expect(stdout).toContain('docs/adr/ADR-005\\u202egpj.md');
    expect(stdout).toContain('docs/adr/ADR-006\\x9bc1.md');
    expect(stdout).toContain('docs/adr/ADR-007 ##\\x5berror]boom.md');
    expect(stdout).toContain('docs/adr/ADR-008\\t\\x7f.md');
    expect(stdout).toContain('docs/adr/ADR-009\\u2028::error::sep.md');
    expect(stdout).toContain('docs/adr/ADR-010\\x85::notice::nel.md');
  });

  it('text in colour: the only escape sequences are the colours Openly chose', async () => {
    const { stdout } = await run(['check', repo], { FORCE_COLOR: '1' });
    expect(commandLines(stdout)).toEqual([]);
    expect(stdout).toContain('\x1b[31m');
    // eslint-disable-next-line no-control-regex -- every ESC must open one of the sink's own SGR codes
    expect(stdout.replace(/\x1b\[(?:1|2|22|31|32|33|36|39)m/g, '')).not.toMatch(RAW_CONTROL);
  });

  it('markdown: names are escaped and no line is a workflow command', async () => {
    const { stdout, stderr } = await run(['check', repo, '--format', 'markdown']);
    expectPrintable(stdout);
    expectPrintable(stderr);
    expect(stdout).toContain('docs/adr/ADR-005\\\\u202egpj.md');
  });

  it('json: parses to the exact file names, with no raw control or direction character in the text', async () => {
    const { code, stdout, stderr } = await run(['check', repo, '--format', 'json']);
    expect(code).toBe(1);
    expectPrintable(stdout);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as { results: Array<{ findings: Array<{ path?: string }> }> };
    const paths = new Set(report.results.flatMap((r) => r.findings.map((f) => f.path)));
    for (const name of HOSTILE_NAMES) expect(paths, JSON.stringify(name)).toContain(name);
  });

  it('sarif: parses to the exact file names, with no raw control or direction character in the text', async () => {
    const { stdout } = await run(['check', repo, '--format', 'sarif']);
    expectPrintable(stdout);
    const sarif = JSON.parse(stdout) as {
      runs: Array<{
        results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
      }>;
    };
    const uris = new Set(
      sarif.runs[0]!.results.map((r) =>
        decodeURIComponent(r.locations[0]!.physicalLocation.artifactLocation.uri),
      ),
    );
    for (const name of HOSTILE_NAMES) expect(uris, JSON.stringify(name)).toContain(name);
  });
});

describe('a configuration with hostile keys and values', () => {
  const config = [
    'licence:',
    '  allowed: ["MIT\\u202eevil", "\\e]8;;http://x\\a", "\\x9b2J"]',
    'rules:',
    '  "licence/missin\\e[31mg": error',
    '  "\\n::error file=K.md::key": off',
    '  "\\r##[warning]cr": off',
    'license: error',
    '"com\\x9bmunity-files": warning',
    '',
  ].join('\n');

  it('stderr names each problem on one line, its keys and values escaped, none a workflow command', async () => {
    const repo = hostileRepo({ ...healthy, '.github/openly.yml': config });
    for (const format of ['text', 'json', 'sarif', 'markdown']) {
      const { code, stdout, stderr } = await run(['check', repo, '--format', format]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expectPrintable(stderr);
      const lines = stderr.trimEnd().split('\n');
      expect(lines.every((line) => line.startsWith('openly: .github/openly.yml:'))).toBe(true);
      expect(stderr).toContain('"MIT\\u202eevil"');
      expect(stderr).toContain('"\\x1b]8;;http://x\\x07"');
      expect(stderr).toContain('"licence/missin\\x1b[31mg"');
      expect(stderr).toContain('"\\n::error file=K.md::key"');
      expect(stderr).toContain('"\\r##\\x5bwarning]cr"');
      expect(stderr).toContain('unknown key "com\\x9bmunity-files"');
    }
  });

  it('a YAML error quoting a key with escape sequences prints it escaped', async () => {
    const key = '"\\e[2J\\r::error::x\\u202e"';
    const repo = hostileRepo({ ...healthy, '.github/openly.yml': `rules:\n  ${key}: off\n  ${key}: off\n` });
    const { code, stderr } = await run(['check', repo]);
    expect(code).toBe(2);
    expectPrintable(stderr);
    expect(stderr).toContain('the key "\\x1b[2J\\r::error::x\\u202e" appears twice');
  });

  it('an _extends value that is not followed is quoted escaped on standard error', async () => {
    const repo = hostileRepo({
      ...healthy,
      '.github/openly.yml': '_extends: "\\e[2J\\n::error::x \\u202e ##[group]g"\n',
    });
    const { stderr } = await run(['check', repo]);
    expectPrintable(stderr);
    expect(stderr).toContain(
      '_extends: "\\x1b[2J\\n::error::x \\u202e ##\\x5bgroup]g" is not followed offline',
    );
  });

  it('a hostile --config path and an unknown command are quoted escaped', async () => {
    const missing = await run(['check', tmpdir(), '--config', 'x\n::error::y\x1b[2J.yml']);
    expect(missing.code).toBe(2);
    expectPrintable(missing.stderr);
    const unknown = await run(['chec\n::error::k\u202e']);
    expect(unknown.code).toBe(2);
    expectPrintable(unknown.stderr);
    expect(unknown.stderr).toContain('unknown command "chec\\n::error::k\\u202e"');
  });
});
