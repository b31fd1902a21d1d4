import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import type { Probot } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppAudits, runScheduledAudits } from '../../src/app/audit.js';
import { ISSUE_BODY_LIMIT, TRACKING_TITLE } from '../../src/sinks/tracking-issue.js';
import { FakeOrg } from '../org/fake-org.js';
import { COMPLIANT_FILES, compliant, unlicensed } from '../org/support.js';
import { validateRestResponse } from '../support/github-schemas.js';
import { FakeIssues, openApiExample } from './fake-issues.js';
import {
  API,
  example,
  fixtureRepo,
  invalidMocks,
  logs,
  makeProbot,
  mockRepository,
  sent,
} from './harness.js';

type Json = Record<string, unknown>;

const ORG = 'nhs-trust';
const INSTALLATION_ID = 2311213;
const DAY = 24 * 60 * 60 * 1000;

let probot: Probot;
let audits: AppAudits;
let fake: FakeOrg;
let issues: FakeIssues;
let dir: string;
let clock: Date;

function base(audit: string): FakeOrg['repos'][number] {
  return { name: '.github', files: { ...COMPLIANT_FILES, '.github/openly.yml': audit } };
}

const ISSUE_BASE = 'audit:\n  enforcement: issue\n';

function organisation(repos: FakeOrg['repos']): void {
  fake = new FakeOrg(ORG, repos).install();
}

const installationCreated = (() => {
  const payload = example('installation', (p) => p.action === 'created');
  const installation = payload.installation as Json;
  installation.id = INSTALLATION_ID;
  installation.account = { ...(installation.account as Json), login: ORG, type: 'Organization' };
  return payload;
})();

