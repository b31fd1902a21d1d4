/**
 * `npm run worker`: an audit worker, configured from the environment. REDIS_URL (required); APP_ID and
 * PRIVATE_KEY (or PRIVATE_KEY_PATH) to read as each job's App installation, or GITHUB_TOKEN; GITHUB_API_URL and
 * GITHUB_GRAPHQL_URL for GitHub Enterprise Server; OPENLY_WORKER_CONCURRENCY batches at once (default 2).
 * SIGTERM or SIGINT finishes the batches in hand, then exits.
 */
import { readFileSync } from 'node:fs';
import { positiveSetting, queueSettings } from './settings.js';
import { startWorker } from './worker.js';

function privateKey(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PRIVATE_KEY !== undefined && env.PRIVATE_KEY !== '') return env.PRIVATE_KEY.replace(/\\n/g, '\n');
  if (env.PRIVATE_KEY_PATH !== undefined && env.PRIVATE_KEY_PATH !== '') {
    return readFileSync(env.PRIVATE_KEY_PATH, 'utf8');
  }
  return undefined;
}

function main(env: NodeJS.ProcessEnv): void {
  const settings = queueSettings(env);
  if (settings === undefined) {
    process.stderr.write('openly worker: set REDIS_URL to the Redis the App enqueues audits on\n');
    process.exit(2);
  }
  const appId = env.APP_ID === undefined || env.APP_ID === '' ? undefined : positiveSetting(env, 'APP_ID', 0);
  const key = privateKey(env);
  const token = env.GITHUB_TOKEN === '' ? undefined : env.GITHUB_TOKEN;
  if ((appId === undefined || key === undefined) && token === undefined) {
    process.stderr.write(
      'openly worker: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH), or GITHUB_TOKEN\n',
    );
    process.exit(2);
  }
  const lockMs = env.OPENLY_QUEUE_LOCK_MS ? positiveSetting(env, 'OPENLY_QUEUE_LOCK_MS', 30_000) : undefined;
  const stalledCheckMs = env.OPENLY_QUEUE_STALLED_CHECK_MS
    ? positiveSetting(env, 'OPENLY_QUEUE_STALLED_CHECK_MS', 30_000)
    : undefined;
  const worker = startWorker({
    redisUrl: settings.redisUrl,
    prefix: settings.prefix,
    concurrency: positiveSetting(env, 'OPENLY_WORKER_CONCURRENCY', 2),
    ...(appId === undefined ? {} : { appId }),
    ...(key === undefined ? {} : { privateKey: key }),
    ...(token === undefined ? {} : { token }),
    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
    ...(env.GITHUB_GRAPHQL_URL ? { graphqlUrl: env.GITHUB_GRAPHQL_URL } : {}),
    ...(lockMs === undefined ? {} : { lockMs }),
    ...(stalledCheckMs === undefined ? {} : { stalledCheckMs }),
    log: (message) => process.stdout.write(`openly worker ${process.pid}: ${message}\n`),
  });
  process.stdout.write(`openly worker ${process.pid}: ready\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`openly worker ${process.pid}: ${signal}, finishing the batches in hand\n`);
    worker.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`openly worker: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

try {
  main(process.env);
} catch (error) {
  process.stderr.write(`openly worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
