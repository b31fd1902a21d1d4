import { describe, expect, it } from 'vitest';
import { checks } from '../../src/checks/index.js';
import { DEFAULT_CONFIG } from '../../src/checks/index.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import type { AnyCheck } from '../../src/core/check.js';
import { runChecks } from '../../src/core/engine.js';
import { toJson, type Report } from '../../src/core/report.js';
import { MemorySnapshot, type MemoryFiles } from '../../src/sources/memory.js';
import { openIncidents } from '../../src/status/incidents.js';
import { buildGovernanceStatus, overallStatus } from '../../src/status/model.js';
import { fixtureRepo, GENERATED_AT, judged, MILESTONE, RELEASE, SHA } from './support.js';

const REPOSITORY = { fullName: 'example/repo', url: 'https://github.com/example/repo', sha: SHA };

/** The fixture repository with its problems put right: no invalid ADR, a code of conduct, a roadmap reviewed. */
function cleanRepo(): MemoryFiles {
  const files = fixtureRepo('vaccination-service');
  delete files['docs/adr/0009-append-only-audit-table.md'];
  files['CODE_OF_CONDUCT.md'] =
    '# Code of conduct\n\nWe follow the [Contributor Covenant](https://www.contributor-covenant.org/).\n';
  files['roadmap.yaml'] = String(files['roadmap.yaml'])
    .replace('last_updated: 2024-05-28', 'last_updated: 2026-11-01')
    .replace('next_review_due: 2024-06-25', 'next_review_due: 2026-12-01');
  return files;
}

function incident(fields: string, body = '## Summary\n\nSomething broke.\n'): string {
  return `---\n${fields}\n---\n\n${body}`;
}

