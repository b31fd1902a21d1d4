import type parseSpdx from 'spdx-expression-parse';
import { excerpt } from '../core/printable.js';
import { isExceptionId, isKnownId, isSpdxId, spdxCasing, suggestId } from './ids.js';

export { isKnownId, suggestId } from './ids.js';

/** A parsed SPDX licence expression, as spdx-expression-parse shapes it. */
export type ExpressionTree = parseSpdx.Info;

export type ParsedExpression =
  | { ok: true; text: string; tree: ExpressionTree; ids: string[] }
  | { ok: false; text: string; error: string };

/** SPDX deprecated the bare GNU ids in favour of explicit `-only` / `-or-later` ones; both spellings mean the same. */
const GNU_FAMILY = /^(GPL|LGPL|AGPL|GFDL)-\d\.\d$/;

/** The id SPDX would use today for the same licence: `GPL-3.0` → `GPL-3.0-only`, `GPL-3.0+` → `GPL-3.0-or-later`. */
export function canonicalId(id: string, plus = false): string {
  let trimmed = id.trim();
  if (trimmed.endsWith('+')) {
    trimmed = trimmed.slice(0, -1);
    plus = true;
  }
  const known = spdxCasing(trimmed) ?? trimmed;
  if (GNU_FAMILY.test(known)) return `${known}${plus ? '-or-later' : '-only'}`;
  if (plus && !/-or-later$/.test(known)) return `${known}-or-later`;
  return known;
}

/**
 * The licence without its version choice: `GPL-3.0-only` and `GPL-3.0-or-later` share `GPL-3.0`. A policy that
 * allows one of them means the same GPL version, which is what a person setting `allowed` has in mind.
 */
export function licenceFamily(id: string): string {
  return canonicalId(id)
    .replace(/-(only|or-later)$/i, '')
    .toUpperCase();
}

/** Whether two SPDX ids name the same licence, up to `-only` / `-or-later` / deprecated spellings. */
export function sameLicence(a: string, b: string): boolean {
  return licenceFamily(a) === licenceFamily(b);
}

function collectIds(tree: ExpressionTree, into: Set<string>): void {
  if ('conjunction' in tree) {
    collectIds(tree.left, into);
    collectIds(tree.right, into);
    return;
  }
  into.add(canonicalId(tree.license, tree.plus === true));
}

/**
 * Parentheses nested deeper than this are refused: real expressions nest two or three levels, and the limit keeps
 * the parser's recursion far from the stack's end.
 */
export const MAX_NESTING = 100;

class ExpressionError extends Error {}

/** A chain of the same operator as a balanced tree: `a OR b OR c OR d` is as deep as log2 of its terms. */
function balanced(
  terms: ExpressionTree[],
  conjunction: 'and' | 'or',
  from = 0,
  to = terms.length,
): ExpressionTree {
  if (to - from === 1) return terms[from] as ExpressionTree;
  const middle = from + Math.ceil((to - from) / 2);
  return {
    left: balanced(terms, conjunction, from, middle),
    conjunction,
    right: balanced(terms, conjunction, middle, to),
  };
}

const WORD = /[A-Za-z0-9.-]+/y;
const OPERATOR = /(WITH|AND|OR)/iy;

/**
 * SPDX expressions as spdx-expression-parse reads them (the same ids, operators in any case, AND binding tighter
 * than OR, only spaces between tokens), in one pass: a chain of a million terms is read in linear time and becomes
 * a balanced tree, and only parentheses recurse, at most {@link MAX_NESTING} deep.
 */
