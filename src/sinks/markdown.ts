import type { Finding, RuleInfo, Severity } from '../core/check.js';
import { printableLines } from '../core/printable.js';
import { checkDocsUrl, ruleDocsUrl } from '../core/links.js';
import { countBySeverity, type CheckResult, type CheckStatus, type Report } from '../core/report.js';
import { locationOf, sortFindings, summaryLine } from './finding-order.js';

/** GitHub's cap on a check run's `output.summary`, in characters. */
export const CHECK_RUN_SUMMARY_LIMIT = 65_535;

export interface MarkdownOptions {
  /** The rule catalogue gathered from the checks. */
  rules: Record<string, RuleInfo>;
  /** The top heading; `Openly` by default. */
  title?: string;
  /**
   * The longest document to produce, in UTF-16 code units (never fewer than the characters GitHub counts).
   * Whole finding rows are left out past it, and a closing line says how many.
   */
  maxLength?: number;
}

/** The icon beside each check's result, in every Markdown Openly writes (check runs, job summaries). */
export const STATUS_ICON: Record<CheckStatus, string> = {
  pass: '✅',
  fail: '❌',
  warn: '⚠️',
  skip: '⏭️',
  error: '💥',
};
const STATUS_WORD: Record<CheckStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  warn: 'Warn',
  skip: 'Skipped',
  error: 'Error',
};

const SEVERITY: Record<Severity, string> = { error: '❌ error', warning: '⚠️ warning', notice: 'ℹ️ notice' };

/**
 * Makes text from the repository under check (messages, paths, titles) print as itself inside a GFM table cell:
 * HTML becomes inert entities, Markdown syntax (links, images, emphasis, code) is backslash-escaped, a `|`
 * cannot end the cell, mentions cannot notify, and line breaks become `<br>` so that the row stays on one line.
 */
export function escapeMarkdown(text: string, names: readonly (string | undefined)[] = []): string {
  return (
    // Control characters show as escapes (`\x1b`, which the backslash escaping below keeps as written), so that
    // a bidirectional override cannot make a cell read differently from what it says; `names` are the file paths
    // the text may quote, whose own line breaks are shown as `\n` rather than taken for the message's.
    printableLines(text, names)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_[\]()!|~]/g, '\\$&')
      // A zero-width space after `@` keeps `@team` from pinging anyone if this Markdown is ever posted as a
      // comment or an issue, as Renovate and Dependabot do; the text still reads the same. An e-mail address,
      // whose `@` follows a word, is no mention and stays as it is.
      .replace(/(?<![\p{L}\p{N}_.+-])@(?=[\p{L}\p{N}_-])/gu, '@&#8203;')
      .replace(/\n/g, '<br>')
  );
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function findingRow(finding: Finding): string {
  const location = locationOf(finding);
  return row([
    SEVERITY[finding.severity],
    location === undefined ? '_repository_' : escapeMarkdown(location),
    escapeMarkdown(finding.message, [finding.path]),
    finding.fix === undefined ? '' : escapeMarkdown(finding.fix, [finding.path]),
    `[${escapeMarkdown(finding.rule)}](${ruleDocsUrl(finding.rule)})`,
  ]);
}

/** Lines added while they fit, with room kept for the closing note about what was left out. */
class Page {
  readonly lines: string[] = [];
  private length = 0;

  constructor(private readonly room: number) {}

  static size(lines: readonly string[]): number {
    return lines.reduce((sum, line) => sum + line.length + 1, 0);
  }

  fits(size: number): boolean {
    return this.length + size <= this.room;
  }

  /** Adds the lines only if all of them fit. */
  add(...lines: string[]): boolean {
    const size = Page.size(lines);
    if (!this.fits(size)) return false;
    this.lines.push(...lines);
    this.length += size;
    return true;
  }

  /** Takes room for lines that will be written later, in another order than they are chosen. */
  reserve(size: number): boolean {
    if (!this.fits(size)) return false;
    this.length += size;
    return true;
  }
}

function omittedNote(findings: number, checks: number, limit: number): string {
  const parts = [];
  if (findings > 0) parts.push(`${findings} ${findings === 1 ? 'finding' : 'findings'}`);
  if (checks > 0) parts.push(`${checks} ${checks === 1 ? 'check' : 'checks'}`);
  return (
    `**${parts.join(' and ')} not shown:** this summary is limited to ${limit.toLocaleString('en-GB')} ` +
    'characters. Run `openly check` for the full list.'
  );
}

function headline(report: Report): string[] {
  const head = report.repository.head;
  const commit =
    head === null
      ? ' (no commits yet)'
      : /^[0-9a-f]{4,64}$/i.test(head)
        ? ` at \`${head.slice(0, 7)}\``
        : ` at ${escapeMarkdown(head)}`;
  return [`**${summaryLine(report.summary)}** · ${escapeMarkdown(report.repository.path)}${commit}`, ''];
}

