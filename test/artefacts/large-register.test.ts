import { describe, expect, it } from 'vitest';
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
