import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runnerFromEnv } from '../../src/queue/runner.js';

const WORKER = fileURLToPath(new URL('../../lib/queue/worker-main.js', import.meta.url));

describe('queue settings from the environment', () => {
  it('leaves the App on its in-process runner without REDIS_URL', () => {
    expect(runnerFromEnv({})).toBeUndefined();
    expect(runnerFromEnv({ REDIS_URL: '' })).toBeUndefined();
  });

  it('names the variable that is wrong', () => {
    expect(() => runnerFromEnv({ REDIS_URL: 'redis://127.0.0.1:1', OPENLY_QUEUE_ATTEMPTS: 'many' })).toThrow(
      'OPENLY_QUEUE_ATTEMPTS must be a whole number above 0; it is "many"',
    );
    expect(() =>
      runnerFromEnv({ REDIS_URL: 'redis://127.0.0.1:1', OPENLY_QUEUE_WAIT_MINUTES: '1.5' }),
    ).toThrow('OPENLY_QUEUE_WAIT_MINUTES must be a whole number above 0; it is "1.5"');
  });

  it.each([
    [{}, 'set REDIS_URL'],
    [
      { REDIS_URL: 'redis://127.0.0.1:1' },
      'set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH), or GITHUB_TOKEN',
    ],
    [
      { REDIS_URL: 'redis://127.0.0.1:1', GITHUB_TOKEN: 't', OPENLY_WORKER_CONCURRENCY: '0' },
      'OPENLY_WORKER_CONCURRENCY must be a whole number above 0; it is "0"',
    ],
  ])('a worker started with %j exits 2 saying what to set', (env, message) => {
    const run = spawnSync(process.execPath, [WORKER], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });
});
