// Audits through BullMQ on a real Redis: two worker processes (the built `npm run worker`) judge a simulated
// organisation of 300 repositories served over loopback HTTP, one is killed while it holds a batch, and the report
// still has every repository exactly once, as an in-process audit of the same organisation has them.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import {
  serveOrganisation,
  simulatedRepository,
  type OrganisationDouble,
} from '../../bench/support/org-double.js';
import { createOctokit } from '../../src/github/octokit.js';
import { auditOrganisation } from '../../src/org/audit.js';
import { createAuditOctokit } from '../../src/org/octokit.js';
import type { AuditReport } from '../../src/org/report.js';
import { throttleId } from '../../src/queue/jobs.js';
import { queueRunner, type QueueRunner } from '../../src/queue/runner.js';
import { validateGraphqlResponse, validateRestResponse } from '../support/github-schemas.js';
import { redisServerPath, startRedis, type RunningRedis } from '../../bench/support/redis-server.js';

const ORG = 'nhs-digital-team';
const INSTALLATION = 4242;
const REPOSITORIES = 300;
const WORKER = fileURLToPath(new URL('../../lib/queue/worker-main.js', import.meta.url));
const redisServer = redisServerPath();
if (redisServer === undefined) {
  console.warn('redis-server is not installed: the BullMQ worker test is skipped (`.ci/run` installs it)');
}

