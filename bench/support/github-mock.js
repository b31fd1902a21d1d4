// A generated repository and GitHub, mocked with nock at the HTTP layer, for driving the real App: shared by the
// App bench (bench/app.bench.js) and the test that holds the App to its request budget (test/app/requests.test.ts).
// The test passes validators that check every answer against GitHub's schemas, so the bench measures the App
// against mocks GitHub would send.
import { createRequire } from 'node:module';
import nock from 'nock';
import licences from 'spdx-license-list/full.js';

const require = createRequire(import.meta.url);
const openapi = require('@octokit/openapi/generated/api.github.com.json');

export const API = 'https://api.github.com';
export const CHECK_RUN_ID = 4242;
export const TREE_ROUTE = 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}';
export const COMPARE_ROUTE = 'GET /repos/{owner}/{repo}/compare/{basehead}';
export const CHECK_RUNS_ROUTE = 'POST /repos/{owner}/{repo}/check-runs';

const PEOPLE = [
  ['Priya Shah', 'priya.shah@nhs.net', 'priya-shah-nhs'],
  ['Tom Okafor', 'tom.okafor@digital.cabinet-office.gov.uk', 'tomokafor'],
  ['Siobhan Murphy', 'siobhan.murphy@leeds.gov.uk', 'siobhan-leeds'],
];
const TOPICS = ['appointments', 'referrals', 'eligibility', 'prescriptions', 'consent', 'search', 'feedback'];

const hex = (n, width = 40) => n.toString(16).padStart(width, '0');
const pad = (n, width) => String(n).padStart(width, '0');

function communityFiles() {
  return {
    LICENCE: licences.MIT.licenseText
      .replace('<year>', '2026')
      .replace('<copyright holders>', 'Crown Copyright (NHS England)'),
    'README.md':
      '# Manage your referral\n\nLets patients see and change a hospital referral.\n\n## Status\n\n' +
      'In active development by the Referrals team; supported.\n\n## Contact\n\nEmail referrals@nhs.net.\n\n' +
      '## Using it\n\nRun `npm install`, then `npm start`.\n\n## Licence\n\n' +
      'The code is released under the MIT licence; see [LICENCE](LICENCE).\n',
    'CONTRIBUTING.md':
      '# Contributing\n\nOpen an issue first, work on a branch with tests, sign your commits, and open a pull ' +
      'request that says what a user will notice.\n',
    'SECURITY.md':
      '# Security\n\nReport a vulnerability to cybersecurity@nhs.net, or through ' +
      'https://www.gov.uk/help/report-vulnerability. Do not open a public issue.\n',
    'CODE_OF_CONDUCT.md':
      '# Code of conduct\n\nThis project follows the Contributor Covenant, version 2.1. ' +
      'Report unacceptable behaviour to england.opensource@nhs.net.\n',
    '.github/CODEOWNERS': '* @nhsengland/manage-your-referral\n',
  };
}

function designHistoryEntry(i) {
  const date = new Date(Date.UTC(2026, 0, 5 + i * 7)).toISOString().slice(0, 10);
  const topic = TOPICS[i % TOPICS.length];
  return [
    `design-history/${date}-${topic}-${i}.md`,
    [
      '---',
      `title: What we learnt testing ${topic} with patients`,
      `date: ${date}`,
      `description: Round ${i + 1} of research on ${topic}, and what we changed.`,
      `tags: [${topic}, research]`,
      `author: ${PEOPLE[i % PEOPLE.length][0]}`,
      '---',
      '',
      `We tested the ${topic} pages with eight patients and changed the wording of the first question.`,
      '',
    ].join('\n'),
  ];
}

function decisionRecord(i) {
  const id = `ADR-${pad(i + 1, 3)}`;
  const topic = TOPICS[i % TOPICS.length];
  return [
    `docs/adr/${id}_${topic}.md`,
    [
      '---',
      `id: ${id}`,
      `title: Store ${topic} in the referral service`,
      `date: ${new Date(Date.UTC(2025, 5, 2 + i * 3)).toISOString().slice(0, 10)}`,
      'status: Accepted',
      '---',
      '',
      `# ${id}: Store ${topic} in the referral service`,
      '',
      '## Context',
      '',
      `Patients change their ${topic} often, and the old service kept them in three places.`,
      '',
      '## Decision',
      '',
      'Keep them in one place, owned by the referral service.',
      '',
      '## Consequences',
      '',
      'The other services read them through its API.',
      '',
    ].join('\n'),
  ];
}

function sourceFile(i) {
  return [
    `src/components/component-${i}/index.ts`,
    `// SPDX-License-Identifier: MIT\n\nexport function component${i}(path: string): boolean {\n` +
      `  return path.startsWith('/${TOPICS[i % TOPICS.length]}');\n}\n`,
  ];
}

