/**
 * Finds licences that a text names rather than contains: "released under the MIT License", "Open Government 3.0
 * licence", the Apache or GNU notice, an `SPDX-License-Identifier:` line. Patterns run over normalised words (see
 * normalise.ts: lower case, licence → license, hyphenated words joined, single letters dropped), so one pattern
 * covers the spellings and punctuation real files use.
 */
import { spdxIdCasing } from './ids.js';

export interface Reference {
  spdx: string;
  confidence: number;
}

interface Hit extends Reference {
  at: number;
}

const NAMED = 0.85;
const VERSIONLESS = 0.7;
const BARE_ACRONYM = 0.6;

function known(id: string): string | undefined {
  return spdxIdCasing(id);
}

const OGL_VERSIONS: Record<string, string> = { '1': 'OGL-UK-1.0', '2': 'OGL-UK-2.0', '3': 'OGL-UK-3.0' };

type Rule = [RegExp, (m: RegExpExecArray, rest: string) => Reference | undefined];

function gnu(
  family: string,
  major: string | undefined,
  minor: string | undefined,
  rest: string,
): Reference | undefined {
  if (major === undefined) return undefined;
  let version = `${major}.${minor ?? '0'}`;
  if (family === 'LGPL' && major === '2' && minor === undefined) version = '2.0';
  // "either version 3 of the License, or (at your option) any later version"
  const later = /^(?:\s\S+){0,14}?\s(?:any later|or later|orlater|or newer|later version)/.test(
    rest.slice(0, 160),
  );
  const id = known(`${family}-${version}-${later ? 'or-later' : 'only'}`);
  return id === undefined ? undefined : { spdx: id, confidence: NAMED };
}

function creativeCommons(parts: string, major: string, minor: string): Reference | undefined {
  const p = parts.replace(/\s+/g, '');
  const nc = /nc|noncommercial/.test(p);
  const nd = /nd|noderiv/.test(p);
  const sa = /sa|sharealike/.test(p);
  if (nd && sa) return undefined;
  const id = known(`CC-BY${nc ? '-NC' : ''}${nd ? '-ND' : ''}${sa ? '-SA' : ''}-${major}.${minor}`);
  return id === undefined ? undefined : { spdx: id, confidence: NAMED };
}

const RULES: Rule[] = [
  [
    /\b(?:open ?government ?license|ogl ?uk|ogl)(?: for public sector information)?(?: (?:version|ver))? ?v?([123])\b/g,
    (m) => ({ spdx: OGL_VERSIONS[m[1]!]!, confidence: NAMED }),
  ],
  [
    /\bopen ?government ([123]) (?:0 )?(?:[a-z]{1,8} )?license\b/g,
    (m) => ({ spdx: OGL_VERSIONS[m[1]!]!, confidence: NAMED }),
  ],
  [
    /\bopen ?government ?license\b(?! (?:for public sector information )?(?:version |ver )?v?\d)/g,
    () => ({ spdx: 'OGL-UK-3.0', confidence: VERSIONLESS }),
  ],
  [/\bogl\b(?! ?uk| ?v?\d)/g, () => ({ spdx: 'OGL-UK-3.0', confidence: BARE_ACRONYM })],
  [/\bnon ?commercial ?government ?license\b/g, () => ({ spdx: 'NCGL-UK-2.0', confidence: NAMED })],
  [
    /\bmit license\b|\b(?:licensed|released|available|distributed|published|provided) under (?:the )?(?:terms of (?:the )?)?mit\b|\bmit licensed\b|\blicense mit\b/g,
    () => ({ spdx: 'MIT', confidence: NAMED }),
  ],
  [
    /\bapache(?: software)?(?: license)?,?(?: version| v)? ?([12])(?: ([01]))?\b|\bapache2\b/g,
    (m) => {
      const id = m[1] === undefined ? 'Apache-2.0' : known(`Apache-${m[1]}.${m[2] ?? '0'}`);
      return id === undefined ? undefined : { spdx: id, confidence: NAMED };
    },
  ],
  [/\bapache license\b(?!,? (?:version |v)?\d)/g, () => ({ spdx: 'Apache-2.0', confidence: VERSIONLESS })],
  [
    /\b(?:gnu )?(affero |lesser |library )?general public license\b/g,
    (m, rest) => {
      const v = /^(?:\s\S+){0,12}?\s(?:version|v) ?([123])(?: ([01]))?\b/.exec(rest.slice(0, 140));
      const family = m[1] === 'affero ' ? 'AGPL' : m[1] === undefined ? 'GPL' : 'LGPL';
      if (v === null) return undefined;
      return gnu(family, v[1], v[2], rest.slice(v[0].length));
    },
  ],
  [
    /\b(a|l)?gpl ?v?([123])(?: ([01]))?\b/g,
    (m, rest) => gnu(m[1] === 'a' ? 'AGPL' : m[1] === 'l' ? 'LGPL' : 'GPL', m[2], m[3], rest),
  ],
  [
    /\bbsd ?([234]) ?clause\b|\b([234]) ?clause bsd\b/g,
    (m) => {
      const n = m[1] ?? m[2];
      const id = n === '4' ? 'BSD-4-Clause' : n === '3' ? 'BSD-3-Clause' : 'BSD-2-Clause';
      return { spdx: id, confidence: NAMED };
    },
  ],
  [/\b(?:new|revised|modified) bsd\b/g, () => ({ spdx: 'BSD-3-Clause', confidence: VERSIONLESS })],
  [
    /\b(?:simplified|freebsd) bsd\b|\bsimplified bsd\b/g,
    () => ({ spdx: 'BSD-2-Clause', confidence: VERSIONLESS }),
  ],
  [/\bisc license\b|\bunder (?:the )?isc\b/g, () => ({ spdx: 'ISC', confidence: NAMED })],
  [
    /\b(?:mozilla public license|mpl),?(?: version| v)? ?([12]) ([01])\b/g,
    (m) => {
      const id = known(`MPL-${m[1]}.${m[2]}`);
      return id === undefined ? undefined : { spdx: id, confidence: NAMED };
    },
  ],
  [
    /\b(?:european union public license|eupl),?(?: version| v)? ?(1) ([012])\b/g,
    (m) => ({ spdx: `EUPL-1.${m[2]}`, confidence: NAMED }),
  ],
  [
    /\bcreative commons (?:legal code )?((?:attribution|noncommercial|sharealike|noderivatives|noderivs|\s)+?) ?(?:license )?(?:version |v)?([1-4]) ([05])\b/g,
    (m) => creativeCommons(m[1]!, m[2]!, m[3]!),
  ],
  [/\bcc ?by((?: ?(?:nc|sa|nd))*) ?v?([1-4]) ([05])\b/g, (m) => creativeCommons(m[1]!, m[2]!, m[3]!)],
  [
    /\bcc0\b|\bcc zero\b|\bcreative commons zero\b|\bcreative commons cc0\b/g,
    () => ({ spdx: 'CC0-1.0', confidence: NAMED }),
  ],
  [/\bunlicense\b/g, () => ({ spdx: 'Unlicense', confidence: VERSIONLESS })],
];

