import { describe, expect, it } from 'vitest';
import { escapeHtml, MAX_LISTED_ROWS, renderStatusPage } from '../../src/sinks/status-page.js';
import type { GovernanceStatus } from '../../src/status/model.js';
import { hostileStatus } from '../status/hostile.js';
import { fixtureRepo, judged, MILESTONE, RELEASE } from '../status/support.js';

async function fixtureStatus(): Promise<GovernanceStatus> {
  const { status } = await judged(fixtureRepo('vaccination-service'), {
    latestRelease: RELEASE,
    milestone: MILESTONE,
  });
  return status;
}

function headings(html: string): string[] {
  return [...html.matchAll(/<(h[1-6])\b[^>]*>(.*?)<\/\1>/g)].map((m) => `${m[1]} ${m[2]}`);
}

/** The text of an HTML fragment, entities decoded, as a reader would see it. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('renderStatusPage', () => {
  it('is one English page with one h1, sections in heading order and no script', async () => {
    const html = renderStatusPage(await fixtureStatus());
    expect(html.startsWith('<!doctype html>\n<html lang="en-GB">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(headings(html)).toEqual([
      'h1 Governance status of nhs-england/book-a-vaccination',
      'h2 Summary',
      'h2 Checks',
      'h2 Licences',
      'h2 Open-working artefacts',
      'h2 Open incidents',
      'h2 Latest release',
      'h2 Milestone progress',
    ]);
    expect(html).not.toMatch(/<script|\son[a-z]+=|javascript:/i);
    expect(html).toContain('<title>Failing: governance status of nhs-england/book-a-vaccination</title>');
  });

  it('gives every table a caption and every header cell its scope', async () => {
    const html = renderStatusPage(await fixtureStatus());
    const tables = html.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    expect(tables).toHaveLength(5);
    for (const table of tables) {
      expect(table).toMatch(/^<table><caption id="[a-z-]+">[^<]+<\/caption>/);
      for (const th of table.match(/<th\b[^>]*>/g) ?? []) expect(th).toMatch(/scope="(col|row)"/);
    }
  });

  it('shows the verdict, the commit, each check, licence, incident, release and milestone', async () => {
    const html = renderStatusPage(await fixtureStatus());
    const page = text(html);
    expect(page).toContain('Overall: Failing');
    expect(html).toContain(
      '<a href="https://github.com/nhs-england/book-a-vaccination/commit/8f2c1d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d"><code>8f2c1d4</code></a>',
    );
    expect(html).toContain('<time datetime="2026-11-23T19:04:00Z">23 November 2026 at 19:04 UTC</time>');
    expect(html).toContain(
      '<tr><th scope="row"><a href="https://github.com/openly-dev/openly/blob/main/docs/rules.md#artefacts">Open-working artefacts</a></th><td><strong class="tag tag-bad">Fail</strong></td><td class="number">1</td><td class="number">1</td><td class="number">0</td></tr>',
    );
    expect(page).toContain('docs/LICENCE.mdOGL-UK-3.0100%docs/**');
    expect(page).toContain('6 artefacts: 5 valid, 1 not valid.');
    expect(page).toContain('docs/adr/0009-append-only-audit-table.mdArchitecture decision record');
    expect(page).toContain('INC-2026-031: People cannot sign in with NHS login');
    expect(page).not.toContain('Appointment reminders not sent');
    expect(page).toContain(
      'Book for someone you care for (v2.3.0), published 18 November 2026 at 10:30 UTC.',
    );
    expect(html).toContain(
      '<progress id="milestone-bar" max="10" value="6" aria-labelledby="milestone-text">',
    );
    expect(page).toContain('6 of 10 issues and pull requests closed (60%).');
    expect(page).toContain('Due 12 December 2026.');
  });

  it('renders the same page from the same status', async () => {
    const status = await fixtureStatus();
    expect(renderStatusPage(status)).toBe(renderStatusPage(structuredClone(status)));
  });

  it('escapes every piece of repository text, and links only to web addresses', () => {
    const status = hostileStatus();
    const html = renderStatusPage(status);
    expect(html).not.toMatch(/<script|<img|href="javascript:/i);
    // No tag the page writes carries an event handler: `onerror=` only ever appears as text.
    for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) expect(tag).not.toMatch(/\son[a-z]+=/i);
    // What a reader sees is the text as written, characters and all.
    const page = text(html);
    expect(page).toContain('Governance status of evil/<script>alert("title")</script>');
    expect(page).toContain('INC-say "hello" & it\'s done: <script>alert("title")</script> [click me]');
    expect(page).toContain('LICENCE<img src=x onerror="alert(1)">');
    // A release address that is not a web address is shown as plain text.
    expect(html).toContain('<p>Release &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; (<code>');
    // A quote in an address cannot end the attribute.
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^https?:\/\/[^\s<>]+$/);
    expect(html).toContain('href="https://github.com/evil/repo/milestone/1%22%20onmouseover=%22alert(1)"');
    // A time that is not a time is shown as written, not put in a datetime attribute.
    expect(page).toContain('2026-11-20<script>alert("title")</script>');
    expect(html).not.toContain('datetime="2026-11-20');
  });

  it('shows control characters and direction overrides as escapes, so that a path cannot read as another', () => {
    expect(escapeHtml('evil\u202egpj.exe\u0007 "x" \'y\' <b>&\n')).toBe(
      'evil\\u202egpj.exe\\x07 &quot;x&quot; &#39;y&#39; &lt;b&gt;&amp;\\n',
    );
  });

  it('says plainly when there is nothing to show', async () => {
    const { status } = await judged({ 'README.md': '# Tiny\n' });
    const page = text(renderStatusPage(status));
    for (const sentence of [
      'No licence file was found.',
      'No open-working artefacts were found.',
      'No open incidents: every incident report is resolved or reviewed.',
      'No release has been published yet.',
      'No milestone is open.',
    ]) {
      expect(page).toContain(sentence);
    }
  });

  it('names a release GitHub gives no publication time without inventing one', async () => {
    const status = await fixtureStatus();
    const page = text(renderStatusPage({ ...status, latestRelease: { ...RELEASE, publishedAt: '' } }));
    expect(page).toContain('Book for someone you care for (v2.3.0).\n');
  });

  it('shows an empty milestone as text, without a progress bar', async () => {
    const status = await fixtureStatus();
    const html = renderStatusPage({ ...status, milestone: { ...MILESTONE, open: 0, closed: 0 } });
    expect(html).not.toContain('<progress');
    expect(text(html)).toContain('No issues or pull requests in this milestone yet.');
  });

  it('lists at most 500 rows of each list, and says how many more there are', async () => {
    const status = await fixtureStatus();
    const html = renderStatusPage({
      ...status,
      artefacts: Array.from({ length: 1234 }, (_, i) => ({
        path: `weeknotes/2026-01-${i}.md`,
        type: 'weeknote',
        valid: false,
      })),
      licences: Array.from({ length: 501 }, (_, i) => ({
        path: `packages/${i}/LICENCE`,
        spdx: 'MIT',
        confidence: 1,
      })),
      openIncidents: Array.from({ length: 600 }, (_, i) => ({
        path: `incidents/${i}.md`,
        title: `Incident ${i}`,
        status: 'investigating',
      })),
    });
    const bodyRows = (id: string) => {
      const table = new RegExp(`<caption id="${id}">[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
      return table.match(/<tr><th scope="row">/g)?.length;
    };
    expect(bodyRows('invalid-table')).toBe(MAX_LISTED_ROWS);
    expect(bodyRows('licences-table')).toBe(MAX_LISTED_ROWS);
    expect(bodyRows('incidents-table')).toBe(MAX_LISTED_ROWS);
    const page = text(html);
    expect(page).toContain('1,234 artefacts: 0 valid, 1,234 not valid.');
    expect(page).toContain(
      'Only the first 500 artefacts that are not valid are listed here; 734 more are not. Run openly check for the full list.',
    );
    expect(page).toContain('Only the first 500 licence files are listed here; 1 more is not.');
    expect(page).toContain('501 licence files and the licence each holds');
    expect(page).toContain('Only the first 500 open incidents are listed here; 100 more are not.');
    expect(page).toContain('600 incidents not yet resolved, most urgent first');
  });
});
