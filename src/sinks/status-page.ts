import { printable } from '../core/printable.js';
import { VERSION } from '../core/version.js';
import type { CheckStatus } from '../core/report.js';
import {
  CHECK_WORDS,
  commitUrl,
  countByType,
  formatDay,
  formatTime,
  OVERALL_WORDS,
  percent,
  plural,
  progressOf,
  progressText,
  shortSha,
  typeName,
  webUrl,
} from '../status/format.js';
import type { GovernanceStatus, OverallStatus } from '../status/model.js';

/**
 * The most rows a list on the page shows (licence files, invalid artefacts, open incidents). A monorepo with
 * thousands of them would otherwise make a page too long to read or load; each list's caption or the count above
 * it still gives the whole number, and a sentence below says how many were left out.
 */
export const MAX_LISTED_ROWS = 500;

/** The sentence under a list that had to be cut, or nothing. */
function leftOut(total: number, many: string): string[] {
  if (total <= MAX_LISTED_ROWS) return [];
  const more = total - MAX_LISTED_ROWS;
  return [
    `<p>Only the first ${MAX_LISTED_ROWS} ${escapeHtml(many)} are listed here; ` +
      `${more.toLocaleString('en-GB')} more ${more === 1 ? 'is' : 'are'} not. ` +
      'Run <code>openly check</code> for the full list.</p>',
  ];
}

/**
 * Text from the repository (titles, paths, messages) as inert HTML, safe in element content and in quoted
 * attributes. Control characters and bidirectional overrides show as escapes (`\u202e`), so that a path cannot
 * display as another, and a line break in a name shows as `\n`.
 */
