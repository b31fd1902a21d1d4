import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { buildSarif, renderSarif, type SarifLog } from '../../src/sinks/sarif.js';
import { ruleDocsUrl } from '../../src/core/links.js';
import { RULES, largeReport, sampleReport } from './report-fixture.js';

const require = createRequire(import.meta.url);

/**
 * The official SARIF 2.1.0 schema as @microsoft/jest-sarif ships it. It is written for draft-04 (`id`, a draft-04
 * `$schema`), whose keywords it uses no differently from draft-07, so naming its `$id` is all Ajv needs.
 */
function sarifValidator() {
  const file = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const {
    id,
    $schema: _draft04,
    ...schema
  } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  // One of its patterns (`language`) is not valid with the `u` flag, which Ajv adds by default.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // ajv-formats is CommonJS: its plugin is the `default` of what Node's ESM import hands over.
  formats.default(ajv);
  return ajv.compile({ ...schema, $id: id as string });
}

const validate = sarifValidator();

function sarifOf(options: Partial<Parameters<typeof renderSarif>[1]> = {}): SarifLog {
  return JSON.parse(renderSarif(sampleReport(), { rules: RULES, ...options })) as SarifLog;
}

type Run = SarifLog['runs'][0];
type Result = Run['results'][number];

describe('renderSarif', () => {
  it('writes SARIF that the official 2.1.0 schema accepts', () => {
    const sarif = sarifOf();
    expect(validate(sarif), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/^https:\/\/.*sarif-2\.1\.0\.json$/);
    expect(sarif.runs).toHaveLength(1);
    expect(sarif.runs[0].tool.driver).toMatchObject({
      name: 'Openly',
      version: '0.1.0',
      semanticVersion: '0.1.0',
    });
  });

  it.each([
    ['a version other than 2.1.0', (s: SarifLog) => Object.assign(s, { version: '2.0.0' })],
    [
      'a level SARIF does not know',
      (s: SarifLog) => Object.assign(s.runs[0].results[0]!, { level: 'critical' }),
    ],
    [
      'a line number below 1',
      (s: SarifLog) =>
        Object.assign(s.runs[0].results[0]!.locations[0].physicalLocation.region, { startLine: 0 }),
    ],
    ['a result without a message', (s: SarifLog) => delete (s.runs[0].results[0] as Partial<Result>).message],
    ['a run without its tool', (s: SarifLog) => delete (s.runs[0] as Partial<Run>).tool],
    [
      'a URI that is not a URI reference',
      (s: SarifLog) => Object.assign(s.runs[0].tool.driver.rules[0]!, { helpUri: 'not a uri' }),
    ],
  ])('has a schema check that rejects %s', (_name, breakIt) => {
    const sarif = sarifOf();
    breakIt(sarif);
    expect(validate(sarif)).toBe(false);
  });

  it('gives every result a file location with a line, as GitHub code scanning requires', () => {
    const { results } = sarifOf().runs[0];
    expect(results).toHaveLength(6);
    for (const result of results) {
      expect(result.locations).toHaveLength(1);
      const physical = result.locations[0].physicalLocation;
      expect(physical.artifactLocation.uri).toMatch(/^[^/].+/);
      expect(physical.artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(physical.region.startLine).toBeGreaterThanOrEqual(1);
    }
  });

  it('places findings about the whole repository on the README, or on the file the caller names', () => {
    const onReadme = sarifOf().runs[0].results.filter((r) => r.ruleId === 'licence/missing');
    expect(onReadme).toHaveLength(2);
    for (const r of onReadme) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('README.md');
      expect(r.properties.scope).toBe('repository');
    }
    const onConfig = sarifOf({ repositoryFile: '.github/openly.yml' }).runs[0].results.find(
      (r) => r.ruleId === 'community/contributing',
    );
    expect(onConfig!.locations[0].physicalLocation.artifactLocation.uri).toBe('.github/openly.yml');
  });

  it('keeps the position of a finding that has one', () => {
    const codeowners = sarifOf().runs[0].results.find((r) => r.ruleId === 'community/codeowners');
    expect(codeowners!.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: '.github/CODEOWNERS', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 5, endLine: 4 },
    });
  });

  it('maps severities to SARIF levels: error, warning, and notice as note', () => {
    const levels = Object.fromEntries(sarifOf().runs[0].results.map((r) => [r.ruleId, r.level]));
    expect(levels).toEqual({
      'licence/missing': 'error',
      'licence/unknown': 'warning',
      'licence/header': 'note',
      'community/codeowners': 'warning',
      'community/contributing': 'warning',
    });
  });

  it('points each ruleIndex at the rule of the same id, which links to its documentation', () => {
    const run = sarifOf().runs[0];
    for (const result of run.results) {
      const rule = run.tool.driver.rules[result.ruleIndex]!;
      expect(rule.id).toBe(result.ruleId);
      expect(rule.helpUri).toBe(ruleDocsUrl(result.ruleId));
      expect(rule.shortDescription.text).toBe(RULES[result.ruleId]?.description);
      expect(rule.help.text).toContain(rule.helpUri);
    }
  });

  it('lists every rule of the catalogue, a rule that is off as disabled rather than as a level', () => {
    const rules = sarifOf().runs[0].tool.driver.rules;
    expect(rules.map((r) => r.id).sort()).toEqual(Object.keys(RULES).sort());
    const byId = Object.fromEntries(rules.map((r) => [r.id, r.defaultConfiguration]));
    expect(byId['licence/reuse']).toEqual({ enabled: false });
    expect(byId['licence/header']).toEqual({ level: 'note' });
    expect(byId['signed-commits/unsigned']).toEqual({ level: 'error' });
  });

  it('describes a rule a finding names even when the catalogue lacks it', () => {
    const report = sampleReport();
    report.results[0]!.findings.push({
      check: 'licence',
      rule: 'licence/new-rule',
      severity: 'warning',
      message: 'Something new.',
    });
    const run = buildSarif(report, { rules: RULES }).runs[0];
    const result = run.results.find((r) => r.ruleId === 'licence/new-rule')!;
    expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe('licence/new-rule');
    expect(validate(JSON.parse(JSON.stringify({ ...buildSarif(report, { rules: RULES }) })))).toBe(true);
  });

  it('adds the fix to the message a person reads', () => {
    const unknown = sarifOf().runs[0].results.find((r) => r.ruleId === 'licence/unknown');
    expect(unknown!.message.text).toBe(
      'LICENCE does not match any licence Openly knows.\n\nFix: Replace LICENCE with the unchanged text of the ' +
        'licence you chose, such as OGL-UK-3.0.',
    );
  });

  it('reports a crashed check as a failed tool execution', () => {
    const [invocation] = sarifOf().runs[0].invocations;
    expect(invocation.executionSuccessful).toBe(false);
    expect(invocation.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'The artefacts check could not finish: unexpected end of the YAML stream' },
        properties: { check: 'artefacts' },
      },
    ]);
  });

  it('reports a successful execution when no check crashed', () => {
    const [invocation] = JSON.parse(renderSarif(largeReport(2), { rules: RULES })).runs[0].invocations;
    expect(invocation).toEqual({ executionSuccessful: true });
  });

  it('gives stable fingerprints that tell findings apart, identical ones included', () => {
    const first = sarifOf().runs[0].results.map((r) => r.partialFingerprints);
    const again = sarifOf().runs[0].results.map((r) => r.partialFingerprints);
    expect(again).toEqual(first);
    expect(new Set(first.map((f) => JSON.stringify(f))).size).toBe(first.length);

    const report = largeReport(1);
    report.results[0]!.findings.push({ ...report.results[0]!.findings[0]!, line: 9 });
    const [a, b] = buildSarif(report, { rules: RULES }).runs[0].results;
    expect(a?.partialFingerprints).not.toEqual(b?.partialFingerprints);
  });

  it('writes paths with spaces and odd characters as valid relative URIs', () => {
    const report = largeReport(1);
    report.results[0]!.findings[0]!.path = 'docs/Privacy notice #2 (draft).md';
    const sarif = buildSarif(report, { rules: RULES });
    expect(sarif.runs[0].results[0]?.locations[0].physicalLocation.artifactLocation.uri).toBe(
      'docs/Privacy%20notice%20%232%20(draft).md',
    );
    expect(validate(JSON.parse(JSON.stringify(sarif)))).toBe(true);
  });

  it('uses the tool address the caller gives', () => {
    expect(sarifOf({ toolUri: 'https://example.gov.uk/openly' }).runs[0].tool.driver.informationUri).toBe(
      'https://example.gov.uk/openly',
    );
  });
});
