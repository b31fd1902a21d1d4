import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/check.js';
import { summarise, type CheckResult, type Report } from '../../src/core/report.js';
import { ruleCatalogue } from '../../src/checks/index.js';
import { ANNOTATION_TEXT_BYTES, annotationBatches, checkRunOutput } from '../../src/sinks/check-run.js';

const rules = ruleCatalogue();

function report(findings: Finding[], extra: Partial<CheckResult> = {}): Report {
  const results: CheckResult[] = [
    {
      check: 'community-files',
      title: 'Community files',
      status: 'pass',
      findings,
      durationMs: 1,
      ...extra,
    },
  ];
  return {
    tool: 'openly',
    version: '0.1.0',
    repository: { path: 'nhsengland/triage', head: 'c0ffee5d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a30' },
    summary: summarise(results),
    results,
  };
}

function finding(extra: Partial<Finding>): Finding {
  return {
    check: 'community-files',
    rule: 'community-files/security',
    severity: 'error',
    message: 'No SECURITY.md: say how to report a vulnerability.',
    ...extra,
  };
}

describe('checkRunOutput', () => {
  it('fails on an error, and a finding about the whole repository shows in the summary, not as an annotation', () => {
    const out = checkRunOutput(report([finding({ fix: 'Add SECURITY.md with an email address.' })]), {
      rules,
    });
    expect(out.conclusion).toBe('failure');
    expect(out.title).toBe('1 error');
    expect(out.summary).toContain('No SECURITY.md');
    expect(out.annotations).toEqual([]);
  });

  it('is neutral on warnings only and passes when nothing is found', () => {
    expect(checkRunOutput(report([finding({ severity: 'warning' })]), { rules }).conclusion).toBe('neutral');
    const clean = checkRunOutput(report([]), { rules });
    expect(clean.conclusion).toBe('success');
    expect(clean.title).toBe('All open-working checks pass');
  });

  it('fails when a check crashed, even with no findings', () => {
    const out = checkRunOutput(report([], { status: 'error', error: 'The licence check could not finish' }), {
      rules,
    });
    expect(out.conclusion).toBe('failure');
    expect(out.summary).toContain('could not finish');
  });

  it('annotates findings on files: line 1 when unknown, columns only on one line, fix as details', () => {
    const out = checkRunOutput(
      report([
        finding({ path: 'README.md', severity: 'notice' }),
        finding({
          path: 'docs/adr/ADR-001.md',
          line: 3,
          column: 7,
          fix: 'Say Accepted.',
          severity: 'warning',
        }),
        finding({ path: 'risks.yaml', line: 4, endLine: 9, column: 2 }),
      ]),
      { rules },
    );
    expect(out.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'README.md',
          start_line: 1,
          end_line: 1,
          annotation_level: 'notice',
        }),
        {
          path: 'docs/adr/ADR-001.md',
          start_line: 3,
          end_line: 3,
          start_column: 7,
          end_column: 7,
          annotation_level: 'warning',
          message: 'No SECURITY.md: say how to report a vulnerability.',
          title: 'community-files/security',
          raw_details: 'Say Accepted.',
        },
      ]),
    );
    const multi = out.annotations.find((a) => a.path === 'risks.yaml');
    expect(multi).toMatchObject({ start_line: 4, end_line: 9, annotation_level: 'failure' });
    expect(multi).not.toHaveProperty('start_column');
  });

  it("keeps text within GitHub's limits", () => {
    const long = 'é'.repeat(ANNOTATION_TEXT_BYTES);
    const out = checkRunOutput(
      report(
        Array.from({ length: 3000 }, (_, i) =>
          finding({ path: `f${i}.md`, message: long.slice(0, 200 + i) }),
        ).concat(finding({ path: 'big.md', message: long })),
      ),
      { rules, title: 'x'.repeat(400) },
    );
    expect(out.summary.length).toBeLessThanOrEqual(65535);
    expect(out.title.length).toBeLessThanOrEqual(255);
    const big = out.annotations.find((a) => a.path === 'big.md');
    expect(Buffer.byteLength(big?.message ?? '', 'utf8')).toBeLessThanOrEqual(ANNOTATION_TEXT_BYTES);
    expect(out.annotations).toHaveLength(3001);
  });
});

it('annotates only files of the commit when told which they are', () => {
  const out = checkRunOutput(
    report([finding({ path: 'SECURITY.md' }), finding({ path: 'README.md', severity: 'warning' })]),
    { rules, paths: new Set(['README.md']) },
  );
  expect(out.annotations.map((a) => a.path)).toEqual(['README.md']);
  expect(out.conclusion).toBe('failure');
});

describe('annotationBatches', () => {
  it('sends every annotation, 50 a request', () => {
    const annotations = checkRunOutput(
      report(Array.from({ length: 120 }, (_, i) => finding({ path: `f${i}.md` }))),
      { rules },
    ).annotations;
    const batches = annotationBatches(annotations);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(annotations);
    expect(annotationBatches([])).toEqual([[]]);
  });
});
