// `openly audit` of a simulated organisation of 2,000 repositories, served over HTTP on this machine by a small
// GraphQL double (the audit's three operations: the listing, the batched artefact-folder listings and the batched
// file reads), twice into the same `--out` folder: a first audit, then a re-run after 5% of the repositories were
// pushed, which reads only those. Reports, for each, the requests, the requests per repository (targets: at most
// one per 20 repositories on a first audit, listing included; on the re-run, the listing's one per 100 plus the
// reads of what was pushed), wall time and the peak memory sampled while it ran. GitHub answers at once, so the
// time is Openly's own work plus loopback HTTP. Uses the built code: run `npm run build` first.
// OPENLY_BENCH_REPOS sets another size.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIB = new URL('../lib/', import.meta.url);
const { auditOrganisation } = await import(new URL('org/audit.js', LIB));
const { createAuditOctokit } = await import(new URL('org/octokit.js', LIB));
const { AuditStore } = await import(new URL('org/store.js', LIB));
const require = createRequire(import.meta.url);
const MIT = require('spdx-license-list/full').MIT.licenseText.replace(
  '<year> <copyright holders>',
  '2026 Crown Copyright (Government Digital Service)',
);

const ORG = 'bench-org';
const REPOSITORIES = Number(process.env.OPENLY_BENCH_REPOS ?? 2000);
const PAGE = 100;
/** One repository in twenty is pushed between the first audit and the re-run. */
const PUSHED_EVERY = 20;

const oidOf = (name) => createHash('sha1').update(name).digest('hex');

const ADR = (n, title) =>
  `# ${n}. ${title}\n\nDate: 2024-03-0${(n % 9) + 1}\n\n## Status\n\nAccepted\n\n## Context\n\nWe need to choose how to ${title.toLowerCase()}.\n\n` +
  '## Decision\n\nWe will use the option the team knows best, and review it in a year.\n\n## Consequences\n\nFewer moving parts; one more thing to keep up to date.\n';

const POST = (day) =>
  `---\ntitle: What we learnt in research round ${day}\ndate: 2024-05-${String(day).padStart(2, '0')}\n` +
  'description: Findings from usability testing with receptionists.\n---\n\nWe tested the booking journey with six receptionists.\n';

const ROADMAP =
  'last_updated: 2026-11-01\nnext_review_due: 2027-02-01\nitems:\n  - title: Online booking\n    horizon: now\n  - title: Reminders by text\n    horizon: next\n';

/**
 * Seven in ten have every file; one in five has no licence; one in ten is archived. Artefacts as teams keep
 * them: one in five has six decision records in docs/adr, one in ten a roadmap at the root, one in twenty a design
 * history of twenty posts in app/posts.
 */
function repository(i) {
  const name = `service-${String(i).padStart(4, '0')}`;
  const files = {
    'README.md':
      `# ${name}\n\nBooks appointments for a clinic and sends reminders; run it with \`npm start\`.\n\n` +
      '## Licence\n\nThe code is under the [MIT licence](LICENCE); the documentation is © Crown copyright.\n',
    'CONTRIBUTING.md': '# Contributing\n\nOpen a pull request.\n',
    '.github/SECURITY.md': '# Security\n\nReport to security@example.gov.uk.\n',
    'CODE_OF_CONDUCT.md': '# Code of conduct\n\nBe kind.\n',
    'docs/index.md': '# Docs\n',
  };
  if (i % 5 !== 1) files.LICENCE = MIT;
  if (i % 5 === 0) {
    for (let n = 1; n <= 6; n++) files[`docs/adr/000${n}-decision-${n}.md`] = ADR(n, `Store decision ${n}`);
  }
  if (i % 10 === 5) files['roadmap.yaml'] = ROADMAP;
  if (i % 20 === 7) {
    for (let day = 1; day <= 20; day++) {
      files[`app/posts/2024-05-${String(day).padStart(2, '0')}-research-round-${day}.md`] = POST(day);
    }
  }
  return { name, files, archived: i % 10 === 3, head: oidOf(name), pushedAt: '2026-11-30T10:00:00Z' };
}

const repos = Array.from({ length: REPOSITORIES }, (_, i) => repository(i));
const byName = new Map(repos.map((r) => [r.name, r]));