describe('buildGovernanceStatus over a real run of every check', () => {
  it('lists the incidents still open, the most urgent first, and leaves out the reviewed one', async () => {
    const { status } = await judged(fixtureRepo('vaccination-service'));
    expect(status.openIncidents).toEqual([
      {
        path: 'incidents/incident-2026-11-20-sign-in-outage.md',
        id: 'INC-2026-031',
        title: 'People cannot sign in with NHS login',
        status: 'investigating',
        priority: 'P1',
        startedAt: '2026-11-20T08:05:00Z',
      },
      {
        path: 'incidents/incident-2026-11-02-slow-search.md',
        id: 'INC-2026-028',
        title: 'Searching for a vaccination centre is slow',
        status: 'monitoring',
        priority: 'P3',
        startedAt: '2026-11-02T14:30:00Z',
      },
    ]);
  });

  it('copies the licences and artefacts the checks found, and each check with its counts and docs link', async () => {
    const { status } = await judged(fixtureRepo('vaccination-service'));
    expect(status.licences).toEqual([
      { path: 'LICENCE', spdx: 'MIT', confidence: 1, scope: '**' },
      { path: 'docs/LICENCE.md', spdx: 'OGL-UK-3.0', confidence: 1, scope: 'docs/**' },
    ]);
    expect(status.artefacts.filter((a) => !a.valid)).toEqual([
      {
        path: 'docs/adr/0009-append-only-audit-table.md',
        type: 'architecture-decision-record',
        valid: false,
      },
    ]);
    expect(status.artefacts.map((a) => a.type).sort()).toEqual([
      'architecture-decision-record',
      'architecture-decision-record',
      'incident-report',
      'incident-report',
      'incident-report',
      'roadmap',
    ]);
    const artefacts = status.checks.find((c) => c.id === 'artefacts');
    expect(artefacts).toEqual({
      id: 'artefacts',
      title: 'Open-working artefacts',
      status: 'fail',
      errors: 1,
      warnings: 1,
      notices: 0,
      docsUrl: 'https://github.com/openly-dev/openly/blob/main/docs/rules.md#artefacts',
    });
    expect(status.checks.map((c) => [c.id, c.status])).toEqual([
      ['licence', 'pass'],
      ['community-files', 'warn'],
      ['artefacts', 'fail'],
      ['signed-commits', 'skip'],
      ['visibility', 'skip'],
      ['branch-rules', 'skip'],
      ['drafts', 'pass'],
      ['secrets', 'pass'],
      ['diagrams', 'skip'],
    ]);
    expect(status.overall).toBe('fail');
    expect(status.summary).toEqual({ errors: 1, warnings: 2, notices: 0, checks: 9 });
  });

  it('passes a repository with nothing wrong, and carries the release, milestone and time it is given', async () => {
    const { status } = await judged(cleanRepo(), { latestRelease: RELEASE, milestone: MILESTONE });
    expect(status.overall).toBe('pass');
    expect(status.generatedAt).toBe(GENERATED_AT);
    expect(status.latestRelease).toEqual(RELEASE);
    expect(status.milestone).toEqual(MILESTONE);
    expect(status.repository.ref).toBe('refs/heads/main');
  });

  it('says warn when the worst is a warning', async () => {
    const files = cleanRepo();
    delete files['CODE_OF_CONDUCT.md'];
    const { status } = await judged(files);
    expect(status.overall).toBe('warn');
  });

  it('never passes a repository one of whose checks crashed, and counts the crash as an error', async () => {
    const crashing: AnyCheck = {
      id: 'crashing',
      title: 'Crashing',
      rules: {},
      run() {
        throw new Error('out of memory');
      },
    };
    const snapshot = new MemorySnapshot(cleanRepo(), { head: SHA });
    const report = await runChecks({
      snapshot,
      checks: [...checks, crashing],
      config: DEFAULT_CONFIG,
      now: () => new Date(GENERATED_AT),
    });
    const status = buildGovernanceStatus({
      report,
      snapshot,
      repository: REPOSITORY,
      generatedAt: GENERATED_AT,
    });
    expect(status.overall).toBe('error');
    expect(status.checks.at(-1)).toMatchObject({ id: 'crashing', status: 'error', errors: 1 });

    // A real failure still reads as a failure, whatever else crashed.
    const broken = await runChecks({
      snapshot: new MemorySnapshot(fixtureRepo('vaccination-service'), { head: SHA }),
      checks: [...checks, crashing],
      config: DEFAULT_CONFIG,
      now: () => new Date(GENERATED_AT),
    });
    expect(overallStatus(broken)).toBe('fail');
  });

  it('reads a report that went through JSON, and ignores data entries that are not what checks write', async () => {
    const { report, snapshot } = await judged(fixtureRepo('vaccination-service'));
    const copy = JSON.parse(JSON.stringify(toJson(report))) as {
      results: Array<{ check: string; data?: Record<string, unknown> }>;
    };
    for (const result of copy.results) {
      if (result.check === 'licence') {
        (result.data!.licences as unknown[]).push(
          null,
          'LICENCE',
          { spdx: 'MIT' },
          { path: 'COPYING', confidence: 7 },
        );
      }
      if (result.check === 'artefacts') (result.data!.artefacts as unknown[]).push(42, { path: 'x.md' });
    }
    const reread = {
      ...report,
      results: report.results.map((result, i) => ({ ...result, data: copy.results[i]!.data })),
    } as Report;
    const status = buildGovernanceStatus({
      report: reread,
      snapshot,
      repository: REPOSITORY,
      generatedAt: GENERATED_AT,
    });
    expect(status.licences.map((l) => l.path)).toEqual(['LICENCE', 'docs/LICENCE.md', 'COPYING']);
    expect(status.licences.at(-1)).toEqual({ path: 'COPYING', spdx: null, confidence: 1 });
    expect(status.artefacts.at(-1)).toEqual({ path: 'x.md', type: 'unknown', valid: false });
  });
});

describe('which incident reports the status reads', () => {
  async function statusWith(config: ResolvedConfig) {
    const snapshot = new MemorySnapshot(fixtureRepo('vaccination-service'), { head: SHA });
    const report = await runChecks({ snapshot, checks, config, now: () => new Date(GENERATED_AT) });
    return buildGovernanceStatus({ report, snapshot, repository: REPOSITORY, generatedAt: GENERATED_AT });
  }

  it('leaves out reports the configuration excludes, as every check does', async () => {
    const status = await statusWith({ ...DEFAULT_CONFIG, exclude: ['incidents/*sign-in*'] });
    expect(status.openIncidents.map((i) => i.id)).toEqual(['INC-2026-028']);
  });

  it('still finds them in the usual places when the artefacts check is switched off', async () => {
    const status = await statusWith({
      ...DEFAULT_CONFIG,
      levels: { ...DEFAULT_CONFIG.levels, artefacts: 'off' },
    });
    expect(status.artefacts).toEqual([]);
    expect(status.openIncidents.map((i) => i.id)).toEqual(['INC-2026-031', 'INC-2026-028']);
  });
});

