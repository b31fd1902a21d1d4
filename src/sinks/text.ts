import type { Finding, RuleInfo, Severity } from '../core/check.js';
import type { CheckResult, CheckStatus, Report } from '../core/report.js';
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

/**
 * Removes what a terminal would act on rather than print. Messages and paths come from the repository under
 * check (file names, licence texts, commit data), and an escape sequence in one of them could repaint or hide
 * the report; bidirectional overrides could make a line read differently from what it says.
 */
export function terminalSafe(text: string): string {
  return (
    text
      // Whole sequences go first (CSI such as colours and screen clearing, OSC such as hyperlinks and titles),
      // so that none of their parameters is left behind as noise; then any lone control character.
      // eslint-disable-next-line no-control-regex -- escape sequences are exactly what must go
      .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g, '')
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, ' ')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
  );
}

/** Indents every line after the first, so that a multi-line message stays under its finding. */
function indentContinuation(text: string, indent: string): string {
  return text.split('\n').join(`\n${indent}`);
}

function renderFinding(finding: Finding, p: Palette): string[] {
  const paint = severityPaint(finding.severity, p);
  const location = locationOf(finding);
  const where = location === undefined ? p.dim('(repository)') : p.bold(terminalSafe(location));
  const message = indentContinuation(terminalSafe(finding.message), '    ');
  const lines = [`  ${paint(`${ICON[finding.severity]} ${finding.severity}`)}  ${where}  ${message}`];
  if (finding.fix !== undefined) {
    lines.push(`    ${p.green('fix:')} ${indentContinuation(terminalSafe(finding.fix), '         ')}`);
  }
  lines.push(`    ${p.dim(`rule: ${terminalSafe(finding.rule)}`)}`);
  return lines;
}

function renderResult(result: CheckResult, p: Palette): string[] {
  const word = statusPaint(result.status, p)(STATUS_WORD[result.status].padEnd(5));
  const why = result.skipped === undefined ? '' : `  ${p.dim(terminalSafe(result.skipped))}`;
  const lines = [`${word}  ${p.bold(terminalSafe(result.title))}${why}`];
  if (result.status === 'error') {
    const error = result.error ?? `The ${result.check} check could not finish.`;
    lines.push(`  ${p.red(indentContinuation(terminalSafe(error), '  '))}`);
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
  const head =
    report.repository.head === null ? 'no commit' : terminalSafe(report.repository.head.slice(0, 7));
  const lines = [
    `${p.bold('Openly')} ${report.version} · ${terminalSafe(report.repository.path)} ${p.dim(`@ ${head}`)}`,
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
  return `${lines.join('\n')}\n`;
}
