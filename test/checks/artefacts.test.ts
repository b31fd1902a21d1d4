import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { artefactsCheck } from '../../src/checks/artefacts.js';
import { parseConfig } from '../../src/config/load.js';
import { configOptions } from '../../src/checks/index.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import { configOf, fixture, FIXTURES, folder, judge, where } from './artefacts-helpers.js';

const PACK_FIXTURES = join(FIXTURES, 'artefacts');

/** Every fixture of the schema pack, as [type, file name]. */
const packFixtures = readdirSync(PACK_FIXTURES).flatMap((type) =>
  readdirSync(join(PACK_FIXTURES, type)).map((name) => [type, name] as const),
);

/** Judges one pack fixture as the only file of a repository, mapped to its type by configuration. */
function judgeFixture(type: string, name: string) {
  return judge(
    { [`records/${name}`]: fixture(`artefacts/${type}/${name}`) },
    {
      options: { files: [{ path: 'records/**', type }], detect: false },
      // Alone in its repository, a superseded decision's successor cannot exist; that rule is tested below.
      rules: { 'artefacts/superseded-by': 'off' },
      now: '2024-06-01',
    },
  );
}

/** For each invalid fixture: the rule, where the finding points, and words its message must contain. */
const INVALID: Record<string, [rule: string, position: string, fragment: string]> = {
  'architecture-decision-record/invalid-status-done.md': [
    'artefacts/schema',
    '6:9',
    'status must be one of: Proposed, Accepted, Rejected, Deprecated, Superseded, Amended, Pending, Approved, RFC, In discussion, Pending approval, Withdrawn, On hold, Draft, Decided, or the same in lower case (found the text "Done")',
  ],
  'architecture-decision-record/invalid-superseded-without-successor.md': [
    'artefacts/schema',
    '3:1',
    'missing required key "superseded_by"',
  ],
  'data-catalogue-entry/invalid-contact-typo.yaml': [
    'artefacts/schema',
    '9:1',
    'unknown key "contact_point" — did you mean "contactPoint"?',
  ],
  'data-catalogue-entry/invalid-personal-data-open.yaml': [
    'artefacts/schema',
    '6:15',
    'accessRights must be one of: INTERNAL, COMMERCIAL (found the text "OPEN")',
  ],
  'data-catalogue-entry/invalid-personal-data-yes.yaml': [
    'artefacts/schema',
    '14:20',
    'personal_data must be true or false (found the text "yes")',
  ],
  'design-history-entry/invalid-impossible-date.md': [
    'artefacts/schema',
    '4:7',
    'date must be a date like 2025-03-31 (found the text "2024-13-05")',
  ],
  'design-history-entry/invalid-screenshot-without-text.md': [
    'artefacts/schema',
    '9:7',
    'missing required key "text" in items[1]',
  ],
  'incident-report/invalid-priority-word.md': [
    'artefacts/schema',
    '6:11',
    'priority must be one of: P1, P2, P3, P4 (found the text "High")',
  ],
  'incident-report/invalid-resolved-without-time.md': [
    'artefacts/schema',
    '3:1',
    'missing required key "resolved_at"',
  ],
  'incident-report/invalid-time-without-zone.md': [
    'artefacts/schema',
    '7:13',
    'started_at must be a date and time like 2025-03-31T09:30:00Z',
  ],
  'playbook/invalid-missing-owner.md': ['artefacts/schema', '3:1', 'missing required key "owner"'],
  'playbook/invalid-review-interval.md': [
    'artefacts/schema',
    '8:18',
    '"biannually" is not a valid value for review_interval',
  ],
  'publiccode/invalid-contract-without-contractors.yml': [
    'artefacts/schema',
    '14:3',
    'missing required key "contractors" in maintenance',
  ],
  'publiccode/invalid-development-status.yml': [
    'artefacts/schema',
    '6:20',
    'developmentStatus must be one of: concept, development, beta, stable, obsolete (found the text "Stable") — did you mean "stable"?',
  ],
  'publiccode/invalid-version-number.yml': [
    'artefacts/schema',
    '2:23',
    'publiccodeYmlVersion must be a text value (found the number 0.2)',
  ],
  'release-note/invalid-missing-date.md': ['artefacts/schema', '3:1', 'missing required key "date"'],
  'release-note/invalid-version-two-parts.md': ['artefacts/schema', '3:10', '"2.5" is not a valid Version'],
  'requirements-register/invalid-lowercase-keyword.yaml': [
    'artefacts/schema',
    '4:14',
    'keyword must be one of: MUST, MUST NOT',
  ],
  'requirements-register/invalid-statement-without-keyword.yaml': [
    'artefacts/schema',
    '5:16',
    '"Teams should publish weeknotes." is not a valid Statement',
  ],
  'risk-register/invalid-likelihood-word.yaml': [
    'artefacts/schema',
    '5:17',
    'likelihood must be one of: Very low',
  ],
  'risk-register/invalid-rating-off-grid.yaml': [
    'artefacts/risk-rating',
    '8:13',
    'is 2, but the DCB0129 grid gives 3 for likelihood Medium and consequence Major',
  ],
  'risk-register/invalid-typo-key.yaml': [
    'artefacts/schema',
    '11:5',
    'unknown key "lastreviewed" in risks[0] — did you mean "last_reviewed"?',
  ],
  'roadmap/invalid-horizon-word.yaml': [
    'artefacts/schema',
    '8:14',
    'horizon must be one of: now, next, later',
  ],
  'roadmap/invalid-missing-review.yaml': [
    'artefacts/schema',
    '2:1',
    'missing required key "next_review_due"',
  ],
  'service-list/invalid-closed-without-justification.yaml': [
    'artefacts/schema',
    '10:5',
    'missing required key "justification" in services[1]',
  ],
  'service-list/invalid-phase-word.yaml': ['artefacts/schema', '7:12', 'phase must be one of: discovery'],
  'service-list/invalid-typo-key.yaml': [
    'artefacts/schema',
    '8:5',
    'unknown key "opennes" in services[0] — did you mean "openness"?',
  ],
  'standard/invalid-missing-review-date.md': ['artefacts/schema', '3:1', 'missing required key "reviewDate"'],
  'standard/invalid-stage-drift.md': [
    'artefacts/schema',
    '4:8',
    // "1. Proposal" has no lower-case twin, so every accepted spelling is listed.
    'stage must be one of: Proposal, 1. Proposal, proposal, Discovery',
  ],
  'weeknote/invalid-draft-yes.md': [
    'artefacts/schema',
    '5:8',
    'draft must be true or false (found the text "yes")',
  ],
  'weeknote/invalid-impossible-date.md': [
    'artefacts/schema',
    '4:14',
    'week_ending must be a date like 2025-03-31 (found the text "2024-02-30")',
  ],
};

