import { pointerSegments, type Location, type Locator } from '../parse/yaml.js';
import { codeFence, dayOf, headingKey, headingsOf, headingText, isMapping } from './rules.js';
import { optional } from '../core/words.js';

/**
 * Architecture decision records as teams write them. Most carry no front matter: Michael Nygard's format, which
 * adr-tools writes, puts the number and title in the first heading (`# 12. Use Notify`), the day in a `Date:` line
 * and the status in a `## Status` section. MADR keeps status and date in front matter, in `* Status:` lines or in a
 * section, and makes both optional. Statuses come decorated (`> Accepted`, `✅ Accepted`, `**Accepted**`,
 * `Superseded by [ADR 36](036-multi-cluster.md)`) and dates in UK forms (`26/03/2018`, `26 March 2018`). This reads
 * all of that into the fields the schema judges, each with the place in the file it came from.
 */

/** The words public templates give a decision's status, by their lower-case form. */
const STATUSES = new Map(
  [
    // Nygard, adr-tools and MADR.
    'Proposed',
    'Accepted',
    'Rejected',
    'Deprecated',
    'Superseded',
    // MoJ's legend (adr-tools' `-l Amends`), alphagov's template (Pending, then Approved), NHS England's repository
    // template (RFC, In discussion, Pending approval, Withdrawn), MADR's own log (On hold), and Draft and Decided.
    'Amended',
    'Pending',
    'Approved',
    'RFC',
    'In discussion',
    'Pending approval',
    'Withdrawn',
    'On hold',
    'Draft',
    'Decided',
  ].map((word) => [word.toLowerCase(), word]),
);

/** Every spelling the schema accepts: each status as the templates write it, and in lower case. */
export const KNOWN_STATUSES: readonly string[] = [...STATUSES.values()].flatMap((word) =>
  word === word.toLowerCase() ? [word] : [word, word.toLowerCase()],
);

/** The statuses in words, for messages: "Proposed, Accepted, … or Decided". */
export const STATUS_WORDS = [...STATUSES.values()].join(', ');

export interface StatusReading {
  /** The status as the templates spell it (`Accepted`), or the text as written when it is not one. */
  status: string;
  known: boolean;
  /** The decision that replaces this one: a link's target, or the words after "superseded by". */
  successor?: string;
}

/** Emoji, shortcodes such as `:ghost:`, and the marks of quotes, lists, emphasis and code. */
const DECORATION =
  /[\p{Extended_Pictographic}\u{2300}-\u{23FF}\u{2B00}-\u{2BFF}]|\u{FE0F}|\u{200D}|\u{20E3}|:[a-z0-9_+-]+:|[*_`~]/gu;

/** A status as written, without its decoration: `> ✅ **Accepted**` is `Accepted`. */
export function plainStatus(text: string): string {
  return text
    .replace(/^\s*(?:>\s*)+/, '')
    .replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '')
    .replace(DECORATION, '')
    .replace(/^\s*status\s*[:\-–]\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.;,]$/, '');
}

/** The known status a line starts with (longest first, so `Pending approval` is not `Pending`), if any. */
function knownPrefix(plain: string): string | undefined {
  const lower = plain.toLowerCase();
  let best: string | undefined;
  for (const [key, word] of STATUSES) {
    if (lower === key || (lower.startsWith(key) && /^[^a-z0-9]/i.test(plain.slice(key.length)))) {
      if (best === undefined || key.length > best.length) best = word;
    }
  }
  return best;
}

/** Reads one status line: `⌛️ Superseded by [36. Multi-cluster](036-multi-cluster.md)` is Superseded by that file. */
export function readStatus(text: string): StatusReading {
  const link = /\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/.exec(text)?.[1];
  const plain = plainStatus(text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
  const word = knownPrefix(plain);
  if (word === undefined) return { status: plain, known: false };
  const reading: StatusReading = { status: word, known: true };
  if (word === 'Superseded') {
    const named = /^superseded\s+(?:by\s+)?(\S.*)$/i.exec(plain)?.[1];
    const successor = link ?? named;
    if (successor !== undefined) reading.successor = successor.trim();
  }
  return reading;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A date as UK teams write it, as YYYY-MM-DD: `2018-03-26`, `26/03/2018`, `26/03/18`, `26.03.2018`,
 * `26 March 2018`, `26th Mar 2018`, `March 26, 2018`. Day before month, as in the UK. The calendar is not checked
 * here (31/02/2018 gives 2018-02-31). Undefined when the text is not in one of these forms.
 */
export function isoDate(text: string): string | undefined {
  const value = text.replace(DECORATION, ' ').trim();
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[\sT(,])/.exec(value);
  if (match !== null) return iso(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?=$|[\s(,])/.exec(value);
  if (match !== null) {
    const year = match[3]!.length === 2 ? 2000 + Number(match[3]) : Number(match[3]);
    return iso(year, Number(match[2]), Number(match[1]));
  }
  const month = (name: string) => MONTHS.findIndex((full) => full.startsWith(name.toLowerCase())) + 1;
  match = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})(?=$|[\s(,])/i.exec(value);
  if (match !== null && match[2]!.length >= 3 && month(match[2]!) > 0) {
    return iso(Number(match[3]), month(match[2]!), Number(match[1]));
  }
  match = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?=$|[\s(,])/i.exec(value);
  if (match !== null && month(match[1]!) > 0)
    return iso(Number(match[3]), month(match[1]!), Number(match[2]));
  return undefined;
}

/** Where a field read from the body was written. */
interface Place {
  line: number;
  column: number;
  length: number;
}

export interface DecisionHeading {
  text: string;
  /** The number the heading gives the decision (`# 12. Title`, `# ADR-012: Title`), if any. */
  number?: number;
  line: number;
  column: number;
}

