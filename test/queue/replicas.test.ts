// Two replicas of the App behind one load balancer share a Redis (REDIS_URL). Each runs its own schedule, and either
// may receive an organisation's events; the claims they share keep a scheduled audit from running twice and two
// tracking issues from being created at the same moment.
import nock from 'nock';
import type { Probot } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisServerPath, startRedis, type RunningRedis } from '../../bench/support/redis-server.js';
import { AppAudits } from '../../src/app/audit.js';
import { redisClaims, type RedisClaims } from '../../src/queue/claims.js';
import { TRACKING_TITLE } from '../../src/sinks/tracking-issue.js';
import { FakeIssues } from '../app/fake-issues.js';
import { invalidMocks, logs, makeProbot } from '../app/harness.js';
import { FakeOrg } from '../org/fake-org.js';
import { COMPLIANT_FILES, unlicensed } from '../org/support.js';

const ORG = 'nhs-trust';
const INSTALLATION = { id: 2311213, org: ORG };
const redisServer = redisServerPath();

let redis: RunningRedis | undefined;
let probot: Probot;
let fake: FakeOrg;
let issues: FakeIssues;
const open: RedisClaims[] = [];

/** A replica: its own memory and its own connection to the shared Redis. */
function replica(prefix: string): AppAudits {
  const claims = redisClaims(redis!.url, prefix);
  open.push(claims);
  return new AppAudits({ now: () => new Date('2026-12-07T09:00:00Z'), claims, sleep: async () => {} });
}

beforeAll(async () => {
  nock.disableNetConnect();
  if (redisServer !== undefined) redis = await startRedis(redisServer);
}, 30_000);

afterAll(async () => {
  await Promise.allSettled(open.map((c) => c.close()));
  await redis?.stop();
});

beforeEach(async () => {
  invalidMocks.length = 0;
  logs.length = 0;
  issues = new FakeIssues(ORG).install();
  probot = await makeProbot();
});

afterEach(() => {
  nock.cleanAll();
  expect(fake.invalid).toEqual([]);
  expect(issues.invalid).toEqual([]);
  expect(invalidMocks).toEqual([]);
});

describe.skipIf(redisServer === undefined)('replicas of the App sharing a Redis', () => {
  it('run a scheduled audit of an organisation once between them, not once each', async () => {
    fake = new FakeOrg(ORG, [unlicensed('wait-times')]).install();
    const [a, b] = [replica('openly-schedule'), replica('openly-schedule')];
    const octokit = await probot.auth(INSTALLATION.id);
    await Promise.all([
      a.auditInstallation(octokit, INSTALLATION, probot.log, { scheduled: true }),
      b.auditInstallation(octokit, INSTALLATION, probot.log, { scheduled: true }),
    ]);
    expect(fake.count('OpenlyOrgRepositories')).toBe(1);
    expect(logs.map((l) => String(l.msg))).toContain(
      `another replica of the App has the scheduled audit of ${ORG}`,
    );
  });

  it('create one tracking issue between them when both audit the organisation at the same moment', async () => {
    fake = new FakeOrg(ORG, [
      {
        name: '.github',
        files: { ...COMPLIANT_FILES, '.github/openly.yml': 'audit:\n  enforcement: issue\n' },
      },
      unlicensed('wait-times'),
    ]).install();
    const [a, b] = [replica('openly-issues'), replica('openly-issues')];
    const octokit = await probot.auth(INSTALLATION.id);
    await Promise.all([
      a.auditInstallation(octokit, INSTALLATION, probot.log),
      b.auditInstallation(octokit, INSTALLATION, probot.log),
    ]);
    const tracking = issues.list('.github').filter((i) => !i.pullRequest);
    expect(tracking.map((i) => i.title)).toEqual([TRACKING_TITLE]);
    expect(tracking[0]!.body).toContain('wait-times');
  });
});
