import { createHash } from 'node:crypto';
import type { Finding, RuleInfo, Severity } from '../core/check.js';
import type { Report } from '../core/report.js';
import { sortFindings } from './finding-order.js';
import { CHECK_RUN_SUMMARY_LIMIT, escapeMarkdown, renderMarkdown } from './markdown.js';
import { plural } from '../core/words.js';

/** GitHub takes at most this many annotations in one create or update request; more need further updates. */
export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's caps (REST "Create a check run"): an annotation's title is 255 characters, its message and details 64 KB. */
export const ANNOTATION_TITLE_LIMIT = 255;
export const ANNOTATION_TEXT_BYTES = 64 * 1024;
/** GitHub documents no cap on the output title; it is one line in the UI, so it gets the annotation title's. */
export const OUTPUT_TITLE_LIMIT = 255;

export type Conclusion = 'success' | 'failure' | 'neutral';

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  message: string;
  title: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  conclusion: Conclusion;
  title: string;
  summary: string;
  annotations: CheckRunAnnotation[];
}

export interface CheckRunOptions {
  rules: Record<string, RuleInfo>;
  /** The output title; by default a count such as "2 errors, 1 warning". */
  title?: string;
  /** Paragraphs put before the report (what could not be read, for instance), Markdown already safe. */
  notes?: readonly string[];
  /**
   * The files of the commit: a finding about a file that is not there (the licence file a repository lacks) stays
   * in the summary only, since an annotation has to sit on a file of the commit.
   */
  paths?: ReadonlySet<string>;
}

const LEVEL: Record<Severity, CheckRunAnnotation['annotation_level']> = {
  error: 'failure',
  warning: 'warning',
  notice: 'notice',
};

/** Cuts text to a number of characters, marking the cut, without splitting a surrogate pair. */
export function capChars(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const chars = Array.from(text);
  if (chars.length <= limit) return text;
  return `${chars.slice(0, limit - 1).join('')}…`;
}

/** Cuts text to a number of UTF-8 bytes, marking the cut, at a character boundary. */
export function capBytes(text: string, limit: number): string {
  if (Buffer.byteLength(text, 'utf8') <= limit) return text;
  const room = limit - Buffer.byteLength('…', 'utf8');
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > room) break;
    out += char;
    bytes += size;
  }
  return `${out}…`;
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** A finding with a path as GitHub draws it on the file: line 1 when the check did not know the line. */
export function annotationOf(finding: Finding & { path: string }): CheckRunAnnotation {
  const start = positive(finding.line) ?? 1;
  const end = Math.max(start, positive(finding.endLine) ?? start);
  const column = positive(finding.column);
  return {
    path: finding.path,
    start_line: start,
    end_line: end,
    // GitHub refuses columns on an annotation spanning lines; a finding knows only where it starts.
    ...(column !== undefined && start === end ? { start_column: column, end_column: column } : {}),
    annotation_level: LEVEL[finding.severity],
    message: capBytes(finding.message, ANNOTATION_TEXT_BYTES),
    title: capChars(finding.rule, ANNOTATION_TITLE_LIMIT),
    ...(finding.fix === undefined ? {} : { raw_details: capBytes(finding.fix, ANNOTATION_TEXT_BYTES) }),
  };
}

function defaultTitle(report: Report): string {
  const { errors, warnings, notices } = report.summary;
  if (errors + warnings + notices === 0) return 'All open-working checks pass';
  const parts = [];
  if (errors > 0) parts.push(plural(errors, 'error'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  if (notices > 0) parts.push(plural(notices, 'notice'));
  return parts.join(', ');
}

/** `failure` on any error finding or crashed check (both count in `summary.errors`), `neutral` on warnings only. */
export function conclusionOf(report: Report): Conclusion {
  if (report.summary.errors > 0) return 'failure';
  if (report.summary.warnings > 0) return 'neutral';
  return 'success';
}

/**
 * The report as a check run's conclusion and output. The summary is the Markdown report (it lists every finding,
 * those about the whole repository included, which cannot be annotations); each finding on a file is also an
 * annotation, in the order the report shows them.
 */
export function checkRunOutput(report: Report, options: CheckRunOptions): CheckRunOutput {
  const notes = (options.notes ?? []).map((note) => `${note}\n\n`).join('');
  const room = CHECK_RUN_SUMMARY_LIMIT - notes.length;
  const markdown = renderMarkdown(report, { rules: options.rules, maxLength: Math.max(room, 1000) });
  const summary = capChars(`${notes}${markdown}`, CHECK_RUN_SUMMARY_LIMIT);
  const findings = sortFindings(report.results.flatMap((result) => result.findings));
  const annotations = findings
    .filter(
      (f): f is Finding & { path: string } =>
        f.path !== undefined && f.path !== '' && (options.paths === undefined || options.paths.has(f.path)),
    )
    .map(annotationOf);
  return {
    conclusion: conclusionOf(report),
    title: capChars(options.title ?? defaultTitle(report), OUTPUT_TITLE_LIMIT),
    summary,
    annotations,
  };
}

/** Annotations in requests GitHub accepts: 50 at a time. Always at least one batch, empty when there are none. */
export function annotationBatches(annotations: readonly CheckRunAnnotation[]): CheckRunAnnotation[][] {
  const batches: CheckRunAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  return batches.length === 0 ? [[]] : batches;
}

/**
 * What a check run shows, as one short string for its `external_id`: two judgements with the same digest would
 * show a person the same run, so a redelivery that finds it on the latest run has nothing to write.
 */
export function outputDigest(output: CheckRunOutput): string {
  const shown = [output.conclusion, output.title, output.summary, output.annotations];
  return `openly-sha256:${createHash('sha256').update(JSON.stringify(shown)).digest('hex')}`;
}

/** A line of text from outside (an error message) safe to put in the summary. */
export function noteText(text: string): string {
  return escapeMarkdown(text);
}

/** The check run of a configuration that cannot be used: its problems, and why no check ran. */
export function refusedConfigOutput(report: Report, options: CheckRunOptions): CheckRunOutput {
  const refused =
    '**No checks ran:** the configuration has problems, and Openly does not fall back to its defaults.';
  return checkRunOutput(report, {
    ...options,
    title: 'The Openly configuration cannot be used',
    notes: [refused, ...(options.notes ?? [])],
  });
}

/** Where the configuration came from (`owner/repo:path` names, most specific first), as a note for the summary. */
export function configSourcesNote(sources: readonly string[]): string {
  return sources.length === 0
    ? 'No `.github/openly.yml` here or in the organisation `.github` repository: built-in defaults.'
    : `Configuration: ${sources.map(noteText).join(' over ')}.`;
}

/** Why GitHub could not be read, in words for the check run; never the request, which carries the token. */
export function failureOutput(error: unknown): CheckRunOutput {
  const why = error instanceof Error ? error.message : String(error);
  return {
    // A required check must not pass on code nobody judged; Re-run retries once GitHub answers again.
    conclusion: 'failure',
    title: 'Openly could not read the repository',
    summary:
      '## Openly\n\n**Openly could not read the repository, so nothing was judged.**\n\n' +
      `${noteText(why)}\n\nUse **Re-run** on this check once GitHub answers again.\n`,
    annotations: [],
  };
}