/** A folder as the audit's `OrgFolder` fragment lists it: four levels, each entry with its object but the last. */
function folder(repo, path, level = 1) {
  const list = entries(repo, path);
  if (list === null) return null;
  return {
    entries: list.map((entry) =>
      level >= 4
        ? entry
        : { ...entry, object: entry.type === 'tree' ? folder(repo, `${path}/${entry.name}`, level + 1) : {} },
    ),
  };
}

function entries(repo, folder) {
  const prefix = folder === '' ? '' : `${folder}/`;
  const seen = new Map();
  for (const [path, text] of Object.entries(repo.files)) {
    if (!path.startsWith(prefix)) continue;
    const [name, ...rest] = path.slice(prefix.length).split('/');
    if (seen.has(name)) continue;
    seen.set(
      name,
      rest.length > 0
        ? { name, type: 'tree', mode: 0o40000, size: 0 }
        : { name, type: 'blob', mode: 0o100644, size: Buffer.byteLength(text) },
    );
  }
  return seen.size === 0 && folder !== '' ? null : [...seen.values()];
}

const tree = (repo, folder) => {
  const list = entries(repo, folder);
  return list === null ? null : { entries: list };
};

const RATE_LIMIT = { cost: 1, remaining: 4990, resetAt: '2099-01-01T00:00:00Z' };

function listing(variables) {
  const start = variables.cursor ? Number(variables.cursor.slice(7)) : 0;
  const page = repos.slice(start, start + PAGE);
  const end = start + page.length;
  const data = {
    organization: {
      repositories: {
        totalCount: repos.length,
        pageInfo: { hasNextPage: end < repos.length, endCursor: `cursor:${end}` },
        nodes: page.map((repo) => ({
          name: repo.name,
          visibility: 'PUBLIC',
          isArchived: repo.archived,
          isFork: false,
          isEmpty: false,
          pushedAt: repo.pushedAt,
          defaultBranchRef: {
            name: 'main',
            refUpdateRule:
              i(repo) % 2 === 0 ? { requiresSignatures: true, requiredApprovingReviewCount: 1 } : null,
            rules: { totalCount: 0, nodes: [] },
            target: { oid: repo.head, tree: { entries: entries(repo, '') } },
          },
          dotGithub: tree(repo, '.github'),
          docs: tree(repo, 'docs'),
          licenses: tree(repo, 'LICENSES'),
        })),
      },
    },
    rateLimit: RATE_LIMIT,
  };
  if (variables.withBase) data.orgBase = null;
  return variables.withBase
    ? { data, errors: [{ type: 'NOT_FOUND', path: ['orgBase'], message: 'no .github repository' }] }
    : { data };
}

/** The repository's number, from its name. */
function i(repo) {
  return Number(repo.name.slice(-4));
}

function folders(variables) {
  const data = { rateLimit: RATE_LIMIT };
  for (const [key, name] of Object.entries(variables)) {
    const r = /^n(\d+)$/.exec(key)?.[1];
    if (r === undefined) continue;
    const repo = byName.get(name);
    const out = {};
    for (const [expressionKey, expression] of Object.entries(variables)) {
      const match = new RegExp(`^e${r}_(\\d+)$`).exec(expressionKey);
      if (match === null) continue;
      out[`d${match[1]}`] = folder(repo, expression.slice(expression.indexOf(':') + 1));
    }
    data[`r${r}`] = out;
  }
  return { data };
}

function files(variables) {
  const data = { rateLimit: RATE_LIMIT };
  for (const [key, name] of Object.entries(variables)) {
    const r = /^n(\d+)$/.exec(key)?.[1];
    if (r === undefined) continue;
    const repo = byName.get(name);
    const out = {};
    for (const [expressionKey, expression] of Object.entries(variables)) {
      const match = new RegExp(`^e${r}_(\\d+)$`).exec(expressionKey);
      if (match === null) continue;
      const path = expression.slice(expression.indexOf(':') + 1);
      const text = repo.files[path];
      out[`f${match[1]}`] =
        text === undefined
          ? null
          : { text, isBinary: false, byteSize: Buffer.byteLength(text), isTruncated: false };
    }
    data[`r${r}`] = out;
  }
  return { data };
}

/** A push to one repository in twenty: a new README at a new commit. */
function pushSome() {
  let pushed = 0;
  repos.forEach((repo, i) => {
    if (i % PUSHED_EVERY !== 7) return;
    repo.files = {
      ...repo.files,
      'README.md': `${repo.files['README.md']}\nDeployed with the new pipeline.\n`,
    };
    repo.head = oidOf(`${repo.name}#1`);
    repo.pushedAt = '2026-12-06T16:00:00Z';
    pushed++;
  });
  return pushed;
}

