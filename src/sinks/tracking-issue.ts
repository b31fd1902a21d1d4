/**
 * The organisation audit told as GitHub issues, for people who are not developers: one tracking issue listing every
 * repository that falls short (what is wrong, why it matters with the policy linked, how to fix it), and optionally
 * one issue per failing repository. Pure rendering: what to write and how to read back Openly's own marker; the
 * GitHub side is `tracking-issue-writer.ts`.
 */
import { checkDocsUrl, ruleDocsUrl, RULES_DOC_URL } from '../core/links.js';
import type { AuditCheckResult, AuditedRepository, AuditReport } from '../org/report.js';
import { escapeMarkdown } from './markdown.js';

/** GitHub refuses an issue body or comment longer than this many characters. */
export const ISSUE_BODY_LIMIT = 65_536;

/** The label Openly's audit issues carry, so that they are found in one request whatever else the repository has. */
export const AUDIT_LABEL = 'openly-audit';

export const TRACKING_TITLE = 'Openly audit: repositories that fall short of the open-working rules';
export const REPOSITORY_TITLE = 'Openly audit: this repository falls short of the open-working rules';

export type IssueKind = 'tracking' | 'repository';

/** Repositories made private, as the App saw them: listed in the tracking issue for a while, justified or not. */
export interface Privatized {
  name: string;
  at: string;
}

/** What Openly remembers in the issue itself, in a hidden marker on its first line: the issue is the state. */
export interface IssueState {
  kind: IssueKind;
  /** When the content last changed. */
  changedAt?: string;
  /** When the last weekly digest comment was written, and the counts it gave. */
  digestAt?: string;
  digestSummary?: AuditReport['summary'];
  privatized?: Privatized[];
}

/** How long a repository made private stays in the tracking issue's own section. */
export const PRIVATIZED_DAYS = 30;
/** The most repositories the section of those made private lists. */
export const MAX_PRIVATIZED = 20;

const MARKER = /^<!-- openly:audit (\{.*?\}) -->\n?/;

export function marker(state: IssueState): string {
  // `>` cannot occur in a repository name or a date; escaped anyway, so that no value can end the comment.
  return `<!-- openly:audit ${JSON.stringify(state).replace(/>/g, '\\u003e')} -->\n`;
}

/** Openly's state from an issue body, when the body starts with Openly's marker of that kind. */
export function readMarker(body: string | null | undefined, kind: IssueKind): IssueState | undefined {
  const json = MARKER.exec(body ?? '')?.[1];
  if (json === undefined) return undefined;
  try {
    const state = JSON.parse(json) as IssueState;
    return state.kind === kind ? state : undefined;
  } catch {
    return undefined;
  }
}

/** The body without the marker: what is compared to decide whether an edit is needed. */
export function contentOf(body: string | null | undefined): string {
  return (body ?? '').replace(MARKER, '');
}

interface Why {
  why: string;
  policy: string;
  url: string;
}

const NHS_POLICY = 'https://github.com/nhsx/open-source-policy/blob/main/open-source-policy.md';

/** Why each check matters, in the words of the public policy it comes from (DOMAIN.md lists the sources). */
const WHY: Record<string, Why> = {
  licence: {
    why: 'Without a licence nobody may lawfully reuse the work, however public it is; code is usually MIT and documentation the Open Government Licence, with a Crown copyright notice.',
    policy: 'NHS open source policy: licences',
    url: NHS_POLICY,
  },
  'community-files': {
    why: 'A README says what the work is and who looks after it; contribution guidance and a security contact let others help and report problems safely.',
    policy: 'NHS open source policy: README, contributing and security',
    url: NHS_POLICY,
  },
  visibility: {
    why: 'Code paid for with public money is open by default; a closed repository needs a written reason and a date by which it opens, and an archived one says why.',
    policy: 'Service Standard point 12: make new source code open',
    url: 'https://www.gov.uk/service-manual/service-standard/point-12-make-new-source-code-open',
  },
  config: {
    why: "Openly cannot judge the repository by the organisation's rules until its configuration file is corrected.",
    policy: "Openly's configuration",
    url: RULES_DOC_URL,
  },
};

function whyOf(check: string): Why {
  return (
    WHY[check] ?? {
      why: 'The organisation asks for this.',
      policy: `Openly's ${check} check`,
      url: checkDocsUrl(check),
    }
  );
}

const CHECK_NAMES: Record<string, string> = {
  licence: 'Licence',
  'community-files': 'Community files',
  visibility: 'Open by default',
  config: 'Openly configuration',
};

function text(value: string): string {
  return escapeMarkdown(value).replace(/\r?\n/g, ' ');
}

function checkSection(result: AuditCheckResult): string[] {
  const errors = result.findings.filter((f) => f.severity === 'error');
  if (errors.length === 0 && result.status !== 'error') return [];
  const why = whyOf(result.check);
  const lines = [
    `**${CHECK_NAMES[result.check] ?? text(result.check)}.** Why it matters: ${why.why} ([${why.policy}](${why.url}))`,
    '',
  ];
  if (result.status === 'error') {
    lines.push(`- Openly could not run this check: ${text(result.error ?? 'an unexpected failure')}`);
  }
  for (const finding of errors) {
    const where = finding.path === undefined ? '' : ` (in \`${finding.path.replace(/`/g, "'")}\`)`;
    lines.push(
      `- **What is wrong:** ${text(finding.message)}${where} — [\`${finding.rule}\`](${ruleDocsUrl(finding.rule)})`,
    );
    if (finding.fix !== undefined) lines.push(`  **How to fix it:** ${text(finding.fix)}`);
  }
  lines.push('');
  return lines;
}