/** A commit as GitHub's GraphQL API gives it (the `SignedCommit` fragment): signed, by a person, one parent. */
function graphqlCommit(i) {
  const [name, email, login] = PEOPLE[i % PEOPLE.length];
  const person = { name, email, user: { login } };
  return {
    oid: hex(i + 1),
    message: `Change ${TOPICS[i % TOPICS.length]}, step ${i + 1}`,
    parents: { totalCount: 1 },
    author: person,
    committer: person,
    signature: { isValid: true, state: 'VALID', wasSignedByGitHub: false, signer: { login } },
  };
}

/** The same commit as the REST compare API gives it, built on the example in GitHub's OpenAPI description. */
function restCommit(repository, i) {
  const template = openapi.components.examples['commit-comparison'].value.commits[0];
  const commit = graphqlCommit(i);
  const sha = commit.oid;
  const base = `${API}/repos/${repository.owner}/${repository.repo}`;
  const date = new Date(Date.UTC(2026, 10, 1, 9, i)).toISOString().replace('.000', '');
  return {
    ...structuredClone(template),
    sha,
    url: `${base}/commits/${sha}`,
    html_url: `https://github.com/${repository.owner}/${repository.repo}/commit/${sha}`,
    comments_url: `${base}/commits/${sha}/comments`,
    commit: {
      ...structuredClone(template.commit),
      url: `${base}/git/commits/${sha}`,
      message: commit.message,
      author: { name: commit.author.name, email: commit.author.email, date },
      committer: { name: commit.committer.name, email: commit.committer.email, date },
      verification: {
        verified: true,
        reason: 'valid',
        signature: '-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==\n-----END SSH SIGNATURE-----\n',
        payload: `tree ${hex(i, 40)}\n`,
        verified_at: date,
      },
    },
    author: { ...structuredClone(template.author), login: commit.author.user.login },
    committer: { ...structuredClone(template.committer), login: commit.committer.user.login },
    parents: [{ sha: hex(i), url: `${base}/commits/${hex(i)}` }],
  };
}

/**
 * A clean repository of `files` files: the community files, `artefacts` artefacts (design history entries and
 * decision records, half each), TypeScript for the rest, `.github/openly.yml` when `config` is given, and
 * `commits` signed commits for the change under judgement.
 */
export function generateRepository({
  owner,
  repo,
  headSha,
  files = 300,
  artefacts = 20,
  commits = 30,
  config,
}) {
  const tree = communityFiles();
  if (config !== undefined) tree['.github/openly.yml'] = config;
  for (let i = 0; i < artefacts; i++) {
    const [path, text] = i % 2 === 0 ? designHistoryEntry(i / 2) : decisionRecord((i - 1) / 2);
    tree[path] = text;
  }
  for (let i = 0; Object.keys(tree).length < files; i++) {
    const [path, text] = sourceFile(i);
    tree[path] = text;
  }
  return {
    owner,
    repo,
    headSha,
    files: tree,
    config,
    commits: Array.from({ length: commits }, (_, i) => graphqlCommit(i)),
  };
}

function blob(text) {
  return { text, isBinary: false, byteSize: Buffer.byteLength(text) };
}

const PAGE = 100;
const cursorAt = (index) => Buffer.from(`cursor:v2:${index}`).toString('base64');
const indexOf = (cursor) =>
  cursor === null || cursor === undefined
    ? 0
    : Number(Buffer.from(cursor, 'base64').toString().split(':')[2]);

function commitPage(commits, after) {
  const start = indexOf(after);
  const nodes = commits.slice(start, start + PAGE).map((commit) => ({ commit }));
  const end = start + nodes.length;
  return {
    totalCount: commits.length,
    pageInfo: { hasNextPage: end < commits.length, endCursor: nodes.length === 0 ? null : cursorAt(end) },
    nodes,
  };
}

/**
 * Mocks GitHub for `times` judgements of one event on `repository`: the recursive tree, the context query, further
 * pages of a pull request's commits, the files query, a compare for a push, and the check run. Each answer is
 * checked by `validate` when given (a test passes GitHub's schemas; the bench passes none, as the test covers the
 * same answers). Returns what was asked, in order, and what the App wrote.
 *
 * With `remember`, the event is delivered again and again: the first judgement writes the check run, and the
 * context query answers every later one with that run, as GitHub would (its id, completed, its `external_id`).
 *
 * @param {ReturnType<typeof generateRepository>} repository
 * @param {{ event: 'pull_request', number: number } | { event: 'push', before: string }} change
 * @param {{ times?: number, validate?: Validators, remember?: boolean }} [options]
 */
