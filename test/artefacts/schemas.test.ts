import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

// The schema pack under schemas/artefacts/: every schema compiles in ajv's strict mode, documents every
// property for editors, and accepts the realistic files under test/fixtures/artefacts/ while rejecting the
// broken ones for the reason each fixture's first comment gives.

const root = fileURLToPath(new URL('../..', import.meta.url));
const schemaDir = join(root, 'schemas/artefacts');
const fixtureDir = join(root, 'test/fixtures/artefacts');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface IndexEntry {
  type: string;
  schema: string;
  format: 'markdown' | 'yaml' | 'json';
  locations: string[];
  sections: string[];
  filenamePattern?: string;
  dateField?: string;
  dateWeekday?: number;
}

// Other code and organisations' configurations refer to these ids: renaming one is a breaking change.
const TYPES = [
  'design-history-entry',
  'architecture-decision-record',
  'risk-register',
  'incident-report',
  'service-list',
  'data-catalogue-entry',
  'roadmap',
  'weeknote',
  'playbook',
  'standard',
  'requirements-register',
  'release-note',
  'publiccode',
];

function readJson(path: string): JsonObject {
  return JSON.parse(readFileSync(path, 'utf8')) as JsonObject;
}

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // ajv-formats is CommonJS: its plugin is the `default` of what Node's ESM import hands over.
  formats.default(ajv);
  return ajv;
}

const index = readJson(join(schemaDir, 'index.json')) as unknown as {
  version: number;
  artefacts: IndexEntry[];
};
const schemaFiles = readdirSync(schemaDir).filter((f) => f.endsWith('.schema.json'));
const schemas = new Map(
  schemaFiles.map((f) => [f.replace(/\.schema\.json$/, ''), readJson(join(schemaDir, f))]),
);
const entries = new Map(index.artefacts.map((e) => [e.type, e]));

const ajv = newAjv();
for (const schema of schemas.values()) ajv.addSchema(schema);

function validatorFor(type: string) {
  const id = schemas.get(type)?.$id;
  if (typeof id !== 'string') throw new Error(`no schema for ${type}`);
  const validate = ajv.getSchema(id);
  if (!validate) throw new Error(`schema ${id} not compiled`);
  return validate;
}

/** The YAML front matter of a Markdown file: the lines between a leading `---` and the next `---`. */
function frontMatter(text: string): unknown {
  const lines = text.split(/\r?\n/);
  if (lines[0] !== '---') throw new Error('no front matter');
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new Error('front matter not closed');
  return parse(lines.slice(1, end).join('\n'));
}

function load(path: string, format: IndexEntry['format']): unknown {
  const text = readFileSync(path, 'utf8');
  if (format === 'markdown') return frontMatter(text);
  if (format === 'json') return JSON.parse(text);
  return parse(text);
}

/** The fixture's `# invalid: …` comment: first line of a YAML file, first line inside Markdown front matter. */
function invalidComment(path: string): string | undefined {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const line = lines[0] === '---' ? lines[1] : lines[0];
  return line?.startsWith('# invalid: ') ? line : undefined;
}

/** Every place in a schema that declares properties, except constraint-only positions (if/then/else/not). */
function* declaredProperties(node: Json, path: string): Generator<[string, Json]> {
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) yield* declaredProperties(child, `${path}/${i}`);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'if' || key === 'then' || key === 'else' || key === 'not') continue;
    if (key === 'examples' || key === 'enum' || key === 'const') continue;
    if ((key === 'properties' || key === 'patternProperties') && value && typeof value === 'object') {
      for (const [name, sub] of Object.entries(value)) {
        yield [`${path}/${key}/${name}`, sub];
        yield* declaredProperties(sub, `${path}/${key}/${name}`);
      }
      continue;
    }
    yield* declaredProperties(value, `${path}/${key}`);
  }
}

