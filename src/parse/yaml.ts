import {
  Composer,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  visit,
  type CST,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import { FAST_MAX_DEPTH, fastYaml } from './fast-yaml.js';
import { pointerSegments } from './pointer.js';

export { pointerSegments, toPointer } from './pointer.js';

import type { Location, Position, YamlData, YamlProblem } from './yaml-types.js';

export type { Location, Locator, Position, YamlData, YamlProblem } from './yaml-types.js';

export interface ParsedYaml extends YamlData {
  /** The syntax tree, for callers that need comments or exact ranges; absent when parsing was refused. */
  document: Document.Parsed | undefined;
}

export interface ParseYamlOptions {
  /** Added to every line number: 1 for front matter whose YAML starts on line 2 of a Markdown file. */
  lineOffset?: number;
  /** Most alias (`*name`) expansions allowed while building the value; guards against "billion laughs". */
  maxAliasCount?: number;
  /** Deepest nesting of lists and mappings accepted; deeper input is refused before it can exhaust the stack. */
  maxDepth?: number;
  /** Longest text accepted, in characters. */
  maxLength?: number;
}

export const YAML_LIMITS = {
  maxAliasCount: 100,
  maxDepth: 100,
  maxLength: 5_000_000,
} as const;

const QUOTE_CLOSE = /closing (["'])quote/;

const REWORDED: Array<[RegExp, string]> = [
  [
    /All mapping items must start at the same column/,
    'the keys of one mapping must all start in the same column',
  ],
  [
    /All sequence items must start at the same column/,
    'the items of one list must all start in the same column',
  ],
  [
    /Flow sequence in block collection must be sufficiently indented/,
    'a list in [ ] is not closed with ] or is not indented enough',
  ],
  [
    /Flow mapping in block collection must be sufficiently indented/,
    'a mapping in { } is not closed with } or is not indented enough',
  ],
  [/Expected flow sequence to end with \]/, 'a list in [ ] is not closed with ]'],
  [/Expected flow map to end with \}/, 'a mapping in { } is not closed with }'],
];

function plainMessage(error: YAMLError): string {
  const raw = error.message.split(/ at line \d+, column \d+/)[0] ?? error.message;
  switch (error.code) {
    case 'MISSING_CHAR': {
      const quote = QUOTE_CLOSE.exec(raw)?.[1];
      if (quote !== undefined) {
        return `a quoted text is never closed: add the closing ${quote} (or remove the opening one)`;
      }
      if (/flow (sequence|map)/.test(raw)) {
        return 'in a list or mapping written with [ ] or { }, items are separated by commas; a value that contains [ ] { } , or : must be in quotes, such as "renovate[bot]"';
      }
      return `something is missing here: ${raw.charAt(0).toLowerCase()}${raw.slice(1)}`;
    }
    case 'BLOCK_IN_FLOW':
      return 'inside [ ] or { }, items are separated by commas; a value that contains ": " must be in quotes';
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation; YAML allows only spaces here — replace the tab with spaces';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a second "key:" follows a key on the same line (like "a: b: c"); put the inner key on its own, indented line, or put the value in quotes';
    case 'MULTILINE_IMPLICIT_KEY':
      return 'a key must fit on one line; is a colon (:) missing after a key, or a quote not closed above?';
    case 'MULTIPLE_DOCS':
      return 'this file holds more than one YAML document (a second "---" line); only one is expected';
    case 'BAD_ALIAS':
      return 'an alias (*name) refers to an anchor (&name) that is not defined before it';
    case 'TAG_RESOLVE_FAILED': {
      const tag = /Unresolved tag: (\S+)/.exec(raw)?.[1];
      return `unknown tag${tag === undefined ? '' : ` ${tag}`}: Openly reads plain YAML only — remove the tag`;
    }
    case 'BAD_DQ_ESCAPE':
      return 'a backslash in double quotes starts an unknown escape; write \\\\ for a backslash, or use single quotes';
    case 'RESOURCE_EXHAUSTION':
      return 'this file is nested too deeply to read safely';
    case 'DUPLICATE_KEY':
      return 'a key appears twice in the same mapping; remove one of them';
    case 'KEY_OVER_1024_CHARS':
      return 'a key is longer than 1024 characters; is a colon (:) or a closing quote missing?';
    default:
      break;
  }
  for (const [pattern, words] of REWORDED) if (pattern.test(raw)) return words;
  if (error.code === 'BAD_INDENT') return `the indentation is wrong here (${raw.toLowerCase()})`;
  return `YAML cannot read this: ${raw.charAt(0).toLowerCase()}${raw.slice(1)}`;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) {
    const value: unknown = key.value;
    if (value === null) return '';
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
      return String(value);
    return JSON.stringify(value);
  }
  if (key === null || key === undefined) return '';
  return undefined;
}

