import { checkDocsUrl } from '../core/links.js';
import { countBySeverity, type CheckResult, type CheckStatus, type Report } from '../core/report.js';
import type { RepoSnapshot } from '../sources/snapshot.js';
import { openIncidents, type OpenIncident } from './incidents.js';

/** Where the judged repository lives and which commit was judged. */
export interface StatusRepository {
  /** `owner/name`. */
  fullName: string;
  /** The repository's page, e.g. `https://github.com/owner/name`. */
  url: string;
  sha: string | null;
  /** The branch or tag, e.g. `refs/heads/main`, when known. */
  ref?: string;
}

export type OverallStatus = 'pass' | 'warn' | 'fail' | 'error';

export interface CheckSummary {
  id: string;
  title: string;
  status: CheckStatus;
  errors: number;
  warnings: number;
  notices: number;
  docsUrl: string;
}

export interface LicenceSummary {
  path: string;
  spdx: string | null;
  confidence: number;
  /** The paths the licence covers (a glob), when the licence check knows. */
  scope?: string;
}

export interface ArtefactSummary {
  path: string;
  type: string;
  valid: boolean;
}

export interface LatestRelease {
  tag: string;
  name: string;
  url: string;
  publishedAt: string;
}

export interface MilestoneProgress {
  title: string;
  url: string;
  /** Open issues and pull requests. */
  open: number;
  /** Closed issues and pull requests. */
  closed: number;
  dueOn?: string;
}

/**
 * A repository's open-working governance at one commit: what the job summary, the shields.io badge and the
 * static status page are all rendered from. Plain data, so that it can also be written out as JSON.
 */
/** A document published as work in progress, from the drafts check's data. */
export interface DraftSummary {
  path: string;
  title?: string;
  /** YYYY-MM-DD it became a draft, when the document says. */
  since?: string;
  days?: number;
}

export interface GovernanceStatus {
  repository: StatusRepository;
  /** ISO time the status was made; given by the caller, so that the same input always renders the same page. */
  generatedAt: string;
  overall: OverallStatus;
  summary: Report['summary'];
  checks: CheckSummary[];
  licences: LicenceSummary[];
  artefacts: ArtefactSummary[];
  openIncidents: OpenIncident[];
  /** Documents published as drafts, oldest first (undated last), when the drafts check ran. */
  drafts?: DraftSummary[];
  latestRelease?: LatestRelease;
  milestone?: MilestoneProgress;
  /**
   * Why the latest release or the open milestone was not read from GitHub (a dry run, a refused permission, a
   * failure). Without it, a missing release or milestone means there is none; with it, the page says it is unknown.
   */
  unread?: { release?: string; milestone?: string };
}

export interface GovernanceStatusInput {
  report: Report;
  snapshot: RepoSnapshot;
  repository: StatusRepository;
  generatedAt: string;
  latestRelease?: LatestRelease;
  milestone?: MilestoneProgress;
  unread?: GovernanceStatus['unread'];
}

/**
 * The verdict in one word. A failing finding outranks a crashed check, since the repository is known to fall
 * short either way; a crash alone is `error`, never `pass`, because a check that did not finish judged nothing.
 */
