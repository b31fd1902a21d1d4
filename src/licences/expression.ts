import { createRequire } from 'node:module';
import parseSpdx from 'spdx-expression-parse';

/** A parsed SPDX licence expression, as spdx-expression-parse shapes it. */
export type ExpressionTree = parseSpdx.Info;

export type ParsedExpression =
  | { ok: true; text: string; tree: ExpressionTree; ids: string[] }
  | { ok: false; text: string; error: string };

const require = createRequire(import.meta.url);
const currentIds = require('spdx-license-ids') as string[];
const deprecatedIds = require('spdx-license-ids/deprecated.json') as string[];

/** Upper-cased id → the id as SPDX spells it, so `mit` can be answered with "did you mean MIT?". */
const BY_UPPER = new Map<string, string>(
  [...currentIds, ...deprecatedIds].map((id) => [id.toUpperCase(), id] as const),
);

/** SPDX deprecated the bare GNU ids in favour of explicit `-only` / `-or-later` ones; both spellings mean the same. */
const GNU_FAMILY = /^(GPL|LGPL|AGPL|GFDL)-\d\.\d$/;

/** The id SPDX would use today for the same licence: `GPL-3.0` → `GPL-3.0-only`, `GPL-3.0+` → `GPL-3.0-or-later`. */
export function canonicalId(id: string, plus = false): string {
  let trimmed = id.trim();
  if (trimmed.endsWith('+')) {
    trimmed = trimmed.slice(0, -1);
    plus = true;
  }
  const known = BY_UPPER.get(trimmed.toUpperCase()) ?? trimmed;
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

/** The id as SPDX spells it when `id` differs only in case, for a "did you mean" hint. */
export function suggestId(id: string): string | undefined {
  const found = BY_UPPER.get(id.trim().replace(/\+$/, '').toUpperCase());
  return found !== undefined && found !== id.trim() ? found : undefined;
}

/** Whether `id` is on the SPDX licence list (current or deprecated) or a `LicenseRef-` of the project's own. */
export function isKnownId(id: string): boolean {
  const bare = id.replace(/\+$/, '');
  return (
    BY_UPPER.get(bare.toUpperCase()) === bare || /^(DocumentRef-[\w.-]+:)?LicenseRef-[\w.-]+$/.test(bare)
  );
}

function collectIds(tree: ExpressionTree, into: string[]): void {
  if ('conjunction' in tree) {
    collectIds(tree.left, into);
    collectIds(tree.right, into);
    return;
  }
  const id = canonicalId(tree.license, tree.plus === true);
  if (!into.includes(id)) into.push(id);
}

/** Explains a parse failure in words a person can act on, with a spelling hint where one fits. */
function explain(text: string, error: unknown): string {
  if (text.trim() === '') return 'the expression is empty';
  const words = text.split(/[\s()]+/).filter((w) => w !== '' && !/^(AND|OR|WITH)$/i.test(w));
  for (const word of words) {
    const hint = suggestId(word);
    if (hint !== undefined) return `"${word}" is not an SPDX id; SPDX spells it "${hint}"`;
  }
  const unknown = words.find((w) => !isKnownId(w) && !/-exception|exception-/i.test(w));
  if (unknown !== undefined) return `"${unknown}" is not an SPDX licence id`;
  const detail =
    error instanceof Error && !/Cannot read|undefined|null/.test(error.message) ? error.message : '';
  return detail === '' ? 'it is not a well-formed SPDX expression' : `it is not well formed (${detail})`;
}

/**
 * Parses an SPDX licence expression (`MIT AND OGL-UK-3.0`, `(MIT OR Apache-2.0)`, `GPL-3.0-or-later`,
 * `Apache-2.0 WITH LLVM-exception`). Never throws: a bad expression comes back with a reason.
 */
export function parseExpression(text: string): ParsedExpression {
  const trimmed = text.trim();
  try {
    const tree = parseSpdx(trimmed);
    const ids: string[] = [];
    collectIds(tree, ids);
    return { ok: true, text: trimmed, tree, ids };
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
