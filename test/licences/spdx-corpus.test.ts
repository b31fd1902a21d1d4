import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { corpusIndex } from '../../src/licences/corpus-index.js';
import { identifyLicence } from '../../src/licences/identify.js';

const require = createRequire(import.meta.url);
const full = require('spdx-license-list/full') as Record<string, { licenseText: string }>;
const ids = Object.keys(full);

/** Re-flows each paragraph to `width` columns, as an editor or a copy from a web page does. */
function rewrap(text: string, width: number): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((para) => {
      const out: string[] = [];
      let line = '';
      for (const word of para.trim().split(/\s+/).filter(Boolean)) {
        if (line && line.length + 1 + word.length > width) {
          out.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      if (line) out.push(line);
      return out.join('\n');
    })
    .join('\n\n');
}

function sameGroup(a: string | null, b: string): boolean {
  const index = corpusIndex();
  return a !== null && index.groupOf.get(a) === index.groupOf.get(b);
}

// GPL-2.0+ and GPL-2.0-only differ only in a template line of the optional appendix; either answer names the
// same licence.
function sameFamily(a: string | null, b: string): boolean {
  const family = (id: string): string => id.replace(/(?:-only|-or-later|\+)$/, '');
  return a !== null && family(a) === family(b);
}

describe('every SPDX licence text', () => {
  it('identifies as itself, or as a licence whose text is identical', () => {
    const wrong = ids.flatMap((id) => {
      const r = identifyLicence(full[id]!.licenseText);
      return sameGroup(r.spdx, id) && r.method === 'full-text' ? [] : [`${id} → ${r.spdx}`];
    });
    expect(wrong).toEqual([]);
  });

  it('survives re-wrapping to 60 columns, CRLF, a BOM and a Markdown heading on the title', () => {
    const wrong = ids.flatMap((id) => {
      const variant = `\uFEFF# ${rewrap(full[id]!.licenseText, 60).replace(/\n/g, '\r\n')}\r\n`;
      const r = identifyLicence(variant);
      return sameGroup(r.spdx, id) || sameFamily(r.spdx, id) ? [] : [`${id} → ${r.spdx}`];
    });
    // Re-wrapping joins a copyright line to the title in a few tiny or near-twin texts, which then lose what told
    // them apart (QPL-1.0 against its INRIA variant, the two-line Kastrup notice).
    expect(wrong.length).toBeLessThanOrEqual(3);
  });

  it('stays right, or says it is unsure, when 3% of the words are lost', () => {
    let seed = 1;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    let right = 0;
    const wrong: string[] = [];
    for (const id of ids) {
      const damaged = full[id]!.licenseText.split(/(\s+)/)
        .filter((w) => !(w.trim() && random() < 0.03))
        .join('');
      const r = identifyLicence(damaged);
      if (sameGroup(r.spdx, id) || sameFamily(r.spdx, id)) right++;
      else if (r.spdx !== null) wrong.push(`${id} → ${r.spdx}`);
    }
    expect(right / ids.length).toBeGreaterThan(0.98);
    // A wrong answer is worse than none: only near-twin texts (differing in a word or two) may be confused.
    expect(wrong.length).toBeLessThanOrEqual(3);
  });

  it('groups only texts that are identical after normalisation, naming a current -only id first', () => {
    const index = corpusIndex();
    const groups = index.groups.filter((g) => g.ids.length > 1);
    expect(groups.length).toBeGreaterThan(0);
    const gpl3 = index.groups[index.groupOf.get('GPL-3.0-or-later')!]!;
    expect(gpl3.ids[0]).toBe('GPL-3.0-only');
    expect(gpl3.ids).toEqual(
      expect.arrayContaining(['GPL-3.0-only', 'GPL-3.0-or-later', 'GPL-3.0', 'GPL-3.0+']),
    );
    expect(index.groupOf.get('OGL-UK-2.0')).not.toBe(index.groupOf.get('OGL-UK-3.0'));
    expect(index.groupOf.get('MIT')).not.toBe(index.groupOf.get('MIT-0'));
    for (const g of groups) expect(g.ids[0]!.endsWith('+')).toBe(false);
  });

  it('lists the rest of an identical group as equivalents', () => {
    const r = identifyLicence(full['GPL-3.0-or-later']!.licenseText);
    expect(r.spdx).toBe('GPL-3.0-only');
    expect(r.equivalents).toEqual(expect.arrayContaining(['GPL-3.0-or-later', 'GPL-3.0', 'GPL-3.0+']));
    expect(r.equivalents).not.toContain('GPL-3.0-only');
  });
});
