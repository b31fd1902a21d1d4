import { describe, expect, it } from 'vitest';
import {
  brokenConfigStatus,
  commitStatusOf,
  describe as describeStatus,
  shortDescription,
} from '../../src/sinks/commit-status.js';
import type { CheckSummary, GovernanceStatus } from '../../src/status/model.js';

function check(id: string, status: CheckSummary['status']): CheckSummary {
  return { id, title: id, status, errors: 0, warnings: 0, notices: 0, docsUrl: `https://example.org/${id}` };
}

function status(
  overall: GovernanceStatus['overall'],
  summary: Partial<GovernanceStatus['summary']> = {},
  checks: CheckSummary[] = [],
): GovernanceStatus {
  return {
    repository: { fullName: 'nhsx/covid-app', url: 'https://github.com/nhsx/covid-app', sha: null },
    generatedAt: '2026-11-23T10:30:00Z',
    overall,
    summary: { errors: 0, warnings: 0, notices: 0, checks: 4, ...summary },
    checks,
    licences: [],
    artefacts: [],
    openIncidents: [],
  };
}

describe('shortDescription', () => {
  it('keeps a commit status description within the 140 characters GitHub takes, on one line', () => {
    const long = `Configuration invalid: .github/openly.yml:3: ${'unknown check "licnece"\n'.repeat(10)}`;
    const short = shortDescription(long);
    expect([...short]).toHaveLength(140);
    expect(short.endsWith('…')).toBe(true);
    expect(short).not.toContain('\n');
    expect(shortDescription('All 4 checks pass')).toBe('All 4 checks pass');
  });
});

describe('the commit status of a governance status', () => {
  it.each([
    ['pass', {}, 'success', 'All 4 checks pass'],
    ['pass', { checks: 1 }, 'success', 'All 1 check pass'],
    ['warn', { warnings: 1 }, 'success', '1 warning, no errors, in 4 checks'],
    ['fail', { errors: 2, warnings: 1 }, 'failure', '2 errors, 1 warning in 4 checks'],
    ['error', {}, 'error', 'Could not finish: a check'],
  ] as const)('%s with %o is %s: "%s"', (overall, summary, state, description) => {
    expect(commitStatusOf(status(overall, summary))).toEqual({ state, description });
  });

  it('names the checks that could not finish', () => {
    const crashed = status('error', {}, [
      check('licence', 'pass'),
      check('artefacts', 'error'),
      check('signed-commits', 'error'),
    ]);
    expect(describeStatus(crashed)).toBe('Could not finish: artefacts, signed-commits');
  });

  it('links to the page given, and only then', () => {
    expect(commitStatusOf(status('pass'), 'https://nhsx.github.io/covid-app/')).toEqual({
      state: 'success',
      description: 'All 4 checks pass',
      targetUrl: 'https://nhsx.github.io/covid-app/',
    });
  });

  it('an invalid configuration is an error status naming the problem, cut to what GitHub takes', () => {
    const where = `.github/openly.yml:3: ${'unknown check "licnece" '.repeat(10)}`;
    const broken = brokenConfigStatus(where, 'https://github.com/nhsx/covid-app/actions/runs/7001');
    expect(broken.state).toBe('error');
    expect(broken.description.startsWith('Configuration invalid: .github/openly.yml:3: unknown check')).toBe(
      true,
    );
    expect([...broken.description]).toHaveLength(140);
    expect(broken.targetUrl).toBe('https://github.com/nhsx/covid-app/actions/runs/7001');
  });
});