export interface DecisionRecord {
  /** Front matter with the fields the body gives filled in, statuses and dates made plain: what the schema judges. */
  value: Record<string, unknown>;
  locator: Locator;
  heading?: DecisionHeading;
  /** Whether the record follows MADR (its headings), which makes status and date optional. */
  madr: boolean;
  /** Which fields came from the body rather than front matter. */
  fromBody: Set<string>;
}

/** `# 12. Title`, `# 0012 - Title`, `# ADR-012: Title`, `# ADR 12 Title`: the number and the title. */
function splitHeading(text: string): { number?: number; title: string } {
  // Each part has one way to match, so that a long run of digits or spaces cannot make the search explode.
  const trimmed = text.trim();
  const match =
    trimmed.length > 500
      ? null
      : /^(?:ad[rd]|dr|decision)?[\s_-]*(\d+)(?:\s*[.:)\]–—-]|\s)\s*(\S.*)$/i.exec(trimmed);
  if (match === null) return { title: trimmed };
  return { number: Number(match[1]), title: match[2]!.trim() };
}

/** Lines of the body outside fenced code blocks and HTML comments, with their line numbers in the file. */
function proseLines(body: string, firstLine: number): Array<{ text: string; line: number }> {
  const out: Array<{ text: string; line: number }> = [];
  const inCode = codeFence();
  let comment = false;
  body.split('\n').forEach((raw, index) => {
    const text = raw.replace(/\r$/, '');
    if (comment) {
      if (text.includes('-->')) comment = false;
      return;
    }
    if (inCode(text)) return;
    const opened = text.indexOf('<!--');
    if (opened !== -1 && !text.includes('-->', opened)) {
      comment = true;
      if (text.slice(0, opened).trim() === '') return;
      out.push({ text: text.slice(0, opened), line: firstLine + index });
      return;
    }
    out.push({ text: text.replace(/<!--.*?-->/g, ''), line: firstLine + index });
  });
  return out;
}

/** `Date: 2018-03-26`, `* Date: …`, `**Date:** …`, `Date 09/04/2018`, `| Date | 26/03/2018 |`. */
const DATE_LINE =
  /^\s*(?:>\s*)?(?:[-*+]\s+)?(?:\|\s*)?[*_]{0,2}date[*_]{0,2}(?:\s*\|\s*|\s*[:\-–]\s*[*_]{0,2}\s*|\s+(?=\d))(.*?)\s*\|?\s*$/i;
/** `Status: Accepted`, `* Status: accepted`, `**Status**: Accepted`, `| Status | Accepted |`. */
const STATUS_LINE =
  /^\s*(?:>\s*)?(?:[-*+]\s+)?(?:\|\s*)?[*_]{0,2}status[*_]{0,2}(?:\s*\|\s*|\s*[:\-–]\s*[*_]{0,2}\s*)(.*?)\s*\|?\s*$/i;

function placeOf(line: { text: string; line: number }, value: string): Place {
  const at = line.text.indexOf(value);
  return { line: line.line, column: (at < 0 ? 0 : at) + 1, length: value.length };
}

/**
 * Reads a decision record: its front matter (if any) and what its Markdown body says, the front matter winning.
 * `bodyLine` is the line of the file the body starts on.
 */
