/**
 * Writes files inside a root (the Action's workspace) without writing through a link; the checks of the path on the
 * way are `sources/safe-path.ts`'s, shared with the reading of a checkout's configuration.
 */
import { closeSync, constants, fstatSync, openSync, realpathSync, writeSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { linkReason, lstatOrUndefined, UnsafePathError, type SafeFolder } from '../sources/safe-path.js';

export {
  checkInside,
  folderInside,
  partsInside,
  UnsafePathError,
  type SafeFolder,
} from '../sources/safe-path.js';

// Missing on Windows, where the lstat before the open and the checks after it stand alone.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO with no reader fails the open at once instead of blocking the step.
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Writes `data` to the file `name` in `folder`, never through a link: a symbolic link at that name is refused (its
 * target untouched), as are a folder, a FIFO or device, and a file with other hard links, whose other names would
 * change too. The file is truncated only once the open file is known to be the one checked. Returns its path
 * relative to the root.
 */
export function writeInside(folder: SafeFolder, name: string, data: string | Uint8Array): string {
  if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name)) {
    throw new UnsafePathError(name, 'is not a file name');
  }
  const here = folder.path === '.' ? name : `${folder.path}/${name}`;
  const absolute = join(folder.absolute, name);
  const before = lstatOrUndefined(absolute);
  if (before?.isSymbolicLink()) {
    throw new UnsafePathError(here, `${linkReason(absolute, folder.where)}, so it was not written`);
  }
  let fd: number;
  try {
    // No O_TRUNC: nothing may change before the checks below.
    fd = openSync(absolute, constants.O_WRONLY | constants.O_CREAT | NOFOLLOW | NONBLOCK, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UnsafePathError(here, 'is a symbolic link, so it was not written');
    if (code === 'EISDIR') throw new UnsafePathError(here, 'is a folder, not a file');
    if (code === 'ENXIO') throw new UnsafePathError(here, 'is not a regular file (a FIFO?)');
    throw new UnsafePathError(here, `cannot be written: ${(error as Error).message}`);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw new UnsafePathError(here, 'is not a regular file');
    if (opened.nlink > 1) {
      throw new UnsafePathError(
        here,
        `has ${opened.nlink - 1} other hard link${opened.nlink === 2 ? '' : 's'}, which writing would change too`,
      );
    }
    const now = lstatOrUndefined(absolute);
    if (
      now === undefined ||
      now.ino !== opened.ino ||
      now.dev !== opened.dev ||
      realpathSync(folder.absolute) !== folder.real
    ) {
      throw new UnsafePathError(here, 'changed while it was being opened, so it was not written');
    }
    ftruncateSync(fd, 0);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, written);
  } finally {
    closeSync(fd);
  }
  return here;
}