// `SPDX-License-Identifier: MIT OR Apache-2.0` and ids written as ids (`OGL-UK-3.0`, `GPL-3.0-or-later`) in the raw
// text. Bare words that happen to be ids ("Vim", "JSON", "Fair") are left to the patterns above.
const SPDX_HEADER = /SPDX-License-Identifier:\s*([^\n\r]*)/gi;
const ID_LIKE = /(?<![\w.-])[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)+\+?(?![\w-])/g;

/**
 * A written id as the current SPDX id: `GPL-3.0+` is GPL-3.0-or-later and a bare `GPL-3.0` is GPL-3.0-only, as
 * SPDX deprecated them.
 */
function currentId(written: string): string | undefined {
  const id = spdxIdCasing(written);
  if (id === undefined) return undefined;
  if (id.endsWith('+')) return spdxIdCasing(`${id.slice(0, -1)}-or-later`) ?? id;
  if (/^(?:A|L)?GPL-\d\.\d$/.test(id)) return spdxIdCasing(`${id}-only`) ?? id;
  return id;
}

function rawIds(raw: string): { header: Reference[]; mentioned: Reference[] } {
  const header: Reference[] = [];
  for (const m of raw.matchAll(SPDX_HEADER)) {
    for (const tok of (m[1] ?? '').matchAll(/[A-Za-z0-9.+-]+/g)) {
      const id = currentId(tok[0]);
      if (id !== undefined) header.push({ spdx: id, confidence: 0.9 });
    }
  }
  const mentioned: Reference[] = [];
  // A file holding nothing but an id ("MIT", "Apache-2.0").
  const alone = /^\s*([A-Za-z][\w.+-]*)\s*$/.exec(raw)?.[1];
  const aloneId = alone === undefined ? undefined : currentId(alone);
  if (aloneId !== undefined) mentioned.push({ spdx: aloneId, confidence: 0.8 });
  for (const m of raw.matchAll(ID_LIKE)) {
    if (!/\d|-/.test(m[0])) continue;
    const id = currentId(m[0]);
    if (id !== undefined) mentioned.push({ spdx: id, confidence: 0.8 });
  }
  return { header, mentioned };
}

/**
 * Licences named in `pieces` (normalised words joined by spaces, each piece searched on its own) and, when `raw`
 * is given, in the raw text's SPDX headers and id-shaped words. Ordered: SPDX headers, then by position, then ids.
 */
export function findReferences(pieces: readonly string[], raw: string): Reference[] {
  const found: Hit[] = [];
  let offset = 0;
  for (const piece of pieces) {
    for (const [re, map] of RULES) {
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(piece)) !== null) {
        const ref = map(m, piece.slice(m.index + m[0].length));
        if (ref !== undefined) found.push({ ...ref, at: offset + m.index });
        if (m[0].length === 0) re.lastIndex++;
      }
    }
    offset += piece.length + 1;
  }
  found.sort((a, b) => a.at - b.at || b.confidence - a.confidence);
  const { header, mentioned } = raw === '' ? { header: [], mentioned: [] } : rawIds(raw);
  // First mention decides the order; the clearest mention decides the confidence.
  const out = new Map<string, Reference>();
  for (const r of [...header, ...found, ...mentioned]) {
    const prev = out.get(r.spdx);
    if (prev === undefined) out.set(r.spdx, { spdx: r.spdx, confidence: r.confidence });
    else prev.confidence = Math.max(prev.confidence, r.confidence);
  }
  return [...out.values()];
}
