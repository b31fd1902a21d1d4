import { fixtureTree } from '../support/fixture-tree.js';
import { checks } from '../../src/checks/index.js';
import { DEFAULT_CONFIG } from '../../src/checks/index.js';
import { runChecks } from '../../src/core/engine.js';
import type { Report } from '../../src/core/report.js';
import { MemorySnapshot, type MemoryFiles } from '../../src/sources/memory.js';
import { buildGovernanceStatus, type GovernanceStatus } from '../../src/status/model.js';

/** Every file of a fixture repository under test/fixtures/status, keyed by its path inside it. */
export function fixtureRepo(name: string): MemoryFiles {
  return fixtureTree(`status/${name}`);
}

export const SHA = '8f2c1d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d';
export const GENERATED_AT = '2026-11-23T19:04:00Z';

/** Runs every check over the files, as the Action does on the merged commit, and builds the status from it. */
export async function judged(
  files: MemoryFiles,
  extra: Partial<Pick<GovernanceStatus, 'latestRelease' | 'milestone'>> = {},
): Promise<{ report: Report; snapshot: MemorySnapshot; status: GovernanceStatus }> {
  const snapshot = new MemorySnapshot(files, { name: 'nhs-england/book-a-vaccination', head: SHA });
  const report = await runChecks({
    snapshot,
    checks,
    config: DEFAULT_CONFIG,
    now: () => new Date(GENERATED_AT),
  });
  const status = buildGovernanceStatus({
    report,
    snapshot,
    repository: {
      fullName: 'nhs-england/book-a-vaccination',
      url: 'https://github.com/nhs-england/book-a-vaccination',
      sha: SHA,
      ref: 'refs/heads/main',
    },
    generatedAt: GENERATED_AT,
    ...extra,
  });
  return { report, snapshot, status };
}

export const RELEASE = {
  tag: 'v2.3.0',
  name: 'Book for someone you care for',
  url: 'https://github.com/nhs-england/book-a-vaccination/releases/tag/v2.3.0',
  publishedAt: '2026-11-18T10:30:00Z',
};

export const MILESTONE = {
  title: 'v2.4.0',
  url: 'https://github.com/nhs-england/book-a-vaccination/milestone/12',
  open: 4,
  closed: 6,
  dueOn: '2026-12-12T08:00:00Z',
};
