/**
 * Claims shared by every replica of the App through Redis: a scheduled audit is run by one replica, not by each,
 * and one organisation's tracking issue is written by one replica at a time, so that two never create two issues.
 */
import { Redis } from 'ioredis';
import type { Claims } from '../org/claims.js';

export interface RedisClaims extends Claims {
  close(): Promise<void>;
}

/** Claims kept in Redis under `<prefix>:claim:`; a claim lapses by itself, so a replica that dies frees it. */
export function redisClaims(redisUrl: string, prefix: string): RedisClaims {
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  const key = (name: string) => `${prefix}:claim:${name}`;
  return {
    async claim(name, ms) {
      // SET NX with an expiry is atomic: of replicas asking at once, exactly one gets the claim.
      return (await client.set(key(name), String(process.pid), 'PX', ms, 'NX')) === 'OK';
    },
    async release(name) {
      await client.del(key(name));
    },
    async close() {
      client.disconnect();
      return Promise.resolve();
    },
  };
}
