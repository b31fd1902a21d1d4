// Types of redis-server.js, for the queue tests.

export function redisServerPath(): string | undefined;

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

export function startRedis(binary: string): Promise<RunningRedis>;
