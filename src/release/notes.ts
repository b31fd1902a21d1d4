import type { ReleaseNotesConfig } from '../config/types.js';
import { escapeMarkdown } from '../sinks/markdown.js';
import type { ArtefactChanges, ArtefactItem } from './artefact-changes.js';

/** A merged pull request or a closed issue, as the notes list it. */
export interface NoteItem {
  kind: 'pull-request' | 'issue';
  number: number;
  title: string;
  url: string;
  /** GitHub login; undefined for a deleted account ("ghost"). */
  author?: string;
  /** The author is an app's bot (`dependabot`): its login as a mention would name someone else's account. */
  bot?: boolean;
  labels: string[];
}

export interface NotesInput {
  items: readonly NoteItem[];
  config: ReleaseNotesConfig;
  /** The tag the notes are for (`v1.4.0`). */
  tag: string;
  /** The last published release's tag, when there is one. */
  previousTag?: string;
  /** Omitted when artefact changes were not worked out (no checkout, or switched off). */
  changes?: ArtefactChanges;
  /** A hidden line that lets Openly find its own release again, written last; given the pull requests listed. */
  marker: (pullRequests: number) => string;
}

export interface RenderedNotes {
  body: string;
  /** Pull requests listed (not those excluded by label, nor those cut for length). */
  pullRequests: number;
}

/** GitHub refuses a release body over 125,000 characters; what does not fit is counted, not lost silently. */
export const MAX_BODY = 125_000;

/** GitHub logins: letters, digits and single hyphens. Anything else is escaped rather than trusted as a mention. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/**
 * Text from pull requests, issues and artefacts, made inert: escaped as Markdown and HTML, and with a zero-width
 * space inside whatever GitHub would turn into a link or a notification on its own: `#12`, `owner/repo#12`,
 * `GH-12`, `repo@<sha>`, bare web addresses. A release is public and permanent; a title should not reach into
 * another repository's issue or point readers at a site because someone typed it. The text still reads the same.
 */
