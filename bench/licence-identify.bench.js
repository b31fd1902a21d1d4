// Licence identification: the cold first call (a fresh node process: import, load or build the index, identify
// one text) and the warm rate over a mixed set (every SPDX text, each also re-wrapped with CRLF and a Markdown
// title, and the fixture files under test/fixtures/licences). Also counts how many SPDX texts identify as
// themselves (or a licence with an identical text). Uses the built code: run `npm run build` first.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const LIB = new URL('../lib/licences/', import.meta.url);
const FIXTURES = new URL('../test/fixtures/licences/', import.meta.url);
const COLD_RUNS = 5;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function rewrap(text, width) {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((para) => {
      const out = [];
      let line = '';
      for (const word of para.trim().split(/\s+/).filter(Boolean)) {
        if (line && line.length + 1 + word.length > width) {
          out.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      if (line) out.push(line);
      return out.join('\n');
    })
    .join('\n\n');
}

/** Milliseconds from `import()` to the first result returned, in a fresh process (median of a few). */
function coldStart() {
  const url = new URL('identify.js', LIB).href;
  const script = `
    const t0 = performance.now();
    const { identifyLicence } = await import(${JSON.stringify(url)});
    identifyLicence('Permission is hereby granted, free of charge, to any person obtaining a copy of this software');
    const { corpusIndexSource } = await import(${JSON.stringify(new URL('corpus-index.js', LIB).href)});
    process.stdout.write(JSON.stringify({ ms: performance.now() - t0, source: corpusIndexSource() }));
  `;
  const runs = [];
  let source = 'unknown';
  for (let i = 0; i < COLD_RUNS; i++) {
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    );
    runs.push(out.ms);
    source = out.source;
  }
  return { ms: median(runs), source };
}

export async function run() {
  const { identifyLicence } = await import(new URL('identify.js', LIB).href);
  const { corpusIndex } = await import(new URL('corpus-index.js', LIB).href);
  const cold = coldStart();

  const full = require('spdx-license-list/full');
  const ids = Object.keys(full);
  const index = corpusIndex();
  let self = 0;
  for (const id of ids) {
    const r = identifyLicence(full[id].licenseText);
    if (r.spdx !== null && index.groupOf.get(r.spdx) === index.groupOf.get(id)) self++;
  }

  const texts = ids.map((id) => full[id].licenseText);
  for (const id of ids) texts.push(`\uFEFF# ${rewrap(full[id].licenseText, 60).replace(/\n/g, '\r\n')}\r\n`);
  for (const name of readdirSync(FIXTURES)) {
    if (!name.endsWith('.json') && !name.endsWith('.mjs'))
      texts.push(readFileSync(new URL(name, FIXTURES), 'utf8'));
  }
  for (const t of texts.slice(0, 200)) identifyLicence(t);
  let done = 0;
  const started = performance.now();
  let elapsed = 0;
  // At least two passes and a second of work, so that the rate is not one pass's noise.
  while (done < texts.length * 2 || elapsed < 1000) {
    for (const t of texts) identifyLicence(t);
    done += texts.length;
    elapsed = performance.now() - started;
  }
  const rate = (done / elapsed) * 1000;
  const bytes = texts.reduce((sum, t) => sum + t.length, 0);

  return {
    title: 'Licence identification',
    figures: [
      { name: `cold first call (index ${cold.source})`, value: cold.ms, unit: 'ms', target: 250 },
      {
        name: `warm identifications, mixed set of ${texts.length}`,
        value: rate,
        unit: 'texts/s',
        target: { min: 2000 },
      },
      { name: 'warm throughput', value: ((bytes / texts.length) * rate) / 1e6, unit: 'MB/s' },
      {
        name: `SPDX texts identified as themselves (of ${ids.length})`,
        value: self,
        unit: 'texts',
        target: { min: ids.length },
      },
    ],
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fileURLToPath(pathToFileURL(process.argv[1]))) {
  const result = await run();
  console.log(result.title);
  for (const f of result.figures) {
    const value = f.value >= 100 ? Math.round(f.value).toLocaleString('en-GB') : f.value.toFixed(2);
    console.log(
      `  ${f.name}: ${value} ${f.unit}${f.target === undefined ? '' : `  (target ${JSON.stringify(f.target)})`}`,
    );
  }
}
