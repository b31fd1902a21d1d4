import { Octokit } from '@octokit/core';
import { createAppAuth } from '@octokit/auth-app';
import Bottleneck from 'bottleneck';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { judgeBatch, type BatchContext } from '../org/audit.js';
import { createAuditOctokit } from '../org/octokit.js';
import { AUDIT_QUEUE, BATCH_JOB, fromWire, throttleId, type BatchJobData, type BatchResult } from './jobs.js';

export interface WorkerOptions {
  redisUrl: string;
  prefix: string;
  /** Batches judged at once by this process. */
  concurrency: number;
  /** How a worker reads GitHub: the App's id and key (a token per job's installation), or a token of its own. */
  appId?: number;
  privateKey?: string;
  token?: string;
  apiUrl?: string;
  graphqlUrl?: string;
  /** How long a job stays locked without word from its worker before another may take it (BullMQ: 30 s). */
  lockMs?: number;
  /** How often this worker looks for jobs whose worker stopped answering (BullMQ: 30 s). */
  stalledCheckMs?: number;
  log?: (message: string) => void;
}

export interface AuditWorker {
  /** Stops taking jobs, lets those in hand finish, and disconnects. */
  close(): Promise<void>;
}

/**
 * Takes batch jobs off the queue and judges them with `judgeBatch`, reading GitHub as the job's installation. Every
 * client of this process spaces its requests through Redis under the installation's throttle id, the id the
 * App's clients use, so that all replicas together keep to the pace GitHub asks of one integration.
 */
export function startWorker(options: WorkerOptions): AuditWorker {
  const log = options.log ?? (() => undefined);
  const throttleClient = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const throttleConnection = new Bottleneck.IORedisConnection({ client: throttleClient });
  throttleConnection.on('error', (error: Error) => log(`throttle connection: ${error.message}`));
  const apiUrl = options.apiUrl ?? 'https://api.github.com';
  const appAuth =
    options.appId !== undefined && options.privateKey !== undefined
      ? createAppAuth({
          appId: options.appId,
          privateKey: options.privateKey,
          request: new Octokit({ baseUrl: apiUrl }).request,
        })
      : undefined;

  async function tokenFor(installationId: number | undefined): Promise<string> {
    if (installationId !== undefined) {
      if (appAuth === undefined) {
        throw new Error(
          `installation ${installationId}: this worker has no App credentials (set APP_ID and PRIVATE_KEY)`,
        );
      }
      // @octokit/auth-app keeps each installation's token until shortly before it expires.
      return (await appAuth({ type: 'installation', installationId })).token;
    }
    if (options.token === undefined) {
      throw new Error('the job names no installation and this worker has no GITHUB_TOKEN');
    }
    return options.token;
  }

  async function judge(job: Job<BatchJobData, BatchResult>): Promise<BatchResult> {
    const data = job.data;
    log(`took ${data.org} batch ${data.index} (${data.repositories.length} repositories, job ${job.id})`);
    const octokit = createAuditOctokit({
      token: await tokenFor(data.installationId),
      apiUrl,
      ...(options.graphqlUrl === undefined ? {} : { graphqlUrl: options.graphqlUrl }),
      shared: { id: throttleId(data.installationId), Bottleneck, connection: throttleConnection },
    });
    const now = () => new Date();
    const context: BatchContext = {
      ask: { octokit, now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
      org: data.org,
      base: data.base,
      now,
      ...(data.includeArchived === undefined ? {} : { includeArchived: data.includeArchived }),
      ...(data.includeForks === undefined ? {} : { includeForks: data.includeForks }),
    };
    const repositories = await judgeBatch(context, data.repositories.map(fromWire), data.rateLimit);
    log(`judged ${data.org} batch ${data.index}`);
    return { index: data.index, repositories };
  }

  const worker = new Worker<BatchJobData, BatchResult>(
    AUDIT_QUEUE,
    async (job) => {
      if (job.name !== BATCH_JOB) throw new Error(`unknown job "${job.name}"`);
      return judge(job);
    },
    {
      connection: { url: options.redisUrl, maxRetriesPerRequest: null },
      prefix: options.prefix,
      concurrency: options.concurrency,
      // A crashed worker's batch goes back to the queue once; crashing it twice more marks it failed, reported.
      maxStalledCount: 2,
      ...(options.lockMs === undefined ? {} : { lockDuration: options.lockMs }),
      ...(options.stalledCheckMs === undefined ? {} : { stalledInterval: options.stalledCheckMs }),
    },
  );
  worker.on('failed', (job, error) => {
    log(`batch ${job?.data.index ?? '?'} of ${job?.data.org ?? '?'} failed: ${error.message}`);
  });
  worker.on('error', (error) => log(`queue: ${error.message}`));

  return {
    close: async () => {
      await worker.close();
      await throttleConnection.disconnect(true);
    },
  };
}
