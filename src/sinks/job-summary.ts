import type { ConfigProblem } from '../config/load.js';
import type { Finding } from '../core/check.js';
import type { CheckResult, Report } from '../core/report.js';
import {
  CHECK_WORDS,
  commitUrl,
  countByType,
  formatDay,
  formatTime,
  OVERALL_WORDS,
  percent,
  plural,
  progressText,
  shortSha,
  typeName,
  webUrl,
} from '../status/format.js';
import type { ReleaseOutcome } from '../release/index.js';
import type { GovernanceStatus, OverallStatus } from '../status/model.js';
import { locationOf, sortFindings } from './finding-order.js';
import { ruleDocsUrl } from '../core/links.js';
import { escapeMarkdown, STATUS_ICON } from './markdown.js';

/**
 * GitHub's limit on one step's job summary: 1 MiB, counted in bytes. A larger summary is not shown at all and
 * the step gets an error annotation instead, so the summary must stay under it whatever the report holds.
 */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export interface JobSummaryOptions {
  /** The largest summary to write, in UTF-8 bytes; GitHub's limit by default. */
  maxBytes?: number;
}

const OVERALL_ICON: Record<OverallStatus, string> = { pass: '✅', fail: '❌', warn: '⚠️', error: '💥' };
const SEVERITY = { error: '❌ error', warning: '⚠️ warning', notice: 'ℹ️ notice' } as const;

