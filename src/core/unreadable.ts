import type { DraftFinding, RuleInfo } from './check.js';

/** Rules the engine itself reports, about the snapshot rather than about any one check's subject. */
export const SNAPSHOT_RULES: Record<string, RuleInfo> = {
  'snapshot/unreadable-folder': {
    level: 'notice',
    description:
      'Every folder of the repository can be read. A folder that cannot be opened (no permission, a path too long) hides its files from every check that reads files, so those checks show `warn` with this notice instead of `pass`.',
  },
};

/** A folder the source could not list, as `RepoSnapshot.unreadableFolders` gives it. */
export interface UnreadableFolder {
  path: string;
  reason: string;
}

/** Very long paths (past PATH_MAX, the usual cause) are cut in the middle: both ends say where it is. */
function shortPath(path: string): string {
  return path.length > 160 ? `${path.slice(0, 100)}…${path.slice(-50)}` : path;
}

/** One notice per folder, for a check that read the tree: its verdict does not cover the files in it. */
export function unreadableNotices(folders: readonly UnreadableFolder[]): DraftFinding[] {
  return folders.map((folder) => ({
    rule: 'snapshot/unreadable-folder',
    severity: 'notice',
    message: `The folder ${shortPath(folder.path)}/ could not be read (${folder.reason}), so the files in it were not checked.`,
    fix: 'Make the folder readable (or its path shorter), or list it under exclude: in .github/openly.yml.',
  }));
}
