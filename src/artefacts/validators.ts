import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { ArtefactType } from '../config/types.js';
import { explain } from '../parse/explain.js';
import { toPointer, type Locator } from '../parse/yaml.js';
import type { RepoSnapshot } from '../sources/snapshot.js';
import { packSchema, packTypeOfUri, packTypes, PACK_ID_PREFIX } from './pack.js';
import { parseArtefact } from './parse.js';
import { plural } from '../core/words.js';

const require = createRequire(import.meta.url);

type AjvClass = typeof Ajv2020;
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;

function newAjv(strict: boolean): Ajv2020 {
  // Loaded on first use, so that commands that judge no artefacts do not pay for Ajv.
  const Ajv = (require('ajv/dist/2020.js') as { Ajv2020: AjvClass }).Ajv2020;
  const formats = require('ajv-formats') as FormatsPlugin & { default?: FormatsPlugin };
  // `verbose` keeps each failing value and schema on the error, which `explain` turns into words.
  const ajv = new Ajv({ strict, allErrors: true, verbose: true });
  (formats.default ?? formats)(ajv);
  return ajv;
}

/** A compiled schema and the schema itself, which `explain` reads titles and branches from. */
export interface Judge {
  validate: ValidateFunction;
  schema: Record<string, unknown> | boolean;
  /** What to call it in data and messages: the pack type or the schema file's path. */
  name: string;
}

let packAjv: Ajv2020 | undefined;
const packJudges = new Map<ArtefactType, Judge>();

/**
 * The validator of a pack type, compiled on first use and kept for the life of the process: the pack is part of
 * Openly, so a compiled type serves every later run, and a run compiles only the types it meets.
 */
export function packJudge(type: ArtefactType): Judge {
  let judge = packJudges.get(type);
  if (judge === undefined) {
    packAjv ??= newAjv(true);
    const schema = packSchema(type);
    const id = schema.$id;
    const validate = (typeof id === 'string' ? packAjv.getSchema(id) : undefined) ?? packAjv.compile(schema);
    judge = { validate, schema, name: type };
    packJudges.set(type, judge);
  }
  return judge;
}

/** A problem with a team's own schema: reported once, at the schema file (or where the configuration names it). */
export interface SchemaProblem {
  /** The file at fault: the schema, or one it refers to. */
  path: string;
  line?: number;
  column?: number;
  message: string;
  fix: string;
}

/** Repository files are given ids under this made-up origin, so that relative `$ref`s resolve between them. */
const REPO_ORIGIN = 'https://repository.openly.invalid';