/** Samples the resident set while `work` runs: the peak of this run alone, not of the process so far. */
async function measured(work) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const started = performance.now();
  try {
    const result = await work();
    return { result, wall: performance.now() - started, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

export async function run() {
  const counts = { listing: 0, folders: 0, files: 0, other: 0 };
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const { query, variables = {} } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const operation = /query (\w+)/.exec(query)?.[1];
      let answer;
      if (operation === 'OpenlyOrgRepositories') {
        counts.listing += 1;
        answer = listing(variables);
      } else if (operation === 'OpenlyOrgFolders') {
        counts.folders += 1;
        answer = folders(variables);
      } else if (operation === 'OpenlyOrgFiles') {
        counts.files += 1;
        answer = files(variables);
      } else {
        counts.other += 1;
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const out = mkdtempSync(join(tmpdir(), 'openly-bench-org-'));
  const octokit = createAuditOctokit({ token: 'bench-token', apiUrl: `http://127.0.0.1:${port}/api/v3` });
  const audit = async () => {
    const before = { ...counts };
    const report = await auditOrganisation({ octokit, org: ORG, store: new AuditStore(out, () => {}) });
    const listingRequests = counts.listing - before.listing;
    const fileRequests = counts.files - before.files;
    const folderRequests = counts.folders - before.folders;
    return {
      report,
      listingRequests,
      folderRequests,
      fileRequests,
      requests: listingRequests + folderRequests + fileRequests + counts.other - before.other,
    };
  };
  let first;
  let again;
  let pushed;
  try {
    first = await measured(audit);
    pushed = pushSome();
    again = await measured(audit);
  } finally {
    server.close();
    rmSync(out, { recursive: true, force: true });
  }
  const { report } = first.result;
  const same = JSON.stringify(again.result.report.summary) === JSON.stringify(report.summary);
  const mb = (bytes) => bytes / 1024 / 1024;
  return {
    title: `Organisation audit of ${REPOSITORIES.toLocaleString('en-GB')} repositories, then a re-run after ${pushed} pushes (GraphQL double on loopback)`,
    figures: [
      {
        name: 'repositories in the report',
        value: report.summary.repositories,
        unit: 'repositories',
        target: { min: REPOSITORIES },
      },
      {
        name: 'compliant / failing / skipped',
        value: `${report.summary.compliant} / ${report.summary.failing} / ${report.summary.skipped}`,
        unit: '',
      },
      { name: 'requests, first audit', value: first.result.requests, unit: 'requests' },
      { name: '  listing requests', value: first.result.listingRequests, unit: 'requests' },
      { name: '  artefact-folder requests', value: first.result.folderRequests, unit: 'requests' },
      { name: '  file-read requests', value: first.result.fileRequests, unit: 'requests' },
      {
        name: 'requests per 20 repositories, first audit',
        value: (first.result.requests / REPOSITORIES) * 20,
        unit: 'requests',
        target: 1,
      },
      { name: 'wall time, first audit', value: first.wall, unit: 'ms' },
      { name: 'peak resident memory, first audit', value: mb(first.peak), unit: 'MB' },
      { name: 'requests, re-run', value: again.result.requests, unit: 'requests' },
      { name: '  listing requests', value: again.result.listingRequests, unit: 'requests' },
      { name: '  file-read requests', value: again.result.fileRequests, unit: 'requests' },
      {
        name: 'requests per 100 repositories, re-run',
        value: (again.result.requests / REPOSITORIES) * 100,
        unit: 'requests',
        // The listing's one per 100, and one read per batch of up to 50 repositories pushed.
        target: 1 + Math.ceil(pushed / 50) / (REPOSITORIES / 100),
      },
      { name: 'wall time, re-run', value: again.wall, unit: 'ms' },
      { name: 'peak resident memory, re-run', value: mb(again.peak), unit: 'MB' },
      {
        name: 're-run summary equals the first (only READMEs changed)',
        value: same ? 'yes' : 'no',
        unit: '',
      },
      {
        name: 'peak resident memory of the process',
        value: process.resourceUsage().maxRSS / 1024,
        unit: 'MB',
      },
    ],
  };
}
