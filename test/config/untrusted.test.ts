import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checks } from '../../src/checks/index.js';
import { ConfigError, parseConfig, validateConfig } from '../../src/config/load.js';

const options = { knownRules: new Set(['licence/missing', 'community-files/readme']), checks };

/** Text built from the pieces an Openly config is made of, so that most runs get past the YAML parser. */
const configish = fc
  .array(
    fc.constantFrom(
      'licence',
      'community-files',
      'rules',
      '_extends',
      'level',
      'allowed',
      'paths',
      'path',
      'licence/missing',
      'error',
      'warning',
      'off',
      'MIT',
      'OGL-3.0',
      ': ',
      ':',
      '\n',
      '  ',
      '- ',
      '[',
      ']',
      '{',
      '}',
      ', ',
      '"',
      '&a ',
      '*a',
      '#',
      '\t',
      '---\n',
      '~',
      '1',
      'null',
      '__proto__',
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('untrusted configuration text', () => {
  it('parseConfig throws nothing but ConfigError, with positions', () => {
    fc.assert(
      fc.property(fc.oneof(configish, fc.string({ unit: 'grapheme', maxLength: 200 })), (text) => {
        try {
          parseConfig(text, 'openly.yml', options);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          for (const problem of (error as ConfigError).problems) {
            expect(problem.line).toBeGreaterThanOrEqual(1);
            expect(problem.message).not.toMatch(/must NOT|must have required|must match|must be equal/);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('validateConfig never throws, and agrees with parseConfig', () => {
    fc.assert(
      fc.property(configish, (text) => {
        const problems = validateConfig(text, 'openly.yml', options);
        let rejected = false;
        try {
          parseConfig(text, 'openly.yml', options);
        } catch {
          rejected = true;
        }
        expect(rejected).toBe(problems.length > 0);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    [
      'invalid licence ids',
      `licence:\n  allowed:\n${Array.from({ length: 40_000 }, (_, i) => `    - Not-A-Licence-${i}\n`).join('')}`,
    ],
    [
      'unknown rules',
      `rules:\n${Array.from({ length: 40_000 }, (_, i) => `  licence/made-up-${i}: off\n`).join('')}`,
    ],
    ['wrong types', `licence:\n  paths:\n${Array.from({ length: 40_000 }, () => '    - [a]\n').join('')}`],
    ['one enormous id', `licence:\n  allowed: [${'x'.repeat(900_000)}]\n`],
  ])('answers a huge file of %s with a bounded list of problems', (_, text) => {
    const problems = validateConfig(text, 'openly.yml', options);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.length).toBeLessThanOrEqual(51);
    expect(Math.max(...problems.map((problem) => problem.message.length))).toBeLessThan(400);
  });
});
