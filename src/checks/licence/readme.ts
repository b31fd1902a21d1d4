import { licenceName, licenceUrl } from '../../licences/identify.js';
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

/** An address reduced to what identifies the page: no scheme, `www.`, query, fragment or trailing slash. */
function pageOf(url: string): string {
  return url
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[?#].*$/, '')
    .replace(/\/+$/, '')
    .replace(/\.html?$/, '');
}

/** The web pages a README links to (Markdown inline and reference links, HTML href, bare addresses), as `pageOf`. */
function linkedPages(text: string): Set<string> {
  const pages = new Set<string>();
  for (const match of text.matchAll(/https?:\/\/[^\s)<>"'\]]+/gi)) pages.add(pageOf(match[0]));
  return pages;
}

/**
 * The pages that are a licence's text: the address SPDX gives for it, its SPDX page, and choosealicense.com's.
 * opensource.org moved its pages from `/licenses/ID` to `/license/id`; both are accepted.
 */
function licencePages(id: string): string[] {
  const lower = id.toLowerCase();
  const pages = [`spdx.org/licenses/${lower}`, `choosealicense.com/licenses/${lower}`];
  const url = licenceUrl(id);
  if (url !== undefined) {
    const page = pageOf(url);
    pages.push(page, page.replace('opensource.org/license/', 'opensource.org/licenses/'));
  }
  return pages;
}

/** Whether the README links to a page that is the licence's text (e.g. the National Archives' OGL page). */
export function linksToLicence(text: string, id: string): boolean {
  const linked = linkedPages(text);
  return licencePages(id).some((page) => linked.has(page));
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
  if (loose.some((alias) => new RegExp(bounded(alias), 'i').test(text))) return true;
  // "Open Government 3.0 licence", "Apache 2.0 License": the name's words in order with a version among them.
  const gap = '\\s+(?:(?:v(?:ersion)?\\s*)?\\d+(?:\\.\\d+)*\\s+)?';
  return loose.some((alias) => {
    const words = alias.split(/\s+/).filter((w) => w !== '');
    if (words.length < 2 || /\d/.test(alias)) return false;
    return new RegExp(`(?<![\\w-])${words.map(escape).join(gap)}(?![\\w])`, 'i').test(text);
  });
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
      !targets.has(e.file.path.toLowerCase()) &&
      !e.grants.some((id) => mentionsLicence(readme.text, id) || linksToLicence(readme.text, id)),
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
