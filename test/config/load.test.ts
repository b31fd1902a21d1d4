import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checks, DEFAULT_CONFIG } from '../../src/checks/index.js';
import { DEFAULT_ALLOWED_LICENCES } from '../../src/checks/licence/index.js';
import {
  ConfigError,
  loadConfig,
  parseConfig,
  resolveConfig,
  validateConfig,
  type ConfigProblem,
} from '../../src/config/load.js';
import { mergeConfig } from '../../src/config/merge.js';
import { parseYaml } from '../../src/parse/yaml.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));
const knownRules = new Set([
  'licence/missing',
  'licence/crown-copyright',
  'licence/not-allowed',
  'community-files/readme',
  'community-files/codeowners',
  'community-files/security',
  'signed-commits/unsigned',
]);
const options = { knownRules, checks };
const SIGNED_COMMITS_DEFAULTS = {
  exempt: [],
  'exempt-bots': true,
  'allow-github-signed': true,
  'merge-commits': true,
};

function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

function problemsOf(text: string, file = 'openly.yml'): ConfigProblem[] {
  try {
    parseConfig(text, file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be rejected');
}

/** Each bad fixture: where the first problem is, and words its message must contain. */
const BAD: Record<string, [position: string, fragment: string]> = {
  'unknown-top-level-key.yml': [
    '2:1',
    'unknown key "licnece" — did you mean "licence"? (allowed here: _extends, exclude, rules, licence, community-files, artefacts, signed-commits, visibility, branch-rules, drafts, secrets, diagrams, release-notes, audit, fix)',
  ],
  'unknown-licence-key.yml': ['3:3', 'unknown key "alowed" in licence — did you mean "allowed"?'],
  'allowed-not-a-list.yml': ['3:12', 'allowed must be a list (found the text "MIT")'],
  'bad-level.yml': [
    '2:10',
    'licence must be one of: error, warning, off (found the text "warn") — did you mean "warning"?',
  ],
  'bad-level-in-mapping.yml': [
    '2:10',
    'level must be one of: error, warning, off (found the text "Error") — did you mean "error"?',
  ],
  'bad-rule-level.yml': [
    '2:28',
    'licence/crown-copyright must be one of: error, warning, notice, off (found the text "eror")',
  ],
  'invalid-spdx-id.yml': ['4:7', '"OGL-3.0" is not an SPDX licence id — did you mean "OGL-UK-3.0"?'],
  'invalid-spdx-id-in-paths.yml': ['4:16', '"MIT License" is not an SPDX licence id — did you mean "MIT"?'],
  'unknown-rule.yml': [
    '3:3',
    'unknown rule "community-files/codeowner" — did you mean "community-files/codeowners"?',
  ],
  'rule-at-top-level.yml': [
    '2:1',
    '"licence/crown-copyright" looks like a rule id: rule levels go under "rules:"',
  ],
  'unclosed-quote.yml': ['2:13', 'a quoted text is never closed: add the closing "'],
  'tab-indentation.yml': ['3:1', 'a tab is used for indentation'],
  'duplicate-key.yml': ['3:1', 'the key "licence" appears twice in the same mapping (first on line 1)'],
  'alias-bomb.yml': ['2:8', 'alias bomb'],
  'too-deep.yml': ['2:110', 'nested more than 100 levels deep'],
  'top-level-list.yml': ['1:1', 'the configuration must be a mapping of settings'],
  'check-as-list.yml': [
    '2:3',
    'licence must be either a level (error, warning, off) or a mapping with the keys level, allowed, paths (found a list)',
  ],
  'empty-check-value.yml': ['1:1', 'licence must be either a level (error, warning, off) or a mapping'],
  'missing-path-licence.yml': ['5:7', 'missing required key "licence" in paths[1]'],
  'two-documents.yml': ['2:1', 'more than one YAML document'],
  'brackets-in-flow-list.yml': [
    '2:20',
    'a value that contains [ ] { } , or : must be in quotes, such as "renovate[bot]"',
  ],
  'duplicate-allowed.yml': ['2:18', 'allowed lists "MIT" twice'],
};

describe('bad configuration files', () => {
  it('has an expectation for every fixture', () => {
    expect(readdirSync(join(FIXTURES, 'bad')).sort()).toEqual(Object.keys(BAD).sort());
  });

  it.each(Object.entries(BAD))('%s is rejected at %s', (name, [position, fragment]) => {
    const problems = problemsOf(fixture(`bad/${name}`), `.github/${name}`);
    const first = problems[0]!;
    expect(`${first.line}:${first.column}`).toBe(position);
    expect(first.message).toContain(fragment);
    expect(first.file).toBe(`.github/${name}`);
  });

  it('lists every problem, not only the first', () => {
    const problems = problemsOf(
      'licnece: error\nlicence:\n  allowed: [MIT, OGL-3.0]\nrules:\n  licence/mising: off\n',
    );
    expect(problems.map((problem) => `${problem.line}:${problem.column}`)).toEqual(['1:1', '3:18', '5:3']);
  });

  it('formats its message as file:line:column: message lines', () => {
    try {
      parseConfig(fixture('bad/unknown-rule.yml'), '.github/openly.yml', options);
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).message).toBe(
        '.github/openly.yml:3:3: unknown rule "community-files/codeowner" — did you mean "community-files/codeowners"? ' +
          '(rules of community-files: community-files/codeowners, community-files/readme, community-files/security)',
      );
    }
  });

  it('accepts LicenseRef- ids and deprecated SPDX ids, but not a LicenseRef with spaces', () => {
    expect(
      validateConfig('licence:\n  allowed: [LicenseRef-Trust-Internal, GPL-3.0]\n', 'f', options),
    ).toEqual([]);
    expect(validateConfig('licence:\n  allowed: ["LicenseRef-our licence"]\n', 'f', options)).toHaveLength(1);
  });
});

