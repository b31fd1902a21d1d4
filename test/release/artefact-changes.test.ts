import { describe, expect, it } from 'vitest';
import { diffArtefacts, hasArtefactChanges, reportedArtefacts } from '../../src/release/artefact-changes.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import { fixtureFiles, fixtureSnapshot } from './fixtures.js';

const before = fixtureSnapshot('before');
const after = fixtureSnapshot('after');
const targets = reportedArtefacts(after.files(), undefined);

describe('artefact changes between two releases', () => {
  it('finds the reported kinds of artefact in their usual places, and nothing else', () => {
    expect(targets.map((target) => [target.path, target.type])).toEqual([
      ['docs/adr/0007-use-gov-notify.md', 'architecture-decision-record'],
      ['docs/adr/0008-store-bookings-in-postgres.md', 'architecture-decision-record'],
      ['docs/adr/0009-drop-the-app.md', 'architecture-decision-record'],
      ['governance/risk-register.yaml', 'risk-register'],
      ['incidents/incident-2026-09-28-reminders-not-sent.md', 'incident-report'],
      ['incidents/incident-2026-11-03-slow-search.md', 'incident-report'],
      ['roadmap.yaml', 'roadmap'],
    ]);
  });

  it('reports risks added and closed, incidents resolved, decisions accepted and the roadmap now', () => {
    const changes = diffArtefacts(before, after, targets);
    expect(changes.risksAdded.map((risk) => risk.id)).toEqual(['R-004']);
    // R-003 was closed already at the last release: not news.
    expect(changes.risksClosed.map((risk) => risk.id)).toEqual(['R-001']);
    expect(changes.incidentsResolved).toEqual([
      {
        id: 'INC-2026-004',
        title: 'Reminders not sent for two hours',
        path: 'incidents/incident-2026-09-28-reminders-not-sent.md',
      },
    ]);
    // ADR-007 moved from Proposed; ADR-008 is new and accepted (lower case); ADR-009 is still proposed.
    expect(changes.decisionsAccepted.map((decision) => decision.id)).toEqual(['ADR-007', 'ADR-008']);
    expect(changes.roadmapNow).toEqual([
      {
        title: 'Let people book for someone they care for',
        path: 'roadmap.yaml',
        link: 'https://github.com/nhsengland/book-a-vaccination/issues/301',
        added: false,
      },
      { title: 'Welsh language version', path: 'roadmap.yaml', added: true },
    ]);
    expect(changes.unreadable).toEqual([]);
  });

  it('counts everything as new when there was no release before', () => {
    const changes = diffArtefacts(new MemorySnapshot({}), after, targets);
    expect(changes.risksAdded.map((risk) => risk.id)).toEqual(['R-002', 'R-004']);
    expect(changes.risksClosed.map((risk) => risk.id)).toEqual(['R-001', 'R-003']);
    expect(changes.roadmapNow.every((item) => item.added)).toBe(true);
  });

  it('reports nothing when nothing changed', () => {
    const changes = diffArtefacts(after, after, targets);
    expect(changes.risksAdded).toEqual([]);
    expect(changes.risksClosed).toEqual([]);
    expect(changes.incidentsResolved).toEqual([]);
    expect(changes.decisionsAccepted).toEqual([]);
    // The roadmap's now items are always listed: they say what the team is on, not what changed.
    expect(changes.roadmapNow.map((item) => item.added)).toEqual([false, false]);
  });

  it('names a file it cannot read, and still reports the others', () => {
    const files = fixtureFiles('after');
    files['governance/risk-register.yaml'] = 'risks: [unclosed';
    const broken = new MemorySnapshot(files);
    const changes = diffArtefacts(before, broken, targets);
    expect(changes.unreadable).toEqual(['governance/risk-register.yaml']);
    expect(changes.decisionsAccepted.map((decision) => decision.id)).toEqual(['ADR-007', 'ADR-008']);
    expect(hasArtefactChanges(changes)).toBe(true);
  });

  it('claims nothing of a file it could not read at the last release', () => {
    const files: Record<string, string | undefined> = fixtureFiles('before');
    files['governance/risk-register.yaml'] = undefined;
    const changes = diffArtefacts(new MemorySnapshot(files), after, targets);
    expect(changes.unreadable).toEqual(['governance/risk-register.yaml']);
    expect(changes.risksAdded).toEqual([]);
    expect(changes.decisionsAccepted.map((decision) => decision.id)).toEqual(['ADR-007', 'ADR-008']);
  });

  it('follows the artefacts check configuration for files outside the usual places', () => {
    const files = { 'safety/hazards.yaml': fixtureFiles('after')['governance/risk-register.yaml']! };
    const snapshot = new MemorySnapshot(files);
    const configured = reportedArtefacts(snapshot.files(), {
      files: [{ path: 'safety/*.yaml', type: 'risk-register' }],
    });
    expect(configured.map((target) => target.path)).toEqual(['safety/hazards.yaml']);
    const changes = diffArtefacts(new MemorySnapshot({}), snapshot, configured);
    expect(changes.risksAdded.map((risk) => risk.path)).toEqual([
      'safety/hazards.yaml',
      'safety/hazards.yaml',
    ]);
  });

  it('names a register that was broken at the last release, rather than claiming its every risk as new', () => {
    const files = fixtureFiles('before');
    files['governance/risk-register.yaml'] = 'risks: [unclosed';
    const changes = diffArtefacts(new MemorySnapshot(files), after, targets);
    expect(changes.unreadable).toEqual(['governance/risk-register.yaml']);
    expect(changes.risksAdded).toEqual([]);
    expect(changes.risksClosed).toEqual([]);
  });

  it('reads every document of a register split into several, and none of one with a broken document', () => {
    const files = fixtureFiles('after');
    const extra = 'risks:\n  - id: R-010\n    title: Clinic list out of date\n    status: open\n';
    files['governance/risk-register.yaml'] += `---\n${extra}`;
    const split = diffArtefacts(before, new MemorySnapshot(files), targets);
    expect(split.risksAdded.map((risk) => risk.id)).toEqual(['R-004', 'R-010']);
    expect(split.unreadable).toEqual([]);

    files['governance/risk-register.yaml'] = `${extra}---\nrisks: [unclosed\n`;
    const broken = diffArtefacts(before, new MemorySnapshot(files), targets);
    expect(broken.unreadable).toEqual(['governance/risk-register.yaml']);
    expect(broken.risksAdded).toEqual([]);
  });

  it('compares files moved or renamed since the last release with where they were', () => {
    // At the last release the repository was as `after`; since then the decision records, the register and
    // the roadmap moved, and nothing in them changed.
    const moves: Record<string, string> = {
      'docs/adr/': 'docs/architecture/decisions/',
      'governance/risk-register.yaml': 'governance/hazard-log.yaml',
      'roadmap.yaml': 'docs/roadmap.yaml',
    };
    const moved: Record<string, string> = {};
    for (const [path, text] of Object.entries(fixtureFiles('after'))) {
      const from = Object.keys(moves).find((prefix) => path.startsWith(prefix));
      moved[from === undefined ? path : moves[from] + path.slice(from.length)] = text;
    }
    const then = new MemorySnapshot(fixtureFiles('after'));
    const now = new MemorySnapshot(moved);
    const changes = diffArtefacts(
      then,
      now,
      reportedArtefacts(now.files(), undefined),
      reportedArtefacts(then.files(), undefined),
    );
    expect(changes.risksAdded).toEqual([]);
    expect(changes.risksClosed).toEqual([]);
    expect(changes.decisionsAccepted).toEqual([]);
    expect(changes.roadmapNow.map((item) => [item.path, item.added])).toEqual([
      ['docs/roadmap.yaml', false],
      ['docs/roadmap.yaml', false],
    ]);
    expect(changes.unreadable).toEqual([]);
  });

  it('still reports a record renamed and changed at once', () => {
    const files = fixtureFiles('before');
    const now = new MemorySnapshot({
      'docs/architecture/decisions/0007-notify.md': fixtureFiles('after')['docs/adr/0007-use-gov-notify.md']!,
    });
    const changes = diffArtefacts(
      new MemorySnapshot(files),
      now,
      reportedArtefacts(now.files(), undefined),
      reportedArtefacts(Object.keys(files), undefined),
    );
    // ADR-007 was Proposed under its old name and is Accepted under its new one.
    expect(changes.decisionsAccepted.map((decision) => decision.id)).toEqual(['ADR-007']);
  });
});
