/**
 * Glob matching without backtracking. Patterns come from repository content (REUSE.toml, .reuse/dep5) and
 * configuration, and any pull request can write them, so a backtracking matcher would let one line such as
 * `docs/*a*a*a*a*a*a*a*a*a*a*a*b` stall the App for minutes. Each pattern is compiled once into a Thompson NFA;
 * matching walks the path once, keeping the set of live NFA states, so it costs at most
 * O(length of path × size of pattern) whatever the pattern. State sets are memoised as DFA states on first use
 * (a lazy DFA, bounded in size), so the usual cost per character is one table look-up.
 */

/** The dialects the project reads. */
export type GlobFlavour =
  /** Configuration globs (`exclude`, `licence.paths`, artefact paths): picomatch's rules with `{ dot: true }`. */
  | 'config'
  /** REUSE.toml: `*` stops at `/`, `**` does not (anywhere in a segment), `?`, `[seq]`, `[!seq]`, `\` escapes. */
  | 'reuse'
  /** Debian copyright format (.reuse/dep5): `*` and `?` cross `/`, `\` escapes, nothing else is special. */
  | 'dep5'
  /** Account names and e-mail addresses: `*` any run, `?` any one character, case-insensitive. */
  | 'account';

/** How many patterns one glob's braces may expand to; a pattern past this is refused, not expanded. */
export const MAX_BRACE_EXPANSION = 1024;

/** A pattern that cannot be used, with a sentence saying why. */
export class GlobError extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`The glob "${pattern}" ${reason}.`);
    this.name = 'GlobError';
  }
}

export interface GlobMatcher {
  /** Whether the whole of `path` matches. */
  test(path: string): boolean;
}

const SLASH = 0x2f;

type CharTest =
  | { kind: 'lit'; code: number }
  | { kind: 'any'; slash: boolean }
  /** `ranges` holds inclusive [low, high] pairs; `slash` says whether `/` may match at all. */
  | { kind: 'class'; ranges: number[]; negated: boolean; slash: boolean };

type Node = { t: 'char'; test: CharTest } | { t: 'star'; slash: boolean } | { t: 'opt'; seq: Node[] };

// ---------------------------------------------------------------------------------------------------------------
// Parsing

/** The pattern's characters as code points, so that `?` takes one character even outside the BMP. */
function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0)!);
  return out;
}

const POSIX_CLASSES: Record<string, number[]> = {
  alnum: [0x30, 0x39, 0x41, 0x5a, 0x61, 0x7a],
  alpha: [0x41, 0x5a, 0x61, 0x7a],
  digit: [0x30, 0x39],
  lower: [0x61, 0x7a],
  upper: [0x41, 0x5a],
  space: [0x09, 0x0d, 0x20, 0x20],
  word: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
  xdigit: [0x30, 0x39, 0x41, 0x46, 0x61, 0x66],
};

const DASH = 0x2d;
const CLOSE = 0x5d;
const BACKSLASH = 0x5c;

/**
 * A bracket expression starting at `chars[start]` (the `[`): its test and the index after its `]`, or undefined
 * when there is no closing bracket (the `[` is then literal). A range written backwards matches nothing, as in
 * Python's fnmatch, rather than failing the whole pattern.
 */
function parseClass(
  chars: readonly number[],
  start: number,
  flavour: 'config' | 'reuse',
): { test: CharTest; end: number } | undefined {
  let i = start + 1;
  let negated = false;
  if (chars[i] === 0x21 /* ! */ || (flavour === 'config' && chars[i] === 0x5e) /* ^ */) {
    negated = true;
    i++;
  }
  const members: number[] = [];
  const bodyStart = i;
  for (;;) {
    const c = chars[i];
    if (c === undefined) return undefined;
    // A `]` straight after `[` or `[!` is a member, not the end.
    if (c === CLOSE && i > bodyStart) break;
    if (flavour === 'config' && c === 0x5b && chars[i + 1] === 0x3a /* [: */) {
      const rest = String.fromCodePoint(...chars.slice(i + 2, i + 12));
      const name = /^([a-z]+):\]/.exec(rest)?.[1];
      const ranges = name === undefined ? undefined : POSIX_CLASSES[name];
      if (name !== undefined && ranges !== undefined) {
        members.push(...ranges);
        i += name.length + 4;
        continue;
      }
    }
    let low = c;
    i++;
    if (flavour === 'config' && low === BACKSLASH && chars[i] !== undefined) low = chars[i++]!;
    if (chars[i] === DASH && chars[i + 1] !== undefined && chars[i + 1] !== CLOSE) {
      let high = chars[i + 1]!;
      i += 2;
      if (flavour === 'config' && high === BACKSLASH && chars[i] !== undefined) high = chars[i++]!;
      if (low <= high) members.push(low, high);
      continue;
    }
    members.push(low, low);
  }
  // Configuration globs never let a negated class cross a directory, as picomatch; REUSE follows fnmatch, where
  // `[!a]` is any character but `a`, slash included.
  const slash = flavour === 'reuse' || !negated;
  return { test: { kind: 'class', ranges: members, negated, slash }, end: i + 1 };
}

