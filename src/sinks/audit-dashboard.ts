import type { CheckStatus } from '../core/report.js';
import { VERSION } from '../core/version.js';
import type { AuditedRepository, AuditReport } from '../org/report.js';
import { auditNotes } from './audit-notes.js';
import { CHECK_WORDS, formatTime, plural } from '../status/format.js';
import {
  CLOSE_TABLE,
  escapeHtml,
  MAX_LISTED_ROWS,
  openTable,
  STYLE,
  tag,
  time,
  type Tone,
} from './status-page.js';

/** One earlier audit as the over-time chart needs it: the `auditedAt` and `summary` of its `report.json`. */
export interface AuditHistoryEntry {
  auditedAt: string;
  summary: AuditReport['summary'];
}

const REPOSITORY_TONE: Record<AuditedRepository['status'], Tone> = {
  compliant: 'good',
  failing: 'bad',
  skipped: 'info',
};

const REPOSITORY_WORDS: Record<AuditedRepository['status'], string> = {
  compliant: 'Compliant',
  failing: 'Failing',
  skipped: 'Skipped',
};

const CHECK_TONE: Record<CheckStatus, Tone> = {
  pass: 'good',
  fail: 'bad',
  warn: 'warn',
  skip: 'info',
  error: 'neutral',
};

// The charts only draw what the tables below them say, so they are hidden from assistive technology; the
// colours pass 3:1 against white (WCAG non-text contrast) and each bar carries its number as text as well.
// A table's scroll box is positioned so that the words hidden for screen readers in it cannot widen the page.
const DASHBOARD_STYLE = `
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:1rem;margin:0 0 1.5rem;padding:0;list-style:none}
.counts li{border-left:5px solid #505a5f;padding:.25rem 0 .25rem .75rem}
.counts li.good{border-color:#00703c}
.counts li.bad{border-color:#d4351c}
.counts li.info{border-color:#1d70b8}
.counts strong{display:block;font-size:2.25rem;line-height:1.1}
.chart{display:block;width:100%;max-width:26rem;height:auto;margin:0 0 1rem}
.chart text{font-family:inherit;font-size:16px;fill:#0b0c0c}
.findings-list{margin:0 0 1.5rem;padding-left:1.25rem}
.visually-hidden{position:absolute!important;width:1px!important;height:1px!important;margin:0!important;padding:0!important;overflow:hidden!important;clip:rect(0 0 0 0)!important;clip-path:inset(50%)!important;border:0!important;white-space:nowrap!important}
thead code{overflow-wrap:normal;white-space:nowrap}
.table-scroll{position:relative}
h3{font-size:1.1875rem;margin:1.5rem 0 .5rem;overflow-wrap:anywhere}
`
  .trim()
  .replace(/\n\s*/g, '\n');

/** The checks in the order they first appear, so that columns follow the CLI's order of checks. */
function checksOf(report: AuditReport): string[] {
  const checks: string[] = [];
  for (const repo of report.repositories) {
    for (const result of repo.results) if (!checks.includes(result.check)) checks.push(result.check);
  }
  return checks;
}

