import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configOptions } from '../../src/checks/index.js';
import { ConfigError, parseConfig, resolveConfig, type ConfigProblem } from '../../src/config/load.js';
import { mergeConfig } from '../../src/config/merge.js';
import { ARTEFACT_TYPES } from '../../src/config/types.js';
import { configSchema } from '../../src/config/schema.js';

// The `artefacts:` key of .github/openly.yml: a level, a list of files, or a mapping with a level, files and
// detect; each files entry names a pack type or a schema of the repository's own, never both.

const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));
const options = configOptions();

function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

function problemsOf(text: string): ConfigProblem[] {
  try {
    parseConfig(text, '.github/openly.yml', options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}

const BAD: Record<string, [position: string, message: string]> = {
  'artefacts-unknown-type.yml': [
    '3:11',
    'type must be one of: design-history-entry, architecture-decision-record, risk-register, incident-report, service-list, data-catalogue-entry, roadmap, weeknote, playbook, standard, requirements-register, release-note, publiccode (found the text "weeknotes") — did you mean "weeknote"?',
  ],
  'artefacts-type-and-schema.yml': [
    '5:15',
    'artefacts.files[0] gives both "type" and "schema"; keep "type" for a type of Openly\'s pack, or "schema" for your own schema file, not both',
  ],
  'artefacts-neither.yml': [
    '4:7',
    'artefacts.files[0] needs either "type" (a type of Openly\'s pack, such as design-history-entry) or "schema" (a JSON Schema file in the repository, such as schemas/our-dataset.json)',
  ],
  'artefacts-unknown-key.yml': ['3:3', 'unknown key "detection" in artefacts — did you mean "detect"?'],
  'artefacts-path-missing.yml': ['2:5', 'missing required key "path" in artefacts[0]'],
  'artefacts-bad-level.yml': ['1:12', 'artefacts must be'],
};

describe('artefacts in the configuration file', () => {
  it('has an expectation for every bad fixture', () => {
    expect(readdirSync(join(FIXTURES, 'artefacts-bad')).sort()).toEqual(Object.keys(BAD).sort());
  });

  it.each(Object.entries(BAD))('rejects %s at %s, in words', (name, [position, message]) => {
    const problems = problemsOf(fixture(`artefacts-bad/${name}`));
    expect(problems).toHaveLength(1);
    expect(`${problems[0]!.line}:${problems[0]!.column}`).toBe(position);
    expect(problems[0]!.message).toContain(message);
  });

  it('resolves the mapping form: level, detect and files', () => {
    const config = parseConfig(fixture('good/artefacts-mapping.yml'), '.github/openly.yml', options);
    expect(config.levels.artefacts).toBe('warning');
    expect(config.options.artefacts).toEqual({
      detect: false,
      files: [
        { path: 'design-history/**/*.md', type: 'design-history-entry' },
        { path: 'docs/decisions/*.md', type: 'architecture-decision-record' },
        { path: 'data/*.yaml', schema: 'schemas/our-dataset.json' },
        { path: 'registers/suppliers.csv', schema: 'schemas/supplier-row.json', format: 'csv' },
      ],
    });
  });

  it('resolves the list shorthand to files, at the default level', () => {
    const config = parseConfig(fixture('good/artefacts-list.yml'), '.github/openly.yml', options);
    // No level given: the check is not in `levels`, and the engine runs it at error.
    expect(config.levels.artefacts).toBeUndefined();
    expect(config.options.artefacts).toEqual({
      files: [
        { path: 'weeknotes/**/*.md', type: 'weeknote' },
        { path: 'catalogue/*.json', schema: 'schemas/catalogue.schema.json' },
      ],
      detect: true,
    });
  });

  it("keeps an organisation's list of files when a repository only sets the level", () => {
    const base = { artefacts: [{ path: 'adr/*.md', type: 'architecture-decision-record' }] };
    const merged = mergeConfig(base, { artefacts: 'warning' });
    const config = resolveConfig(merged, options);
    expect(config.levels.artefacts).toBe('warning');
    expect(config.options.artefacts).toEqual({ files: base.artefacts, detect: true });
    // …and a repository's list over an organisation's mapping keeps the mapping's level.
    const over = resolveConfig(
      mergeConfig({ artefacts: { level: 'warning', detect: false } }, { artefacts: base.artefacts }),
      options,
    );
    expect(over.levels.artefacts).toBe('warning');
    expect(over.options.artefacts).toEqual({ detect: false, files: base.artefacts });
  });

  it('lists exactly the pack types in the schema, as the pack index does', () => {
    const defs = configSchema().$defs as {
      artefactFiles: { items: { properties: { type: { enum: string[] } } } };
    };
    const index = JSON.parse(
      readFileSync(new URL('../../schemas/artefacts/index.json', import.meta.url), 'utf8'),
    ) as { artefacts: Array<{ type: string }> };
    expect(defs.artefactFiles.items.properties.type.enum).toEqual([...ARTEFACT_TYPES]);
    expect(index.artefacts.map((entry) => entry.type)).toEqual([...ARTEFACT_TYPES]);
  });

  it('knows every artefacts rule id under rules:', () => {
    const config = parseConfig(
      'rules:\n  artefacts/overdue: error\n  artefacts/sections: off\n',
      'f',
      options,
    );
    expect(config.rules).toEqual({ 'artefacts/overdue': 'error', 'artefacts/sections': 'off' });
    expect(problemsOf('rules:\n  artefacts/overdew: error\n')[0]!.message).toContain(
      'did you mean "artefacts/overdue"?',
    );
  });
});
