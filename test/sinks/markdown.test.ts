import { describe, expect, it } from 'vitest';
import { escapeMarkdown, renderMarkdown } from '../../src/sinks/markdown.js';
import { ruleDocsUrl } from '../../src/core/links.js';
import { tablesOf } from './gfm-table.js';
import { RULES, largeReport, sampleReport } from './report-fixture.js';

const HOSTILE =
  'a | b <script>alert(1)</script> <img src=x onerror=alert(1)> ![pixel](https://evil.example/p.png) ' +
  '[click me](javascript:alert(1)) `code` **bold** &lt;b&gt;\nsecond line\r\nthird line';

function hostileReport() {
  const report = sampleReport();
  const licence = report.results[0]!;
  licence.findings[0] = {
    ...licence.findings[0]!,
    message: HOSTILE,
    path: 'docs/<b>x</b>|y.md',
    fix: 'Remove\n| the | pipes |',
  };
  return report;
}

/** Every table keeps one cell per column in every row. */
function expectWellFormedTables(markdown: string) {
  const tables = tablesOf(markdown);
  expect(tables.length).toBeGreaterThan(0);
  for (const table of tables) {
    for (const row of table.rows) expect(row).toHaveLength(table.header.length);
  }
  return tables;
}

describe('renderMarkdown', () => {
  it('summarises each check in report order with its status and counts', () => {
    const [summary] = expectWellFormedTables(renderMarkdown(sampleReport(), { rules: RULES }));
    expect(summary!.header).toEqual(['Check', 'Status', 'Errors', 'Warnings', 'Notices']);
    expect(summary!.rows.map((r) => [r[0]!.replace(/\]\(.*$/, '').slice(1), ...r.slice(1)])).toEqual([
      ['Licence', '❌ Fail', '2', '1', '1'],
      ['Community files', '⚠️ Warn', '0', '2', '0'],
      ['Signed commits', '✅ Pass', '0', '0', '0'],
      ['Visibility', '⏭️ Skipped', '0', '0', '0'],
      ['Open-working artefacts', '💥 Error', '0', '0', '0'],
    ]);
  });

  it('lists the findings of each check, errors first, each rule linked to its documentation', () => {
    const markdown = renderMarkdown(sampleReport(), { rules: RULES });
    const [, licence, community] = expectWellFormedTables(markdown);
    expect(licence!.header).toEqual(['Severity', 'Location', 'Message', 'Fix', 'Rule']);
    expect(licence!.rows.map((r) => r[0])).toEqual(['❌ error', '❌ error', '⚠️ warning', 'ℹ️ notice']);
    expect(licence!.rows[0]![1]).toBe('_repository_');
    expect(licence!.rows[2]).toEqual([
      '⚠️ warning',
      'LICENCE:1:1',
      'LICENCE does not match any licence Openly knows.',
      'Replace LICENCE with the unchanged text of the licence you chose, such as OGL-UK-3.0.',
      `[licence/unknown](${ruleDocsUrl('licence/unknown')})`,
    ]);
    expect(community!.rows).toHaveLength(2);
    expect(markdown).toContain(
      '[licence/missing](https://github.com/openly-dev/openly/blob/main/docs/rules.md#licencemissing)',
    );
  });

  it('shows what a crashed check said, and no table for checks without findings', () => {
    const markdown = renderMarkdown(sampleReport(), { rules: RULES });
    expect(markdown).toContain('### 💥 Open-working artefacts\n\nThe artefacts check could not finish');
    expect(markdown).not.toContain('### ✅ Signed commits');
    expect(tablesOf(markdown)).toHaveLength(3);
  });

  it('keeps hostile text from the repository inert and inside its cell', () => {
    const markdown = renderMarkdown(hostileReport(), { rules: RULES });
    const tables = expectWellFormedTables(markdown);
    const row = tables[1]!.rows.find((r) => r[2]!.startsWith('a '))!;
    expect(row).toBeDefined();
    expect(markdown).not.toMatch(/<(script|img|b)\b/i);
    expect(row[2]).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
    expect(row[2]).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    // Neither an image nor a link can be formed: their brackets are escaped.
    expect(row[2]).toContain('\\!\\[pixel\\]\\(https://evil.example/p.png\\)');
    expect(row[2]).toContain('\\[click me\\]\\(javascript:alert\\(1\\)\\)');
    expect(row[2]).toContain('\\`code\\` \\*\\*bold\\*\\*');
    // An entity in the text shows as written rather than as the character it names.
    expect(row[2]).toContain('&amp;lt;b&amp;gt;');
    expect(row[2]).toContain('second line<br>third line');
    expect(row[2]).toContain('a \\| b');
    expect(row[1]).toBe('docs/&lt;b&gt;x&lt;/b&gt;\\|y.md:1:1');
    expect(row[3]).toBe('Remove<br>\\| the \\| pipes \\|');
  });

  it('escapes every character Markdown or HTML would act on', () => {
    expect(escapeMarkdown('x_y_ ~~s~~ \\ <>&')).toBe('x\\_y\\_ \\~\\~s\\~\\~ \\\\ &lt;&gt;&amp;');
    // Control and direction characters show as escapes, which render as written.
    expect(escapeMarkdown('bell\u0007 and\u001b[31m escape')).toBe('bell\\\\x07 and\\\\x1b\\[31m escape');
    expect(escapeMarkdown('abc\u202edcba')).toBe('abc\\\\u202edcba');
  });

  it('keeps a mention in a message from notifying anyone', () => {
    const markdown = renderMarkdown(sampleReport(), { rules: RULES });
    expect(markdown).toContain('CODEOWNERS names @&#8203;nhs/nobody, which does not exist.');
    expect(markdown).not.toMatch(/@nhs/);
    expect(escapeMarkdown('Write to security@nhs.net')).toBe('Write to security@nhs.net');
  });

  it('uses the title the caller gives', () => {
    expect(renderMarkdown(sampleReport(), { rules: RULES, title: 'Open working: NHS <app>' })).toMatch(
      /^## Open working: NHS &lt;app&gt;\n/,
    );
  });

  it('fits GitHub’s 65,535-character cap by default, leaving out whole rows and saying how many', () => {
    const report = largeReport(2000);
    const markdown = renderMarkdown(report, { rules: RULES });
    expect(markdown.length).toBeLessThanOrEqual(65_535);
    const tables = expectWellFormedTables(markdown);
    const shown = tables[1]!.rows.length;
    expect(shown).toBeGreaterThan(100);
    expect(shown).toBeLessThan(2000);
    expect(markdown).toContain(`**${2000 - shown} findings not shown:**`);
  });

  it.each([1500, 3000, 10_000])('stays within a maxLength of %i with complete tables', (maxLength) => {
    const markdown = renderMarkdown(largeReport(500), { rules: RULES, maxLength });
    expect(markdown.length).toBeLessThanOrEqual(maxLength);
    const tables = expectWellFormedTables(markdown);
    const shown = tables[1]?.rows.length ?? 0;
    const lines = markdown.trimEnd().split('\n');
    // The note follows a blank line, so that it cannot be read as one more row of the table above it.
    expect(lines.at(-2)).toBe('');
    expect(lines.at(-1)).toMatch(new RegExp(`^\\*\\*${500 - shown} findings not shown:\\*\\*`));
  });

  it('leaves out the summary rows themselves when even they do not fit', () => {
    const markdown = renderMarkdown(largeReport(10), { rules: RULES, maxLength: 400 });
    expect(markdown.length).toBeLessThanOrEqual(400);
    expect(markdown).toContain('**10 findings and ');
  });

  it('keeps the errors of a later check when an earlier one has more notices than fit', () => {
    const report = largeReport(300);
    report.results.push(sampleReport().results[0]!);
    const markdown = renderMarkdown(report, { rules: RULES, maxLength: 3000 });
    expect(markdown.length).toBeLessThanOrEqual(3000);
    const [, notices, licence] = expectWellFormedTables(markdown);
    expect(licence!.rows.filter((r) => r[0] === '❌ error')).toHaveLength(2);
    // Report order still holds: the first check, cut short, comes before the one whose errors were kept.
    expect(notices!.rows[0]![2]).toMatch(/^File 0 /);
    expect(markdown.indexOf('### ✅ Licence')).toBeLessThan(markdown.indexOf('### ❌ Licence'));
    const shown = notices!.rows.length + licence!.rows.length;
    expect(markdown).toContain(`**${304 - shown} findings not shown:**`);
  });

  it('still says why a check crashed when findings had to be left out', () => {
    const report = largeReport(300);
    report.results.push(sampleReport().results[4]!);
    const markdown = renderMarkdown(report, { rules: RULES, maxLength: 2500 });
    expect(markdown).toContain('### 💥 Open-working artefacts\n\nThe artefacts check could not finish');
    expect(markdown.length).toBeLessThanOrEqual(2500);
  });

  it('adds no note when everything fits', () => {
    expect(renderMarkdown(sampleReport(), { rules: RULES })).not.toContain('not shown');
  });
});