describe('openIncidents', () => {
  it('treats resolved and reviewed as over, in either case, and every other status as open', () => {
    const snapshot = new MemorySnapshot({
      'incidents/incident-2026-01-01-a.md': incident('title: A\nstatus: Resolved'),
      'incidents/incident-2026-01-02-b.md': incident('title: B\nstatus: reviewed'),
      'incidents/incident-2026-01-03-c.md': incident('title: C\nstatus: identified'),
      'incidents/incident-2026-01-04-d.md': incident('title: D\nstatus: Monitoring'),
    });
    expect(openIncidents(snapshot).map((i) => [i.title, i.status])).toEqual([
      ['C', 'identified'],
      ['D', 'monitoring'],
    ]);
  });

  it('keeps a report it cannot fully read on the list, named by its heading or its file', () => {
    const snapshot = new MemorySnapshot({
      // No front matter at all: the heading names it.
      'incidents/incident-2026-02-01-no-front-matter.md': '# Payments failing\n\nWe are looking into it.\n',
      // Front matter that is not YAML: the file names it.
      'incidents/incident-2026-02-02-broken.md': '---\ntitle: [unclosed\nstatus: investigating\n---\n',
      // Binary junk where a report should be: nothing to say about it here (the artefacts check reports it).
      'incidents/incident-2026-02-03-binary.md': new Uint8Array([0, 1, 2, 3]),
      // A folder README is not an incident.
      'incidents/README.md': '# Incidents\n\nOne file per incident.\n',
    });
    expect(openIncidents(snapshot)).toEqual([
      {
        path: 'incidents/incident-2026-02-01-no-front-matter.md',
        title: 'Payments failing',
        status: 'unknown',
      },
      {
        path: 'incidents/incident-2026-02-02-broken.md',
        title: 'incidents/incident-2026-02-02-broken.md',
        status: 'unknown',
      },
    ]);
  });

  it('orders by priority, then the most recent first, comparing times across time zones', () => {
    const snapshot = new MemorySnapshot({
      'incidents/a.md': incident(
        'title: Old P2\nstatus: identified\npriority: P2\nstarted_at: 2026-03-01T10:00:00Z',
      ),
      // 10:30+01:00 is 09:30Z: earlier than 10:00Z, although its text sorts later.
      'incidents/b.md': incident(
        'title: Earlier P2\nstatus: identified\npriority: P2\nstarted_at: 2026-03-01T10:30:00+01:00',
      ),
      'incidents/c.md': incident('title: No priority\nstatus: identified\nstarted_at: 2026-03-09T10:00:00Z'),
      'incidents/d.md': incident(
        'title: P1\nstatus: investigating\npriority: P1\nstarted_at: 2025-01-01T10:00:00Z',
      ),
    });
    expect(openIncidents(snapshot).map((i) => i.title)).toEqual([
      'P1',
      'Old P2',
      'Earlier P2',
      'No priority',
    ]);
  });

  it('reads incident reports kept where the artefacts configuration says, not only where the pack looks', async () => {
    const files: MemoryFiles = {
      'ops/post-incident/2026-04-01-dns.md': incident(
        'id: INC-9\ntitle: DNS misrouted\nstatus: identified\npriority: P2\nstarted_at: 2026-04-01T09:00:00Z',
      ),
    };
    const snapshot = new MemorySnapshot(files, { head: SHA });
    const report = await runChecks({
      snapshot,
      checks,
      config: {
        ...DEFAULT_CONFIG,
        options: {
          ...DEFAULT_CONFIG.options,
          artefacts: { files: [{ path: 'ops/post-incident/*.md', type: 'incident-report' }], detect: true },
        },
      },
      now: () => new Date(GENERATED_AT),
    });
    const status = buildGovernanceStatus({
      report,
      snapshot,
      repository: REPOSITORY,
      generatedAt: GENERATED_AT,
    });
    expect(status.openIncidents.map((i) => [i.id, i.title])).toEqual([['INC-9', 'DNS misrouted']]);
  });
});
