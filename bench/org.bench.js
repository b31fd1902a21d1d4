// `openly audit` of a simulated organisation of 2,000 repositories, served over HTTP on this machine by a small
// GraphQL double (the audit's two operations: the listing and the batched file reads). Reports the requests, the
// requests per repository (target: at most one read per 20 repositories, listing included), wall time and the
// peak memory of the process. GitHub answers at once, so the time is Openly's own work plus loopback HTTP.
// Uses the built code: run `npm run build` first. Re-runs that read only repositories pushed since the last audit
// are not built yet, so only the first audit is measured. OPENLY_BENCH_REPOS sets another size.
const LIB = new URL('../lib/', import.meta.url);
const { auditOrganisation } = await import(new URL('org/audit.js', LIB));
const { createAuditOctokit } = await import(new URL('org/octokit.js', LIB));
const { serveOrganisation, simulatedRepository } = await import('./support/org-double.js');

const ORG = 'bench-org';
const REPOSITORIES = Number(process.env.OPENLY_BENCH_REPOS ?? 2000);

export async function run() {
  const double = await serveOrganisation({
    repositories: Array.from({ length: REPOSITORIES }, (_, i) => simulatedRepository(i)),
  });
  const { counts } = double;
  const before = process.resourceUsage().maxRSS;
  const started = performance.now();
  let report;
  try {
    report = await auditOrganisation({
      octokit: createAuditOctokit({ token: 'bench-token', apiUrl: double.apiUrl }),
      org: ORG,
    });
  } finally {
    await double.close();
  }
  const wall = performance.now() - started;
  const requests = counts.listing + counts.files + counts.other;
  return {
    title: `Organisation audit of ${REPOSITORIES.toLocaleString('en-GB')} repositories (GraphQL double on loopback)`,
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
      { name: 'requests, first audit', value: requests, unit: 'requests' },
      { name: '  listing requests', value: counts.listing, unit: 'requests' },
      { name: '  file-read requests', value: counts.files, unit: 'requests' },
      {
        name: 'requests per 20 repositories',
        value: (requests / REPOSITORIES) * 20,
        unit: 'requests',
        target: 1,
      },
      { name: 'wall time, first audit', value: wall, unit: 'ms' },
      {
        name: 'peak resident memory of the process',
        value: Math.max(before, process.resourceUsage().maxRSS) / 1024,
        unit: 'MB',
      },
    ],
  };
}