export interface RenderOptions {
  /** `https://github.com` or a GitHub Enterprise Server's address, for links to repositories. */
  serverUrl?: string;
  /** The organisation's published dashboard, linked when there is one. */
  dashboard?: string;
}

function repositoryUrl(org: string, name: string, options: RenderOptions): string {
  return `${options.serverUrl ?? 'https://github.com'}/${encodeURIComponent(org)}/${encodeURIComponent(name)}`;
}

/** What is wrong with one repository, check by check. */
export function repositorySection(
  org: string,
  repo: AuditedRepository,
  options: RenderOptions,
  level = '###',
): string {
  const facts = [
    repo.visibility === 'public' ? 'public' : `**${repo.visibility}**`,
    ...(repo.archived ? ['archived'] : []),
    ...(repo.pushedAt === null ? [] : [`last change ${repo.pushedAt.slice(0, 10)}`]),
  ];
  const lines = [
    `${level} [${text(repo.name)}](${repositoryUrl(org, repo.name, options)})`,
    '',
    `${facts.join(' · ')}`,
    '',
  ];
  if (repo.results.length === 0 && repo.reason !== undefined) {
    lines.push(`Openly could not read this repository: ${text(repo.reason)}`, '');
  }
  for (const result of repo.results) lines.push(...checkSection(result));
  return `${lines.join('\n')}\n`;
}

function date(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * The tracking issue's content (without its marker), within GitHub's limit: every failing repository while they
 * fit, then how many more and where the full list is.
 */
export function trackingContent(
  report: AuditReport,
  options: RenderOptions & { privatized?: readonly Privatized[]; limit?: number },
): string {
  const { summary } = report;
  const org = report.organisation;
  const dashboard =
    options.dashboard === undefined ? '' : ` The [dashboard](${options.dashboard}) shows every repository.`;
  const head = [
    `Openly audited ${summary.repositories} repositories of ${text(org)} on ${date(report.auditedAt)}: **${summary.failing} ${summary.failing === 1 ? 'falls' : 'fall'} short** of the open-working rules, ${summary.compliant} ${summary.compliant === 1 ? 'complies' : 'comply'} and ${summary.skipped} ${summary.skipped === 1 ? 'was' : 'were'} not judged (archived, forks or empty).`,
    '',
    `The Openly App keeps this issue up to date: it is edited when something changes, closed when every repository complies, and reopened if one falls short again.${dashboard} Each rule is explained in [Openly's rules](${RULES_DOC_URL}).`,
    '',
  ];
  const privatized = options.privatized ?? [];
  if (privatized.length > 0) {
    head.push(
      '## Made private recently',
      '',
      'Public by default: a repository made private needs a written reason and a date by which it opens again (`visibility:` in its `.github/openly.yml`).',
      '',
      ...privatized.map(
        (p) => `- [${text(p.name)}](${repositoryUrl(org, p.name, options)}), made private on ${date(p.at)}`,
      ),
      '',
    );
  }
  const failing = report.repositories.filter((repo) => repo.status === 'failing');
  if (failing.length === 0) {
    return `${head.join('\n')}Every audited repository complies. 🎉\n`;
  }
  head.push('## Repositories that fall short', '');
  const limit = options.limit ?? ISSUE_BODY_LIMIT - 4_000;
  const more = (left: number) =>
    `\n…and ${left} more ${left === 1 ? 'repository falls' : 'repositories fall'} short: ${
      options.dashboard === undefined
        ? 'the full list is in the audit report (`openly audit --org`, or the files the App writes where OPENLY_AUDIT_DIR is set).'
        : `the [dashboard](${options.dashboard}) lists them all.`
    }\n`;
  let out = `${head.join('\n')}\n`;
  const budget = limit - more(failing.length).length;
  let shown = 0;
  for (const repo of failing) {
    const section = repositorySection(org, repo, options);
    if (out.length + section.length > budget) break;
    out += section;
    shown++;
  }
  return shown === failing.length ? out : out + more(failing.length - shown);
}

/** The content of one failing repository's own issue. */
export function repositoryContent(org: string, repo: AuditedRepository, options: RenderOptions): string {
  const intro = `Openly's audit of ${text(org)} finds that this repository falls short of the organisation's open-working rules. The Openly App keeps this issue up to date and closes it once the repository complies.\n\n`;
  const section = repositorySection(org, repo, options, '##');
  const content = intro + section;
  return content.length <= ISSUE_BODY_LIMIT - 2_000
    ? content
    : `${content.slice(0, ISSUE_BODY_LIMIT - 2_200)}\n\n…cut short here: see the audit report for the rest.\n`;
}

/** The weekly digest comment: what changed since the last one, in counts. */
export function digestComment(
  before: AuditReport['summary'] | undefined,
  since: string,
  now: AuditReport['summary'],
): string {
  const change = (label: string, a: number | undefined, b: number) =>
    a === undefined || a === b ? `${label}: ${b}` : `${label}: ${a} → ${b}`;
  return [
    `**This week's change** (since ${date(since)}):`,
    '',
    `- ${change('fall short', before?.failing, now.failing)}`,
    `- ${change('comply', before?.compliant, now.compliant)}`,
    `- ${change('not judged', before?.skipped, now.skipped)}`,
    '',
    'The issue above lists each repository as it stands. Openly writes at most one such comment a week, and only in a week when something changed.',
    '',
  ].join('\n');
}