/** Raw tokens of one brace-free pattern, before the flavour decides what `*` runs and `/` mean. */
type Raw = { r: 'sep' } | { r: 'star'; n: number } | { r: 'qmark' } | { r: 'char'; test: CharTest };

function lex(chars: readonly number[], flavour: GlobFlavour): Raw[] {
  const out: Raw[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === BACKSLASH && flavour !== 'account' && i + 1 < chars.length) {
      out.push({ r: 'char', test: { kind: 'lit', code: chars[++i]! } });
    } else if (c === 0x2a /* * */) {
      let n = 1;
      while (chars[i + 1] === 0x2a) {
        n++;
        i++;
      }
      out.push({ r: 'star', n });
    } else if (c === 0x3f /* ? */) {
      out.push({ r: 'qmark' });
    } else if (c === 0x5b /* [ */ && (flavour === 'config' || flavour === 'reuse')) {
      const parsed = parseClass(chars, i, flavour);
      if (parsed === undefined) {
        out.push({ r: 'char', test: { kind: 'lit', code: c } });
      } else {
        out.push({ r: 'char', test: parsed.test });
        i = parsed.end - 1;
      }
    } else if (c === SLASH) {
      out.push({ r: 'sep' });
    } else {
      out.push({ r: 'char', test: { kind: 'lit', code: c } });
    }
  }
  return out;
}

const LIT_SLASH: Node = { t: 'char', test: { kind: 'lit', code: SLASH } };

/** REUSE, dep5 and account patterns: a flat sequence; only the meaning of `*`, `**` and `?` differs. */
function flatNodes(raw: readonly Raw[], flavour: GlobFlavour): Node[] {
  const crosses = flavour === 'dep5' || flavour === 'account';
  return raw.map((token): Node => {
    switch (token.r) {
      case 'sep':
        return LIT_SLASH;
      case 'star':
        return { t: 'star', slash: crosses || token.n >= 2 };
      case 'qmark':
        return { t: 'char', test: { kind: 'any', slash: crosses } };
      case 'char':
        return { t: 'char', test: token.test };
    }
  });
}

/**
 * Configuration patterns, segment by segment as picomatch reads them: `**` alone in a segment is any number of
 * whole segments (so `a/**` matches `a`, `**` + `/x` matches `x`, and `a/**` + `/b` matches `a/b`); anywhere else
 * `*` and `**` are a run of characters within one segment.
 */
function configNodes(raw: readonly Raw[]): Node[] {
  const globstar = (segment: readonly Raw[] | undefined) =>
    segment !== undefined && segment.length === 1 && segment[0]!.r === 'star' && segment[0]!.n === 2;
  const split: Raw[][] = [[]];
  for (const token of raw) {
    if (token.r === 'sep') split.push([]);
    else split[split.length - 1]!.push(token);
  }
  // `**/**` is one globstar.
  const segments = split.filter((segment, i) => !(globstar(segment) && globstar(split[i - 1])));
  const anyRun: Node = { t: 'star', slash: true };
  const nodes: Node[] = [];
  const last = segments.length - 1;
  for (let i = 0; i <= last; i++) {
    const segment = segments[i]!;
    if (globstar(segment)) {
      nodes.push(i < last ? { t: 'opt', seq: [anyRun, LIT_SLASH] } : anyRun);
      continue;
    }
    for (const token of segment) {
      if (token.r === 'star') nodes.push({ t: 'star', slash: false });
      else if (token.r === 'qmark') nodes.push({ t: 'char', test: { kind: 'any', slash: false } });
      else if (token.r === 'char') nodes.push({ t: 'char', test: token.test });
    }
    if (i < last) {
      if (i + 1 === last && globstar(segments[last]) && segment.length > 0) {
        // `a/**` is the folder itself or anything under it; picomatch drops the folder itself when the segment
        // before ends in a star (`a*/**` needs a slash, `*a/**` does not), and so do we.
        const starred = segment[segment.length - 1]!.r === 'star';
        if (starred) nodes.push(LIT_SLASH, anyRun);
        else nodes.push({ t: 'opt', seq: [LIT_SLASH, anyRun] });
        break;
      }
      nodes.push(LIT_SLASH);
    }
  }
  return nodes;
}