interface CollectionToken {
  type: string;
  offset: number;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/**
 * The deepest collection nesting in the concrete syntax tree, found without recursion, because `yaml` composes
 * documents recursively and very deep input can exhaust the stack in places that abort the whole process.
 */
function tooDeep(tokens: readonly CST.Token[], maxDepth: number): CollectionToken | undefined {
  const stack: Array<[unknown, number]> = tokens.map((token) => [token, 0]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    let next = depth;
    const type = (node as { type?: unknown }).type;
    if (typeof type === 'string' && COLLECTIONS.has(type)) {
      next = depth + 1;
      if (next > maxDepth) return node as CollectionToken;
    }
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, next]);
    }
  }
  return undefined;
}

/** The quoted scalar that `yaml` reports unclosed only at the end of the file; the opening quote is more useful. */
function unclosedQuote(tokens: readonly CST.Token[], quote: string): number | undefined {
  const type = quote === '"' ? 'double-quoted-scalar' : 'single-quoted-scalar';
  const stack: unknown[] = [...tokens];
  let found: number | undefined;
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const token = node as { type?: unknown; source?: unknown; offset?: unknown };
    if (token.type === type && typeof token.source === 'string' && typeof token.offset === 'number') {
      const source = token.source;
      const closed =
        source.length >= 2 &&
        source.endsWith(quote) &&
        (quote === "'" || !/(^|[^\\])(\\\\)*\\"$/.test(source.slice(0, -1) + '"'));
      if (!closed && (found === undefined || token.offset < found)) found = token.offset;
    }
    for (const child of Object.values(node))
      if (child !== null && typeof child === 'object') stack.push(child);
  }
  return found;
}

/**
 * The opening bracket of the innermost `[`/`{` collection that is never closed and starts before `offset`: `yaml`
 * reports the missing `]` or `}` where it gave up, often the end of the text, but the bracket is what to fix.
 */
function unclosedFlow(tokens: readonly CST.Token[], offset: number): number | undefined {
  const stack: unknown[] = [...tokens];
  let found: number | undefined;
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const token = node as { type?: unknown; start?: { offset?: unknown; source?: unknown }; end?: unknown };
    if (token.type === 'flow-collection' && typeof token.start?.offset === 'number') {
      const open = token.start.source === '{' ? '}' : ']';
      const closed =
        Array.isArray(token.end) && token.end.some((end) => (end as { source?: unknown }).source === open);
      const start = token.start.offset;
      if (!closed && start < offset && (found === undefined || start > found)) found = start;
    }
    for (const child of Object.values(node))
      if (child !== null && typeof child === 'object') stack.push(child);
  }
  return found;
}

class Located implements ParsedYaml {
  value: unknown = null;
  problems: YamlProblem[] = [];

  get refused(): boolean {
    return this.document === undefined && this.problems.length > 0;
  }

  constructor(
    readonly document: Document.Parsed | undefined,
    private readonly lines: LineCounter,
    private readonly lineOffset: number,
    private readonly text: string,
  ) {}

