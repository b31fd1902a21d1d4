/**
 * Paths inside a root (the Action's workspace, a checkout) that may be trusted: reached without following any link, and files
 * written without writing through one. The root is the runner's; everything below it may come from a pull request,
 * where a committed symbolic link (`openly-status -> ../../scripts`) would otherwise turn a write into a write
 * anywhere the job can reach.
 */
import { lstatSync, mkdirSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A path that may not be used; `path` is relative to the root, with `/` between its parts. */
export class UnsafePathError extends Error {
  override name = 'UnsafePathError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} ${reason}`);
  }
}

/** A folder checked (or made) by `folderInside`: every part below the root a real folder. */
export interface SafeFolder {
  root: string;
  /** Relative to the root, `/` between parts; `.` for the root itself. */
  path: string;
  absolute: string;
  /** Its real path when checked; a file is written only while this still holds. */
  real: string;
  /** How messages name the root, e.g. `the workspace`. */
  where: string;
}

function shown(parts: readonly string[]): string {
  return parts.length === 0 ? '.' : parts.join('/');
}

export function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function linkTarget(path: string): string {
  try {
    // Quoted as JSON: a link's target is any bytes, and the message goes into workflow commands and logs.
    return JSON.stringify(readlinkSync(path));
  } catch {
    return 'an unreadable target';
  }
}

export function linkReason(absolute: string, where: string): string {
  return `is a symbolic link (to ${linkTarget(absolute)}); Openly follows no link inside ${where}`;
}

/**
 * The parts of `given` below `root`, refused when it leaves the root by `..`, is absolute, or names another
 * drive. Only the text is judged here; `checkInside` and `folderInside` look at the disk.
 */
export function partsInside(root: string, given: string, where = 'the workspace'): string[] {
  const rel = relative(resolve(root), resolve(root, given));
  if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) {
    throw new UnsafePathError(given, `is outside ${where}`);
  }
  return rel === '' ? [] : rel.split(sep);
}

/**
 * Checks, for reading, that `given` exists below `root` as a `kind`, reached through real folders only and not
 * itself a link. Returns its absolute path.
 */
export function checkInside(
  root: string,
  given: string,
  kind: 'file' | 'folder',
  where = 'the workspace',
): string {
  const parts = partsInside(root, given, where);
  let absolute = resolve(root);
  for (let i = 0; i < parts.length; i++) {
    absolute = join(absolute, parts[i]!);
    const here = shown(parts.slice(0, i + 1));
    const stats = lstatOrUndefined(absolute);
    if (stats === undefined) throw new UnsafePathError(here, 'does not exist');
    if (stats.isSymbolicLink()) throw new UnsafePathError(here, linkReason(absolute, where));
    const last = i === parts.length - 1;
    if (!last && !stats.isDirectory()) throw new UnsafePathError(here, 'is not a folder');
    if (last && kind === 'file' && !stats.isFile()) throw new UnsafePathError(here, 'is not a file');
    if (last && kind === 'folder' && !stats.isDirectory()) throw new UnsafePathError(here, 'is not a folder');
  }
  if (parts.length === 0) {
    // The root is the runner's own, links and all; it only has to be there.
    const stats = lstatOrUndefined(realpathOrSelf(absolute));
    if (stats === undefined) throw new UnsafePathError('.', 'does not exist');
    if (kind === 'file' || !stats.isDirectory()) throw new UnsafePathError('.', `is not a ${kind}`);
  }
  return absolute;
}

/**
 * The folder `given` below `root`, made where missing, one part at a time so that no part is ever a link followed
 * or made through. Refused when any part is a link or not a folder.
 */
export function folderInside(root: string, given: string, where = 'the workspace'): SafeFolder {
  const parts = partsInside(root, given, where);
  const realRoot = realpathSync(resolve(root));
  let absolute = resolve(root);
  for (let i = 0; i < parts.length; i++) {
    absolute = join(absolute, parts[i]!);
    const here = shown(parts.slice(0, i + 1));
    let stats = lstatOrUndefined(absolute);
    if (stats === undefined) {
      try {
        mkdirSync(absolute);
      } catch (error) {
        // Made meanwhile by someone else: judged below like any folder that was there.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new UnsafePathError(here, `cannot be made: ${(error as Error).message}`);
        }
      }
      stats = lstatSync(absolute);
    }
    if (stats.isSymbolicLink()) throw new UnsafePathError(here, linkReason(absolute, where));
    if (!stats.isDirectory()) throw new UnsafePathError(here, 'is not a folder');
  }
  const real = realpathSync(absolute);
  // A part swapped for a link after it was checked would show here.
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
    throw new UnsafePathError(shown(parts), `leads outside ${where} (to ${JSON.stringify(real)})`);
  }
  return { root: resolve(root), path: shown(parts), absolute, real, where };
}
