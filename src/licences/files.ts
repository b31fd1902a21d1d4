/**
 * Finding licence files in a tree and working out which folder each one covers.
 */

/** A licence file found in the tree. */
export interface LicenceFile {
  path: string;
  /** The folder it covers ('' for the root); null for a REUSE licence text (`LICENSES/<id>.txt`). */
  dir: string | null;
  /** For a REUSE licence text, the SPDX id its name declares (`LICENSES/MIT.txt` → `MIT`). */
  reuseId?: string;
}

/** Base name, then an optional suffix that names the licence or the format: `LICENCE-OGL.md`, `COPYING.LESSER`. */
const LICENCE_NAME = /^(?:licen[cs]e|copying|unlicen[cs]e)(?:[-_.][a-z0-9][a-z0-9._+-]*)?$/i;

/** Extensions that mark a source, data or build file named after licences (`license.ts`, `licenses.json`). */
const NOT_A_LICENCE =
  /\.(?:[cm]?[jt]sx?|py|pyc|rb|go|rs|java|kt|kts|scala|swift|cs|fs|vb|php|pl|pm|sh|bash|zsh|ps1|bat|cmd|c|h|cc|cpp|hpp|m|mm|r|jl|lua|dart|ex|exs|erl|clj|groovy|gradle|json|jsonc|json5|ya?ml|toml|xml|ini|cfg|conf|lock|csv|tsv|sql|css|scss|sass|less|vue|svelte|astro|erb|njk|liquid|hbs|mustache|twig|ejs|pug|png|jpe?g|gif|svg|ico|webp|pdf|docx?|odt|xlsx?|zip|gz|tgz|jar|class|o|so|dll|exe|map|snap|license|spdx|sig|asc)$/i;

/** Folders whose contents belong to someone else's build, not to this repository. */
const SKIPPED_FOLDER = /(?:^|\/)(?:node_modules|\.git)\//;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** Whether a base name is a licence file's (`LICENCE`, `license-mit`, `COPYING.LESSER`), not a source file's. */
export function isLicenceFileName(name: string): boolean {
  return LICENCE_NAME.test(name) && !NOT_A_LICENCE.test(name);
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

/** Every licence file in the tree, in tree order. Skips `node_modules/` and `.git/`. */
export function findLicenceFiles(paths: readonly string[]): LicenceFile[] {
  const found: LicenceFile[] = [];
  for (const path of paths) {
    if (SKIPPED_FOLDER.test(path)) continue;
    const reuseId = reuseText(path);
    if (reuseId !== undefined) {
      found.push({ path, dir: null, reuseId });
      continue;
    }
    if (isLicenceFileName(baseName(path))) found.push({ path, dir: dirOf(path) });
  }
  return found;
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
