/**
 * What a report becomes in a workflow run's log: annotations GitHub places on the files and lines of the commit,
 * and the lines that say what they leave out. The door writes them; this decides which, in what order, and how
 * each reads.
 */
import type { ConfigProblem } from '../config/load.js';
import type { Report } from '../core/report.js';

/** At most this many findings become annotations; GitHub shows only the first ten of each kind on a step. */
export const MAX_ANNOTATIONS = 50;

export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** Where an annotation points; GitHub places it on the file and lines of the commit. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
}

/** One line of the log: an annotation, or (`info`) a plain line. */
export interface WorkflowMessage {
  level: AnnotationLevel | 'info';
  message: string;
  properties?: AnnotationProperties;
}

/**
 * The report's findings as annotations, in the report's order and at most MAX_ANNOTATIONS of them, a line saying
 * where the others are, and an error for each check that could not finish.
 */
export function findingAnnotations(report: Report): WorkflowMessage[] {
  const findings = report.results.flatMap((result) => result.findings);
  const messages: WorkflowMessage[] = findings.slice(0, MAX_ANNOTATIONS).map((finding) => ({
    level: finding.severity,
    message: finding.fix === undefined ? finding.message : `${finding.message} ${finding.fix}`,
    properties: {
      title: `Openly ${finding.rule}`,
      ...(finding.path === undefined ? {} : { file: finding.path }),
      ...(finding.line === undefined ? {} : { line: finding.line }),
      ...(finding.endLine === undefined ? {} : { endLine: finding.endLine }),
      ...(finding.column === undefined ? {} : { col: finding.column }),
    },
  }));
  if (findings.length > MAX_ANNOTATIONS) {
    messages.push({
      level: 'info',
      message: `${findings.length - MAX_ANNOTATIONS} further findings are in the job summary and report.json.`,
    });
  }
  for (const result of report.results) {
    if (result.status === 'error') {
      messages.push({
        level: 'error',
        message: `The ${result.check} check could not finish: ${result.error ?? 'unknown error'}`,
      });
    }
  }
  return messages;
}

/** Each problem of an invalid configuration, on its file and, when known, its line. */
export function configProblemAnnotations(problems: readonly ConfigProblem[]): WorkflowMessage[] {
  return problems.map((problem) => ({
    level: 'error',
    message: problem.message,
    properties: {
      title: 'Openly configuration',
      file: problem.file,
      ...(problem.line > 0 ? { line: problem.line, col: problem.column } : {}),
    },
  }));
}