class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): ExpressionTree {
    const tree = this.or(0);
    this.space();
    if (this.at < this.text.length)
      this.fail(`Unexpected \`${this.text.charAt(this.at)}\` at offset ${this.at}`);
    return tree;
  }

  private fail(message: string): never {
    throw new ExpressionError(message);
  }

  private space(): void {
    while (this.text.charCodeAt(this.at) === 0x20) this.at += 1;
  }

  /** The operator at the cursor, consumed, if it is `name`. Like spdx-expression-parse, a prefix is enough. */
  private operator(name: 'AND' | 'OR' | 'WITH'): boolean {
    this.space();
    OPERATOR.lastIndex = this.at;
    const match = OPERATOR.exec(this.text);
    if (match === null || match[1]?.toUpperCase() !== name) return false;
    this.at = OPERATOR.lastIndex;
    return true;
  }

  private or(depth: number): ExpressionTree {
    const terms = [this.and(depth)];
    while (this.operator('OR')) terms.push(this.and(depth));
    return balanced(terms, 'or');
  }

  private and(depth: number): ExpressionTree {
    const terms = [this.atom(depth)];
    while (this.operator('AND')) terms.push(this.atom(depth));
    return balanced(terms, 'and');
  }

  private word(): string | undefined {
    WORD.lastIndex = this.at;
    const match = WORD.exec(this.text);
    if (match === null) return undefined;
    this.at = WORD.lastIndex;
    return match[0];
  }

  private atom(depth: number): ExpressionTree {
    this.space();
    if (this.at >= this.text.length) this.fail('Unexpected end of input');
    if (this.text.charAt(this.at) === '(') {
      if (depth >= MAX_NESTING) {
        this.fail(`it is nested too deeply (more than ${MAX_NESTING} levels of parentheses)`);
      }
      this.at += 1;
      const inner = this.or(depth + 1);
      this.space();
      if (this.text.charAt(this.at) !== ')') this.fail('Expected `)`');
      this.at += 1;
      return inner;
    }
    const start = this.at;
    let license: string;
    let plus = false;
    if (this.text.startsWith('DocumentRef-', this.at) || this.text.startsWith('LicenseRef-', this.at)) {
      let prefix = '';
      if (this.text.startsWith('DocumentRef-', this.at)) {
        this.at += 'DocumentRef-'.length;
        const document = this.word();
        if (document === undefined) this.fail(`Expected idstring at offset ${this.at}`);
        this.space();
        if (this.text.charAt(this.at) !== ':') this.fail('Expected `:` after `DocumentRef-...`');
        this.at += 1;
        this.space();
        prefix = `DocumentRef-${document}:`;
      }
      if (!this.text.startsWith('LicenseRef-', this.at)) this.fail('Expected `LicenseRef-...`');
      this.at += 'LicenseRef-'.length;
      const name = this.word();
      if (name === undefined) this.fail(`Expected idstring at offset ${this.at}`);
      license = `${prefix}LicenseRef-${name}`;
    } else {
      const word = this.word();
      if (word === undefined || !isSpdxId(word)) {
        this.at = start;
        this.fail(`Unexpected \`${this.text.charAt(start)}\` at offset ${start}`);
      }
      license = word;
      this.space();
      if (this.text.charAt(this.at) === '+') {
        if (this.text.charAt(this.at - 1) === ' ') this.fail('Space before `+`');
        this.at += 1;
        plus = true;
      }
    }
    const node: ExpressionTree = plus ? { license, plus } : { license };
    const back = this.at;
    if (this.operator('WITH')) {
      this.space();
      const exception = this.word();
      if (exception === undefined || !isExceptionId(exception)) this.fail('Expected exception after `WITH`');
      return { ...node, exception };
    }
    this.at = back;
    return node;
  }
}

/** Explains a parse failure in words a person can act on, with a spelling hint where one fits. */
function explain(text: string, error: unknown): string {
  if (text.trim() === '') return 'the expression is empty';
  if (error instanceof ExpressionError && error.message.startsWith('it is nested too deeply'))
    return error.message;
  const words = text.split(/[\s()]+/).filter((w) => w !== '' && !/^(AND|OR|WITH)$/i.test(w));
  for (const word of words) {
    const hint = suggestId(word);
    if (hint !== undefined) return `"${excerpt(word)}" is not an SPDX id; SPDX spells it "${hint}"`;
  }
  const unknown = words.find((w) => !isKnownId(w) && !/-exception|exception-/i.test(w));
  if (unknown !== undefined) return `"${excerpt(unknown)}" is not an SPDX licence id`;
  const detail = error instanceof ExpressionError ? error.message : '';
  return detail === '' ? 'it is not a well-formed SPDX expression' : `it is not well formed (${detail})`;
}

/**
 * Parses an SPDX licence expression (`MIT AND OGL-UK-3.0`, `(MIT OR Apache-2.0)`, `GPL-3.0-or-later`,
 * `Apache-2.0 WITH LLVM-exception`). Never throws: a bad expression comes back with a reason, which quotes at most
 * a short excerpt of it.
 */
export function parseExpression(text: string): ParsedExpression {
  const trimmed = text.trim();
  try {
    const tree = new Parser(trimmed).parse();
    const ids = new Set<string>();
    collectIds(tree, ids);
    return { ok: true, text: trimmed, tree, ids: [...ids] };
  } catch (error) {
    return { ok: false, text: trimmed, error: explain(trimmed, error) };
  }
}

/**
 * Whether an expression is acceptable when each licence is judged by `isAllowed`: either side of an OR will do,
 * both sides of an AND must be allowed. An exception (`WITH`) only adds permissions, so it does not count against.
 */
export function expressionAllowed(tree: ExpressionTree, isAllowed: (id: string) => boolean): boolean {
  if ('conjunction' in tree) {
    const left = expressionAllowed(tree.left, isAllowed);
    const right = expressionAllowed(tree.right, isAllowed);
    return tree.conjunction === 'or' ? left || right : left && right;
  }
  return isAllowed(canonicalId(tree.license, tree.plus === true));
}

/** The licences an expression needs that `isAllowed` rejects, for messages (OR branches that pass drop out). */
export function disallowedIds(tree: ExpressionTree, isAllowed: (id: string) => boolean): string[] {
  if (expressionAllowed(tree, isAllowed)) return [];
  if ('conjunction' in tree) {
    const ids = [...disallowedIds(tree.left, isAllowed), ...disallowedIds(tree.right, isAllowed)];
    return [...new Set(ids)];
  }
  return [canonicalId(tree.license, tree.plus === true)];
}
