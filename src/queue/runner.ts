import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { AskOptions } from '../org/ask.js';
import { baseOf } from '../org/audit.js';
import type { ConfigText } from '../org/config.js';
import { listRepositories } from '../org/list.js';
import { summariseAudit, type AuditedRepository, type AuditReport } from '../org/report.js';
import type { AuditRunner } from '../org/runner.js';
import { VERSION } from '../core/version.js';
import { AUDIT_QUEUE, BATCH_JOB, toWire, unjudged, type BatchJobData, type BatchResult } from './jobs.js';
import { redisClaims, type RedisClaims } from './claims.js';
import { queueSettings, type QueueSettings } from './settings.js';

export interface QueueRunnerOptions extends Omit<QueueSettings, 'waitMs'> {
  /** As in the settings; two hours when not given. */
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/**
 * A runner that holds connections to Redis: `close()` them when the App stops. Its claims, on the same Redis,
 * keep the App's replicas from running one scheduled audit or writing one tracking issue twice.
 */
export type QueueRunner = AuditRunner & { claims: RedisClaims; close(): Promise<void> };

/** Finished jobs are kept a while for inspection, then removed, so that Redis does not grow audit after audit. */
const KEEP_DONE = { age: 24 * 3600 };
/**
 * Completed events carry each batch's results; a short event stream keeps Redis small. Waiting callers read
 * events as they come and look a finished job up directly, so they never depend on the stream's history.
 */
const EVENTS_KEPT = 500;

/**
 * Audits through BullMQ: this process lists the organisation (a request per 100 repositories, as in-process) and
 * enqueues each listing page as a batch job as soon as it is listed; workers (`npm run worker`) judge the batches;
 * this process collects their results in listing order. A batch that fails every attempt, or whose worker crashed
 * more often than the stall limit allows, is reported as its repositories `failing` with the reason.
 */
export function queueRunner(options: QueueRunnerOptions): QueueRunner {
  const connection = { url: options.redisUrl, maxRetriesPerRequest: null };
  const queue = new Queue<BatchJobData, BatchResult>(AUDIT_QUEUE, {
    connection,
    prefix: options.prefix,
    streams: { events: { maxLen: EVENTS_KEPT } },
  });
  const events = new QueueEvents(AUDIT_QUEUE, { connection, prefix: options.prefix });
  const now = options.now ?? (() => new Date());
  const waitMs = options.waitMs ?? 2 * 3600_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function collect(job: Job<BatchJobData, BatchResult>): Promise<AuditedRepository[]> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'waited'>((resolve) => {
      timer = setTimeout(() => resolve('waited'), waitMs);
    });
    try {
      const result = await Promise.race([job.waitUntilFinished(events), waited]);
      if (result === 'waited') {
        // Left in the queue, a batch a worker takes up later would be judged for nobody.
        await job.remove().catch(() => undefined);
        const minutes = Math.round(waitMs / 60_000);
        return unjudged(
          job.data,
          `Not judged within ${minutes === 0 ? `${waitMs} ms` : `${minutes} minutes`} of being queued: is a worker running (npm run worker, or OPENLY_APP_WORKER=true) on the same Redis and prefix?`,
        );
      }
      // The completed event carries the value as Redis stored it; a finished job looked up carries it parsed.
      const value = (typeof result === 'string' ? JSON.parse(result) : result) as BatchResult;
      return value.repositories;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return unjudged(job.data, `Could not be judged after ${options.attempts} attempts: ${reason}`);
    } finally {
      clearTimeout(timer);
    }
  }

  const run: AuditRunner = async (auditJob, octokit) => {
    const ask: AskOptions = { octokit, sleep, now };
    const auditedAt = now().toISOString();
    const audit = randomUUID();
    await events.waitUntilReady();
    const pending: Promise<AuditedRepository[]>[] = [];
    let base: ConfigText | undefined;
    let index = 0;
    for await (const page of listRepositories(ask, auditJob.org)) {
      if (page.orgBase !== undefined) base = baseOf(auditJob.org, page);
      if (page.repositories.length === 0) continue;
      const data: BatchJobData = {
        org: auditJob.org,
        index,
        repositories: page.repositories.map(toWire),
        ...(auditJob.installationId === undefined ? {} : { installationId: auditJob.installationId }),
        ...(base === undefined ? {} : { base }),
        ...(auditJob.includeArchived === undefined ? {} : { includeArchived: auditJob.includeArchived }),
        ...(auditJob.includeForks === undefined ? {} : { includeForks: auditJob.includeForks }),
        ...(page.rateLimit === undefined ? {} : { rateLimit: page.rateLimit }),
      };
      const job = await queue.add(BATCH_JOB, data, {
        jobId: `${audit}-${index}`,
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: KEEP_DONE,
        removeOnFail: KEEP_DONE,
      });
      pending.push(collect(job));
      index += 1;
    }
    const repositories = (await Promise.all(pending)).flat();
    return {
      tool: 'openly',
      version: VERSION,
      organisation: auditJob.org,
      auditedAt,
      summary: summariseAudit(repositories),
      repositories,
    } satisfies AuditReport;
  };

  const claims = redisClaims(options.redisUrl, options.prefix);
  return Object.assign(run, {
    claims,
    close: async () => {
      await Promise.allSettled([events.close(), queue.close(), claims.close()]);
    },
  });
}

/** The App's runner: through BullMQ when `REDIS_URL` is set, undefined (the in-process default) otherwise. */
export function runnerFromEnv(env: NodeJS.ProcessEnv = process.env): QueueRunner | undefined {
  const settings = queueSettings(env);
  return settings === undefined ? undefined : queueRunner(settings);
}
