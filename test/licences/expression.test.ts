import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalId,
  disallowedIds,
  expressionAllowed,
  parseExpression,
  sameLicence,
  type ExpressionTree,
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

describe('expressions of any size', () => {
  it('reads as spdx-expression-parse does: the same expressions valid, naming the same licences', async () => {
    expect(parseExpression('( ) MIT').ok).toBe(false);
    const { default: spdxParse } = await import('spdx-expression-parse');
    const words = fc.constantFrom(
      'MIT',
      'Apache-2.0',
      'GPL-2.0',
      'GPL-2.0+',
      'GPL-2.0 +',
      'AND',
      'and',
      'OR',
      'or',
      'WITH',
      'with',
      'LLVM-exception',
      'Classpath-exception-2.0',
      '(',
      ')',
      'mit',
      'LicenseRef-x',
      'DocumentRef-d:LicenseRef-y',
      'DocumentRef-d : LicenseRef-y',
      'Bogus-1.0',
    );
    fc.assert(
      fc.property(fc.array(words, { maxLength: 9 }), fc.constantFrom(' ', '  ', ''), (list, gap) => {
        const text = list.join(gap === '' ? ' ' : gap);
        // spdx-expression-parse skips an empty pair of parentheses before a licence (`( ) MIT` is MIT); that is
        // a slip, and Openly refuses it.
        fc.pre(!/\(\s*\)/.test(text));
        let expected: string[] | undefined;
        try {
          const ids = new Set<string>();
          const walk = (t: ExpressionTree): void => {
            if ('conjunction' in t) {
              walk(t.left);
              walk(t.right);
            } else ids.add(canonicalId(t.license, t.plus === true));
          };
          walk(spdxParse(text.trim()));
          expected = [...ids];
        } catch {
          expected = undefined;
        }
        const parsed = parseExpression(text);
        expect(parsed.ok ? parsed.ids : undefined, text).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses parentheses nested 10,000 deep as nested too deeply, without running out of stack', () => {
    const deep = `${'('.repeat(10_000)}MIT${')'.repeat(10_000)}`;
    const parsed = parseExpression(deep);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.error).toBe('it is nested too deeply (more than 100 levels of parentheses)');
    // 100 levels, as deep as the limit allows, still read.
    expect(parseExpression(`${'(MIT AND '.repeat(99)}(MIT)${')'.repeat(99)}`).ok).toBe(true);
    expect(parseExpression(`${'('.repeat(101)}MIT${')'.repeat(101)}`).ok).toBe(false);
  });

  it('judges a valid expression of 50,000 terms, and every licence in it', () => {
    const many = Array.from({ length: 50_000 }, () => 'MIT').join(' OR ');
    const parsed = parseExpression(many);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.ids).toEqual(['MIT']);
    expect(expressionAllowed(parsed.tree, (id) => id === 'MIT')).toBe(true);

    const refs = Array.from({ length: 50_000 }, (_, i) => `LicenseRef-part-${i}`).join(' AND ');
    const all = parseExpression(`${refs} AND (GPL-3.0-only OR MIT)`);
    expect(all.ok).toBe(true);
    if (!all.ok) return;
    expect(all.ids).toHaveLength(50_002);
    const refused = disallowedIds(all.tree, (id) => id === 'MIT');
    expect(refused).toHaveLength(50_000);
    expect(refused[0]).toBe('LicenseRef-part-0');
    expect(refused.at(-1)).toBe('LicenseRef-part-49999');
  });

  it('quotes at most a short excerpt of what it cannot read', () => {
    const word = `Nonsense${'x'.repeat(1_000_000)}`;
    const parsed = parseExpression(`MIT OR ${word}`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.length).toBeLessThan(300);
      expect(parsed.error).toMatch(/^"Nonsensex+… \(1,000,008 characters\)" is not an SPDX licence id$/);
    }
  });
});
