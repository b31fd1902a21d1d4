import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/sinks/text.js';
import { largeReport, RULES, sampleReport } from './report-fixture.js';

const plain = (report = sampleReport()) => renderText(report, { color: false, rules: RULES });

describe('renderText', () => {
  it('starts with the repository and its short head commit', () => {
    expect(plain().split('\n')[0]).toBe('Openly 0.1.0 · nhsx/covid-app @ 3f2a9c1');
    expect(plain(largeReport(1)).split('\n')[0]).toBe('Openly 0.1.0 · big @ no commit');
  });

  it('says why a check that had nothing to judge was skipped', () => {
    const report = sampleReport();
    report.results.push({
      check: 'signed-commits',
      title: 'Signed commits',
      status: 'skip',
      findings: [],
      skipped: 'There are no commits to judge.',
      durationMs: 0,
    });
    expect(plain(report)).toMatch(/^SKIP +Signed commits +There are no commits to judge\.$/m);
  });

  it('writes no escape codes without colour, and colours with it', () => {
    const report = sampleReport();
    report.results[0]!.findings[0]!.message = 'Hostile \x1b[2J\x1b]8;;https://evil.example\x07link text';
    const text = plain(report);
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\x07');
    // The sequences are shown for what they are, not acted on.
    expect(text).toContain('Hostile \\x1b[2J\\x1b]8;;https://evil.example\\x07link text');

    const coloured = renderText(report, { color: true, rules: RULES });
    expect(coloured).toContain('\x1b[31m');
    // Colour is ours alone: the escape sequences the message carried are not written raw.
    expect(coloured).not.toContain('\x1b[2J');
    expect(coloured).not.toContain('\x1b]8');
  });

  it('lists the checks in report order, each with its status word', () => {
    const headers = plain()
      .split('\n')
      .filter((line) => /^(PASS|FAIL|WARN|SKIP|ERROR) /.test(line));
    expect(headers).toEqual([
      'FAIL   Licence',
      'WARN   Community files',
      'PASS   Signed commits',
      'SKIP   Visibility',
      'ERROR  Open-working artefacts',
    ]);
  });

  it('prints one line for a check that passed or was skipped', () => {
    const lines = plain().split('\n');
    const pass = lines.indexOf('PASS   Signed commits');
    expect(lines[pass + 1]).toBe('SKIP   Visibility');
    expect(lines[pass + 2]).toBe('');
  });

  it('shows each finding with its place, the fix and the rule, errors first then by path', () => {
    const text = plain();
    const licence = text.slice(text.indexOf('FAIL   Licence'), text.indexOf('WARN   Community files'));
    expect(licence.trim().split('\n')).toEqual([
      'FAIL   Licence',
      '  ✖ error  (repository)  No licence file for the documentation (docs/).',
      '    fix: Add a LICENCE-docs file with the OGL-UK-3.0 text.',
      '    rule: licence/missing',
      '  ✖ error  (repository)  No licence file was found in the repository.',
      '    fix: Add a LICENCE file at the root of the repository.',
      '    rule: licence/missing',
      '  ⚠ warning  LICENCE:1:1  LICENCE does not match any licence Openly knows.',
      '    fix: Replace LICENCE with the unchanged text of the licence you chose, such as OGL-UK-3.0.',
      '    rule: licence/unknown',
      '  ℹ notice  src/app.ts:1  src/app.ts has no SPDX-License-Identifier header.',
      '    rule: licence/header',
    ]);
  });

  it('sorts findings of one severity by path and line', () => {
    const report = largeReport(0);
    const finding = { check: 'licence', rule: 'licence/header', severity: 'notice' as const, message: 'm' };
    report.results[0]!.findings.push(
      { ...finding, path: 'src/b.ts', line: 2 },
      { ...finding, path: 'src/b.ts', line: 1 },
      { ...finding, path: 'src/a.ts', line: 9 },
    );
    const places = plain(report)
      .split('\n')
      .filter((line) => line.startsWith('  ℹ'))
      .map((line) => line.split('  ')[2]);
    expect(places).toEqual(['src/a.ts:9', 'src/b.ts:1', 'src/b.ts:2']);
  });

  it('keeps a multi-line message under its finding', () => {
    const report = sampleReport();
    report.results[0]!.findings[0]!.message = 'First line\r\nsecond line';
    expect(plain(report)).toContain('  ⚠ warning  LICENCE:1:1  First line\n    second line\n');
  });

  it('says why a crashed check did not finish', () => {
    expect(plain()).toContain(
      'ERROR  Open-working artefacts\n  The artefacts check could not finish: unexpected end of the YAML stream\n',
    );
  });

  it('ends with the counts of the summary', () => {
    expect(plain().trimEnd().split('\n').at(-1)).toBe('3 errors, 3 warnings, 1 notice in 5 checks');
    expect(plain(largeReport(1)).trimEnd().split('\n').at(-1)).toBe(
      '0 errors, 0 warnings, 1 notice in 2 checks',
    );
  });
});
