import nock from 'nock';
import type { Probot } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FIRST_FILES_BRANCH, FIRST_FILES_QUERY } from '../../src/app/fix.js';
import { validateGraphqlRequest } from '../support/github-schemas.js';
import { FakeGit } from './fake-git.js';
import {
  example,
  fixtureRepo,
  invalidMocks,
  logs,
  makeProbot,
  mockGraphql,
  mockRepository,
  sent,
  type FakeChecks,
  type RepoMock,
} from './harness.js';

type Json = Record<string, unknown>;

const PUSH = example('push', (p) => p.ref === 'refs/heads/master' && p.installation !== undefined);
const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const DEFAULT = 'master';
const OPTED_IN = 'fix: pull-request\n';
const ORG_SECURITY = '# Security\n\nReport a vulnerability to security@opening-times.example.gov.uk.\n';
const ORG_CONTRIBUTING = '# Contributing to {{organisation}} projects\n\nOpen an issue first.\n';

function missing(...paths: string[]): Record<string, string> {
  const files = fixtureRepo('clean');
  for (const path of paths) delete files[path];
  return files;
}

function repo(files: Record<string, string>, orgConfig?: string): RepoMock {
  return {
    owner: OWNER,
    repo: REPO,
    headSha: PUSH.after as string,
    pullRequest: false,
    files,
    ...(orgConfig === undefined ? {} : { orgConfig }),
  };
}

/** The organisation's name, its own CONTRIBUTING.md template and its SECURITY.md, as GitHub answers them. */
function mockOrganisation(): void {
  const blob = (text: string) => ({ text, isBinary: false, byteSize: Buffer.byteLength(text) });
  mockGraphql('OpenlyFirstFiles', () => ({
    data: {
      repositoryOwner: { __typename: 'Organization', login: OWNER, name: 'Department for Opening Times' },
      repository: {
        templates: {
          __typename: 'Tree',
          entries: [{ name: 'CONTRIBUTING.md', type: 'blob', object: blob(ORG_CONTRIBUTING) }],
        },
        security: { __typename: 'Blob', text: ORG_SECURITY },
        githubSecurity: null,
      },
    },
  }));
}

let probot: Probot;
let git: FakeGit;
let head: string;

/** The default branch as the push left it, in GitHub's Git data, with the pushed commit at its head. */
function setDefault(files: Record<string, string>): void {
  const made = git.seedBranch(DEFAULT, files, `Default branch with ${Object.keys(files).length} files`);
  git.commits.set(PUSH.after as string, { ...git.commits.get(made)!, sha: PUSH.after as string });
  git.refs.set(DEFAULT, PUSH.after as string);
}

async function push(files: Record<string, string>, orgConfig?: string, checks?: FakeChecks, payload = PUSH) {
  setDefault(files);
  const made = mockRepository(repo(files, orgConfig), checks);
  await probot.receive({ id: `push-${sent.length}`, name: 'push', payload } as Parameters<
    Probot['receive']
  >[0]);
  return made;
}

/** GitHub's push example, its one commit adding these files instead of a README. */
function pushAdding(...paths: string[]): Json {
  const [commit] = PUSH.commits as Json[];
  return { ...PUSH, commits: [{ ...commit, added: paths }] };
}

function firstFilesLogs(): Json[] {
  return logs.filter((l) => l.firstFiles !== undefined);
}

beforeAll(() => {
  nock.disableNetConnect();
});

beforeEach(async () => {
  sent.length = 0;
  invalidMocks.length = 0;
  logs.length = 0;
  probot = await makeProbot();
  git = new FakeGit(OWNER, REPO).install();
  head = git.seedBranch('an-old-branch', missing('LICENCE'));
});

afterEach(() => {
  // The fake's routes are persisted: listed as pending until used, which most tests never do.
  const pending = nock.pendingMocks().filter((p) => !/Hello-World(\\?\/|\/)(pulls|git|issues)/.test(p));
  nock.cleanAll();
  expect(invalidMocks).toEqual([]);
  expect(git.invalid).toEqual([]);
  expect(pending).toEqual([]);
});

