import { describe, expect, it } from 'vitest';
import { decisionOf, judgeDecisions } from '../../src/artefacts/decisions.js';
import type { Locator } from '../../src/parse/yaml.js';

const nowhere: Locator = {
  locate: () => ({ line: 2, column: 5, endLine: 2, endColumn: 5, exact: true }),
  locateKey: () => ({ line: 2, column: 1, endLine: 2, endColumn: 1, exact: true }),
};

function judgeAll(records: Record<string, unknown>, files: string[] = []) {
  const decisions = Object.entries(records).map(([path, front]) => decisionOf(path, front, nowhere));
  const exists = (path: string) => path in records || files.includes(path);
  return judgeDecisions(decisions, exists);
}

describe('decision records', () => {
  it('treats ADR-007, 0007 and 7 as the same id, and a file name number when there is no id', () => {
    const { duplicates } = judgeAll({
      'adr/0001-a.md': { id: 'ADR-007' },
      'adr/0002-b.md': { id: 7 },
      'adr/0007-c.md': {},
      'adr/0008-d.md': { id: 'ADR-008' },
    });
    expect(duplicates.map((d) => d.path)).toEqual(['adr/0002-b.md', 'adr/0007-c.md']);
  });

  it.each([
    ['superseded_by: ADR-2', { superseded_by: 'ADR-2' }, true],
    ['superseded_by: 2 (the file number)', { superseded_by: '2' }, true],
    ['a relative link with an anchor', { superseded_by: './0002-b.md#decision' }, true],
    ['a link to another folder', { superseded_by: '../other/0009-x.md' }, true],
    ["MADR's status", { status: 'superseded by ADR-0002' }, true],
    [
      'a web address, which cannot be checked',
      { superseded_by: 'https://github.com/nhs/platform/blob/main/adr/0003.md' },
      true,
    ],
    ['a number no decision has', { superseded_by: 'ADR-12' }, false],
    ['a file that is not there', { superseded_by: '0012-gone.md' }, false],
  ])('resolves %s: %s', (_, front, found) => {
    const { successors } = judgeAll({ 'adr/0001-a.md': front, 'adr/0002-b.md': { id: 'ADR-2' } }, [
      'other/0009-x.md',
    ]);
    expect(successors.length === 0).toBe(found);
  });
});
