// The organisation audit through BullMQ on a real Redis, against the in-process audit of the same simulated
// organisation (300 repositories; OPENLY_BENCH_QUEUE_REPOS sets another size), served over loopback HTTP. Every
// client spaces its GraphQL requests a second apart per installation, as GitHub asks of integrations, and the
// workers share that spacing through Redis: so the wall time is bounded by the request count, whatever the number
// of workers. The unspaced in-process figure is Openly's own work. Needs Debian's redis-server; uses the built code.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LIB = new URL('../lib/', import.meta.url);
const { auditOrganisation } = await import(new URL('org/audit.js', LIB));
const { createAuditOctokit } = await import(new URL('org/octokit.js', LIB));
const { createOctokit } = await import(new URL('github/octokit.js', LIB));
const { queueRunner } = await import(new URL('queue/runner.js', LIB));
const { throttleId } = await import(new URL('queue/jobs.js', LIB));
const { serveOrganisation, simulatedRepository } = await import('./support/org-double.js');
const { redisServerPath, startRedis } = await import('./support/redis-server.js');
const { default: Bottleneck } = await import('bottleneck');
const { Redis } = await import('ioredis');

const ORG = 'bench-org';
const INSTALLATION = 4242;
const REPOSITORIES = Number(process.env.OPENLY_BENCH_QUEUE_REPOS ?? 300);
const WORKER = fileURLToPath(new URL('../lib/queue/worker-main.js', import.meta.url));

function startWorker(env) {
  const child = spawn(process.execPath, [WORKER], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise((resolve, reject) => {
    let seen = '';
    child.stdout.on('data', (chunk) => {
      seen += chunk.toString();
      if (seen.includes(': ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, ready, exited };
}

async function timed(run) {
  const started = performance.now();
  const report = await run();
  if (report.summary.repositories !== REPOSITORIES) {
    throw new Error(`${report.summary.repositories} repositories in the report, not ${REPOSITORIES}`);
  }
  return performance.now() - started;
}

export async function run() {
  const title = `Organisation audit of ${REPOSITORIES} repositories through BullMQ workers (Redis and GraphQL double on loopback)`;
  const binary = redisServerPath();
  if (binary === undefined) {
    return { title, figures: [{ name: 'skipped: redis-server is not installed', value: '', unit: '' }] };
  }
  const redis = await startRedis(binary);
  const double = await serveOrganisation({
    repositories: Array.from({ length: REPOSITORIES }, (_, i) => simulatedRepository(i)),
  });
  const { apiUrl } = double;
  const throttleClient = new Redis(redis.url, { maxRetriesPerRequest: null });
  const connection = new Bottleneck.IORedisConnection({ client: throttleClient });
  const workers = [];
  const runners = [];
  try {
    const { privateKey } = (await import('node:crypto')).generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const queued = [];
    for (const count of [1, 2]) {
      const prefix = `openly-bench-${count}`;
      const env = {
        PATH: process.env.PATH,
        REDIS_URL: redis.url,
        OPENLY_QUEUE_PREFIX: prefix,
        APP_ID: '1234',
        PRIVATE_KEY: privateKey,
        GITHUB_API_URL: apiUrl,
        OPENLY_WORKER_CONCURRENCY: '2',
      };
      const started = Array.from({ length: count }, () => startWorker(env));
      workers.push(...started);
      await Promise.all(started.map((w) => w.ready));
      const runner = queueRunner({ redisUrl: redis.url, prefix, attempts: 3, backoffMs: 1000 });
      runners.push(runner);
      const caller = createAuditOctokit({
        token: 'bench',
        apiUrl,
        shared: { id: throttleId(INSTALLATION), Bottleneck, connection },
      });
      queued.push(await timed(() => runner({ org: ORG, installationId: INSTALLATION }, caller)));
      for (const w of started) w.child.kill('SIGTERM');
      await Promise.all(started.map((w) => w.exited));
    }
    // In-process runs come last: the throttling plugin keeps the limiters of the first client in a process, and
    // the queue's caller must be that client for its listing to be spaced in Redis with the workers' reads.
    const requestsBefore = double.counts.listing + double.counts.files;
    const unspaced = await timed(() =>
      auditOrganisation({
        octokit: createOctokit({ token: 'bench', baseUrl: apiUrl, rateLimitWaits: 0, spacing: false }),
        org: ORG,
      }),
    );
    const requests = double.counts.listing + double.counts.files - requestsBefore;
    const spaced = await timed(() =>
      auditOrganisation({ octokit: createAuditOctokit({ token: 'bench', apiUrl }), org: ORG }),
    );
    return {
      title,
      figures: [
        { name: 'GraphQL requests per audit', value: requests, unit: 'requests' },
        { name: 'in-process, unspaced (Openly’s own work)', value: unspaced, unit: 'ms' },
        { name: 'in-process, one request a second', value: spaced, unit: 'ms' },
        { name: 'queue, one worker (concurrency 2)', value: queued[0], unit: 'ms' },
        { name: 'queue, two workers (concurrency 2 each)', value: queued[1], unit: 'ms' },
      ],
    };
  } finally {
    for (const w of workers)
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.allSettled(runners.map((r) => r.close()));
    throttleClient.disconnect();
    await double.close();
    await redis.stop();
  }
}
