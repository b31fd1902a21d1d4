/**
 * The status files a run leaves behind: the status page (`index.html`), the badge (`status.json`) and the report
 * (`report.json`), written into a real folder inside the workspace, and the same page and badge as a status page
 * commit recorded them, so that publishing an unchanged status adds nothing.
 */
import { join } from 'node:path';
import { toJson, type Report } from '../core/report.js';
import { jsonSafe } from '../core/printable.js';
import type { GovernanceStatus } from '../status/model.js';
import { folderInside, writeInside, type SafeFolder } from './safe-write.js';
import { statusBadge } from './status-badge.js';
import { renderStatusPage } from './status-page.js';

/** The trailer of a status page commit that records when its page was made. */
export const GENERATED_AT = 'Openly-Generated-At';

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a status page branch holds: the page and its badge. */
export function pageFiles(status: GovernanceStatus): Record<'index.html' | 'status.json', string> {
  return {
    'index.html': renderStatusPage(status),
    'status.json': `${JSON.stringify(statusBadge(status), null, 2)}\n`,
  };
}

/** The page, the badge and the full report, as written to the status folder. */
export function statusFiles(status: GovernanceStatus, report: Report): Record<string, string> {
  return { ...pageFiles(status), 'report.json': `${jsonSafe(JSON.stringify(toJson(report), null, 2))}\n` };
}

/** The message of a status page commit, with the trailer that pagesAsRecorded reads back. */
export function pagesCommitMessage(status: GovernanceStatus, sha: string): string {
  return `Openly status of ${sha.slice(0, 7)}: ${status.overall}\n\n${GENERATED_AT}: ${status.generatedAt}\n`;
}

/**
 * The page and badge as they would have been made at the time a status page commit records: the page says when it
 * was made, so without this every run, even a re-run on the same commit, would add a commit to the branch.
 */
export function pagesAsRecorded(
  status: GovernanceStatus,
  headMessage: string,
): Record<string, string> | undefined {
  const at = new RegExp(`^${GENERATED_AT}: (\\S+)$`, 'm').exec(headMessage)?.[1];
  if (at === undefined || Number.isNaN(Date.parse(at))) return undefined;
  return pageFiles({ ...status, generatedAt: at });
}

export interface StatusFilesWritten {
  /** The files written, in the order given. */
  names: string[];
  /** The folder's absolute path (as given, when it was refused). */
  dir: string;
  /** Why a file, or the whole folder, was refused; each one sentence without a closing full stop. */
  problems: string[];
}

/**
 * Writes `files` into `dir` below `workspace`, never through a link. A refused file does not stop the others.
 */
export function writeStatusFiles(
  workspace: string,
  dir: string,
  files: Record<string, string>,
): StatusFilesWritten {
  let folder: SafeFolder;
  try {
    folder = folderInside(workspace, dir);
  } catch (error) {
    return {
      names: [],
      dir: join(workspace, dir),
      problems: [`${message(error)}; no status files were written`],
    };
  }
  const names: string[] = [];
  const problems: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    try {
      writeInside(folder, name, text);
      names.push(name);
    } catch (error) {
      problems.push(message(error));
    }
  }
  return { names, dir: folder.absolute, problems };
}
