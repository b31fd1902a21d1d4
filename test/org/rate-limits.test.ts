import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditOrganisation } from '../../src/org/audit.js';
import { auditClient, FakeOrg } from './fake-org.js';
import { compliant } from './support.js';

const NOW = new Date('2026-12-07T07:00:00Z');
let fake: FakeOrg;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(fake.invalid).toEqual([]);
  nock.cleanAll();
});

async function run(): Promise<{ waits: number[]; compliant: number }> {
  const waits: number[] = [];
  const report = await auditOrganisation({
    octokit: auditClient(),
    org: 'gds-team',
    now: () => NOW,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  return { waits, compliant: report.summary.compliant };
}

describe('rate limits are waited out, not failed', () => {
  it('a secondary limit (403 with retry-after) waits the seconds GitHub asks, then goes on', async () => {
    fake = new FakeOrg('gds-team', [compliant('design-system')]).install();
    fake.failures.push({
      status: 403,
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url:
          'https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api',
      },
      headers: { 'retry-after': '42' },
    });
    expect(await run()).toEqual({ waits: [42_000], compliant: 1 });
    expect(fake.sent.map((s) => s.operation)).toEqual([
      'OpenlyOrgRepositories',
      'OpenlyOrgRepositories',
      'OpenlyOrgFiles',
    ]);
  });

  it('a primary limit (429 with x-ratelimit-reset) waits until the reset', async () => {
    fake = new FakeOrg('gds-team', [compliant('design-system')]).install();
    const reset = NOW.getTime() / 1000 + 300;
    fake.failures.push({
      status: 429,
      body: { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/graphql' },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
    });
    expect(await run()).toEqual({ waits: [301_000], compliant: 1 });
  });

  it('a GraphQL RATE_LIMITED error waits until the reset GitHub gives', async () => {
    fake = new FakeOrg('gds-team', [compliant('design-system')]).install();
    fake.failures.push({
      status: 200,
      body: {
        data: null,
        errors: [{ type: 'RATE_LIMITED', message: 'API rate limit already exceeded for installation ID 1.' }],
      },
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW.getTime() / 1000 + 60) },
    });
    expect(await run()).toEqual({ waits: [61_000], compliant: 1 });
  });

  it('a budget spent, as rateLimit reports it, waits for resetAt before the next query', async () => {
    fake = new FakeOrg('gds-team', [compliant('design-system')]).install();
    fake.rateLimit = { cost: 1, remaining: 0, resetAt: '2026-12-07T07:10:00Z' };
    expect(await run()).toEqual({ waits: [601_000], compliant: 1 });
  });
});