interface RunningWorker {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

let redis: RunningRedis | undefined;
let double: OrganisationDouble | undefined;
let runner: QueueRunner | undefined;
let throttleClient: Redis | undefined;
const workers: RunningWorker[] = [];
const invalid: string[] = [];

function startWorker(env: NodeJS.ProcessEnv): RunningWorker {
  const child = spawn(process.execPath, [WORKER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let rest = '';
  const take = (chunk: Buffer) => {
    const text = rest + chunk.toString();
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = { child, lines, exited };
  onTestFailed(() => console.log(`worker ${child.pid}:\n${lines.join('\n')}`));
  workers.push(running);
  return running;
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  if (redisServer === undefined) return;
  redis = await startRedis(redisServer);
  double = await serveOrganisation({
    repositories: Array.from({ length: REPOSITORIES }, (_, i) => simulatedRepository(i)),
    onGraphql: (query, variables, answer) => {
      try {
        validateGraphqlResponse(query, variables, answer.data);
      } catch (error) {
        invalid.push(String(error));
      }
    },
    onToken: (_id, answer) => {
      try {
        validateRestResponse('POST', '/app/installations/{installation_id}/access_tokens', 201, answer);
      } catch (error) {
        invalid.push(String(error));
      }
    },
  });
}, 30_000);

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  await Promise.allSettled(workers.map((w) => w.exited));
  await runner?.close();
  throttleClient?.disconnect();
  await double?.close();
  await redis?.stop();
}, 30_000);

describe.skipIf(redisServer === undefined)('audits through BullMQ workers', () => {
  it('loses no repository when a worker is killed holding a batch', async () => {
    const { url } = redis!;
    const { apiUrl } = double!;
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const env = {
      PATH: process.env.PATH,
      REDIS_URL: url,
      APP_ID: '1234',
      PRIVATE_KEY: privateKey,
      GITHUB_API_URL: apiUrl,
      OPENLY_QUEUE_PREFIX: 'openly-test',
      OPENLY_WORKER_CONCURRENCY: '1',
      // A killed worker's batch is taken again within seconds rather than BullMQ's default half-minute.
      OPENLY_QUEUE_LOCK_MS: '3000',
      OPENLY_QUEUE_STALLED_CHECK_MS: '1000',
    };
    const [first, second] = [startWorker(env), startWorker(env)];
    await until('both workers ready', () =>
      [first, second].every((w) => w.lines.some((line) => line.endsWith(': ready'))),
    );

    // Kill whichever worker takes a batch first, while it holds it.
    let killed: { worker: RunningWorker; batch: string } | undefined;
    const watch = setInterval(() => {
      if (killed !== undefined) return;
      for (const worker of [first, second]) {
        const took = worker.lines.map((line) => / took \S+ batch (\d+)/.exec(line)?.[1]).find(Boolean);
        if (took !== undefined) {
          worker.child.kill('SIGKILL');
          killed = { worker, batch: took };
          return;
        }
      }
    }, 5);

    throttleClient = new Redis(url, { maxRetriesPerRequest: null });
    const connection = new Bottleneck.IORedisConnection({ client: throttleClient });
    runner = queueRunner({ redisUrl: url, prefix: 'openly-test', attempts: 3, backoffMs: 200 });
    const caller = createAuditOctokit({
      token: 'ghs_app_side_installation_token',
      apiUrl,
      shared: { id: throttleId(INSTALLATION), Bottleneck, connection },
    });
    let report: AuditReport;
    try {
      report = await runner({ org: ORG, installationId: INSTALLATION }, caller);
    } finally {
      clearInterval(watch);
    }

    // The same organisation judged in this process, unspaced: what the queue's report must equal. It comes second
    // because the throttling plugin keeps its limiters for the whole process, built with the first client's
    // connection: the caller's, so that its listing is spaced in Redis with the workers' reads.
    const reference: AuditReport = await auditOrganisation({
      octokit: createOctokit({ token: 'ghs_reference', baseUrl: apiUrl, rateLimitWaits: 0, spacing: false }),
      org: ORG,
    });
    expect(reference.summary.repositories).toBe(REPOSITORIES);

    expect(killed).toBeDefined();
    const survivor = killed!.worker === first ? second : first;
    expect(await killed!.worker.exited).toBe(null);
    // The killed worker's batch was judged again by the other.
    expect(survivor.lines.some((line) => line.includes(`judged ${ORG} batch ${killed!.batch}`))).toBe(true);

    const names = report.repositories.map((r) => r.name);
    expect(new Set(names).size).toBe(REPOSITORIES);
    expect(names).toEqual(reference.repositories.map((r) => r.name));
    expect(report.summary).toEqual(reference.summary);
    expect(report.repositories).toEqual(JSON.parse(JSON.stringify(reference.repositories)));

    // Workers read as the installation, with a token minted from the App's key, never the caller's token.
    expect(double!.counts.tokens).toBeGreaterThanOrEqual(1);
    expect(double!.authorisations.some((a) => a.includes('ghs_installation4242'))).toBe(true);
    expect(invalid).toEqual([]);

    // The caller and both workers spaced their requests in one Redis-backed limiter, the installation's.
    const keys = await throttleClient.keys('b_octokit-write-*');
    expect(keys.some((key) => key.startsWith(`b_octokit-write-${throttleId(INSTALLATION)}_`))).toBe(true);
    expect(keys.filter((key) => key.includes('no-id'))).toEqual([]);

    // SIGTERM: the survivor finishes what it holds and exits cleanly.
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
    // About 25 s on a quiet 2-core machine (9 requests a second apart, 300 repositories judged twice); the margin is
    // for a machine busy with the rest of the suite.
  }, 120_000);

  it('ends an audit with no worker running, saying so for each repository, and leaves no batch queued', async () => {
    const { url } = redis!;
    const { apiUrl } = double!;
    const prefix = 'openly-unworked';
    const lonely = queueRunner({ redisUrl: url, prefix, attempts: 2, backoffMs: 100, waitMs: 300 });
    try {
      const report = await lonely(
        { org: ORG, installationId: INSTALLATION },
        createOctokit({ token: 'ghs_caller', baseUrl: apiUrl, rateLimitWaits: 0, spacing: false }),
      );
      expect(report.summary).toMatchObject({ repositories: REPOSITORIES, failing: REPOSITORIES });
      expect(report.repositories[0]!.reason).toBe(
        'Not judged within 300 ms of being queued: is a worker running (npm run worker, or OPENLY_APP_WORKER=true) on the same Redis and prefix?',
      );
    } finally {
      await lonely.close();
    }
    // A worker started afterwards finds nothing left to judge for an audit that has already ended.
    const client = new Redis(url);
    try {
      expect(await client.llen(`${prefix}:openly-audit:wait`)).toBe(0);
    } finally {
      client.disconnect();
    }
  }, 30_000);

  it('reports a batch that fails every attempt as its repositories failing, with the reason', async () => {
    const { url } = redis!;
    const { apiUrl } = double!;
    // A worker with a token of its own but no App key cannot read as an installation: every attempt fails.
    const worker = startWorker({
      PATH: process.env.PATH,
      REDIS_URL: url,
      GITHUB_TOKEN: 'ghs_worker_token_without_app_credentials',
      GITHUB_API_URL: apiUrl,
      OPENLY_QUEUE_PREFIX: 'openly-failing',
    });
    await until('worker ready', () => worker.lines.some((line) => line.endsWith(': ready')));
    const failing = queueRunner({ redisUrl: url, prefix: 'openly-failing', attempts: 2, backoffMs: 100 });
    try {
      const report = await failing(
        { org: ORG, installationId: INSTALLATION },
        createOctokit({ token: 'ghs_caller', baseUrl: apiUrl, rateLimitWaits: 0, spacing: false }),
      );
      expect(report.summary).toEqual({
        repositories: REPOSITORIES,
        compliant: 0,
        failing: REPOSITORIES,
        skipped: 0,
      });
      expect(new Set(report.repositories.map((r) => r.name)).size).toBe(REPOSITORIES);
      expect(report.repositories[0]).toMatchObject({
        name: 'service-0000',
        status: 'failing',
        results: [],
        reason: expect.stringMatching(
          /after 2 attempts: .*no App credentials \(set APP_ID and PRIVATE_KEY\)/,
        ),
      });
      // Each batch was tried twice, then given up: a bounded number of attempts.
      expect(worker.lines.filter((line) => line.includes(' took '))).toHaveLength(6);
    } finally {
      await failing.close();
    }
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 30_000);
});
