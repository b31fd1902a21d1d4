import picomatch from 'picomatch';
import { LineCounter, parseDocument, isScalar } from 'yaml';
import type { Check, CheckContext, DraftFinding, RuleInfo } from '../core/check.js';
import type { LicenceOptions } from '../config/types.js';
import type { RepoSnapshot } from '../sources/snapshot.js';
import type { Identification, LicenceCandidate } from '../licences/types.js';
import { identifyLicence, licenceName } from '../licences/identify.js';
import {
  canonicalId,
  disallowedIds,
  isKnownId,
  parseExpression,
  sameLicence,
  type ParsedExpression,
} from '../licences/expression.js';
import { collectHeaders, HEADER_LINES, SPDX_TAG, type LicenceHeader } from '../licences/headers.js';
import {
  dirOf,
  findLicenceFiles,
  findRootReadmes,
  LicenceScopes,
  scopeGlob,
  type LicenceFile,
} from '../licences/files.js';
import {
  parseDep5,
  parseReuseToml,
  ReuseIndex,
  type ReuseAnnotation,
  type ReuseSource,
} from '../licences/reuse.js';

const R = {
  missing: 'licence/missing',
  unknown: 'licence/unknown',
  notAllowed: 'licence/not-allowed',
  path: 'licence/path',
  declaration: 'licence/declaration',
  header: 'licence/header',
  unreadable: 'licence/unreadable',
  crown: 'licence/crown-copyright',
  readme: 'licence/readme',
} as const;

export const licenceRules: Record<string, RuleInfo> = {
  [R.missing]: {
    level: 'error',
    description: 'A licence file (LICENCE or LICENSE) at the top level of the repository.',
  },
  [R.unknown]: {
    level: 'warning',
    description: 'Every licence file holds a licence that can be identified on the SPDX licence list.',
  },
  [R.notAllowed]: {
    level: 'error',
    description:
      "Licence files and package declarations name only licences the organisation's policy allows.",
  },
  [R.path]: {
    level: 'error',
    description: 'Files matching a policy path glob are covered by the licence the policy requires there.',
  },
  [R.declaration]: {
    level: 'warning',
    description:
      'package.json `license` and publiccode.yml `legal.license` are valid SPDX expressions that agree with the licence files.',
  },
  [R.header]: {
    level: 'warning',
    description:
      'SPDX-License-Identifier headers and REUSE annotations name known, allowed licences whose texts are in LICENSES/.',
  },
  [R.unreadable]: { level: 'warning', description: 'Every licence file can be read as text.' },
  [R.crown]: {
    level: 'off',
    description:
      'A Crown copyright notice in the root licence file or README (central government and NHS bodies).',
  },
  [R.readme]: {
    level: 'warning',
    description: 'The root README names the licence or links to the licence file.',
  },
};

/** One licence file and what it was found to hold: an entry of the report's `data.licences`. */
export interface LicenceRecord {
  path: string;
  spdx: string | null;
  confidence: number;
  scope: string | null;
  method: Identification['method'] | 'file-name';
  candidates: LicenceCandidate[];
  also: string[];
  equivalents: string[];
  /** Why the file could not be read, when it could not. */
  unreadable?: string;
}

interface Entry {
  file: LicenceFile;
  record: LicenceRecord;
  /** Text, when readable; kept for the README and Crown copyright rules. */
  text?: string;
  /** The licences this file grants: its identified id and whatever else it names. */
  grants: string[];
}

/** What covers a path, and where that came from, for the path rule's messages. */
interface Coverage {
  ids: string[];
  equivalents: string[];
  via: string;
}

const MAX_EXAMPLES = 3;

