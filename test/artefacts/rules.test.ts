import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectType, packTypes } from '../../src/artefacts/pack.js';
import { addInterval, dayOf, headingsOf, isoDay, missingSections } from '../../src/artefacts/rules.js';

describe('finding artefacts by place', () => {
  it('knows every usual place of the pack index, each a Markdown, YAML or JSON file', () => {
    const index = JSON.parse(
      readFileSync(new URL('../../schemas/artefacts/index.json', import.meta.url), 'utf8'),
    ) as { artefacts: Array<{ locations: string[] }> };
    const locations = index.artefacts.flatMap((entry) => entry.locations);
    // Detection skips other files before matching globs; a location of another kind would never be found.
    expect(locations.filter((glob) => !/\.(md|ya?ml|json)$/.test(glob))).toEqual([]);
    expect(packTypes().size).toBe(13);
  });

  it.each([
    ['design-history/2024/05/2024-05-31-save.md', 'design-history-entry'],
    ['docs/architecture/decisions/0007-use-notify.md', 'architecture-decision-record'],
    ['governance/hazard-log.yml', 'risk-register'],
    ['weeknotes/2024-05-31.md', 'weeknote'],
    ['publiccode.yml', 'publiccode'],
    ['docs/adr/README.md', undefined],
    ['docs/adr/template.md', undefined],
    ['docs/adr/images/diagram.svg', undefined],
    ['src/design-history/2024-05-31-save.md', undefined],
    // The x-govuk design history template keeps dated posts under app/posts; its section pages are not posts.
    ['app/posts/find-a-lost-trn/2022-02-18-no-match.md', 'design-history-entry'],
    ['app/posts/find-a-lost-trn.md', undefined],
    ['app/posts/trs-console/trs-console.md', undefined],
    // adr-tools' default folder, alphagov's ADR/ADRNNN files, MoJ's architecture-decision-record/.
    ['doc/adr/0001-record-architecture-decisions.md', 'architecture-decision-record'],
    ['ADR/ADR019-use-amazon-ses.md', 'architecture-decision-record'],
    ['architecture-decision-record/021-Multi-cluster.md', 'architecture-decision-record'],
    ['ADR/README.md', undefined],
  ])('%s is %s', (path, type) => {
    expect(detectType(path)).toBe(type);
  });
});

describe('required sections', () => {
  const body = [
    '# ADR-5: Host on containers',
    '## 1. Context',
    '```',
    '## Decision',
    '```',
    '### Decision Outcome',
    '## **Consequences**:',
    '',
  ].join('\n');

  it('matches headings case-insensitively, without numbering, emphasis or a colon, outside code blocks', () => {
    const headings = headingsOf(body, 10);
    expect(headings.map((h) => `${h.line} ${h.text}`)).toEqual([
      '10 ADR-5: Host on containers',
      '11 1. Context',
      '15 Decision Outcome',
      '16 **Consequences**:',
    ]);
    expect(missingSections(headings, ['Context', 'Decision', 'Consequences'])).toEqual([]);
    expect(missingSections(headings, ['Lessons learned', 'Con'])).toEqual(['Lessons learned', 'Con']);
  });
});

describe('dates', () => {
  it('reads only real calendar days', () => {
    expect(dayOf('2024-02-29')).toBeDefined();
    expect(dayOf('2023-02-29')).toBeUndefined();
    expect(dayOf('2024-05-31T06:00:00+01:00')?.toISOString()).toBe('2024-05-31T00:00:00.000Z');
    expect(dayOf(20240531)).toBeUndefined();
  });

  it.each([
    ['2025-10-01', '6 months', '2026-04-01'],
    ['2025-08-31', '6 months', '2026-02-28'],
    ['2024-02-29', '1 year', '2025-02-28'],
    ['2025-01-01', '2 weeks', '2025-01-15'],
    ['2025-01-01', 'P1Y2M', '2026-03-01'],
    ['2025-01-01', 'P10D', '2025-01-11'],
  ])('%s plus %s is %s', (from, interval, due) => {
    expect(isoDay(addInterval(dayOf(from)!, interval)!)).toBe(due);
  });

  it('ignores an interval it cannot read', () => {
    expect(addInterval(dayOf('2025-01-01')!, 'biannually')).toBeUndefined();
    expect(addInterval(dayOf('2025-01-01')!, 6)).toBeUndefined();
  });
});
