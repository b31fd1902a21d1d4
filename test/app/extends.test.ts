import nock from 'nock';
import type { Probot } from 'probot';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_EXTENDS_LINKS } from '../../src/app/config.js';
import {
  API,
  example,
  fixtureRepo,
  invalidMocks,
  logs,
  makeProbot,
  mockCheckRuns,
  mockConfigLink,
  mockContext,
  mockGraphql,
  mockRepository,
  mockTree,
  sent,
  type RepoMock,
} from './harness.js';

interface CheckRunBody {
  conclusion: string;
  output: {
    title: string;
    summary: string;
    annotations: { path: string; start_line: number; title: string; message: string }[];
  };
}

const PR_OPENED = example('pull_request', (p) => p.action === 'opened' && p.installation !== undefined);
const HEAD = (PR_OPENED.pull_request as { head: { sha: string } }).head.sha;
const CONFIG = '.github/openly.yml';
/** The clean fixture has no CODEOWNERS: a base that makes this rule an error fails the run, and so shows it applied. */
const STRICT = 'rules:\n  community-files/codeowners: error\n';

/** Codertocat/Hello-World with `repoConfig` on its default branch (and in its tree). */
function repo(repoConfig: string | undefined, extra: Partial<RepoMock> = {}): RepoMock {
  const files = fixtureRepo('clean');
  if (repoConfig !== undefined) files[CONFIG] = repoConfig;
  return {
    owner: 'Codertocat',
    repo: 'Hello-World',
    headSha: HEAD,
    files,
    ...(repoConfig === undefined ? {} : { repoConfig }),
    ...extra,
  };
}

let probot: Probot;

async function judge(): Promise<CheckRunBody> {
  await probot.receive({ id: 'delivery-extends', name: 'pull_request', payload: PR_OPENED } as Parameters<
    Probot['receive']
  >[0]);
  expect(sent).toHaveLength(1);
  return sent[0]!.body as unknown as CheckRunBody;
}

/** The App's own count of this event's requests, by route, from its log line. */
function requests(): Record<string, number> {
  const written = logs.find((l) => l.msg === 'Openly check run written');
  return (written?.requests ?? {}) as Record<string, number>;
}

/** A configuration that could not be used: the checks did not run, and a mock for the files would be left over. */
function mockBrokenChain(mock: RepoMock): void {
  mockTree(mock);
  mockContext(mock);
  mockCheckRuns(mock);
}

beforeAll(() => {
  nock.disableNetConnect();
});

beforeEach(async () => {
  sent.length = 0;
  invalidMocks.length = 0;
  logs.length = 0;
  probot = await makeProbot();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(invalidMocks).toEqual([]);
  expect(pending).toEqual([]);
});

describe('_extends', () => {
  it('costs no request more when the repository names the organisation base', async () => {
    mockRepository(repo('_extends: .github\nlicence: error\n', { orgConfig: STRICT }));
    const body = await judge();
    expect(body.conclusion).toBe('failure');
    expect(body.output.summary).toContain('community-files/codeowners');
    expect(body.output.summary).toContain(
      'Configuration: Codertocat/.github:.github/openly.yml over Codertocat/Hello-World:.github/openly.yml',
    );
    expect(requests()).not.toHaveProperty(['POST /graphql OpenlyConfigLink']);
  });

  it('builds on another repository of the same owner instead of the organisation base, in one request', async () => {
    mockRepository(repo('_extends: nhs-openly-base\n', { orgConfig: 'licence: off\n' }));
    mockConfigLink('Codertocat', 'nhs-openly-base', { [CONFIG]: STRICT });
    const body = await judge();
    expect(body.conclusion).toBe('failure');
    expect(body.output.summary).toContain('community-files/codeowners');
    expect(body.output.summary).toContain(
      'Configuration: Codertocat/nhs-openly-base:.github/openly.yml over Codertocat/Hello-World:.github/openly.yml',
    );
    // The organisation base is not under a chain that names another: the licence check still ran.
    expect(body.output.summary).not.toContain('Codertocat/.github');
    expect(requests()['POST /graphql OpenlyConfigLink']).toBe(1);
  });

  it('follows owner/repo:path links along a chain, one request a link, base first', async () => {
    mockRepository(repo('_extends: nhsengland/openly-config:teams/digital.yml\n'));
    mockConfigLink('nhsengland', 'openly-config', {
      'teams/digital.yml': '_extends: nhsengland/openly-config:base.yaml\nlicence: warning\n',
      'base.yaml': STRICT,
    });
    mockConfigLink('nhsengland', 'openly-config', {
      'teams/digital.yml': '_extends: nhsengland/openly-config:base.yaml\nlicence: warning\n',
      'base.yaml': STRICT,
    });
    const body = await judge();
    expect(body.conclusion).toBe('failure');
    expect(body.output.summary).toContain(
      'Configuration: nhsengland/openly-config:base.yaml over nhsengland/openly-config:teams/digital.yml over ' +
        'Codertocat/Hello-World:.github/openly.yml',
    );
    expect(requests()['POST /graphql OpenlyConfigLink']).toBe(2);
  });

  it('reads .github/openly.yaml when a linked repository has no .yml', async () => {
    mockRepository(repo('_extends: shared-config\n'));
    mockConfigLink('Codertocat', 'shared-config', { '.github/openly.yaml': STRICT });
    const body = await judge();
    expect(body.output.summary).toContain('Codertocat/shared-config:.github/openly.yaml over');
    expect(body.conclusion).toBe('failure');
  });
});

