import type { Finding } from '../../src/core/check.js';
import type { Report } from '../../src/core/report.js';
import type { GovernanceStatus } from '../../src/status/model.js';
import { GENERATED_AT, SHA } from './support.js';

/** Text as someone hostile might put it in a title, a path or a message. */
export const SCRIPT = '<script>alert("title")</script>';
export const IMG = '<img src=x onerror="alert(1)">';
export const QUOTE = 'say "hello" & it\'s done';
export const PIPE = 'one | two';
export const LINK = '[click me](javascript:alert(1))';

/** A status whose every piece of repository text tries to break out of where it is shown. */
export function hostileStatus(): GovernanceStatus {
  return {
    repository: {
      fullName: `evil/${SCRIPT}`,
      url: 'https://github.com/evil/repo',
      sha: SHA,
      ref: `refs/heads/${IMG}`,
    },
    generatedAt: GENERATED_AT,
    overall: 'fail',
    summary: { errors: 1, warnings: 0, notices: 0, checks: 1 },
    checks: [
      {
        id: 'licence',
        title: `Licence ${SCRIPT}`,
        status: 'fail',
        errors: 1,
        warnings: 0,
        notices: 0,
        docsUrl: 'https://github.com/openly-dev/openly/blob/main/docs/rules.md#licence',
      },
    ],
    licences: [{ path: `LICENCE${IMG}`, spdx: `MIT${QUOTE}`, confidence: 0.5, scope: `${PIPE}/**` }],
    artefacts: [{ path: `incidents/${IMG}.md`, type: `incident-report${SCRIPT}`, valid: false }],
    openIncidents: [
      {
        path: `incidents/${IMG}.md`,
        id: `INC-${QUOTE}`,
        title: `${SCRIPT} ${LINK} ${PIPE} @nhs-england/everyone`,
        status: `investigating${IMG}`,
        priority: `P1${PIPE}`,
        startedAt: `2026-11-20${SCRIPT}`,
      },
    ],
    latestRelease: {
      tag: `v1.0.0${QUOTE}`,
      name: `Release ${SCRIPT}`,
      url: 'javascript:alert(document.cookie)',
      publishedAt: '2026-11-18T10:30:00Z',
    },
    milestone: {
      title: `Milestone ${IMG}`,
      url: 'https://github.com/evil/repo/milestone/1" onmouseover="alert(1)',
      open: 1,
      closed: 3,
      dueOn: `2026-12-01${QUOTE}`,
    },
  };
}

export function hostileReport(): Report {
  const finding: Finding = {
    check: 'licence',
    rule: 'licence/missing',
    severity: 'error',
    message: `No licence ${SCRIPT} ${PIPE}`,
    path: `docs/${IMG}`,
    line: 1,
    fix: `Add one ${LINK}`,
  };
  return {
    tool: 'openly',
    version: '0.1.0',
    repository: { path: 'evil/repo', head: SHA },
    summary: { errors: 1, warnings: 0, notices: 0, checks: 1 },
    results: [
      { check: 'licence', title: `Licence ${SCRIPT}`, status: 'fail', findings: [finding], durationMs: 1 },
    ],
  };
}

/**
 * A monorepo's worth of everything: thousands of licence files, invalid artefacts, open incidents and findings,
 * with non-ASCII text so that bytes and characters differ.
 */
export function hugeStatus(): { status: GovernanceStatus; report: Report } {
  const findings: Finding[] = [];
  for (let i = 0; i < 40_000; i++) {
    findings.push({
      check: 'artefacts',
      rule: 'artefacts/schema',
      severity: i % 10 === 0 ? 'error' : 'notice',
      message: `Gwasanaeth ${i}: the title is missing — “teitl” ar goll 🚑`,
      path: `design-history/${i}.md`,
      line: 2,
    });
  }
  const report: Report = {
    tool: 'openly',
    version: '0.1.0',
    repository: { path: 'nhs/monorepo', head: SHA },
    summary: { errors: 4000, warnings: 0, notices: 36_000, checks: 2 },
    results: [
      { check: 'licence', title: 'Licence', status: 'pass', findings: [], durationMs: 1 },
      { check: 'artefacts', title: 'Open-working artefacts', status: 'fail', findings, durationMs: 1 },
    ],
  };
  const status: GovernanceStatus = {
    repository: { fullName: 'nhs/monorepo', url: 'https://github.com/nhs/monorepo', sha: SHA },
    generatedAt: GENERATED_AT,
    overall: 'fail',
    summary: report.summary,
    checks: [
      {
        id: 'licence',
        title: 'Licence',
        status: 'pass',
        errors: 0,
        warnings: 0,
        notices: 0,
        docsUrl: 'https://github.com/openly-dev/openly/blob/main/docs/rules.md#licence',
      },
      {
        id: 'artefacts',
        title: 'Open-working artefacts',
        status: 'fail',
        errors: 4000,
        warnings: 0,
        notices: 36_000,
        docsUrl: 'https://github.com/openly-dev/openly/blob/main/docs/rules.md#artefacts',
      },
    ],
    licences: Array.from({ length: 8000 }, (_, i) => ({
      path: `packages/pecyn-${i}/TRWYDDED.md`,
      spdx: 'OGL-UK-3.0',
      confidence: 0.99,
      scope: `packages/pecyn-${i}/**`,
    })),
    artefacts: Array.from({ length: 30_000 }, (_, i) => ({
      path: `design-history/${i}.md`,
      type: 'design-history-entry',
      valid: i % 3 !== 0,
    })),
    openIncidents: Array.from({ length: 6000 }, (_, i) => ({
      path: `incidents/incident-2026-01-01-${i}.md`,
      id: `INC-${i}`,
      title: `Digwyddiad ${i}: ni all pobl fewngofnodi 🚑`,
      status: 'investigating',
      priority: 'P2',
      startedAt: '2026-01-01T09:00:00Z',
    })),
    latestRelease: {
      tag: 'v9.0.0',
      name: 'v9.0.0',
      url: 'https://github.com/nhs/monorepo/releases/tag/v9.0.0',
      publishedAt: '2026-11-01T09:00:00Z',
    },
    milestone: { title: 'v9.1.0', url: 'https://github.com/nhs/monorepo/milestone/3', open: 10, closed: 30 },
  };
  return { status, report };
}
