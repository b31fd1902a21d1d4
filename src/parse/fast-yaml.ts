import { pointerSegments } from './pointer.js';
import type { Location, YamlData, YamlProblem } from './yaml-types.js';

/**
 * A reader for the plain subset of YAML that nearly all artefacts use — block mappings and lists of `key: value`
 * lines, quoted and plain one-line scalars, `[a, b]` lists, comments — giving the same values as the full reader
 * (YAML 1.2 core schema) at a fraction of its cost. Anything outside the subset (anchors, tags, block scalars,
 * multi-line scalars, escapes, duplicate keys, odd indentation, several documents) returns `undefined`, and the
 * `readYaml` uses the full reader, which also words every error; this reader never reports one.
 */

interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

interface FastNode extends Span {
  value: unknown;
  /** The key naming this node in its mapping. */
  key?: Span;
  /** True for `key:` with nothing after it: the key is the better place to point at. */
  empty?: boolean;
  children?: Map<string, FastNode> | FastNode[];
}

interface Line {
  indent: number;
  text: string;
  /** 1-based line in the whole file. */
  line: number;
  /** 1-based column of `text`'s first character. */
  column: number;
  /** Index of the line in the text, for block scalars, which read the lines as they are. */
  raw: number;
}

/**
 * The full reader's own limit on length: a register of thousands of rows is a megabyte of plain YAML, and this
 * reader reads it in a tenth of the full reader's time. Callers with tighter limits check them first.
 */
const MAX_FAST_LENGTH = 5_000_000;
/** Deepest nesting read here; `readYaml` sends the text to the full reader when its caller allows less. */
export const FAST_MAX_DEPTH = 40;

class Bail extends Error {}

const bail = (): never => {
  throw new Bail();
};

