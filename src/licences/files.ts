/**
 * Finding licence files in a tree and working out which folder each one covers.
 *
 * Names are judged as GitHub's licensee judges a project's files: `LICENCE`, `LICENSE`, `COPYING` and `UNLICENSE`,
 * alone or with one extension, are licence files by name; a licence word joined to a qualifier (`LICENCE-OGL.md`,
 * `MIT-LICENSE.md`, `LICENSE_APACHE`, `COPYRIGHT`) names a licence file too; any other name holding the word
 * (`code-licence-and-copyright.md`) might be one, and only its text can tell.
 */
import { listedIds } from './ids.js';

/**
 * How sure a file's name makes it that the file holds a licence:
 * - `strict`: the usual name; a text that is no known licence is still reported, as an unknown licence.
 * - `named`: a licence word with a qualifier that names a licence or a part of the project; counts when its text is
 *   a licence or names one, and is passed over quietly otherwise.
 * - `loose`: the word among others, as a page about licensing is named; counts only when it holds a licence's text.
 */
export type LicenceNaming = 'strict' | 'named' | 'loose';

/** A licence file found in the tree. */
export interface LicenceFile {
  path: string;
  /** The folder it covers ('' for the root); null for a REUSE licence text (`LICENSES/<id>.txt`). */
  dir: string | null;
  /** For a REUSE licence text, the SPDX id its name declares (`LICENSES/MIT.txt` → `MIT`). */
  reuseId?: string;
  /** How much its name alone says; REUSE licence texts are `strict`. */
  naming: LicenceNaming;
}

/** Extensions that mark a source, data or build file named after licences (`license.ts`, `licenses.json`). */
const NOT_A_LICENCE =
  /\.(?:[cm]?[jt]sx?|py|pyc|rb|go|rs|java|kt|kts|scala|swift|cs|fs|vb|php|pl|pm|sh|bash|zsh|ps1|bat|cmd|c|h|cc|cpp|hpp|m|mm|r|jl|lua|dart|ex|exs|erl|clj|groovy|gradle|gemspec|json|jsonc|json5|ya?ml|toml|xml|ini|cfg|conf|lock|csv|tsv|sql|css|scss|sass|less|vue|svelte|astro|erb|njk|liquid|hbs|mustache|twig|ejs|pug|png|jpe?g|gif|svg|ico|webp|pdf|docx?|odt|xlsx?|zip|gz|tgz|jar|class|o|so|dll|exe|map|snap|license|spdx|header|sig|asc)$/i;

/** Folders whose contents belong to someone else's build, not to this repository. */
const SKIPPED_FOLDER = /(?:^|\/)(?:node_modules|\.git)\//;

/** The usual names: a licence word, then at most one extension (`LICENCE.md`, `COPYING.LESSER`, `LICENSE.MIT`). */
const STRICT_NAME = /^(?:(?:un)?licen[cs]e|copying)(?:\.[^.]+)?$/i;

/** A quick test that most names of a large tree fail, before the finer ones. */
const MENTIONS_LICENCE = /licen[cs]e|copying|copyright/i;

/** The words that make a name a licence file's, as words of the name (not `licensee`, not `licensing`). */
const LICENCE_WORD = /^(?:(?:un)?licen[cs]es?|copying|copyright)$/i;

/**
 * Files that list the licences of other people's code bundled with the project: their licences are not the
 * project's own, and counting them as its licence files would report licences it never chose.
 */
const OTHERS_LICENCES =
  /(?:^|[-_. ])(?:third|3rd)[-_ ]?part(?:y|ies)|(?:^|[-_. ])(?:notices|dependencies|vendor(?:ed)?|bundled)(?:$|[-_. ])/i;

/** Extensions of text formats, which say nothing about which licence a file holds. */
const FORMAT_EXT = /\.(?:md|markdown|mdown|txt|text|rst|adoc|asciidoc|org|textile|rdoc|html?|rtf)$/i;

/** The extensions licensee prefers for a licence file. */
const PREFERRED_EXT = /\.(?:md|markdown|txt|html)$/i;

/** Qualifiers that name a part of a project rather than a licence (`LICENCE-docs.md`, `COPYING.LESSER`). */
const PART_WORDS = new Set([
  'code',
  'codebase',
  'software',
  'source',
  'docs',
  'doc',
  'documentation',
  'content',
  'data',
  'text',
  'full',
  'dual',
  'lesser',
  'library',
  'lib',
  'en',
  'cy',
  'gb',
  'english',
  'welsh',
  'original',
]);

let spdxWords: Set<string> | undefined;