/** A whole percentage, or a dash when nothing was judged (a share of nothing is not 0%). */
function share(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((part / whole) * 100)}%`;
}

function countsSection(report: AuditReport): string {
  const { summary } = report;
  const count = (tone: string, n: number, words: string): string =>
    `<li class="${tone}"><strong>${n.toLocaleString('en-GB')}</strong> ${words}</li>`;
  return [
    '<section aria-labelledby="summary">',
    '<h2 id="summary">Summary</h2>',
    `<p>Audited ${time(report.auditedAt, formatTime(report.auditedAt))}.</p>`,
    '<ul class="counts">',
    count('neutral', summary.repositories, summary.repositories === 1 ? 'repository' : 'repositories'),
    count('good', summary.compliant, 'compliant'),
    count('bad', summary.failing, 'failing'),
    count('info', summary.skipped, 'skipped'),
    '</ul>',
    '</section>',
  ].join('\n');
}

interface Bar {
  label: string;
  value: number;
  total: number;
}

/**
 * Horizontal bars of a share, each under its name with its percentage beside it. The labels sit above the bars,
 * not beside them, so that the chart stays narrow and its text readable when a phone scales it down.
 */
function barChart(bars: Bar[]): string {
  const rowHeight = 52;
  const barWidth = 360;
  const width = barWidth + 56;
  const height = bars.length * rowHeight + 4;
  const parts = bars.map((bar, i) => {
    const y = i * rowHeight;
    const filled = bar.total === 0 ? 0 : Math.round((bar.value / bar.total) * barWidth);
    return (
      `<text x="0" y="${y + 17}">${escapeHtml(bar.label)}</text>` +
      `<rect x="0.5" y="${y + 24.5}" width="${barWidth}" height="22" fill="#f3f2f1" stroke="#505a5f"/>` +
      `<rect x="0.5" y="${y + 24.5}" width="${filled}" height="22" fill="#00703c"/>` +
      `<text x="${barWidth + 8}" y="${y + 41}">${share(bar.value, bar.total)}</text>`
    );
  });
  return (
    `<svg class="chart" aria-hidden="true" focusable="false" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`
  );
}

function byCheckSection(report: AuditReport, checks: string[]): string {
  const lines = ['<section aria-labelledby="by-check">', '<h2 id="by-check">Compliance by check</h2>'];
  if (checks.length === 0) {
    lines.push('<p>No repository was judged.</p>', '</section>');
    return lines.join('\n');
  }
  const rows = checks.map((check) => {
    let complies = 0;
    let short = 0;
    let unjudged = 0;
    for (const repo of report.repositories) {
      const status = repo.results.find((r) => r.check === check)?.status;
      if (status === 'pass' || status === 'warn') complies++;
      else if (status === 'fail') short++;
      else if (status !== undefined) unjudged++;
    }
    return { check, complies, short, unjudged };
  });
  lines.push(
    '<p>The share of the repositories each check judged that meet it. The table below the chart gives the numbers.</p>',
    barChart(rows.map((r) => ({ label: r.check, value: r.complies, total: r.complies + r.short }))),
    openTable('by-check-table', 'Repositories that meet each check'),
    '<thead><tr><th scope="col">Check</th><th scope="col" class="number">Meet it</th>' +
      '<th scope="col" class="number">Fall short</th><th scope="col" class="number">Not judged</th>' +
      '<th scope="col" class="number">Share that meet it</th></tr></thead>',
    '<tbody>',
    ...rows.map(
      (r) =>
        `<tr><th scope="row"><code>${escapeHtml(r.check)}</code></th><td class="number">${r.complies}</td>` +
        `<td class="number">${r.short}</td><td class="number">${r.unjudged}</td>` +
        `<td class="number">${share(r.complies, r.complies + r.short)}</td></tr>`,
    ),
    '</tbody>',
    CLOSE_TABLE,
    ...notesOf(report),
    '</section>',
  );
  return lines.join('\n');
}

/** What a check could judge in the audit, when it is less than `openly check` judges. */
function notesOf(report: AuditReport): string[] {
  return auditNotes(report).map(
    ({ check, note }) => `<p><code>${escapeHtml(check)}</code>: ${escapeHtml(note)}</p>`,
  );
}

/** Findings worth a reader's time: errors and warnings, with any check that could not run. */
function shortfalls(repo: AuditedRepository): Array<{ rule: string; message: string; path?: string }> {
  const items: Array<{ rule: string; message: string; path?: string }> = [];
  for (const result of repo.results) {
    if (result.status === 'error') {
      items.push({ rule: result.check, message: `could not run: ${result.error ?? 'unknown error'}` });
    }
    for (const f of result.findings) {
      if (f.severity === 'notice') continue;
      const message = f.fix === undefined ? f.message : `${f.message} ${f.fix}`;
      items.push({ rule: f.rule, message, ...(f.path === undefined ? {} : { path: f.path }) });
    }
  }
  return items;
}

/** The anchor of a repository's findings: by position, since a name may hold anything an id cannot. */
function findingsId(index: number): string {
  return `findings-${index + 1}`;
}

function repositoriesSection(report: AuditReport, checks: string[]): string {
  const lines = ['<section aria-labelledby="repositories">', '<h2 id="repositories">Repositories</h2>'];
  if (report.repositories.length === 0) {
    lines.push('<p>The organisation has no repositories this audit could see.</p>', '</section>');
    return lines.join('\n');
  }
  lines.push(
    openTable(
      'repositories-table',
      `${escapeHtml(plural(report.repositories.length, 'repository', 'repositories'))} and the result of each check`,
    ),
    '<thead><tr><th scope="col">Repository</th><th scope="col">Status</th>' +
      checks.map((check) => `<th scope="col"><code>${escapeHtml(check)}</code></th>`).join('') +
      '<th scope="col">Findings</th></tr></thead>',
    '<tbody>',
  );
  report.repositories.slice(0, MAX_LISTED_ROWS).forEach((repo, index) => {
    const byCheck = new Map(repo.results.map((r) => [r.check, r.status]));
    const reason =
      repo.status === 'skipped' && repo.reason !== undefined ? ` (${escapeHtml(repo.reason)})` : '';
    const cells = checks.map((check) => {
      const status = byCheck.get(check);
      return `<td>${status === undefined ? 'Not run' : tag(CHECK_TONE[status], CHECK_WORDS[status])}</td>`;
    });
    const count = shortfalls(repo).length;
    const findings =
      repo.status === 'failing'
        ? `<a href="#${findingsId(index)}">${escapeHtml(plural(count, 'finding'))}` +
          `<span class="visually-hidden"> in ${escapeHtml(repo.name)}</span></a>`
        : 'None';
    lines.push(
      `<tr><th scope="row">${escapeHtml(repo.name)}</th>` +
        `<td>${tag(REPOSITORY_TONE[repo.status], REPOSITORY_WORDS[repo.status])}${reason}</td>` +
        `${cells.join('')}<td>${findings}</td></tr>`,
    );
  });
  lines.push('</tbody>', CLOSE_TABLE);
  if (report.repositories.length > MAX_LISTED_ROWS) {
    lines.push(
      `<p>Only the first ${MAX_LISTED_ROWS} repositories are listed here; report.json and report.csv hold them all.</p>`,
    );
  }
  lines.push('</section>');
  return lines.join('\n');
}

function findingsSection(report: AuditReport): string {
  const lines = ['<section aria-labelledby="findings">', '<h2 id="findings">What falls short</h2>'];
  const failing = report.repositories
    .slice(0, MAX_LISTED_ROWS)
    .map((repo, index) => ({ repo, index }))
    .filter(({ repo }) => repo.status === 'failing');
  if (failing.length === 0) lines.push('<p>Every repository judged meets every check.</p>');
  for (const { repo, index } of failing) {
    lines.push(`<h3 id="${findingsId(index)}">${escapeHtml(repo.name)}</h3>`);
    if (repo.reason !== undefined) lines.push(`<p>${escapeHtml(repo.reason)}</p>`);
    const items = shortfalls(repo);
    if (items.length === 0) continue;
    lines.push(
      openTable(`${findingsId(index)}-table`, `Findings in ${escapeHtml(repo.name)}`),
      '<thead><tr><th scope="col">Rule</th><th scope="col">Message</th><th scope="col">Path</th></tr></thead>',
      '<tbody>',
      ...items.map(
        (item) =>
          `<tr><th scope="row"><code>${escapeHtml(item.rule)}</code></th><td>${escapeHtml(item.message)}</td>` +
          `<td>${item.path === undefined ? '' : `<code>${escapeHtml(item.path)}</code>`}</td></tr>`,
      ),
      '</tbody>',
      CLOSE_TABLE,
    );
  }
  lines.push('</section>');
  return lines.join('\n');
}

/** The most audits the over-time chart shows: a year of weekly audits, a quarter of daily ones. */
export const MAX_CHARTED_AUDITS = 100;

function historySection(history: AuditHistoryEntry[]): string {
  const shown = history.slice(-MAX_CHARTED_AUDITS);
  const judged = (entry: AuditHistoryEntry): number => entry.summary.repositories - entry.summary.skipped;
  return [
    '<section aria-labelledby="over-time">',
    '<h2 id="over-time">Compliance over time</h2>',
    '<p>The share of judged repositories that were compliant at each audit, oldest first. The table below the chart gives the numbers.</p>',
    barChart(
      shown.map((entry) => ({
        label: formatTime(entry.auditedAt).replace(/ at .*/, ''),
        value: entry.summary.compliant,
        total: judged(entry),
      })),
    ),
    openTable('over-time-table', `Compliance at each of the last ${plural(shown.length, 'audit')}`),
    '<thead><tr><th scope="col">Audited</th><th scope="col" class="number">Repositories</th>' +
      '<th scope="col" class="number">Compliant</th><th scope="col" class="number">Failing</th>' +
      '<th scope="col" class="number">Skipped</th><th scope="col" class="number">Share compliant</th></tr></thead>',
    '<tbody>',
    ...shown.map(
      (entry) =>
        `<tr><th scope="row">${time(entry.auditedAt, formatTime(entry.auditedAt))}</th>` +
        `<td class="number">${entry.summary.repositories}</td><td class="number">${entry.summary.compliant}</td>` +
        `<td class="number">${entry.summary.failing}</td><td class="number">${entry.summary.skipped}</td>` +
        `<td class="number">${share(entry.summary.compliant, judged(entry))}</td></tr>`,
    ),
    '</tbody>',
    CLOSE_TABLE,
    '</section>',
  ].join('\n');
}

/**
 * The organisation dashboard (`DIR/index.html` of `openly audit --out DIR`): one static page in the status page's
 * style, plain HTML and CSS with no script, every repository name and message escaped. `history` is the earlier
 * audits, oldest first; with it the page also charts compliance over time.
 */
export function renderAuditDashboard(
  report: AuditReport,
  options: { history?: readonly AuditHistoryEntry[] } = {},
): string {
  const org = escapeHtml(report.organisation);
  const checks = checksOf(report);
  const history = [
    ...(options.history ?? []).filter((entry) => entry.auditedAt !== report.auditedAt),
    { auditedAt: report.auditedAt, summary: report.summary },
  ];
  const { failing } = report.summary;
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="Openly ${VERSION}">`,
    `<title>${failing === 0 ? 'All compliant' : `${escapeHtml(plural(failing, 'repository', 'repositories'))} failing`}: governance of ${org}</title>`,
    `<style>\n${STYLE}\n${DASHBOARD_STYLE}\n</style>`,
    '</head>',
    '<body>',
    '<header><p>Openly</p></header>',
    '<main>',
    `<h1>Governance of the ${org} organisation</h1>`,
    countsSection(report),
    byCheckSection(report, checks),
    repositoriesSection(report, checks),
    findingsSection(report),
    ...(history.length > 1 ? [historySection(history)] : []),
    '</main>',
    '<footer><p>Made by Openly ' +
      `${VERSION} from an audit of the organisation at ${time(report.auditedAt, formatTime(report.auditedAt))}.</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