// ---------------------------------------------------------------------------------------------------------------
// Brace expansion (configuration globs only)

/** The index of the `}` closing the `{` at `open`, or -1. */
function closingBrace(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The top-level alternatives of a brace body, or undefined when it has no comma (then it is no alternation). */
function alternatives(body: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(from, i));
      from = i + 1;
    }
  }
  if (parts.length === 0) return undefined;
  parts.push(body.slice(from));
  return parts;
}

/** `{1..12}` or `{a..e}`: the values, or undefined when the body is not a range. */
function range(pattern: string, body: string): string[] | undefined {
  const numeric = /^(-?\d+)\.\.(-?\d+)$/.exec(body);
  const letters = /^([a-zA-Z])\.\.([a-zA-Z])$/.exec(body);
  if (numeric === null && letters === null) return undefined;
  const [from, to] = numeric
    ? [Number(numeric[1]), Number(numeric[2])]
    : [letters![1]!.charCodeAt(0), letters![2]!.charCodeAt(0)];
  const count = Math.abs(to - from) + 1;
  if (count > MAX_BRACE_EXPANSION) {
    throw new GlobError(
      pattern,
      `expands to more than ${MAX_BRACE_EXPANSION} patterns (list fewer alternatives)`,
    );
  }
  const step = from <= to ? 1 : -1;
  const values: string[] = [];
  for (let v = from; v !== to + step; v += step) values.push(numeric ? String(v) : String.fromCharCode(v));
  return values;
}

/**
 * Expands `{a,b}` and `{1..3}`, nested or in sequence, stopping with a GlobError as soon as the number of
 * patterns passes MAX_BRACE_EXPANSION: `{a,b}` written twenty times would otherwise be a million patterns.
 */
export function expandBraces(pattern: string): string[] {
  const out: string[] = [];
  const expand = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\\') {
        i++;
        continue;
      }
      if (text[i] !== '{') continue;
      const close = closingBrace(text, i);
      if (close === -1) break;
      const body = text.slice(i + 1, close);
      const parts = alternatives(body) ?? range(pattern, body);
      if (parts === undefined) continue;
      const before = text.slice(0, i);
      const after = text.slice(close + 1);
      for (const part of parts) expand(before + part + after);
      return;
    }
    out.push(text);
    if (out.length > MAX_BRACE_EXPANSION) {
      throw new GlobError(
        pattern,
        `expands to more than ${MAX_BRACE_EXPANSION} patterns (list fewer alternatives)`,
      );
    }
  };
  expand(pattern);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The automaton

const CHAR = 0;
const SPLIT = 1;
const MATCH = 2;

/** How many DFA states one matcher memoises; past it, further steps are computed without being kept. */
const DFA_CACHE_LIMIT = 2000;

interface DfaState {
  /** The live NFA character states, sorted. */
  states: Int32Array;
  accept: boolean;
  /** Whether the cache holds this state; only those are linked from others. */
  kept: boolean;
  ascii: Array<DfaState | undefined>;
  other: Map<number, DfaState> | undefined;
}

class Automaton implements GlobMatcher {
  readonly #kind: number[] = [MATCH];
  readonly #out: number[] = [-1];
  readonly #out2: number[] = [-1];
  readonly #test: Array<CharTest | undefined> = [undefined];
  readonly #starts: number[] = [];
  readonly #cache = new Map<string, DfaState>();
  #start: DfaState | undefined;
  readonly #mark: number[] = [0];
  #generation = 0;

  constructor(
    sequences: readonly Node[][],
    private readonly fold: boolean,
  ) {
    for (const seq of sequences) this.#starts.push(this.#build(seq, 0));
  }

