import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { identifyLicence } from '../../src/licences/identify.js';
import { licenceText } from './fixtures.js';

const REAL = new URL('../fixtures/real/licences/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', REAL), 'utf8')) as Record<
  string,
  { spdx: string; method: string }
>;

describe('licence files laid out as public repositories lay them out', () => {
  it.each(Object.entries(expected))('%s', (file, want) => {
    const r = identifyLicence(readFileSync(new URL(file, REAL), 'utf8'));
    expect({ spdx: r.spdx, method: r.method, also: r.also }).toEqual({ ...want, also: [] });
  });
});

const CROWN = 'Copyright (c) 2024 Crown Copyright (NHS England)';

/** The text without its first line (the title) and, when asked, without its copyright template line. */
function untitled(id: string): string {
  return licenceText(id).split('\n').slice(1).join('\n').trim();
}

function paragraphsOf(id: string): string[] {
  return licenceText(id).split(/\n\s*\n/);
}

/**
 * Pairs of licences where one is the other minus a clause, each written the ways real files write them. The
 * shorter licence must not be taken for the longer because they share most words, nor the longer for the shorter
 * because a copy lost its title.
 */
const CASES: Array<[string, string, string]> = [
  ['MIT with a Crown copyright line', `${CROWN}\n\n${licenceText('MIT')}`, 'MIT'],
  ['MIT under a Crown copyright line, no title', `${CROWN}\n\n${untitled('MIT')}`, 'MIT'],
  ['MIT-0 as SPDX has it', licenceText('MIT-0'), 'MIT-0'],
  ['MIT-0 with a Crown copyright line, no title', `${CROWN}\n\n${untitled('MIT-0')}`, 'MIT-0'],
  [
    // Someone cut MIT's condition paragraph and left the sentence that introduced it.
    'MIT-0 keeping "subject to the following conditions:"',
    untitled('MIT-0').replace(
      'furnished to do so.',
      'furnished to do so, subject to the following conditions:',
    ),
    'MIT-0',
  ],
  ['ISC as SPDX has it', licenceText('ISC'), 'ISC'],
  [
    'ISC in the OpenBSD wording',
    `ISC License\n\n${CROWN}\n\n${paragraphsOf('ISC')
      .slice(2)
      .join('\n\n')
      .replace(/\bISC\b/g, 'THE AUTHOR')}`,
    'ISC',
  ],
  ['0BSD with a Crown copyright line', `${CROWN}\n\n${untitled('0BSD')}`, '0BSD'],
  ['BSD-3-Clause', licenceText('BSD-3-Clause', CROWN), 'BSD-3-Clause'],
  [
    'BSD-3-Clause without its third clause',
    licenceText('BSD-3-Clause', CROWN).replace(/\n3\. Neither[\s\S]*?permission\.\n/, '\n'),
    'BSD-2-Clause',
  ],
  ['BSD-2-Clause', licenceText('BSD-2-Clause', CROWN), 'BSD-2-Clause'],
  ['Apache-2.0 with its appendix', licenceText('Apache-2.0'), 'Apache-2.0'],
  [
    'Apache-2.0 without its appendix',
    licenceText('Apache-2.0').slice(0, licenceText('Apache-2.0').indexOf('APPENDIX')),
    'Apache-2.0',
  ],
  ['GPL-2.0 with no notice', licenceText('GPL-2.0-only'), 'GPL-2.0-only'],
  [
    'GPL-2.0 under an "or any later version" notice',
    `${CROWN}\n\nThis program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License as published by the Free Software Foundation; either version 2 of the License, or (at your option) any later version.\n\n${licenceText('GPL-2.0-only')}`,
    'GPL-2.0-or-later',
  ],
  [
    'GPL-2.0 under a "version 2" notice',
    `This program is free software; you can redistribute it and/or modify it under the terms of the GNU General Public License version 2 as published by the Free Software Foundation.\n\n${licenceText('GPL-2.0-only')}`,
    'GPL-2.0-only',
  ],
];

describe('licences that are other licences minus a clause', () => {
  it.each(CASES)('%s', (_name, text, spdx) => {
    const r = identifyLicence(text);
    expect(r.spdx).toBe(spdx);
    expect(r.method).toBe('full-text');
    expect(r.also).toEqual([]);
  });

  it('does not take an MIT-0 text titled "MIT License" to grant MIT as well', () => {
    const r = identifyLicence(`MIT License\n\n${CROWN}\n\n${untitled('MIT-0')}`);
    expect(r).toMatchObject({ spdx: 'MIT-0', also: [] });
  });

  it('still reads a further licence named after the text', () => {
    const text = `${licenceText('MIT', CROWN)}\n\nThe documentation is available under the Open Government Licence v3.0.\n`;
    expect(identifyLicence(text)).toMatchObject({ spdx: 'MIT', also: ['OGL-UK-3.0'] });
  });
});
