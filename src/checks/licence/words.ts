import { listWords } from '../../core/words.js';
import { licenceName } from '../../licences/identify.js';
import type { LicenceCandidate } from '../../licences/types.js';

/** Most examples a message gives of files or places that share one problem. */
export const MAX_EXAMPLES = 3;

/** Most ids a message lists from an expression, which can name thousands of LicenseRef- ids. */
const MAX_LISTED = 20;

/** `a`, `a and b`, `a, b and c`. */
export const list = (items: readonly string[]): string => listWords(items);

/** {@link list} of ids taken from an expression: the first few, and how many more. */
export function listSome(items: readonly string[]): string {
  if (items.length <= MAX_LISTED) return list(items);
  const more = items.length - MAX_LISTED;
  return `${items.slice(0, MAX_LISTED).join(', ')} and ${more.toLocaleString('en-GB')} more`;
}

export function describeCandidates(candidates: readonly LicenceCandidate[]): string {
  if (candidates.length === 0) return 'no licence on the SPDX list came close';
  return `the closest are ${candidates.map((c) => `${c.spdx} (${c.score.toFixed(2)})`).join(', ')}`;
}

/** `MIT (MIT License)`: the id, and the licence's name when the SPDX list gives one that differs. */
export function nameOf(id: string): string {
  const name = licenceName(id);
  return name !== undefined && name !== id ? `${id} (${name})` : id;
}