function repoUri(path: string): string {
  return `${REPO_ORIGIN}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** Keys whose values are data rather than schemas: a `$ref` inside an example is not a reference. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'examples', 'default']);

/**
 * Whether a regular expression repeats a group whose every part may repeat or be left out, such as `(a+)+`,
 * `(\\w+\\s?)*` or `([a-z]+-?)*`: on a long text that almost matches, a backtracking engine tries every way of
 * splitting it and can take years. A group with a part that must appear once, such as `(-[a-z]+)*` or
 * `(\\.\\d+)*`, splits only one way and is fine. A team's schema is as untrusted as the files it judges, so a risky
 * pattern is refused rather than run.
 */
export function nestedRepetition(pattern: string): boolean {
  interface Frame {
    repeats: boolean;
    once: boolean;
    alternation: boolean;
  }
  const frames: Frame[] = [{ repeats: false, once: false, alternation: false }];
  const quantifier = (at: number) => {
    const next = pattern.charAt(at);
    if (next === '?') return 'optional';
    return next === '*' || next === '+' || next === '{' ? 'repeat' : 'once';
  };
  const atom = (frame: Frame, kind: string) => {
    if (kind === 'repeat') frame.repeats = true;
    else if (kind === 'once') frame.once = true;
  };
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern.charAt(index);
    const frame = frames[frames.length - 1]!;
    if (char === '\\') {
      index += 1;
      atom(frame, quantifier(index + 1));
    } else if (char === '[') {
      let end = index + 1;
      while (end < pattern.length && pattern.charAt(end) !== ']') end += pattern.charAt(end) === '\\' ? 2 : 1;
      index = end;
      atom(frame, quantifier(index + 1));
    } else if (char === '(') {
      frames.push({ repeats: false, once: false, alternation: false });
      if (pattern.charAt(index + 1) === '?') index += pattern.charAt(index + 2) === '<' ? 3 : 2;
    } else if (char === ')' && frames.length > 1) {
      const group = frames.pop()!;
      const kind = quantifier(index + 1);
      if (kind === 'repeat' && group.repeats && !group.once && !group.alternation) return true;
      const parent = frames[frames.length - 1]!;
      if (kind === 'repeat' || group.repeats) parent.repeats = true;
      if (kind === 'once' && group.once) parent.once = true;
    } else if (char === '|') {
      frame.alternation = true;
    } else if (
      char === '*' ||
      char === '+' ||
      char === '?' ||
      char === '{' ||
      char === '}' ||
      char === '^' ||
      char === '$'
    ) {
      if (char === '{') while (index < pattern.length && pattern.charAt(index) !== '}') index += 1;
    } else {
      atom(frame, quantifier(index + 1));
    }
  }
  return false;
}

interface Reference {
  ref: string;
  pointer: string;
}

/**
 * Every `$ref` and `$dynamicRef` in a schema, and every regular expression (`pattern`, `patternProperties`),
 * found without recursion: a hostile schema may be deep.
 */
function scan(schema: unknown): { refs: Reference[]; patterns: Reference[] } {
  const refs: Reference[] = [];
  const patterns: Reference[] = [];
  const stack: Array<[unknown, Array<string | number>]> = [[schema, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((child, index) => stack.push([child, [...path, index]]));
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      if ((key === '$ref' || key === '$dynamicRef') && typeof child === 'string') {
        refs.push({ ref: child, pointer: toPointer([...path, key]) });
      } else if (key === 'pattern' && typeof child === 'string') {
        patterns.push({ ref: child, pointer: toPointer([...path, key]) });
      } else if (!DATA_KEYWORDS.has(key) && child !== null && typeof child === 'object') {
        if (key === 'patternProperties' && !Array.isArray(child)) {
          for (const name of Object.keys(child))
            patterns.push({ ref: name, pointer: toPointer([...path, key, name]) });
        }
        stack.push([child, [...path, key]]);
      }
    }
  }
  return { refs, patterns };
}

interface Loaded {
  schema: Record<string, unknown> | boolean;
  locator: Locator;
}

/**
 * The teams' own schemas of one run, read from the snapshot only. A `$ref` may name another file of the repository
 * (relative to the schema) or a schema of Openly's pack; Openly never fetches a schema from the web while judging
 * content it does not trust, so any other reference is a problem with the schema, reported once.
 */
export class CustomSchemas {
  #ajv: Ajv2020 | undefined;
  readonly #judges = new Map<string, Judge | SchemaProblem[]>();
  readonly #added = new Set<string>();

  constructor(private readonly snapshot: RepoSnapshot) {}

  private get ajv(): Ajv2020 {
    this.#ajv ??= newAjv(false);
    return this.#ajv;
  }

  /** The judge of the schema at `path`, compiled once per run, or the problems that stop it being used. */
  judge(path: string): Judge | SchemaProblem[] {
    let judge = this.#judges.get(path);
    if (judge === undefined) {
      try {
        judge = this.#compile(path);
      } catch (error) {
        // Ajv and the readers are not expected to throw here; if a hostile schema finds a way, it is one finding.
        judge = [
          {
            path,
            message: `${path} cannot be used as a schema: ${messageOf(error)}.`,
            fix: 'Correct the schema.',
          },
        ];
      }
      this.#judges.set(path, judge);
    }
    return judge;
  }

  #read(path: string): Loaded | SchemaProblem[] {
    const content = this.snapshot.read(path);
    const fix = `Make ${path} a JSON Schema (draft 2020-12) file, or point the configuration at one.`;
    if (content.kind === 'missing') {
      return [
        {
          path,
          message: `The schema file ${path} is not in the repository.`,
          fix: `Add ${path}, or correct the path in .github/openly.yml.`,
        },
      ];
    }
    if (content.kind !== 'text') {
      const why =
        content.kind === 'too-large'
          ? `is too large to read (${content.size} bytes)`
          : content.kind === 'binary'
            ? 'is not a text file'
            : `could not be read (${content.reason})`;
      return [{ path, message: `The schema file ${path} ${why}.`, fix }];
    }
    const parsed = parseArtefact(content.text, /\.ya?ml$/i.test(path) ? 'yaml' : 'json');
    const document = parsed.documents[0];
    const errors = parsed.problems;
    if (document === undefined || errors.length > 0) {
      const first = errors[0];
      return [
        {
          path,
          ...(first === undefined ? {} : { line: first.line, column: first.column }),
          message: `The schema file ${path} cannot be read: ${first?.message ?? 'it is empty'}.`,
          fix,
        },
      ];
    }
    const schema = document.value;
    if (
      typeof schema !== 'boolean' &&
      (schema === null || typeof schema !== 'object' || Array.isArray(schema))
    ) {
      return [
        {
          path,
          line: 1,
          column: 1,
          message: `${path} is not a JSON Schema: a schema is a mapping of keywords such as "type" and "properties".`,
          fix,
        },
      ];
    }
    return { schema: schema as Record<string, unknown> | boolean, locator: document.locator };
  }

  /** Reads the schema and every repository schema it refers to, adding each to Ajv under its repository id. */
  #gather(root: string): Map<string, Loaded> | SchemaProblem[] {
    const loaded = new Map<string, Loaded>();
    const queue: Array<{ path: string; from?: SchemaProblem }> = [{ path: root }];
    const problems: SchemaProblem[] = [];
    while (queue.length > 0) {
      const { path, from } = queue.shift()!;
      if (loaded.has(path)) continue;
      const file = this.#read(path);
      if (Array.isArray(file)) {
        if (from === undefined) return file;
        // A file another schema refers to is fixed where the reference is, so the finding points there.
        problems.push(
          ...file.map((problem) => ({
            ...from,
            message: `${from.message}: ${problem.message}`,
            fix: problem.fix,
          })),
        );
        continue;
      }
      loaded.set(path, file);
      if (typeof file.schema === 'boolean') continue;
      const { refs, patterns } = scan(file.schema);
      for (const { ref: pattern, pointer } of patterns) {
        if (!nestedRepetition(pattern)) continue;
        const where = file.locator.locate(pointer);
        problems.push({
          path,
          line: where.line,
          column: where.column,
          message: `The pattern "${pattern.length > 60 ? `${pattern.slice(0, 57)}...` : pattern}" repeats a group that itself repeats, which can take practically forever on some texts; Openly does not run it.`,
          fix: 'Rewrite the pattern without a repeated group inside a repeated group, such as ^[a-z]+(-[a-z]+)*$ rather than ^([a-z]+-?)*$.',
        });
      }
      for (const { ref, pointer } of refs) {
        const where = file.locator.locate(pointer);
        const at = { path, line: where.line, column: where.column };
        if (ref.startsWith('#')) continue;
        let url: URL;
        try {
          url = new URL(ref, repoUri(path));
        } catch {
          problems.push({
            ...at,
            message: `"${ref}" is not a reference Openly can follow.`,
            fix: 'Refer to a file in the repository by its relative path, such as common.schema.json#/$defs/contact.',
          });
          continue;
        }
        const target = `${url.origin}${url.pathname}`;
        if (url.href.startsWith(PACK_ID_PREFIX)) {
          const type = packTypeOfUri(target);
          if (type === undefined) {
            problems.push({
              ...at,
              message: `${ref} is not a schema of Openly's pack.`,
              fix: `Use one of ${[...packTypes().keys()]
                .map((t) => `${PACK_ID_PREFIX}${t}/v1`)
                .slice(0, 2)
                .join(', ')} and so on, with a type of the pack.`,
            });
          } else if (!this.#added.has(target)) {
            this.ajv.addSchema(packSchema(type));
            this.#added.add(target);
          }
        } else if (url.origin === REPO_ORIGIN) {
          const next = decoded(url.pathname.slice(1));
          if (next === undefined) {
            problems.push({
              ...at,
              message: `"${ref}" is not a reference Openly can follow.`,
              fix: 'Refer to a file in the repository by its relative path, such as common.schema.json#/$defs/contact.',
            });
          } else if (next !== path)
            queue.push({ path: next, from: { ...at, message: `${path} refers to ${ref}`, fix: '' } });
        } else {
          problems.push({
            ...at,
            message: `${path} refers to ${ref}, outside the repository; Openly never fetches schemas from the web while checking files.`,
            fix: "Copy that schema into the repository and refer to it by a relative path, or refer to a schema of Openly's pack.",
          });
        }
      }
    }
    return problems.length > 0 ? problems : loaded;
  }

  #compile(path: string): Judge | SchemaProblem[] {
    const gathered = this.#gather(path);
    if (Array.isArray(gathered)) return gathered;
    const ajv = this.ajv;
    for (const [file, { schema, locator }] of gathered) {
      const id = repoUri(file);
      if (this.#added.has(id)) continue;
      const copy: Record<string, unknown> | boolean =
        typeof schema === 'boolean' ? schema : { ...schema, $id: id };
      // Other drafts' `$schema` would send Ajv looking for a meta-schema it does not have; their keywords are
      // nearly all 2020-12's, so the schema is read as 2020-12 rather than refused.
      if (typeof copy !== 'boolean') delete copy.$schema;
      if (!ajv.validateSchema(copy)) {
        // One finding per schema: the first mistake, where it is, and how many more there are.
        const [first, ...more] = explain(ajv.errors as ErrorObject[], locator);
        const rest = more.length === 0 ? '' : ` (and ${plural(more.length, 'more problem')})`;
        return [
          {
            path: file,
            ...(first === undefined ? {} : { line: first.line, column: first.column }),
            message: `${file} is not a valid JSON Schema: ${first?.message ?? 'Ajv rejects it'}${rest}.`,
            fix: 'Correct the schema; https://json-schema.org/understanding-json-schema explains each keyword.',
          },
        ];
      }
      try {
        ajv.addSchema(copy, id);
        this.#added.add(id);
      } catch (error) {
        return [
          {
            path: file,
            line: 1,
            column: 1,
            message: `${file} cannot be used as a schema: ${messageOf(error)}.`,
            fix: 'Correct the schema.',
          },
        ];
      }
    }
    const loaded = gathered.get(path)!;
    try {
      const validate = ajv.getSchema(repoUri(path));
      if (validate === undefined) throw new Error('it could not be compiled');
      return { validate, schema: loaded.schema, name: path };
    } catch (error) {
      const missing = (error as { missingRef?: unknown }).missingRef;
      const message =
        typeof missing === 'string'
          ? `${path} refers to ${missing.replace(`${REPO_ORIGIN}/`, '')}, which cannot be found`
          : `${path} cannot be used as a schema: ${messageOf(error)}`;
      return [
        {
          path,
          line: 1,
          column: 1,
          message: `${message}.`,
          fix: 'Correct the schema and the files it refers to.',
        },
      ];
    }
  }
}

/** A URI path as a repository path, or undefined for a stray `%` that decodes to nothing. */
function decoded(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