/** A `repository` event of GitHub's own, for a repository of the organisation, as sent to the installation. */
function repositoryEvent(action: string, name: string, extra: Json = {}): Json {
  const payload = example('repository', (p) => p.action === action && p.organization !== undefined);
  const repository = payload.repository as Json;
  return {
    ...payload,
    repository: { ...repository, name, full_name: `${ORG}/${name}` },
    organization: { ...(payload.organization as Json), login: ORG },
    installation: { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMjMxMTIxMw==' },
    ...extra,
  };
}

async function receive(name: string, payload: Json): Promise<void> {
  await probot.receive({ id: `delivery-${name}`, name, payload } as Parameters<Probot['receive']>[0]);
}

function tracking() {
  return issues.list('.github').filter((i) => !i.pullRequest);
}

function messages(): string[] {
  return logs.map((l) => String(l.msg));
}

beforeAll(() => nock.disableNetConnect());

beforeEach(async () => {
  invalidMocks.length = 0;
  logs.length = 0;
  dir = mkdtempSync(join(tmpdir(), 'openly-app-audit-'));
  clock = new Date('2026-12-07T09:00:00Z');
  audits = new AppAudits({ now: () => clock, auditDir: dir, sleep: async () => {} });
  issues = new FakeIssues(ORG).install();
  issues.now = () => clock;
  probot = await makeProbot({ audits });
});

afterEach(() => {
  nock.cleanAll();
  rmSync(dir, { recursive: true, force: true });
  expect(fake.invalid).toEqual([]);
  expect(issues.invalid).toEqual([]);
  expect(invalidMocks).toEqual([]);
});

describe('the App audits the organisation when it is installed', () => {
  it('by default writes nothing to GitHub: the report and dashboard files, and one line in the log', async () => {
    organisation([compliant('patient-portal'), unlicensed('wait-times')]);
    await receive('installation', installationCreated);

    expect(issues.writes).toEqual([]);
    expect(fake.sent.map((s) => s.operation)).toEqual([
      'OpenlyConfigLink',
      'OpenlyOrgRepositories',
      'OpenlyOrgFiles',
    ]);
    const report = JSON.parse(readFileSync(join(dir, ORG, 'report.json'), 'utf8')) as Json;
    expect(report).toMatchObject({
      organisation: ORG,
      summary: { repositories: 2, compliant: 1, failing: 1 },
    });
    expect(existsSync(join(dir, ORG, 'index.html'))).toBe(true);
    expect(messages()).toContain(
      `Openly audit of ${ORG}: 2 repositories, 1 fall short, 1 comply, 0 not judged`,
    );
  });

  it('audits nothing when the organisation says audit: { enforcement: off }', async () => {
    organisation([base('audit:\n  enforcement: "off"\n'), unlicensed('wait-times')]);
    await receive('installation', installationCreated);
    expect(fake.sent.map((s) => s.operation)).toEqual(['OpenlyConfigLink']);
    expect(issues.writes).toEqual([]);
    expect(existsSync(join(dir, ORG))).toBe(false);
    expect(messages().some((m) => m.includes('enforcement: off'))).toBe(true);
  });

  it('names the file and line when the audit settings are wrong, and audits nothing', async () => {
    organisation([base('audit:\n  enforcement: issues\n'), unlicensed('wait-times')]);
    await receive('installation', installationCreated);
    expect(fake.count('OpenlyOrgRepositories')).toBe(0);
    const error = logs.find((l) => l.level === 50)!;
    expect(JSON.stringify(error.problems)).toContain(`${ORG}/.github:.github/openly.yml:2:16`);
  });
});

describe('one tracking issue, without spam', () => {
  it('is created once with what is wrong, why and how to fix it, and left alone when nothing changed', async () => {
    organisation([base(ISSUE_BASE), compliant('patient-portal'), unlicensed('wait-times')]);
    await receive('installation', installationCreated);

    expect(tracking()).toHaveLength(1);
    const issue = tracking()[0]!;
    expect(issue).toMatchObject({ title: TRACKING_TITLE, state: 'open', labels: ['openly-audit'] });
    expect(issue.body).toContain('[wait-times](https://github.com/nhs-trust/wait-times)');
    expect(issue.body).not.toContain('[patient-portal]');
    expect(issue.body).toContain('**What is wrong:**');
    expect(issue.body).toContain('**How to fix it:**');
    expect(issue.body).toContain('Why it matters');
    expect(issue.body).toContain('https://github.com/nhsx/open-source-policy');
    expect(issue.body).toContain('licence/missing');

    const writes = issues.writes.length;
    clock = new Date(clock.getTime() + DAY);
    await audits.auditInstallation(
      await probot.auth(INSTALLATION_ID),
      { id: INSTALLATION_ID, org: ORG },
      probot.log,
    );
    expect(issues.writes).toHaveLength(writes);
    expect(issues.comments).toEqual([]);
  });

  it('is found again among pull requests and other issues with the label, and edited in place', async () => {
    organisation([base(ISSUE_BASE), unlicensed('wait-times'), compliant('patient-portal')]);
    issues.labels.set('.github', new Set(['openly-audit']));
    issues.list('.github').push(
      {
        number: 1,
        title: 'Tidy the labels',
        body: 'A pull request',
        state: 'open',
        labels: ['openly-audit'],
        pullRequest: true,
        createdAt: '2026-11-01T09:00:00Z',
      },
      {
        number: 2,
        title: 'Why do we audit?',
        body: 'A question somebody labelled',
        state: 'open',
        labels: ['openly-audit'],
        createdAt: '2026-11-02T09:00:00Z',
      },
    );
    await receive('installation', installationCreated);
    expect(tracking()).toHaveLength(2);

    fake.repos.find((r) => r.name === 'patient-portal')!.files = { ...unlicensed('x').files };
    clock = new Date(clock.getTime() + DAY);
    await audits.auditInstallation(
      await probot.auth(INSTALLATION_ID),
      { id: INSTALLATION_ID, org: ORG },
      probot.log,
    );
    expect(tracking()).toHaveLength(2);
    expect(issues.writes.at(-1)).toMatchObject({ method: 'PATCH', path: `/repos/${ORG}/.github/issues/3` });
    expect(tracking()[1]!.body).toContain('[patient-portal]');
  });

  it('closes when every repository complies, and reopens when one falls short again', async () => {
    organisation([base(ISSUE_BASE), unlicensed('wait-times')]);
    const octokit = async () => probot.auth(INSTALLATION_ID);
    const installation = { id: INSTALLATION_ID, org: ORG };
    await audits.auditInstallation(await octokit(), installation, probot.log);
    expect(tracking()[0]!.state).toBe('open');

    fake.repos.find((r) => r.name === 'wait-times')!.files = { ...COMPLIANT_FILES };
    await audits.auditInstallation(await octokit(), installation, probot.log);
    expect(tracking()[0]!.state).toBe('closed');
    expect(tracking()[0]!.body).toContain('Every audited repository complies');
    expect(issues.writes.at(-1)!.body).toMatchObject({ state: 'closed', state_reason: 'completed' });

    fake.repos.find((r) => r.name === 'wait-times')!.files = { ...unlicensed('x').files };
    await audits.auditInstallation(await octokit(), installation, probot.log);
    expect(tracking()).toHaveLength(1);
    expect(tracking()[0]!.state).toBe('open');
    expect(issues.writes.filter((w) => w.method === 'POST' && w.path.endsWith('/issues'))).toHaveLength(1);
  });

  it('writes at most one digest comment a week, only in a week when something changed', async () => {
    organisation([base(ISSUE_BASE), unlicensed('wait-times'), unlicensed('rota-planner')]);
    const installation = { id: INSTALLATION_ID, org: ORG };
    const again = async (days: number) => {
      clock = new Date(clock.getTime() + days * DAY);
      await audits.auditInstallation(await probot.auth(INSTALLATION_ID), installation, probot.log);
    };
    await again(0);
    await again(8); // nothing changed in the week: no comment
    expect(issues.comments).toEqual([]);

    fake.repos.find((r) => r.name === 'wait-times')!.files = { ...COMPLIANT_FILES };
    await again(1); // changed, and a week since the issue was made: one digest
    expect(issues.comments).toHaveLength(1);
    expect(issues.comments[0]!.body).toContain('fall short: 2 → 1');

    fake.repos.find((r) => r.name === 'wait-times')!.files = { ...unlicensed('x').files };
    await again(2); // changed again, but within the week
    expect(issues.comments).toHaveLength(1);
    await again(6);
    expect(issues.comments).toHaveLength(2);
  });

  it('stays within GitHub’s body limit for a large organisation, saying how many more fall short', async () => {
    const many = Array.from({ length: 600 }, (_, i) => unlicensed(`service-${String(i).padStart(3, '0')}`));
    organisation([base(ISSUE_BASE), ...many]);
    await receive('installation', installationCreated);
    const body = tracking()[0]!.body;
    expect(body.length).toBeLessThanOrEqual(ISSUE_BODY_LIMIT);
    expect(body).toMatch(/…and \d+ more repositories fall short/);
    expect(body).toContain('[service-000]');
  });

  it('says clearly when issues are turned off in the chosen repository, and still keeps the report', async () => {
    organisation([base(`${ISSUE_BASE}  repository: open-working\n`), unlicensed('wait-times')]);
    issues.disabled.add('open-working');
    await receive('installation', installationCreated);
    expect(issues.writes).toEqual([]);
    expect(messages()).toContain(
      `Issues are turned off in ${ORG}/open-working, so Openly cannot keep its audit issue there: turn issues on in that repository's settings, or name another repository in audit.repository of the organisation base.`,
    );
    expect(existsSync(join(dir, ORG, 'report.json'))).toBe(true);
  });

  it('names the permission when the installation has not accepted issues: write', async () => {
    organisation([base(ISSUE_BASE), unlicensed('wait-times')]);
    issues.readOnly.add('.github');
    await receive('installation', installationCreated);
    const error = logs.find((l) => l.level === 50)!;
    expect(String(error.msg)).toMatch(/issues: write|Issues.*write/i);
    expect(tracking()).toEqual([]);
  });
});

describe('repository events judge one repository at once', () => {
  it('a repository made private is in the tracking issue at once, in two reads', async () => {
    organisation([base(ISSUE_BASE), unlicensed('wait-times'), compliant('rota-planner')]);
    await receive('installation', installationCreated);
    fake.sent.length = 0;

    fake.repos.find((r) => r.name === 'rota-planner')!.visibility = 'PRIVATE';
    await receive('repository', repositoryEvent('privatized', 'rota-planner'));

    expect(fake.sent.map((s) => s.operation)).toEqual(['OpenlyOrgRepositoriesByName', 'OpenlyOrgFiles']);
    expect(fake.sent[0]!.variables).toMatchObject({ org: ORG, n0: 'rota-planner' });
    const body = tracking()[0]!.body;
    expect(body).toContain('## Made private recently');
    expect(body).toContain(
      '[rota-planner](https://github.com/nhs-trust/rota-planner), made private on 7 December 2026',
    );
    expect(body).toContain('visibility/not-public');
    expect(tracking()).toHaveLength(1);
  });

  it('a renamed repository replaces its old name; a deleted one leaves the report without a read', async () => {
    organisation([base(ISSUE_BASE), unlicensed('wait-times'), unlicensed('old-name')]);
    await receive('installation', installationCreated);
    fake.repos.find((r) => r.name === 'old-name')!.name = 'new-name';
    await receive(
      'repository',
      repositoryEvent('renamed', 'new-name', { changes: { repository: { name: { from: 'old-name' } } } }),
    );
    expect(tracking()[0]!.body).toContain('[new-name]');
    expect(tracking()[0]!.body).not.toContain('[old-name]');

    fake.sent.length = 0;
    const deleted = repositoryEvent('created', 'new-name', { action: 'deleted' });
    await receive('repository', deleted);
    expect(fake.sent.map((s) => s.operation)).toEqual(['OpenlyConfigLink']);
    expect(tracking()[0]!.body).not.toContain('[new-name]');
  });

  it('repositories added to the installation are the only ones judged', async () => {
    organisation([base(ISSUE_BASE), unlicensed('wait-times')]);
    await receive('installation', installationCreated);
    fake.repos.push(unlicensed('added-later'));
    fake.sent.length = 0;
    const payload = example('installation_repositories', (p) => p.action === 'added');
    (payload.installation as Json).id = INSTALLATION_ID;
    (payload.installation as Json).account = { login: ORG, type: 'Organization', id: 1 };
    payload.repositories_added = [
      { id: 1, node_id: 'R_1', name: 'added-later', full_name: `${ORG}/added-later`, private: false },
    ];
    await receive('installation_repositories', payload);
    expect(fake.sent.map((s) => s.operation)).toEqual(['OpenlyOrgRepositoriesByName', 'OpenlyOrgFiles']);
    expect(tracking()[0]!.body).toContain('[added-later]');
    expect(tracking()[0]!.body).toContain('[wait-times]');
  });

  it('with no earlier audit remembered, audits the whole organisation rather than write from a part', async () => {
    organisation([
      base(ISSUE_BASE),
      unlicensed('wait-times'),
      compliant('rota-planner', { visibility: 'PRIVATE' }),
    ]);
    await receive('repository', repositoryEvent('privatized', 'rota-planner'));
    expect(fake.count('OpenlyOrgRepositories')).toBe(1);
    expect(tracking()[0]!.body).toContain('[wait-times]');
    expect(tracking()[0]!.body).toContain('## Made private recently');
  });
});

describe('one issue per repository, when the organisation asks', () => {
  it('opens one issue in each failing repository, never one per rule, and closes it once fixed', async () => {
    organisation([
      base(`${ISSUE_BASE}  per-repository-issues: true\n`),
      compliant('patient-portal'),
      { name: 'wait-times', files: { 'src/index.ts': 'x\n' } },
    ]);
    await receive('installation', installationCreated);
    expect(issues.open('wait-times')).toHaveLength(1);
    expect(issues.open('wait-times')[0]!.body).toContain('licence/missing');
    expect(issues.open('wait-times')[0]!.body).toContain('community-files/');
    expect(issues.list('patient-portal')).toEqual([]);

    fake.repos.find((r) => r.name === 'wait-times')!.files = { ...COMPLIANT_FILES };
    await receive('repository', repositoryEvent('publicized', 'wait-times'));
    expect(issues.open('wait-times')).toEqual([]);
    expect(issues.list('wait-times')[0]!.state).toBe('closed');
  });
});

describe('the App is uninstalled', () => {
  const installationDeleted = (() => {
    const payload = example('installation', (p) => p.action === 'deleted');
    const installation = payload.installation as Json;
    installation.id = INSTALLATION_ID;
    installation.account = { ...(installation.account as Json), login: ORG, type: 'Organization' };
    return payload;
  })();

  it('forgets the organisation: its report and dashboard files are deleted, and it is not remembered', async () => {
    organisation([compliant('patient-portal'), unlicensed('wait-times')]);
    await receive('installation', installationCreated);
    expect(existsSync(join(dir, ORG, 'report.json'))).toBe(true);

    await receive('installation', installationDeleted);
    expect(existsSync(join(dir, ORG))).toBe(false);
    expect(messages()).toContain(
      `Openly was uninstalled from ${ORG}: its audit report and files are deleted`,
    );

    // Installed again: nothing earlier is remembered, so a repository event audits the whole organisation.
    const before = fake.count('OpenlyOrgRepositories');
    await receive('repository', repositoryEvent('privatized', 'wait-times'));
    expect(fake.count('OpenlyOrgRepositories')).toBe(before + 1);
    expect(messages()).toContain(
      `Openly has no earlier audit of ${ORG} to update: auditing every repository`,
    );
  });
});

describe('the schedule', () => {
  function installations(): void {
    const route = '/app/installations';
    const [template] = openApiExample('base-installation-items') as Json[];
    // GitHub's description says an account is a user *and* an enterprise (allOf), so its fields are all given.
    const account = {
      ...(template!.account as Json),
      name: 'NHS Trust',
      slug: 'account',
      created_at: '2020-01-01T00:00:00Z',
      updated_at: '2020-01-01T00:00:00Z',
    };
    // A personal account's installation has no organisation to audit: it is passed over.
    const body = [
      {
        ...template,
        id: 1,
        account: { ...account, login: 'priya-shah-nhs', type: 'User' },
        target_type: 'User',
      },
      {
        ...template,
        id: INSTALLATION_ID,
        account: { ...account, login: ORG, type: 'Organization' },
        target_type: 'Organization',
      },
      // An organisation that suspended the App: GitHub refuses its token, and it asked for no audits meanwhile.
      {
        ...template,
        id: 99,
        account: { ...account, login: 'paused-council', type: 'Organization' },
        target_type: 'Organization',
        suspended_at: '2026-11-01T00:00:00Z',
      },
    ];
    nock(API)
      .persist()
      .get(route)
      .query(true)
      .reply(() => {
        try {
          validateRestResponse('GET', route, 200, body);
        } catch (error) {
          invalidMocks.push(String(error));
        }
        return [200, body];
      });
  }

  it('audits each organisation daily, not on every tick', async () => {
    organisation([unlicensed('wait-times')]);
    installations();
    await runScheduledAudits(probot, audits, clock);
    expect(fake.count('OpenlyOrgRepositories')).toBe(1);
    await runScheduledAudits(probot, audits, new Date(clock.getTime() + 60 * 60 * 1000));
    expect(fake.count('OpenlyOrgRepositories')).toBe(1);
    await runScheduledAudits(probot, audits, new Date(clock.getTime() + DAY));
    expect(fake.count('OpenlyOrgRepositories')).toBe(2);
    // The suspended installation was passed over on every tick, without a token asked for or a line logged.
    expect(messages().filter((m) => m.includes('paused-council'))).toEqual([]);
  });
});

describe('audit: in a repository of its own', () => {
  it('is said to mean nothing there, on the check run, without failing it', async () => {
    fake = new FakeOrg(ORG, []);
    sent.length = 0;
    const payload = example('pull_request', (p) => p.action === 'opened' && p.installation !== undefined);
    const head = (payload.pull_request as { head: { sha: string } }).head.sha;
    const config = 'licence: error\naudit:\n  enforcement: issue\n';
    mockRepository({
      owner: 'Codertocat',
      repo: 'Hello-World',
      headSha: head,
      files: { ...fixtureRepo('clean'), '.github/openly.yml': config },
      repoConfig: config,
    });
    await receive('pull_request', payload);
    const summary = (sent[0]!.body as { output: { summary: string } }).output.summary;
    expect(summary).toContain(
      "Codertocat/Hello-World:.github/openly.yml:2: `audit:` means nothing in a repository's own configuration",
    );
    expect(summary).toContain('Codertocat/.github');
    expect((sent[0]!.body as { conclusion: string }).conclusion).not.toBe('failure');
  });
});
