import { createRequire } from 'node:module';
import { didYouMean } from '../parse/suggest.js';

const require = createRequire(import.meta.url);

let current: Set<string> | undefined;
let deprecated: Set<string> | undefined;
let lowerCase: Map<string, string> | undefined;

function lists(): { current: Set<string>; deprecated: Set<string>; lowerCase: Map<string, string> } {
  current ??= new Set(require('spdx-license-ids') as string[]);
  deprecated ??= new Set(require('spdx-license-ids/deprecated.json') as string[]);
  if (lowerCase === undefined) {
    lowerCase = new Map();
    for (const id of current) lowerCase.set(id.toLowerCase(), id);
  }
  return { current, deprecated, lowerCase };
}

/**
 * Names people write for licences instead of their SPDX ids. Spelling-distance alone would turn "OGL-3.0" into
 * "OGC-1.0" (a different licence), so the common ones are spelt out.
 */
const ALIASES: Record<string, string> = {
  ogl: 'OGL-UK-3.0',
  'ogl-3': 'OGL-UK-3.0',
  'ogl-3.0': 'OGL-UK-3.0',
  'ogl-v3': 'OGL-UK-3.0',
  'ogl-v3.0': 'OGL-UK-3.0',
  'ogl-uk': 'OGL-UK-3.0',
  'ogl-uk-3': 'OGL-UK-3.0',
  'ogl-uk-v3': 'OGL-UK-3.0',
  'open-government-licence': 'OGL-UK-3.0',
  'open-government-license': 'OGL-UK-3.0',
  'open-government-licence-v3': 'OGL-UK-3.0',
  'open-government-licence-v3.0': 'OGL-UK-3.0',
  'open-government-licence-3.0': 'OGL-UK-3.0',
  'open-government-license-v3.0': 'OGL-UK-3.0',
  mit: 'MIT',
  'the-mit': 'MIT',
  'mit-licence': 'MIT',
  'mit-license': 'MIT',
  apache: 'Apache-2.0',
  'apache-2': 'Apache-2.0',
  'apache-v2': 'Apache-2.0',
  'apache-licence-2.0': 'Apache-2.0',
  'apache-license-2.0': 'Apache-2.0',
  'apache-licence-version-2.0': 'Apache-2.0',
  'apache-license-version-2.0': 'Apache-2.0',
  gpl: 'GPL-3.0-only',
  'gpl-3': 'GPL-3.0-only',
  gplv3: 'GPL-3.0-only',
  'gpl-v3': 'GPL-3.0-only',
  'gpl-2': 'GPL-2.0-only',
  gplv2: 'GPL-2.0-only',
  'agpl-3': 'AGPL-3.0-only',
  'lgpl-3': 'LGPL-3.0-only',
  'mpl-2': 'MPL-2.0',
  'cc-by': 'CC-BY-4.0',
  'cc-by-4': 'CC-BY-4.0',
  'cc-by-sa': 'CC-BY-SA-4.0',
  cc0: 'CC0-1.0',
  'bsd-3': 'BSD-3-Clause',
  'bsd-2': 'BSD-2-Clause',
  'eupl-1.2': 'EUPL-1.2',
};

/** `LicenseRef-` ids name a licence of the repository's own (SPDX 2.3 annex D: letters, digits, `.` and `-`). */
const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;

/** Whether `id` is an SPDX licence id (current or deprecated) or a `LicenseRef-…` id, spelt exactly. */
export function isLicenceId(id: string): boolean {
  const { current: ids, deprecated: old } = lists();
  return ids.has(id) || old.has(id) || LICENSE_REF.test(id);
}

/** Whether `id` is an SPDX id that SPDX has replaced, such as `GPL-3.0` (now `GPL-3.0-only` or `-or-later`). */
export function isDeprecatedLicenceId(id: string): boolean {
  return lists().deprecated.has(id);
}

/** The SPDX id a person most likely meant by `text` (`MIT License` → `MIT`, `OGL-3.0` → `OGL-UK-3.0`). */
export function suggestLicenceId(text: string): string | undefined {
  const { current: ids, lowerCase: lower } = lists();
  const trimmed = text.trim();
  const exactCase = lower.get(trimmed.toLowerCase());
  if (exactCase !== undefined) return exactCase;
  const key = trimmed
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/\(.*?\)/g, '')
    .replace(/-+$/, '');
  const alias = ALIASES[key] ?? ALIASES[key.replace(/-(licen[cs]e|version)$/, '').replace(/^the-/, '')];
  if (alias !== undefined) return alias;
  const bare = key.replace(/-licen[cs]e$/, '').replace(/^the-/, '');
  const again = lower.get(bare) ?? lower.get(bare.replace(/-v?(\d)/, '-$1'));
  if (again !== undefined) return again;
  return didYouMean(trimmed, ids);
}