export function escapeHtml(text: string): string {
  return printable(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A link when the address is a web address, else the text alone: a `javascript:` URL never becomes a link. */
function link(url: string | undefined, html: string): string {
  const href = webUrl(url);
  return href === undefined ? html : `<a href="${escapeHtml(href)}">${html}</a>`;
}

export function time(iso: string, text: string): string {
  return Number.isNaN(Date.parse(iso))
    ? escapeHtml(text)
    : `<time datetime="${escapeHtml(iso)}">${escapeHtml(text)}</time>`;
}

export const CLOSE_TABLE = '</table></div>';

/**
 * A table in a box that scrolls sideways on a narrow screen rather than squeezing words apart. The box can take
 * focus and is named by the caption, so that keyboard users can scroll it too and know what it holds.
 */
export function openTable(id: string, caption: string): string {
  return (
    `<div class="table-scroll" role="region" aria-labelledby="${id}" tabindex="0">` +
    `<table><caption id="${id}">${caption}</caption>`
  );
}

export type Tone = 'good' | 'bad' | 'warn' | 'neutral' | 'info';

const CHECK_TONE: Record<CheckStatus, Tone> = {
  pass: 'good',
  fail: 'bad',
  warn: 'warn',
  skip: 'info',
  error: 'neutral',
};

const OVERALL_TONE: Record<OverallStatus, Tone> = {
  pass: 'good',
  fail: 'bad',
  warn: 'warn',
  error: 'neutral',
};

/** A status word on a tinted background; the word alone carries the meaning. */
export function tag(tone: Tone, words: string): string {
  return `<strong class="tag tag-${tone}">${escapeHtml(words)}</strong>`;
}

// GOV.UK Design System colours: every text and background pair below passes WCAG AA (4.5:1) for normal text.
export const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1.1875rem;line-height:1.5;color:#0b0c0c;background:#fff}
a{color:#1d70b8;text-decoration:underline;text-underline-offset:.15em}
a:visited{color:#4c2c92}
a:hover{color:#003078}
a:focus{outline:3px solid transparent;color:#0b0c0c;background:#fd0;box-shadow:0 -2px #fd0,0 4px #0b0c0c;text-decoration:none}
header{background:#0b0c0c;color:#fff;padding:.75rem 1rem}
header p{margin:0 auto;max-width:58rem;font-weight:700;font-size:1.5rem}
main{display:block;max-width:60rem;margin:0 auto;padding:1rem 1rem 3rem}
h1{font-size:2rem;line-height:1.2;margin:1.5rem 0 1.5rem}
h2{font-size:1.5rem;line-height:1.25;margin:2.5rem 0 1rem;padding-top:.5rem;border-top:1px solid #b1b4b6}
p{margin:0 0 1rem}
.verdict{font-size:1.5rem;margin:0 0 1.5rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1.5rem;margin:0 0 1rem}
dl.facts dt{font-weight:700}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.table-scroll{overflow-x:auto;margin:0 0 1.5rem}
.table-scroll:focus{outline:3px solid #fd0;outline-offset:0}
table{width:100%;border-collapse:collapse;font-size:1rem}
caption{text-align:left;font-weight:700;font-size:1.1875rem;padding-bottom:.5rem}
.table-scroll caption{position:sticky;left:0;max-width:calc(100vw - 2rem)}
th,td{text-align:left;vertical-align:top;padding:.5rem 1rem .5rem 0;border-bottom:1px solid #b1b4b6;overflow-wrap:break-word}
thead th{border-bottom:2px solid #0b0c0c}
tbody th{min-width:8rem}
td time{white-space:nowrap}
td code{display:inline-block;min-width:10rem}
td.number,th.number{text-align:right}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em;overflow-wrap:anywhere}
.tag{display:inline-block;padding:.1rem .5rem;font-weight:700;letter-spacing:.02em;white-space:nowrap}
.tag-good{color:#005a30;background:#cce2d8}
.tag-bad{color:#942514;background:#f6d7d2}
.tag-warn{color:#594d00;background:#fff7bf}
.tag-info{color:#0c2d4a;background:#bbd4ea}
.tag-neutral{color:#383f43;background:#e5e6e7}
progress{display:block;width:100%;max-width:30rem;height:1.5rem;margin:.5rem 0 1rem;accent-color:#00703c}
footer{max-width:60rem;margin:0 auto;padding:0 1rem 1rem;font-size:1rem;color:#505a5f}
footer p{margin:0;padding-top:1rem;border-top:1px solid #b1b4b6}
@media (max-width:40rem){
  body{font-size:1rem}
  h1{font-size:1.6rem}
  dl.facts{grid-template-columns:1fr}
  dl.facts dd{margin-bottom:.5rem}
  th,td{padding-right:.5rem}
}
@media print{header{background:none;color:#0b0c0c}a{color:#0b0c0c}}
`
  .trim()
  .replace(/\n\s*/g, '\n');

function summarySection(status: GovernanceStatus): string {
  const { repository, summary } = status;
  const facts: Array<[string, string]> = [
    ['Repository', link(repository.url, escapeHtml(repository.fullName))],
  ];
  if (repository.ref !== undefined) {
    facts.push(['Branch', `<code>${escapeHtml(repository.ref.replace(/^refs\/(heads|tags)\//, ''))}</code>`]);
  }
  facts.push([
    'Commit',
    repository.sha === null
      ? 'No commits yet'
      : link(
          commitUrl(repository.url, repository.sha),
          `<code>${escapeHtml(shortSha(repository.sha))}</code>`,
        ),
  ]);
  facts.push(['Checked', time(status.generatedAt, formatTime(status.generatedAt))]);
  facts.push([
    'Findings',
    escapeHtml(
      `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ` +
        `${plural(summary.notices, 'notice')} in ${plural(summary.checks, 'check')}`,
    ),
  ]);
  return [
    '<section aria-labelledby="summary">',
    '<h2 id="summary">Summary</h2>',
    `<p class="verdict">Overall: ${tag(OVERALL_TONE[status.overall], OVERALL_WORDS[status.overall])}</p>`,
    '<dl class="facts">',
    ...facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`),
    '</dl>',
    '</section>',
  ].join('\n');
}

function checksSection(status: GovernanceStatus): string {
  const lines = ['<section aria-labelledby="checks">', '<h2 id="checks">Checks</h2>'];
  if (status.checks.length === 0) {
    lines.push('<p>No checks ran.</p>');
  } else {
    lines.push(
      openTable('checks-table', 'The result of each check, with a link to what it asks for'),
      '<thead><tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col" class="number">Errors</th>' +
        '<th scope="col" class="number">Warnings</th><th scope="col" class="number">Notices</th></tr></thead>',
      '<tbody>',
      ...status.checks.map(
        (check) =>
          `<tr><th scope="row">${link(check.docsUrl, escapeHtml(check.title))}</th>` +
          `<td>${tag(CHECK_TONE[check.status], CHECK_WORDS[check.status])}</td>` +
          `<td class="number">${check.errors}</td><td class="number">${check.warnings}</td>` +
          `<td class="number">${check.notices}</td></tr>`,
      ),
      '</tbody>',
      CLOSE_TABLE,
    );
  }
  lines.push('</section>');
  return lines.join('\n');
}

function licencesSection(status: GovernanceStatus): string {
  const lines = ['<section aria-labelledby="licences">', '<h2 id="licences">Licences</h2>'];
  if (status.licences.length === 0) {
    lines.push('<p>No licence file was found.</p>');
  } else {
    lines.push(
      openTable(
        'licences-table',
        `${escapeHtml(plural(status.licences.length, 'licence file'))} and the licence each holds`,
      ),
      '<thead><tr><th scope="col">File</th><th scope="col">Licence</th>' +
        '<th scope="col" class="number">Confidence</th><th scope="col">Covers</th></tr></thead>',
      '<tbody>',
      ...status.licences
        .slice(0, MAX_LISTED_ROWS)
        .map(
          (licence) =>
            `<tr><th scope="row"><code>${escapeHtml(licence.path)}</code></th>` +
            `<td>${licence.spdx === null ? 'Not recognised' : `<code>${escapeHtml(licence.spdx)}</code>`}</td>` +
            `<td class="number">${percent(licence.confidence)}</td>` +
            `<td>${licence.scope === undefined ? 'Not stated' : `<code>${escapeHtml(licence.scope)}</code>`}</td></tr>`,
        ),
      '</tbody>',
      CLOSE_TABLE,
      ...leftOut(status.licences.length, 'licence files'),
    );
  }
  lines.push('</section>');
  return lines.join('\n');
}

function artefactsSection(status: GovernanceStatus): string {
  const lines = ['<section aria-labelledby="artefacts">', '<h2 id="artefacts">Open-working artefacts</h2>'];
  const artefacts = status.artefacts;
  if (artefacts.length === 0) {
    lines.push('<p>No open-working artefacts were found.</p>', '</section>');
    return lines.join('\n');
  }
  const invalid = artefacts.filter((artefact) => !artefact.valid);
  lines.push(
    `<p>${escapeHtml(plural(artefacts.length, 'artefact'))}: ` +
      `${(artefacts.length - invalid.length).toLocaleString('en-GB')} valid, ` +
      `${invalid.length.toLocaleString('en-GB')} not valid.</p>`,
    openTable('types-table', 'Artefacts by type'),
    '<thead><tr><th scope="col">Type</th><th scope="col" class="number">Valid</th>' +
      '<th scope="col" class="number">Not valid</th><th scope="col" class="number">Total</th></tr></thead>',
    '<tbody>',
    ...countByType(artefacts).map(
      (count) =>
        `<tr><th scope="row">${escapeHtml(typeName(count.type))}</th><td class="number">${count.valid}</td>` +
        `<td class="number">${count.invalid}</td><td class="number">${count.total}</td></tr>`,
    ),
    '</tbody>',
    CLOSE_TABLE,
  );
  if (invalid.length > 0) {
    lines.push(
      openTable('invalid-table', 'Artefacts that do not fit their schema'),
      '<thead><tr><th scope="col">File</th><th scope="col">Type</th></tr></thead>',
      '<tbody>',
      ...invalid
        .slice(0, MAX_LISTED_ROWS)
        .map(
          (artefact) =>
            `<tr><th scope="row"><code>${escapeHtml(artefact.path)}</code></th>` +
            `<td>${escapeHtml(typeName(artefact.type))}</td></tr>`,
        ),
      '</tbody>',
      CLOSE_TABLE,
      ...leftOut(invalid.length, 'artefacts that are not valid'),
    );
  }
  lines.push('</section>');
  return lines.join('\n');
}

function draftsSection(status: GovernanceStatus): string {
  const drafts = status.drafts;
  if (drafts === undefined || drafts.length === 0) return '';
  return [
    '<section aria-labelledby="drafts">',
    '<h2 id="drafts">Drafts</h2>',
    `<p>${escapeHtml(plural(drafts.length, 'document'))} published as work in progress, oldest first.</p>`,
    openTable('drafts-table', 'Documents marked as drafts'),
    '<thead><tr><th scope="col">Document</th><th scope="col">Title</th>' +
      '<th scope="col" class="number">Draft for</th></tr></thead>',
    '<tbody>',
    ...drafts
      .slice(0, MAX_LISTED_ROWS)
      .map(
        (draft) =>
          `<tr><th scope="row"><code>${escapeHtml(draft.path)}</code></th>` +
          `<td>${escapeHtml(draft.title ?? '')}</td>` +
          `<td class="number">${
            draft.days === undefined
              ? 'not dated'
              : `${escapeHtml(plural(draft.days, 'day'))} (since ${escapeHtml(draft.since ?? '')})`
          }</td></tr>`,
      ),
    '</tbody>',
    CLOSE_TABLE,
    ...leftOut(drafts.length, 'drafts'),
    '</section>',
  ].join('\n');
}

function incidentsSection(status: GovernanceStatus): string {
  const lines = ['<section aria-labelledby="incidents">', '<h2 id="incidents">Open incidents</h2>'];
  const incidents = status.openIncidents;
  if (incidents.length === 0) {
    lines.push('<p>No open incidents: every incident report is resolved or reviewed.</p>');
  } else {
    lines.push(
      openTable(
        'incidents-table',
        `${escapeHtml(plural(incidents.length, 'incident'))} not yet resolved, most urgent first`,
      ),
      '<thead><tr><th scope="col">Incident</th><th scope="col">Status</th><th scope="col">Priority</th>' +
        '<th scope="col">Started</th><th scope="col">Report</th></tr></thead>',
      '<tbody>',
      ...incidents
        .slice(0, MAX_LISTED_ROWS)
        .map(
          (incident) =>
            `<tr><th scope="row">${incident.id === undefined ? '' : `${escapeHtml(incident.id)}: `}` +
            `${escapeHtml(incident.title)}</th>` +
            `<td>${escapeHtml(incident.status)}</td>` +
            `<td>${incident.priority === undefined ? 'Not given' : escapeHtml(incident.priority)}</td>` +
            `<td>${incident.startedAt === undefined ? 'Not given' : time(incident.startedAt, formatTime(incident.startedAt))}</td>` +
            `<td><code>${escapeHtml(incident.path)}</code></td></tr>`,
        ),
      '</tbody>',
      CLOSE_TABLE,
      ...leftOut(incidents.length, 'open incidents'),
    );
  }
  lines.push('</section>');
  return lines.join('\n');
}

function releaseSection(status: GovernanceStatus): string {
  const release = status.latestRelease;
  const body =
    release === undefined
      ? status.unread?.release === undefined
        ? '<p>No release has been published yet.</p>'
        : `<p>Not known: ${escapeHtml(status.unread.release)}.</p>`
      : `<p>${link(release.url, escapeHtml(release.name === '' ? release.tag : release.name))}` +
        (release.name !== '' && release.name !== release.tag
          ? ` (<code>${escapeHtml(release.tag)}</code>)`
          : '') +
        (release.publishedAt.trim() === ''
          ? '.</p>'
          : `, published ${time(release.publishedAt, formatTime(release.publishedAt))}.</p>`);
  return [
    '<section aria-labelledby="release">',
    '<h2 id="release">Latest release</h2>',
    body,
    '</section>',
  ].join('\n');
}

function milestoneSection(status: GovernanceStatus): string {
  const milestone = status.milestone;
  const lines = ['<section aria-labelledby="milestone">', '<h2 id="milestone">Milestone progress</h2>'];
  if (milestone === undefined) {
    const unread = status.unread?.milestone;
    lines.push(
      unread === undefined ? '<p>No milestone is open.</p>' : `<p>Not known: ${escapeHtml(unread)}.</p>`,
    );
  } else {
    const { closed, total } = progressOf(milestone);
    lines.push(`<p>${link(milestone.url, escapeHtml(milestone.title))}</p>`);
    if (total > 0) {
      lines.push(
        `<progress id="milestone-bar" max="${total}" value="${closed}" aria-labelledby="milestone-text"></progress>`,
      );
    }
    lines.push(`<p id="milestone-text">${escapeHtml(progressText(milestone))}.</p>`);
    if (milestone.dueOn !== undefined) {
      lines.push(`<p>Due ${time(milestone.dueOn, formatDay(milestone.dueOn))}.</p>`);
    }
  }
  lines.push('</section>');
  return lines.join('\n');
}

/**
 * The governance status as one complete HTML page, for GitHub Pages or any static host: plain HTML and inline
 * CSS, no script, so that it reads the same with JavaScript off and cannot run anything a repository's files
 * smuggle in. Every piece of text from the repository is escaped.
 */
export function renderStatusPage(status: GovernanceStatus): string {
  const name = escapeHtml(status.repository.fullName);
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="Openly ${VERSION}">`,
    `<title>${escapeHtml(OVERALL_WORDS[status.overall])}: governance status of ${name}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    '<header><p>Openly</p></header>',
    '<main>',
    `<h1>Governance status of ${name}</h1>`,
    summarySection(status),
    checksSection(status),
    licencesSection(status),
    artefactsSection(status),
    draftsSection(status),
    incidentsSection(status),
    releaseSection(status),
    milestoneSection(status),
    '</main>',
    '<footer><p>Made by ' +
      link('https://github.com/openly-dev/openly', 'Openly') +
      ` ${VERSION} from the repository at ${time(status.generatedAt, formatTime(status.generatedAt))}.</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