describe('fix: pull-request opens one pull request with the missing files', () => {
  it("reads the organisation's name, templates and SECURITY.md in one query GitHub accepts", () => {
    expect(() => validateGraphqlRequest(FIRST_FILES_QUERY, { owner: OWNER })).not.toThrow();
  });

  it('adds exactly the planned files on a new branch, and leaves the default branch alone', async () => {
    const files = missing('LICENCE', 'CONTRIBUTING.md', 'SECURITY.md');
    mockOrganisation();
    await push(files, OPTED_IN);

    expect(sent.map((s) => s.body.conclusion)).toEqual(['failure']);
    expect(git.refs.get(DEFAULT)).toBe(PUSH.after);
    expect(git.pulls).toHaveLength(1);
    const pull = git.pulls[0]!;
    expect(pull).toMatchObject({ state: 'open', head: FIRST_FILES_BRANCH, base: DEFAULT });

    const branch = git.filesOf(FIRST_FILES_BRANCH);
    const added = Object.keys(branch).filter((path) => files[path] === undefined);
    expect(added.sort()).toEqual(['.github/openly.yml', 'CONTRIBUTING.md', 'LICENCE', 'SECURITY.md']);
    for (const [path, text] of Object.entries(files)) expect(branch[path]).toBe(text);
    // The organisation's own template, its name and its security contact.
    expect(branch['CONTRIBUTING.md']).toBe(
      '# Contributing to Department for Opening Times projects\n\nOpen an issue first.\n',
    );
    expect(branch.LICENCE).toContain('Crown Copyright (Department for Opening Times)');
    expect(branch['SECURITY.md']).toContain('security@opening-times.example.gov.uk');
    // The commit builds on the pushed one.
    const commit = git.commits.get(git.refs.get(FIRST_FILES_BRANCH)!)!;
    expect(commit.parents).toEqual([PUSH.after]);

    expect(pull.body).toContain('docs/rules.md#licencemissing');
    expect(pull.body).toContain('**Department for Opening Times**');
    expect(pull.body).toContain('Close the pull request without merging');
    expect(git.seen).toEqual([
      `GET /repos/${OWNER}/${REPO}/pulls?head=${OWNER}:${FIRST_FILES_BRANCH}&state=all&per_page=100`,
      `GET /repos/${OWNER}/${REPO}/git/commits/${PUSH.after as string}`,
      `POST /repos/${OWNER}/${REPO}/git/trees`,
      `POST /repos/${OWNER}/${REPO}/git/commits`,
      `POST /repos/${OWNER}/${REPO}/git/refs`,
      `POST /repos/${OWNER}/${REPO}/pulls`,
    ]);
    const [line] = firstFilesLogs();
    expect(line).toMatchObject({ firstFiles: 'opened', pullRequest: 1 });
    // The log counts the event's requests: the judgement's, then the pull request's.
    expect(line!.requests).toMatchObject({
      'POST /graphql OpenlyFirstFiles': 1,
      'GET /repos/{owner}/{repo}/pulls': 1,
      'POST /repos/{owner}/{repo}/git/refs': 1,
      'POST /repos/{owner}/{repo}/pulls': 1,
    });
  });

  it('opens no second pull request on the next push, and writes nothing when the plan is the same', async () => {
    const files = missing('LICENCE', 'CONTRIBUTING.md', 'SECURITY.md');
    mockOrganisation();
    const checks = await push(files, OPTED_IN);
    const writes = git.writes.length;
    mockOrganisation();
    await push(files, OPTED_IN, checks);
    expect(git.pulls).toHaveLength(1);
    expect(git.writes).toHaveLength(writes);
    expect(firstFilesLogs().map((l) => l.firstFiles)).toEqual(['opened']);
  });

  it('updates its own pull request when the plan changes, and not once a person has pushed to it', async () => {
    mockOrganisation();
    const checks = await push(missing('LICENCE', 'CONTRIBUTING.md', 'SECURITY.md'), OPTED_IN);
    // The team adds CONTRIBUTING.md on the default branch themselves: the pull request no longer adds it.
    mockOrganisation();
    await push(missing('LICENCE', 'SECURITY.md'), OPTED_IN, checks);
    expect(git.pulls).toHaveLength(1);
    expect(Object.keys(git.filesOf(FIRST_FILES_BRANCH))).toContain('LICENCE');
    expect(git.filesOf(FIRST_FILES_BRANCH)['CONTRIBUTING.md']).toBe(fixtureRepo('clean')['CONTRIBUTING.md']);
    expect(git.pulls[0]!.headSha).toBe(git.refs.get(FIRST_FILES_BRANCH));

    // A person edits LICENCE on the branch: from then on the pull request is theirs.
    const theirs = git.seedBranch(FIRST_FILES_BRANCH, { LICENCE: 'edited' }, 'Fix the name', [
      git.refs.get(FIRST_FILES_BRANCH)!,
    ]);
    git.pulls[0]!.headSha = theirs;
    const writes = git.writes.length;
    await push(missing('LICENCE'), OPTED_IN, checks);
    expect(git.writes).toHaveLength(writes);
    expect(git.refs.get(FIRST_FILES_BRANCH)).toBe(theirs);
    expect(firstFilesLogs().map((l) => l.firstFiles)).toEqual(['opened', 'updated', 'left-to-people']);
  });

  it('opens nothing once the team closed the pull request unmerged', async () => {
    git.pulls.push({
      number: 7,
      state: 'closed',
      merged: false,
      title: 'Add the licence and community files this repository is missing',
      body: 'No thank you.',
      head: FIRST_FILES_BRANCH,
      headSha: head,
      base: DEFAULT,
    });
    await push(missing('LICENCE', 'CONTRIBUTING.md', 'SECURITY.md'), OPTED_IN);
    expect(git.writes).toEqual([]);
    expect(git.seen).toHaveLength(1);
    const [line] = firstFilesLogs();
    expect(line).toMatchObject({ firstFiles: 'declined' });
    expect(line!.msg).toContain('closed without merging');
    expect(line!.msg).toContain('reopen it');
  });

  it('sends no request at all when the organisation has not opted in', async () => {
    await push(missing('LICENCE', 'CONTRIBUTING.md', 'SECURITY.md'), 'community-files: error\n');
    expect(git.seen).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(firstFilesLogs()).toEqual([]);
  });

  it("lets a repository's own fix: off keep it out of the organisation's pull requests", async () => {
    const files = { ...missing('LICENCE'), '.github/openly.yml': 'fix: off\n' };
    setDefault(files);
    mockRepository({ ...repo(files, OPTED_IN), repoConfig: 'fix: off\n' });
    await probot.receive({ id: 'push-off', name: 'push', payload: PUSH } as Parameters<Probot['receive']>[0]);
    expect(git.seen).toEqual([]);
  });

  it('sends no request when the repository already has every file', async () => {
    await push(fixtureRepo('clean'), OPTED_IN);
    expect(git.seen).toEqual([]);
    expect(sent.map((s) => s.body.conclusion)).toEqual(['success']);
  });

  it('opens nothing, and says why, when no security contact is known', async () => {
    mockGraphql('OpenlyFirstFiles', () => ({
      data: {
        repositoryOwner: { __typename: 'Organization', login: OWNER, name: null },
        repository: null,
      },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['repository'],
          locations: [{ line: 15, column: 3 }],
          message: `Could not resolve to a Repository with the name '${OWNER}/.github'.`,
        },
      ],
    }));
    await push(missing('SECURITY.md'), OPTED_IN);
    expect(git.writes).toEqual([]);
    const [line] = firstFilesLogs();
    expect(line).toMatchObject({ firstFiles: 'cannot-plan' });
    expect(line!.msg).toContain('SECURITY.md needs a security contact: set fix.security-contact');
    expect(sent.map((s) => s.body.status)).toEqual(['completed']);
  });

  it('logs a refused write plainly and leaves the check run as it was', async () => {
    git.readOnly = true;
    mockOrganisation();
    await push(missing('LICENCE', 'CONTRIBUTING.md', 'SECURITY.md'), OPTED_IN);
    expect(sent.map((s) => s.body)).toMatchObject([{ status: 'completed', conclusion: 'failure' }]);
    expect(git.pulls).toEqual([]);
    const line = logs.find((l) => l.firstFiles === 'failed');
    expect((line?.error as { message: string }).message).toContain(
      'the App must be granted Contents read and write',
    );
    expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });

  it('closes its own pull request with a comment once the team added the files, and opens a new one if needed', async () => {
    mockOrganisation();
    const checks = await push(missing('LICENCE', 'CONTRIBUTING.md', 'SECURITY.md'), OPTED_IN);
    const branch = git.refs.get(FIRST_FILES_BRANCH);
    const seen = git.seen.length;
    await push(
      fixtureRepo('clean'),
      OPTED_IN,
      checks,
      pushAdding('LICENCE', 'CONTRIBUTING.md', 'SECURITY.md'),
    );
    expect(git.seen.slice(seen)).toEqual([
      `GET /repos/${OWNER}/${REPO}/pulls?head=${OWNER}:${FIRST_FILES_BRANCH}&state=all&per_page=100`,
      `PATCH /repos/${OWNER}/${REPO}/pulls/1`,
      `POST /repos/${OWNER}/${REPO}/issues/1/comments`,
    ]);
    expect(git.pulls[0]).toMatchObject({ state: 'closed', merged: false });
    expect(git.comments).toEqual([
      { number: 1, body: expect.stringContaining('`master` now has every file') },
    ]);
    // Nothing else is deleted: the branch stays where Openly left it.
    expect(git.refs.get(FIRST_FILES_BRANCH)).toBe(branch);

    // Openly's own closing is not the team's "no": a file missing again brings a new pull request.
    mockOrganisation();
    await push(missing('LICENCE'), OPTED_IN, checks);
    expect(git.pulls.map((p) => p.state)).toEqual(['closed', 'open']);
    expect(firstFilesLogs().map((l) => l.firstFiles)).toEqual(['opened', 'closed', 'opened']);
  });

  it('leaves a pull request a person has pushed to open when the files arrive', async () => {
    mockOrganisation();
    const checks = await push(missing('LICENCE'), OPTED_IN);
    git.pulls[0]!.headSha = git.seedBranch(FIRST_FILES_BRANCH, { LICENCE: 'ours' }, 'Ours', [
      git.refs.get(FIRST_FILES_BRANCH)!,
    ]);
    const writes = git.writes.length;
    await push(fixtureRepo('clean'), OPTED_IN, checks, pushAdding('LICENCE'));
    expect(git.writes).toHaveLength(writes);
    expect(git.pulls[0]!.state).toBe('open');
    expect(git.comments).toEqual([]);
  });
  it('opens a new pull request after its last was merged, reusing the branch only if nobody pushed to it', async () => {
    mockOrganisation();
    const checks = await push(missing('LICENCE'), OPTED_IN);
    const merge = (n: number) => Object.assign(git.pulls[n]!, { state: 'closed', merged: true });
    merge(0);
    // LICENCE goes missing again; the merged pull request's branch is untouched, so Openly moves it.
    mockOrganisation();
    await push(missing('LICENCE'), OPTED_IN, checks);
    expect(git.pulls.map((p) => p.state)).toEqual(['closed', 'open']);
    expect(git.pulls[1]!.headSha).toBe(git.refs.get(FIRST_FILES_BRANCH));
    expect(git.writes.map((w) => `${w.method} ${decodeURIComponent(w.path)}`)).toContain(
      `PATCH /repos/${OWNER}/${REPO}/git/refs/heads/${FIRST_FILES_BRANCH}`,
    );

    // Merged again, then someone pushes to the branch: it is theirs, and Openly opens nothing.
    merge(1);
    const theirs = git.seedBranch(FIRST_FILES_BRANCH, { LICENCE: 'theirs' }, 'Theirs', [
      git.refs.get(FIRST_FILES_BRANCH)!,
    ]);
    const writes = git.writes.length;
    mockOrganisation();
    await push(missing('LICENCE'), OPTED_IN, checks);
    expect(git.writes).toHaveLength(writes);
    expect(git.pulls).toHaveLength(2);
    expect(git.refs.get(FIRST_FILES_BRANCH)).toBe(theirs);
    expect(firstFilesLogs().map((l) => l.firstFiles)).toEqual(['opened', 'opened', 'branch-taken']);
  });
});
