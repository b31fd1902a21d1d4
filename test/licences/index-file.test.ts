import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { corpusIndex } from '../../src/licences/corpus-index.js';
import { decodeIndex, encodeIndex } from '../../src/licences/index-file.js';

const require = createRequire(import.meta.url);
const full = require('spdx-license-list/full') as Record<string, { licenseText: string }>;

describe('the precomputed index file', () => {
  it('reads back to an index that matches the same bigrams for the same licences', () => {
    const built = corpusIndex();
    const read = decodeIndex(encodeIndex(built));
    expect(read).toBeDefined();
    expect(read!.groups).toEqual(built.groups);
    expect([...read!.vocab]).toEqual([...built.vocab]);
    expect(Array.from(read!.shingles)).toEqual(Array.from(built.shingles));
    expect(Array.from(read!.postings)).toEqual(Array.from(built.postings));
    // Every bigram of a real text resolves to the same id through the rebuilt pair table.
    const words = full['OGL-UK-3.0']!.licenseText.toLowerCase().match(/[a-z]+/g)!;
    for (let i = 0; i + 1 < words.length; i++) {
      const a = built.vocab.get(words[i]!);
      const b = built.vocab.get(words[i + 1]!);
      if (a !== undefined && b !== undefined) expect(read!.pairs.get(a, b)).toBe(built.pairs.get(a, b));
    }
  });

  it('is refused when it is not an index or was written in another format', () => {
    expect(decodeIndex(Buffer.from('not an index at all'))).toBeUndefined();
    const data = encodeIndex(corpusIndex());
    const headerLength = data.readUInt32LE(4);
    const header = JSON.parse(data.toString('utf8', 8, 8 + headerLength)) as { format: number };
    const stale = Buffer.from(data);
    stale.write(
      JSON.stringify({ ...header, format: header.format + 1 }).padEnd(headerLength, ' '),
      8,
      'utf8',
    );
    expect(decodeIndex(stale)).toBeUndefined();
  });
});
