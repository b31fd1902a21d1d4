import { describe, expect, it } from 'vitest';
import { isoDate, readDecisionRecord, readStatus } from '../../src/artefacts/decision-record.js';

// Statuses and dates as they appear in public decision logs (MoJ, alphagov, NHS England, MADR, adr-tools).
describe('a decision status as teams write it', () => {
  it.each([
    ['Accepted', 'Accepted', true, undefined],
    ['accepted', 'Accepted', true, undefined],
    ['> Accepted', 'Accepted', true, undefined],
    ['✅ Accepted', 'Accepted', true, undefined],
    ['Accepted ✅', 'Accepted', true, undefined],
    ['**Accepted**', 'Accepted', true, undefined],
    ['`Rejected`', 'Rejected', true, undefined],
    ['Status: Accepted', 'Accepted', true, undefined],
    ['* Status: proposed', 'Proposed', true, undefined],
    ['✅ Accepted (documenting an existing thing)', 'Accepted', true, undefined],
    ['🤔 Proposed', 'Proposed', true, undefined],
    ['Pending approval', 'Pending approval', true, undefined],
    ['on hold', 'On hold', true, undefined],
    [
      '⌛️ Superseded by [036. Several clusters](036-multi-cluster.md)',
      'Superseded',
      true,
      '036-multi-cluster.md',
    ],
    [
      '⌛️ Superseded [0019](0019-use-bash-go-as-core-languages.md)',
      'Superseded',
      true,
      '0019-use-bash-go-as-core-languages.md',
    ],
    ['Superseded by ADR025', 'Superseded', true, 'ADR025'],
    ['superseded by ADR-0005', 'Superseded', true, 'ADR-0005'],
    ['Approved', 'Approved', true, undefined],
    ['Done', 'Done', false, undefined],
    ['🤔 Incomplete', 'Incomplete', false, undefined],
    ['Partly superseded', 'Partly superseded', false, undefined],
    // A word that only starts like a status is not that status.
    ['Proposedly fine', 'Proposedly fine', false, undefined],
  ])('%s is %s (known: %s, successor %s)', (text, status, known, successor) => {
    const reading = readStatus(text);
    expect(reading.status).toBe(status);
    expect(reading.known).toBe(known);
    expect(reading.successor).toBe(successor);
  });
});

describe('a decision date as UK teams write it', () => {
  it.each([
    ['2018-03-26', '2018-03-26'],
    ['26/03/2018', '2018-03-26'],
    ['10/04/18', '2018-04-10'],
    ['26.03.2018', '2018-03-26'],
    ['26 March 2018', '2018-03-26'],
    ['27th Jul 2022', '2022-07-27'],
    ['March 26, 2018', '2018-03-26'],
    ['2024-10-31 :ghost:', '2024-10-31'],
    ['31/02/2018', '2018-02-31'],
    ['last Tuesday', undefined],
    ['dd/mm/YYYY', undefined],
    ['<!-- Today -->', undefined],
  ])('%s is %s', (text, iso) => {
    expect(isoDate(text)).toBe(iso);
  });
});

function read(body: string, front?: Record<string, unknown>) {
  return readDecisionRecord(front, undefined, body, 1);
}

describe('a decision record read from its body', () => {
  it('takes the number and title from the heading, the date line and the status section, with their places', () => {
    const record = read(
      [
        '<!-- vale RedHat.Headings = NO -->',
        '# 12. Use GOV.UK Notify',
        '',
        'Date: 26/03/2018',
        '',
        '## Status',
        '',
        '> ✅ Accepted',
        '',
        '## Context',
      ].join('\n'),
    );
    expect(record.value).toEqual({ title: 'Use GOV.UK Notify', date: '2018-03-26', status: 'Accepted' });
    expect(record.heading).toMatchObject({ number: 12, line: 2, column: 3 });
    expect(record.locator.locate('/date')).toMatchObject({ line: 4, column: 7 });
    expect(record.locator.locate('/status')).toMatchObject({ line: 8, column: 5 });
    expect(record.madr).toBe(false);
  });

  it('lets a later "Superseded by" line outrank an earlier status, as adr-tools writes it', () => {
    const record = read(
      '# 2. Old\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\nSuperseded by [3. New](0003-new.md)\n',
    );
    expect(record.value).toMatchObject({ status: 'Superseded', superseded_by: '0003-new.md' });
    expect(record.locator.locate('/superseded_by')).toMatchObject({ line: 9, column: 24 });
  });

  it('ignores a heading inside a fenced code block', () => {
    const record = read('```\n# 9. Not this\n```\n# ADR-004: This one\n\nStatus: Accepted\n');
    expect(record.heading).toMatchObject({ number: 4, text: 'ADR-004: This one', line: 4 });
    expect(record.value.status).toBe('Accepted');
  });

  it('reads a table row, as NHS England records write status and date', () => {
    const record = read('|   |   |\n| --- | --- |\n| Date | `2024-05-22` |\n| Status | `Decided` |\n');
    expect(record.value).toMatchObject({ date: '2024-05-22', status: 'Decided' });
  });

  it('keeps front matter first, with its decoration taken off', () => {
    const record = read('# Use Postgres\n\n## Status\n\nRejected\n', {
      status: '✅ Accepted',
      date: '2024-01-02',
    });
    expect(record.value).toEqual({ status: 'Accepted', date: '2024-01-02', title: 'Use Postgres' });
    expect(record.fromBody).toEqual(new Set(['title']));
  });

  it('knows a MADR record by its headings', () => {
    const record = read('# Use Markdown\n\n## Context and Problem Statement\n\n## Decision Outcome\n');
    expect(record.madr).toBe(true);
    expect(record.value.status).toBeUndefined();
  });
});
