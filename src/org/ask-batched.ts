import { ask, pace, type AskOptions, type RateLimitInfo } from './ask.js';
import type { ListedRepository } from './list.js';

/** How one kind of batched lookup is asked and answered. */
export interface BatchedKind<T> {
  /** The query for batches of `counts[r]` objects of repository `r<r>`. */
  query: (counts: readonly number[]) => string;
  /** The objects (paths or folders) of a repository's part, looked up at its listed commit, aliased in order. */
  objects: (lookup: T) => readonly string[];
  /** What a repository GitHub gave nothing for reports, given GitHub's message. */
  failure: (why: string) => string;
  /** Takes a repository's answer, keyed by the query's object aliases. */
  take: (lookup: T, answer: Record<string, unknown>) => void;
}

export interface BatchedAnswers {
  /** Repository name → why GitHub gave nothing for it (gone or hidden since it was listed). */
  failed: Map<string, string>;
  requests: number;
  rateLimit: RateLimitInfo | undefined;
}

type BatchedData = Record<string, Record<string, unknown> | null | RateLimitInfo> & {
  rateLimit?: RateLimitInfo | null;
};

/**
 * Sends each batch as one GraphQL query with an alias per repository (`r<r>`, its name in `$n<r>`) and per object
 * (its expression in `$e<r>_<f>`), paced by the rate limit the last answer reported. A repository GitHub answers
 * NOT_FOUND for fails alone; the others' answers are taken. The one loop behind the audit's folder listings and
 * file reads.
 */
export async function askBatched<T extends { repo: ListedRepository }>(
  options: AskOptions,
  org: string,
  batches: readonly (readonly T[])[],
  kind: BatchedKind<T>,
  start?: RateLimitInfo,
): Promise<BatchedAnswers> {
  const result: BatchedAnswers = { failed: new Map(), requests: 0, rateLimit: start };
  for (const batch of batches) {
    await pace(options, result.rateLimit);
    const variables: Record<string, string> = { org };
    batch.forEach((lookup, r) => {
      variables[`n${r}`] = lookup.repo.name;
      kind
        .objects(lookup)
        .forEach((object, f) => (variables[`e${r}_${f}`] = `${lookup.repo.head ?? 'HEAD'}:${object}`));
    });
    const gone = new Map<string, string>();
    result.requests++;
    const data = await ask<BatchedData>(
      options,
      org,
      kind.query(batch.map((lookup) => kind.objects(lookup).length)),
      variables,
      (partial, errors) => {
        // A repository deleted, renamed or hidden since it was listed fails alone; the batch still counts.
        for (const error of errors) {
          const alias = error.path?.[0];
          if (typeof alias !== 'string' || !/^r\d+$/.test(alias)) return undefined;
          gone.set(alias, (error as { message?: string }).message ?? 'not found');
        }
        return partial as BatchedData;
      },
    );
    batch.forEach((lookup, r) => {
      const alias = `r${r}`;
      const answer = data[alias] as Record<string, unknown> | null | undefined;
      if (answer === null || answer === undefined) {
        result.failed.set(lookup.repo.name, kind.failure(gone.get(alias) ?? 'no answer'));
      } else kind.take(lookup, answer);
    });
    result.rateLimit = data.rateLimit ?? result.rateLimit;
  }
  return result;
}
