import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { statusBadge } from '../../src/sinks/status-badge.js';
import type { GovernanceStatus } from '../../src/status/model.js';

// The endpoint schema as https://shields.io/badges/endpoint-badge documents it: schemaVersion is always 1, label
// is required (empty hides the left side), message is required and cannot be empty; anything else is optional.
const ENDPOINT_SCHEMA = {
  type: 'object',
  required: ['schemaVersion', 'label', 'message'],
  properties: {
    schemaVersion: { const: 1 },
    label: { type: 'string' },
    message: { type: 'string', minLength: 1 },
    color: { enum: ['brightgreen', 'green', 'yellowgreen', 'yellow', 'orange', 'red', 'blue', 'lightgrey'] },
    labelColor: { type: 'string' },
    isError: { type: 'boolean' },
    namedLogo: { type: 'string' },
    logoSvg: { type: 'string' },
    logoColor: { type: 'string' },
    logoWidth: { type: 'number' },
    style: { type: 'string' },
    cacheSeconds: { type: 'number' },
  },
  additionalProperties: false,
};
const validate = new Ajv2020({ strict: true }).compile(ENDPOINT_SCHEMA);

function status(
  overall: GovernanceStatus['overall'],
  summary: Partial<GovernanceStatus['summary']> = {},
): GovernanceStatus {
  return {
    repository: { fullName: 'example/repo', url: 'https://github.com/example/repo', sha: null },
    generatedAt: '2026-11-23T19:04:00Z',
    overall,
    summary: { errors: 0, warnings: 0, notices: 0, checks: 4, ...summary },
    checks: [],
    licences: [],
    artefacts: [],
    openIncidents: [],
  };
}

describe('statusBadge', () => {
  it.each([
    ['pass', {}, 'passing', 'green'],
    ['pass', { notices: 5 }, 'passing', 'green'],
    ['warn', { warnings: 1 }, '1 warning', 'yellow'],
    ['warn', { warnings: 3, notices: 2 }, '3 warnings', 'yellow'],
    ['fail', { errors: 1, warnings: 4 }, '1 error', 'red'],
    ['fail', { errors: 2 }, '2 errors', 'red'],
    ['error', {}, 'check error', 'lightgrey'],
  ] as const)('%s with %o reads "%s" in %s', (overall, summary, message, color) => {
    const badge = statusBadge(status(overall, summary));
    expect(badge).toEqual({ schemaVersion: 1, label: 'openly', message, color });
    expect(validate(badge), JSON.stringify(validate.errors)).toBe(true);
  });

  it('never shows a count of zero, which a reader would take for good news', () => {
    // A status built by hand may say fail with no error counted; the badge still says something true.
    expect(statusBadge(status('fail'))).toMatchObject({ message: 'failing', color: 'red' });
    expect(statusBadge(status('warn'))).toMatchObject({ message: 'warnings', color: 'yellow' });
  });
});