describe('an _extends that cannot be followed is a configuration error, never a silent fall-back', () => {
  it('names the repository GitHub cannot find, annotated on the line of _extends', async () => {
    const mock = repo('licence: error\n_extends: nhs-digital/missing-base\n', { orgConfig: STRICT });
    mockBrokenChain(mock);
    mockConfigLink('nhs-digital', 'missing-base', null);
    const body = await judge();
    expect(body.conclusion).toBe('failure');
    expect(body.output.title).toBe('The Openly configuration cannot be used');
    const annotation = body.output.annotations[0]!;
    expect(body.output.annotations).toHaveLength(1);
    expect(annotation).toMatchObject({ path: CONFIG, start_line: 2, title: 'config/invalid' });
    expect(annotation.message).toContain('_extends: "nhs-digital/missing-base"');
    expect(annotation.message).toContain('nhs-digital/missing-base, which GitHub cannot find');
  });

  it('says which files it looked for when the repository has none', async () => {
    mockBrokenChain(repo('_extends: openly-settings\n'));
    mockConfigLink('Codertocat', 'openly-settings', { 'README.md': '# Settings\n' });
    const body = await judge();
    expect(body.output.summary).toContain(
      'there is no Codertocat/openly-settings:.github/openly.yml or Codertocat/openly-settings:.github/openly.yaml',
    );
    expect(body.output.summary).toContain('Codertocat/Hello-World:.github/openly.yml:1:11');
  });

  it('says when the organisation base it names does not exist, without a request', async () => {
    mockBrokenChain(repo('_extends: Codertocat/.github\n'));
    const body = await judge();
    expect(body.output.summary).toContain('names Codertocat/.github, which has no .github/openly.yml');
    expect(requests()).not.toHaveProperty(['POST /graphql OpenlyConfigLink']);
  });

  it('stops at a loop, naming the files in the order read', async () => {
    mockBrokenChain(repo('_extends: base-a\n'));
    mockConfigLink('Codertocat', 'base-a', { [CONFIG]: '_extends: Codertocat/Hello-World\n' });
    const body = await judge();
    expect(body.output.summary).toContain('Codertocat/base-a:.github/openly.yml');
    expect(body.output.summary).toContain(
      'Codertocat/Hello-World:.github/openly.yml → Codertocat/base-a:.github/openly.yml → Codertocat/Hello-World',
    );
    expect(requests()['POST /graphql OpenlyConfigLink']).toBe(1);
  });

  it(`stops after ${MAX_EXTENDS_LINKS} links`, async () => {
    mockBrokenChain(repo('_extends: link-1\n'));
    for (let i = 1; i <= MAX_EXTENDS_LINKS; i++) {
      mockConfigLink('Codertocat', `link-${i}`, { [CONFIG]: `_extends: link-${i + 1}\n` });
    }
    const body = await judge();
    expect(body.output.summary).toContain(`_extends: "link-${MAX_EXTENDS_LINKS + 1}" is one link too many`);
    expect(requests()['POST /graphql OpenlyConfigLink']).toBe(MAX_EXTENDS_LINKS);
  });

  it.each(['https://example.org/openly.yml', 'base:../secrets.yml', 'base:openly.json', 'a/b/c'])(
    'refuses _extends: %s, which names no file of a repository, without a request',
    async (value) => {
      mockBrokenChain(repo(`_extends: ${value}\n`));
      const body = await judge();
      expect(body.output.annotations[0]).toMatchObject({ path: CONFIG, start_line: 1 });
      expect(body.output.annotations[0]!.message).toContain('is not a file Openly can follow');
    },
  );

  it.each([
    ['42', 'the number 42'],
    ['[base-a, base-b]', 'a list'],
    ['', 'nothing'],
    ['{ repo: base }', 'a mapping'],
  ])(
    'refuses _extends: %s, which is not text naming a file, rather than pass over it',
    async (value, what) => {
      mockBrokenChain(repo(`licence: warning\n_extends: ${value}\n`, { orgConfig: STRICT }));
      const body = await judge();
      expect(body.conclusion).toBe('failure');
      expect(body.output.annotations[0]).toMatchObject({ path: CONFIG, start_line: 2 });
      expect(body.output.annotations[0]!.message).toContain(`_extends must be a text value`);
      expect(body.output.annotations[0]!.message).toContain(`found ${what}`);
    },
  );

  it('reports problems in a linked file with its own name and line', async () => {
    mockBrokenChain(repo('_extends: nhsengland/openly-config\n'));
    mockConfigLink('nhsengland', 'openly-config', {
      [CONFIG]: 'licence: error\nrules:\n  licence/missin: off\n',
    });
    const body = await judge();
    expect(body.output.summary).toContain('nhsengland/openly-config:.github/openly.yml:3');
    expect(body.output.summary).toContain('licence/missing');
    // Not a file of this repository: nothing GitHub could annotate.
    expect(body.output.annotations).toEqual([]);
  });

  it('checks the base a pull request newly names, and still judges under the default branch', async () => {
    const head = '_extends: nhs-digital/no-such-base\n';
    mockRepository({
      ...repo(undefined),
      headConfig: head,
      files: { ...fixtureRepo('clean'), [CONFIG]: head },
    });
    mockConfigLink('nhs-digital', 'no-such-base', null);
    const body = await judge();
    expect(body.conclusion).toBe('failure');
    const annotation = body.output.annotations.find((a) => a.path === CONFIG);
    expect(annotation).toMatchObject({ start_line: 1, title: 'config/invalid' });
    expect(annotation!.message).toContain('which GitHub cannot find');
    expect(body.output.summary).toContain('Community files');
  });
});

