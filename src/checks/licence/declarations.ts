import { excerpt } from '../../core/printable.js';
import { disallowedIds, sameLicence, type ParsedExpression } from '../../licences/expression.js';
import { dirOf } from '../../licences/files.js';
import { parseYaml, toPointer } from '../../parse/yaml.js';
import { R } from './rules.js';
import type { LicenceRun } from './state.js';
import { list, listSome, nameOf } from './words.js';

/** The 1-based line of the first line matching `pattern`, or undefined. */
function lineOf(text: string, pattern: RegExp): number | undefined {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((line) => pattern.test(line));
  return index === -1 ? undefined : index + 1;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Compares a declared expression with the licence files covering the declaring file's folder. */
function compareDeclaration(
  run: LicenceRun,
  path: string,
  line: number | undefined,
  field: string,
  parsed: ParsedExpression & { ok: true },
): void {
  const at = line === undefined ? {} : { line };
  if (run.enabled(R.notAllowed)) {
    const refused = disallowedIds(parsed.tree, (id) => run.isAllowed(id));
    if (refused.length > 0) {
      run.findings.push({
        rule: R.notAllowed,
        path,
        ...at,
        message: `${path} declares ${field} "${excerpt(parsed.text)}", and ${listSome(refused.map(nameOf))} ${refused.length === 1 ? 'is' : 'are'} not allowed by the licence policy (allowed: ${run.allowedText}).`,
        fix: `Declare one of ${run.allowedText} in ${field} and license the files to match.`,
      });
    }
  }
  if (!run.enabled(R.declaration)) return;
  const covering = run.scopes.forPath(path);
  if (covering.length === 0 || covering.some((f) => f.entry.record.spdx === null)) return;
  const coverage = run.coverageOfDir(dirOf(path));
  const missing = parsed.ids.filter(
    (id) =>
      !coverage.ids.some((c) => sameLicence(c, id)) && !coverage.equivalents.some((c) => sameLicence(c, id)),
  );
  if (missing.length === 0) return;
  run.findings.push({
    rule: R.declaration,
    path,
    ...at,
    message: `${path} declares ${field} "${excerpt(parsed.text)}", but the licence file${covering.length > 1 ? 's' : ''} covering it (${coverage.via}) ${covering.length > 1 ? 'give' : 'gives'} ${list(coverage.ids)}: ${listSome(missing)} ${missing.length === 1 ? 'has' : 'have'} no licence file.`,
    fix: `Make them agree: declare "${coverage.ids.join(' AND ')}" in ${field}, or add the ${listSome(missing)} text as a licence file.`,
  });
}

function invalidDeclaration(
  run: LicenceRun,
  path: string,
  line: number | undefined,
  field: string,
  parsed: ParsedExpression & { ok: false },
): void {
  if (!run.enabled(R.declaration)) return;
  run.findings.push({
    rule: R.declaration,
    severity: 'error',
    path,
    ...(line === undefined ? {} : { line }),
    message: `${path} declares ${field} "${excerpt(parsed.text)}", which is not a valid SPDX expression: ${parsed.error}.`,
    fix: `Write ${field} as an SPDX expression, e.g. "MIT" or "MIT AND OGL-UK-3.0".`,
  });
}

function checkPackageJson(run: LicenceRun, path: string, text: string): void {
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
    if (run.enabled(R.declaration)) {
      run.findings.push({
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
    const coverage = run.coverageOfDir(dirOf(path));
    if (run.enabled(R.declaration) && coverage.ids.length > 0) {
      run.findings.push({
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
    if (!run.ctx.snapshot.has(target) && run.enabled(R.declaration)) {
      run.findings.push({
        rule: R.declaration,
        path,
        ...(line === undefined ? {} : { line }),
        message: `${path} says "SEE LICENSE IN ${named}", but there is no ${target} in the repository.`,
        fix: `Point "license" at the licence file that exists, or use its SPDX id instead.`,
      });
    }
    return;
  }
  const parsed = run.parse(trimmed);
  if (parsed.ok) compareDeclaration(run, path, line, field, parsed);
  else invalidDeclaration(run, path, line, field, parsed);
}

function checkPubliccode(run: LicenceRun, path: string): void {
  const content = run.ctx.snapshot.read(path);
  if (content.kind !== 'text') return;
  const yaml = parseYaml(content.text);
  // A broken publiccode.yml is the artefact check's to report; there is nothing to compare here.
  if (yaml.problems.some((problem) => problem.severity === 'error')) return;
  const legal = isMapping(yaml.value) ? yaml.value.legal : undefined;
  if (!isMapping(legal) || !Object.hasOwn(legal, 'license')) return;
  const declared = legal.license;
  // A list or a mapping is no licence expression, and has no one line to point at.
  const scalar = declared === null || typeof declared !== 'object';
  const line = scalar ? yaml.locate(toPointer(['legal', 'license'])).line : undefined;
  const field = '`legal.license`';
  if (typeof declared !== 'string') {
    invalidDeclaration(run, path, line, field, {
      ok: false,
      text:
        typeof declared === 'number' || typeof declared === 'boolean' || declared === null
          ? String(declared)
          : 'undefined',
      error: 'it is not a string',
    });
    return;
  }
  const parsed = run.parse(declared);
  if (parsed.ok) compareDeclaration(run, path, line, field, parsed);
  else invalidDeclaration(run, path, line, field, parsed);
}

/** package.json `license` and publiccode.yml `legal.license`: valid, allowed, and agreeing with the licence files. */
export function checkDeclarations(run: LicenceRun): void {
  const snapshot = run.ctx.snapshot;
  for (const path of run.paths) {
    run.ctx.checkpoint();
    if (path === 'publiccode.yml' || path === 'publiccode.yaml') checkPubliccode(run, path);
    else if (
      (path === 'package.json' || path.endsWith('/package.json')) &&
      !/(^|\/)node_modules\//.test(path)
    ) {
      const content = snapshot.read(path);
      if (content.kind === 'text') checkPackageJson(run, path, content.text);
    }
  }
}
