// Times `openly check` on a generated 50,000-file monorepo, as a person would run it: a fresh node process,
// wall time and that process's peak memory. Also times the local snapshot on its own.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateMonorepo } from './generate-monorepo.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FILES = Number(process.env.OPENLY_BENCH_FILES ?? 50000);
const RUNS = 5;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * The generated repository, made once and kept under .bench/. The key hashes the generator's source, so a
 * change to it regenerates rather than measuring a stale tree; older copies are removed.
 */
function monorepo() {
  const generator = readFileSync(new URL('./generate-monorepo.js', import.meta.url));
  const key = createHash('sha256').update(generator).update(String(FILES)).digest('hex').slice(0, 12);
  const cache = join(ROOT, '.bench');
  const dir = join(cache, `monorepo-${FILES}-${key}`);
  // The marker sits beside the repository, not in it, where it would be an untracked file.
  const ready = `${dir}.ready`;
  if (existsSync(ready)) return dir;
  mkdirSync(cache, { recursive: true });
  for (const name of readdirSync(cache)) {
    if (name.startsWith('monorepo-')) rmSync(join(cache, name), { recursive: true, force: true });
  }
  process.stderr.write(`generating a ${FILES.toLocaleString('en-GB')}-file monorepo in ${dir} (once)...\n`);
  mkdirSync(dir, { recursive: true });
  const { head } = generateMonorepo(dir, { files: FILES });
  writeFileSync(ready, `${head}\n`);
  return dir;
}

/** Runs `node <args>` with the peak-memory hook; returns wall time (ms), peak RSS (MB), status and output. */
function measure(args, scratch, run) {
  const rssFile = join(scratch, `rss-${run}`);
  const hook = pathToFileURL(join(ROOT, 'bench/max-rss.js')).href;
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', hook, ...args], {
    cwd: ROOT,
    env: { ...process.env, OPENLY_BENCH_RSS_FILE: rssFile, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = performance.now() - started;
  const rssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
  return { ms, mb: rssKb / 1024, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What to run: the CLI when it is built and works on this repository, else the snapshot-only fallback. */
function chooseSubject(dir, scratch) {
  const cli = join(ROOT, 'lib/cli/main.js');
  let why = 'lib/cli/main.js does not exist (run npm run build, or the CLI is not written yet)';
  if (existsSync(cli)) {
    const args = [join(ROOT, 'bin/openly.js'), 'check', dir, '--format', 'json'];
    const trial = measure(args, scratch, 'trial');
    let report;
    try {
      report = JSON.parse(trial.stdout);
    } catch {
      report = undefined;
    }
    if ((trial.status === 0 || trial.status === 1) && report?.tool === 'openly') {
      return { label: 'CLI: node bin/openly.js check DIR --format json', args };
    }
    const lines = trial.stderr.trim().split('\n');
    const reason = (lines.find((line) => /error/i.test(line)) ?? lines[0] ?? '').trim().slice(0, 160);
    why = `the CLI failed (exit ${trial.status}: ${reason})`;
  }
  process.stderr.write(`monorepo bench: measuring the FALLBACK because ${why}\n`);
  return {
    label: `FALLBACK, not the CLI (${why}): snapshot list + licence reads + SPDX grep`,
    args: [join(ROOT, 'bench/snapshot-fallback.js'), dir],
  };
}

export async function run() {
  const dir = monorepo();
  const scratch = mkdtempSync(join(tmpdir(), 'openly-bench-'));
  try {
    const subject = chooseSubject(dir, scratch);
    // One untimed run first, so that every timed run finds the files in the page cache.
    measure(subject.args, scratch, 'warm');
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(measure(subject.args, scratch, i));

    const { openLocalSnapshot } = await import(pathToFileURL(join(ROOT, 'lib/sources/local.js')).href);
    // Listing alone: without the header grep a big snapshot starts ahead in a worker, which an open that is never
    // grepped would leave running into the next open.
    const listing = [];
    let listed = 0;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      listed = openLocalSnapshot(dir, { grepAhead: false }).files().length;
      listing.push(performance.now() - started);
    }
    const snapshot = openLocalSnapshot(dir, { grepAhead: false });
    const grep = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      snapshot.grep('SPDX-License-Identifier:', { maxLines: 5 });
      grep.push(performance.now() - started);
    }
    // As the CLI does it: open (the grep starts ahead), then grep, which waits for it.
    const ahead = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      openLocalSnapshot(dir).grep('SPDX-License-Identifier:', { maxLines: 30 });
      ahead.push(performance.now() - started);
    }
    const listMs = median(listing);
    const n = FILES.toLocaleString('en-GB');
    return {
      title: `Monorepo of ${n} files, measuring ${subject.label}`,
      figures: [
        {
          name: `wall time, median of ${RUNS} runs`,
          value: median(runs.map((r) => r.ms)),
          unit: 'ms',
          target: { max: 1500 },
        },
        {
          name: 'peak memory (max RSS) of that process, median',
          value: median(runs.map((r) => r.mb)),
          unit: 'MB',
          target: { max: 300 },
        },
        {
          name: `snapshot alone: open + list ${listed.toLocaleString('en-GB')} files, median`,
          value: listMs,
          unit: 'ms',
          target: { max: 300 },
        },
        { name: 'snapshot alone: files listed per second', value: listed / (listMs / 1000), unit: 'files/s' },
        {
          name: 'snapshot alone: grep SPDX headers (first 5 lines), median of 3',
          value: median(grep),
          unit: 'ms',
        },
        {
          name: 'snapshot alone: open + list + SPDX header grep started ahead, median of 3',
          value: median(ahead),
          unit: 'ms',
        },
      ],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
