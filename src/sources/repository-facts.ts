import type { RepositoryFacts } from './snapshot.js';

const VISIBILITIES = new Set(['public', 'private', 'internal']);

/**
 * A repository's visibility, archiving and last push, from the `repository` object of a webhook payload (the App's
 * event, or the Action's `GITHUB_EVENT_PATH`), at no request's cost. `pushed_at` is a time string in most events and
 * epoch seconds in `push` events; without a known `visibility` nothing is claimed. Payloads are input: every field
 * is checked here.
 */
export function repositoryFacts(repository: unknown): RepositoryFacts | undefined {
  if (repository === null || typeof repository !== 'object') return undefined;
  const fields = repository as { visibility?: unknown; archived?: unknown; pushed_at?: unknown };
  const visibility = typeof fields.visibility === 'string' ? fields.visibility.toLowerCase() : '';
  if (!VISIBILITIES.has(visibility)) return undefined;
  const pushed = fields.pushed_at;
  const at =
    typeof pushed === 'number' && Number.isFinite(pushed)
      ? new Date(pushed * 1000)
      : typeof pushed === 'string'
        ? new Date(pushed)
        : undefined;
  return {
    visibility: visibility as RepositoryFacts['visibility'],
    archived: fields.archived === true,
    ...(at === undefined || Number.isNaN(at.getTime()) ? {} : { pushedAt: at.toISOString() }),
  };
}
