import type { ErrorObject } from 'ajv';
import { pointerSegments, toPointer, type Locator } from '../parse/yaml.js';
import { plural } from '../core/words.js';

type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Long text cut short for messages. */
export function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A finding's place and words, before the check adds its path and rule. */
export interface Spot {
  line: number;
  column: number;
  message: string;
  fix: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

export interface Heading {
  text: string;
  line: number;
}

/**
 * A reader of fenced code blocks, fed a body's lines in order: true for a fence line or a line inside a block
 * (``` or ~~~, closed by a fence of the same character at least as long, as CommonMark says).
 */
export function codeFence(): (line: string) => boolean {
  let fence: string | undefined;
  return (line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker === undefined) return fence !== undefined;
    if (fence === undefined) fence = marker;
    else if (marker.charAt(0) === fence.charAt(0) && marker.length >= fence.length) fence = undefined;
    return true;
  };
}

/** ATX headings (`## Context`) of a Markdown body, outside fenced code blocks, with their lines in the file. */
export function headingsOf(body: string, firstLine: number): Heading[] {
  const headings: Heading[] = [];
  const inCode = codeFence();
  const lines = body.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (inCode(line)) continue;
    const opening = /^ {0,3}#{1,6}[ \t]/.exec(line);
    if (opening !== null)
      headings.push({ text: headingText(line.slice(opening[0].length)), line: firstLine + index });
  }
  return headings;
}

/**
 * A heading's words without the spaces and closing `#`s around them. Done by hand: a regular expression with
 * `(.*?)[ \t]*#*[ \t]*$` takes time that grows with the square of a long run of spaces, which a hostile file has.
 */
export function headingText(rest: string): string {
  let end = rest.length;
  const blank = (at: number) =>
    rest.charAt(at) === ' ' || rest.charAt(at) === '\t' || rest.charAt(at) === '\r';
  while (end > 0 && blank(end - 1)) end -= 1;
  while (end > 0 && rest.charAt(end - 1) === '#') end -= 1;
  while (end > 0 && blank(end - 1)) end -= 1;
  let start = 0;
  while (start < end && blank(start)) start += 1;
  return rest.slice(start, end);
}