const KEY_LINE = /^([A-Za-z_$][A-Za-z0-9_.$-]*) *:(?: +(.*))?$/;
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SPECIAL_NUMBER = /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const INDICATOR = /^[[\]{}#&*!|>'"%@`,]/;

function plain(text: string): unknown {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (SPECIAL_NUMBER.test(text)) bail();
  if (INT.test(text) || FLOAT.test(text)) return Number(text);
  return text;
}

/**
 * A key that YAML reads as the text it is: `null:` or `True:` are a null and a boolean, whose names in the data
 * (`""`, `"true"`) the full reader decides; `__proto__` would set an object's prototype.
 */
function plainKey(key: string): boolean {
  return key !== '__proto__' && typeof plain(key) === 'string';
}

/** A value read from one line, with where it and its parts start in the line (0-based) and how long they are. */
interface Flow {
  value: unknown;
  offset: number;
  length: number;
  /** Where the key naming it starts, inside a `{ }` mapping. */
  key?: { offset: number; length: number };
  children?: Flow[] | Map<string, Flow>;
}

/** Escapes that titles and descriptions use; any other (`\\x41`, `\\u00e9`, a line break) is the full reader's. */
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t' };

/** A quoted scalar starting at `start`, on one line: its value and the index of its closing quote. */
function quotedAt(raw: string, start: number): { value: string; end: number } {
  const quote = raw.charAt(start);
  let value = '';
  for (let index = start + 1; index < raw.length; index += 1) {
    const char = raw.charAt(index);
    if (char === quote) {
      if (quote === "'" && raw.charAt(index + 1) === "'") {
        value += "'";
        index += 1;
        continue;
      }
      return { value, end: index };
    }
    if (quote === '"' && char === '\\') {
      const escaped = ESCAPES[raw.charAt(index + 1)] ?? bail();
      value += escaped;
      index += 1;
      continue;
    }
    value += char;
  }
  return bail();
}

const TRAILER = /^(?:\s*|\s+#.*)$/;
const FLOW_KEY = /^[A-Za-z_$][A-Za-z0-9_.$-]*/;

/** A quoted or plain scalar inside `[ ]` or `{ }`, ending before `,` or the closing bracket. */
function flowScalar(raw: string, at: number): Flow {
  const first = raw.charAt(at);
  if (first === '"' || first === "'") {
    const { value, end } = quotedAt(raw, at);
    return { value, offset: at, length: end + 1 - at };
  }
  let end = at;
  while (end < raw.length && !',]}'.includes(raw.charAt(end))) end += 1;
  const text = raw.slice(at, end).trimEnd();
  if (text === '' || INDICATOR.test(text) || /^[-?:](?: |$)/.test(text) || /: |:$| #|[[\]{}]/.test(text))
    bail();
  return { value: plain(text), offset: at, length: text.length };
}

function skipSpaces(raw: string, at: number): number {
  let index = at;
  while (raw.charAt(index) === ' ') index += 1;
  return index;
}

/** A one-line `{ key: value, … }` mapping of scalars; anything unusual is declined. */
function flowMapping(raw: string, start: number): Flow {
  const children = new Map<string, Flow>();
  const value: Record<string, unknown> = {};
  let at = skipSpaces(raw, start + 1);
  if (raw.charAt(at) === '}') return { value, offset: start, length: at + 1 - start, children };
  for (;;) {
    at = skipSpaces(raw, at);
    const key = FLOW_KEY.exec(raw.slice(at))?.[0] ?? bail();
    if (children.has(key) || !plainKey(key)) bail();
    const keyAt = at;
    at = skipSpaces(raw, at + key.length);
    if (raw.charAt(at) !== ':' || raw.charAt(at + 1) !== ' ') bail();
    at = skipSpaces(raw, at + 1);
    const item = flowScalar(raw, at);
    item.key = { offset: keyAt, length: key.length };
    children.set(key, item);
    value[key] = item.value;
    at = skipSpaces(raw, item.offset + item.length);
    const next = raw.charAt(at);
    at += 1;
    if (next === '}') break;
    if (next !== ',' || raw.charAt(skipSpaces(raw, at)) === '}') bail();
  }
  return { value, offset: start, length: at - start, children };
}

/** A one-line `[a, 'b', { src: c }]` list of scalars and `{ }` mappings; nested lists are declined. */
function flowList(raw: string): Flow {
  const items: Flow[] = [];
  let at = skipSpaces(raw, 1);
  if (raw.charAt(at) !== ']') {
    for (;;) {
      at = skipSpaces(raw, at);
      const item = raw.charAt(at) === '{' ? flowMapping(raw, at) : flowScalar(raw, at);
      items.push(item);
      at = skipSpaces(raw, item.offset + item.length);
      const next = raw.charAt(at);
      if (next === ']') break;
      if (next !== ',') bail();
      at += 1;
    }
  }
  return { value: items.map((item) => item.value), offset: 0, length: at + 1, children: items };
}

/** A one-line scalar, `[ ]` list or `{ }` mapping; its value and length in the line (comment excluded). */
function scalar(raw: string): Flow {
  const first = raw.charAt(0);
  let flow: Flow | undefined;
  if (first === '"' || first === "'") {
    const { value, end } = quotedAt(raw, 0);
    flow = { value, offset: 0, length: end + 1 };
  } else if (first === '[') flow = flowList(raw);
  else if (first === '{') flow = flowMapping(raw, 0);
  if (flow !== undefined) {
    if (!TRAILER.test(raw.slice(flow.length))) bail();
    return flow;
  }
  if (INDICATOR.test(raw) || /^[-?:](?: |$)/.test(raw)) bail();
  const comment = /\s#/.exec(raw);
  const text = (comment === null ? raw : raw.slice(0, comment.index)).trimEnd();
  if (text.includes(': ') || text.endsWith(':') || text.includes('\t')) bail();
  return { value: plain(text), offset: 0, length: text.length };
}

/** The node of a value read from one line, its parts placed from `column`, the column of the line's `raw[0]`. */
function flowNode(flow: Flow, line: number, column: number): FastNode {
  const start = column + flow.offset;
  const node: FastNode = {
    value: flow.value,
    line,
    column: start,
    endLine: line,
    endColumn: start + flow.length,
  };
  if (flow.key !== undefined) {
    const at = column + flow.key.offset;
    node.key = { line, column: at, endLine: line, endColumn: at + flow.key.length };
  }
  const children = flow.children;
  if (children instanceof Map) {
    node.children = new Map([...children].map(([key, child]) => [key, flowNode(child, line, column)]));
  } else if (children !== undefined) {
    node.children = children.map((child) => flowNode(child, line, column));
  }
  return node;
}

class Reader {
  index = 0;

  constructor(
    private readonly lines: Line[],
    private readonly raw: readonly string[],
  ) {}

  /**
   * A `|` or `>` block scalar (with `-` or not) whose lines all start in the same column; more indented lines,
   * an indentation indicator, `+` and a first line left empty are the full reader's job.
   */
  blockScalar(header: string, line: Line, column: number, indent: number): FastNode {
    const folded = header.startsWith('>');
    const strip = header.charAt(1) === '-';
    const content: string[] = [];
    let width = -1;
    let last = line.raw;
    for (let index = line.raw + 1; index < this.raw.length; index += 1) {
      const source = this.raw[index] ?? '';
      const text = source.trimStart();
      const spaces = source.length - text.length;
      if (text === '') {
        if (width === -1 || spaces > width) bail();
        // A last line with no line break after it may end the text: the full reader decides about that.
        if (index === this.raw.length - 1) break;
        content.push('');
        continue;
      }
      if (width === -1) {
        if (spaces <= indent) bail();
        width = spaces;
      }
      if (spaces < width) {
        if (spaces > indent) bail();
        break;
      }
      if (spaces > width) bail();
      content.push(text);
      last = index;
    }
    if (width === -1 || last === this.raw.length - 1) bail();
    while (content.length > 0 && content[content.length - 1] === '') content.pop();
    let value = '';
    if (folded) {
      for (let index = 0; index < content.length; index += 1) {
        const text = content[index]!;
        if (text === '') value += '\n';
        else value += index > 0 && content[index - 1] !== '' ? ` ${text}` : text;
      }
    } else {
      value = content.join('\n');
    }
    if (!strip) value += '\n';
    while ((this.peek()?.raw ?? Infinity) <= last) this.index += 1;
    return { value, line: line.line, column, endLine: line.line, endColumn: column + header.length };
  }

  peek(): Line | undefined {
    return this.lines[this.index];
  }

  block(indent: number, depth: number): FastNode {
    if (depth > FAST_MAX_DEPTH) bail();
    const line = this.peek() ?? bail();
    return line.text.startsWith('-') ? this.sequence(indent, depth) : this.mapping(indent, depth);
  }

  /** The value after `key:` or `- `: nothing (a nested block follows, or null), or a one-line scalar. */
  inline(raw: string, line: Line, column: number, indent: number, depth: number, allowCompactList: boolean) {
    const header = /^([|>]-?)(?: +#.*)?$/.exec(raw)?.[1];
    if (header !== undefined) return this.blockScalar(header, line, column, indent);
    if (raw === '' || raw.startsWith('#')) {
      const next = this.peek();
      if (next !== undefined && next.indent > indent) return this.block(next.indent, depth + 1);
      if (allowCompactList && next !== undefined && next.indent === indent && /^-(?: |$)/.test(next.text)) {
        return this.sequence(indent, depth + 1);
      }
      const node: FastNode = { value: null, line: line.line, column, endLine: line.line, endColumn: column };
      node.empty = true;
      return node;
    }
    const flow = scalar(raw);
    const next = this.peek();
    if (next !== undefined && next.indent > indent) {
      // A more indented line after a plain value continues it: a long description wrapped by hand.
      // A comment ends a plain value, and a line after it would be an error.
      if (flow.children !== undefined || /^["']|\s#/.test(raw)) bail();
      return this.wrapped(flow, line, column, indent);
    }
    return flowNode(flow, line.line, column);
  }

  /**
   * A plain scalar over several lines, each further line more indented than its key: the lines joined by single
   * spaces. Blank lines, comments and anything that could be read as structure are the full reader's job.
   */
  wrapped(first: Flow, line: Line, column: number, indent: number): FastNode {
    const parts = [String(first.value)];
    if (typeof first.value !== 'string') bail();
    let last = line.raw;
    for (let index = line.raw + 1; index < this.raw.length; index += 1) {
      const source = this.raw[index] ?? '';
      const text = source.trim();
      const spaces = source.length - source.trimStart().length;
      if (text === '' || spaces <= indent) break;
      if (/^[#\-?:,[\]{}&*!|>'"%@`]/.test(text) || /: |:$| #/.test(text)) bail();
      parts.push(text);
      last = index;
    }
    // A blank line inside the scalar would be a line break in it; the full reader knows the rules.
    let after = last + 1;
    while (after < this.raw.length && (this.raw[after] ?? '').trim() === '') after += 1;
    const resumed = this.raw[after];
    if (after > last + 1 && resumed !== undefined && resumed.length - resumed.trimStart().length > indent)
      bail();
    while ((this.peek()?.raw ?? Infinity) <= last) this.index += 1;
    const value = parts.join(' ');
    return { value, line: line.line, column, endLine: line.line, endColumn: column + first.length };
  }

  mapping(indent: number, depth: number): FastNode {
    const children = new Map<string, FastNode>();
    const value: Record<string, unknown> = {};
    const first = this.peek() ?? bail();
    for (let line = this.peek(); line !== undefined && line.indent >= indent; line = this.peek()) {
      if (line.indent !== indent) bail();
      const match = KEY_LINE.exec(line.text) ?? bail();
      const key = match[1] ?? bail();
      // A repeated key is left to the full reader's checks.
      if (children.has(key) || !plainKey(key)) bail();
      this.index += 1;
      const raw = match[2] ?? '';
      const valueColumn = line.column + line.text.length - raw.length;
      const child = this.inline(raw, line, valueColumn, indent, depth, true);
      child.key = {
        line: line.line,
        column: line.column,
        endLine: line.line,
        endColumn: line.column + key.length,
      };
      children.set(key, child);
      value[key] = child.value;
    }
    return {
      value,
      children,
      line: first.line,
      column: first.column,
      endLine: first.line,
      endColumn: first.column,
    };
  }

  sequence(indent: number, depth: number): FastNode {
    const items: FastNode[] = [];
    const first = this.peek() ?? bail();
    for (let line = this.peek(); line !== undefined && line.indent >= indent; line = this.peek()) {
      if (line.indent !== indent) bail();
      // A key at the list's own indent ends a list written flush under its key (`authors:` then `- name`).
      if (!line.text.startsWith('-')) break;
      if (!line.text.startsWith('- ')) bail();
      const rest = line.text.slice(2);
      const content = rest.trimStart();
      const offset = 2 + rest.length - content.length;
      if (content === '' || content === '-' || (content.startsWith('-') && !content.startsWith('- '))) bail();
      // The item's content, read as if it were its own line starting where the content starts.
      const inner = {
        indent: indent + offset,
        text: content,
        line: line.line,
        column: line.column + offset,
        raw: line.raw,
      };
      if (content.startsWith('- ')) {
        // `- - a` opens a list inside the list, its items lined up with the inner dash.
        this.lines[this.index] = inner;
        items.push(this.sequence(indent + offset, depth + 1));
      } else if (KEY_LINE.test(content)) {
        // `- key: value` opens a mapping whose keys line up with the first one.
        this.lines[this.index] = inner;
        items.push(this.mapping(indent + offset, depth + 1));
      } else {
        this.index += 1;
        items.push(this.inline(content, line, line.column + offset, indent, depth, false));
      }
    }
    return {
      value: items.map((item) => item.value),
      children: items,
      line: first.line,
      column: first.column,
      endLine: first.line,
      endColumn: first.column,
    };
  }
}

function span(node: Span, exact: boolean): Location {
  return { line: node.line, column: node.column, endLine: node.endLine, endColumn: node.endColumn, exact };
}

class FastLocated implements YamlData {
  /** The plain subset holds nothing to complain about: anything doubtful is declined. */
  readonly problems: YamlProblem[] = [];
  readonly refused = false;

  constructor(
    readonly value: unknown,
    private readonly root: FastNode,
  ) {}

  private walk(pointer: string): { node: FastNode; complete: boolean } {
    let node = this.root;
    for (const segment of pointerSegments(pointer)) {
      const children = node.children;
      const child =
        children instanceof Map
          ? children.get(segment)
          : Array.isArray(children) && /^(0|[1-9]\d*)$/.test(segment)
            ? children[Number(segment)]
            : undefined;
      if (child === undefined) return { node, complete: false };
      node = child;
    }
    return { node, complete: true };
  }

  locate(pointer: string): Location {
    const { node, complete } = this.walk(pointer);
    if (complete && node.empty === true && node.key !== undefined) return span(node.key, true);
    if (!complete && node.key !== undefined) return span(node.key, false);
    return span(node, complete);
  }

  locateKey(pointer: string): Location {
    const { node, complete } = this.walk(pointer);
    if (complete) return span(node.key ?? node, true);
    return this.locate(pointer);
  }
}

/**
 * Reads `text` if it is in the plain subset; `lineOffset` is added to line numbers (1 for front matter that starts
 * on a Markdown file's second line). Returns `undefined` for anything else.
 */
export function fastYaml(text: string, lineOffset = 0): YamlData | undefined {
  if (text.length > MAX_FAST_LENGTH || text.includes('\t')) return undefined;
  const lines: Line[] = [];
  const raw = text.replace(/^\uFEFF/, '').split('\n');
  for (let index = 0; index < raw.length; index += 1) {
    let source = raw[index] ?? '';
    if (source.endsWith('\r')) source = source.slice(0, -1);
    const content = source.trimStart();
    if (content === '' || content.startsWith('#')) continue;
    const indent = source.length - content.length;
    const text = content.trimEnd();
    if (indent === 0 && (text.startsWith('---') || text.startsWith('...'))) {
      // One `---` before the first content only opens the document; any other marker is another document.
      if (lines.length === 0 && /^---\s*$/.test(text)) continue;
      return undefined;
    }
    lines.push({ indent, text, line: index + 1 + lineOffset, column: indent + 1, raw: index });
  }
  const first = lines[0];
  if (first === undefined) {
    // Only comments or a `---`: an empty document whose position the full reader knows best.
    if (text.trim() !== '') return undefined;
    const where: FastNode = {
      value: null,
      line: 1 + lineOffset,
      column: 1,
      endLine: 1 + lineOffset,
      endColumn: 1,
    };
    return new FastLocated(null, where);
  }
  try {
    const reader = new Reader(
      lines,
      raw.map((source) => (source.endsWith('\r') ? source.slice(0, -1) : source)),
    );
    const root = reader.block(first.indent, 0);
    if (reader.index !== lines.length) return undefined;
    return new FastLocated(root.value, root);
  } catch (error) {
    if (error instanceof Bail) return undefined;
    throw error;
  }
}
