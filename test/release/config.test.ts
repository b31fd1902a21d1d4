import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checks } from '../../src/checks/index.js';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { resolveReleaseNotesConfig } from '../../src/release/index.js';

const options = { knownRules: new Set(['licence/missing']), checks };

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/release/config/${name}`, import.meta.url), 'utf8');
}

function problems(name: string): string[] {
  try {
    parseConfig(fixture(name), '.github/openly.yml', options);
  } catch (error) {
    if (error instanceof ConfigError)
      return error.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('the release-notes: configuration', () => {
  it('gives the built-in headings, labels and templates when the section is absent', () => {
    const config = resolveReleaseNotesConfig(undefined);
    expect(config.categories.map((category) => category.title)).toEqual([
      'Breaking changes',
      'New features',
      'Deprecated features',
      'Bug fixes',
      'Documentation',
      'Open working',
    ]);
    expect(config).toMatchObject({
      otherTitle: 'Other changes',
      defaultBump: 'patch',
      initialVersion: '0.1.0',
      tagPrefix: 'v',
      line: '- $TITLE (#$NUMBER) by @$AUTHOR',
      artefacts: true,
    });
  });

  it('is read from .github/openly.yml and resolved over the defaults', () => {
    const resolved = parseConfig(fixture('good.yml'), '.github/openly.yml', options);
    const config = resolveReleaseNotesConfig(resolved.options['release-notes']);
    expect(config.categories).toEqual([
      { title: "What's new", labels: ['enhancement', 'feature'] },
      { title: 'Fixes', labels: ['bug'] },
    ]);
    expect(config).toMatchObject({
      otherTitle: '',
      excludeLabels: ['chore'],
      defaultBump: 'minor',
      initialVersion: '1.0.0',
      tagPrefix: '',
      header: 'Changes since $PREVIOUS_TAG:',
      line: '* $TITLE ([#$NUMBER]($URL))',
      contributors: false,
      artefacts: true,
    });
    // Only the minor labels were set: the others keep their defaults.
    expect(config.versionLabels.minor).toEqual(['enhancement']);
    expect(config.versionLabels.major).toContain('breaking');
    // The section is no check: it sets no level.
    expect(resolved.levels['release-notes']).toBeUndefined();
  });

  it('rejects an unknown key under it with the file and line', () => {
    const [problem, ...rest] = problems('unknown-key.yml');
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^\.github\/openly\.yml:5:3: unknown key "exclude-label" in release-notes — did you mean "exclude-labels"\?/,
    );
  });

  it('says what is wrong with a heading and a bump, each at its line', () => {
    const found = problems('bad-category.yml');
    expect(
      found.some(
        (line) => line.startsWith('.github/openly.yml:3:') || line.startsWith('.github/openly.yml:4:'),
      ),
    ).toBe(true);
    expect(found.some((line) => line.startsWith('.github/openly.yml:5:') && line.includes('huge'))).toBe(
      true,
    );
  });

  it('refuses a section that skipped loading, rather than falling back to defaults', () => {
    expect(() => resolveReleaseNotesConfig({ 'default-bump': 'huge' })).toThrow(ConfigError);
    expect(() => resolveReleaseNotesConfig({ colours: true })).toThrow(/colours/);
  });
});
