import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditOrganisation } from '../../src/org/audit.js';
import { BY_NAME_QUERY, byNameQuery, judgeRepositories, readRepositories } from '../../src/org/one.js';
import { validateGraphqlRequest } from '../support/github-schemas.js';
import { auditClient, FakeOrg } from './fake-org.js';
import { compliant, unlicensed } from './support.js';

let fake: FakeOrg | undefined;
const now = () => new Date('2026-12-07T09:00:00Z');

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(fake?.invalid ?? []).toEqual([]);
  nock.cleanAll();
});

function ask() {
  return { octokit: auditClient(), sleep: async () => {}, now };
}

describe('judging repositories by name', () => {
  it('asks GitHub a document its schema accepts, for one name or many', () => {
    expect(byNameQuery(1)).toBe(BY_NAME_QUERY);
    const variables = { org: 'nhs-trust', n0: 'a', n1: 'b', n2: 'c' };
    expect(() => validateGraphqlRequest(byNameQuery(3), variables)).not.toThrow();
  });

  it('judges a repository exactly as the organisation audit does, in two requests', async () => {
    fake = new FakeOrg('nhs-trust', [
      compliant('.github', { files: { '.github/openly.yml': 'licence: error\n' } }),
      compliant('patient-portal'),
      compliant('rota-planner', { visibility: 'PRIVATE' }),
      unlicensed('wait-times'),
    ]).install();
    const read = await readRepositories(ask(), 'nhs-trust', ['rota-planner', 'wait-times', 'deleted-one']);
    expect(read.gone).toEqual(['deleted-one']);
    const judged = await judgeRepositories({ ask: ask(), org: 'nhs-trust', now }, read);
    expect(fake.sent.map((s) => s.operation)).toEqual(['OpenlyOrgRepositoriesByName', 'OpenlyOrgFiles']);

    const whole = await auditOrganisation({
      octokit: auditClient(),
      org: 'nhs-trust',
      now,
    });
    const same = whole.repositories.filter((r) => r.name === 'rota-planner' || r.name === 'wait-times');
    expect(judged).toEqual(same);
    expect(judged.map((r) => r.status)).toEqual(['failing', 'failing']);
  });

  it('asks for many names in few requests', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `service-${String(i).padStart(2, '0')}`);
    fake = new FakeOrg(
      'nhs-trust',
      names.map((name) => compliant(name)),
    ).install();
    const read = await readRepositories(ask(), 'nhs-trust', names);
    expect(read.repositories.map((r) => r.name)).toEqual(names);
    expect(read.page.orgBase).toBeUndefined();
    expect(fake.count('OpenlyOrgRepositoriesByName')).toBe(2);
  });
});
