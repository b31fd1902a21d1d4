/**
 * The committed bundle itself, as a runner starts it: `node dist/index.js`, copied away from the repository so that
 * no node_modules can be found, on a fresh git checkout, with the runner's variables set. A local server stands in
 * for GitHub's API and counts requests: a dry run must make none.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkout, cleanUp, readOutputs, tempDir } from './support.js';

const run = promisify(execFile);
const BUNDLE = new URL('../../dist/index.js', import.meta.url).pathname;

let server: Server;
let api = '';
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(500).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  cleanUp();
  await new Promise((done) => server.close(done));
});

describe('dist/index.js', () => {
  it('runs alone in status mode, dry, writing outputs, summary and status files with no request', async () => {
    const root = tempDir('openly-bundle-');
    const workspace = join(root, 'workspace');
    const sha = checkout(workspace);
    const action = join(root, 'action', 'index.js');
    mkdirSync(join(root, 'action'));
    // The Action ships dist/ as it is: index.js and the worker modules it starts from beside itself.
    for (const file of readdirSync(dirname(BUNDLE)))
      copyFileSync(join(dirname(BUNDLE), file), join(root, 'action', file));
    const outputFile = join(root, 'output.txt');
    const summaryFile = join(root, 'summary.md');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const event = join(root, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({ ref: 'refs/heads/master', repository: { default_branch: 'master' } }),
    );

    const { stdout } = await run(process.execPath, [action], {
      cwd: workspace,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: root,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_REPOSITORY: 'nhsengland/book-a-vaccination',
        GITHUB_SHA: sha,
        GITHUB_REF: 'refs/heads/master',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: event,
        GITHUB_API_URL: api,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        INPUT_TOKEN: 'ghs_bundleToken',
        INPUT_PATH: '.',
        INPUT_MODE: 'status',
        'INPUT_DRY-RUN': 'true',
        'INPUT_FAIL-ON': 'error',
        'INPUT_STATUS-DIR': 'openly-status',
        'INPUT_PAGES-BRANCH': 'gh-pages',
      },
    });

    expect(hits).toEqual([]);
    expect(stdout).toContain('GitHub requests: 0');
    expect(stdout).toContain('::add-mask::ghs_bundleToken');
    const outputs = readOutputs(outputFile);
    expect(outputs.status).toBe('pass');
    expect(outputs['report-path']).toBe(join(workspace, 'openly-status', 'report.json'));
    expect(readFileSync(summaryFile, 'utf8')).toContain('nhsengland/book-a-vaccination');

    // The embedded schemas and licence index are at work: the licence is identified, the artefacts check ran.
    const report = JSON.parse(readFileSync(join(workspace, 'openly-status', 'report.json'), 'utf8')) as {
      summary: { errors: number; checks: number };
      results: { check: string; status: string; data?: { licences?: { spdx: string }[] } }[];
    };
    expect(report.summary).toMatchObject({ errors: 0, checks: 9 });
    expect(report.results.find((r) => r.check === 'licence')?.data?.licences?.[0]?.spdx).toBe('MIT');
    expect(report.results.map((r) => r.status)).not.toContain('error');
    const page = readFileSync(join(workspace, 'openly-status', 'index.html'), 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(JSON.parse(readFileSync(join(workspace, 'openly-status', 'status.json'), 'utf8'))).toMatchObject({
      schemaVersion: 1,
      message: 'passing',
    });
  });

  it('fails with a clear message and exit code 1 on a mistyped mode', async () => {
    const root = tempDir('openly-bundle-');
    const result = await run(process.execPath, [BUNDLE], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', INPUT_MODE: 'relase', INPUT_TOKEN: 'x' },
    }).catch((error: { code: number; stdout: string }) => error);
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stdout).toContain(
      '::error::Openly could not run: input "mode": unknown value "relase" (did you mean "release-notes"?)',
    );
  });
});
