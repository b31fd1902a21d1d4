import { describe, expect, it } from 'vitest';
import { checks, DEFAULT_CONFIG } from '../../src/checks/index.js';
import { runChecks } from '../../src/core/engine.js';
import { planInitialFiles, type InitValues } from '../../src/init/plan.js';
import { builtInTemplate, fillTemplate, type TemplateLookup } from '../../src/init/templates.js';
import { MemorySnapshot } from '../../src/sources/memory.js';

const VALUES: InitValues = {
  organisation: 'NHS England',
  securityContact: 'security@example.nhs.uk',
  year: 2026,
};

/** The plan for an in-memory repository, as the App would make it from a snapshot read over the API. */
async function plan(
  files: Record<string, string>,
  values = VALUES,
  templates: TemplateLookup = builtInTemplate,
) {
  const snapshot = new MemorySnapshot(files);
  const report = await runChecks({
    snapshot,
    checks: checks.filter((c) => c.id === 'licence' || c.id === 'community-files'),
    config: DEFAULT_CONFIG,
  });
  return planInitialFiles({
    paths: snapshot.files(),
    results: report.results,
    config: DEFAULT_CONFIG,
    values,
    templates,
  });
}

describe('planInitialFiles', () => {
  it('plans what the checks ask for from the snapshot alone', async () => {
    const result = await plan({
      'README.md': '# Service\n',
      'docs/SECURITY.md': 'Write to security@example.nhs.uk\n',
    });
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => [f.path, f.rule])).toEqual([
      ['LICENCE', 'licence/missing'],
      ['CONTRIBUTING.md', 'community-files/contributing'],
      ['CODE_OF_CONDUCT.md', 'community-files/code-of-conduct'],
      ['.github/openly.yml', 'config'],
    ]);
  });

  it('asks for no value that no planned file needs', async () => {
    const result = await plan(
      {
        LICENSE: 'MIT',
        'CONTRIBUTING.md': 'Hi',
        'CODE_OF_CONDUCT.md': 'Be kind',
        'SECURITY.md': 'security@example.nhs.uk',
        '.github/openly.yml': '',
      },
      { year: 2026 },
    );
    expect(result).toEqual({ files: [], notes: [], problems: [] });
    // SECURITY.md is missing and needs the organisation and the contact: those are the only problems.
    const needed = await plan({ LICENSE: 'MIT' }, { organisation: 'NHS England', year: 2026 });
    expect(needed.problems).toEqual([
      {
        kind: 'missing-value',
        placeholder: 'securityContact',
        source: 'built-in SECURITY.md',
        for: 'SECURITY.md',
      },
    ]);
  });

  it('fills a value that looks like a placeholder as it is, never again', () => {
    const filled = fillTemplate(
      { text: '{{organisation}} / {{securityContact}}', source: 'test' },
      { organisation: 'Team {{securityContact}}', securityContact: 'a@b.uk', year: 2026, licence: 'MIT' },
    );
    expect(filled).toEqual({ text: 'Team {{securityContact}} / a@b.uk' });
  });
});