export function mockGitHub(repository, change, { times = 1, validate, remember = false } = {}) {
  const { owner, repo, headSha, files, commits } = repository;
  const requests = [];
  const written = [];
  const problems = [];
  const check = (fn) => {
    if (validate === undefined) return true;
    try {
      fn(validate);
      return true;
    } catch (error) {
      // Thrown inside nock, the request would hang; recorded, the caller fails on it.
      problems.push(String(error));
      return false;
    }
  };
  // The context query is asked once a judgement; the others as often as the repository needs.
  const graphql = (operation, answer, exactly = false) => {
    const scope = nock(API)
      .post('/graphql', (body) => body.query.includes(`query ${operation}(`))
      .times(exactly ? times : times * 10);
    (exactly ? scope : scope.optionally()).reply((_uri, body) => {
      const { query, variables = {} } = body;
      requests.push(`POST /graphql ${operation}`);
      const response = answer(variables);
      if (!check((v) => v.graphqlResponse(query, variables, response.data)))
        return [500, { message: 'bad mock' }];
      return [200, response];
    });
  };

  const treeBody = {
    sha: headSha,
    url: `${API}/repos/${owner}/${repo}/git/trees/${headSha}`,
    truncated: false,
    tree: Object.entries(files).map(([path, text], i) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: (i + 1).toString(16).padStart(40, 'b'),
      size: Buffer.byteLength(text),
      url: `${API}/repos/${owner}/${repo}/git/blobs/${(i + 1).toString(16).padStart(40, 'b')}`,
    })),
  };
  check((v) => v.restResponse('GET', '/repos/{owner}/{repo}/git/trees/{tree_sha}', 200, treeBody));
  nock(API)
    .get(`/repos/${owner}/${repo}/git/trees/${headSha}`)
    .query({ recursive: '1' })
    .times(times)
    .reply(() => {
      requests.push(TREE_ROUTE);
      return [200, treeBody];
    });

  const config = repository.config === undefined ? null : blob(repository.config);
  graphql(
    'OpenlyContext',
    () => ({
      data: {
        repository: {
          repoConfigYml: config,
          repoConfigYaml: null,
          headConfigYml: config,
          headConfigYaml: null,
          ...(change.event === 'pull_request' ? { pullRequest: { commits: commitPage(commits, null) } } : {}),
          head: {
            checkSuites: {
              nodes: remember && written.length > 0 ? [{ checkRuns: { nodes: [lastRun()] } }] : [],
            },
          },
        },
        orgBase: { configYml: null, configYaml: null },
      },
    }),
    true,
  );
  if (change.event === 'pull_request') {
    graphql('OpenlyPullRequestCommits', (variables) => ({
      data: { repository: { pullRequest: { commits: commitPage(commits, variables.cursor) } } },
    }));
  }
  graphql('OpenlyFiles', (variables) => {
    const found = {};
    for (const [key, value] of Object.entries(variables)) {
      if (!/^e\d+$/.test(key)) continue;
      const text = files[String(value).slice(headSha.length + 1)];
      found[`f${key.slice(1)}`] = text === undefined ? null : { ...blob(text), isTruncated: false };
    }
    return { data: { repository: found } };
  });

  if (change.event === 'push') {
    const example = openapi.components.examples['commit-comparison'].value;
    const rest = commits.map((_, i) => restCommit(repository, i));
    const basehead = `${change.before}...${headSha}`;
    nock(API)
      .get(`/repos/${owner}/${repo}/compare/${basehead}`)
      .query(true)
      .times(times * 10)
      .optionally()
      .reply((uri) => {
        requests.push(COMPARE_ROUTE);
        const page = Number(new URL(uri, API).searchParams.get('page') ?? '1');
        const body = {
          ...structuredClone(example),
          url: `${API}/repos/${owner}/${repo}/compare/${basehead}`,
          status: 'ahead',
          ahead_by: rest.length,
          behind_by: 0,
          total_commits: rest.length,
          commits: rest.slice((page - 1) * PAGE, page * PAGE),
          files: [],
        };
        if (!check((v) => v.restResponse('GET', '/repos/{owner}/{repo}/compare/{basehead}', 200, body)))
          return [500, { message: 'bad mock' }];
        return [200, body];
      });
  }

  const checkRun = {
    ...structuredClone(openapi.components.examples['check-run'].value),
    id: CHECK_RUN_ID,
    head_sha: headSha,
    name: 'Openly',
  };
  check((v) => v.restResponse('POST', '/repos/{owner}/{repo}/check-runs', 201, checkRun));
  const lastRun = () => ({
    databaseId: CHECK_RUN_ID,
    status: 'COMPLETED',
    externalId: written.at(-1)?.external_id ?? '',
  });
  nock(API)
    .post(`/repos/${owner}/${repo}/check-runs`)
    .times(remember ? 1 : times)
    .reply((_uri, body) => {
      requests.push(CHECK_RUNS_ROUTE);
      check((v) => v.restRequestBody('POST', '/repos/{owner}/{repo}/check-runs', body));
      written.push(body);
      return [201, checkRun];
    });

  return { requests, written, problems };
}

/** Requests by route, sorted, as the App logs them. */
export function byRoute(requests) {
  const counts = {};
  for (const route of [...requests].sort()) counts[route] = (counts[route] ?? 0) + 1;
  return counts;
}
