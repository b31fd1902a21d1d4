import { describe, expect, it } from 'vitest';
import { groupedPlural, listWords, optional, plural } from '../../src/core/words.js';

describe('words for messages', () => {
  it.each([
    [plural(1, 'error'), '1 error'],
    [plural(0, 'error'), '0 errors'],
    [plural(2, 'entry', 'entries'), '2 entries'],
    [plural(1200, 'file'), '1200 files'],
    [groupedPlural(1200, 'file'), '1,200 files'],
    [groupedPlural(1, 'row'), '1 row'],
    [listWords([]), ''],
    [listWords(['MIT']), 'MIT'],
    [listWords(['MIT', 'OGL-UK-3.0']), 'MIT and OGL-UK-3.0'],
    [listWords(['a', 'b', 'c'], 'or'), 'a, b or c'],
  ])('says %j', (said, expected) => {
    expect(said).toBe(expected);
  });

  it('leaves out a property whose value is undefined, keeping one that is null or empty', () => {
    expect(optional('path', undefined)).toEqual({});
    expect('path' in optional('path', undefined)).toBe(false);
    expect(optional('path', '')).toEqual({ path: '' });
    expect(optional('line', null)).toEqual({ line: null });
  });
});
