import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { draftOf } from '../../src/artefacts/draft.js';
import { draftsCheck } from '../../src/checks/drafts.js';
import { configOptions } from '../../src/checks/index.js';
import { parseConfig } from '../../src/config/load.js';
import { runChecks } from '../../src/core/engine.js';
import { MemorySnapshot, type MemoryFiles } from '../../src/sources/memory.js';
import { diffArtefacts } from '../../src/release/artefact-changes.js';
import { resolveReleaseNotesConfig } from '../../src/release/config.js';
import { renderNotes } from '../../src/release/notes.js';
import { buildGovernanceStatus } from '../../src/status/model.js';
import { renderStatusPage } from '../../src/sinks/status-page.js';

const NOW = new Date('2026-12-07T09:30:00Z');

async function judge(files: MemoryFiles, yaml = '') {
  const config = parseConfig(yaml, '.github/openly.yml', configOptions());
  const report = await runChecks({
    snapshot: new MemorySnapshot(files),
    checks: [draftsCheck],
    config,
    now: () => NOW,
  });
  return { report, result: report.results[0]! };
}

describe('what counts as a draft', () => {
  it('reads draft: true, draft: yes and status: draft in front matter, with the line and the day it started', () => {
    expect(draftOf('---\ntitle: Booking journey\ndate: 2026-11-02\ndraft: true\n---\n\nText.\n')).toEqual({
      how: 'front-matter',
      line: 4,
      since: '2026-11-02',
      title: 'Booking journey',
    });
    expect(draftOf('---\ndraft: "yes"\ndraft-since: 2026-10-01\ndate: 2025-01-01\n---\n# Hi\n')?.since).toBe(
      '2026-10-01',
    );
    expect(draftOf('---\nstatus: Draft\n---\n# Decision 4: use Notify\n')).toMatchObject({
      how: 'front-matter',
      title: 'Decision 4: use Notify',
    });
    expect(draftOf('---\ndraft: false\ndate: 2026-11-02\n---\n# Done\n')).toBeUndefined();
  });

  it('reads a banner at the top, as teams write them, and nothing further down', () => {
    const banners = [
      '# Runbook\n\n> **DRAFT — needs sign-off from the service owner**\n',
      '# Test cases\n\n> **Draft** — written before the research round.\n',
      '> [!WARNING]\n> Draft: this page is still being written.\n\n# Accessibility statement\n',
      '# Privacy notice\n\n<strong class="govuk-tag govuk-tag--yellow">Draft</strong>\n',
      '# Service design\n\nThis page is a draft and may change.\n',
      '---\ntitle: Weeknote 12\n---\n\n**DRAFT**\n\nWe met the GP practices.\n',
    ];
    for (const text of banners) expect(draftOf(text), text).toMatchObject({ how: 'banner' });
    expect(draftOf('# Privacy notice\n\n<strong class="govuk-tag">Draft</strong>\n')?.line).toBe(3);

    const not = [
      '# Drafting note\n\nHow we wrote this.\n',
      '# Plan\n\n> **Draft-only run:** nothing attached.\n',
      '# Release\n\nClick **Draft a new release** on GitHub.\n',
      '# Guide\n\n1\n\n2\n\n3\n\n4\n\n5\n\n6\n\n> **Draft** far down the page\n',
      '# Notes\n\nWe will draft the plan next week.\n',
    ];
    for (const text of not) expect(draftOf(text), text).toBeUndefined();
  });
});

