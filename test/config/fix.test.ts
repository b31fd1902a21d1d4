import { describe, expect, it } from 'vitest';
import { checks } from '../../src/checks/index.js';
import { ConfigError, parseConfig, resolveConfig } from '../../src/config/load.js';
import { mergeConfig } from '../../src/config/merge.js';
import { parseYaml } from '../../src/parse/yaml.js';

const options = { knownRules: new Set<string>(), checks };

function problems(text: string): string[] {
  try {
    parseConfig(text, '.github/openly.yml', options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.line}:${p.column} ${p.message}`);
  }
  throw new Error('expected the configuration to be rejected');
}

describe('fix:', () => {
  it('is off unless a file says pull-request, in either form', () => {
    expect(parseConfig('licence: error\n', 'f.yml', options).fix).toBeUndefined();
    expect(parseConfig('fix: pull-request\n', 'f.yml', options).fix).toEqual({ mode: 'pull-request' });
    const long =
      'fix:\n  mode: pull-request\n  organisation: NHS England\n  security-contact: security@nhs.net\n';
    expect(parseConfig(long, 'f.yml', options).fix).toEqual({
      mode: 'pull-request',
      organisation: 'NHS England',
      securityContact: 'security@nhs.net',
    });
  });

  it('names the line and the values it takes when a value is wrong', () => {
    expect(problems('fix: pull-requests\n')).toEqual([
      '1:6 fix must be one of: pull-request, off (found the text "pull-requests") — did you mean "pull-request"?',
    ]);
    expect(problems('fix:\n  mode: pull-request\n  organization: X\n')[0]).toContain(
      '3:3 unknown key "organization" in fix — did you mean "organisation"?',
    );
    expect(problems('fix:\n  organisation: X\n')).toEqual(['2:3 missing required key "mode" in fix']);
    expect(problems('fix:\n  mode: pull-request\n  security-contact: nobody\n')[0]).toMatch(
      /^3:21 "nobody" is not a valid security contact/,
    );
  });

  it("lets a repository's fix: off switch off the organisation's pull requests and keep its values", () => {
    const base = parseYaml('fix:\n  mode: pull-request\n  organisation: NHS England\n').value;
    const merged = mergeConfig(base, parseYaml('fix: off\n').value);
    expect(resolveConfig(merged, options).fix).toEqual({ mode: 'off', organisation: 'NHS England' });
    const again = mergeConfig(merged, parseYaml('fix: pull-request\n').value);
    expect(resolveConfig(again, options).fix).toEqual({ mode: 'pull-request', organisation: 'NHS England' });
  });
});
