import type { GrepMatch } from '../sources/snapshot.js';

export const SPDX_TAG = 'SPDX-License-Identifier:';

/** How many lines from the top of a file a header may sit in (a shebang, a copyright block, then the tag). */
export const HEADER_LINES = 30;

/** One `SPDX-License-Identifier:` statement, attached to the file it licenses. */
export interface LicenceHeader {
  /** The file the statement licenses: for `logo.png.license`, `logo.png`. */
  covers: string;
  /** Where the statement is written (the file itself, or its `.license` companion). */
  path: string;
  line: number;
  /** The SPDX expression as written, comment markers removed. */
  expression: string;
}

/**
 * Only comment punctuation may come before the tag; a line such as `const tag = 'SPDX-License-Identifier:'` or
 * prose quoting the tag in backticks is about headers, not a header.
 */
const HEADER = /^[\s#/*;!%|{}<>-]*(?:REM\s+|@REM\s+|\.\.\s+|--\s*)?SPDX-License-Identifier:\s*(.*)$/;

/** Comment closers that share the line with the expression: `*\/`, `-->`, `#}`, `--}}`, `"""`. */
const CLOSER = /\s*(?:\*\/|-->|--\}\}|#\}|%\}|"""|'''|\*\)|-\})\s*$/;

/** The expression on a header line, or undefined when the line only mentions the tag. */
export function headerExpression(line: string): string | undefined {
  const match = HEADER.exec(line);
  if (match === null) return undefined;
  const expression = (match[1] ?? '').replace(CLOSER, '').trim();
  return expression;
}

/** A `.license` companion licenses the file it is named after (REUSE): `logo.png.license` → `logo.png`. */
export function companionTarget(path: string): string | undefined {
  if (!path.endsWith('.license')) return undefined;
  const target = path.slice(0, -'.license'.length);
  return target === '' || target.endsWith('/') ? undefined : target;
}

/**
 * Turns grep matches into headers. When a file has a `.license` companion, the companion's statements replace the
 * file's own (REUSE order of precedence). Several tags in one file are all kept: REUSE reads them as AND.
 */
export function collectHeaders(
  matches: readonly GrepMatch[],
  has: (path: string) => boolean,
): LicenceHeader[] {
  const headers: LicenceHeader[] = [];
  const fromCompanion = new Set<string>();
  for (const match of matches) {
    const target = companionTarget(match.path);
    if (target !== undefined && has(target)) fromCompanion.add(target);
  }
  for (const match of matches) {
    const expression = headerExpression(match.text);
    if (expression === undefined) continue;
    const target = companionTarget(match.path);
    const covers = target !== undefined && has(target) ? target : match.path;
    if (covers === match.path && fromCompanion.has(match.path)) continue;
    headers.push({ covers, path: match.path, line: match.line, expression });
  }
  return headers;
}
