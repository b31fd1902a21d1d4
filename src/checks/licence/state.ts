import type { CheckContext, DraftFinding } from '../../core/check.js';
import type { LicenceOptions } from '../../config/types.js';
import {
  canonicalId,
  parseExpression,
  sameLicence,
  type ParsedExpression,
} from '../../licences/expression.js';
import { dirOf, findRootReadmes, LicenceScopes } from '../../licences/files.js';
import type { LicenceHeader } from '../../licences/headers.js';
import { ReuseIndex, type ReuseAnnotation } from '../../licences/reuse.js';
import type { Entry } from './records.js';
import { list } from './words.js';

/** What covers a path, and where that came from, for the path rule's messages. */
export interface Coverage {
  ids: string[];
  equivalents: string[];
  via: string;
}

/**
 * One run of the licence check: what the jobs (files, headers, paths, declarations, Crown copyright, README) find
 * out and share, and the findings they add. Each job reads what earlier ones stored here.
 */
export class LicenceRun {
  readonly findings: DraftFinding[] = [];
  readonly ctx: CheckContext<LicenceOptions>;
  /** The repository's paths, read once. */
  readonly paths: readonly string[];
  readonly #allowed: string[];
  readonly #parsed = new Map<string, ParsedExpression>();
  entries: Entry[] = [];
  /** Root files named like licence files that hold no licence, read for a Crown copyright notice only. */
  rootNotices: { path: string; text: string }[] = [];
  scopes = new LicenceScopes<Entry['file'] & { entry: Entry }>([]);
  reuse = new ReuseIndex([]);
  headers = new Map<string, LicenceHeader[]>();
  readonly #dirCoverage = new Map<string, Coverage>();

  constructor(ctx: CheckContext<LicenceOptions>) {
    this.ctx = ctx;
    this.#allowed = ((ctx.options as Partial<LicenceOptions> | undefined)?.allowed ?? []).map((id) =>
      canonicalId(id),
    );
    this.paths = ctx.snapshot.files();
  }

  /** The options with both keys present, so a caller that builds its own config may leave either out. */
  get options(): LicenceOptions {
    const options: Partial<LicenceOptions> | undefined = this.ctx.options;
    return { allowed: options?.allowed ?? [], paths: options?.paths ?? [] };
  }

  enabled(rule: string): boolean {
    return this.ctx.enabled(rule);
  }

  parse(expression: string): ParsedExpression {
    let parsed = this.#parsed.get(expression);
    if (parsed === undefined) {
      parsed = parseExpression(expression);
      this.#parsed.set(expression, parsed);
    }
    return parsed;
  }

  /** Whether the policy allows a licence; an empty `allowed` list means the organisation sets no limit. */
  isAllowed(id: string, equivalents: readonly string[] = []): boolean {
    if (this.#allowed.length === 0) return true;
    return this.#allowed.some((a) => sameLicence(a, id) || equivalents.some((e) => sameLicence(a, e)));
  }

  get allowedText(): string {
    return list(this.#allowed);
  }

  /** The licence files covering a folder, as ids; memoised per folder. */
  coverageOfDir(dir: string): Coverage {
    const known = this.#dirCoverage.get(dir);
    if (known !== undefined) return known;
    const covering = this.scopes.forDir(dir);
    const ids = [...new Set(covering.flatMap((f) => f.entry.grants))];
    const equivalents = covering.flatMap((f) => f.entry.record.equivalents);
    const coverage: Coverage = {
      ids,
      equivalents,
      via: covering.length === 0 ? 'no licence file' : list(covering.map((f) => f.path)),
    };
    this.#dirCoverage.set(dir, coverage);
    return coverage;
  }

  /**
   * What licenses one file: statements about the file itself (headers, `.license` companions, REUSE) when there
   * are any, since they are more specific than a folder's licence file; otherwise the nearest licence files.
   */
  coverageOf(path: string): Coverage {
    const own = (this.headers.get(path) ?? []).map((h) => h.expression);
    if (own.length === 0 && this.reuse.empty) return this.coverageOfDir(dirOf(path));
    const resolved = this.reuse.resolve(path, own);
    if (resolved.expressions.length === 0) return this.coverageOfDir(dirOf(path));
    const ids = resolved.expressions.flatMap((e) => {
      const parsed = this.parse(e);
      return parsed.ok ? parsed.ids : [];
    });
    const sources = resolved.from.map((a: ReuseAnnotation) => a.source);
    if (!resolved.overridden && own.length > 0) sources.push('its SPDX-License-Identifier header');
    return { ids: [...new Set(ids)], equivalents: [], via: list([...new Set(sources)]) };
  }

  /** The first readable README at the root, for the Crown copyright and README rules. */
  rootReadme(): { path: string; text: string } | undefined {
    for (const path of findRootReadmes(this.paths)) {
      const content = this.ctx.snapshot.read(path);
      if (content.kind === 'text') return { path, text: content.text };
    }
    return undefined;
  }
}