describe('the schema pack fixtures, through the check', () => {
  it('has an expectation for every invalid fixture', () => {
    const invalid = packFixtures
      .filter(([, name]) => name.startsWith('invalid-'))
      .map(([t, n]) => `${t}/${n}`);
    expect(invalid.sort()).toEqual(Object.keys(INVALID).sort());
  });

  it.each(packFixtures.filter(([, name]) => name.startsWith('valid-')))(
    '%s/%s passes with no findings',
    async (type, name) => {
      const result = await judgeFixture(type, name);
      expect(result.findings).toEqual([]);
      expect(result.status).toBe('pass');
      expect(result.data).toEqual({ artefacts: [{ path: `records/${name}`, type, valid: true }] });
    },
  );

  it.each(Object.entries(INVALID))('%s is reported as %s', async (file, [rule, position, fragment]) => {
    const [type, name] = file.split('/') as [string, string];
    const result = await judgeFixture(type, name);
    const finding = result.findings.find((f) => f.rule === rule && f.message.includes(fragment));
    expect(finding, JSON.stringify(result.findings, null, 2)).toBeDefined();
    expect(`${finding!.line}:${finding!.column}`).toBe(position);
    expect(finding!.path).toBe(`records/${name}`);
    expect(finding!.severity).toBe('error');
    expect(result.data).toEqual({ artefacts: [{ path: `records/${name}`, type, valid: false }] });
  });
});

