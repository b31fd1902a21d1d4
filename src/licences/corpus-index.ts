/**
 * Where the corpus index comes from: the precomputed file the build writes next to this module
 * (`corpus-index.bin`, see scripts/build-licence-index.js), or, when it is absent or stale, the SPDX texts themselves.
 * Loaded on first use only.
 */
import { buildIndex, spdxTexts, type CorpusIndex } from './corpus.js';
import { readIndexFile } from './index-file.js';

/** The precomputed index's location: beside the compiled module. */
export const INDEX_FILE = new URL('./corpus-index.bin', import.meta.url);

let cache: { index: CorpusIndex; source: 'precomputed' | 'built' } | undefined;

function load(): { index: CorpusIndex; source: 'precomputed' | 'built' } {
  if (cache === undefined) {
    const stored = readIndexFile(INDEX_FILE);
    cache = stored
      ? { index: stored, source: 'precomputed' }
      : { index: buildIndex(spdxTexts()), source: 'built' };
  }
  return cache;
}

/** The index over every SPDX licence text, read or built on first call. */
export function corpusIndex(): CorpusIndex {
  return load().index;
}

/** Whether the index in use was read from the precomputed file or built from the texts. */
export function corpusIndexSource(): 'precomputed' | 'built' {
  return load().source;
}