describe('artefact schema pack', () => {
  it('has one schema per artefact type, and index.json lists exactly those types', () => {
    expect([...schemas.keys()].sort()).toEqual([...TYPES].sort());
    expect(index.artefacts.map((e) => e.type)).toEqual(TYPES);
  });

  it.each(TYPES)('%s compiles in ajv strict mode', (type) => {
    expect(() => newAjv().compile(schemas.get(type)!)).not.toThrow();
  });

  it.each(TYPES)('%s has a versioned $id, a title and a description', (type) => {
    const schema = schemas.get(type)!;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`https://openly.dev/schemas/artefacts/${type}/v1`);
    expect(schema.title).toEqual(expect.any(String));
    expect(schema.description).toEqual(expect.any(String));
    expect((schema.description as string).length).toBeGreaterThan(80);
  });

  it.each(TYPES)('%s only shows editors examples that it accepts', (type) => {
    const schema = schemas.get(type)!;
    const wrong: string[] = [];
    for (const [path, sub] of declaredProperties(schema, '#')) {
      const examples = (sub as JsonObject).examples;
      if (!Array.isArray(examples)) continue;
      const validate = ajv.getSchema(`${schema.$id as string}${path}`)!;
      for (const example of examples)
        if (!validate(example)) wrong.push(`${path}: ${JSON.stringify(example)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('gives every schema a different $id', () => {
    const ids = [...schemas.values()].map((s) => s.$id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(TYPES)('%s gives every property a title and a description for editor help', (type) => {
    const missing: string[] = [];
    let count = 0;
    for (const [path, sub] of declaredProperties(schemas.get(type)!, '#')) {
      count++;
      if (sub === true) {
        // `name: true` only appears to satisfy strictRequired beside a conditional `required`.
        missing.push(`${path} (bare true)`);
        continue;
      }
      const s = sub as JsonObject;
      if (typeof s.title !== 'string' || s.title === '') missing.push(`${path} title`);
      if (typeof s.description !== 'string' || s.description === '') missing.push(`${path} description`);
    }
    expect(count).toBeGreaterThan(3);
    expect(missing).toEqual([]);
  });
});

describe('index.json', () => {
  const indexSchema = {
    type: 'object',
    required: ['version', 'artefacts'],
    additionalProperties: false,
    properties: {
      $comment: { type: 'string' },
      version: { const: 1 },
      artefacts: {
        type: 'array',
        items: {
          type: 'object',
          required: ['type', 'schema', 'format', 'locations', 'sections'],
          additionalProperties: false,
          properties: {
            type: { type: 'string', pattern: '^[a-z]+(-[a-z]+)*$' },
            schema: { type: 'string', pattern: '^[a-z-]+\\.schema\\.json$' },
            format: { enum: ['markdown', 'yaml', 'json'] },
            locations: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
            sections: { type: 'array', items: { type: 'string', minLength: 1 } },
            filenamePattern: { type: 'string' },
            dateField: { type: 'string' },
            dateWeekday: { type: 'integer', minimum: 1, maximum: 7 },
          },
          dependentRequired: { filenamePattern: ['dateField'], dateField: ['filenamePattern'] },
        },
      },
    },
  };

  it('has the shape code relies on', () => {
    const validate = newAjv().compile(indexSchema);
    expect(validate(index), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(TYPES)('%s points at a schema file that exists', (type) => {
    const entry = entries.get(type)!;
    expect(entry.schema).toBe(`${type}.schema.json`);
    expect(existsSync(join(schemaDir, entry.schema))).toBe(true);
  });

  it('lists the Markdown sections the domain requires', () => {
    expect(entries.get('architecture-decision-record')!.sections).toEqual([
      'Context',
      'Decision',
      'Consequences',
    ]);
    expect(entries.get('incident-report')!.sections).toEqual([
      'Summary',
      'Impact',
      'Timeline',
      'Root cause',
      'Lessons learned',
    ]);
    for (const entry of index.artefacts) if (entry.format !== 'markdown') expect(entry.sections).toEqual([]);
  });

  // The date in a file name must equal a front-matter date: the pattern finds it, the field holds it.
  it.each([
    ['design-history-entry', '2024-05-31-save-and-return.md', '2024-05-31'],
    ['design-history-entry', 'save-and-return.md', undefined],
    ['incident-report', 'incident-2024-06-12-slow-search.md', '2024-06-12'],
    ['incident-report', '2024-06-12-slow-search.md', undefined],
    ['weeknote', '2024-05-31.md', '2024-05-31'],
    ['weeknote', 'README.md', undefined],
  ])('%s: file name %s carries date %s', (type, name, date) => {
    const entry = entries.get(type)!;
    const match = new RegExp(entry.filenamePattern!).exec(name);
    expect(match?.groups?.date).toBe(date);
  });

  it('names a date field that exists in the schema for every file-name date', () => {
    for (const entry of index.artefacts.filter((e) => e.dateField)) {
      const props = schemas.get(entry.type)!.properties as JsonObject;
      const field = props[entry.dateField!] as JsonObject;
      // One format, or a choice of them (a design history's date may carry a time, as Eleventy reads ISO 8601).
      const formats = Array.isArray(field.anyOf)
        ? (field.anyOf as JsonObject[]).map((branch) => branch.format)
        : [field.format];
      for (const format of formats) expect(['date', 'date-time']).toContain(format);
      expect(new RegExp(entry.filenamePattern!).source).toContain('(?<date>');
    }
  });
});

// What each invalid fixture must be rejected for. `params` narrows it (the missing or unknown key).
const expectedFailures: Record<string, { instancePath: string; keyword: string; params?: JsonObject }> = {
  'design-history-entry/invalid-screenshot-without-text.md': {
    instancePath: '/screenshots/items/1',
    keyword: 'required',
    params: { missingProperty: 'text' },
  },
  'design-history-entry/invalid-impossible-date.md': { instancePath: '/date', keyword: 'format' },
  'architecture-decision-record/invalid-status-done.md': { instancePath: '/status', keyword: 'enum' },
  'architecture-decision-record/invalid-superseded-without-successor.md': {
    instancePath: '',
    keyword: 'required',
    params: { missingProperty: 'superseded_by' },
  },
  'risk-register/invalid-rating-off-grid.yaml': {
    instancePath: '/risks/0/rating',
    keyword: 'const',
    params: { allowedValue: 3 },
  },
  'risk-register/invalid-typo-key.yaml': {
    instancePath: '/risks/0',
    keyword: 'additionalProperties',
    params: { additionalProperty: 'lastreviewed' },
  },
  'risk-register/invalid-likelihood-word.yaml': { instancePath: '/risks/0/likelihood', keyword: 'enum' },
  'incident-report/invalid-resolved-without-time.md': {
    instancePath: '',
    keyword: 'required',
    params: { missingProperty: 'resolved_at' },
  },
  'incident-report/invalid-priority-word.md': { instancePath: '/priority', keyword: 'enum' },
  'incident-report/invalid-time-without-zone.md': { instancePath: '/started_at', keyword: 'format' },
  'service-list/invalid-closed-without-justification.yaml': {
    instancePath: '/services/1',
    keyword: 'required',
    params: { missingProperty: 'justification' },
  },
  'service-list/invalid-typo-key.yaml': {
    instancePath: '/services/0',
    keyword: 'additionalProperties',
    params: { additionalProperty: 'opennes' },
  },
  'service-list/invalid-phase-word.yaml': { instancePath: '/services/0/phase', keyword: 'enum' },
  'data-catalogue-entry/invalid-personal-data-open.yaml': { instancePath: '/accessRights', keyword: 'enum' },
  'data-catalogue-entry/invalid-contact-typo.yaml': {
    instancePath: '',
    keyword: 'additionalProperties',
    params: { additionalProperty: 'contact_point' },
  },
  'data-catalogue-entry/invalid-personal-data-yes.yaml': {
    instancePath: '/fields/0/personal_data',
    keyword: 'type',
  },
  'roadmap/invalid-horizon-word.yaml': { instancePath: '/items/1/horizon', keyword: 'enum' },
  'roadmap/invalid-missing-review.yaml': {
    instancePath: '',
    keyword: 'required',
    params: { missingProperty: 'next_review_due' },
  },
  'weeknote/invalid-draft-yes.md': { instancePath: '/draft', keyword: 'type' },
  'weeknote/invalid-impossible-date.md': { instancePath: '/week_ending', keyword: 'format' },
  'playbook/invalid-review-interval.md': { instancePath: '/review_interval', keyword: 'pattern' },
  'playbook/invalid-missing-owner.md': {
    instancePath: '',
    keyword: 'required',
    params: { missingProperty: 'owner' },
  },
  'standard/invalid-stage-drift.md': { instancePath: '/stage', keyword: 'enum' },
  'standard/invalid-missing-review-date.md': {
    instancePath: '',
    keyword: 'required',
    params: { missingProperty: 'reviewDate' },
  },
  'requirements-register/invalid-lowercase-keyword.yaml': {
    instancePath: '/requirements/0/keyword',
    keyword: 'enum',
  },
  'requirements-register/invalid-statement-without-keyword.yaml': {
    instancePath: '/requirements/0/statement',
    keyword: 'pattern',
  },
  'release-note/invalid-version-two-parts.md': { instancePath: '/version', keyword: 'pattern' },
  'release-note/invalid-missing-date.md': {
    instancePath: '',
    keyword: 'required',
    params: { missingProperty: 'date' },
  },
  'publiccode/invalid-development-status.yml': { instancePath: '/developmentStatus', keyword: 'enum' },
  'publiccode/invalid-version-number.yml': { instancePath: '/publiccodeYmlVersion', keyword: 'type' },
  'publiccode/invalid-contract-without-contractors.yml': {
    instancePath: '/maintenance',
    keyword: 'required',
    params: { missingProperty: 'contractors' },
  },
};

const fixtures = TYPES.flatMap((type) =>
  readdirSync(join(fixtureDir, type))
    .filter((f) => ['.md', '.yaml', '.yml', '.json'].includes(extname(f)))
    .map((f) => ({
      type,
      name: `${type}/${f}`,
      path: join(fixtureDir, type, f),
      valid: f.startsWith('valid-'),
    })),
);

/** True when `error` concerns `path` itself, something inside it, or is a combinator above it. */
function onPath(error: ErrorObject, path: string): boolean {
  if (error.instancePath === path || error.instancePath.startsWith(`${path}/`)) return true;
  const ancestor = path.startsWith(`${error.instancePath}/`);
  return ancestor && !['required', 'additionalProperties'].includes(error.keyword);
}

describe('fixtures', () => {
  it('has a valid and an invalid example of every type, and nothing else', () => {
    for (const type of TYPES) {
      const names = fixtures.filter((f) => f.type === type).map((f) => basename(f.path));
      expect(names.some((n) => n.startsWith('valid-'))).toBe(true);
      expect(names.some((n) => n.startsWith('invalid-'))).toBe(true);
      expect(names.every((n) => /^(valid|invalid)-/.test(n))).toBe(true);
    }
    expect(Object.keys(expectedFailures).sort()).toEqual(
      fixtures
        .filter((f) => !f.valid)
        .map((f) => f.name)
        .sort(),
    );
  });

  it.each(fixtures.filter((f) => f.valid).map((f) => [f.name, f] as const))('%s is valid', (_, fixture) => {
    const validate = validatorFor(fixture.type);
    const ok = validate(load(fixture.path, entries.get(fixture.type)!.format));
    expect(validate.errors ?? [], fixture.name).toEqual([]);
    expect(ok).toBe(true);
    expect(invalidComment(fixture.path)).toBeUndefined();
  });

  it.each(fixtures.filter((f) => !f.valid).map((f) => [f.name, f] as const))(
    '%s is rejected for the reason its comment gives',
    (_, fixture) => {
      expect(invalidComment(fixture.path), 'first line should be "# invalid: <what is wrong>"').toBeDefined();
      const expected = expectedFailures[fixture.name]!;
      const validate = validatorFor(fixture.type);
      expect(validate(load(fixture.path, entries.get(fixture.type)!.format))).toBe(false);
      const errors = validate.errors ?? [];
      expect(errors).toContainEqual(
        expect.objectContaining({
          instancePath: expected.instancePath,
          keyword: expected.keyword,
          ...(expected.params ? { params: expect.objectContaining(expected.params) } : {}),
        }),
      );
      // Nothing else is wrong with the fixture: every error is about the same place.
      expect(errors.filter((e) => !onPath(e, expected.instancePath))).toEqual([]);
    },
  );
});

describe('YAML dates', () => {
  it('reads an unquoted 2024-05-31 as text (YAML 1.2 core schema), so format: date applies', () => {
    const doc = parse('date: 2024-05-31\nstarted_at: 2024-05-31T09:12:00+01:00\n') as JsonObject;
    expect(doc.date).toBe('2024-05-31');
    expect(doc.started_at).toBe('2024-05-31T09:12:00+01:00');
    const validate = validatorFor('design-history-entry');
    expect(validate({ title: 'A post', date: doc.date })).toBe(true);
  });

  it('rejects a date that a YAML 1.1 reader turned into a timestamp object', () => {
    const doc = parse('date: 2024-05-31\n', { version: '1.1' }) as { date: unknown };
    expect(doc.date).toBeInstanceOf(Date);
    const validate = validatorFor('design-history-entry');
    expect(validate({ title: 'A post', date: doc.date })).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/date', keyword: 'type' }),
    );
  });
});

describe('vocabularies', () => {
  const likelihoods = ['Very low', 'Low', 'Medium', 'High', 'Very high'];
  const consequences = ['Minor', 'Significant', 'Considerable', 'Major', 'Catastrophic'];
  // DCB0129 risk matrix: rows are likelihood (Very low … Very high), columns consequence (Minor … Catastrophic).
  const grid = [
    [1, 1, 2, 2, 3],
    [1, 2, 2, 3, 4],
    [2, 2, 3, 3, 4],
    [2, 3, 3, 4, 5],
    [3, 4, 4, 5, 5],
  ];
  const register = (likelihood: string, consequence: string, rating: number) => ({
    risks: [
      {
        id: 'R-1',
        title: 'A risk',
        likelihood,
        consequence,
        rating,
        owner: 'Clinical Safety Officer',
        status: 'open',
        last_reviewed: '2024-05-01',
      },
    ],
  });
  const cells = likelihoods.flatMap((l, i) => consequences.map((c, j) => [l, c, grid[i]![j]!] as const));

  it.each(cells)('risk rating for %s likelihood and %s consequence must be %i', (l, c, rating) => {
    const validate = validatorFor('risk-register');
    expect(validate(register(l, c, rating))).toBe(true);
    expect(validate(register(l.toLowerCase(), c.toLowerCase(), rating))).toBe(true);
    expect(validate(register(l, c, rating === 5 ? 4 : rating + 1))).toBe(false);
  });

  it('checks the residual risk against the grid too', () => {
    const validate = validatorFor('risk-register');
    const doc = register('High', 'Major', 4);
    const residual = { likelihood: 'Low', consequence: 'Major', rating: 1 };
    expect(validate({ risks: [{ ...doc.risks[0], residual }] })).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/risks/0/residual/rating', keyword: 'const' }),
    );
    expect(validate({ risks: [{ ...doc.risks[0], residual: { ...residual, rating: 3 } }] })).toBe(true);
  });

  it.each([
    ['Accepted', true],
    ['accepted', true],
    ['Superseded by ADR-0012', true],
    ['Pending', true],
    // alphagov's ADR template moves a decision from Pending to Approved.
    ['Approved', true],
    ['Pending approval', true],
    ['Done', false],
    ['Completed', false],
  ])('ADR status %s accepted: %s', (status, ok) => {
    expect(validatorFor('architecture-decision-record')({ status, date: '2024-01-01' })).toBe(ok);
  });

  it.each([
    ['Live', true],
    ['live', true],
    ['5. Live', true],
    ['3. Development', true],
    ['3. Development Stage', false],
    ['2. Development', false],
  ])('standard stage %s accepted: %s', (stage, ok) => {
    const doc = {
      title: 'A standard',
      stage,
      created: '2024-01-01',
      lastUpdated: '2024-01-02',
      reviewDate: '2025-01-01',
    };
    expect(validatorFor('standard')(doc)).toBe(ok);
  });

  it('requires a repository link for code that is said to be open', () => {
    const validate = validatorFor('service-list');
    const service = {
      id: 'a',
      name: 'A',
      team: 'T',
      phase: 'live',
      openness: 'open-source',
      contact: 'a@example.gov.uk',
    };
    expect(validate({ services: [service] })).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ instancePath: '/services/0', params: { missingProperty: 'repo' } }),
    );
  });
});

describe('docs/artefacts.md', () => {
  const docs = readFileSync(join(root, 'docs/artefacts.md'), 'utf8');
  const sections = docs.split(/^### /m).slice(1);

  it.each(TYPES)('documents %s with its $id and an example the schema accepts', (type) => {
    const section = sections.find((s) => s.split('\n', 1)[0]!.endsWith(`\`${type}\``));
    expect(section, `no "### … — \`${type}\`" heading`).toBeDefined();
    expect(section).toContain(`\`${schemas.get(type)!.$id as string}\``);
    const block = /```(yaml|markdown)\n([\s\S]*?)```/.exec(section!);
    expect(block).not.toBeNull();
    const example = block![1] === 'markdown' ? frontMatter(block![2]!) : parse(block![2]!);
    const validate = validatorFor(type);
    const ok = validate(example);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});
