import type { Finding, RuleInfo } from '../../src/core/check.js';
import { statusOf, summarise, type CheckResult, type Report } from '../../src/core/report.js';

/** The rule catalogue the checks of the sample report would gather, with one rule switched off by default. */
export const RULES: Record<string, RuleInfo> = {
  'licence/missing': { level: 'error', description: 'The repository has a licence file at its root.' },
  'licence/unknown': { level: 'warning', description: 'The licence file holds a licence Openly recognises.' },
  'licence/header': { level: 'notice', description: 'Source files carry an SPDX licence header.' },
  'licence/reuse': { level: 'off', description: 'The repository follows the REUSE specification.' },
  'community/contributing': { level: 'warning', description: 'The repository explains how to contribute.' },
  'community/codeowners': { level: 'warning', description: 'CODEOWNERS names owners who exist.' },
  'signed-commits/unsigned': { level: 'error', description: 'Commits on the default branch are signed.' },
};

function result(check: string, title: string, findings: Omit<Finding, 'check'>[]): CheckResult {
  const full = findings.map((f) => ({ ...f, check }));
  return { check, title, status: statusOf(full), findings: full, durationMs: 3 };
}

/**
 * A report like one from a young public-sector repository: the licence check fails with findings with and
 * without a path (listed out of order on purpose), community files only warn, signed commits pass, visibility
 * is switched off, and the artefacts check crashed.
 */
export function sampleReport(): Report {
  const results: CheckResult[] = [
    result('licence', 'Licence', [
      {
        rule: 'licence/unknown',
        severity: 'warning',
        message: 'LICENCE does not match any licence Openly knows.',
        path: 'LICENCE',
        line: 1,
        column: 1,
        fix: 'Replace LICENCE with the unchanged text of the licence you chose, such as OGL-UK-3.0.',
      },
      {
        rule: 'licence/header',
        severity: 'notice',
        message: 'src/app.ts has no SPDX-License-Identifier header.',
        path: 'src/app.ts',
        line: 1,
      },
      {
        rule: 'licence/missing',
        severity: 'error',
        message: 'No licence file for the documentation (docs/).',
        fix: 'Add a LICENCE-docs file with the OGL-UK-3.0 text.',
      },
      {
        rule: 'licence/missing',
        severity: 'error',
        message: 'No licence file was found in the repository.',
        fix: 'Add a LICENCE file at the root of the repository.',
      },
    ]),
    result('community', 'Community files', [
      {
        rule: 'community/codeowners',
        severity: 'warning',
        message: 'CODEOWNERS names @nhs/nobody, which does not exist.',
        path: '.github/CODEOWNERS',
        line: 3,
        column: 5,
        endLine: 4,
        fix: 'Name a team or person who exists in the organisation.',
      },
      {
        rule: 'community/contributing',
        severity: 'warning',
        message: 'There is no CONTRIBUTING.md.',
        fix: 'Add CONTRIBUTING.md saying how to propose a change.',
      },
    ]),
    result('signed-commits', 'Signed commits', []),
    { check: 'visibility', title: 'Visibility', status: 'skip', findings: [], durationMs: 0 },
    {
      check: 'artefacts',
      title: 'Open-working artefacts',
      status: 'error',
      findings: [],
      error: 'The artefacts check could not finish: unexpected end of the YAML stream',
      durationMs: 1,
    },
  ];
  return {
    tool: 'openly',
    version: '0.1.0',
    repository: { path: 'nhsx/covid-app', head: '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39' },
    summary: summarise(results),
    results,
  };
}

/** A report with one check and `count` findings whose messages are `size` characters long. */
export function largeReport(count: number, size = 120): Report {
  const findings: Finding[] = Array.from({ length: count }, (_, i) => ({
    check: 'licence',
    rule: 'licence/header',
    severity: 'notice',
    message: `File ${i} | lacks a header. `.padEnd(size, 'x'),
    path: `src/file-${String(i).padStart(5, '0')}.ts`,
    line: 1,
  }));
  const results: CheckResult[] = [
    { check: 'licence', title: 'Licence', status: statusOf(findings), findings, durationMs: 1 },
    { check: 'signed-commits', title: 'Signed commits', status: 'pass', findings: [], durationMs: 1 },
  ];
  return {
    tool: 'openly',
    version: '0.1.0',
    repository: { path: 'big', head: null },
    summary: summarise(results),
    results,
  };
}
