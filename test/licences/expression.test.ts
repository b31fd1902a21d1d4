import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalId,
  disallowedIds,
  expressionAllowed,
  parseExpression,
  sameLicence,
} from '../../src/licences/expression.js';

describe('parseExpression', () => {
  it.each([
    ['MIT', ['MIT']],
    ['MIT AND OGL-UK-3.0', ['MIT', 'OGL-UK-3.0']],
    ['(MIT OR Apache-2.0)', ['MIT', 'Apache-2.0']],
    ['GPL-3.0-or-later', ['GPL-3.0-or-later']],
    ['GPL-3.0+', ['GPL-3.0-or-later']],
    ['GPL-2.0', ['GPL-2.0-only']],
    ['Apache-2.0 WITH LLVM-exception', ['Apache-2.0']],
    ['GPL-2.0-or-later WITH Classpath-exception-2.0 OR MIT', ['GPL-2.0-or-later', 'MIT']],
    ['LicenseRef-council-terms AND MIT', ['LicenseRef-council-terms', 'MIT']],
  ])('reads %s as naming %j', (text, ids) => {
    const parsed = parseExpression(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.ids).toEqual(ids);
  });

  it.each([
    ['mit', /SPDX spells it "MIT"/],
    ['Apache 2', /"Apache" is not an SPDX licence id/],
    ['Open Government Licence', /not an SPDX licence id/],
    ['MIT AND', /well-formed|well formed/],
    ['', /empty/],
  ])('rejects %j with a reason a person can act on', (text, reason) => {
    const parsed = parseExpression(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(reason);
  });
});

describe('licence policy matching', () => {
  it('treats -only, -or-later and the deprecated bare GNU ids as one licence', () => {
    expect(canonicalId('GPL-3.0')).toBe('GPL-3.0-only');
    expect(sameLicence('GPL-3.0-only', 'GPL-3.0-or-later')).toBe(true);
    expect(sameLicence('GPL-3.0+', 'GPL-3.0')).toBe(true);
    expect(sameLicence('GPL-2.0-only', 'GPL-3.0-only')).toBe(false);
    expect(sameLicence('LGPL-3.0-only', 'GPL-3.0-only')).toBe(false);
  });

  const allowed = (id: string): boolean => ['MIT', 'OGL-UK-3.0'].includes(id);

  it.each([
    ['MIT AND OGL-UK-3.0', true, []],
    ['MIT OR GPL-3.0-only', true, []],
    ['MIT AND GPL-3.0-only', false, ['GPL-3.0-only']],
    ['(GPL-3.0-only OR Apache-2.0) AND MIT', false, ['GPL-3.0-only', 'Apache-2.0']],
  ])('judges %s: allowed %s, refusing %j', (text, ok, refused) => {
    const parsed = parseExpression(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(expressionAllowed(parsed.tree, allowed)).toBe(ok);
    expect(disallowedIds(parsed.tree, allowed)).toEqual(refused);
  });
});

describe('untrusted expressions', () => {
  it('never throws, whatever a package.json or header says', () => {
    const words = fc.constantFrom(
      'MIT',
      'AND',
      'OR',
      'WITH',
      '(',
      ')',
      'mit',
      'GPL-3.0+',
      'LicenseRef-x',
      '&',
      '',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.array(words, { maxLength: 8 }).map((w) => w.join(' ')),
        ),
        (text) => {
          const parsed = parseExpression(text);
          if (!parsed.ok) expect(parsed.error).not.toBe('');
        },
      ),
    );
  });
});
