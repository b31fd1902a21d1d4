// Release notes for 500 pull requests merged since the last release, with a risk register, decision records and a
// roadmap to compare with the last release: the requests spent (target: at most 10) and the time the draft takes
// with GitHub answering at once, so that the figure is our own work. GitHub is faked below Octokit's `fetch`, so
// every request goes through Octokit's hooks and is counted as in the Action. Uses the built code: run
// `npm run build` first.
import { Octokit } from '@octokit/core';

const LIB = new URL('../lib/', import.meta.url);
const { draftReleaseNotes, resolveReleaseNotesConfig } = await import(new URL('release/index.js', LIB));
const { countRequests } = await import(new URL('github/request-counter.js', LIB));
const { MemorySnapshot } = await import(new URL('sources/memory.js', LIB));

const MERGED = 500;
const OLDER = 300;
const RUNS = 5;
const RELEASED = Date.parse('2026-10-01T09:00:00Z');
const OID = 'a1'.repeat(20);

function pull(number, minutes, labels) {
  const at = new Date(RELEASED + minutes * 60_000).toISOString();
  return {
    number,
    title: `Change ${number}: tidy the <booking> form [again]`,
    url: `https://github.com/nhsengland/book-a-vaccination/pull/${number}`,
    mergedAt: at,
    updatedAt: at,
    author: { login: `person-${number % 40}` },
    mergeCommit: { oid: number.toString(16).padStart(40, 'b') },
    labels: { nodes: labels.map((name) => ({ name })) },
  };
}

const LABELS = [['bug'], ['enhancement'], ['documentation'], [], ['open-working'], ['skip-changelog']];
const pulls = [
  ...Array.from({ length: MERGED }, (_, i) => pull(2000 + i, MERGED - i, LABELS[i % LABELS.length])),
  ...Array.from({ length: OLDER }, (_, i) => pull(1000 + i, -1 - i, [])),
];
const release = {
  databaseId: 41,
  tagName: 'v1.2.3',
  name: 'v1.2.3',
  isDraft: false,
  isPrerelease: false,
  createdAt: '2026-10-01T09:00:00Z',
  publishedAt: '2026-10-01T09:00:00Z',
  url: 'https://github.com/nhsengland/book-a-vaccination/releases/tag/v1.2.3',
  description: 'Earlier notes',
  tagCommit: { oid: OID, committedDate: '2026-10-01T08:59:00Z', history: { nodes: [{ oid: OID }] } },
};

function register(risks) {
  const lines = ['title: Risks', 'owner: Service owner', 'last_reviewed: 2026-11-20', 'risks:'];
  for (let i = 0; i < risks; i++) {
    lines.push(
      `  - id: R-${i}`,
      `    title: Risk ${i}`,
      '    likelihood: Low',
      '    consequence: Minor',
      '    rating: 1',
      '    owner: Delivery manager',
      `    status: ${i % 7 === 0 ? 'closed' : 'open'}`,
      '    last_reviewed: 2026-11-20',
    );
  }
  return `${lines.join('\n')}\n`;
}

function adr(i, status) {
  return `---\nid: ADR-${i}\ntitle: Decision ${i}\ndate: 2026-10-0${1 + (i % 9)}\nstatus: ${status}\n---\n\n## Context\n\n## Decision\n\n## Consequences\n`;
}

const before = { 'governance/risk-register.yaml': register(40) };
const after = {
  'governance/risk-register.yaml': register(55),
  'roadmap.yaml': 'items:\n  - title: Carers\n    horizon: now\n',
};
for (let i = 0; i < 30; i++) {
  before[`docs/adr/${String(i).padStart(4, '0')}-decision.md`] = adr(i, 'Proposed');
  after[`docs/adr/${String(i).padStart(4, '0')}-decision.md`] = adr(i, i % 2 === 0 ? 'Accepted' : 'Proposed');
}

function page(offset) {
  const sorted = pulls; // already newest activity first
  const slice = sorted.slice(offset, offset + 100);
  const end = offset + slice.length;
  return { pageInfo: { hasNextPage: end < sorted.length, endCursor: `c${end}` }, nodes: slice };
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** GitHub, answering at once from memory. */
async function fakeFetch(url, init) {
  const path = new URL(url).pathname;
  const body = init.body === undefined || init.body === null ? {} : JSON.parse(init.body);
  if (path === '/graphql') {
    const operation = /query (\w+)/.exec(body.query)[1];
    const variables = body.variables ?? {};
    if (operation === 'OpenlyReleaseState') {
      return json(200, {
        data: {
          repository: {
            latestRelease: release,
            releases: { nodes: [release] },
            pullRequests: page(0),
            tags: { nodes: [{ name: 'v1.2.3' }, { name: 'v1.2.3-rc.1' }] },
          },
        },
      });
    }
    if (operation === 'OpenlyMergedPullRequests') {
      return json(200, { data: { repository: { pullRequests: page(Number(variables.cursor.slice(1))) } } });
    }
    if (operation === 'OpenlyReleaseArtefacts') {
      const repository = {};
      for (const [key, value] of Object.entries(variables)) {
        if (!/^e\d+$/.test(key)) continue;
        const text = before[value.slice(OID.length + 1)];
        repository[`a${key.slice(1)}`] =
          text === undefined ? null : { text, isBinary: false, isTruncated: false };
      }
      return json(200, { data: { repository } });
    }
    throw new Error(`unexpected query ${operation}`);
  }
  if ((init.method ?? 'GET') === 'GET' && path.includes('/git/trees/')) {
    // The roadmap is new since the release, so where the artefacts were then is listed: a move is no addition.
    const tree = Object.keys(before).map((file) => ({ path: file, mode: '100644', type: 'blob', sha: OID }));
    return json(200, { sha: OID, url, truncated: false, tree });
  }
  if (init.method === 'POST' && path.endsWith('/releases')) {
    return json(201, {
      id: 5555,
      html_url: 'https://github.com/nhsengland/book-a-vaccination/releases/tag/v1.3.0',
    });
  }
  throw new Error(`unexpected ${init.method} ${path}`);
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

async function once() {
  const octokit = new Octokit({ auth: 'bench', request: { fetch: fakeFetch } });
  const counter = countRequests(octokit);
  const start = performance.now();
  const outcome = await draftReleaseNotes({
    octokit,
    owner: 'nhsengland',
    repo: 'book-a-vaccination',
    defaultBranch: 'main',
    headSha: 'c0ffee'.padEnd(40, '0'),
    config: resolveReleaseNotesConfig(undefined),
    checkout: new MemorySnapshot(after),
    dryRun: false,
    log: quiet,
  });
  const ms = performance.now() - start;
  return { ms, requests: counter.count(), outcome };
}

export async function run() {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once());
  const times = runs.map((r) => r.ms).sort((a, b) => a - b);
  const { requests, outcome } = runs[0];
  return {
    title: `Release notes: draft for ${MERGED} merged pull requests (plus ${OLDER} older), 30 decisions and a risk register compared with the last release`,
    figures: [
      { name: 'requests to GitHub', value: requests, unit: 'requests', target: 10 },
      {
        name: 'pull requests listed (one label in six excluded)',
        value: outcome.pullRequests,
        unit: 'pull requests',
      },
      {
        name: 'handler time, median of 5 (GitHub answering at once)',
        value: times[Math.floor(RUNS / 2)],
        unit: 'ms',
      },
      { name: 'release body', value: outcome.body.length / 1024, unit: 'KiB' },
    ],
  };
}
