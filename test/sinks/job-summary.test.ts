import { describe, expect, it } from 'vitest';
import {
  renderConfigProblemsSummary,
  renderJobSummary,
  renderReleaseSummary,
  STEP_SUMMARY_LIMIT,
} from '../../src/sinks/job-summary.js';
import { hostileReport, hostileStatus, hugeStatus } from '../status/hostile.js';
import { fixtureRepo, judged, MILESTONE, RELEASE } from '../status/support.js';
import { tablesOf, type Table } from './gfm-table.js';

function tableWith(markdown: string, header: string): Table {
  const table = tablesOf(markdown).find((t) => t.header[0] === header);
  if (table === undefined) throw new Error(`no table headed ${header}`);
  return table;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

describe('renderJobSummary', () => {
  it('tells a reader the verdict, each check with a link to its docs, and what the repository holds', async () => {
    const { report, status } = await judged(fixtureRepo('vaccination-service'), {
      latestRelease: RELEASE,
      milestone: MILESTONE,
    });
    const markdown = renderJobSummary(status, report);

    expect(markdown.split('\n')[0]).toBe('## ❌ Governance status: Failing');
    expect(markdown).toContain(
      '[`8f2c1d4`](https://github.com/nhs-england/book-a-vaccination/commit/8f2c1d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d)',
    );
    expect(markdown).toContain('checked 23 November 2026 at 19:04 UTC');
    expect(markdown).toContain('**1 error, 2 warnings, 0 notices in 9 checks**');

    expect(tableWith(markdown, 'Check').rows).toEqual([
      [
        '[Licence](https://github.com/openly-dev/openly/blob/main/docs/rules.md#licence)',
        '✅ Pass',
        '0',
        '0',
        '0',
      ],
      [
        '[Community files](https://github.com/openly-dev/openly/blob/main/docs/rules.md#community-files)',
        '⚠️ Warning',
        '0',
        '1',
        '0',
      ],
      [
        '[Open-working artefacts](https://github.com/openly-dev/openly/blob/main/docs/rules.md#artefacts)',
        '❌ Fail',
        '1',
        '1',
        '0',
      ],
      [
        '[Signed commits](https://github.com/openly-dev/openly/blob/main/docs/rules.md#signed-commits)',
        '⏭️ Skipped',
        '0',
        '0',
        '0',
      ],
      [
        '[Visibility](https://github.com/openly-dev/openly/blob/main/docs/rules.md#visibility)',
        '⏭️ Skipped',
        '0',
        '0',
        '0',
      ],
      [
        '[Branch rules](https://github.com/openly-dev/openly/blob/main/docs/rules.md#branch-rules)',
        '⏭️ Skipped',
        '0',
        '0',
        '0',
      ],
      [
        '[Drafts](https://github.com/openly-dev/openly/blob/main/docs/rules.md#drafts)',
        '✅ Pass',
        '0',
        '0',
        '0',
      ],
      [
        '[Secrets](https://github.com/openly-dev/openly/blob/main/docs/rules.md#secrets)',
        '✅ Pass',
        '0',
        '0',
        '0',
      ],
      [
        '[Diagram exports](https://github.com/openly-dev/openly/blob/main/docs/rules.md#diagrams)',
        '⏭️ Skipped',
        '0',
        '0',
        '0',
      ],
    ]);
    expect(tableWith(markdown, 'File').rows).toEqual([
      ['LICENCE', 'MIT', '100%', '\\*\\*'],
      ['docs/LICENCE.md', 'OGL-UK-3.0', '100%', 'docs/\\*\\*'],
    ]);
    expect(markdown).toContain('6 artefacts: 5 valid, 1 not valid.');
    expect(tableWith(markdown, 'Type').rows).toContainEqual(['Architecture decision record', '1', '1', '2']);
    expect(markdown).toContain('| docs/adr/0009-append-only-audit-table.md | Architecture decision record |');
    expect(tableWith(markdown, 'Incident').rows.map((r) => r.slice(0, 3))).toEqual([
      ['INC-2026-031: People cannot sign in with NHS login', 'investigating', 'P1'],
      ['INC-2026-028: Searching for a vaccination centre is slow', 'monitoring', 'P3'],
    ]);
    expect(markdown).toContain(
      '[Book for someone you care for](https://github.com/nhs-england/book-a-vaccination/releases/tag/v2.3.0) (v2.3.0), published 18 November 2026 at 10:30 UTC.',
    );
    expect(markdown).toContain(
      '[v2.4.0](https://github.com/nhs-england/book-a-vaccination/milestone/12): 6 of 10 issues and pull requests closed \\(60%\\) · due 12 December 2026',
    );
    const findings = tableWith(markdown, 'Severity');
    expect(findings.rows.map((r) => [r[0], r[2]])).toEqual([
      ['❌ error', 'docs/adr/0009-append-only-audit-table.md:5:9'],
      ['⚠️ warning', '_repository_'],
      ['⚠️ warning', 'roadmap.yaml:5:18'],
    ]);
    expect(markdown).not.toContain('not shown');
  });

  it('says plainly when there is no release, no milestone, no incident and nothing wrong', async () => {
    const { report, status } = await judged({ 'README.md': '# Tiny\n' });
    const markdown = renderJobSummary({ ...status, openIncidents: [] }, report);
    expect(markdown).toContain('No release has been published yet.');
    expect(markdown).toContain('No milestone is open.');
    expect(markdown).toContain('No open incidents: every incident report is resolved or reviewed.');
    expect(markdown).toContain('No open-working artefacts were found.');
  });

  it('names a release GitHub gives no publication time without inventing one', async () => {
    const { report, status } = await judged(
      { 'README.md': '# Tiny\n' },
      { latestRelease: { ...RELEASE, publishedAt: '' } },
    );
    expect(renderJobSummary(status, report)).toContain(
      '[Book for someone you care for](https://github.com/nhs-england/book-a-vaccination/releases/tag/v2.3.0) (v2.3.0).\n',
    );
  });

  it('keeps hostile text from the repository inert and inside its cell', () => {
    const markdown = renderJobSummary(hostileStatus(), hostileReport());
    expect(markdown).not.toMatch(/<script|<img|\]\(javascript:/i);
    expect(markdown).toContain('Licence &lt;script&gt;alert\\("title"\\)&lt;/script&gt;');
    // Every row keeps its table's number of cells: a `|` in a title cannot open a new cell.
    for (const table of tablesOf(markdown)) {
      for (const row of table.rows) expect(row).toHaveLength(table.header.length);
    }
    // A release address that is not a web address is shown as text, never linked.
    expect(markdown).toContain('Release &lt;script&gt;');
    expect(markdown).not.toContain('javascript:alert(document');
    // A mention in an incident title notifies nobody.
    expect(markdown).not.toMatch(/(^|\s)@nhs-england/);
  });

  it('stays within GitHub’s 1 MiB step summary for a huge monorepo, saying what it left out', () => {
    const { status, report } = hugeStatus();
    const markdown = renderJobSummary(status, report);
    expect(bytes(markdown)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT);
    // What always fits: the verdict, every check, the release and the milestone.
    expect(tableWith(markdown, 'Check').rows).toHaveLength(2);
    for (const text of [
      '[v9.0.0](https://github.com/nhs/monorepo/releases/tag/v9.0.0)',
      '30 of 40 issues and pull requests closed',
      '30,000 artefacts: 20,000 valid, 10,000 not valid.',
    ]) {
      // Not toContain: a failure would print the whole megabyte.
      expect(markdown.includes(text), text).toBe(true);
    }

    // Each cut list says how many rows it left out, and those shown plus those left out are all of them.
    const cut = (table: Table, pattern: RegExp, total: number) => {
      const omitted = Number(pattern.exec(markdown)?.[1]?.replace(/,/g, ''));
      expect(omitted).toBeGreaterThan(0);
      expect(table.rows.length + omitted).toBe(total);
    };
    cut(tableWith(markdown, 'Incident'), /_([\d,]+) open incidents not shown/, 6000);
    cut(tableWith(markdown, 'File'), /_([\d,]+) licence files not shown/, 8000);
    cut(tableWith(markdown, 'Severity'), /_([\d,]+) findings not shown/, 40_000);
    // The errors come first: what fits of the findings is the most severe.
    expect(tableWith(markdown, 'Severity').rows[0]?.[0]).toBe('❌ error');
  });

  it('never exceeds a smaller limit, counting bytes rather than characters', () => {
    const { status, report } = hugeStatus();
    for (const maxBytes of [300, 2_000, 20_000]) {
      const markdown = renderJobSummary(status, report, { maxBytes });
      expect(bytes(markdown)).toBeLessThanOrEqual(maxBytes);
      expect(markdown.startsWith('## ❌ Governance status: Failing')).toBe(true);
    }
  });

  it('shows why a crashed check judged nothing', async () => {
    const { report, status } = await judged(fixtureRepo('vaccination-service'));
    const crashed = {
      ...report,
      results: [
        ...report.results,
        {
          check: 'visibility',
          title: 'Visibility',
          status: 'error' as const,
          findings: [],
          error: 'The visibility check could not finish: GitHub answered 502.',
          durationMs: 1,
        },
      ],
    };
    const markdown = renderJobSummary(status, crashed);
    expect(tableWith(markdown, 'Severity').rows[0]).toEqual([
      '💥 error',
      'Visibility',
      '_repository_',
      'The visibility check could not finish: GitHub answered 502.',
      '',
      '',
    ]);
  });
});

describe('renderReleaseSummary', () => {
  it('says what happened to the release, linked when it has an address', () => {
    const outcome = {
      action: 'created',
      tag: 'v2.1.0',
      name: 'v2.1.0',
      body: '',
      draft: true,
      url: 'https://github.com/nhsx/covid-app/releases/tag/v2.1.0',
      pullRequests: 1,
    } as const;
    expect(renderReleaseSummary(outcome)).toBe(
      '\n## Release\n\nDraft release [v2.1.0](https://github.com/nhsx/covid-app/releases/tag/v2.1.0) created, listing 1 pull request.\n',
    );
    const dry = { ...outcome, action: 'dry-run', draft: false, pullRequests: 3 } as const;
    const { url: _, ...unwritten } = dry;
    expect(renderReleaseSummary(unwritten)).toBe(
      '\n## Release\n\nRelease v2.1.0 worked out (dry run: not written), listing 3 pull requests.\n',
    );
    expect(renderReleaseSummary({ ...unwritten, tag: 'v3_*beta*' })).toContain('Release v3\\_\\*beta\\* ');
  });
});

describe('renderConfigProblemsSummary', () => {
  it('lists each problem where it is, escaped', () => {
    expect(
      renderConfigProblemsSummary([
        { file: '.github/openly.yml', line: 2, column: 3, message: 'unknown check "licnece" *here*' },
        { file: '.github/openly.yaml', line: 0, column: 0, message: 'both files exist' },
      ]),
    ).toBe(
      '# Openly: configuration invalid\n\n' +
        '- `.github/openly.yml:2` unknown check "licnece" \\*here\\*\n' +
        '- `.github/openly.yaml` both files exist\n',
    );
  });
});