export function plain(text: string): string {
  return (
    escapeMarkdown(text)
      // The entities escapeMarkdown writes (&#8203;) are its own, not references.
      .replace(/(?<!&)#(?=\d)/g, '#&#8203;')
      .replace(/\bGH-(?=\d)/gi, (found) => `${found}&#8203;`)
      .replace(/@(?=[0-9a-f]{7})/gi, '@&#8203;')
      .replace(/\b((?:https?|ftp):)(?=\/\/)/gi, '$1&#8203;')
      .replace(/\bwww\./gi, (found) => `${found.slice(0, 3)}&#8203;.`)
  );
}

function labelSet(labels: readonly string[]): Set<string> {
  return new Set(labels.map((label) => label.toLowerCase()));
}

/** Items kept (not excluded by label), by heading in the configured order; unclaimed ones last. */
export function categorise(
  items: readonly NoteItem[],
  config: ReleaseNotesConfig,
): Array<{ title: string; items: NoteItem[] }> {
  const excluded = labelSet(config.excludeLabels);
  const groups = config.categories.map((category) => ({
    title: category.title,
    labels: labelSet(category.labels),
    items: [] as NoteItem[],
  }));
  const other: NoteItem[] = [];
  for (const item of items) {
    const labels = item.labels.map((label) => label.toLowerCase());
    if (labels.some((label) => excluded.has(label))) continue;
    const group = groups.find((candidate) => labels.some((label) => candidate.labels.has(label)));
    if (group !== undefined) group.items.push(item);
    else other.push(item);
  }
  const out = groups.filter((group) => group.items.length > 0).map(({ title, items }) => ({ title, items }));
  if (other.length > 0 && config.otherTitle !== '') out.push({ title: config.otherTitle, items: other });
  return out;
}

/**
 * The author as it follows an `@`: a plain login mentions them. A bot's login is followed by `[bot]`, and a
 * zero-width space first keeps `@renovate` from mentioning the person who owns the user account `renovate`.
 */
function author(login: string | undefined, bot = false): string {
  if (login === undefined) return 'ghost';
  if (bot) return `&#8203;${plain(`${login}[bot]`)}`;
  return LOGIN.test(login) ? login : plain(login);
}

/** One line from the template; every value is escaped, so a title cannot add links, HTML or mentions. */
export function renderLine(template: string, item: NoteItem): string {
  const values: Record<string, string> = {
    TITLE: plain(item.title),
    NUMBER: String(item.number),
    AUTHOR: author(item.author, item.bot),
    URL: /^https:\/\/[^\s()<>]+$/.test(item.url) ? item.url : '',
  };
  return template.replace(/\$(TITLE|NUMBER|AUTHOR|URL)\b/g, (_, name: string) => values[name] ?? '');
}

function fill(template: string, input: NotesInput): string {
  // Tags are data, and git allows `<`, `@` or `$&` in them: escaped, and given as functions so that `$`
  // patterns in them are not expanded.
  return template
    .replace(/\$NEXT_VERSION\b/g, () => plain(input.tag))
    .replace(/\$PREVIOUS_TAG\b/g, () => plain(input.previousTag ?? ''));
}

function artefactLine(item: ArtefactItem, note = ''): string {
  const name = item.id === undefined ? plain(item.title) : `${plain(item.id)}: ${plain(item.title)}`;
  const linked =
    item.link !== undefined && /^https?:\/\/[^\s()<>]+$/.test(item.link) ? `[${name}](${item.link})` : name;
  return `- ${linked}${note} (${plain(item.path)})`;
}

function artefactSection(changes: ArtefactChanges): string[] {
  const parts: Array<[string, string[]]> = [
    ['Risks added', changes.risksAdded.map((item) => artefactLine(item))],
    ['Risks closed', changes.risksClosed.map((item) => artefactLine(item))],
    ['Incidents resolved', changes.incidentsResolved.map((item) => artefactLine(item))],
    ['Decisions accepted', changes.decisionsAccepted.map((item) => artefactLine(item))],
    [
      'Roadmap: now',
      changes.roadmapNow.map((item) => artefactLine(item, item.added ? ' (new since the last release)' : '')),
    ],
    [
      'Still drafts',
      (changes.drafts ?? []).map((item) =>
        artefactLine(item, item.since === undefined ? '' : `, a draft since ${item.since}`),
      ),
    ],
  ];
  const lines: string[] = [];
  for (const [heading, items] of parts) {
    if (items.length === 0) continue;
    lines.push(`### ${heading}`, '', ...items, '');
  }
  if (changes.unreadable.length > 0) {
    lines.push(
      `_Not read, so not reported: ${changes.unreadable.map((path) => plain(path)).join(', ')} (the artefacts check says why)._`,
      '',
    );
  }
  return lines.length === 0 ? [] : ['## Open-working artefacts', '', ...lines];
}

/**
 * The release body: header, one section per heading with its items, the artefact changes, the contributors,
 * footer, and the marker last. Over GitHub's length limit, the last items are left out and counted in a line.
 */
export function renderNotes(input: NotesInput): RenderedNotes {
  const { config } = input;
  const groups = categorise(input.items, config);
  const head: string[] = [];
  const header = fill(config.header, input).trim();
  if (header !== '') head.push(header, '');
  const tail: string[] = [];
  if (input.changes !== undefined) tail.push(...artefactSection(input.changes));
  const listed = groups.flatMap((group) => group.items);
  const contributors = [
    ...new Set(
      listed.filter((item) => item.kind === 'pull-request').map((item) => author(item.author, item.bot)),
    ),
  ].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  if (config.contributors && contributors.length > 0) {
    tail.push('## Contributors', '', contributors.map((login) => `@${login}`).join(', '), '');
  }
  const footer = fill(config.footer, input).trim();
  if (footer !== '') tail.push(footer, '');

  const room = MAX_BODY - (head.join('\n').length + tail.join('\n').length + input.marker(0).length + 200);
  const body: string[] = [];
  let used = 0;
  let left = 0;
  let pullRequests = 0;
  if (groups.length === 0) {
    body.push(
      input.previousTag === undefined ? 'No changes yet.' : `No changes since ${plain(input.previousTag)}.`,
      '',
    );
  }
  for (const group of groups) {
    const heading = `## ${plain(group.title)}`;
    const lines: string[] = [];
    for (const item of group.items) {
      const line = renderLine(config.line, item);
      if (left > 0 || used + heading.length + line.length + 4 > room) {
        left += 1;
        continue;
      }
      used += line.length + 1;
      lines.push(line);
      if (item.kind === 'pull-request') pullRequests += 1;
    }
    if (lines.length === 0) continue;
    used += heading.length + 2;
    body.push(heading, '', ...lines, '');
  }
  if (left > 0)
    body.push(`_And ${left} more, left out because GitHub limits the length of release notes._`, '');
  return { body: [...head, ...body, ...tail, input.marker(pullRequests)].join('\n'), pullRequests };
}