describe('decision records across files', () => {
  it('reports a repeated id and a successor that does not exist, and accepts MADR and numbered headings', async () => {
    const result = await judge(folder('artefact-check/decisions'));
    expect(where(result.findings)).toEqual([
      'artefacts/superseded-by docs/adr/0002-use-redis-for-sessions.md:6:16',
      'artefacts/duplicate-id docs/adr/0003-use-govuk-notify.md:2:5',
    ]);
    expect(result.findings[1]!.message).toBe(
      'The decision id ADR-1 is also used by docs/adr/0001-record-architecture-decisions.md (ADR-001); each decision needs its own.',
    );
    expect(result.findings[0]!.message).toContain(
      'superseded_by names ADR-009, but no decision with that id exists',
    );
    // The README beside the records is not a record.
    expect((result.data!.artefacts as Array<{ path: string }>).map((a) => a.path)).not.toContain(
      'docs/adr/README.md',
    );
  });

  it('accepts a successor named by its file, and keeps each folder its own decision log', async () => {
    const files = folder('artefact-check/decisions');
    files['docs/adr/0002-use-redis-for-sessions.md'] = (
      files['docs/adr/0002-use-redis-for-sessions.md'] as string
    ).replace('superseded_by: ADR-009', 'superseded_by: ./0005-host-on-containers.md');
    files['docs/adr/0003-use-govuk-notify.md'] = (
      files['docs/adr/0003-use-govuk-notify.md'] as string
    ).replace('id: ADR-1', 'id: ADR-003');
    // Another service's log numbers its decisions from 1 too.
    files['services/api/docs/adr/0001-use-fastify.md'] = files[
      'docs/adr/0001-record-architecture-decisions.md'
    ] as string;
    const result = await judge(files, {
      options: { files: [{ path: 'services/*/docs/adr/*.md', type: 'architecture-decision-record' }] },
    });
    expect(result.findings).toEqual([]);
  });

  it('lets a rule be switched off by configuration', async () => {
    const result = await judge(folder('artefact-check/decisions'), {
      rules: { 'artefacts/duplicate-id': 'off' },
    });
    expect(where(result.findings)).toEqual([
      'artefacts/superseded-by docs/adr/0002-use-redis-for-sessions.md:6:16',
    ]);
  });
});

describe('dates in file names, weekdays and sections', () => {
  it('reports each at the field or heading a person must change', async () => {
    const result = await judge(folder('artefact-check/dated'));
    expect(where(result.findings)).toEqual([
      'artefacts/filename-date design-history/2024/2024-05-31-save-and-return.md:3:7',
      'artefacts/sections incidents/incident-2024-05-31-reminders-not-sent.md:10:1',
      'artefacts/weekday weeknotes/2024-05-30.md:3:14',
    ]);
    const [date, sections, weekday] = result.findings;
    expect(date!.message).toBe(
      'date is 2024-05-30, but the file name says 2024-05-31; the two must be the same day.',
    );
    expect(date!.severity).toBe('warning');
    // "## Root cause" inside a fenced code block does not count; "1. Summary" counts as Summary.
    expect(sections!.message).toContain('has no "Root cause" section');
    expect(sections!.fix).toBe('Add a heading "## Root cause" followed by what belongs there.');
    expect(weekday!.message).toBe('week_ending is 2024-05-30, a Thursday; it must be a Friday.');
    expect(weekday!.fix).toContain('2024-05-31');
  });
});

