// Requests and handler time per event for the GitHub App: the built App (lib/app) driven through Probot's
// `receive` with GitHub's own webhook examples, and GitHub mocked at the HTTP layer (bench/support/github-mock.js,
// whose answers test/app/requests.test.ts checks against GitHub's schemas). Requests are counted twice: by the
// mocks, and by the App itself (its log line); the two must agree. Handler time is the median of several events
// after one to warm up, with nock's answers in it but no network.
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { openlyApp } from '../lib/app/index.js';
import { checks } from '../lib/checks/index.js';
import { byRoute, generateRepository, mockGitHub } from './support/github-mock.js';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples');

const RUNS = Number(process.env.OPENLY_BENCH_APP_RUNS ?? 9);
const APP_ID = 1234;
const PRIVATE_KEY = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;

function example(event, pick) {
  const found = examples.find((e) => e.name === event)?.examples.find(pick);
  if (found === undefined) throw new Error(`no ${event} example matches`);
  return structuredClone(found);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** A team's own check: it wants every Markdown file and finds nothing, so it adds files to read but no finding. */
const EXTRA = {
  id: 'extra-markdown',
  title: 'Extra Markdown check',
  rules: { 'extra-markdown/none': { level: 'notice', description: 'Nothing.' } },
  wants: (paths) => paths.filter((path) => path.endsWith('.md')),
  run: () => [],
};
const EVERY_CHECK = 'artefacts: error\nsigned-commits: error\n';

async function makeProbot(list, logged) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue;
        const record = JSON.parse(line);
        if (record.requests !== undefined) logged.push(record.requests);
        if (record.level >= 50) logged.push({ error: record.msg });
      }
      done();
    },
  });
  const probot = new Probot({
    appId: APP_ID,
    privateKey: PRIVATE_KEY,
    githubToken: 'bench',
    log: pino({ level: 'info' }, stream),
    // As in the tests: no retries and no throttle, which would add waits of its own between writes.
    Octokit: ProbotOctokit.defaults((options) => ({
      ...options,
      retry: { enabled: false },
      throttle: { ...options.throttle, enabled: false },
    })),
  });
  await probot.load(openlyApp({ appId: APP_ID, checks: list }));
  return probot;
}

/**
 * Judges one event RUNS + 1 times; the first warms up and is not timed. With `redeliver`, the event has been
 * judged once before (that delivery wrote the check run, and is not counted), so each counted one is a redelivery.
 */
async function measure({ event, payload, repository, change, list = checks, redeliver = false }) {
  const logged = [];
  const probot = await makeProbot(list, logged);
  const mocked = mockGitHub(repository, change, {
    times: RUNS + 1 + (redeliver ? 1 : 0),
    remember: redeliver,
  });
  const times = [];
  try {
    if (redeliver) {
      await probot.receive({ id: `bench-${event}-first`, name: event, payload });
      mocked.requests.length = 0;
      logged.length = 0;
    }
    for (let i = 0; i <= RUNS; i++) {
      const start = performance.now();
      await probot.receive({ id: `bench-${event}-${i}`, name: event, payload });
      if (i > 0) times.push(performance.now() - start);
    }
    if (!nock.isDone()) throw new Error(`requests not made: ${nock.pendingMocks().join(', ')}`);
  } finally {
    nock.cleanAll();
  }
  const errors = logged.filter((entry) => typeof entry.error === 'string');
  if (errors.length > 0) throw new Error(`the App logged an error: ${errors[0].error}`);
  const writes = redeliver ? 1 : RUNS + 1;
  if (mocked.written.length !== writes) throw new Error(`${mocked.written.length} check runs written`);
  const conclusion = mocked.written[0].conclusion;
  if (conclusion !== 'success') throw new Error(`the generated repository was judged ${conclusion}`);
  const perEvent = Object.fromEntries(
    Object.entries(byRoute(mocked.requests)).map(([route, n]) => [route, n / (RUNS + 1)]),
  );
  // Every event the same, and the App's own count the same as the mocks'.
  for (const counted of logged) {
    if (JSON.stringify(counted) !== JSON.stringify(perEvent)) {
      throw new Error(`the App counted ${JSON.stringify(counted)}, the mocks ${JSON.stringify(perEvent)}`);
    }
  }
  const total = Object.values(perEvent).reduce((sum, n) => sum + n, 0);
  return { total, perEvent, ms: median(times) };
}

function figures(label, result, target) {
  return [
    { name: `${label}: requests per event`, value: result.total, unit: 'requests', target },
    ...Object.entries(result.perEvent).map(([route, n]) => ({
      name: `    ${route}`,
      value: n,
      unit: 'requests',
    })),
    { name: `${label}: handler time, median of ${RUNS}`, value: result.ms, unit: 'ms' },
  ];
}

export async function run() {
  nock.disableNetConnect();
  const pr = example('pull_request', (p) => p.action === 'opened' && p.installation !== undefined);
  const push = example('push', (p) => p.ref === 'refs/heads/master' && p.installation !== undefined);
  // GitHub's example push creates the branch; an ordinary push to the default branch has a commit before it.
  push.before = 'b7e2a1c9d8f7e6a5b4c3d2e1f0a9b8c7d6e5f4a3';
  const owner = pr.repository.owner.login;
  const repo = pr.repository.name;
  const shape = { owner, repo, files: 300, artefacts: 20 };
  const pullRequest = { event: 'pull_request', number: pr.pull_request.number };

  try {
    const a = await measure({
      event: 'pull_request',
      payload: pr,
      repository: generateRepository({ ...shape, headSha: pr.pull_request.head.sha, commits: 30 }),
      change: pullRequest,
    });
    const all = await measure({
      event: 'pull_request',
      payload: pr,
      repository: generateRepository({
        ...shape,
        headSha: pr.pull_request.head.sha,
        commits: 30,
        config: EVERY_CHECK,
      }),
      change: pullRequest,
      list: [...checks, EXTRA],
    });
    const b = await measure({
      event: 'pull_request',
      payload: pr,
      repository: generateRepository({
        ...shape,
        headSha: pr.pull_request.head.sha,
        commits: 300,
        config: EVERY_CHECK,
      }),
      change: pullRequest,
    });
    const c = await measure({
      event: 'push',
      payload: push,
      repository: generateRepository({ ...shape, headSha: push.after, commits: 30, config: EVERY_CHECK }),
      change: { event: 'push', before: push.before },
    });
    const d = await measure({
      event: 'pull_request',
      payload: pr,
      repository: generateRepository({ ...shape, headSha: pr.pull_request.head.sha, commits: 30 }),
      change: pullRequest,
      redeliver: true,
    });
    return {
      title: `GitHub App: requests and handler time per event (300 files, 20 artefacts; ${checks.length} checks registered)`,
      figures: [
        ...figures('(a) pull request, 30 commits, default config', a, 4),
        ...figures(
          `(a) same, every check on + 1 more (${checks.length + 1} checks)`,
          all,
          // The count must not grow with the checks: at most what (a) cost with the default set.
          { max: Math.min(4, a.total) },
        ),
        ...figures('(b) pull request, 300 commits, every check on', b),
        ...figures('(c) push to the default branch, 30 commits, every check on', c),
        // Nothing to write: the check run already shows the result, and writing it again would double its annotations.
        ...figures('(d) the pull request of (a) delivered again', d, { max: a.total }),
      ],
    };
  } finally {
    nock.enableNetConnect();
  }
}
