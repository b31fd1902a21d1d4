import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { identifyLicence } from '../../src/licences/identify.js';
import type { Identification } from '../../src/licences/types.js';

const require = createRequire(import.meta.url);
const full = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

function wellFormed(r: Identification): void {
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
  expect(r.candidates.length).toBeLessThanOrEqual(3);
  for (const c of r.candidates) expect(c.score).toBeGreaterThanOrEqual(0);
  if (r.spdx === null) expect(r.method).toBe('none');
  else expect(r.method).not.toBe('none');
  expect(r.also).not.toContain(r.spdx);
}

describe('input that is not a licence', () => {
  it('never throws and claims nothing for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const r = identifyLicence(text);
        wellFormed(r);
      }),
      { numRuns: 300 },
    );
  });

  it('reads binary-looking bytes as nothing', () => {
    let seed = 7;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    const bytes = Buffer.from(Uint8Array.from({ length: 200_000 }, next));
    for (const text of [bytes.toString('latin1'), bytes.toString('utf8'), '\0'.repeat(10_000)]) {
      const r = identifyLicence(text);
      wellFormed(r);
      expect(r.spdx).toBeNull();
    }
  });

  it('copes with a 1 MB text: a licence repeated is still the licence', () => {
    const mit = full['MIT']!.licenseText;
    const text = `${mit}\n\n`.repeat(Math.ceil(1_000_000 / mit.length));
    expect(text.length).toBeGreaterThan(1_000_000);
    const r = identifyLicence(text);
    expect(r.spdx).toBe('MIT');
  });

  it('copes with a 1 MB line of one character', () => {
    const r = identifyLicence('a'.repeat(1_000_000));
    wellFormed(r);
    expect(r.spdx).toBeNull();
  });

  it('answers a non-string (untyped callers) with nothing rather than a throw', () => {
    const r = identifyLicence(undefined as unknown as string);
    expect(r).toMatchObject({ spdx: null, method: 'none' });
  });

  it('keeps the right licence on top, without claiming it, for a half-truncated text', () => {
    for (const id of ['GPL-3.0-only', 'OGL-UK-3.0', 'MPL-2.0']) {
      const text = full[id]!.licenseText;
      const r = identifyLicence(text.slice(0, Math.floor(text.length * 0.4)));
      expect(r.spdx, id).toBeNull();
      expect(r.candidates[0]?.spdx, id).toBe(id);
    }
  });
});