function summaryRow(result: CheckResult): string {
  const counts = countBySeverity(result.findings);
  return row([
    `[${escapeMarkdown(result.title)}](${checkDocsUrl(result.check)})`,
    `${STATUS_ICON[result.status]} ${STATUS_WORD[result.status]}`,
    String(counts.error),
    String(counts.warning),
    String(counts.notice),
  ]);
}

function sectionHeading(result: CheckResult): string {
  return `### ${STATUS_ICON[result.status]} ${escapeMarkdown(result.title)}`;
}

const FINDINGS_HEAD = ['| Severity | Location | Message | Fix | Rule |', '| --- | --- | --- | --- | --- |'];

const RANK: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };

interface Section {
  result: CheckResult;
  /** What precedes the findings table: a heading, and what a crashed check said. */
  preamble: string[];
  findings: Finding[];
  rows: string[];
  /** How many of `rows`, from the first, fit on the page. */
  shown: number;
}

function sectionOf(result: CheckResult): Section {
  const findings = sortFindings(result.findings);
  const preamble = [sectionHeading(result), ''];
  if (result.status === 'error') {
    preamble.push(escapeMarkdown(result.error ?? `The ${result.check} check could not finish.`), '');
  }
  return { result, preamble, findings, rows: findings.map(findingRow), shown: 0 };
}

/** A crashed check says so even when none of its findings fit; another check appears with its first row. */
function isCrash(section: Section): boolean {
  return section.result.status === 'error';
}

/**
 * Chooses the finding rows that fit, the most severe first across all checks, so that a long list of notices
 * in one check cannot push another check's errors out. Rows are only chosen here; they are written in report
 * order afterwards, and within a check they are sorted by severity, so what fits is always a check's first rows.
 */
function chooseRows(sections: readonly Section[], page: Page): void {
  const queue = sections
    .flatMap((section) => section.findings.map((finding, i) => ({ section, finding, i })))
    .sort((a, b) => RANK[a.finding.severity] - RANK[b.finding.severity]);
  for (const { section, i } of queue) {
    // The first row brings the table's head, and the heading unless already placed; a blank line ends the table.
    const opening =
      section.shown > 0 ? [] : [...(isCrash(section) ? [] : section.preamble), ...FINDINGS_HEAD, ''];
    if (!page.reserve(Page.size([...opening, section.rows[i] ?? '']))) return;
    section.shown++;
  }
}

/**
 * The report as GitHub-flavoured Markdown, for the CLI's `--format markdown`, a check run's summary and an
 * Action's job summary: a table of checks, then a table of findings for each check that has any. Past
 * `maxLength`, whole rows are left out, the least severe first, and a closing line says how many.
 */
export function renderMarkdown(report: Report, options: MarkdownOptions): string {
  const limit = options.maxLength ?? CHECK_RUN_SUMMARY_LIMIT;
  const totalFindings = report.results.reduce((sum, r) => sum + r.findings.length, 0);
  // The note is sized for the worst case, so whatever is left out, it still fits after the last whole row.
  const reserve = Page.size(['', omittedNote(totalFindings, report.results.length, limit)]);
  const page = new Page(limit - reserve);

  page.add(`## ${escapeMarkdown(options.title ?? 'Openly')}`, '', ...headline(report));
  let shownChecks = 0;
  if (
    report.results.length > 0 &&
    page.add('| Check | Status | Errors | Warnings | Notices |', '| --- | --- | --: | --: | --: |')
  ) {
    for (const result of report.results) {
      if (!page.add(summaryRow(result))) break;
      shownChecks++;
    }
    page.add('');
  }

  // Sections only follow a complete summary table: a reader must be able to trust that table's counts.
  const sections =
    shownChecks === report.results.length
      ? report.results.filter((r) => r.status === 'error' || r.findings.length > 0).map(sectionOf)
      : [];
  // What a crashed check said comes before any row: without it, the reader would not know why it has none.
  const placed = sections.filter((section) => !isCrash(section) || page.reserve(Page.size(section.preamble)));
  chooseRows(placed, page);

  const lines = [...page.lines];
  let shownFindings = 0;
  for (const section of placed) {
    if (isCrash(section) || section.shown > 0) lines.push(...section.preamble);
    if (section.shown === 0) continue;
    // A blank line ends the table, so that nothing after it is read as one more row.
    lines.push(...FINDINGS_HEAD, ...section.rows.slice(0, section.shown), '');
    shownFindings += section.shown;
  }

  const omittedFindings = totalFindings - shownFindings;
  const omittedChecks = report.results.length - shownChecks;
  if (omittedFindings > 0 || omittedChecks > 0) {
    if (lines.at(-1) !== '') lines.push('');
    lines.push(omittedNote(omittedFindings, omittedChecks, limit));
  }
  while (lines.at(-1) === '') lines.pop();
  return `${lines.join('\n')}\n`;
}
