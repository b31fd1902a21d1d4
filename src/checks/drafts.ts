import { draftOf, type DraftState } from '../artefacts/draft.js';
import type { Check, CheckOptionsSpec, DraftFinding, RuleInfo } from '../core/check.js';
import { plural } from '../core/words.js';

/** `drafts:` in `.github/openly.yml`: how old a draft may get before it is a warning. */
export interface DraftsOptions {
  'warn-after-days': number;
}

/** A draft document as the report's `data.drafts` lists it, for the status page and release notes. */
export interface DraftEntry extends DraftState {
  path: string;
  /** Whole days since `since`, when the document is dated. */
  days?: number;
}

export const draftsRules: Record<string, RuleInfo> = {
  'drafts/draft': {
    level: 'notice',
    description:
      'A document published as work in progress (`draft: true` in its front matter, or a draft banner at its top) is listed, with how long it has been a draft.',
  },
  'drafts/old': {
    level: 'warning',
    description: 'A draft document is no older than `warn-after-days` days (90 by default).',
  },
};

const draftsOptions: CheckOptionsSpec<DraftsOptions> = {
  schema: {
    title: 'drafts check',
    description:
      'Lists documents published as drafts (draft: true in their front matter, or a draft banner at their top), with how long each has been a draft, and warns about old ones. Give a level (error, warning, off) or a mapping with a level and options.',
    oneOf: [
      { $ref: '#/$defs/checkLevel' },
      {
        title: 'drafts check settings',
        description: 'The level of the drafts check and its options.',
        type: 'object',
        additionalProperties: false,
        properties: {
          level: { $ref: '#/$defs/checkLevel' },
          'warn-after-days': {
            title: 'warn after days',
            description:
              'How many days a document may stay a draft before it is a warning (90 by default). Its age counts from draft-since, date or created in its front matter.',
            type: 'integer',
            minimum: 1,
          },
        },
      },
    ],
  },
  defaults: () => ({ 'warn-after-days': 90 }),
};

const DAY_MS = 24 * 60 * 60 * 1000;
const MARKDOWN = /\.(?:md|markdown)$/i;
/** Front matter and a banner sit at the top: a long front matter block still fits. */
const TOP_LINES = 80;
/** "draft", "Draft" and "DRAFT" hold one of these. */
const NEEDLES = ['raft', 'RAFT'] as const;

function ageOf(since: string | undefined, now: Date): number | undefined {
  if (since === undefined) return undefined;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const days = Math.floor((today - Date.parse(`${since}T00:00:00Z`)) / DAY_MS);
  return days >= 0 ? days : undefined;
}

function sinceWords(entry: DraftEntry): string {
  return entry.days === undefined ? '' : ` for ${plural(entry.days, 'day')} (since ${entry.since!})`;
}

export const draftsCheck: Check<DraftsOptions> = {
  id: 'drafts',
  title: 'Drafts',
  rules: draftsRules,
  options: draftsOptions,
  // On a checkout these join the one search of the tree that every check shares, run as it opens.
  needles: NEEDLES,
  run(ctx) {
    ctx.checkpoint();
    // Only files that say "draft" are read: a monorepo's thousands of documents are not.
    const candidates = new Set<string>();
    const found = ctx.snapshot.filesContaining?.(NEEDLES);
    if (found !== undefined) {
      for (const path of found.paths) if (MARKDOWN.test(path)) candidates.add(path);
    } else {
      for (const needle of NEEDLES) {
        for (const match of ctx.snapshot.grep(needle, { maxLines: TOP_LINES }).matches) {
          if (MARKDOWN.test(match.path)) candidates.add(match.path);
        }
      }
    }
    const drafts: DraftEntry[] = [];
    const findings: DraftFinding[] = [];
    // A configuration built by hand (the engine's callers may) can leave options out: the default holds then.
    const limit = (ctx.options as Partial<DraftsOptions> | undefined)?.['warn-after-days'] ?? 90;
    for (const path of [...candidates].sort()) {
      ctx.checkpoint();
      const content = ctx.snapshot.read(path);
      if (content.kind !== 'text') continue;
      const state = draftOf(content.text);
      if (state === undefined) continue;
      const days = ageOf(state.since, ctx.now());
      const entry: DraftEntry = { path, ...state, ...(days === undefined ? {} : { days }) };
      drafts.push(entry);
      const said = state.how === 'banner' ? 'a draft banner' : 'its front matter';
      if (days !== undefined && days > limit && ctx.enabled('drafts/old')) {
        findings.push({
          rule: 'drafts/old',
          path,
          line: state.line,
          message: `${path} has been a draft${sinceWords(entry)}, longer than the ${plural(limit, 'day')} a draft may stay one here. Readers cannot tell whether to rely on it.`,
          fix: 'Finish it and remove the draft mark, or, if it is no longer wanted, delete it; to give it longer, raise drafts: warn-after-days in .github/openly.yml.',
        });
      } else if (ctx.enabled('drafts/draft')) {
        findings.push({
          rule: 'drafts/draft',
          path,
          line: state.line,
          message: `${path} is a draft${sinceWords(entry)}, as ${said} says.`,
          fix:
            days === undefined
              ? 'Add "draft-since: YYYY-MM-DD" (or "date:") to its front matter so that its age can be told; remove the draft mark when it is finished.'
              : 'Remove the draft mark when it is finished.',
        });
      }
    }
    return { findings, data: { drafts } };
  },
};
