import { describe, expect, it } from 'vitest';
import { checkDocsUrl, headingAnchor, RULES_DOC_URL, ruleDocsUrl } from '../../src/core/links.js';

describe('documentation links', () => {
  it.each([
    ['licence/missing', 'licencemissing'],
    ['signed-commits/unsigned', 'signed-commitsunsigned'],
    ['artefact/schema_v2', 'artefactschema_v2'],
    ['Licence/OGL.UK', 'licenceogluk'],
  ])('links rule %s to the heading anchor GitHub makes for it, #%s', (rule, anchor) => {
    expect(ruleDocsUrl(rule)).toBe(`https://github.com/openly-dev/openly/blob/main/docs/rules.md#${anchor}`);
  });

  it('makes anchors the way GitHub does for a heading with spaces and punctuation', () => {
    expect(headingAnchor('Signed commits: why?')).toBe('signed-commits-why');
  });

  it('links a check to its section of the same page', () => {
    expect(checkDocsUrl('community-files')).toBe(`${RULES_DOC_URL}#community-files`);
  });
});
