// The Action's bundle as a runner meets it: its size, how long Node takes to load it and stop at a bad input
// (start-up alone), and a whole dry status run on a small git repository (loading, git, every check, the status
// files), each the median of 7 runs of `node dist/index.js` copied away from node_modules. Uses the committed
// dist/index.js (`npm run build:action` to refresh it).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const BUNDLE = new URL('../dist/index.js', import.meta.url).pathname;
const RUNS = 7;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]);
}

function time(script, env, cwd) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [script], { env, cwd, encoding: 'utf8' });
  const ms = performance.now() - started;
  return { ms, status: result.status, stdout: result.stdout };
}

export async function run() {
  const root = mkdtempSync(join(tmpdir(), 'openly-action-bench-'));
  try {
    const script = join(root, 'action', 'index.js');
    mkdirSync(join(root, 'action'));
    copyFileSync(BUNDLE, script);
    const workspace = join(root, 'workspace');
    mkdirSync(workspace);
    const fixture = new URL('../test/fixtures/action/repo/', import.meta.url).pathname;
    execFileSync('cp', ['-R', `${fixture}.`, workspace]);
    const git = (args) =>
      execFileSync('git', args, {
        cwd: workspace,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'A',
          GIT_AUTHOR_EMAIL: 'a@example.org',
          GIT_COMMITTER_NAME: 'A',
          GIT_COMMITTER_EMAIL: 'a@example.org',
        },
      })
        .toString()
        .trim();
    git(['init', '-q']);
    git(['add', '-A']);
    git(['commit', '-q', '--no-gpg-sign', '-m', 'init']);
    const sha = git(['rev-parse', 'HEAD']);
    writeFileSync(join(root, 'output'), '');
    writeFileSync(join(root, 'summary'), '');

    const base = { PATH: process.env.PATH ?? '', HOME: root };
    const badInput = { ...base, INPUT_MODE: 'relase', INPUT_TOKEN: 'x' };
    const dryStatus = {
      ...base,
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: 'nhsengland/book-a-vaccination',
      GITHUB_SHA: sha,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_OUTPUT: join(root, 'output'),
      GITHUB_STEP_SUMMARY: join(root, 'summary'),
      INPUT_MODE: 'status',
      'INPUT_DRY-RUN': 'true',
      'INPUT_FAIL-ON': 'never',
    };
    const bare = [];
    const starts = [];
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      bare.push(performance.now() - started);
      starts.push(time(script, badInput, root).ms);
      const full = time(script, dryStatus, workspace);
      if (full.status !== 0) throw new Error(`the dry status run failed:\n${full.stdout}`);
      runs.push(full.ms);
    }
    const bytes = statSync(BUNDLE).size;
    return {
      title: `Action bundle (dist/index.js) under Node ${process.versions.node}: size and start-up, median of ${RUNS}`,
      figures: [
        { name: 'bundle size', value: Math.round((bytes / 1024 / 1024) * 100) / 100, unit: 'MiB' },
        {
          name: 'bundle size, gzipped',
          value: Math.round((gzipSync(readFileSync(BUNDLE)).length / 1024 / 1024) * 100) / 100,
          unit: 'MiB',
        },
        { name: 'node -e 0 (for comparison)', value: median(bare), unit: 'ms' },
        { name: 'load the bundle and fail on a bad input', value: median(starts), unit: 'ms', target: 500 },
        { name: 'whole dry status run, small repository', value: median(runs), unit: 'ms', target: 2000 },
      ],
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