/** A heading as compared: lower case, without numbering ("1.", "2.3", "iv."), trailing colon or emphasis. */
export function headingKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[*_`]/g, '')
    .replace(/^\s*(?:\d+(?:\.\d+)*\.?|[ivx]+\.|[a-z]\))\s+/, '')
    .replace(/[:.]\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The required sections no heading provides. A heading counts when it is the section's name or starts with it as
 * whole words, so that MADR's "Context and Problem Statement" and "Decision Outcome" count as Context and Decision.
 */
export function missingSections(headings: readonly Heading[], sections: readonly string[]): string[] {
  const keys = headings.map((heading) => headingKey(heading.text));
  return sections.filter((section) => {
    const wanted = headingKey(section);
    return !keys.some((key) => key === wanted || key.startsWith(`${wanted} `));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** The calendar day a `YYYY-MM-DD` or date-time text starts with, as a UTC date; undefined if it is not one. */
export function dayOf(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DATE.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : undefined;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** ISO weekday: 1 Monday … 7 Sunday. */
function isoWeekday(date: Date): number {
  return ((date.getUTCDay() + 6) % 7) + 1;
}

export function weekdayName(weekday: number): string {
  return WEEKDAYS[weekday - 1] ?? `day ${weekday}`;
}

/** The nearest date on or after `date` that falls on `weekday`. */
function nextWeekday(date: Date, weekday: number): Date {
  const shift = (weekday - isoWeekday(date) + 7) % 7;
  return new Date(date.getTime() + shift * 86_400_000);
}

export interface DateRule {
  filenamePattern?: string;
  dateField?: string;
  dateWeekday?: number;
}

const patterns = new Map<string, RegExp>();

function position(where: { line: number; column: number }): { line: number; column: number } {
  return { line: where.line, column: where.column };
}

/** The file-name date against the field, and the field's weekday; positions at the field. */
export function dateSpots(
  path: string,
  value: unknown,
  locator: Locator,
  rule: DateRule,
): { filename: Spot[]; weekday: Spot[] } {
  const out = { filename: [] as Spot[], weekday: [] as Spot[] };
  const field = rule.dateField;
  if (field === undefined || !isMapping(value)) return out;
  const written = value[field];
  const day = dayOf(written);
  // Located only when there is something to report: most files have nothing wrong with their dates.
  const at = () => locator.locate(toPointer([field]));
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (rule.filenamePattern !== undefined) {
    let pattern = patterns.get(rule.filenamePattern);
    if (pattern === undefined) {
      pattern = new RegExp(rule.filenamePattern);
      patterns.set(rule.filenamePattern, pattern);
    }
    const named = pattern.exec(name)?.groups?.date;
    if (
      named !== undefined &&
      day !== undefined &&
      typeof written === 'string' &&
      !written.startsWith(named)
    ) {
      out.filename.push({
        ...position(at()),
        message: `${field} is ${written.slice(0, 10)}, but the file name says ${named}; the two must be the same day.`,
        fix: `Change ${field} to ${named}, or rename the file so that its date is the one in ${field}.`,
      });
    }
  }
  if (rule.dateWeekday !== undefined && day !== undefined && isoWeekday(day) !== rule.dateWeekday) {
    const wanted = weekdayName(rule.dateWeekday);
    out.weekday.push({
      ...position(at()),
      message: `${field} is ${isoDay(day)}, a ${weekdayName(isoWeekday(day))}; it must be a ${wanted}.`,
      fix: `Use the ${wanted} that ends the week, such as ${isoDay(nextWeekday(day, rule.dateWeekday))}.`,
    });
  }
  return out;
}

/** `6 months`, `1 year`, `P6M`, `P1Y2M` … added to a date; undefined for text that is not an interval. */
export function addInterval(date: Date, interval: unknown): Date | undefined {
  if (typeof interval !== 'string') return undefined;
  let years = 0;
  let months = 0;
  let days = 0;
  const words = /^([1-9][0-9]*) (day|week|month|year)s?$/.exec(interval.trim());
  if (words !== null) {
    const count = Number(words[1]);
    if (words[2] === 'year') years = count;
    else if (words[2] === 'month') months = count;
    else days = words[2] === 'week' ? count * 7 : count;
  } else {
    const iso = /^P(?=[0-9])(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?$/.exec(interval.trim());
    if (iso === null) return undefined;
    years = Number(iso[1] ?? 0);
    months = Number(iso[2] ?? 0);
    days = Number(iso[3] ?? 0) * 7 + Number(iso[4] ?? 0);
  }
  // Six months after 31 August is the end of February, not 3 March: the day is kept within the target month.
  const month = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + years;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), last) + days));
  return Number.isNaN(result.getTime()) ? undefined : result;
}

/** Fields that hold the day a review is due. */
const DUE_FIELDS = ['next_review_due', 'review_due', 'reviewDate'];

function daysBetween(earlier: Date, later: Date): number {
  return Math.round((later.getTime() - earlier.getTime()) / 86_400_000);
}

function overdueIn(
  mapping: Mapping,
  base: Array<string | number>,
  locator: Locator,
  today: Date,
  out: Spot[],
) {
  const label =
    base.length === 0 ? '' : ` in ${String(base[base.length - 2])}[${String(base[base.length - 1])}]`;
  for (const field of DUE_FIELDS) {
    const due = dayOf(mapping[field]);
    if (due === undefined || due >= today) continue;
    const where = locator.locate(toPointer([...base, field]));
    const late = daysBetween(due, today);
    out.push({
      line: where.line,
      column: where.column,
      message: `The review${label} was due on ${isoDay(due)}, ${plural(late, 'day')} ago.`,
      fix: `Review it, then set ${field} to the date of the next review.`,
    });
  }
  const last = dayOf(mapping.last_reviewed);
  const interval = mapping.review_interval;
  if (last === undefined || interval === undefined || DUE_FIELDS.some((field) => field in mapping)) return;
  const due = addInterval(last, interval);
  if (due === undefined || due >= today || typeof interval !== 'string') return;
  const where = locator.locate(toPointer([...base, 'last_reviewed']));
  const late = daysBetween(due, today);
  out.push({
    line: where.line,
    column: where.column,
    message: `The review${label} was due on ${isoDay(due)} (last reviewed ${isoDay(last)}, every ${interval}), ${plural(late, 'day')} ago.`,
    fix: 'Review it, then set last_reviewed to the day of that review.',
  });
}

/**
 * Reviews that are overdue on `today`: due-date fields (`next_review_due`, `review_due`, `reviewDate`) and
 * `last_reviewed` plus `review_interval`, at the top of the document and in each item of its top-level lists (a
 * register's risks, requirements or services).
 */
export function overdueSpots(value: unknown, locator: Locator, today: Date): Spot[] {
  const out: Spot[] = [];
  if (!isMapping(value)) return out;
  overdueIn(value, [], locator, today, out);
  for (const [key, list] of Object.entries(value)) {
    if (!Array.isArray(list)) continue;
    list.forEach((item: unknown, index) => {
      if (isMapping(item)) overdueIn(item, [key, index], locator, today, out);
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Risk ratings

const GRID_ERROR = /\/\$defs\/grid\/allOf\/\d+\/then\/properties\/rating\/const$/;

/**
 * Separates the DCB0129 grid's failures (the pack's `$defs/grid`, used by the risk register and by any schema that
 * refers to it) from the other errors, and words each as the cell of the grid and the rating it gives.
 */
export function riskRatingSpots(
  errors: readonly ErrorObject[],
  data: unknown,
  locator: Locator,
): { spots: Spot[]; rest: ErrorObject[] } {
  const spots: Spot[] = [];
  const rest: ErrorObject[] = [];
  for (const error of errors) {
    if (!GRID_ERROR.test(error.schemaPath)) {
      // Ajv repeats an `if` failure beside the `then` error; the grid's own are covered by the spot.
      if (!(error.keyword === 'if' && error.schemaPath.includes('/$defs/grid/'))) rest.push(error);
      continue;
    }
    const segments = pointerSegments(error.instancePath);
    let risk: unknown = data;
    for (const segment of segments.slice(0, -1)) {
      risk = Array.isArray(risk) ? risk[Number(segment)] : isMapping(risk) ? risk[segment] : undefined;
    }
    if (!isMapping(risk)) continue;
    const expected = (error.params as { allowedValue?: unknown }).allowedValue;
    const where = locator.locate(error.instancePath);
    const name = segments.length <= 1 ? 'the risk' : describe(segments.slice(0, -1));
    const id = typeof risk.id === 'string' ? ` (${short(risk.id)})` : '';
    spots.push({
      line: where.line,
      column: where.column,
      message: `The rating of ${name}${id} is ${JSON.stringify(risk.rating)}, but the DCB0129 grid gives ${String(expected)} for likelihood ${String(risk.likelihood)} and consequence ${String(risk.consequence)} (row ${String(risk.likelihood)}, column ${String(risk.consequence)}).`,
      fix: `Set rating to ${String(expected)}, or correct the likelihood or consequence if one of them is wrong.`,
    });
  }
  return { spots, rest };
}

function describe(segments: readonly string[]): string {
  const parts: string[] = [];
  for (const segment of segments) {
    if (/^\d+$/.test(segment) && parts.length > 0) parts[parts.length - 1] += `[${segment}]`;
    else parts.push(segment);
  }
  return parts.join('.');
}

// ---------------------------------------------------------------------------------------------------------------
// Ids within one register

/** Items of a top-level list (risks, services, requirements) that repeat an earlier item's `id`. */
export function repeatedIdSpots(value: unknown, locator: Locator): Spot[] {
  const out: Spot[] = [];
  if (!isMapping(value)) return out;
  for (const [key, list] of Object.entries(value)) {
    if (!Array.isArray(list)) continue;
    const seen = new Map<string, number>();
    list.forEach((item: unknown, index) => {
      if (!isMapping(item) || (typeof item.id !== 'string' && typeof item.id !== 'number')) return;
      const id = String(item.id);
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, index);
        return;
      }
      const where = locator.locate(toPointer([key, index, 'id']));
      out.push({
        line: where.line,
        column: where.column,
        message: `${key}[${index}] has the id ${short(id)}, already used by ${key}[${first}]; each entry needs its own.`,
        fix: 'Give this entry an id no other entry uses; keep ids once given, since other documents refer to them.',
      });
    });
  }
  return out;
}