export function overallStatus(report: Report): OverallStatus {
  const statuses = new Set(report.results.map((result) => result.status));
  const findingErrors = report.results.some((result) =>
    result.findings.some((finding) => finding.severity === 'error'),
  );
  if (statuses.has('fail') || findingErrors) return 'fail';
  if (statuses.has('error')) return 'error';
  if (statuses.has('warn') || report.summary.warnings > 0) return 'warn';
  return 'pass';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entries of `data[key]` of every result of a check, for the kinds of data that checks publish. */
function dataEntries(report: Report, check: string, key: string): Record<string, unknown>[] {
  return report.results
    .filter((result) => result.check === check)
    .flatMap((result) => {
      const list = result.data?.[key];
      return Array.isArray(list) ? list.filter(isRecord) : [];
    });
}

/**
 * The licence files the licence check identified. A report may have been read back from JSON, so every field is
 * checked rather than trusted; an entry without a path says nothing a reader could use and is left out.
 */
function licencesOf(report: Report): LicenceSummary[] {
  const licences: LicenceSummary[] = [];
  for (const entry of dataEntries(report, 'licence', 'licences')) {
    if (typeof entry.path !== 'string') continue;
    const confidence =
      typeof entry.confidence === 'number' && Number.isFinite(entry.confidence)
        ? Math.min(1, Math.max(0, entry.confidence))
        : 0;
    licences.push({
      path: entry.path,
      spdx: typeof entry.spdx === 'string' && entry.spdx !== '' ? entry.spdx : null,
      confidence,
      ...(typeof entry.scope === 'string' && entry.scope !== '' ? { scope: entry.scope } : {}),
    });
  }
  return licences;
}

function artefactsOf(report: Report): ArtefactSummary[] {
  const artefacts: ArtefactSummary[] = [];
  for (const entry of dataEntries(report, 'artefacts', 'artefacts')) {
    if (typeof entry.path !== 'string') continue;
    artefacts.push({
      path: entry.path,
      type: typeof entry.type === 'string' && entry.type !== '' ? entry.type : 'unknown',
      valid: entry.valid === true,
    });
  }
  return artefacts;
}

function draftsOf(report: Report): DraftSummary[] | undefined {
  if (!report.results.some((result) => result.check === 'drafts' && Array.isArray(result.data?.drafts))) {
    return undefined;
  }
  const drafts: DraftSummary[] = [];
  for (const entry of dataEntries(report, 'drafts', 'drafts')) {
    if (typeof entry.path !== 'string') continue;
    const days = typeof entry.days === 'number' && Number.isInteger(entry.days) ? entry.days : undefined;
    drafts.push({
      path: entry.path,
      ...(typeof entry.title === 'string' && entry.title !== '' ? { title: entry.title } : {}),
      ...(typeof entry.since === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(entry.since)
        ? { since: entry.since }
        : {}),
      ...(days === undefined ? {} : { days }),
    });
  }
  return drafts.sort(
    (a, b) => (b.days ?? -1) - (a.days ?? -1) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}

function checkOf(result: CheckResult): CheckSummary {
  const counts = countBySeverity(result.findings);
  return {
    id: result.check,
    title: result.title,
    status: result.status,
    // A crashed check counts as an error, as the report's summary counts it.
    errors: counts.error + (result.status === 'error' ? 1 : 0),
    warnings: counts.warning,
    notices: counts.notice,
    docsUrl: checkDocsUrl(result.check),
  };
}

/**
 * Gathers what the status page shows from a report and the snapshot it judged: each check's result, the licences
 * and artefacts the checks found, and the incidents whose reports are still open. Pure: the time and anything
 * GitHub knows (the latest release, the open milestone) come in from the caller.
 */
export function buildGovernanceStatus(input: GovernanceStatusInput): GovernanceStatus {
  const { report } = input;
  const artefacts = artefactsOf(report);
  const drafts = draftsOf(report);
  // When the artefacts check ran, its list is the truth: it knows reports kept where the team's configuration says,
  // and leaves out what `exclude:` removes. Only when it did not run are reports looked for in the usual places.
  const ran = report.results.some(
    (result) => result.check === 'artefacts' && Array.isArray(result.data?.artefacts),
  );
  const incidentPaths = ran
    ? artefacts.filter((entry) => entry.type === 'incident-report').map((entry) => entry.path)
    : undefined;
  return {
    repository: { ...input.repository },
    generatedAt: input.generatedAt,
    overall: overallStatus(report),
    summary: { ...report.summary },
    checks: report.results.map(checkOf),
    licences: licencesOf(report),
    artefacts,
    openIncidents: openIncidents(input.snapshot, incidentPaths),
    ...(drafts === undefined ? {} : { drafts }),
    ...(input.latestRelease === undefined ? {} : { latestRelease: { ...input.latestRelease } }),
    ...(input.milestone === undefined ? {} : { milestone: { ...input.milestone } }),
    ...(input.unread === undefined ? {} : { unread: { ...input.unread } }),
  };
}
