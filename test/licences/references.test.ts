import { describe, expect, it } from 'vitest';
import { identifyLicence } from '../../src/licences/identify.js';

// Short licence files that name a licence instead of containing it, as found in real repositories.
const NAMED: [string, string][] = [
  ['Open Government 3.0 licence.', 'OGL-UK-3.0'],
  ['Licensed under the Open Government Licence v3.0', 'OGL-UK-3.0'],
  ['This content is available under the Open Government License, version 3.', 'OGL-UK-3.0'],
  ['See https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/', 'OGL-UK-3.0'],
  ['Released under OGL-UK-3.0.', 'OGL-UK-3.0'],
  ['Contains public sector information licensed under the Open Government Licence v2.0.', 'OGL-UK-2.0'],
  ['Open Government Licence v1.0', 'OGL-UK-1.0'],
  ['Contains information licensed under the Non-Commercial Government Licence v2.0.', 'NCGL-UK-2.0'],
  ['Licensed under the MIT License', 'MIT'],
  ['This project is released under the MIT licence.', 'MIT'],
  ['License: MIT', 'MIT'],
  ['Apache License 2.0', 'Apache-2.0'],
  ['Released under Apache 2', 'Apache-2.0'],
  ['Licensed under the Apache License, Version 2.0', 'Apache-2.0'],
  ['Distributed under the GNU General Public License v3.0 only.', 'GPL-3.0-only'],
  ['GNU Affero General Public License, version 3 or later', 'AGPL-3.0-or-later'],
  [
    'under the terms of the GNU Lesser General Public License as published by the Free Software Foundation; either version 2.1 of the License, or (at your option) any later version.',
    'LGPL-2.1-or-later',
  ],
  ['This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.', 'MPL-2.0'],
  ['Licensed under the BSD 3-Clause License', 'BSD-3-Clause'],
  ['Licensed under a Creative Commons Attribution 4.0 International licence.', 'CC-BY-4.0'],
  ['This work is licensed under CC BY-SA 4.0', 'CC-BY-SA-4.0'],
  ['Content licensed CC-BY-NC-4.0', 'CC-BY-NC-4.0'],
  ['To the extent possible under law, the authors have waived all rights: CC0 1.0 Universal.', 'CC0-1.0'],
  ['Licensed under the European Union Public Licence v1.2', 'EUPL-1.2'],
  ['// SPDX-License-Identifier: GPL-2.0-or-later', 'GPL-2.0-or-later'],
  ['SPDX-License-Identifier: GPL-2.0+', 'GPL-2.0-or-later'],
  ['Licensed GPL-3.0.', 'GPL-3.0-only'],
  ['MIT\n', 'MIT'],
  ['Apache-2.0', 'Apache-2.0'],
  ['© Crown copyright, OGLv3', 'OGL-UK-3.0'],
  ['Open Government Licence (OGL) v3.0', 'OGL-UK-3.0'],
  ['The documentation is available under the [Open Government 3.0][ogl] licence.', 'OGL-UK-3.0'],
];

describe('short references', () => {
  it.each(NAMED)('%s', (text, spdx) => {
    const r = identifyLicence(text);
    expect(r.spdx).toBe(spdx);
    expect(r.method).toBe('reference');
    expect(r.confidence).toBeLessThanOrEqual(0.9);
    expect(r.confidence).toBeGreaterThan(0.5);
  });

  it('names the other licences of a dual-licence notice in `also`', () => {
    const r = identifyLicence('SPDX-License-Identifier: MIT OR Apache-2.0');
    expect(r.spdx).toBe('MIT');
    expect(r.also).toEqual(['Apache-2.0']);
  });

  it('does not read a version-less "Open Government Licence" as sure', () => {
    const r = identifyLicence('Released under the Open Government Licence.');
    expect(r.spdx).toBe('OGL-UK-3.0');
    expect(r.confidence).toBeLessThan(0.85);
  });

  it('claims nothing for licence words that name no licence', () => {
    for (const text of [
      'All rights reserved.',
      'This project has no licence yet.',
      'Licensed under the GNU General Public License.',
      'See the licence file.',
      'Public domain.',
    ]) {
      const r = identifyLicence(text);
      expect(r.spdx, text).toBeNull();
      expect(r.method).toBe('none');
    }
  });
});