  position(offset: number): Position {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: Math.max(1, line) + this.lineOffset, column: Math.max(1, col) };
  }

  span(range: readonly [number, number, ...number[]] | undefined | null, exact: boolean): Location {
    const start = this.position(range?.[0] ?? 0);
    const end = this.position(range?.[1] ?? range?.[0] ?? 0);
    return { ...start, endLine: end.line, endColumn: end.column, exact };
  }

  problem(offset: number, code: string, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.problems.push({ ...this.position(offset), message, code, severity });
  }

  /** Walks the pointer through the tree; returns the deepest node reached and the pair that named it. */
  private walk(pointer: string): {
    node: unknown;
    key: unknown;
    complete: boolean;
    item: unknown;
  } {
    const doc = this.document;
    let node: unknown = doc?.contents ?? null;
    let key: unknown = undefined;
    let item: unknown = undefined;
    for (const segment of pointerSegments(pointer)) {
      if (isAlias(node) && doc !== undefined) node = node.resolve(doc) ?? node;
      if (isMap(node)) {
        let pair: unknown = undefined;
        for (let index = node.items.length - 1; index >= 0; index -= 1) {
          const candidate = node.items[index];
          if (isPair(candidate) && keyText(candidate.key) === segment) {
            pair = candidate;
            break;
          }
        }
        if (!isPair(pair)) return { node, key, complete: false, item };
        key = pair.key;
        item = undefined;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && /^(0|[1-9]\d*)$/.test(segment)) {
        const child = node.items[Number(segment)];
        if (child === undefined) return { node, key, complete: false, item };
        key = undefined;
        item = child;
        node = child;
      } else {
        return { node, key, complete: false, item };
      }
    }
    return { node, key, complete: true, item };
  }

  private rangeOf(node: unknown): [number, number] | undefined {
    const range = (node as Partial<Node> | null)?.range;
    return range ? [range[0], range[1]] : undefined;
  }

  locate(pointer: string): Location {
    const { node, key, complete } = this.walk(pointer);
    const range = this.rangeOf(node);
    const keyRange = this.rangeOf(key);
    // An empty value (`licence:` and nothing after) has a zero-width range just after the colon; the key reads better.
    if (
      complete &&
      isScalar(node) &&
      range !== undefined &&
      range[0] === range[1] &&
      keyRange !== undefined
    ) {
      return this.span(keyRange, true);
    }
    // For a missing child, the key that names the parent mapping is where a person would add it.
    if (!complete && keyRange !== undefined) return this.span(keyRange, false);
    return this.span(range, complete);
  }

  locateKey(pointer: string): Location {
    const { key, complete, item } = this.walk(pointer);
    if (complete) {
      const range = this.rangeOf(key) ?? this.rangeOf(item);
      if (range !== undefined) return this.span(range, true);
    }
    return this.locate(pointer);
  }
}

function findDuplicateKeys(located: Located, doc: Document.Parsed): void {
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const text = keyText(pair.key);
        const range = (pair.key as Partial<Node> | null)?.range;
        if (text === undefined || !range) continue;
        const first = seen.get(text);
        if (first === undefined) {
          seen.set(text, range[0]);
          continue;
        }
        const firstLine = located.position(first).line;
        located.problem(
          range[0],
          'DUPLICATE_KEY',
          `the key "${text}" appears twice in the same mapping (first on line ${firstLine}); keep only one`,
        );
      }
    },
  });
}

