import { parseFrontMatter } from '../parse/front-matter.js';

/** A document published as work in progress, and since when, as far as it says. */
export interface DraftState {
  /** How it says so: `draft: true` (or `status: draft`) in its front matter, or a draft banner near its top. */
  how: 'front-matter' | 'banner';
  /** The 1-based line that says so. */
  line: number;
  /** The day it became a draft, YYYY-MM-DD: `draft-since`, else the document's `date` or `created`. */
  since?: string;
  /** The document's title: front matter `title`, else its first heading. */
  title?: string;
}

/** How far into the body a banner is looked for: the lines a reader sees first, under a title. */
const BANNER_LINES = 6;

/** Front matter keys that date the draft, most specific first. */
const SINCE_KEYS = ['draft-since', 'draft_since', 'draftSince', 'date', 'created'];

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function yes(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^(?:true|yes)$/i.test(value.trim()));
}

/** The day a value names (a `YYYY-MM-DD…` string or a date), or undefined. */
function dayOf(value: unknown): string | undefined {
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(value.trim());
  if (match === null) return undefined;
  const day = new Date(`${match[1]!}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === match[1] ? match[1] : undefined;
}

/**
 * A line's words without the Markdown and HTML around them: `> **Draft:** this…`, `> [!WARNING]`, `<strong
 * class="govuk-tag">Draft</strong>`, `::: warning Draft`, `_DRAFT_` all come down to their text.
 */
function words(line: string): string {
  return line
    .replace(/<[^>]*>/g, ' ')
    .replace(/\[![A-Z]+\]/g, ' ')
    .replace(/^[\s>#*_:~|`-]+/, '')
    .replace(/^(?:warning|note|caution|important|info|tip)\b[\s:]*/i, '')
    .replace(/^[\s*_:~`-]+/, '')
    .trim();
}

/** A banner says "draft" first, as a word: "Draft", "DRAFT – not yet agreed", "Draft: this page is…". */
function isBanner(line: string): boolean {
  return (
    /^draft\b(?!-)/i.test(words(line)) ||
    /^this (?:page|document|post) is (?:a |still a |in )?draft\b/i.test(words(line))
  );
}

function titleFrom(body: string): string | undefined {
  const heading = /^#{1,2}[ \t]+(.+?)[ \t#]*$/m.exec(body);
  return heading === null ? undefined : heading[1]!.trim();
}

/**
 * Whether a Markdown document is a draft: `draft: true` or `status: draft` in its front matter, or a draft
 * banner among the first lines of its body (after its title). Anything else, including the word in running text
 * further down, is not.
 */
export function draftOf(text: string): DraftState | undefined {
  const front = parseFrontMatter(text);
  const data = front.yaml?.value;
  const fields = isMapping(data) ? data : {};
  const title =
    typeof fields.title === 'string' && fields.title.trim() !== '' ? fields.title.trim() : undefined;
  let since: string | undefined;
  for (const key of SINCE_KEYS) {
    since = dayOf(fields[key]);
    if (since !== undefined) break;
  }
  const dated = { ...(since === undefined ? {} : { since }) };
  const named = title ?? titleFrom(front.body);
  const titled = named === undefined ? {} : { title: named };
  const status = typeof fields.status === 'string' ? fields.status.trim().toLowerCase() : '';
  if (yes(fields.draft) || status === 'draft') {
    const key = yes(fields.draft) ? 'draft' : 'status';
    const line = front.yaml?.locateKey(`/${key}`).line ?? 1;
    return { how: 'front-matter', line, ...dated, ...titled };
  }
  const lines = front.body.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length && seen < BANNER_LINES; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    seen++;
    if (isBanner(line)) return { how: 'banner', line: front.bodyLine + i, ...dated, ...titled };
  }
  return undefined;
}
