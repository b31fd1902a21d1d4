import type { Check, CheckContext, CheckOptionsSpec, DraftFinding, RuleInfo } from '../core/check.js';
import { findCommunityFile } from './community-files.js';

/** `visibility:` in `.github/openly.yml`: why a repository is not public, until when, and when it is stale. */
export interface VisibilityOptions {
  /** Why the repository is private or internal; required for it to be anything but public. */
  justification?: string;
  /** The day (YYYY-MM-DD) the repository will be made public. */
  'open-by'?: string;
  /** Days without a push after which a repository is stale. */
  'stale-after-days': number;
}

const POLICY = 'NHS open source policy (§3, §4h) and the GDS Way: code is public by default';

/** Closed code should open within this many months (NHS open source policy). */
const OPEN_WITHIN_MONTHS = 6;

export const visibilityRules: Record<string, RuleInfo> = {
  'visibility/not-public': {
    level: 'error',
    description:
      'A private or internal repository gives a justification (`visibility: { justification }`) in its configuration.',
  },
  'visibility/open-by-passed': {
    level: 'error',
    description: 'The `open-by` date of a private or internal repository has not passed.',
  },
  'visibility/open-by-far': {
    level: 'warning',
    description:
      'A private or internal repository gives an `open-by` date no more than 6 months ahead: closed code should open within 6 months.',
  },
  'visibility/archived-no-reason': {
    level: 'warning',
    description:
      'An archived repository says in its README why it was archived: a sentence of at least four words with the word "archived".',
  },
  'visibility/stale': {
    level: 'notice',
    description:
      'A repository that is not archived has had a push within `stale-after-days` days (365 by default).',
  },
};