/** Every word of an SPDX licence id (`mit`, `ogl`, `apache`, `clause`, `later`), lower-cased. */
function licenceIdWords(): Set<string> {
  if (spdxWords === undefined) {
    spdxWords = new Set();
    for (const id of listedIds()) for (const word of id.toLowerCase().split(/[-._+]/)) spdxWords.add(word);
  }
  return spdxWords;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** What a base name says of a file: how it counts as a licence file, and how usual a name it is (higher first). */
export function licenceNaming(name: string): { naming: LicenceNaming; score: number } | undefined {
  if (!MENTIONS_LICENCE.test(name) || name.startsWith('.') || NOT_A_LICENCE.test(name)) return undefined;
  if (STRICT_NAME.test(name)) {
    const word = /^(?:un)?licen[cs]e/i.test(name) ? 0 : 1;
    const plain = !name.includes('.');
    const format = PREFERRED_EXT.test(name);
    // licensee's order: LICENCE, LICENCE.md, COPYING, COPYING.md, LICENCE.other, COPYING.other.
    return {
      naming: 'strict',
      score: plain ? 1 - word * 0.1 : format ? 0.95 - word * 0.1 : 0.8 - word * 0.05,
    };
  }
  if (OTHERS_LICENCES.test(name)) return undefined;
  const stem = name.replace(FORMAT_EXT, '');
  const words = stem.split(/[-_. ]+|(?<=[a-z])(?=\d)/i).filter((w) => w !== '');
  const at = words.findIndex((w) => LICENCE_WORD.test(w));
  if (at === -1) return undefined;
  const word = words[at]!.toLowerCase();
  const rest = words.filter((_, i) => i !== at).map((w) => w.toLowerCase());
  const known = licenceIdWords();
  const qualified = rest.every((w) => /^\d+$/.test(w) || known.has(w) || PART_WORDS.has(w));
  if (!qualified) return { naming: 'loose', score: 0.1 };
  if (word.startsWith('copyright')) return { naming: 'named', score: rest.length === 0 ? 0.35 : 0.2 };
  const copying = word === 'copying' ? 0.05 : 0;
  return { naming: 'named', score: (at === 0 ? 0.7 : 0.6) - copying };
}

/** Whether a base name is a licence file's (`LICENCE`, `license-mit`, `COPYING.LESSER`), not a source file's. */
export function isLicenceFileName(name: string): boolean {
  return licenceNaming(name) !== undefined;
}

/** `LICENSES/<id>.<ext>` as REUSE lays out licence texts; the parent folder may be anywhere. */
function reuseText(path: string): string | undefined {
  const match = /(?:^|\/)LICENSES\/([^/]+)$/i.exec(path);
  if (match === null) return undefined;
  const name = match[1]!;
  const dot = name.lastIndexOf('.');
  const id = dot > 0 ? name.slice(0, dot) : name;
  if (id.endsWith('.license') || name.endsWith('.license')) return undefined;
  return id;
}

/**
 * Every licence file in the tree: folder by folder in tree order, and within a folder the usual names first
 * (`LICENSE` before `MIT-LICENSE.md`), as GitHub shows them. Skips `node_modules/` and `.git/`.
 */
export function findLicenceFiles(paths: readonly string[]): LicenceFile[] {
  const byDir = new Map<string, { file: LicenceFile; score: number }[]>();
  for (const path of paths) {
    if (SKIPPED_FOLDER.test(path)) continue;
    const reuseId = reuseText(path);
    let found: { file: LicenceFile; score: number } | undefined;
    if (reuseId !== undefined) {
      found = { file: { path, dir: null, reuseId, naming: 'strict' }, score: 1 };
    } else {
      const named = licenceNaming(baseName(path));
      if (named !== undefined) {
        found = { file: { path, dir: dirOf(path), naming: named.naming }, score: named.score };
      }
    }
    if (found === undefined) continue;
    const dir = dirOf(path);
    const list = byDir.get(dir) ?? [];
    list.push(found);
    byDir.set(dir, list);
  }
  const files: LicenceFile[] = [];
  for (const list of byDir.values()) {
    list.sort((a, b) => b.score - a.score);
    for (const { file } of list) files.push(file);
  }
  return files;
}

/** The glob a licence file in `dir` covers, as the JSON report shows it: `**` at the root, `docs/**` below. */
export function scopeGlob(dir: string | null): string | null {
  if (dir === null) return null;
  return dir === '' ? '**' : `${dir}/**`;
}

/**
 * Which licence files cover a folder: those in the nearest folder at or above it that has any. All licence files
 * of that folder apply together (a root `LICENCE` for MIT and `LICENCE-OGL.md` for OGL both cover the root).
 * Results are memoised per folder, so asking for every file of a large tree costs one walk per distinct folder.
 */
export class LicenceScopes<T extends { dir: string | null }> {
  readonly #byDir = new Map<string, T[]>();
  readonly #memo = new Map<string, readonly T[]>();

  constructor(files: readonly T[]) {
    for (const file of files) {
      if (file.dir === null) continue;
      const list = this.#byDir.get(file.dir) ?? [];
      list.push(file);
      this.#byDir.set(file.dir, list);
    }
  }

  /** The licence files that cover files directly in `dir` ('' for the root); empty when none does. */
  forDir(dir: string): readonly T[] {
    const known = this.#memo.get(dir);
    if (known !== undefined) return known;
    const here = this.#byDir.get(dir);
    const result = here ?? (dir === '' ? [] : this.forDir(dirOf(dir)));
    this.#memo.set(dir, result);
    return result;
  }

  /** The licence files that cover a file. */
  forPath(path: string): readonly T[] {
    return this.forDir(dirOf(path));
  }

  /** Folders that hold licence files, for the data of the report. */
  get folders(): string[] {
    return [...this.#byDir.keys()];
  }
}

/** Root README files, best first: the one GitHub would show. */
export function findRootReadmes(paths: readonly string[]): string[] {
  return paths
    .filter(
      (p) =>
        !p.includes('/') &&
        /^readme(?:\.(?:md|markdown|mdown|txt|rst|adoc|asciidoc|org|textile|rdoc|html))?$/i.test(p),
    )
    .sort((a, b) => Number(/\.md$/i.test(b)) - Number(/\.md$/i.test(a)));
}
