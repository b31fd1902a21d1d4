import type { ErrorObject } from 'ajv';
import { didYouMean } from './suggest.js';
import { pointerSegments, toPointer, type Locator } from './yaml.js';
import { plural } from '../core/words.js';

/** One schema error, in words a person who does not read JSON Schema can act on. */
export interface Explanation {
  /** JSON pointer of the value (or, for an unknown key, of the key) the message is about. */
  pointer: string;
  line: number;
  column: number;
  message: string;
  /** The schema's description of the thing at fault, when it has one: help on what belongs there. */
  hint?: string;
}

export interface ExplainOptions {
  /** The root schema, to look up titles, descriptions and `oneOf` branches when errors were made without `verbose`. */
  schema?: object;
  /** The validated data, to show what was found when errors were made without `verbose`. */
  data?: unknown;
}

type Schema = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function at(root: unknown, pointer: string): unknown {
  let node = root;
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isRecord(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** Follows local `$ref`s (`#/$defs/level`) so that a branch's type and title can be read. */
function deref(schema: unknown, root: unknown): Schema | undefined {
  let node = schema;
  for (let hops = 0; hops < 10 && isRecord(node) && typeof node.$ref === 'string'; hops += 1) {
    if (!node.$ref.startsWith('#')) break;
    const target = at(root, node.$ref.slice(1));
    if (!isRecord(target)) break;
    // A sibling title or description next to `$ref` describes the use, and wins over the definition's.
    const { $ref: _ref, ...rest } = node;
    node = { ...target, ...rest };
  }
  return isRecord(node) ? node : undefined;
}

/** A parameter or value as text, whatever its type. */
function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const TYPE_WORDS: Record<string, string> = {
  array: 'a list',
  object: 'a mapping (key: value lines)',
  string: 'a text value',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'empty',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

/** Long text cut short, so that a pasted paragraph does not become a paragraph of error message. */
function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function quote(value: unknown): string {
  return `"${short(str(value))}"`;
}

/** What was found, for "(found …)": the kind of value, and the value itself when it is short. */
function found(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'nothing: the value is empty';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a mapping';
  if (typeof value === 'string') return `the text ${quote(value)}`;
  if (typeof value === 'boolean') return `${String(value)}, which YAML reads as true or false`;
  return `the number ${str(value)}`;
}

function matchesType(value: unknown, type: unknown): boolean {
  const actual = jsonType(value);
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

/** How to name the thing at a pointer: its key, or `paths[0]` for a list item; the root is "the file". */
function nameOf(pointer: string): string {
  const segments = pointerSegments(pointer);
  const last = segments[segments.length - 1];
  if (last === undefined) return 'the top level';
  if (/^\d+$/.test(last)) {
    const parent = segments[segments.length - 2];
    return parent === undefined ? `item ${Number(last) + 1}` : `${short(parent)}[${last}]`;
  }
  return short(last);
}

const FORMATS: Record<string, string> = {
  date: 'a date like 2025-03-31',
  'date-time': 'a date and time like 2025-03-31T09:30:00Z',
  time: 'a time like 09:30:00',
  email: 'an email address like team@example.gov.uk',
  uri: 'a full web address like https://www.example.gov.uk/page',
  'uri-reference': 'a web address or path',
  url: 'a full web address like https://www.example.gov.uk/page',
  hostname: 'a host name like www.example.gov.uk',
  uuid: 'a UUID like 123e4567-e89b-12d3-a456-426614174000',
  duration: 'a duration like P6M (six months) or P1Y',
};

/**
 * The values of an enum for a message. Schemas that accept both `Accepted` and `accepted` (or `Very low`,
 * `Very Low` and `very low`) would list every word two or three times; when every word has a lower-case twin,
 * each is shown once, as first written, and the message says lower case is accepted too.
 */
function listAllowed(allowed: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const value of allowed) {
    const key = value.toLowerCase();
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [value]);
    else group.push(value);
  }
  const sets = [...groups.values()];
  const folded =
    sets.length < allowed.length &&
    sets.every((set) => set.length > 1 && set.some((value) => value === value.toLowerCase()));
  if (!folded) return allowed.join(', ');
  return `${sets.map((set) => set[0] ?? '').join(', ')}, or the same in lower case`;
}

interface Context {
  root: unknown;
  data: unknown;
}

function valueOf(error: ErrorObject, context: Context): unknown {
  return 'data' in error ? error.data : at(context.data, error.instancePath);
}

function schemaAt(error: ErrorObject, context: Context): Schema | undefined {
  if (isRecord(error.parentSchema)) return error.parentSchema;
  const path = error.schemaPath.startsWith('#') ? error.schemaPath.slice(1) : undefined;
  if (path === undefined) return undefined;
  return deref(at(context.root, path.split('/').slice(0, -1).join('/')), context.root);
}

function branchesOf(error: ErrorObject, context: Context): unknown[] {
  if (Array.isArray(error.schema)) return error.schema as unknown[];
  const branches = at(context.root, error.schemaPath.slice(1));
  return Array.isArray(branches) ? (branches as unknown[]) : [];
}

function within(pointer: string, parent: string): boolean {
  return pointer === parent || pointer.startsWith(`${parent}/`);
}

function refTarget(branch: unknown): string | undefined {
  return isRecord(branch) && typeof branch.$ref === 'string' && branch.$ref.startsWith('#')
    ? branch.$ref
    : undefined;
}

/** Whether `error` comes from branch `index` of the `oneOf`/`anyOf` error `combo`. */
function inBranch(error: ErrorObject, combo: ErrorObject, index: number, branches: unknown[]): boolean {
  if (!within(error.instancePath, combo.instancePath)) return false;
  const own = `${combo.schemaPath}/${index}`;
  if (error.schemaPath === own || error.schemaPath.startsWith(`${own}/`)) return true;
  // Ajv reports errors under a `$ref` by the definition's path, losing the branch; claim only errors at the
  // branch's own value, since deeper ones may come from the same definition used inside another branch.
  const target = refTarget(branches[index]);
  return (
    target !== undefined &&
    error.instancePath === combo.instancePath &&
    (error.schemaPath === target || error.schemaPath.startsWith(`${target}/`))
  );
}

function describeBranch(branch: unknown, root: unknown): string {
  const schema = deref(branch, root);
  if (schema === undefined) return 'something else';
  const title = typeof schema.title === 'string' ? schema.title : undefined;
  if (Array.isArray(schema.enum)) {
    return `${title === undefined ? 'one of' : `a ${title}`} (${schema.enum.map(str).join(', ')})`;
  }
  if (schema.const !== undefined) return quote(schema.const);
  if (schema.type === 'object' && isRecord(schema.properties)) {
    return `a mapping with the keys ${Object.keys(schema.properties).join(', ')}`;
  }
  const words = schema.type === undefined ? 'a value' : typeWords(schema.type);
  return title === undefined ? words : `${words} (${title})`;
}

/**
 * `oneOf`/`anyOf` failures list every branch's complaint. A person wrote one thing: keep the branch whose type
 * matches what they wrote and drop the rest; when no branch matches, keep one message naming the forms allowed.
 */
function collapse(
  errors: readonly ErrorObject[],
  context: Context,
): { kept: ErrorObject[]; summaries: Set<ErrorObject> } {
  const dropped = new Set<ErrorObject>();
  const summaries = new Set<ErrorObject>();
  const indexOf = new Map(errors.map((error, index) => [error, index]));
  // Ajv pushes a combinator's branch errors (and a propertyNames' name errors) just before its own error, all at
  // or below its value; walking back over that run keeps this linear where scanning every error would be quadratic.
  const runBefore = (owner: ErrorObject): ErrorObject[] => {
    const run: ErrorObject[] = [];
    for (let index = (indexOf.get(owner) ?? 0) - 1; index >= 0; index -= 1) {
      const error = errors[index];
      if (error === undefined || !within(error.instancePath, owner.instancePath)) break;
      run.push(error);
    }
    return run;
  };
  const combos = errors
    .filter((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf')
    .sort(
      (a, b) => a.instancePath.length - b.instancePath.length || a.schemaPath.length - b.schemaPath.length,
    );
  for (const combo of combos) {
    if (dropped.has(combo)) continue;
    const passing = (combo.params as { passingSchemas?: unknown }).passingSchemas;
    if (Array.isArray(passing)) continue;
    const branches = branchesOf(combo, context);
    const value = valueOf(combo, context);
    const run = runBefore(combo).filter((error) => !dropped.has(error));
    const owned = branches.map((_, index) => run.filter((error) => inBranch(error, combo, index, branches)));
    const candidates = branches
      .map((branch, index) => ({ index, schema: deref(branch, context.root) }))
      .filter(
        ({ schema }) =>
          schema !== undefined && (schema.type === undefined || matchesType(value, schema.type)),
      );
    // Among branches of the right type, the one with fewest complaints is most likely the one meant.
    candidates.sort((a, b) => (owned[a.index]?.length ?? 0) - (owned[b.index]?.length ?? 0));
    const chosen = candidates[0]?.index;
    owned.forEach((list, index) => {
      if (index !== chosen) for (const error of list) dropped.add(error);
    });
    if (chosen === undefined) summaries.add(combo);
    else dropped.add(combo);
  }
  for (const error of errors) {
    // Ajv repeats an `if` failure next to the `then` errors that say what is wrong.
    if (error.keyword === 'if') dropped.add(error);
    if (error.keyword !== 'propertyNames') continue;
    for (const inner of runBefore(error)) {
      if (inner.instancePath === error.instancePath && inner.schemaPath.startsWith(`${error.schemaPath}/`)) {
        dropped.add(inner);
      }
    }
  }
  return { kept: errors.filter((error) => !dropped.has(error)), summaries };
}

function hintOf(schema: Schema | undefined): string | undefined {
  return typeof schema?.description === 'string' ? schema.description : undefined;
}

/** The schema of the property at `pointer`'s last key, as seen from its parent schema. */
function propertySchema(parent: Schema | undefined, key: string, root: unknown): Schema | undefined {
  const properties = parent?.properties;
  return isRecord(properties) ? deref(properties[key], root) : undefined;
}

interface Draft {
  pointer: string;
  key: boolean;
  message: string;
  hint?: string | undefined;
}

function withFound(message: string, value: unknown): string {
  const what = found(value);
  return what === '' ? message : `${message} (found ${what})`;
}

function draft(error: ErrorObject, context: Context, summary: boolean): Draft {
  const pointer = error.instancePath;
  const name = nameOf(pointer);
  const value = valueOf(error, context);
  const schema = schemaAt(error, context);
  const params = error.params as Record<string, unknown>;
  const hint = hintOf(schema);

  if (summary) {
    const forms = branchesOf(error, context).map((branch) => describeBranch(branch, context.root));
    const either = forms.length === 2 ? 'either ' : '';
    return {
      pointer,
      key: false,
      message: withFound(`${name} must be ${either}${forms.join(' or ')}`, value),
      hint,
    };
  }

  switch (error.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const key = str(params.additionalProperty ?? params.unevaluatedProperty ?? '');
      const allowed = isRecord(schema?.properties) ? Object.keys(schema.properties) : [];
      const guess = didYouMean(key, allowed);
      const where = pointer === '' ? '' : ` in ${name}`;
      let message = `unknown key ${quote(key)}${where}`;
      if (guess !== undefined) message += ` — did you mean "${guess}"?`;
      if (allowed.length > 0) message += ` (allowed here: ${allowed.join(', ')})`;
      else message += ' (no keys are allowed here)';
      return { pointer: `${pointer}${toPointer([key])}`, key: true, message };
    }
    case 'required': {
      const missing = str(params.missingProperty ?? '');
      const where = pointer === '' ? 'at the top level' : `in ${name}`;
      return {
        pointer,
        key: false,
        message: `missing required key "${missing}" ${where}`,
        hint: hintOf(propertySchema(schema, missing, context.root)),
      };
    }
    case 'dependentRequired': {
      const property = str(params.property ?? '');
      const missing = str(params.missingProperty ?? '');
      return {
        pointer,
        key: false,
        message: `"${property}" needs "${missing}" as well ${pointer === '' ? 'at the top level' : `in ${name}`}`,
      };
    }
    case 'type':
      return {
        pointer,
        key: false,
        message: withFound(`${name} must be ${typeWords(params.type)}`, value),
        hint,
      };
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map((v) => String(v)) : [];
      let message = withFound(`${name} must be one of: ${listAllowed(allowed)}`, value);
      const guess = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
      if (guess !== undefined) message += ` — did you mean "${guess}"?`;
      return { pointer, key: false, message, hint };
    }
    case 'const':
      return {
        pointer,
        key: false,
        message: withFound(`${name} must be ${quote(params.allowedValue)}`, value),
        hint,
      };
    case 'format': {
      const format = str(params.format ?? '');
      const words = FORMATS[format] ?? `in the ${format} format`;
      return { pointer, key: false, message: withFound(`${name} must be ${words}`, value), hint };
    }
    case 'pattern': {
      const title = typeof schema?.title === 'string' ? ` ${schema.title}` : '';
      return {
        pointer,
        key: false,
        message: `${quote(value)} is not a valid${title || ` value for ${name}`}${hint === undefined ? '' : `: ${hint}`}`,
      };
    }
    case 'propertyNames': {
      const key = str(params.propertyName ?? '');
      const names = deref(schema?.propertyNames, context.root);
      const rule = hintOf(names);
      return {
        pointer: `${pointer}${toPointer([key])}`,
        key: true,
        message: `${quote(key)} is not a valid key in ${name}${rule === undefined ? '' : `: ${rule}`}`,
      };
    }
    case 'minItems': {
      const limit = Number(params.limit);
      return {
        pointer,
        key: false,
        message: `${name} must list at least ${plural(limit, 'item')}`,
        hint,
      };
    }
    case 'maxItems': {
      const limit = Number(params.limit);
      return {
        pointer,
        key: false,
        message: `${name} may list at most ${plural(limit, 'item')}`,
        hint,
      };
    }
    case 'minLength': {
      const limit = Number(params.limit);
      const message =
        limit <= 1 ? `${name} must not be empty` : `${name} must be at least ${limit} characters long`;
      return { pointer, key: false, message, hint };
    }
    case 'maxLength':
      return {
        pointer,
        key: false,
        message: `${name} must be at most ${Number(params.limit)} characters long`,
        hint,
      };
    case 'minProperties':
      return { pointer, key: false, message: `${name} must not be empty`, hint };
    case 'maxProperties':
      return { pointer, key: false, message: `${name} may have at most ${Number(params.limit)} keys`, hint };
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const words: Record<string, string> = {
        minimum: 'at least',
        exclusiveMinimum: 'more than',
        maximum: 'at most',
        exclusiveMaximum: 'less than',
      };
      return {
        pointer,
        key: false,
        message: withFound(`${name} must be ${words[error.keyword] ?? ''} ${str(params.limit)}`, value),
        hint,
      };
    }
    case 'multipleOf':
      return {
        pointer,
        key: false,
        message: withFound(`${name} must be a multiple of ${str(params.multipleOf)}`, value),
        hint,
      };
    case 'uniqueItems': {
      // Ajv's order of i and j depends on the item type; the later item is the one to remove.
      const first = Math.min(Number(params.i), Number(params.j));
      const second = Math.max(Number(params.i), Number(params.j));
      const item: unknown = Array.isArray(value) ? value[second] : undefined;
      return {
        pointer: `${pointer}${toPointer([second])}`,
        key: false,
        message: `${name} lists ${item === undefined ? 'an item' : quote(item)} twice (items ${first + 1} and ${second + 1}); keep only one`,
      };
    }
    case 'contains':
      return { pointer, key: false, message: `${name} must contain at least one suitable item`, hint };
    case 'false schema':
      return { pointer, key: true, message: `${name} is not allowed here` };
    case 'not':
      return {
        pointer,
        key: false,
        message: withFound(`${name} has a value that is not allowed here`, value),
        hint,
      };
    case 'oneOf':
      return {
        pointer,
        key: false,
        message: `${name} matches more than one of the forms allowed here; make it fit exactly one`,
        hint,
      };
    default:
      return {
        pointer,
        key: false,
        message: withFound(`${name} is not valid here (rule "${error.keyword}")`, value),
        hint,
      };
  }
}

/**
 * Turns Ajv's errors into messages that name the key, say what was expected and what was found, with a line and
 * column from `locator`. Works best with errors from an Ajv instance made with `verbose: true` and `allErrors: true`.
 */
export function explain(
  errors: readonly ErrorObject[] | null | undefined,
  locator: Locator,
  options: ExplainOptions = {},
): Explanation[] {
  if (!errors || errors.length === 0) return [];
  const context: Context = { root: options.schema, data: options.data };
  const { kept, summaries } = collapse(errors, context);
  const seen = new Set<string>();
  const out: Explanation[] = [];
  for (const error of kept) {
    const { pointer, key, message, hint } = draft(error, context, summaries.has(error));
    const id = `${pointer}\u0000${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const where = key ? locator.locateKey(pointer) : locator.locate(pointer);
    out.push({
      pointer,
      line: where.line,
      column: where.column,
      message,
      ...(hint === undefined ? {} : { hint }),
    });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
