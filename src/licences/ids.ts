/**
 * The SPDX licence ids, in one place. Two published lists are read, each lazily, on first use:
 * - `spdx-license-ids`: every current and deprecated id; what config values and licence expressions are held to.
 * - `spdx-license-list`: the ids whose texts Openly has, with their full names; what identification can answer.
 * They differ by a few ids (the newest ids arrive in the first before their texts reach the second; the second
 * also keeps the old `+` forms), so each question below says which list it asks.
 */
import { createRequire } from 'node:module';
import parseSpdx from 'spdx-expression-parse';
import { didYouMean } from '../parse/suggest.js';

const require = createRequire(import.meta.url);

interface IdLists {
  current: Set<string>;
  deprecated: Set<string>;
  /** Upper-cased id, current or deprecated → the id as SPDX spells it. */
  byUpperCase: Map<string, string>;
  /** Lower-cased current id → the id as SPDX spells it. */
  currentByLowerCase: Map<string, string>;
}

let idLists: IdLists | undefined;

function spdxIds(): IdLists {
  if (idLists === undefined) {
    const current = require('spdx-license-ids') as string[];
    const deprecated = require('spdx-license-ids/deprecated.json') as string[];
    idLists = {
      current: new Set(current),
      deprecated: new Set(deprecated),
      byUpperCase: new Map([...current, ...deprecated].map((id) => [id.toUpperCase(), id] as const)),
      currentByLowerCase: new Map(current.map((id) => [id.toLowerCase(), id] as const)),
    };
  }
  return idLists;
}

/** `LicenseRef-` ids name a licence of the repository's own (SPDX 2.3 annex D: letters, digits, `.` and `-`). */
const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;

/** Whether `id` is an SPDX licence id, current or deprecated, spelt exactly. */
export function isSpdxId(id: string): boolean {
  const { current, deprecated } = spdxIds();
  return current.has(id) || deprecated.has(id);
}

/** Whether `id` is an SPDX licence id (current or deprecated) or a `LicenseRef-…` id, spelt exactly. */
export function isLicenceId(id: string): boolean {
  return isSpdxId(id) || LICENSE_REF.test(id);
}

/** Whether `id` is an SPDX id that SPDX has replaced, such as `GPL-3.0` (now `GPL-3.0-only` or `-or-later`). */
export function isDeprecatedLicenceId(id: string): boolean {
  return spdxIds().deprecated.has(id);
}

/**
 * Whether `id`, with a `+` or not, is on the SPDX list (current or deprecated) as spelt, or a `LicenseRef-` of the
 * project's own (with a `DocumentRef-…:` before it, as expressions may write it).
 */
export function isKnownId(id: string): boolean {
  const bare = id.replace(/\+$/, '');
  return (
    spdxIds().byUpperCase.get(bare.toUpperCase()) === bare ||
    /^(DocumentRef-[\w.-]+:)?LicenseRef-[\w.-]+$/.test(bare)
  );
}

/** The id, current or deprecated, as SPDX spells it when `id` matches it up to case. */
export function spdxCasing(id: string): string | undefined {
  return spdxIds().byUpperCase.get(id.toUpperCase());
}

/** The id as SPDX spells it when `id` differs only in case, for a "did you mean" hint. */
export function suggestId(id: string): string | undefined {
  const found = spdxCasing(id.trim().replace(/\+$/, ''));
  return found !== undefined && found !== id.trim() ? found : undefined;
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

/** The SPDX id a person most likely meant by `text` (`MIT License` → `MIT`, `OGL-3.0` → `OGL-UK-3.0`). */
export function suggestLicenceId(text: string): string | undefined {
  const { current: ids, currentByLowerCase: lower } = spdxIds();
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

/** Exception ids, asked of spdx-expression-parse one short expression at a time, as it holds the list. */
const exceptionIds = new Map<string, boolean>();

/** Whether `word` is an SPDX licence exception id, such as `Classpath-exception-2.0`. */
export function isExceptionId(word: string): boolean {
  let known = exceptionIds.get(word);
  if (known === undefined) {
    try {
      parseSpdx(`MIT WITH ${word}`);
      known = true;
    } catch {
      known = false;
    }
    // Only what is on the list is kept, so that a hostile expression cannot grow the cache.
    if (known) exceptionIds.set(word, known);
  }
  return known;
}

interface SpdxEntry {
  name: string;
  url?: string;
}

/** Ids and names only (small, read without the full texts). */
let listCache: Readonly<Record<string, SpdxEntry>> | undefined;
let lowerListed: Map<string, string> | undefined;

function licenceList(): Readonly<Record<string, SpdxEntry>> {
  listCache ??= require('spdx-license-list') as Record<string, SpdxEntry>;
  return listCache;
}

/** Every id of the licences whose texts Openly has. */
export function listedIds(): string[] {
  return Object.keys(licenceList());
}

/** The id as the list of texts spells it (`mit` → `MIT`), or undefined when Openly has no text for it. */
export function spdxIdCasing(id: string): string | undefined {
  if (Object.hasOwn(licenceList(), id)) return id;
  if (lowerListed === undefined) {
    lowerListed = new Map();
    for (const listed of listedIds()) lowerListed.set(listed.toLowerCase(), listed);
  }
  return lowerListed.get(id.toLowerCase());
}

/** Whether `id` is an SPDX licence id whose text Openly has. SPDX ids match case-insensitively. */
export function isSpdxLicenceId(id: string): boolean {
  return spdxIdCasing(id) !== undefined;
}

/** The address SPDX gives for a licence's text (e.g. the National Archives' page for `OGL-UK-3.0`), if known. */
export function licenceUrl(spdx: string): string | undefined {
  const id = spdxIdCasing(spdx);
  return id === undefined ? undefined : licenceList()[id]?.url;
}

/** The SPDX full name of a licence id (e.g. `Open Government Licence v3.0` for `OGL-UK-3.0`), if known. */
export function licenceName(spdx: string): string | undefined {
  const id = spdxIdCasing(spdx);
  return id === undefined ? undefined : licenceList()[id]?.name;
}