export const visibilityOptions: CheckOptionsSpec<VisibilityOptions> = {
  schema: {
    title: 'visibility check',
    description:
      'Checks that the repository is public, or says why not and when it will open; that an archived repository says why; and that the repository is still worked on. Give a level (error, warning, off) or a mapping with a level and options.',
    oneOf: [
      { $ref: '#/$defs/checkLevel' },
      {
        title: 'visibility check settings',
        description: 'The level of the visibility check and its options.',
        type: 'object',
        additionalProperties: false,
        properties: {
          level: { $ref: '#/$defs/checkLevel' },
          justification: {
            title: 'justification',
            description:
              'Why the repository is private or internal, in words a reader outside the team understands, such as "holds the configuration of live NHS systems".',
            type: 'string',
            minLength: 1,
          },
          'open-by': {
            title: 'open by',
            description:
              'The day the repository will be made public, as YYYY-MM-DD, no more than 6 months ahead.',
            type: 'string',
            pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
          },
          'stale-after-days': {
            title: 'stale after days',
            description:
              'How many days without a push make a repository stale, with the suggestion to archive it (365 by default).',
            type: 'integer',
            minimum: 1,
          },
        },
      },
    ],
  },
  defaults: () => ({ 'stale-after-days': 365 }),
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** The day a `YYYY-MM-DD` names, at midnight UTC; undefined for a day that does not exist (2027-02-30). */
function dayOf(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text ? date : undefined;
}

function today(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

function addMonths(day: Date, months: number): Date {
  const later = new Date(day);
  later.setUTCMonth(later.getUTCMonth() + months);
  return later;
}

function notPublic(ctx: CheckContext<VisibilityOptions>, visibility: string): DraftFinding[] {
  const { justification } = ctx.options;
  const openBy = ctx.options['open-by'];
  if (justification === undefined || justification.trim() === '') {
    return [
      {
        rule: 'visibility/not-public',
        message: `This repository is ${visibility}, and its configuration gives no reason why. Under the ${POLICY}, and a closed repository needs a written justification.`,
        fix: 'Make the repository public in its GitHub settings, or add to .github/openly.yml a "visibility:" entry with a "justification:" saying why it must stay closed and an "open-by:" date (YYYY-MM-DD) within 6 months.',
      },
    ];
  }
  const day = openBy === undefined ? undefined : dayOf(openBy);
  const start = today(ctx.now());
  const limit = addMonths(start, OPEN_WITHIN_MONTHS);
  if (day === undefined) {
    const said =
      openBy === undefined
        ? 'gives no "open-by" date'
        : `gives "${openBy}" as its "open-by" date, which is no day`;
    return [
      {
        rule: 'visibility/open-by-far',
        message: `This ${visibility} repository ${said}. Under the ${POLICY}, and closed code should open within 6 months.`,
        fix: `Add "open-by:" under "visibility:" in .github/openly.yml with the day it will be made public, as YYYY-MM-DD, no later than ${limit.toISOString().slice(0, 10)}.`,
      },
    ];
  }
  if (day.getTime() < start.getTime()) {
    return [
      {
        rule: 'visibility/open-by-passed',
        message: `This repository was to be made public by ${openBy}, and that day has passed; it is still ${visibility}. Under the ${POLICY}.`,
        fix: 'Make the repository public in its GitHub settings now, or, if it truly must stay closed, update the justification and set a new "open-by" date within 6 months in .github/openly.yml.',
      },
    ];
  }
  if (day.getTime() > limit.getTime()) {
    const days = Math.round((day.getTime() - start.getTime()) / DAY_MS);
    return [
      {
        rule: 'visibility/open-by-far',
        message: `This ${visibility} repository is to open on ${openBy}, ${days} days from now. Under the ${POLICY}, and closed code should open within 6 months.`,
        fix: `Plan to publish sooner and set "open-by:" in .github/openly.yml to a day no later than ${limit.toISOString().slice(0, 10)}.`,
      },
    ];
  }
  return [];
}

/**
 * Whether a README says why the repository was archived: a sentence with the word "archived" and at least three
 * other words, so that a badge or a heading that only says "Archived" does not count as a reason.
 */
export function saysWhyArchived(text: string, checkpoint: () => void = () => {}): boolean {
  const prose = text
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    // A heading is a sentence of its own, so "# Archived" above unrelated text does not read as a reason.
    .replace(/^ {0,3}#+[ \t]*(.*)$/gm, '\n\n$1\n\n');
  return prose.split(/[.!?]+(?=\s|$)|\r?\n[ \t]*\r?\n/).some((sentence) => {
    checkpoint();
    if (!/\barchived\b/i.test(sentence)) return false;
    return sentence.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length >= 4;
  });
}

const README = {
  rule: 'visibility/archived-no-reason',
  label: 'README',
  names: ['readme'],
  suggested: 'README.md',
  why: '',
};

function archivedReason(ctx: CheckContext<VisibilityOptions>): DraftFinding[] {
  // An archived repository is read-only on GitHub, so the fix has to say how to edit it at all.
  const fix =
    'Unarchive the repository in its GitHub settings, add a sentence to the README saying why it was archived and what replaces it (such as "This repository was archived in 2026 because the service closed."), then archive it again.';
  const path = findCommunityFile(ctx.snapshot.files(), README);
  if (path === undefined) {
    return [
      {
        rule: 'visibility/archived-no-reason',
        message:
          'This repository is archived and has no README to say why. People who find it need to know whether it is still safe to use and where the work went.',
        fix,
      },
    ];
  }
  const content = ctx.snapshot.read(path);
  if (content.kind === 'text' && saysWhyArchived(content.text, ctx.checkpoint)) return [];
  const unread = content.kind === 'text' ? '' : ' (it could not be read as text)';
  return [
    {
      rule: 'visibility/archived-no-reason',
      path,
      message: `This repository is archived, and ${path} does not say why${unread}. People who find it need to know whether it is still safe to use and where the work went.`,
      fix,
    },
  ];
}

function stale(ctx: CheckContext<VisibilityOptions>, pushedAt: string | undefined): DraftFinding[] {
  if (pushedAt === undefined) return [];
  const pushed = Date.parse(pushedAt);
  if (Number.isNaN(pushed)) return [];
  const days = Math.floor((ctx.now().getTime() - pushed) / DAY_MS);
  const limit = ctx.options['stale-after-days'];
  if (days <= limit) return [];
  return [
    {
      rule: 'visibility/stale',
      message: `Nothing has been pushed to this repository for ${days} days (since ${pushedAt.slice(0, 10)}), longer than the ${limit} days after which it counts as stale. The GDS Way asks that code no longer maintained says so.`,
      fix: 'If nobody works on it any more, add a sentence to the README saying why and archive the repository in its GitHub settings; if it is still in use, say in the README who maintains it.',
    },
  ];
}

export const visibilityCheck: Check<VisibilityOptions> = {
  id: 'visibility',
  title: 'Visibility',
  rules: visibilityRules,
  options: visibilityOptions,
  wants(paths) {
    const readme = findCommunityFile(paths, README);
    return readme === undefined ? [] : [readme];
  },
  run(ctx) {
    const facts = ctx.snapshot.repository;
    if (facts === undefined) {
      return {
        findings: [],
        skipped:
          "A repository's visibility, archiving and last push are known when Openly reads it from GitHub (`openly audit --org`); this source does not carry them.",
      };
    }
    const findings: DraftFinding[] = [];
    if (facts.visibility !== 'public') findings.push(...notPublic(ctx, facts.visibility));
    if (facts.archived) {
      if (ctx.enabled('visibility/archived-no-reason')) findings.push(...archivedReason(ctx));
    } else {
      findings.push(...stale(ctx, facts.pushedAt));
    }
    return {
      findings,
      data: {
        visibility: facts.visibility,
        archived: facts.archived,
        ...(facts.pushedAt === undefined ? {} : { pushedAt: facts.pushedAt }),
      },
    };
  },
};