describe('reviews and risk registers', () => {
  it('reports overdue reviews against the injected clock, a rating off the DCB0129 grid and a repeated risk id', async () => {
    const result = await judge(folder('artefact-check/reviews'), { now: '2026-06-01' });
    expect(where(result.findings)).toEqual([
      'artefacts/overdue governance/risk-register.yaml:14:17',
      'artefacts/risk-rating governance/risk-register.yaml:19:13',
      'artefacts/duplicate-id governance/risk-register.yaml:23:9',
      'artefacts/overdue playbooks/failed-deploy.md:6:16',
      'artefacts/overdue roadmap.yaml:3:18',
    ]);
    const byRule = (rule: string) => result.findings.filter((f) => f.rule === rule).map((f) => f.message);
    expect(byRule('artefacts/risk-rating')).toEqual([
      'The rating of risks[1] (HAZ-002) is 2, but the DCB0129 grid gives 3 for likelihood High and consequence Significant (row High, column Significant).',
    ]);
    expect(byRule('artefacts/overdue')).toEqual([
      'The review in risks[0] was due on 2026-05-27, 5 days ago.',
      'The review was due on 2026-04-01 (last reviewed 2025-10-01, every 6 months), 61 days ago.',
      'The review was due on 2026-05-01, 31 days ago.',
    ]);
    // A rating off the grid makes the register invalid; an overdue review does not make a roadmap invalid.
    expect(result.data).toEqual({
      artefacts: [
        { path: 'governance/risk-register.yaml', type: 'risk-register', valid: false },
        { path: 'playbooks/failed-deploy.md', type: 'playbook', valid: true },
        { path: 'roadmap.yaml', type: 'roadmap', valid: true },
        { path: 'standards/sign-your-commits.md', type: 'standard', valid: true },
      ],
    });
  });

  it('reports no overdue review before the dates are due', async () => {
    const result = await judge(folder('artefact-check/reviews'), { now: '2026-03-31' });
    expect(result.findings.filter((f) => f.rule === 'artefacts/overdue')).toEqual([]);
  });
});