function size(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A Markdown link when the address is a web address; parentheses encoded so that they cannot end it early. */
function link(text: string, url: string | undefined): string {
  const href = webUrl(url);
  return href === undefined ? text : `[${text}](${href.replace(/\(/g, '%28').replace(/\)/g, '%29')})`;
}

function notShown(count: number, what: string, many: string): string {
  return `_${plural(count, what, many)} not shown: the job summary is limited to 1 MiB. Run \`openly check\` for the full list._`;
}

/** Rows made only when asked for: a list of 40,000 findings is escaped only as far as the summary has room. */
interface Rows {
  count: number;
  row(index: number): string;
}

function lazy<T>(items: readonly T[], render: (item: T) => string): Rows {
  return { count: items.length, row: (index) => render(items[index]!) };
}

/**
 * A table cut to the bytes it may use: as many whole rows as fit, then a note of how many were left out, so the
 * result never exceeds `room`. The note is sized for the worst case (every row left out), which is never shorter.
 */
function fitTable(
  before: readonly string[],
  head: readonly string[],
  rows: Rows,
  room: number,
  note: (omitted: number) => string,
): string[] {
  // Everything but the rows, with the blank line that ends the table.
  let used = size(before) + size(head) + 1;
  const shown: string[] = [];
  const costs: number[] = [];
  for (let i = 0; i < rows.count; i++) {
    const line = rows.row(i);
    const cost = size([line]);
    if (used + cost > room) break;
    used += cost;
    shown.push(line);
    costs.push(cost);
  }
  if (shown.length === rows.count) return [...before, ...head, ...shown, ''];
  const noteCost = size(['', note(rows.count)]);
  while (shown.length > 0 && used + noteCost > room) {
    shown.pop();
    used -= costs.pop()!;
  }
  if (shown.length === 0) {
    const bare = [...before, note(rows.count), ''];
    return size(bare) <= room ? bare : [];
  }
  return [...before, ...head, ...shown, '', note(rows.count - shown.length), ''];
}

function headline(status: GovernanceStatus): string[] {
  const { repository, summary } = status;
  const parts = [link(escapeMarkdown(repository.fullName), repository.url)];
  if (repository.sha !== null) {
    const url = commitUrl(repository.url, repository.sha);
    // Only a real commit id goes in a code span; anything else is escaped text like the rest.
    parts.push(
      `at ${url === undefined ? escapeMarkdown(repository.sha) : link(`\`${shortSha(repository.sha)}\``, url)}`,
    );
  }
  if (repository.ref !== undefined) {
    parts.push(`on ${escapeMarkdown(repository.ref.replace(/^refs\/(heads|tags)\//, ''))}`);
  }
  return [
    `## ${OVERALL_ICON[status.overall]} Governance status: ${OVERALL_WORDS[status.overall]}`,
    '',
    `${parts.join(' ')} · checked ${escapeMarkdown(formatTime(status.generatedAt))}`,
    '',
    `**${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ` +
      `${plural(summary.notices, 'notice')} in ${plural(summary.checks, 'check')}**`,
    '',
  ];
}

function checksTable(status: GovernanceStatus, room: number): string[] {
  if (status.checks.length === 0) return ['### Checks', '', 'No checks ran.', ''];
  return fitTable(
    ['### Checks', ''],
    ['| Check | Result | Errors | Warnings | Notices |', '| --- | --- | --: | --: | --: |'],
    lazy(status.checks, (check) =>
      row([
        link(escapeMarkdown(check.title), check.docsUrl),
        `${STATUS_ICON[check.status]} ${CHECK_WORDS[check.status]}`,
        String(check.errors),
        String(check.warnings),
        String(check.notices),
      ]),
    ),
    room,
    (omitted) => notShown(omitted, 'check', 'checks'),
  );
}

function releaseLines(status: GovernanceStatus): string[] {
  const release = status.latestRelease;
  if (release === undefined) {
    const unread = status.unread?.release;
    const text =
      unread === undefined ? 'No release has been published yet.' : `Not known: ${escapeMarkdown(unread)}.`;
    return ['### Latest release', '', text, ''];
  }
  const name = release.name === '' ? release.tag : release.name;
  const tag = release.name !== '' && release.name !== release.tag ? ` (${escapeMarkdown(release.tag)})` : '';
  // GitHub may give no publication time; the sentence then simply ends.
  const published =
    release.publishedAt.trim() === '' ? '' : `, published ${escapeMarkdown(formatTime(release.publishedAt))}`;
  return ['### Latest release', '', `${link(escapeMarkdown(name), release.url)}${tag}${published}.`, ''];
}

function milestoneLines(status: GovernanceStatus): string[] {
  const milestone = status.milestone;
  if (milestone === undefined) {
    const unread = status.unread?.milestone;
    const text = unread === undefined ? 'No milestone is open.' : `Not known: ${escapeMarkdown(unread)}.`;
    return ['### Milestone progress', '', text, ''];
  }
  const due = milestone.dueOn === undefined ? '' : ` · due ${escapeMarkdown(formatDay(milestone.dueOn))}`;
  return [
    '### Milestone progress',
    '',
    `${link(escapeMarkdown(milestone.title), milestone.url)}: ${escapeMarkdown(progressText(milestone))}${due}`,
    '',
  ];
}

function incidentsTable(status: GovernanceStatus, room: number): string[] {
  const incidents = status.openIncidents;
  if (incidents.length === 0) {
    return [
      '### Open incidents',
      '',
      'No open incidents: every incident report is resolved or reviewed.',
      '',
    ];
  }
  return fitTable(
    ['### Open incidents', ''],
    ['| Incident | Status | Priority | Started | Report |', '| --- | --- | --- | --- | --- |'],
    lazy(incidents, (incident) =>
      row([
        `${incident.id === undefined ? '' : `${escapeMarkdown(incident.id)}: `}${escapeMarkdown(incident.title)}`,
        escapeMarkdown(incident.status),
        incident.priority === undefined ? '' : escapeMarkdown(incident.priority),
        incident.startedAt === undefined ? '' : escapeMarkdown(formatTime(incident.startedAt)),
        escapeMarkdown(incident.path),
      ]),
    ),
    room,
    (omitted) => notShown(omitted, 'open incident', 'open incidents'),
  );
}

function licencesTable(status: GovernanceStatus, room: number): string[] {
  if (status.licences.length === 0) return ['### Licences', '', 'No licence file was found.', ''];
  return fitTable(
    ['### Licences', ''],
    ['| File | Licence | Confidence | Covers |', '| --- | --- | --: | --- |'],
    lazy(status.licences, (licence) =>
      row([
        escapeMarkdown(licence.path),
        licence.spdx === null ? 'Not recognised' : escapeMarkdown(licence.spdx),
        percent(licence.confidence),
        licence.scope === undefined ? '' : escapeMarkdown(licence.scope),
      ]),
    ),
    room,
    (omitted) => notShown(omitted, 'licence file', 'licence files'),
  );
}

function artefactsTables(status: GovernanceStatus, room: number): string[] {
  const artefacts = status.artefacts;
  if (artefacts.length === 0)
    return ['### Open-working artefacts', '', 'No open-working artefacts were found.', ''];
  const invalid = artefacts.filter((artefact) => !artefact.valid);
  const byType = fitTable(
    [
      '### Open-working artefacts',
      '',
      `${plural(artefacts.length, 'artefact')}: ${(artefacts.length - invalid.length).toLocaleString('en-GB')} valid, ` +
        `${invalid.length.toLocaleString('en-GB')} not valid.`,
      '',
    ],
    ['| Type | Valid | Not valid | Total |', '| --- | --: | --: | --: |'],
    lazy(countByType(artefacts), (count) =>
      row([
        escapeMarkdown(typeName(count.type)),
        String(count.valid),
        String(count.invalid),
        String(count.total),
      ]),
    ),
    room,
    (omitted) => notShown(omitted, 'type', 'types'),
  );
  if (invalid.length === 0) return byType;
  return [
    ...byType,
    ...fitTable(
      ['**Not valid**', ''],
      ['| File | Type |', '| --- | --- |'],
      lazy(invalid, (artefact) =>
        row([escapeMarkdown(artefact.path), escapeMarkdown(typeName(artefact.type))]),
      ),
      room - size(byType),
      (omitted) => notShown(omitted, 'artefact that is not valid', 'artefacts that are not valid'),
    ),
  ];
}

function findingRow(finding: Finding, title: string): string {
  const location = locationOf(finding);
  return row([
    SEVERITY[finding.severity],
    escapeMarkdown(title),
    location === undefined ? '_repository_' : escapeMarkdown(location),
    escapeMarkdown(finding.message, [finding.path]),
    finding.fix === undefined ? '' : escapeMarkdown(finding.fix, [finding.path]),
    link(escapeMarkdown(finding.rule), ruleDocsUrl(finding.rule)),
  ]);
}

/** Every finding, the most severe first across all checks, and what each crashed check said. */
function crashRow(result: CheckResult): string {
  return row([
    '💥 error',
    escapeMarkdown(result.title),
    '_repository_',
    escapeMarkdown(result.error ?? `The ${result.check} check could not finish.`),
    '',
    '',
  ]);
}

function findingsTable(report: Report, room: number): string[] {
  const titles = new Map(report.results.map((result) => [result.check, result.title]));
  const crashes = report.results.filter((result) => result.status === 'error');
  const findings = sortFindings(report.results.flatMap((result) => result.findings));
  const count = crashes.length + findings.length;
  if (count === 0) return [];
  return fitTable(
    ['### Findings', ''],
    ['| Severity | Check | Location | Message | Fix | Rule |', '| --- | --- | --- | --- | --- | --- |'],
    {
      count,
      row: (index) => {
        // What a crashed check said comes first: without it, nobody would know why it has no findings.
        const crash = crashes[index];
        if (crash !== undefined) return crashRow(crash);
        const finding = findings[index - crashes.length]!;
        return findingRow(finding, titles.get(finding.check) ?? finding.check);
      },
    },
    room,
    (omitted) => notShown(omitted, 'finding', 'findings'),
  );
}

/**
 * The job summary of the Action's governance run, in GitHub-flavoured Markdown: the verdict, each check's result
 * with a link to its documentation, the latest release and the milestone's progress, then the longer lists (open
 * incidents, licences, artefacts, findings). Kept within GitHub's 1 MiB limit: the short parts always appear, each
 * list may use at most a quarter of what is left, and a cut list says how many rows it leaves out.
 */
export function renderJobSummary(
  status: GovernanceStatus,
  report: Report,
  options: JobSummaryOptions = {},
): string {
  const limit = options.maxBytes ?? STEP_SUMMARY_LIMIT;
  let left = limit;
  const take = (lines: string[]): string[] => {
    const cost = size(lines);
    if (cost > left) return [];
    left -= cost;
    return lines;
  };
  const head = take(headline(status));
  const checks = take(checksTable(status, left));
  const release = take(releaseLines(status));
  const milestone = take(milestoneLines(status));
  const share = Math.floor(left / 4);
  const incidents = take(incidentsTable(status, share));
  const licences = take(licencesTable(status, share));
  const artefacts = take(artefactsTables(status, share));
  const findings = take(findingsTable(report, left));
  const lines = [
    ...head,
    ...checks,
    ...licences,
    ...artefacts,
    ...incidents,
    ...release,
    ...milestone,
    ...findings,
  ];
  while (lines.at(-1) === '') lines.pop();
  return `${lines.join('\n')}\n`;
}

const RELEASE_WORDS: Record<ReleaseOutcome['action'], string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'already up to date',
  published: 'published',
  'dry-run': 'worked out (dry run: not written)',
};

/** The job summary's part about the release a run made; it goes after the governance status. */
export function renderReleaseSummary(outcome: ReleaseOutcome): string {
  const name = escapeMarkdown(outcome.tag);
  const link = outcome.url === undefined ? name : `[${name}](${outcome.url})`;
  const kind = outcome.draft ? 'Draft release' : 'Release';
  return `\n## Release\n\n${kind} ${link} ${RELEASE_WORDS[outcome.action]}, listing ${outcome.pullRequests} pull request${outcome.pullRequests === 1 ? '' : 's'}.\n`;
}

/** The job summary when nothing was judged because the configuration is invalid: each problem where it is. */
export function renderConfigProblemsSummary(problems: readonly ConfigProblem[]): string {
  const items = problems.map(
    (p) => `- \`${escapeMarkdown(p.file)}${p.line > 0 ? `:${p.line}` : ''}\` ${escapeMarkdown(p.message)}`,
  );
  return `# Openly: configuration invalid\n\n${items.join('\n')}\n`;
}
