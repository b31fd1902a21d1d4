// `npm run bench`: runs every bench/*.bench.js and prints one table. Each module exports
// `async function run()` returning { title, figures: [{ name, value, unit, target? }] }, where target is a number
// (an upper bound), { max } and/or { min }, or a string such as '<= 1500' or '>= 0.95'.
// `node bench/run.js monorepo` runs only the modules whose file name contains "monorepo".
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);

function bounds(target) {
  if (target === undefined || target === null) return undefined;
  if (typeof target === 'number') return { max: target };
  if (typeof target === 'string') {
    const match = /^\s*(<=?|>=?)\s*(-?[\d.]+)\s*$/.exec(target);
    if (match === null) return undefined;
    const bound = Number(match[2]);
    return match[1].startsWith('<')
      ? { max: bound, strict: match[1] === '<' }
      : { min: bound, strict: match[1] === '>' };
  }
  return { min: target.min, max: target.max };
}

function describeTarget(target) {
  const b = bounds(target);
  if (b === undefined) return target === undefined ? '' : String(target);
  const parts = [];
  if (b.min !== undefined) parts.push(`${b.strict ? '>' : '≥'} ${format(b.min)}`);
  if (b.max !== undefined) parts.push(`${b.strict ? '<' : '≤'} ${format(b.max)}`);
  return parts.join(' and ');
}

function met(value, target) {
  const b = bounds(target);
  if (b === undefined) return '';
  if (typeof value !== 'number' || Number.isNaN(value)) return 'no';
  const low = b.min === undefined || (b.strict ? value > b.min : value >= b.min);
  const high = b.max === undefined || (b.strict ? value < b.max : value <= b.max);
  return low && high ? 'yes' : 'NO';
}

function format(value) {
  if (typeof value !== 'number') return String(value);
  if (Number.isNaN(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-GB');
  return Number(value.toPrecision(3)).toLocaleString('en-GB', { maximumFractionDigits: 3 });
}

/** Rows are arrays of cells, or { heading } lines that span the table and do not widen its columns. */
function table(rows) {
  const cells = rows.filter(Array.isArray);
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  const line = (row) =>
    row.map((cell, i) => (i === 1 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [
    line(rows[0]),
    rule,
    ...rows.slice(1).map((row) => (Array.isArray(row) ? line(row) : row.heading)),
  ].join('\n');
}

const modules = readdirSync(here)
  .filter(
    (name) => name.endsWith('.bench.js') && (only.length === 0 || only.some((word) => name.includes(word))),
  )
  .sort();

const load = loadavg()
  .map((n) => n.toFixed(2))
  .join(' ');
console.log(`openly benchmarks: node ${process.version}, ${cpus().length} CPUs, load average ${load}`);
console.log('(other work on the machine makes these figures noisy: compare runs taken on a quiet machine)\n');

const rows = [['figure', 'value', 'unit', 'target', 'met?']];
let failed = 0;
let unmet = 0;
for (const name of modules) {
  try {
    const module = await import(pathToFileURL(join(here, name)).href);
    if (typeof module.run !== 'function') throw new Error('exports no run() function');
    const result = await module.run();
    if (result === null || typeof result !== 'object' || !Array.isArray(result.figures)) {
      throw new Error('run() must return { title, figures: [...] }');
    }
    rows.push({ heading: `${result.title ?? name}` });
    for (const figure of result.figures) {
      const verdict = met(figure.value, figure.target);
      if (verdict === 'NO' || verdict === 'no') unmet++;
      rows.push([
        `  ${figure.name}`,
        format(figure.value),
        figure.unit ?? '',
        describeTarget(figure.target),
        verdict,
      ]);
    }
  } catch (error) {
    failed++;
    rows.push({ heading: `${name}: FAILED: ${error instanceof Error ? error.message : String(error)}` });
    if (error instanceof Error && error.stack !== undefined) console.error(error.stack);
  }
}

console.log(table(rows));
console.log(
  `\n${modules.length} benchmark module(s), ${failed} failed; ${unmet === 0 ? 'every target met' : `${unmet} target(s) not met`}`,
);
if (failed > 0) process.exitCode = 1;
