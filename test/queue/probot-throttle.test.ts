// The App's side of shared rate limits: Probot with REDIS_URL and InstallationThrottledOctokit spaces each
// installation's requests in its own Redis-backed limiter, the one the queue workers use for that installation.
import { generateKeyPairSync } from 'node:crypto';
import { Redis } from 'ioredis';
import { Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  serveOrganisation,
  simulatedRepository,
  type OrganisationDouble,
} from '../../bench/support/org-double.js';
import { REPOSITORIES_QUERY } from '../../src/org/queries.js';
import { throttleId } from '../../src/queue/jobs.js';
import { InstallationThrottledOctokit } from '../../src/queue/probot.js';
import { redisServerPath, startRedis, type RunningRedis } from '../../bench/support/redis-server.js';

const redisServer = redisServerPath();
let redis: RunningRedis | undefined;
let double: OrganisationDouble | undefined;
let client: Redis | undefined;

beforeAll(async () => {
  if (redisServer === undefined) return;
  redis = await startRedis(redisServer);
  double = await serveOrganisation({ repositories: [simulatedRepository(0), simulatedRepository(1)] });
  client = new Redis(redis.url);
}, 30_000);

afterAll(async () => {
  client?.disconnect();
  await double?.close();
  await redis?.stop();
});

describe.skipIf(redisServer === undefined)('Probot with REDIS_URL', () => {
  it('spaces each installation in a limiter of its own, shared through Redis', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const probot = new Probot({
      appId: 1234,
      privateKey,
      redisConfig: redis!.url,
      baseUrl: double!.apiUrl,
      Octokit: InstallationThrottledOctokit,
      // Probot's Redis client outlives the test and complains when the test's Redis stops.
      logLevel: 'fatal',
    });
    for (const installation of [4242, 5151]) {
      const octokit = await probot.auth(installation);
      const data = await octokit.graphql<{ organization: { repositories: { nodes: unknown[] } } }>(
        REPOSITORIES_QUERY,
        { org: 'nhs-digital-team', cursor: null, withBase: false },
      );
      expect(data.organization.repositories.nodes).toHaveLength(2);
    }
    const keys = await client!.keys('b_octokit-write-*');
    const ids = new Set(keys.map((key) => /^b_octokit-write-([a-z-]+\d*)_/.exec(key)?.[1]));
    expect(ids).toEqual(new Set([throttleId(4242), throttleId(5151)]));
    // Each installation's token was minted from the App's key, as Probot does.
    expect(double!.counts.tokens).toBe(2);
  }, 30_000);
});
