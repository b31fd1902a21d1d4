import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { identifyLicence, isSpdxLicenceId, licenceName, spdxIdCasing } from '../../src/licences/identify.js';
import { normaliseWords } from '../../src/licences/normalise.js';

const require = createRequire(import.meta.url);
const full = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

describe('licence names and ids', () => {
  it('gives the SPDX full name of an id', () => {
    expect(licenceName('OGL-UK-3.0')).toBe('Open Government Licence v3.0');
    expect(licenceName('MIT')).toBe('MIT License');
    expect(licenceName('Not-A-Licence')).toBeUndefined();
  });

  it('knows SPDX ids, case-insensitively as SPDX matches them', () => {
    expect(isSpdxLicenceId('NCGL-UK-2.0')).toBe(true);
    expect(isSpdxLicenceId('apache-2.0')).toBe(true);
    expect(spdxIdCasing('apache-2.0')).toBe('Apache-2.0');
    expect(isSpdxLicenceId('OGL-3.0')).toBe(false);
    expect(isSpdxLicenceId('')).toBe(false);
    expect(isSpdxLicenceId('toString')).toBe(false);
  });
});

describe('normalisation', () => {
  it('folds British and US spelling', () => {
    expect(normaliseWords('Licence licenced sub-licence organisation colour centre')).toEqual(
      normaliseWords('License licensed sublicense organization color center'),
    );
  });

  it('drops markup, list labels, quotes, URLs schemes and copyright lines', () => {
    const plain = normaliseWords(
      'Copyright (c) <year> <copyright holders>\n\n1. Redistributions must retain the "notice" at http://example.org/x',
    );
    const marked = normaliseWords(
      '# Notice\n\n**Copyright © 2024 Crown Copyright (NHS England)**\n\n* _Redistributions_ must retain the “notice” at https://www.example.org/x/',
    );
    expect(marked.slice(1)).toEqual(plain);
    expect(plain).not.toContain('copyright');
  });
});

describe('what a file says besides its main licence', () => {
  it('does not take what the licence itself names for a further licence, even in a copy split in two', () => {
    const ogl = full['OGL-UK-3.0']!.licenseText;
    const at = ogl.indexOf('About the Open Government Licence');
    const inserted = Array.from(
      { length: 120 },
      (_, i) => `Our team writes weeknote number ${i} on Fridays.`,
    ).join(' ');
    const r = identifyLicence(`${ogl.slice(0, at)}\n\n${inserted}\n\n${ogl.slice(at)}`);
    expect(r.spdx).toBe('OGL-UK-3.0');
    // The OGL's closing notes name Creative Commons Attribution 4.0 as compatible; that is not a second licence.
    expect(r.also).toEqual([]);
  });

  it('keeps one licence for a file that only repeats its own name', () => {
    const r = identifyLicence(
      '# MIT License\n\nReleased under the MIT License.\n\nCopyright (c) 2024 Crown Copyright (NHS England)\n\n' +
        'Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated ' +
        'documentation files (the "Software"), to deal in the Software without restriction, including without ' +
        'limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the ' +
        'Software, and to permit persons to whom the Software is furnished to do so, subject to the following ' +
        'conditions:\n\nThe above copyright notice and this permission notice shall be included in all copies or ' +
        'substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, ' +
        'EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR ' +
        'PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, ' +
        'DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN ' +
        'CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n',
    );
    expect(r).toMatchObject({ spdx: 'MIT', method: 'full-text', also: [] });
    expect(r.candidates[0]).toEqual({ spdx: 'MIT', score: r.confidence });
  });
});
