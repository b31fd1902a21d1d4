// Precomputes the licence corpus index into lib/licences/corpus-index.bin, so that the first licence identified by
// `openly` reads a small binary file instead of parsing and indexing every SPDX licence text. Run after `tsc`
// (`npm run build`). The runtime builds the index itself when this file is absent or stale.
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { buildIndex, spdxTexts } from '../lib/licences/corpus.js';
import { INDEX_FILE } from '../lib/licences/corpus-index.js';
import { writeIndexFile } from '../lib/licences/index-file.js';

const started = performance.now();
const index = buildIndex(spdxTexts());
const bytes = writeIndexFile(INDEX_FILE, index);
const ms = Math.round(performance.now() - started);
process.stdout.write(
  `licence index: ${index.groups.length} texts, ${bytes} bytes, ${ms} ms → ${INDEX_FILE.pathname}\n`,
);