export function readDecisionRecord(
  front: unknown,
  frontLocator: Locator | undefined,
  body: string,
  bodyLine: number,
): DecisionRecord {
  const value: Record<string, unknown> = isMapping(front) ? { ...front } : {};
  const places = new Map<string, Place>();
  const fromBody = new Set<string>();
  const lines = proseLines(body, bodyLine);
  const headings = headingsOf(lines.map((line) => line.text).join('\n'), 1).map((heading) => ({
    ...heading,
    line: lines[heading.line - 1]?.line ?? bodyLine,
  }));
  const keys = headings.map((heading) => headingKey(heading.text));
  const madr = keys.some(
    (key) =>
      key.startsWith('context and problem statement') ||
      key.startsWith('decision outcome') ||
      key === 'considered options',
  );

  let heading: DecisionHeading | undefined;
  const first = lines.find((line) => /^ {0,3}#(?!#)\s*\S/.test(line.text));
  if (first !== undefined) {
    const text = headingText(first.text.replace(/^ {0,3}#/, ''));
    const split = splitHeading(text);
    heading = {
      text,
      ...optional('number', split.number),
      line: first.line,
      column: first.text.indexOf(text) + 1,
    };
    if (value.title === undefined && split.title !== '') {
      value.title = split.title;
      places.set('title', placeOf(first, split.title));
      fromBody.add('title');
    }
  }

  if (value.date === undefined) {
    for (const line of lines) {
      const written = DATE_LINE.exec(line.text)?.[1]?.replace(/^`|`$/g, '').trim();
      if (written === undefined || written === '') continue;
      // An impossible day (31/02/2018) stays as written, so that the finding quotes the person's own words.
      const day = isoDate(written);
      value.date = day !== undefined && dayOf(day) !== undefined ? day : written;
      places.set('date', placeOf(line, written));
      fromBody.add('date');
      break;
    }
  }
  if (value.date === undefined && first !== undefined) {
    // Some records give the day alone on a line between the title and the first section ("27 July 2022").
    for (const line of lines.slice(lines.indexOf(first) + 1)) {
      if (/^ {0,3}#/.test(line.text)) break;
      const written = line.text.replace(/^[\s*_]+|[\s*_]+$/g, '');
      const day = written === '' ? undefined : isoDate(written);
      if (day === undefined || dayOf(day) === undefined || written.length > 40) continue;
      value.date = day;
      places.set('date', placeOf(line, written));
      fromBody.add('date');
      break;
    }
  }

  // The status: a `Status` section's first lines, else a `Status:` line or table row.
  let statusLines: Array<{ text: string; line: number }> = [];
  const section = headings.find((h, index) => keys[index] === 'status' && h.text.trim() !== '');
  if (section !== undefined) {
    const start = lines.findIndex((line) => line.line === section.line);
    for (const line of lines.slice(start + 1)) {
      if (/^ {0,3}#{1,6}\s/.test(line.text)) break;
      if (line.text.replace(/^\s*>?\s*/, '').trim() !== '') statusLines.push(line);
    }
  } else {
    const line = lines.find((candidate) => STATUS_LINE.test(candidate.text));
    if (line !== undefined) statusLines = [line];
  }
  const given = typeof value.status === 'string' ? readStatus(value.status) : undefined;
  if (given !== undefined) {
    // Front matter is judged as written, apart from its decoration: `✅ Accepted` is Accepted.
    if (
      given.known &&
      given.status !== value.status &&
      plainStatus(value.status as string) !== value.status
    ) {
      value.status = given.status;
      if (given.successor !== undefined && value.superseded_by === undefined) {
        value.superseded_by = given.successor;
      }
    }
  } else if (value.status === undefined && statusLines.length > 0) {
    const readings = statusLines.map((line) => {
      const text = STATUS_LINE.exec(line.text)?.[1] ?? line.text;
      return { line, text, reading: readStatus(text) };
    });
    // The first line naming a status decides, but a later "Superseded by" line outranks an earlier "Accepted":
    // adr-tools adds it when a newer record replaces this one.
    const chosen =
      readings.find(({ reading }) => reading.status === 'Superseded') ??
      readings.find(({ reading }) => reading.known) ??
      readings[0]!;
    const plain = plainStatus(chosen.text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    value.status = chosen.reading.status;
    places.set('status', placeOf(chosen.line, plain.split(' ')[0] ?? plain));
    fromBody.add('status');
    let successor = chosen.reading.successor;
    if (chosen.reading.status === 'Superseded' && successor === undefined) {
      // "Superseded" alone, with the replacement linked in the lines below it.
      for (const { line } of readings) {
        const link = /\]\(\s*<?([^)\s>]+)/.exec(line.text)?.[1];
        if (link !== undefined) {
          successor = link;
          break;
        }
      }
    }
    if (successor !== undefined && value.superseded_by === undefined) {
      value.superseded_by = successor;
      places.set('superseded_by', placeOf(chosen.line, successor));
      fromBody.add('superseded_by');
    }
  }

  const fallback: Location = {
    line: heading?.line ?? bodyLine,
    column: 1,
    endLine: heading?.line ?? bodyLine,
    endColumn: 1,
    exact: false,
  };
  const locate = (pointer: string, key: boolean): Location => {
    const name = pointerSegments(pointer)[0];
    const place = name === undefined ? undefined : places.get(name);
    if (place !== undefined) {
      return {
        line: place.line,
        column: place.column,
        endLine: place.line,
        endColumn: place.column + place.length,
        exact: pointerSegments(pointer).length === 1,
      };
    }
    if (frontLocator !== undefined && (name === undefined || name in (isMapping(front) ? front : {}))) {
      return key ? frontLocator.locateKey(pointer) : frontLocator.locate(pointer);
    }
    // A superseded decision without its successor is fixed on the status line.
    const status = places.get('status');
    if (name === 'superseded_by' && status !== undefined) return locate('/status', false);
    if (frontLocator !== undefined) return frontLocator.locate('');
    return fallback;
  };
  return {
    value,
    locator: { locate: (pointer) => locate(pointer, false), locateKey: (pointer) => locate(pointer, true) },
    ...optional('heading', heading),
    madr,
    fromBody,
  };
}
