import { describe, expect, it } from 'vitest';
import { resolveReleaseNotesConfig } from '../../src/release/config.js';
import { MAX_BODY, renderNotes, type NoteItem } from '../../src/release/notes.js';

function item(number: number, labels: string[] = [], fields: Partial<NoteItem> = {}): NoteItem {
  return {
    kind: 'pull-request',
    number,
    title: `Change ${number}`,
    url: `https://github.com/nhsengland/book-a-vaccination/pull/${number}`,
    author: 'priya-shah-nhs',
    labels,
    ...fields,
  };
}

const marker = () => '<!-- marker -->';

describe('release notes text', () => {
  it('follows the configured headings, line template, header and footer', () => {
    const config = resolveReleaseNotesConfig({
      categories: [{ title: 'Fixes', labels: ['bug'] }],
      'other-title': '',
      header: 'Changes since $PREVIOUS_TAG, for $NEXT_VERSION.',
      footer: 'Tell us what you think.',
      line: '* [#$NUMBER]($URL) $TITLE',
      contributors: false,
    });
    const { body, pullRequests } = renderNotes({
      items: [item(1, ['BUG']), item(2)],
      config,
      tag: 'v1.3.0',
      previousTag: 'v1.2.3',
      marker,
    });
    expect(body).toBe(
      [
        'Changes since v1.2.3, for v1.3.0.',
        '',
        '## Fixes',
        '',
        '* [#1](https://github.com/nhsengland/book-a-vaccination/pull/1) Change 1',
        '',
        'Tell us what you think.',
        '',
        '<!-- marker -->',
      ].join('\n'),
    );
    // The unlabelled one has no heading to go under, so it is not counted as listed.
    expect(pullRequests).toBe(1);
  });

  it('says so when there is nothing to list', () => {
    const config = resolveReleaseNotesConfig(undefined);
    const { body } = renderNotes({ items: [], config, tag: 'v1.2.4', previousTag: 'v1.2.3', marker });
    expect(body).toContain('No changes since v1.2.3.');
  });

  it('names a deleted account as ghost, and never makes a mention of an odd login', () => {
    const config = resolveReleaseNotesConfig(undefined);
    const { body } = renderNotes({
      items: [
        item(1, [], { author: undefined as unknown as string }),
        item(2, [], { author: 'x](https://evil)' }),
      ],
      config,
      tag: 'v0.1.0',
      marker,
    });
    expect(body).toContain('(#1) by @ghost');
    expect(body).not.toContain('](https://evil)');
  });

  it('keeps within GitHub’s length limit and counts what it left out', () => {
    const config = resolveReleaseNotesConfig(undefined);
    const long = 'A very long title '.repeat(14);
    const items = Array.from({ length: 1200 }, (_, i) => item(i + 1, ['bug'], { title: long }));
    const { body, pullRequests } = renderNotes({ items, config, tag: 'v2.0.0', marker });
    expect(body.length).toBeLessThanOrEqual(MAX_BODY);
    expect(pullRequests).toBeLessThan(1200);
    expect(body).toContain(
      `_And ${1200 - pullRequests} more, left out because GitHub limits the length of release notes._`,
    );
    expect(body.endsWith('<!-- marker -->')).toBe(true);
  });

  it('makes no links or mentions from what a title says: issue and commit references, addresses, teams', () => {
    const config = resolveReleaseNotesConfig(undefined);
    const title =
      'Fixes #12 and nhsengland/other#3, see GH-7 and nhsengland/app@a1b2c3d4, https://evil.example, www.evil.example, @nhsengland/admins';
    const { body } = renderNotes({
      items: [item(40, ['bug'], { title })],
      config,
      tag: 'v1.0.0',
      changes: {
        risksAdded: [
          {
            id: 'R-9',
            title: 'Supplier #2 fails, see https://evil.example',
            path: 'governance/risk-register.yaml',
          },
        ],
        risksClosed: [],
        incidentsResolved: [],
        decisionsAccepted: [],
        roadmapNow: [],
        unreadable: [],
      },
      marker,
    });
    const line = body.split('\n').find((text) => text.includes('(#40)'))!;
    // The template's own reference to the pull request stays a link; nothing the author typed becomes one.
    expect(line).toMatch(/\(#40\) by @priya-shah-nhs$/);
    for (const reference of ['#12', 'other#3', 'GH-7', 'app@a1b2c3d4', 'https://', 'www.', '@nhsengland']) {
      expect(line).not.toContain(reference);
    }
    // Still reads the same: a zero-width space is all that was added.
    expect(line.replace(/&#8203;/g, '').replace(/\\/g, '')).toContain(
      'Fixes #12 and nhsengland/other#3, see GH-7',
    );
    const risk = body.split('\n').find((text) => text.includes('R-9'))!;
    expect(risk).not.toContain('#2');
    expect(risk).not.toContain('https://');
  });

  it('puts a tag into the header as text, whatever characters git allowed in it', () => {
    const config = resolveReleaseNotesConfig({ header: 'Changes since $PREVIOUS_TAG.' });
    const { body } = renderNotes({ items: [], config, tag: 'v1.0.0', previousTag: 'v0.9<b>$&@x', marker });
    expect(body.split('\n')[0]).toBe('Changes since v0.9&lt;b&gt;$&amp;@&#8203;x.');
  });
});