describe('GitHub failing on a link', () => {
  it('is a failure to read, said as such, not a configuration error', async () => {
    mockBrokenChain(repo('_extends: nhsengland/openly-config\n'));
    nock(API)
      .post('/graphql', (body: { query: string }) => body.query.includes('query OpenlyConfigLink('))
      .reply(502, { message: 'Server Error' });
    const body = await judge();
    expect(body.conclusion).toBe('failure');
    expect(body.output.title).toBe('Openly could not read the repository');
    expect(body.output.summary).toContain('POST /graphql OpenlyConfigLink \\(502\\)');
  });
});

describe('an empty repository', () => {
  it('is judged as having no files: GitHub answers the tree with 409', async () => {
    const suite = example('check_suite', (p) => p.action === 'requested');
    (suite.check_suite as { head_branch: string }).head_branch = 'first-draft';
    const mock: RepoMock = {
      owner: 'Codertocat',
      repo: 'Hello-World',
      headSha: (suite.check_suite as { head_sha: string }).head_sha,
      files: {},
      pullRequest: false,
    };
    mockTree(mock, 409, {
      message: 'Git Repository is empty.',
      documentation_url: 'https://docs.github.com/rest/git/trees#get-a-tree',
    });
    // No commit, so nothing at any expression and no head object; the repository itself exists.
    mockGraphql('OpenlyContext', () => ({
      data: {
        repository: {
          repoConfigYml: null,
          repoConfigYaml: null,
          headConfigYml: null,
          headConfigYaml: null,
          head: null,
        },
        orgBase: { configYml: null, configYaml: null },
      },
    }));
    mockCheckRuns(mock);
    await probot.receive({ id: 'delivery-empty', name: 'check_suite', payload: suite } as Parameters<
      Probot['receive']
    >[0]);
    expect(sent).toHaveLength(1);
    const body = sent[0]!.body as unknown as CheckRunBody;
    expect(body.conclusion).toBe('failure');
    expect(body.output.title).not.toBe('Openly could not read the repository');
    expect(body.output.summary).toContain('the repository is empty');
    expect(body.output.summary).toContain('community-files/readme');
    expect(body.output.summary).toContain('licence/missing');
    expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
  });
});
