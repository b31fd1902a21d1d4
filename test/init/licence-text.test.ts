import { describe, expect, it } from 'vitest';
import { DEFAULT_ALLOWED_LICENCES, hasCrownNotice } from '../../src/checks/licence/index.js';
import { sameLicence } from '../../src/licences/expression.js';
import { identifyLicence } from '../../src/licences/identify.js';
import { crownLine, licenceWithCopyright, spdxText } from '../../src/init/licence-text.js';

const crown = crownLine(2026, 'NHS England');

describe('the LICENCE text init writes', () => {
  it.each(DEFAULT_ALLOWED_LICENCES.filter((id) => spdxText(id) !== undefined))(
    '%s: identified as itself, with a Crown notice, and otherwise SPDX’s words line for line',
    (id) => {
      const spdx = spdxText(id)!;
      const written = licenceWithCopyright(spdx, crown);
      // The -only and -or-later GPL texts are the same words: the choice is made in the notices, not here.
      expect(sameLicence(identifyLicence(written).spdx ?? '', id)).toBe(true);
      expect(hasCrownNotice(written)).toBe(true);
      // Every line of SPDX's text is kept, in order, but for the fill-in copyright lines the Crown line replaces.
      const kept = written.split('\n');
      const dropped = spdx.split('\n').filter((line) => !kept.includes(line));
      expect(dropped.every((line) => /^\s*Copyright\b/i.test(line))).toBe(true);
      expect(dropped.length).toBeLessThanOrEqual(2);
      expect(written.split('\n').filter((line) => line === crown)).toHaveLength(1);
    },
  );

  it('keeps the copyright of the licence text itself (GPL) and drops the sample holders of ISC', () => {
    expect(licenceWithCopyright(spdxText('GPL-3.0-only')!, crown)).toContain(
      'Copyright © 2007 Free Software Foundation, Inc.',
    );
    expect(licenceWithCopyright(spdxText('LGPL-3.0-only')!, crown)).toContain(
      'Copyright (C) 2007 Free Software Foundation, Inc.',
    );
    const isc = licenceWithCopyright(spdxText('ISC')!, crown);
    expect(isc).not.toContain('Internet Systems Consortium');
    expect(isc).not.toContain('Internet Software Consortium');
  });
});
