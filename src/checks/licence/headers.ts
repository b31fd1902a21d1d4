import type { DraftFinding } from '../../core/check.js';
import { excerpt } from '../../core/printable.js';
import { canonicalId, disallowedIds, isKnownId, type ParsedExpression } from '../../licences/expression.js';
import { collectHeaders, HEADER_LINES, SPDX_TAG } from '../../licences/headers.js';
import { parseDep5, parseReuseToml, ReuseIndex, type ReuseSource } from '../../licences/reuse.js';
import { R } from './rules.js';
import type { LicenceRun } from './state.js';
import { nameOf } from './words.js';

/** Reads the REUSE files (REUSE.toml, .reuse/dep5) into `run.reuse`, reporting those that cannot be used. */
export function loadReuse(run: LicenceRun): void {
  const snapshot = run.ctx.snapshot;
  const sources: ReuseSource[] = [];
  const candidates = run.paths.filter(
    (p) =>
      (p === 'REUSE.toml' || p.endsWith('/REUSE.toml') || p === '.reuse/dep5') &&
      !/(^|\/)node_modules\//.test(p),
  );
  for (const path of candidates) {
    run.ctx.checkpoint();
    const content = snapshot.read(path);
    if (content.kind !== 'text') {
      if (run.enabled(R.header)) {
        run.findings.push({
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
    if (run.enabled(R.header)) {
      for (const problem of parsed.problems) run.findings.push({ rule: R.header, ...problem });
    }
    if (parsed.source !== undefined) sources.push(parsed.source);
  }
  run.reuse = new ReuseIndex(sources);
}

/** Reads the SPDX-License-Identifier headers of every file into `run.headers`, by the path each covers. */
export function loadHeaders(run: LicenceRun): void {
  const snapshot = run.ctx.snapshot;
  const result = snapshot.grep(SPDX_TAG, { maxLines: HEADER_LINES });
  const matches = result.matches.filter((m) => !/(^|\/)node_modules\//.test(m.path));
  for (const header of collectHeaders(matches, (p) => snapshot.has(p))) {
    run.ctx.checkpoint();
    const list = run.headers.get(header.covers) ?? [];
    list.push(header);
    run.headers.set(header.covers, list);
  }
}

/**
 * Ids that have a licence text in the root LICENSES/ folder, when the repository follows REUSE (root LICENSES/,
 * REUSE.toml or .reuse/dep5); undefined when it does not. A REUSE.toml deep in a fixture or a vendored folder
 * does not make the whole repository a REUSE one.
 */
function reuseTexts(run: LicenceRun): Set<string> | undefined {
  const texts = run.entries.filter(
    (e) => e.file.reuseId !== undefined && e.file.path.startsWith('LICENSES/'),
  );
  const rootReuse = run.reuse.sources.some((s) => s.dir === '');
  if (texts.length === 0 && !rootReuse) return undefined;
  return new Set(texts.map((e) => canonicalId(e.file.reuseId!)));
}

interface Statement {
  path: string;
  line: number;
  expression: string;
  what: string;
}

/**
 * Headers and REUSE annotations: invalid or unknown ids, licences the policy does not allow, and (in a REUSE
 * repository) ids with no text under LICENSES/. One finding per distinct problem, pointing at its first place
 * and counting the rest, so a tree with thousands of identical headers gets one line, not thousands.
 */
export function checkHeadersAndAnnotations(run: LicenceRun): void {
  const statements: Statement[] = [];
  for (const list of run.headers.values()) {
    run.ctx.checkpoint();
    for (const h of list) {
      statements.push({ path: h.path, line: h.line, expression: h.expression, what: 'header' });
    }
  }
  for (const source of run.reuse.sources) {
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

  const texts = reuseTexts(run);
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
        refused: disallowedIds(parsed.tree, (id) => run.isAllowed(id)),
      };
      verdicts.set(expression, verdict);
    }
    return verdict;
  };
  for (const statement of statements) {
    const parsed = run.parse(statement.expression);
    if (!parsed.ok) {
      note(`invalid:${statement.expression}`, statement, (s, more) => ({
        rule: R.header,
        path: s.path,
        line: s.line,
        message: `The SPDX-License-Identifier "${excerpt(s.expression)}" in ${s.path} (${s.what}) is not a valid SPDX expression: ${parsed.error}${more}.`,
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
        message: `${s.path} (${s.what}) names "${excerpt(id)}", which is not on the SPDX licence list${more}.`,
        fix: `Use the SPDX id of the licence (see spdx.org/licenses), or LicenseRef-<name> with its text in LICENSES/ for a licence of your own.`,
      }));
    }
    for (const id of refused) {
      note(`refused:${id}`, statement, (s, more) => ({
        rule: R.header,
        path: s.path,
        line: s.line,
        message: `${s.path} (${s.what}) licenses it under ${nameOf(id)}, which the licence policy does not allow (allowed: ${run.allowedText})${more}.`,
        fix: `Change the identifier to one of ${run.allowedText}, or ask for ${id} to be added to \`licence.allowed\` in the organisation's openly.yml.`,
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
    run.findings.push(build(first, more));
  }
}
