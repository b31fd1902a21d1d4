import type { CheckStatus } from '../core/report.js';
import { groupedPlural as plural } from '../core/words.js';
import type { MilestoneProgress, OverallStatus } from './model.js';

/** The verdict as a reader says it: the words carry the meaning, so colour is never the only sign. */
export const OVERALL_WORDS: Record<OverallStatus, string> = {
  pass: 'Passing',
  warn: 'Passing with warnings',
  fail: 'Failing',
  error: 'Incomplete: a check could not finish',
};

export const CHECK_WORDS: Record<CheckStatus, string> = {
  pass: 'Pass',
  warn: 'Warning',
  fail: 'Fail',
  skip: 'Skipped',
  error: 'Error',
};

/** The status pages group thousands (`1,200 files`). */
export { plural };

const TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/**
 * `23 November 2026 at 19:04 UTC`. Always in UTC, whatever the runner's zone, so that a page rendered twice from
 * the same status is the same page; a time that does not parse is shown as written.
 */
export function formatTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const parts = Object.fromEntries(TIME.formatToParts(time).map((part) => [part.type, part.value]));
  return `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute} UTC`;
}

/** `30 June 2026`: for dates where the hour means nothing to a reader (a milestone's due date). */
export function formatDay(iso: string): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : DAY.format(time);
}

/** The first seven characters of a commit id, as GitHub shows it; anything that is not a commit id, whole. */
export function shortSha(sha: string): string {
  return /^[0-9a-f]{7,64}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

/** A link target only when it is a web address: a `javascript:` or `data:` URL from anywhere is never a link. */
export function webUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The page of a commit on GitHub, when the repository's address and the commit id are both sound. */
export function commitUrl(repositoryUrl: string, sha: string | null): string | undefined {
  const base = webUrl(repositoryUrl);
  if (base === undefined || sha === null || !/^[0-9a-f]{7,64}$/i.test(sha)) return undefined;
  return `${base.replace(/\/+$/, '')}/commit/${sha}`;
}

export interface Progress {
  closed: number;
  total: number;
  /** Whole per cent, rounded down so that 99.6% is not shown as done. */
  percent: number;
}

export function progressOf(milestone: MilestoneProgress): Progress {
  const open = Math.max(0, Math.floor(Number.isFinite(milestone.open) ? milestone.open : 0));
  const closed = Math.max(0, Math.floor(Number.isFinite(milestone.closed) ? milestone.closed : 0));
  const total = open + closed;
  return { closed, total, percent: total === 0 ? 0 : Math.floor((closed / total) * 100) };
}

/** `3 of 5 issues and pull requests closed (60%)`. */
export function progressText(milestone: MilestoneProgress): string {
  const { closed, total, percent } = progressOf(milestone);
  if (total === 0) return 'No issues or pull requests in this milestone yet';
  return `${closed.toLocaleString('en-GB')} of ${plural(total, 'issue or pull request', 'issues and pull requests')} closed (${percent}%)`;
}

/** A confidence in [0, 1] as a whole percentage. */
export function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

/** `incident-report` → `Incident report`: an artefact type id in words. */
export function typeName(type: string): string {
  const words = type.replace(/[-_]+/g, ' ').trim();
  return words === '' ? type : `${words[0]!.toUpperCase()}${words.slice(1)}`;
}

export interface TypeCount {
  type: string;
  total: number;
  valid: number;
  invalid: number;
}

/** Artefacts counted by type, types in alphabetical order. */
export function countByType(artefacts: readonly { type: string; valid: boolean }[]): TypeCount[] {
  const counts = new Map<string, TypeCount>();
  for (const artefact of artefacts) {
    let entry = counts.get(artefact.type);
    if (entry === undefined) {
      entry = { type: artefact.type, total: 0, valid: 0, invalid: 0 };
      counts.set(artefact.type, entry);
    }
    entry.total++;
    if (artefact.valid) entry.valid++;
    else entry.invalid++;
  }
  return [...counts.values()].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}