  #add(kind: number, out: number, out2: number, test: CharTest | undefined): number {
    this.#kind.push(kind);
    this.#out.push(out);
    this.#out2.push(out2);
    this.#test.push(test);
    this.#mark.push(0);
    return this.#kind.length - 1;
  }

  /** Thompson's construction, back to front: each node is wired to the state that follows it. */
  #build(seq: readonly Node[], next: number): number {
    for (let i = seq.length - 1; i >= 0; i--) {
      const node = seq[i]!;
      if (node.t === 'char') {
        next = this.#add(CHAR, next, -1, node.test);
      } else if (node.t === 'star') {
        const loop = this.#add(SPLIT, -1, next, undefined);
        this.#out[loop] = this.#add(CHAR, loop, -1, { kind: 'any', slash: node.slash });
        next = loop;
      } else {
        next = this.#add(SPLIT, this.#build(node.seq, next), next, undefined);
      }
    }
    return next;
  }

  /** The DFA state for the character states reachable from `roots` without reading a character. */
  #closure(roots: readonly number[]): DfaState {
    const generation = ++this.#generation;
    const found: number[] = [];
    let accept = false;
    const stack = [...roots];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (this.#mark[s] === generation) continue;
      this.#mark[s] = generation;
      const kind = this.#kind[s];
      if (kind === CHAR) found.push(s);
      else if (kind === MATCH) accept = true;
      else stack.push(this.#out2[s]!, this.#out[s]!);
    }
    const states = Int32Array.from(found).sort();
    const key = `${accept ? 1 : 0}:${states.join(',')}`;
    const known = this.#cache.get(key);
    if (known !== undefined) return known;
    const kept = this.#cache.size < DFA_CACHE_LIMIT;
    const state: DfaState = {
      states,
      accept,
      kept,
      ascii: new Array<DfaState | undefined>(128),
      other: undefined,
    };
    if (kept) this.#cache.set(key, state);
    return state;
  }

  #accepts(test: CharTest, c: number): boolean {
    if (test.kind === 'lit') return test.code === c;
    if (c === SLASH && !test.slash) return false;
    if (test.kind === 'any') return true;
    const ranges = test.ranges;
    let hit = false;
    for (let i = 0; i < ranges.length; i += 2) {
      if (c >= ranges[i]! && c <= ranges[i + 1]!) {
        hit = true;
        break;
      }
    }
    return hit !== test.negated;
  }

  #step(from: DfaState, c: number): DfaState {
    const known = c < 128 ? from.ascii[c] : from.other?.get(c);
    if (known !== undefined) return known;
    const next: number[] = [];
    for (const s of from.states) if (this.#accepts(this.#test[s]!, c)) next.push(this.#out[s]!);
    const state = this.#closure(next);
    // Only memoised states are linked, so the memory a hostile path can make us hold stays bounded.
    if (state.kept) {
      if (c < 128) from.ascii[c] = state;
      else (from.other ??= new Map()).set(c, state);
    }
    return state;
  }

  test(path: string): boolean {
    const text = this.fold ? path.toLowerCase() : path;
    let state = (this.#start ??= this.#closure(this.#starts));
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      state = this.#step(state, c);
      if (state.states.length === 0 && !state.accept) return false;
    }
    return state.accept;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points

function nodesOf(pattern: string, flavour: GlobFlavour): Node[] {
  const chars = codePoints(flavour === 'account' ? pattern.toLowerCase() : pattern);
  const raw = lex(chars, flavour);
  return flavour === 'config' ? configNodes(raw) : flatNodes(raw, flavour);
}

/** A configuration pattern without its leading `!` (negation) and `./`, and whether it was negated. */
function configPattern(pattern: string): { body: string; negated: boolean } {
  const negated = pattern.startsWith('!') && !pattern.startsWith('!(');
  let body = negated ? pattern.slice(1) : pattern;
  while (body.startsWith('./')) body = body.slice(2);
  return { body, negated };
}

/**
 * Compiles patterns into one matcher that accepts a path when any of them matches it. Throws a GlobError for a
 * pattern that cannot be used (braces expanding past MAX_BRACE_EXPANSION).
 */
export function compileGlobs(patterns: readonly string[], flavour: GlobFlavour = 'config'): GlobMatcher {
  const positive: Node[][] = [];
  const negated: GlobMatcher[] = [];
  for (const pattern of patterns) {
    if (flavour !== 'config') {
      positive.push(nodesOf(pattern, flavour));
      continue;
    }
    const { body, negated: negate } = configPattern(pattern);
    const sequences = expandBraces(body).map((p) => nodesOf(p, flavour));
    // A negated pattern matches what its own automaton rejects, so it gets one to itself.
    if (negate) negated.push(new Automaton(sequences, false));
    else positive.push(...sequences);
  }
  const automaton = positive.length > 0 ? new Automaton(positive, flavour === 'account') : undefined;
  if (negated.length === 0 && automaton !== undefined) return automaton;
  return {
    test: (path) => automaton?.test(path) === true || negated.some((n) => !n.test(path)),
  };
}

/** Compiles one pattern; see compileGlobs. */
export function compileGlob(pattern: string, flavour: GlobFlavour = 'config'): GlobMatcher {
  return compileGlobs([pattern], flavour);
}

/** Why a pattern cannot be used, or undefined when it can: for configuration validation. */
export function globProblem(pattern: string, flavour: GlobFlavour = 'config'): string | undefined {
  try {
    compileGlob(pattern, flavour);
    return undefined;
  } catch (error) {
    if (error instanceof GlobError) return error.reason;
    throw error;
  }
}