describe('the drafts check', () => {
  const files: MemoryFiles = {
    'README.md': '# Booking\n\nBook a GP appointment.\n',
    'docs/design-history/2026-11-20-search.md':
      '---\ntitle: Searching for a practice\ndate: 2026-11-20\ndraft: true\n---\n\nWhat we tried.\n',
    'docs/design-history/2026-03-02-start.md':
      '---\ntitle: Where we started\ndate: 2026-03-02\ndraft: true\n---\n\nDiscovery.\n',
    'docs/runbook.md': '# Runbook\n\n> **DRAFT — needs sign-off**\n',
    'docs/published.md': '---\ntitle: Published\ndate: 2026-01-01\n---\n\nWe will draft more.\n',
    'src/draft.ts': 'export const draft = true;\n',
  };

  it('lists every draft with its age, a notice for a recent one and a warning for one past 90 days', async () => {
    const { result } = await judge(files);
    expect(result.status).toBe('warn');
    expect(result.findings.map((f) => [f.rule, f.path, f.severity])).toEqual([
      ['drafts/old', 'docs/design-history/2026-03-02-start.md', 'warning'],
      ['drafts/draft', 'docs/design-history/2026-11-20-search.md', 'notice'],
      ['drafts/draft', 'docs/runbook.md', 'notice'],
    ]);
    expect(result.findings[0]!.message).toContain('for 280 days (since 2026-03-02)');
    expect(result.findings[1]!.message).toContain('for 17 days');
    expect(result.findings[2]!.fix).toContain('draft-since: YYYY-MM-DD');
    expect(result.data?.drafts).toHaveLength(3);
  });

  it('takes its limit from the configuration', async () => {
    const { result } = await judge(files, 'drafts:\n  warn-after-days: 365\n');
    expect(result.findings.map((f) => f.rule)).toEqual(['drafts/draft', 'drafts/draft', 'drafts/draft']);
    const strict = await judge(files, 'drafts:\n  warn-after-days: 10\n');
    expect(strict.result.findings.filter((f) => f.rule === 'drafts/old')).toHaveLength(2);
  });

  it('shows the drafts on the status page, oldest first', async () => {
    const { report } = await judge(files);
    const status = buildGovernanceStatus({
      report,
      snapshot: new MemorySnapshot(files),
      repository: { fullName: 'nhsuk/booking', url: 'https://github.com/nhsuk/booking', sha: null },
      generatedAt: NOW.toISOString(),
    });
    expect(status.drafts?.map((d) => d.path)).toEqual([
      'docs/design-history/2026-03-02-start.md',
      'docs/design-history/2026-11-20-search.md',
      'docs/runbook.md',
    ]);
    const page = renderStatusPage(status);
    expect(page).toContain('<h2 id="drafts">Drafts</h2>');
    expect(page).toContain('280 days (since 2026-03-02)');
    expect(page).toContain('Where we started');
    expect(page).toContain('not dated');
  });
});

describe('drafts in the release notes', () => {
  it('lists the decision records still drafts at the release', () => {
    const after = new MemorySnapshot({
      'docs/adr/0004-use-notify.md':
        '---\nid: ADR-004\ntitle: Use GOV.UK Notify\nstatus: draft\ndate: 2026-11-01\n---\n\n## Context\n\nText.\n',
    });
    const changes = diffArtefacts(new MemorySnapshot({}), after, [
      { path: 'docs/adr/0004-use-notify.md', type: 'architecture-decision-record', format: 'markdown' },
    ]);
    expect(changes.drafts).toEqual([
      { id: 'ADR-004', title: 'Use GOV.UK Notify', path: 'docs/adr/0004-use-notify.md', since: '2026-11-01' },
    ]);
    const notes = renderNotes({
      items: [],
      config: resolveReleaseNotesConfig({}),
      tag: 'v1.2.0',
      changes,
      marker: () => '<!-- marker -->',
    }).body;
    expect(notes).toContain('### Still drafts');
    expect(notes).toContain(
      'ADR-004: Use GOV.UK Notify, a draft since 2026-11-01 (docs/adr/0004-use-notify.md)',
    );
  });
});

describe('openly check on a real repository', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openly-drafts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the drafts in its JSON output', () => {
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    write('README.md', '# Booking\n');
    write('docs/plan.md', '---\ntitle: Plan\ndate: 2020-01-06\ndraft: true\n---\n\nText.\n');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
    execFileSync('git', ['add', '-A'], { cwd: dir });
    const cli = new URL('../../bin/openly.js', import.meta.url).pathname;
    let out = '';
    try {
      out = execFileSync('node', [cli, 'check', dir, '--format', 'json'], { encoding: 'utf8' });
    } catch (error) {
      out = (error as { stdout: string }).stdout;
    }
    const report = JSON.parse(out) as {
      results: { check: string; findings: { rule: string; path: string }[] }[];
    };
    const drafts = report.results.find((r) => r.check === 'drafts')!;
    expect(drafts.findings).toEqual([expect.objectContaining({ rule: 'drafts/old', path: 'docs/plan.md' })]);
  });
});