function round(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

function describeCandidates(candidates: readonly LicenceCandidate[]): string {
  if (candidates.length === 0) return 'no licence on the SPDX list came close';
  return `the closest are ${candidates.map((c) => `${c.spdx} (${c.score.toFixed(2)})`).join(', ')}`;
}

function nameOf(id: string): string {
  const name = licenceName(id);
  return name !== undefined && name !== id ? `${id} (${name})` : id;
}

/** Identification of untrusted text; a failure there makes the file unknown rather than sinking the whole check. */
function identifySafely(text: string): Identification {
  try {
    return identifyLicence(text);
  } catch {
    return { spdx: null, confidence: 0, method: 'none', equivalents: [], candidates: [], also: [] };
  }
}

/**
 * Whether what a file holds makes it a licence file, given how sure its name is: a usual name always is one; a
 * qualified name (`MIT-LICENSE.md`) when its text is or names a licence; any other name holding the word only with
 * a licence's full text, so that a page about licensing (`docs/code-licence-and-copyright.md`), which names
 * licences without granting them, is not taken for a licence of its folder.
 */
function counts(file: LicenceFile, found: Identification | undefined): boolean {
  if (file.naming === 'strict') return true;
  if (found === undefined || found.spdx === null) return false;
  return file.naming === 'named' || found.method === 'full-text';
}

/**
 * Reads every licence file, identifies it, and builds its report entry. Files whose names only suggest a licence
 * and whose text is none are left out; the texts of those at the root are returned for the Crown copyright rule
 * (a `COPYRIGHT` file holding the notice alone).
 */
function identifyFiles(
  snapshot: RepoSnapshot,
  files: readonly LicenceFile[],
): { entries: Entry[]; rootNotices: { path: string; text: string }[] } {
  // A monorepo repeats the same licence file in package after package: each distinct text is identified once.
  const known = new Map<string, Identification>();
  const rootNotices: { path: string; text: string }[] = [];
  const entries = files.map((file): Entry | undefined => {
    const scope = scopeGlob(file.dir);
    const content = snapshot.read(file.path);
    if (content.kind !== 'text' && file.naming !== 'strict') return undefined;
    if (content.kind !== 'text') {
      const why =
        content.kind === 'binary'
          ? 'it is a binary file'
          : content.kind === 'too-large'
            ? `it is too large to read (${content.size} bytes)`
            : content.kind === 'missing'
              ? 'it is missing from the snapshot'
              : `its content is unavailable (${content.reason})`;
      return {
        file,
        grants: [],
        record: {
          path: file.path,
          spdx: null,
          confidence: 0,
          scope,
          method: 'none',
          candidates: [],
          also: [],
          equivalents: [],
          unreadable: why,
        },
      };
    }
    let found = known.get(content.text);
    if (found === undefined) {
      found = identifySafely(content.text);
      known.set(content.text, found);
    }
    if (!counts(file, found)) {
      if (file.dir === '') rootNotices.push({ path: file.path, text: content.text });
      return undefined;
    }
    let spdx = found.spdx;
    let method: LicenceRecord['method'] = found.method;
    const confidence = found.confidence;
    // REUSE names each text after its id; when the text itself is not recognised (a LicenseRef, a trimmed copy),
    // the name is still the project's own declaration. The confidence stays the text's, which is low.
    if (spdx === null && file.reuseId !== undefined && isKnownId(file.reuseId)) {
      spdx = file.reuseId;
      method = 'file-name';
    }
    const grants = spdx === null ? [...found.also] : [spdx, ...found.also.filter((id) => id !== spdx)];
    return {
      file,
      text: content.text,
      grants: grants.map((id) => canonicalId(id)),
      record: {
        path: file.path,
        spdx,
        confidence: round(confidence),
        scope,
        method,
        candidates: found.candidates.map((c) => ({ spdx: c.spdx, score: round(c.score) })),
        // Copies: records of files with the same text must not share arrays.
        also: [...found.also],
        equivalents: [...found.equivalents],
      },
    };
  });
  return { entries: entries.filter((e) => e !== undefined), rootNotices };
}

/** The 1-based line of the first line matching `pattern`, or undefined. */
function lineOf(text: string, pattern: RegExp): number | undefined {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((line) => pattern.test(line));
  return index === -1 ? undefined : index + 1;
}

class LicenceRun {
  readonly findings: DraftFinding[] = [];
  readonly #ctx: CheckContext<LicenceOptions>;
  readonly #allowed: string[];
  readonly #parsed = new Map<string, ParsedExpression>();
  readonly #paths: readonly string[];
  entries: Entry[] = [];
  /** Root files named like licence files that hold no licence, read for a Crown copyright notice only. */
  rootNotices: { path: string; text: string }[] = [];
  scopes = new LicenceScopes<Entry['file'] & { entry: Entry }>([]);
  reuse = new ReuseIndex([]);
  headers = new Map<string, LicenceHeader[]>();
  readonly #dirCoverage = new Map<string, Coverage>();

  constructor(ctx: CheckContext<LicenceOptions>) {
    this.#ctx = ctx;
    this.#allowed = ((ctx.options as Partial<LicenceOptions> | undefined)?.allowed ?? []).map((id) =>
      canonicalId(id),
    );
    this.#paths = ctx.snapshot.files();
  }

  /** The options with both keys present, so a caller that builds its own config may leave either out. */
  get options(): LicenceOptions {
    const options: Partial<LicenceOptions> | undefined = this.#ctx.options;
    return { allowed: options?.allowed ?? [], paths: options?.paths ?? [] };
  }

  enabled(rule: string): boolean {
    return this.#ctx.enabled(rule);
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

  run(): Record<string, unknown> {
    const snapshot = this.#ctx.snapshot;
    const files = findLicenceFiles(this.#paths);
    const identified = identifyFiles(snapshot, files);
    this.entries = identified.entries;
    this.rootNotices = identified.rootNotices;
    this.scopes = new LicenceScopes(this.entries.map((entry) => ({ ...entry.file, entry })));

    this.checkFiles();
    this.loadReuse();
    const needHeaders = this.enabled(R.header) || (this.enabled(R.path) && this.options.paths.length > 0);
    if (needHeaders) this.loadHeaders();
    if (this.enabled(R.header)) this.checkHeadersAndAnnotations();
    if (this.enabled(R.declaration) || this.enabled(R.notAllowed)) this.checkDeclarations();
    if (this.enabled(R.path)) this.checkPaths();
    if (this.enabled(R.crown)) this.checkCrownCopyright();
    if (this.enabled(R.readme)) this.checkReadme();

    return { licences: this.entries.map((e) => e.record) };
  }

  /** Missing, unreadable, unknown and not-allowed licence files. */
  checkFiles(): void {
    const atRoot = this.entries.filter((e) => e.file.dir === '');
    if (atRoot.length === 0 && this.enabled(R.missing)) {
      const elsewhere = this.entries.filter((e) => e.file.dir !== null).map((e) => e.file.path);
      const reuseTexts = this.entries.some((e) => e.file.dir === null && e.file.path.startsWith('LICENSES/'));
      const unlike = this.rootNotices.map((n) => n.path);
      const why =
        elsewhere.length > 0
          ? ` (${list(elsewhere.slice(0, MAX_EXAMPLES))} only cover${elsewhere.length === 1 ? 's its own folder' : ' their own folders'})`
          : unlike.length > 0
            ? ` (${list(unlike.slice(0, MAX_EXAMPLES))} ${unlike.length === 1 ? 'is' : 'are'} named like a licence file, but no licence could be identified in ${unlike.length === 1 ? 'it' : 'them'})`
            : reuseTexts
              ? ' (LICENSES/ holds REUSE licence texts, but people and GitHub look for a licence file at the top level)'
              : '';
      this.findings.push({
        rule: R.missing,
        message: `There is no licence file at the top level of the repository, so nobody can tell on what terms they may reuse it${why}.`,
        fix: 'Add a LICENCE file at the root with the full text of your licence (e.g. MIT for code, OGL-UK-3.0 for documentation); GDS prefers the British spelling LICENCE, but LICENSE is accepted too.',
      });
    }
    for (const entry of this.entries) {
      const { record } = entry;
      if (record.unreadable !== undefined) {
        this.findings.push({
          rule: R.unreadable,
          path: record.path,
          message: `${record.path} looks like a licence file, but ${record.unreadable}, so the licence it holds could not be checked.`,
          fix: `Make ${record.path} a plain-text (UTF-8) copy of the licence text.`,
        });
        continue;
      }
      if (record.spdx === null) {
        if (this.enabled(R.unknown)) {
          this.findings.push({
            rule: R.unknown,
            path: record.path,
            line: 1,
            message: `The licence in ${record.path} was not recognised: ${describeCandidates(record.candidates)}.`,
            fix: `Replace ${record.path} with the unmodified text of an SPDX-listed licence (for example from spdx.org/licenses), keeping your copyright line.`,
          });
        }
      } else if (entry.file.reuseId !== undefined && record.method !== 'file-name') {
        const named = canonicalId(entry.file.reuseId);
        if (this.enabled(R.header) && !entry.grants.some((id) => sameLicence(id, named))) {
          this.findings.push({
            rule: R.header,
            path: record.path,
            message: `${record.path} is named after ${named}, but it holds the text of ${nameOf(record.spdx)}.`,
            fix: `Rename the file to LICENSES/${record.spdx}.txt, or put the ${named} text in it.`,
          });
        }
      }
      if (this.enabled(R.notAllowed)) {
        for (const id of entry.grants) {
          if (this.isAllowed(id, id === record.spdx ? record.equivalents : [])) continue;
          this.findings.push({
            rule: R.notAllowed,
            path: record.path,
            line: 1,
            message: `${record.path} licenses ${entry.file.dir === null ? 'files' : `${scopeGlob(entry.file.dir)}`} under ${nameOf(id)}, which the licence policy does not allow (allowed: ${this.allowedText}).`,
            fix: `Relicense under one of ${this.allowedText} and replace ${record.path} with that text, or ask for ${id} to be added to \`licence.allowed\` in the organisation's openly.yml.`,
          });
        }
      }
    }
  }

  loadReuse(): void {
    const snapshot = this.#ctx.snapshot;
    const sources: ReuseSource[] = [];
    const candidates = this.#paths.filter(
      (p) =>
        (p === 'REUSE.toml' || p.endsWith('/REUSE.toml') || p === '.reuse/dep5') &&
        !/(^|\/)node_modules\//.test(p),
    );
    for (const path of candidates) {
      const content = snapshot.read(path);
      if (content.kind !== 'text') {
        if (this.enabled(R.header)) {
          this.findings.push({
            rule: R.header,
            path,
            message: `${path} could not be read (${content.kind}), so the licensing it gives was ignored.`,
            fix: `Make ${path} a plain-text file.`,
          });
        }
        continue;
      }
      const parsed =
        path === '.reuse/dep5' ? parseDep5(path, content.text) : parseReuseToml(path, content.text);
      if (this.enabled(R.header)) {
        for (const problem of parsed.problems) this.findings.push({ rule: R.header, ...problem });
      }
      if (parsed.source !== undefined) sources.push(parsed.source);
    }
    this.reuse = new ReuseIndex(sources);
  }

  loadHeaders(): void {
    const snapshot = this.#ctx.snapshot;
    const result = snapshot.grep(SPDX_TAG, { maxLines: HEADER_LINES });
    const matches = result.matches.filter((m) => !/(^|\/)node_modules\//.test(m.path));
    for (const header of collectHeaders(matches, (p) => snapshot.has(p))) {
      const list = this.headers.get(header.covers) ?? [];
      list.push(header);
      this.headers.set(header.covers, list);
    }
  }

  /**
   * Ids that have a licence text in the root LICENSES/ folder, when the repository follows REUSE (root LICENSES/,
   * REUSE.toml or .reuse/dep5); undefined when it does not. A REUSE.toml deep in a fixture or a vendored folder
   * does not make the whole repository a REUSE one.
   */
  reuseTexts(): Set<string> | undefined {
    const texts = this.entries.filter(
      (e) => e.file.reuseId !== undefined && e.file.path.startsWith('LICENSES/'),
    );
    const rootReuse = this.reuse.sources.some((s) => s.dir === '');
    if (texts.length === 0 && !rootReuse) return undefined;
    return new Set(texts.map((e) => canonicalId(e.file.reuseId!)));
  }

  /**
   * Headers and REUSE annotations: invalid or unknown ids, licences the policy does not allow, and (in a REUSE
   * repository) ids with no text under LICENSES/. One finding per distinct problem, pointing at its first place
   * and counting the rest, so a tree with thousands of identical headers gets one line, not thousands.
   */
  checkHeadersAndAnnotations(): void {
    interface Statement {
      path: string;
      line: number;
      expression: string;
      what: string;
    }
    const statements: Statement[] = [];
    for (const list of this.headers.values()) {
      for (const h of list) {
        statements.push({ path: h.path, line: h.line, expression: h.expression, what: 'header' });
      }
    }
    for (const source of this.reuse.sources) {
      for (const a of source.annotations) {
        for (const expression of a.expressions) {
          statements.push({
            path: a.source,
            line: a.line,
            expression,
            what: `annotation for ${a.paths.join(', ')}`,
          });
        }
      }
    }
    statements.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));

    const texts = this.reuseTexts();
    const groups = new Map<
      string,
      { first: Statement; count: number; build: (s: Statement, more: string) => DraftFinding }
    >();
    const note = (
      key: string,
      statement: Statement,
      build: (s: Statement, more: string) => DraftFinding,
    ): void => {
      const group = groups.get(key);
      if (group === undefined) groups.set(key, { first: statement, count: 1, build });
      else group.count++;
    };

    // Thousands of headers repeat a handful of expressions: each is judged once.
    const verdicts = new Map<string, { unknown: string[]; refused: string[] }>();
    const judge = (expression: string, parsed: ParsedExpression & { ok: true }) => {
      let verdict = verdicts.get(expression);
      if (verdict === undefined) {
        verdict = {
          unknown: parsed.ids.filter((id) => !isKnownId(id)),
          refused: disallowedIds(parsed.tree, (id) => this.isAllowed(id)),
        };
        verdicts.set(expression, verdict);
      }
      return verdict;
    };
    for (const statement of statements) {
      const parsed = this.parse(statement.expression);
      if (!parsed.ok) {
        note(`invalid:${statement.expression}`, statement, (s, more) => ({
          rule: R.header,
          path: s.path,
          line: s.line,
          message: `The SPDX-License-Identifier "${s.expression}" in ${s.path} (${s.what}) is not a valid SPDX expression: ${parsed.error}${more}.`,
          fix: 'Use ids from spdx.org/licenses joined with AND, OR or WITH, e.g. "MIT" or "MIT AND OGL-UK-3.0".',
        }));
        continue;
      }
      const { unknown, refused } = judge(statement.expression, parsed);
      for (const id of unknown) {
        note(`unknown:${id}`, statement, (s, more) => ({
          rule: R.header,
          path: s.path,
          line: s.line,
          message: `${s.path} (${s.what}) names "${id}", which is not on the SPDX licence list${more}.`,
          fix: `Use the SPDX id of the licence (see spdx.org/licenses), or LicenseRef-<name> with its text in LICENSES/ for a licence of your own.`,
        }));
      }
      for (const id of refused) {
        note(`refused:${id}`, statement, (s, more) => ({
          rule: R.header,
          path: s.path,
          line: s.line,
          message: `${s.path} (${s.what}) licenses it under ${nameOf(id)}, which the licence policy does not allow (allowed: ${this.allowedText})${more}.`,
          fix: `Change the identifier to one of ${this.allowedText}, or ask for ${id} to be added to \`licence.allowed\` in the organisation's openly.yml.`,
        }));
      }
      if (texts !== undefined) {
        for (const id of parsed.ids) {
          if (texts.has(id) || unknown.includes(id)) continue;
          note(`text:${id}`, statement, (s, more) => ({
            rule: R.header,
            path: s.path,
            line: s.line,
            message: `${s.path} (${s.what}) names ${id}, but the repository follows REUSE and has no LICENSES/${id}.txt${more}.`,
            fix: `Add the licence text as LICENSES/${id}.txt (\`reuse download ${id}\` fetches it).`,
          }));
        }
      }
    }
    for (const { first, count, build } of groups.values()) {
      const more = count > 1 ? ` (and ${count - 1} more place${count > 2 ? 's' : ''})` : '';
      this.findings.push(build(first, more));
    }
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

  checkPaths(): void {
    for (const rule of this.options.paths) {
      const required = canonicalId(rule.licence);
      const matcher = picomatch(rule.path, { dot: true });
      let matched = 0;
      const failing: Array<{ path: string; coverage: Coverage }> = [];
      let failures = 0;
      for (const path of this.#paths) {
        if (!matcher(path) || /(^|\/)(node_modules|\.git)\//.test(path)) continue;
        matched++;
        const coverage = this.coverageOf(path);
        const ok =
          coverage.ids.some((id) => sameLicence(id, required)) ||
          coverage.equivalents.some((id) => sameLicence(id, required));
        if (ok) continue;
        failures++;
        if (failing.length < MAX_EXAMPLES) failing.push({ path, coverage });
      }
      if (failures === 0) continue;
      const examples = failing
        .map(({ path, coverage }) =>
          coverage.ids.length === 0
            ? `${path} (${coverage.via === 'no licence file' ? 'no licence' : `unidentified licence in ${coverage.via}`})`
            : `${path} (${coverage.ids.join(' + ')} from ${coverage.via})`,
        )
        .join('; ');
      const folder = /^([^*?[{]+)\/\*\*$/.exec(rule.path)?.[1];
      this.findings.push({
        rule: R.path,
        ...(failing[0] === undefined ? {} : { path: failing[0].path }),
        message: `The policy requires ${nameOf(required)} for "${rule.path}", but ${failures} of the ${matched} files there ${failures === 1 ? 'is' : 'are'} not covered by it, e.g. ${examples}.`,
        fix:
          folder === undefined
            ? `Cover these files with ${required}: a licence file with its text in their folder, an SPDX-License-Identifier header, or a REUSE.toml annotation for "${rule.path}".`
            : `Add ${folder}/LICENCE with the ${required} text, or a REUSE.toml annotation with path "${rule.path}" and SPDX-License-Identifier "${required}".`,
      });
    }
  }

  /** Compares a declared expression with the licence files covering the declaring file's folder. */
  compareDeclaration(
    path: string,
    line: number | undefined,
    field: string,
    parsed: ParsedExpression & { ok: true },
  ): void {
    const at = line === undefined ? {} : { line };
    if (this.enabled(R.notAllowed)) {
      const refused = disallowedIds(parsed.tree, (id) => this.isAllowed(id));
      if (refused.length > 0) {
        this.findings.push({
          rule: R.notAllowed,
          path,
          ...at,
          message: `${path} declares ${field} "${parsed.text}", and ${list(refused.map(nameOf))} ${refused.length === 1 ? 'is' : 'are'} not allowed by the licence policy (allowed: ${this.allowedText}).`,
          fix: `Declare one of ${this.allowedText} in ${field} and license the files to match.`,
        });
      }
    }
    if (!this.enabled(R.declaration)) return;
    const covering = this.scopes.forPath(path);
    if (covering.length === 0 || covering.some((f) => f.entry.record.spdx === null)) return;
    const coverage = this.coverageOfDir(dirOf(path));
    const missing = parsed.ids.filter(
      (id) =>
        !coverage.ids.some((c) => sameLicence(c, id)) &&
        !coverage.equivalents.some((c) => sameLicence(c, id)),
    );
    if (missing.length === 0) return;
    this.findings.push({
      rule: R.declaration,
      path,
      ...at,
      message: `${path} declares ${field} "${parsed.text}", but the licence file${covering.length > 1 ? 's' : ''} covering it (${coverage.via}) ${covering.length > 1 ? 'give' : 'gives'} ${list(coverage.ids)}: ${list(missing)} ${missing.length === 1 ? 'has' : 'have'} no licence file.`,
      fix: `Make them agree: declare "${coverage.ids.join(' AND ')}" in ${field}, or add the ${list(missing)} text as a licence file.`,
    });
  }

  invalidDeclaration(
    path: string,
    line: number | undefined,
    field: string,
    parsed: ParsedExpression & { ok: false },
  ): void {
    if (!this.enabled(R.declaration)) return;
    this.findings.push({
      rule: R.declaration,
      severity: 'error',
      path,
      ...(line === undefined ? {} : { line }),
      message: `${path} declares ${field} "${parsed.text}", which is not a valid SPDX expression: ${parsed.error}.`,
      fix: `Write ${field} as an SPDX expression, e.g. "MIT" or "MIT AND OGL-UK-3.0".`,
    });
  }

  checkDeclarations(): void {
    const snapshot = this.#ctx.snapshot;
    for (const path of this.#paths) {
      if (path === 'publiccode.yml' || path === 'publiccode.yaml') this.checkPubliccode(path);
      else if (
        (path === 'package.json' || path.endsWith('/package.json')) &&
        !/(^|\/)node_modules\//.test(path)
      ) {
        const content = snapshot.read(path);
        if (content.kind === 'text') this.checkPackageJson(path, content.text);
      }
    }
  }

  checkPackageJson(path: string, text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      // Invalid JSON breaks npm itself; that is for the build to report, not the licence check.
      return;
    }
    if (typeof json !== 'object' || json === null) return;
    const record = json as Record<string, unknown>;
    let declared: string | undefined;
    let line = lineOf(text, /"license"\s*:/);
    if (typeof record.license === 'string') {
      declared = record.license;
    } else {
      // npm's legacy forms: `license: { type }` or `licenses: [{ type }, ...]`, which meant a choice of licences.
      const legacy = Array.isArray(record.licenses)
        ? (record.licenses as unknown[])
        : typeof record.license === 'object' && record.license !== null
          ? [record.license]
          : [];
      const types = legacy
        .map((l) => (typeof l === 'object' && l !== null ? (l as Record<string, unknown>).type : l))
        .filter((t): t is string => typeof t === 'string');
      if (types.length === 0) return;
      declared = types.length === 1 ? types[0]! : types.map((t) => `(${t})`).join(' OR ');
      line = lineOf(text, /"licen[cs]es?"\s*:/);
      if (this.enabled(R.declaration)) {
        this.findings.push({
          rule: R.declaration,
          severity: 'notice',
          path,
          ...(line === undefined ? {} : { line }),
          message: `${path} uses npm's deprecated ${Array.isArray(record.licenses) ? '`licenses` array' : '`license` object'}.`,
          fix: `Replace it with "license": "${types.join(' OR ')}".`,
        });
      }
    }
    const field = '`license`';
    const trimmed = declared.trim();
    if (trimmed === 'UNLICENSED') {
      const coverage = this.coverageOfDir(dirOf(path));
      if (this.enabled(R.declaration) && coverage.ids.length > 0) {
        this.findings.push({
          rule: R.declaration,
          path,
          ...(line === undefined ? {} : { line }),
          message: `${path} declares "UNLICENSED" (no one may use it), but ${coverage.via} licenses it under ${list(coverage.ids)}.`,
          fix: `Set "license" to "${coverage.ids.join(' AND ')}" in ${path}.`,
        });
      }
      return;
    }
    const see = /^SEE LICEN[CS]E IN\s+(.+)$/i.exec(trimmed);
    if (see !== null) {
      const named = see[1]!.trim().replace(/^\.\//, '');
      const dir = dirOf(path);
      const target = dir === '' ? named : `${dir}/${named}`;
      if (!this.#ctx.snapshot.has(target) && this.enabled(R.declaration)) {
        this.findings.push({
          rule: R.declaration,
          path,
          ...(line === undefined ? {} : { line }),
          message: `${path} says "SEE LICENSE IN ${named}", but there is no ${target} in the repository.`,
          fix: `Point "license" at the licence file that exists, or use its SPDX id instead.`,
        });
      }
      return;
    }
    const parsed = this.parse(trimmed);
    if (parsed.ok) this.compareDeclaration(path, line, field, parsed);
    else this.invalidDeclaration(path, line, field, parsed);
  }

  checkPubliccode(path: string): void {
    const content = this.#ctx.snapshot.read(path);
    if (content.kind !== 'text') return;
    const counter = new LineCounter();
    const doc = parseDocument(content.text, { lineCounter: counter });
    // A broken publiccode.yml is the artefact check's to report; there is nothing to compare here.
    if (doc.errors.length > 0) return;
    const node = doc.getIn(['legal', 'license'], true);
    if (node === undefined || node === null) return;
    const line = isScalar(node) && node.range ? counter.linePos(node.range[0]).line : undefined;
    const value = isScalar(node) ? node.value : undefined;
    const field = '`legal.license`';
    if (typeof value !== 'string') {
      this.invalidDeclaration(path, line, field, {
        ok: false,
        text: String(value),
        error: 'it is not a string',
      });
      return;
    }
    const parsed = this.parse(value);
    if (parsed.ok) this.compareDeclaration(path, line, field, parsed);
    else this.invalidDeclaration(path, line, field, parsed);
  }

  rootReadme(): { path: string; text: string } | undefined {
    for (const path of findRootReadmes(this.#paths)) {
      const content = this.#ctx.snapshot.read(path);
      if (content.kind === 'text') return { path, text: content.text };
    }
    return undefined;
  }

  checkCrownCopyright(): void {
    const places = this.entries
      .filter((e) => e.file.dir === '' && e.text !== undefined)
      .map((e) => ({ path: e.file.path, text: e.text! }));
    const readme = this.rootReadme();
    if (readme !== undefined) places.push(readme);
    if ([...places, ...this.rootNotices].some((p) => hasCrownNotice(p.text))) return;
    const target = places[0]?.path;
    this.findings.push({
      rule: R.crown,
      ...(target === undefined ? {} : { path: target }),
      message: `No Crown copyright notice was found in ${places.length === 0 ? 'the repository (it has no root licence file or README)' : list(places.map((p) => p.path))}.`,
      fix: `Add a copyright line such as "Copyright (c) ${this.#ctx.now().getUTCFullYear()} Crown Copyright (<your organisation>)" to the root licence file.`,
    });
  }

  checkReadme(): void {
    const root = this.entries.filter((e) => e.file.dir === '' && e.record.spdx !== null);
    if (root.length === 0) return;
    const readme = this.rootReadme();
    // Whether a README exists at all is the community-files check's question.
    if (readme === undefined) return;
    // With mixed licensing each root licence must be named (or its file linked), so readers can tell which
    // licence covers which part.
    const targets = linkTargets(readme.text);
    const silent = root.filter(
      (e) =>
        !targets.has(e.file.path.toLowerCase()) && !e.grants.some((id) => mentionsLicence(readme.text, id)),
    );
    if (silent.length === 0) return;
    const ids = [...new Set(silent.flatMap((e) => e.grants))];
    const all = root.length === silent.length;
    this.findings.push({
      rule: R.readme,
      path: readme.path,
      message: `${readme.path} does not ${all ? 'say which licence the project is under' : 'name every licence the project is under'}: ${list(ids)} (${list(silent.map((e) => e.file.path))}) ${ids.length === 1 ? 'is' : 'are'} not named or linked.`,
      fix: `Add a "Licence" section to ${readme.path} naming ${list(ids.map(nameOf))}${all ? '' : ' and saying which parts it covers'}, with a link to ${list(silent.map((e) => e.file.path))}.`,
    });
  }
}

/** A copyright notice naming the Crown, not just the words "Crown copyright" inside a licence's terms (OGL has them). */
export function hasCrownNotice(text: string): boolean {
  return text.split(/\r?\n/).some((line) => {
    const l = line.trim().replace(/^[#>*\-\s]+/, '');
    return (
      /^(?:copyright|©|\(c\)).*\bcrown\s+copyright/i.test(l) ||
      /^crown\s+copyright\b\s*(?:©|\(c\))?\s*\d{4}/i.test(l) ||
      /©\s*crown\s+copyright/i.test(l)
    );
  });
}

function safeDecode(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/**
 * Where a README's links point, as lower-cased repository-relative paths of files at the root (Markdown inline and
 * reference links, HTML href, reStructuredText): `[licence](./LICENCE.md)` gives `licence.md`.
 */
export function linkTargets(text: string): Set<string> {
  const targets = new Set<string>();
  const patterns = [
    /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
    /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm,
    /href\s*=\s*["']([^"']+)["']/gi,
    /<([^>\s]+)>`_/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const target = (match[1] ?? '').replace(/[?#].*$/, '');
      // Links to the file on GitHub (`.../blob/main/LICENCE`) count as links to the file.
      const path = target
        .replace(/^https?:\/\/github\.com\/[^/]+\/[^/]+\/(?:blob|tree|raw)\/[^/]+\//i, '')
        .replace(/^(?:\.\/)+/, '')
        .replace(/^\//, '');
      if (path !== '' && !/^[a-z]+:/i.test(path)) targets.add(safeDecode(path).toLowerCase());
    }
  }
  return targets;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Ways a README may name a licence: its id, its name (either spelling), its short name (`MIT`, `OGL`, `Apache`). */
function licenceAliases(id: string): { exact: string[]; loose: string[] } {
  const exact = new Set<string>([id, id.replace(/-(only|or-later)$/, '')]);
  const loose = new Set<string>();
  const token = /^[A-Za-z]+/.exec(id)?.[0];
  if (token !== undefined && token.length >= 3) exact.add(token);
  const name = licenceName(id);
  if (name !== undefined) {
    for (const variant of [
      name,
      name.replace(/\bLicen[cs]e\b/g, 'Licence'),
      name.replace(/\bLicen[cs]e\b/g, 'License'),
    ]) {
      loose.add(variant);
      const unversioned = variant.replace(/,?\s*(?:v(?:ersion)?\s*)?\d+(?:\.\d+)*.*$/i, '').trim();
      if (unversioned.length >= 6) loose.add(unversioned);
    }
  }
  return { exact: [...exact], loose: [...loose] };
}

/** Whether `text` names the licence `id` (the id and short names in their own case; full names in any case). */
export function mentionsLicence(text: string, id: string): boolean {
  const { exact, loose } = licenceAliases(id);
  const bounded = (alias: string): string => `(?<![\\w-])${escape(alias)}(?![\\w])`;
  if (exact.some((alias) => new RegExp(bounded(alias)).test(text))) return true;
  return loose.some((alias) => new RegExp(bounded(alias), 'i').test(text));
}

function wants(paths: readonly string[]): string[] {
  const wanted = new Set<string>();
  for (const file of findLicenceFiles(paths)) wanted.add(file.path);
  for (const readme of findRootReadmes(paths)) wanted.add(readme);
  for (const path of paths) {
    if (/(^|\/)(node_modules|\.git)\//.test(path)) continue;
    if (
      path === 'package.json' ||
      path.endsWith('/package.json') ||
      path === 'publiccode.yml' ||
      path === 'publiccode.yaml' ||
      path === 'REUSE.toml' ||
      path.endsWith('/REUSE.toml') ||
      path === '.reuse/dep5' ||
      path.endsWith('.license')
    ) {
      wanted.add(path);
    }
  }
  return [...wanted];
}

/**
 * The `licence` check: licence files found and identified, what each covers, REUSE and SPDX headers, package and
 * publiccode declarations, and the organisation's licence policy (allowed licences, licence by path).
 */
export const licenceCheck: Check<LicenceOptions> = {
  id: 'licence',
  title: 'Licence',
  rules: licenceRules,
  wants: (paths) => wants(paths),
  run(ctx) {
    const run = new LicenceRun(ctx);
    const data = run.run();
    return { findings: run.findings, data };
  },
};