function firstAlias(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

function build(
  doc: Document.Parsed | undefined,
  tokens: readonly CST.Token[],
  lines: LineCounter,
  text: string,
  options: Required<Pick<ParseYamlOptions, 'lineOffset' | 'maxAliasCount'>>,
): Located {
  const located = new Located(doc, lines, options.lineOffset, text);
  if (doc === undefined) return located;
  const quoteOpen = doc.errors.some(
    (error) => error.code === 'MISSING_CHAR' && QUOTE_CLOSE.test(error.message),
  );
  for (const [severity, list] of [
    ['error', doc.errors],
    ['warning', doc.warnings],
  ] as const) {
    for (const error of list) {
      if (error.code === 'DUPLICATE_KEY') continue;
      let offset = error.pos[0];
      if (error.code === 'MISSING_CHAR') {
        const quote = QUOTE_CLOSE.exec(error.message)?.[1];
        if (quote !== undefined) offset = unclosedQuote(tokens, quote) ?? offset;
      }
      // An unclosed quote swallows the closing bracket too; then the quote is the one thing to fix.
      if (
        !quoteOpen &&
        /Flow (sequence|map) in block collection|Expected flow (sequence|map) to end/.test(error.message)
      ) {
        offset = unclosedFlow(tokens, offset + 1) ?? offset;
      }
      located.problem(offset, error.code, plainMessage(error), severity);
    }
  }
  findDuplicateKeys(located, doc);
  try {
    located.value = doc.toJS({ maxAliasCount: options.maxAliasCount });
  } catch (error) {
    located.value = null;
    const why = error instanceof Error ? error.message : String(error);
    located.problem(
      firstAlias(doc),
      /alias/i.test(why) ? 'ALIAS_LIMIT' : 'INVALID',
      /alias/i.test(why)
        ? `aliases (*name) expand to too much data (more than ${options.maxAliasCount} expansions); this looks like an "alias bomb" and is not read`
        : `this YAML cannot be turned into data: ${why}`,
    );
  }
  located.problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return located;
}

function refuse(
  text: string,
  lines: LineCounter,
  lineOffset: number,
  offset: number,
  code: string,
  message: string,
): Located {
  const located = new Located(undefined, lines, lineOffset, text);
  located.problem(offset, code, message);
  return located;
}

function compose(text: string, options: ParseYamlOptions): { docs: Located[]; refused: Located | undefined } {
  const lineOffset = options.lineOffset ?? 0;
  const maxAliasCount = options.maxAliasCount ?? YAML_LIMITS.maxAliasCount;
  const maxDepth = options.maxDepth ?? YAML_LIMITS.maxDepth;
  const maxLength = options.maxLength ?? YAML_LIMITS.maxLength;
  const lines = new LineCounter();
  if (text.length > maxLength) {
    lines.addNewLine(0);
    return {
      docs: [],
      refused: refuse(
        text,
        lines,
        lineOffset,
        0,
        'TOO_LARGE',
        `this file is too large to read (${text.length} characters; the limit is ${maxLength})`,
      ),
    };
  }
  // The lexer and parser are iterative, so the concrete tree is safe to build whatever the depth.
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  const deep = tooDeep(tokens, maxDepth);
  if (deep !== undefined) {
    return {
      docs: [],
      refused: refuse(
        text,
        lines,
        lineOffset,
        deep.offset,
        'TOO_DEEP',
        `lists and mappings are nested more than ${maxDepth} levels deep here; Openly does not read files this deep`,
      ),
    };
  }
  const composer = new Composer({ uniqueKeys: false, prettyErrors: false, version: '1.2' });
  const documents = Array.from(composer.compose(tokens, true, text.length));
  const docs = documents.map((doc) => build(doc, tokens, lines, text, { lineOffset, maxAliasCount }));
  return { docs, refused: undefined };
}

/**
 * Parses one YAML document and keeps the positions of its nodes, so that later errors (schema, SPDX ids) can point
 * at a line and column. Never throws for any input text: everything wrong is in `problems`.
 */
export function parseYaml(text: string, options: ParseYamlOptions = {}): ParsedYaml {
  const { docs, refused } = compose(text, options);
  if (refused !== undefined) return refused;
  const [first, second] = docs;
  if (first === undefined) return new Located(undefined, new LineCounter(), options.lineOffset ?? 0, '');
  if (second !== undefined) {
    const start = second.document?.range[0] ?? 0;
    // `---` opens the second document; point at it rather than at its first key.
    const marker = text.lastIndexOf('---', start);
    first.problem(
      marker >= 0 ? marker : start,
      'MULTIPLE_DOCS',
      'this file holds more than one YAML document (a second "---" line); only one is expected',
    );
  }
  return first;
}

/** Parses every document of a multi-document YAML stream (`---` separated), each with its own positions. */
export function parseAllYaml(text: string, options: ParseYamlOptions = {}): ParsedYaml[] {
  const { docs, refused } = compose(text, options);
  if (refused !== undefined) return [refused];
  return docs;
}

/**
 * The data of one YAML document, for callers that need values and positions but not the syntax tree. Most
 * artefacts are in a plain subset of YAML that a small reader takes at a fraction of the full reader's cost, with
 * the same values and positions; everything else, and every error, goes to `parseYaml`.
 */
export function readYaml(text: string, options: ParseYamlOptions = {}): YamlData {
  return fast(text, options) ?? parseYaml(text, options);
}

/** `readYaml` for a multi-document stream (`---` separated): one entry a document. */
export function readAllYaml(text: string, options: ParseYamlOptions = {}): YamlData[] {
  const answer = fast(text, options);
  return answer === undefined ? parseAllYaml(text, options) : [answer];
}

/** The fast reader's answer, unless the caller's limits are tighter than its own: the full reader refuses then. */
function fast(text: string, options: ParseYamlOptions): YamlData | undefined {
  if (text.length > (options.maxLength ?? YAML_LIMITS.maxLength)) return undefined;
  if ((options.maxDepth ?? YAML_LIMITS.maxDepth) <= FAST_MAX_DEPTH) return undefined;
  return fastYaml(text, options.lineOffset ?? 0);
}
