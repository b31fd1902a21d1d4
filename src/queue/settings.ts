/** How the queue is reached and how hard it tries: read from the environment by the App and the workers alike. */
export interface QueueSettings {
  /** `REDIS_URL`, e.g. `redis://:secret@redis.internal:6379/0`. */
  redisUrl: string;
  /** Redis key prefix (`OPENLY_QUEUE_PREFIX`, default `openly`), so that two deployments can share a Redis. */
  prefix: string;
  /** Attempts of a batch before its repositories are reported failing (`OPENLY_QUEUE_ATTEMPTS`, default 4). */
  attempts: number;
  /** First retry delay in ms, doubling each time (`OPENLY_QUEUE_BACKOFF_MS`, default 10 s). */
  backoffMs: number;
  /**
   * How long the App waits for a batch once enqueued before reporting its repositories unjudged
   * (`OPENLY_QUEUE_WAIT_MINUTES`, default 120), so that an audit with no worker running still ends and says why.
   */
  waitMs: number;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a whole number above 0; it is "${raw}"`);
  }
  return value;
}

export function queueSettings(env: NodeJS.ProcessEnv): QueueSettings | undefined {
  const redisUrl = env.REDIS_URL;
  if (redisUrl === undefined || redisUrl === '') return undefined;
  return {
    redisUrl,
    prefix: env.OPENLY_QUEUE_PREFIX || 'openly',
    attempts: positive(env, 'OPENLY_QUEUE_ATTEMPTS', 4),
    backoffMs: positive(env, 'OPENLY_QUEUE_BACKOFF_MS', 10_000),
    waitMs: positive(env, 'OPENLY_QUEUE_WAIT_MINUTES', 120) * 60_000,
  };
}

export { positive as positiveSetting };