describe('good configuration files', () => {
  it('resolves the documented example', () => {
    expect(parseConfig(fixture('good/full.yml'), '.github/openly.yml', options)).toEqual({
      levels: { licence: 'error', 'community-files': 'warning' },
      options: {
        // Checks the file does not mention keep their own defaults (each check's tests say what they are).
        ...DEFAULT_CONFIG.options,
        licence: { allowed: ['MIT', 'OGL-UK-3.0'], paths: [{ path: 'docs/**', licence: 'OGL-UK-3.0' }] },
        'community-files': {},
      },
      rules: { 'licence/crown-copyright': 'error', 'community-files/codeowners': 'warning' },
      sources: ['.github/openly.yml'],
      // Kept so that the CLI and the Action, which do not follow it, can say where it is.
      extends: { value: '.github', file: '.github/openly.yml', line: 2 },
    });
  });

  it('resolves checks given as bare levels, keeping default options', () => {
    const config = parseConfig(fixture('good/levels-only.yml'), 'f', options);
    expect(config.levels).toEqual({ licence: 'warning', 'community-files': 'off' });
    expect(config.options.licence).toEqual({ allowed: [...DEFAULT_ALLOWED_LICENCES], paths: [] });
  });

  it("merges a check's options over the defaults the check declares", () => {
    const config = parseConfig(fixture('good/signed-commits.yml'), 'f', options);
    expect(config.levels['signed-commits']).toBe('warning');
    expect(config.options['signed-commits']).toEqual({
      ...SIGNED_COMMITS_DEFAULTS,
      exempt: ['renovate[bot]', '*@example.gov.uk'],
      'merge-commits': false,
    });
    expect(config.rules).toEqual({ 'signed-commits/unsigned': 'error' });
  });

  it('reads the paths every check leaves out, and refuses a glob that is not text', () => {
    expect(parseConfig(fixture('good/exclude.yml'), 'f', options).exclude).toEqual([
      'vendor/**',
      'test/fixtures/**',
    ]);
    expect(validateConfig('exclude: vendor/**\n', 'f', options)[0]).toMatchObject({ line: 1, column: 10 });
  });

  it('reads a file saved on Windows with a byte-order mark', () => {
    const config = parseConfig(fixture('good/windows-bom.yml'), 'f', options);
    expect(config.options.licence).toEqual({ allowed: ['MIT', 'LicenseRef-NHS-Trust'], paths: [] });
  });

  it.each(['good/empty.yml', 'good/comments-only.yml'])(
    'treats %s as the defaults, naming the file',
    (name) => {
      const config = parseConfig(fixture(name), '.github/openly.yml', options);
      expect(config).toEqual({ ...DEFAULT_CONFIG, sources: ['.github/openly.yml'] });
    },
  );

  it('gives every run its own copy of the defaults', () => {
    const first = parseConfig('', 'f', options);
    (first.options.licence as { allowed: string[] }).allowed.push('CC-BY-NC-4.0');
    first.levels.licence = 'off';
    expect(parseConfig('', 'f', options).options.licence).toEqual(DEFAULT_CONFIG.options.licence);
    expect(DEFAULT_CONFIG.levels.licence).toBe('error');
  });

  it('validates to no problems', () => {
    for (const name of readdirSync(join(FIXTURES, 'good'))) {
      expect(validateConfig(fixture(`good/${name}`), name, options)).toEqual([]);
    }
  });
});

