// `openly audit` of a simulated organisation of 2,000 repositories, served over HTTP on this machine by a small
// GraphQL double (the audit's three operations: the listing, the batched artefact-folder listings and the batched
// file reads), twice into the same `--out` folder: a first audit, then a re-run after 5% of the repositories were
// pushed, which reads only those. Reports, for each, the requests, the requests per repository (targets: at most
// one per 20 repositories on a first audit, listing included; on the re-run, the listing's one per 100 plus the
// reads of what was pushed), wall time and the peak memory sampled while it ran. GitHub answers at once, so the
// time is Openly's own work plus loopback HTTP. Uses the built code: run `npm run build` first.
// OPENLY_BENCH_REPOS sets another size.
import { mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIB = new URL('../lib/', import.meta.url);
const { auditOrganisation } = await import(new URL('org/audit.js', LIB));
const { createAuditOctokit } = await import(new URL('org/octokit.js', LIB));
const { AuditStore } = await import(new URL('org/store.js', LIB));
const { serveOrganisation, simulatedRepository } = await import('./support/org-double.js');

const ORG = 'bench-org';
const REPOSITORIES = Number(process.env.OPENLY_BENCH_REPOS ?? 2000);
/** One repository in twenty is pushed between the first audit and the re-run. */
const PUSHED_EVERY = 20;

const oidOf = (name) => createHash('sha1').update(name).digest('hex');

/** A push to one repository in twenty: a new README at a new commit. */
function pushSome(repos) {
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
  const repos = Array.from({ length: REPOSITORIES }, (_, i) => simulatedRepository(i));
  const double = await serveOrganisation({ repositories: repos });
  const { counts } = double;
  const out = mkdtempSync(join(tmpdir(), 'openly-bench-org-'));
  const octokit = createAuditOctokit({ token: 'bench-token', apiUrl: double.apiUrl });
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
    pushed = pushSome(repos);
    again = await measured(audit);
  } finally {
    await double.close();
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
      { name: '  artefact-folder requests', value: again.result.folderRequests, unit: 'requests' },
      { name: '  file-read requests', value: again.result.fileRequests, unit: 'requests' },
      {
        // The unchanged repositories cost the listing alone (one request per 100 repositories listed); the
        // pushed ones are read again, and these (one in twenty, the ones with twenty design-history posts) are
        // the bench's heaviest.
        name: 'requests per 100 unchanged repositories, re-run',
        value: (again.result.listingRequests / (REPOSITORIES - pushed)) * 100,
        unit: 'requests',
        target: 1.1,
      },
      {
        name: 'reads per pushed repository, re-run',
        value: (again.result.folderRequests + again.result.fileRequests) / pushed,
        unit: 'requests',
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
