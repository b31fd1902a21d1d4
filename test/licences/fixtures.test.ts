import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { identifyLicence } from '../../src/licences/identify.js';

interface Expected {
  spdx: string | null;
  method?: 'full-text' | 'reference' | 'none';
  also?: string[];
  /** For a file that must not be claimed: the licence it should be closest to. */
  top?: string;
}

const dir = new URL('../fixtures/licences/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as Record<string, Expected>;

describe('licence files shaped as UK public-sector repositories have them', () => {
  it.each(Object.entries(expected))('%s', (file, want) => {
    const r = identifyLicence(readFileSync(new URL(file, dir), 'utf8'));
    expect(r.spdx).toBe(want.spdx);
    if (want.method) expect(r.method).toBe(want.method);
    expect(r.also).toEqual(want.also ?? []);
    if (want.top) expect(r.candidates[0]?.spdx).toBe(want.top);
    if (want.spdx === null) {
      expect(r.method).toBe('none');
      expect(r.confidence).toBeLessThan(0.85);
    } else {
      expect(r.candidates[0]?.spdx).toBe(want.spdx);
      expect(r.confidence).toBeGreaterThan(want.method === 'reference' ? 0.5 : 0.9);
    }
    if (want.method === 'reference') expect(r.confidence).toBeLessThanOrEqual(0.9);
    expect(r.candidates.length).toBeLessThanOrEqual(3);
  });
});
