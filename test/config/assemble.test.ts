import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { checks, configOptions } from '../../src/checks/index.js';
import { assembleConfigSchema } from '../../src/config/assemble.js';
import { loadConfig } from '../../src/config/load.js';
import type { AnyCheck, CheckOptionsSpec, JsonSchema } from '../../src/core/check.js';
import { runChecks } from '../../src/core/engine.js';
import { openLocalSnapshot } from '../../src/sources/local.js';
import { commitAll, initRepo, useTempDirs, writeFiles } from '../support/cli.js';

const tempDir = useTempDirs('openly-assemble-');

type Node = Record<string, unknown>;

function committedSchema(): Node {
  return JSON.parse(
    readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8'),
  ) as Node;
}

interface LinkOptions {
  'max-links': number;
  hosts: string[];
}

/** A check that exists only in this test: the shape a new check's options take. */
const linkOptions: CheckOptionsSpec<LinkOptions> = {
  schema: {
    title: 'links check',
    description:
      'Checks links in Markdown. Give a level (error, warning, off) or a mapping with a level and options.',
    oneOf: [
      { $ref: '#/$defs/checkLevel' },
      {
        title: 'links check settings',
        description: 'The level of the links check and its options.',
        type: 'object',
        additionalProperties: false,
        properties: {
          level: { $ref: '#/$defs/checkLevel' },
          'max-links': {
            title: 'most links',
            description: 'How many links are followed at most.',
            type: 'integer',
            minimum: 1,
          },
          hosts: { $ref: '#/$defs/hostList' },
        },
      },
    ],
  },
  defs: {
    hostList: {
      title: 'hosts',
      description: 'Host names whose links are judged, such as www.gov.uk.',
      type: 'array',
      items: { title: 'host', description: 'A host name.', type: 'string', minLength: 1 },
    },
  },
  defaults: () => ({ 'max-links': 100, hosts: ['www.gov.uk'] }),
};

const seen: unknown[] = [];

const linksCheck: AnyCheck = {
  id: 'links',
  title: 'Links',
  rules: { 'links/broken': { level: 'warning', description: 'Links in Markdown lead somewhere.' } },
  options: linkOptions,
  run(ctx) {
    seen.push(ctx.options);
    return [];
  },
};

describe('the configuration schema', () => {
  it('is committed as the checks declare it (run `npm run schema` after changing a check or the base)', () => {
    const assembled = assembleConfigSchema(checks);
    // Compared as text, so that a key moved to another place is a difference too.
    expect(
      JSON.stringify(committedSchema(), null, 2),
      'schemas/config.schema.json is not the schema the registered checks declare: run `npm run schema` and commit the file',
    ).toBe(JSON.stringify(assembled, null, 2));
  });

  it('has one key per registered check, in report order, between the settings and release-notes, audit and fix', () => {
    expect(Object.keys(assembleConfigSchema(checks).properties as Node)).toEqual([
      '_extends',
      'exclude',
      'rules',
      ...checks.map((check) => check.id),
      'release-notes',
      'audit',
      'fix',
    ]);
  });
});

describe('a check added to the registry', () => {
  const registry = [...checks, linksCheck];

  it('has its key and its definitions in the assembled schema, which validates its options', () => {
    const schema = assembleConfigSchema(registry);
    const properties = schema.properties as Record<string, JsonSchema>;
    expect(properties.links).toEqual(linkOptions.schema);
    expect(Object.keys(properties).slice(-4)).toEqual(['links', 'release-notes', 'audit', 'fix']);
    expect((schema.$defs as Node).hostList).toEqual(linkOptions.defs!.hostList);
    // The registered checks' schema is unchanged by the newcomer.
    expect(properties.licence).toEqual((committedSchema().properties as Node).licence);

    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
    expect(validate({ links: { level: 'warning', 'max-links': 20, hosts: ['www.nhs.uk'] } })).toBe(true);
    expect(validate({ links: 'off', licence: 'warning' })).toBe(true);
    expect(validate({ links: { 'max-link': 20 } })).toBe(false);
    expect(validate({ links: { 'max-links': 0 } })).toBe(false);
  });

  it('gets its defaults in a loaded configuration, fresh for every load', async () => {
    const root = tempDir();
    initRepo(root);
    writeFiles(root, { '.github/openly.yml': 'licence: warning\n', 'README.md': '# Bins\n' });
    commitAll(root);
    const load = () => loadConfig({ root, files: openLocalSnapshot(root), ...configOptions(registry) });

    const config = load();
    expect(config.levels.licence).toBe('warning');
    expect(config.options.links).toEqual({ 'max-links': 100, hosts: ['www.gov.uk'] });
    (config.options.links as LinkOptions).hosts.push('example.com');
    expect(load().options.links).toEqual({ 'max-links': 100, hosts: ['www.gov.uk'] });

    // …and the check is handed them when it runs.
    seen.length = 0;
    await runChecks({ snapshot: openLocalSnapshot(root), checks: [linksCheck], config: load() });
    expect(seen).toEqual([{ 'max-links': 100, hosts: ['www.gov.uk'] }]);
  });

  it('is refused when its id is already a key of the configuration', () => {
    expect(() => assembleConfigSchema([...checks, { ...linksCheck, id: 'rules' }])).toThrow(
      'The check "rules" cannot have a configuration key: "rules" is already one; rename the check.',
    );
    expect(() => assembleConfigSchema([...checks, { ...linksCheck, id: 'licence' }])).toThrow(/"licence"/);
  });

  it('is refused when it defines a shared definition differently', () => {
    const clash: AnyCheck = {
      ...linksCheck,
      options: {
        ...linkOptions,
        defs: { spdxId: { title: 'id', description: 'Another id.', type: 'string' } },
      },
    };
    expect(() => assembleConfigSchema([...checks, clash])).toThrow(
      'The check "links" defines $defs/spdxId, which the check "licence" defines differently; give it another name.',
    );
    // The same definition twice is no clash.
    const same: AnyCheck = {
      ...linksCheck,
      options: { ...linkOptions, defs: { spdxId: (committedSchema().$defs as Node).spdxId as JsonSchema } },
    };
    expect(() => assembleConfigSchema([...checks, same])).not.toThrow();
  });
});