describe('loadConfig', () => {
  const repo = (name: string) => join(FIXTURES, 'repos', name);

  it('reads .github/openly.yml under the root', () => {
    const config = loadConfig({ root: repo('with-yml'), ...options });
    expect(config.sources).toEqual(['.github/openly.yml']);
    expect(config.levels['community-files']).toBe('warning');
  });

  it('reads .github/openly.yaml when that is the spelling used', () => {
    const config = loadConfig({ root: repo('with-yaml'), ...options });
    expect(config.sources).toEqual(['.github/openly.yaml']);
    expect(config.levels.licence).toBe('warning');
  });

  it('uses the defaults, with no sources, when there is no file', () => {
    expect(loadConfig({ root: repo('none'), ...options })).toEqual(DEFAULT_CONFIG);
  });

  it('uses the defaults for an empty file, but says it was read', () => {
    const config = loadConfig({ root: repo('empty-file'), ...options });
    expect(config).toEqual({ ...DEFAULT_CONFIG, sources: ['.github/openly.yml'] });
  });

  it('refuses to guess when both .yml and .yaml exist', () => {
    expect(() => loadConfig({ root: repo('both'), ...options })).toThrow(
      /both \.github\/openly\.yml and \.github\/openly\.yaml exist/,
    );
  });

  it('never falls back to the defaults for an invalid file', () => {
    expect(() => loadConfig({ root: repo('invalid'), ...options })).toThrow(
      /^\.github\/openly\.yml:2:10: licence must be one of/,
    );
  });

  it('reads --config instead of looking in the repository', () => {
    const config = loadConfig({
      root: repo('with-yml'),
      configPath: join(FIXTURES, 'good', 'levels-only.yml'),
      ...options,
    });
    expect(config.levels.licence).toBe('warning');
    expect(config.sources).toHaveLength(1);
    expect(config.sources[0]).toMatch(/levels-only\.yml$/);
  });

  it('fails when the --config file does not exist, even if the repository has one', () => {
    const attempt = () =>
      loadConfig({ root: repo('with-yml'), configPath: join(FIXTURES, 'no-such-file.yml'), ...options });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/no-such-file\.yml: config file not found/);
  });

  it('fails when --config names a folder', () => {
    expect(() => loadConfig({ root: repo('none'), configPath: join(FIXTURES, 'good'), ...options })).toThrow(
      /is not a file/,
    );
  });
});

describe('resolveConfig', () => {
  it('resolves an organisation base merged under a repository file', () => {
    const base = parseYaml(
      'licence:\n  level: error\n  allowed: [MIT, OGL-UK-3.0]\nrules:\n  licence/missing: error\n',
    );
    const repo = parseYaml('_extends: .github\nlicence: warning\nrules:\n  community-files/readme: off\n');
    const config = resolveConfig(mergeConfig(base.value, repo.value), {
      ...options,
      sources: ['my-org/.github:.github/openly.yml', '.github/openly.yml'],
    });
    expect(config).toEqual({
      levels: { licence: 'warning', 'community-files': 'error' },
      options: {
        ...DEFAULT_CONFIG.options,
        licence: { allowed: ['MIT', 'OGL-UK-3.0'], paths: [] },
      },
      rules: { 'licence/missing': 'error', 'community-files/readme': 'off' },
      sources: ['my-org/.github:.github/openly.yml', '.github/openly.yml'],
    });
  });

  it('rejects an invalid object, naming the setting since there is no line to point at', () => {
    expect(() =>
      resolveConfig({ licence: { allowed: ['OGL-3.0'] } }, { ...options, file: 'merged' }),
    ).toThrow('merged: licence.allowed[0]: "OGL-3.0" is not an SPDX licence id — did you mean "OGL-UK-3.0"?');
  });

  it('resolves nothing to the defaults', () => {
    expect(resolveConfig(null, options)).toEqual(DEFAULT_CONFIG);
  });
});
