import type { Finding, RuleInfo, Severity } from '../core/check.js';
import type { CheckResult, CheckStatus, Report } from '../core/report.js';
import { defuseCommands, printable, printableLines } from '../core/printable.js';
import { locationOf, sortFindings, summaryLine } from './finding-order.js';

export interface TextOptions {
  /** Whether to colour the output with ANSI escape codes; the caller decides (a TTY, and no `NO_COLOR`). */
  color: boolean;
  /** The rule catalogue gathered from the checks. */
  rules: Record<string, RuleInfo>;
}

type Paint = (text: string) => string;

interface Palette {
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
  bold: Paint;
  dim: Paint;
}

function sgr(open: number, close: number): Paint {
  return (text) => `\x1b[${open}m${text}\x1b[${close}m`;
}

const COLOURS: Palette = {
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
  bold: sgr(1, 22),
  dim: sgr(2, 22),
};

const plain: Paint = (text) => text;
const PLAIN: Palette = { red: plain, green: plain, yellow: plain, cyan: plain, bold: plain, dim: plain };

const STATUS_WORD: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  skip: 'SKIP',
  error: 'ERROR',
};

const ICON: Record<Severity, string> = { error: '✖', warning: '⚠', notice: 'ℹ' };

function statusPaint(status: CheckStatus, p: Palette): Paint {
  switch (status) {
    case 'pass':
      return p.green;
    case 'fail':
    case 'error':
      return (t) => p.bold(p.red(t));
    case 'warn':
      return p.yellow;
    case 'skip':
      return p.dim;
  }
}

function severityPaint(severity: Severity, p: Palette): Paint {
  return severity === 'error' ? p.red : severity === 'warning' ? p.yellow : p.cyan;
}

/** Indents every line after the first, so that a multi-line message stays under its finding. */
function indentContinuation(text: string, indent: string): string {
  return text.split('\n').join(`\n${indent}`);
}

function renderFinding(finding: Finding, p: Palette): string[] {
  const paint = severityPaint(finding.severity, p);
  const location = locationOf(finding);
  const where = location === undefined ? p.dim('(repository)') : p.bold(printable(location));
  // Text from the repository shows its control characters as escapes (`\x1b`, `\u202e`): an escape sequence in a
  // file name could repaint or hide the report, a direction override make it read as something else.
  const message = indentContinuation(printableLines(finding.message, [finding.path]), '    ');
  const lines = [`  ${paint(`${ICON[finding.severity]} ${finding.severity}`)}  ${where}  ${message}`];
  if (finding.fix !== undefined) {
    lines.push(
      `    ${p.green('fix:')} ${indentContinuation(printableLines(finding.fix, [finding.path]), '         ')}`,
    );
  }
  lines.push(`    ${p.dim(`rule: ${printable(finding.rule)}`)}`);
  return lines;
}

function renderResult(result: CheckResult, p: Palette): string[] {
  const word = statusPaint(result.status, p)(STATUS_WORD[result.status].padEnd(5));
  const why = result.skipped === undefined ? '' : `  ${p.dim(printableLines(result.skipped))}`;
  const lines = [`${word}  ${p.bold(printable(result.title))}${why}`];
  if (result.status === 'error') {
    const error = result.error ?? `The ${result.check} check could not finish.`;
    lines.push(`  ${p.red(indentContinuation(printableLines(error), '  '))}`);
  }
  for (const finding of sortFindings(result.findings)) lines.push(...renderFinding(finding, p));
  return lines;
}

/**
 * The report for a person at a terminal, who is often new to git: one line per check that passed, and for the
 * others each finding with where it is, what to do about it, and the rule to look up.
 */
export function renderText(report: Report, options: TextOptions): string {
  const p = options.color ? COLOURS : PLAIN;
  const head = report.repository.head === null ? 'no commit' : printable(report.repository.head.slice(0, 7));
  const lines = [
    `${p.bold('Openly')} ${report.version} · ${printable(report.repository.path)} ${p.dim(`@ ${head}`)}`,
    '',
  ];
  for (const result of report.results) {
    const group = renderResult(result, p);
    // A check with details stands apart from its neighbours; passing checks stay a compact list.
    if (group.length > 1 && lines.at(-1) !== '') lines.push('');
    lines.push(...group);
    if (group.length > 1) lines.push('');
  }
  if (lines.at(-1) !== '') lines.push('');
  lines.push(p.bold(summaryLine(report.summary)));
  // The report is often read in a CI log: no line of it may be a workflow command, whatever a message holds.
  return defuseCommands(`${lines.join('\n')}\n`);
}
