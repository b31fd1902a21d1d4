import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { explain, type Explanation } from '../../src/parse/explain.js';
import { parseYaml } from '../../src/parse/yaml.js';

const schema = JSON.parse(
  readFileSync(new URL('../fixtures/config/explain/design-history.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function validator(verbose: boolean) {
  const ajv = new Ajv2020({ strict: true, allErrors: true, verbose });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

const verbose = validator(true);
const terse = validator(false);

function explainYaml(text: string, validate = verbose): Explanation[] {
  const parsed = parseYaml(text);
  expect(parsed.problems).toEqual([]);
  expect(validate(parsed.value)).toBe(false);
  return explain(validate.errors, parsed, { schema, data: parsed.value });
}

function only(text: string, validate = verbose): Explanation {
  const explanations = explainYaml(text, validate);
  expect(explanations).toHaveLength(1);
  return explanations[0]!;
}

const VALID = 'title: Booking flow\ndate: 2025-03-31\n';

describe('explain', () => {
  it.each([
    [
      'an unknown key, with a suggestion and the keys allowed',
      `${VALID}titel: x\n`,
      '3:1',
      'unknown key "titel" — did you mean "title"? (allowed here: title, date, status',
    ],
    ['a missing key', 'title: Booking flow\n', '1:1', 'missing required key "date" at the top level'],
    [
      'a date in the wrong form',
      'title: x\ndate: 31/03/2025\n',
      '2:7',
      'date must be a date like 2025-03-31 (found the text "31/03/2025")',
    ],
    [
      'a value not in the list',
      `${VALID}status: publish\n`,
      '3:9',
      'status must be one of: draft, published (found the text "publish") — did you mean "published"?',
    ],
    ['a wrong type', `${VALID}tags: design\n`, '3:7', 'tags must be a list (found the text "design")'],
    [
      'a number where text belongs',
      'title: 42\ndate: 2025-03-31\n',
      '1:8',
      'title must be a text value (found the number 42)',
    ],
    [
      'an empty value',
      'title:\ndate: 2025-03-31\n',
      '1:1',
      'title must be a text value (found nothing: the value is empty)',
    ],
    ['an empty list', `${VALID}tags: []\n`, '3:7', 'tags must list at least 1 item'],
    ['a repeated item', `${VALID}tags: [nhs, nhs]\n`, '3:13', 'tags lists "nhs" twice (items 1 and 2)'],
    [
      'a bad pattern, with the title and description',
      `${VALID}slug: Booking Flow\n`,
      '3:7',
      '"Booking Flow" is not a valid slug: Lower-case words joined by hyphens.',
    ],
    [
      'a bad email',
      `${VALID}contact: team at nhs\n`,
      '3:10',
      'contact must be an email address like team@example.gov.uk',
    ],
    ['a number out of range', `${VALID}rating: 9\n`, '3:9', 'rating must be at most 5 (found the number 9)'],
  ])('explains %s', (_, text, position, message) => {
    const explanation = only(text);
    expect(`${explanation.line}:${explanation.column}`).toBe(position);
    expect(explanation.message).toContain(message);
  });

  it('gives the schema description as a hint', () => {
    expect(only('title: x\ndate: soon\n').hint).toBe('The day of the entry.');
  });

  it('explains the branch of an anyOf that matches what was written: text', () => {
    const explanation = only(`${VALID}screenshots:\n  - ""\n`);
    expect(explanation.message).toBe('screenshots[0] must not be empty');
    expect(explanation.line).toBe(4);
  });

  it('explains the branch of an anyOf that matches what was written: a mapping', () => {
    const explanations = explainYaml(
      `${VALID}screenshots:\n  - src: flow.png\n    alt: The flow\n    captoin: x\n  - src: a.png\n`,
    );
    expect(explanations.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      '6:5 unknown key "captoin" in screenshots[0] — did you mean "caption"? (allowed here: src, alt, caption)',
      '7:5 missing required key "alt" in screenshots[1]',
    ]);
  });

  it('names the forms allowed when what was written matches no branch', () => {
    const explanation = only(`${VALID}screenshots:\n  - [a.png]\n`);
    expect(explanation.message).toBe(
      'screenshots[0] must be either a text value (image path) or a mapping with the keys src, alt, caption (found a list)',
    );
  });

  it('never passes on Ajv wording', () => {
    const explanations = explainYaml(
      'titel: 1\ndate: [1]\nstatus: x\nscreenshots: [1, {src: 2}]\ntags: [a, a]\n',
    );
    expect(explanations.length).toBeGreaterThan(4);
    for (const { message } of explanations) {
      expect(message).not.toMatch(
        /must NOT|must have required|must match|must be equal|additional properties|#\//,
      );
    }
  });

  it('works from the schema and data when errors carry neither (no verbose)', () => {
    expect(only(`${VALID}titel: x\n`, terse).message).toContain('did you mean "title"?');
    expect(only(`${VALID}status: publish\n`, terse).message).toContain('(found the text "publish")');
    expect(only(`${VALID}screenshots:\n  - [a.png]\n`, terse).message).toContain('either a text value');
  });

  it('explains each of thousands of failing anyOf items', () => {
    const text = `${VALID}screenshots:\n${'  - [a.png]\n'.repeat(20_000)}`;
    const explanations = explainYaml(text);
    expect(explanations).toHaveLength(20_000);
    expect(explanations[19_999]!.message).toContain('screenshots[19999] must be either');
  });

  it('returns nothing for no errors', () => {
    expect(explain(null, parseYaml(VALID))).toEqual([]);
  });
});
