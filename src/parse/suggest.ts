/** Optimal string alignment distance: Levenshtein plus swapping two neighbours, the commonest typo ("licnece"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i += 1) d[i * cols] = i;
  for (let j = 0; j < cols; j += 1) d[j] = j;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate a person most likely meant by `word`, or undefined when nothing is close. Case is ignored, and a
 * candidate that starts with the word (`warn` → `warning`) counts as close.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const needle = word.trim().toLowerCase();
  // Nobody mistypes a hundred-character name, and the distance costs length squared.
  if (needle === '' || needle.length > 100) return undefined;
  // Long words tolerate more typos; a third of the length keeps "ab" from matching everything.
  const limit = Math.max(1, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    if (hay === needle) return candidate;
    const prefix = needle.length >= 3 && hay.startsWith(needle);
    if (!prefix && Math.abs(hay.length - needle.length) > limit) continue;
    let score = editDistance(needle, hay);
    if (score > limit && prefix) score = limit;
    if (score <= limit && score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
