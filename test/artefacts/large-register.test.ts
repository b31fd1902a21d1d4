import { describe, expect, it } from 'vitest';
import { parseArtefact } from '../../src/artefacts/parse.js';
import { fixture, judge, where } from '../checks/artefacts-helpers.js';

/** A hazard log grown to thousands of rows by repeating the real-shaped fixture's first risk. */
function bigRegister(
  rows: number,
  bad?: { row: number; likelihood: string },
): { text: string; badLine?: number } {
  const lines = fixture('artefacts/risk-register/valid-hazard-log.yaml').split('\n');
  const start = lines.findIndex((l) => l.startsWith('risks:'));
  const second = lines.findIndex((l, i) => i > start + 1 && l.startsWith('  - id:'));
  const head = lines.slice(0, start + 1);
  const risk = lines.slice(start + 1, second);
  const out = [...head];
  let badLine: number | undefined;
  for (let i = 0; i < rows; i++) {
    for (const line of risk) {
      if (line.startsWith('  - id:')) out.push(`  - id: HAZ-${String(i + 1).padStart(5, '0')}`);
      else if (bad?.row === i && line.startsWith('    likelihood:')) {
        out.push(`    likelihood: ${bad.likelihood}`);
        badLine = out.length;
      } else out.push(line);
    }
  }
  return { text: `${out.join('\n')}\n`, ...(badLine === undefined ? {} : { badLine }) };
}

describe('a large register', () => {
  it('is read and judged in full, with no findings when every row is right', async () => {
    const { text } = bigRegister(1200);
    const result = await judge(
      { 'governance/risk-register.yaml': text },
      { rules: { 'artefacts/overdue': 'off' } },
    );
    expect(result.findings.map((f) => f.message)).toEqual([]);
    expect(result.data).toMatchObject({
      artefacts: [{ path: 'governance/risk-register.yaml', valid: true }],
    });
  });

  it('still points at the exact line and column of a mistake deep inside it', async () => {
    const { text, badLine } = bigRegister(1200, { row: 1100, likelihood: 'Quite likely' });
    const result = await judge(
      { 'governance/risk-register.yaml': text },
      { rules: { 'artefacts/overdue': 'off' } },
    );
    expect(where(result.findings)).toContain(`artefacts/schema governance/risk-register.yaml:${badLine}:17`);
  });

  it('reports a key given twice in one row, which a plain reader would let pass', async () => {
    const { text } = bigRegister(500);
    const doubled = text.replace(
      '    title: Referral shown',
      '    owner: Someone\n    title: Referral shown',
    );
    const result = await judge(
      { 'governance/risk-register.yaml': doubled },
      { rules: { 'artefacts/overdue': 'off' } },
    );
    expect(result.findings.map((f) => f.rule)).toContain('artefacts/parse');
  });
});

describe('the meaning of a value', () => {
  // YAML 1.2's core schema, for every file: `1_000` and `0b11` are text (YAML 1.1 read them as numbers), `0o14`
  // is twelve, `yes` is text. Long files once went through another reader, which read `0b11` as 3.
  const head = 'title: "Caf\\u00e9 opening hours"\ncount: 1_000\nmask: 0b11\noctal: 0o14\nanswer: yes\n';
  const expected = { count: '1_000', mask: '0b11', octal: 12, answer: 'yes', title: 'Café opening hours' };

  it.each([
    ['a short file', head],
    ['a long file', `${head}rows:\n${'  - name: a row of the register\n'.repeat(300)}`],
  ])('is the same in %s', (_, text) => {
    const [document] = parseArtefact(text, 'yaml').documents;
    expect(document?.value).toMatchObject(expected);
  });
});

describe('a register kept as a table past 100,000 rows', () => {
  /** `rows` rows under a header, each with its `name` cell empty: one problem a row. */
  async function emptyNames(rows: number) {
    // Two bytes a row keeps half a million rows under the 1 MiB a file may have.
    const text = `name,x\n${',\n'.repeat(rows)}`;
    const result = await judge(
      { 'schemas/row.json': '{ "type": "object", "required": ["name"] }', 'data/r.csv': text },
      { options: { files: [{ path: 'data/r.csv', schema: 'schemas/row.json', format: 'csv' }] } },
    );
    return result.findings.map((f) => `${f.rule} ${f.line}: ${f.message}`);
  }

  it('at 100,000 rows judges them all and counts what it does not list', async () => {
    const findings = await emptyNames(100_000);
    expect(findings).toHaveLength(21);
    expect(findings).toContain(
      'artefacts/schema 2: the row on line 2: the name column is empty, but it must be filled in.',
    );
    expect(findings.filter((f) => f.startsWith('artefacts/parse'))).toEqual([]);
    expect(findings).toContain(
      'artefacts/schema 1: data/r.csv: 99,980 further problems are not listed; fix those above first.',
    );
  });

  it('past 100,000 rows says first how many rows were not judged, and counts only what was', async () => {
    const findings = await emptyNames(522_980);
    expect(findings.filter((f) => f.startsWith('artefacts/parse'))).toEqual([
      'artefacts/parse 100002: only the first 100,000 rows are checked: the 422,980 rows from line 100002 on were not; split the register into files of at most 100,000 rows',
    ]);
    // 100,000 rows judged, one problem each, and the note above: 100,001 problems, 20 of them listed.
    expect(findings).toContain(
      'artefacts/schema 1: data/r.csv: 99,981 further problems are not listed; fix those above first.',
    );
  });

  it('one row past the limit is named as one row', async () => {
    const findings = await emptyNames(100_001);
    expect(findings.filter((f) => f.startsWith('artefacts/parse'))).toEqual([
      'artefacts/parse 100002: only the first 100,000 rows are checked: the 1 row from line 100002 on was not; split the register into files of at most 100,000 rows',
    ]);
  });
});
