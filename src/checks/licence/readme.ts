import { licenceName } from '../../licences/identify.js';
import { R } from './rules.js';
import type { LicenceRun } from './state.js';
import { list, nameOf } from './words.js';

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

/** The root README names every root licence, or links to its file. */
export function checkReadme(run: LicenceRun): void {
  const root = run.entries.filter((e) => e.file.dir === '' && e.record.spdx !== null);
  if (root.length === 0) return;
  const readme = run.rootReadme();
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
  run.findings.push({
    rule: R.readme,
    path: readme.path,
    message: `${readme.path} does not ${all ? 'say which licence the project is under' : 'name every licence the project is under'}: ${list(ids)} (${list(silent.map((e) => e.file.path))}) ${ids.length === 1 ? 'is' : 'are'} not named or linked.`,
    fix: `Add a "Licence" section to ${readme.path} naming ${list(ids.map(nameOf))}${all ? '' : ' and saying which parts it covers'}, with a link to ${list(silent.map((e) => e.file.path))}.`,
  });
}
