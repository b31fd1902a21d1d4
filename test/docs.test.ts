import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checks, ruleCatalogue } from '../src/checks/index.js';
import { renderRulesDoc } from '../src/docs/rules-doc.js';
import { headingAnchor, ruleDocsUrl } from '../src/core/links.js';

const committed = readFileSync(new URL('../docs/rules.md', import.meta.url), 'utf8');

describe('docs/rules.md', () => {
  it('is what the checks say (run `npm run docs` after changing a rule)', () => {
    expect(committed).toBe(renderRulesDoc(checks));
  });

  it('has a heading for every rule, where the help links of every report land', () => {
    const anchors = new Set(
      [...committed.matchAll(/^#{2,3} (.+)$/gm)].map((m) => headingAnchor(m[1]!.replace(/`/g, ''))),
    );
    for (const rule of Object.keys(ruleCatalogue())) {
      expect(anchors.has(decodeURIComponent(ruleDocsUrl(rule).split('#')[1]!)), rule).toBe(true);
    }
  });
});

describe('README.md', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('lists every artefact schema of the pack by its $id', () => {
    const index = JSON.parse(
      readFileSync(new URL('../schemas/artefacts/index.json', import.meta.url), 'utf8'),
    ) as { artefacts: Array<{ type: string }> };
    expect(index.artefacts.length).toBeGreaterThan(10);
    for (const { type } of index.artefacts) {
      expect(readme, type).toContain(`https://openly.dev/schemas/artefacts/${type}/v1`);
    }
  });

  it('gives a newcomer the two commands: the example check and the tests', () => {
    expect(readme).toContain('npm ci && npx openly check examples/clinic-finder');
    expect(readme).toMatch(/```sh\nnpm test\n```/);
  });
});