describe("a team's own schemas", () => {
  const files = folder('artefact-check/custom');

  async function custom() {
    return judge(files, { config: configOf(files) });
  }

  it('follows $ref to other files of the repository and to the pack, and judges YAML documents and CSV rows', async () => {
    const result = await custom();
    const about = (path: string) => result.findings.filter((f) => f.path === path);
    expect(about('data/gp-practices.yaml')).toEqual([]);
    expect(where(about('data/clinics.yaml'))).toEqual([
      'artefacts/schema data/clinics.yaml:3:10',
      'artefacts/schema data/clinics.yaml:4:9',
      'artefacts/risk-rating data/clinics.yaml:10:11',
    ]);
    expect(about('data/clinics.yaml')[2]!.message).toContain(
      'the DCB0129 grid gives 4 for likelihood High and consequence Major',
    );
    expect(about('data/clinics.yaml')[1]!.message).toBe(
      'status must be one of: draft, published, retired (found the text "Published") — did you mean "published"?',
    );
    // The schema's description of the field is the help a person gets.
    expect(about('data/clinics.yaml')[1]!.fix).toBe('draft, published or retired.');
    expect(about('data/two-datasets.yaml').map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([
      '9:9 document 2: status must be one of: draft, published, retired (found the text "archived").',
    ]);
    expect(about('registers/suppliers.csv').map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([
      '3:18 the row on line 3: contract_end must be a date like 2025-03-31 (found the text "2026-13-01").',
      '4:1 the row on line 4: the data_processor column is empty, but it must be filled in.',
    ]);
  });

  it('reads paths written from the root with ./ or /, as people write them', async () => {
    const result = await judge(
      {
        'schemas/row.json': '{ "type": "object", "required": ["name"] }',
        'data/a.yaml': 'title: no name\n',
      },
      { options: { files: [{ path: './data/*.yaml', schema: '/schemas/row.json' }] } },
    );
    expect(where(result.findings)).toEqual(['artefacts/schema data/a.yaml:1:1']);
    expect(result.findings[0]!.message).toBe('missing required key "name" at the top level.');
  });

  it('refuses a $ref to the web, with one finding at the reference', async () => {
    const result = await custom();
    const remote = result.findings.filter((f) => f.path === 'schemas/remote-ref.json');
    expect(where(remote)).toEqual(['artefacts/custom-schema schemas/remote-ref.json:4:26']);
    expect(remote[0]!.message).toContain(
      'refers to https://example.com/schemas/licence.json, outside the repository',
    );
    expect(result.findings.filter((f) => f.path === 'remote/thing.yaml')).toEqual([]);
  });

  it('reports a schema that is not JSON, one that is not a schema and one that is missing, once each', async () => {
    const result = await custom();
    const schemaFindings = result.findings.filter((f) => f.rule === 'artefacts/custom-schema');
    expect(where(schemaFindings)).toEqual([
      'artefacts/custom-schema .github/openly.yml:16:15',
      'artefacts/custom-schema schemas/broken.json:3:3',
      'artefacts/custom-schema schemas/not-a-schema.json:2:11',
      'artefacts/custom-schema schemas/remote-ref.json:4:26',
    ]);
    expect(schemaFindings[0]!.message).toBe('The schema file schemas/missing.json is not in the repository.');
    expect(schemaFindings[1]!.message).toContain('is not valid JSON');
    expect(schemaFindings[2]!.message).toBe(
      'schemas/not-a-schema.json is not a valid JSON Schema: type must be one of: array, boolean, integer, null, number, object, string (found the text "text") (and 1 more problem).',
    );
    expect(schemaFindings.every((f) => f.severity === 'error')).toBe(true);
  });

  it('lists every file it looked at in data.artefacts, with whether it is valid', async () => {
    const result = await custom();
    expect(result.data).toEqual({
      artefacts: [
        {
          path: 'broken/thing.yaml',
          type: 'schemas/broken.json',
          schema: 'schemas/broken.json',
          valid: false,
        },
        {
          path: 'data/clinics.yaml',
          type: 'schemas/our-dataset.json',
          schema: 'schemas/our-dataset.json',
          valid: false,
        },
        {
          path: 'data/gp-practices.yaml',
          type: 'schemas/our-dataset.json',
          schema: 'schemas/our-dataset.json',
          valid: true,
        },
        {
          path: 'data/two-datasets.yaml',
          type: 'schemas/our-dataset.json',
          schema: 'schemas/our-dataset.json',
          valid: false,
        },
        {
          path: 'missing/thing.yaml',
          type: 'schemas/missing.json',
          schema: 'schemas/missing.json',
          valid: false,
        },
        {
          path: 'notschema/thing.yaml',
          type: 'schemas/not-a-schema.json',
          schema: 'schemas/not-a-schema.json',
          valid: false,
        },
        {
          path: 'registers/suppliers.csv',
          type: 'schemas/supplier-row.json',
          schema: 'schemas/supplier-row.json',
          valid: false,
        },
        {
          path: 'remote/thing.yaml',
          type: 'schemas/remote-ref.json',
          schema: 'schemas/remote-ref.json',
          valid: false,
        },
      ],
    });
  });

  it('wants the artefacts, the schemas and the files beside them, and the configuration', () => {
    const config = configOf(files);
    const wanted = artefactsCheck.wants!(Object.keys(files).sort(), config.options.artefacts as never);
    expect(wanted).toEqual(
      expect.arrayContaining([
        'data/clinics.yaml',
        'registers/suppliers.csv',
        'schemas/our-dataset.json',
        'schemas/common.json',
        '.github/openly.yml',
      ]),
    );
    expect(wanted).not.toContain('data/../README.md');
  });
});

describe('what the check asks a remote source for', () => {
  it('asks for the neighbours of a schema at the root, not the whole repository', () => {
    const paths = ['our.schema.json', 'common.json', 'data/a.yaml', 'services/x/config.yaml', 'roadmap.yaml'];
    const wanted = artefactsCheck.wants!(paths, {
      files: [{ path: 'data/*.yaml', schema: 'our.schema.json' }],
    } as never);
    expect(wanted.sort()).toEqual(['common.json', 'data/a.yaml', 'our.schema.json', 'roadmap.yaml']);
  });
});

describe('finding artefacts', () => {
  const repo = {
    ...folder('artefact-check/dated'),
    ...folder('artefact-check/reviews'),
    'docs/notes.md': '# Not an artefact\n',
    'design-history/README.md': '# Our design history\n',
  };

  it('finds artefacts in their usual places when there is no configuration', async () => {
    const result = await judge(repo);
    const found = (result.data!.artefacts as Array<{ path: string; type: string }>).map(
      (a) => `${a.type} ${a.path}`,
    );
    expect(found).toEqual([
      'design-history-entry design-history/2024/2024-05-31-save-and-return.md',
      'risk-register governance/risk-register.yaml',
      'incident-report incidents/incident-2024-05-31-reminders-not-sent.md',
      'playbook playbooks/failed-deploy.md',
      'roadmap roadmap.yaml',
      'standard standards/sign-your-commits.md',
      'weeknote weeknotes/2024-05-30.md',
    ]);
  });

  it('judges only the listed files with detect: false, and a listed type wins over the usual place', async () => {
    const result = await judge(repo, {
      options: { files: [{ path: 'weeknotes/*.md', type: 'design-history-entry' }], detect: false },
    });
    expect(result.data).toEqual({
      artefacts: [{ path: 'weeknotes/2024-05-30.md', type: 'design-history-entry', valid: false }],
    });
    expect(result.findings.map((f) => f.message)).toEqual(['missing required key "date" at the top level.']);
  });

  it('reads the array shorthand and a bare level from .github/openly.yml', async () => {
    const list = parseConfig(
      'artefacts:\n  - path: weeknotes/*.md\n    type: weeknote\n',
      'f',
      configOptions(),
    );
    expect(list.options.artefacts).toEqual({
      files: [{ path: 'weeknotes/*.md', type: 'weeknote' }],
      detect: true,
    });
    const off = parseConfig('artefacts: off\n', 'f', configOptions());
    expect(off.levels.artefacts).toBe('off');
    const result = await judge(repo, { config: off });
    expect(result.status).toBe('skip');
  });
});

describe('formats', () => {
  it('points into a JSON artefact', async () => {
    const json = JSON.stringify(
      {
        title: 'GP opening hours',
        description: 'Hours',
        accessRights: 'PUBLIC',
        contactPoint: 'a@example.nhs.uk',
      },
      null,
      2,
    );
    const result = await judge(
      { 'data/hours.json': json },
      { options: { files: [{ path: 'data/*.json', type: 'data-catalogue-entry' }] } },
    );
    const access = result.findings.find((f) => f.message.startsWith('accessRights'));
    expect(`${access?.line}:${access?.column}`).toBe('4:19');
  });

  it('reads front matter saved on Windows, with a byte-order mark and CRLF line ends', async () => {
    const text = fixture('artefacts/weeknote/valid-week.md').replace(/\n/g, '\r\n');
    const good = await judge({ 'weeknotes/2024-05-31.md': `\uFEFF${text}` }, { now: '2024-06-01' });
    expect(good.findings).toEqual([]);
    const bad = await judge(
      { 'weeknotes/2024-05-31.md': `\uFEFF${text.replace('draft: false', 'draft: yes')}` },
      { now: '2024-06-01' },
    );
    expect(where(bad.findings)).toEqual(['artefacts/schema weeknotes/2024-05-31.md:4:8']);
  });
});

describe('files that cannot be read', () => {
  it('reports binary, invalid UTF-8 and too-large files once each, and judges the rest', async () => {
    const result = await judge(
      {
        'catalogue/data/binary.yaml': new Uint8Array([0x74, 0x69, 0x00, 0x01]),
        'catalogue/data/latin1.yaml': new Uint8Array([0x74, 0x69, 0x74, 0x6c, 0x65, 0x3a, 0x20, 0xe9, 0x0a]),
        'catalogue/data/huge.yaml': `title: ${'x'.repeat(2 * 1024 * 1024)}\n`,
        'roadmap.yaml': fixture('artefacts/roadmap/valid-roadmap.yaml'),
      },
      { now: '2024-06-01' },
    );
    expect(where(result.findings)).toEqual([
      'artefacts/unreadable catalogue/data/binary.yaml::',
      'artefacts/unreadable catalogue/data/huge.yaml::',
      'artefacts/unreadable catalogue/data/latin1.yaml::',
    ]);
    expect(result.findings[1]!.message).toContain('is too large to read');
    expect(result.findings.every((f) => f.severity === 'warning')).toBe(true);
    expect((result.data!.artefacts as Array<{ valid: boolean }>).map((a) => a.valid)).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  it.each([
    [
      'an alias bomb',
      'catalogue/data/bomb.yaml',
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
      'alias bomb',
    ],
    [
      'deep nesting',
      'catalogue/data/deep.yaml',
      `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      'nested more than',
    ],
    ['a duplicate key', 'catalogue/data/twice.yaml', 'title: A\ntitle: B\n', 'the key "title" appears twice'],
    [
      'an unclosed front matter',
      'weeknotes/2024-05-31.md',
      '---\ntitle: Weeknote\n\nNo closing fence.\n',
      'never closed',
    ],
    [
      'bad YAML in front matter',
      'weeknotes/2024-05-31.md',
      '---\ntitle: "Weeknote\nweek_ending: 2024-05-31\n---\n',
      'quoted text is never closed',
    ],
  ])('reports %s as one parse finding and goes on', async (_, path, text, fragment) => {
    const result = await judge(
      { [path]: text, 'roadmap.yaml': fixture('artefacts/roadmap/valid-roadmap.yaml') },
      { now: '2024-06-01' },
    );
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]!.rule).toBe('artefacts/parse');
    expect(result.findings[0]!.path).toBe(path);
    expect(result.findings[0]!.message).toContain(fragment);
    expect(result.findings[0]!.line).toBeGreaterThan(0);
  });

  it('points a parse error in front matter at its line in the whole file', async () => {
    const result = await judge({ 'weeknotes/2024-05-31.md': '---\ntitle: Weeknote\nauthors: [a, b\n---\n' });
    expect(where(result.findings)).toEqual(['artefacts/parse weeknotes/2024-05-31.md:3:10']);
  });

  it('says so when a Markdown artefact has no front matter', async () => {
    const result = await judge({
      'incidents/incident-2024-06-12-slow-search.md': '# Slow search\n\n## Summary\n',
    });
    expect(result.findings.map((f) => `${f.rule} ${f.line}:${f.column} ${f.message}`)[0]).toBe(
      'artefacts/schema 1:1 incidents/incident-2024-06-12-slow-search.md has no front matter, so it cannot be checked against the incident-report schema.',
    );
  });

  it('reads a decision record without front matter from its body, and says what it lacks', async () => {
    const result = await judge({
      'docs/adr/0001-record.md': '# Record decisions\n\n## Context\n\n## Decision\n\n## Consequences\n',
    });
    expect(result.findings.map((f) => `${f.rule} ${f.line}:${f.column} ${f.message}`)).toEqual([
      "artefacts/schema 1:1 docs/adr/0001-record.md does not say the decision's status.",
      'artefacts/schema 1:1 docs/adr/0001-record.md does not say when the decision was made.',
    ]);
  });
});

describe('the check on a snapshot', () => {
  it('never reads a file it did not ask for', async () => {
    const files = folder('artefact-check/custom');
    const config = configOf(files);
    const wanted = new Set(
      artefactsCheck.wants!(Object.keys(files).sort(), config.options.artefacts as never),
    );
    // A remote source fills only what was wanted; the rest is "not fetched".
    const partial = Object.fromEntries(
      Object.entries(files).map(([path, text]) => [path, wanted.has(path) ? text : undefined]),
    );
    const full = await judge(files, { config });
    const fetched = await judge(partial as Record<string, string>, { config });
    expect(fetched.findings).toEqual(full.findings);
    expect(new MemorySnapshot(partial).read('registers/suppliers.csv').kind).toBe('text');
  });
});
