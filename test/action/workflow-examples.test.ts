import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/action/inputs.js';

type Json = Record<string, unknown>;
interface Step {
  uses?: string;
  with?: Record<string, string | number | boolean>;
}

const manifest = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

/** The YAML blocks of a document that are whole workflows (they have `jobs:`). */
function workflows(file: string): Json[] {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => parse(m[1]!) as unknown)
    .filter((doc): doc is Json => typeof doc === 'object' && doc !== null && 'jobs' in doc);
}

function openlySteps(workflow: Json): Step[] {
  return Object.values(workflow.jobs as Record<string, { steps: Step[] }>)
    .flatMap((job) => job.steps)
    .filter((step) => step.uses?.startsWith('openly-dev/openly@') === true);
}

/** The actions/create-github-app-token step whose token `token` (`${{ steps.ID.outputs.token }}`) is. */
function appTokenStep(workflow: Json, token: string): (Step & { id?: string }) | undefined {
  const id = /^\$\{\{\s*steps\.([\w-]+)\.outputs\.token\s*\}\}$/.exec(token)?.[1];
  return Object.values(workflow.jobs as Record<string, { steps: (Step & { id?: string })[] }>)
    .flatMap((job) => job.steps)
    .find((step) => step.id === id && step.uses?.startsWith('actions/create-github-app-token@') === true);
}

/**
 * The permissions each mode needs at the least, as docs/action.md states them. Every mode reads the open milestone
 * for the status page, which needs `issues: read` and `pull-requests: read`; without them each run warns.
 */
const STATUS = ['statuses: write', 'issues: read', 'pull-requests: read'];
const NEEDS: Record<string, string[]> = {
  status: STATUS,
  'release-notes': ['contents: write', ...STATUS],
  milestone: ['contents: write', ...STATUS],
  publish: ['contents: write', ...STATUS],
  auto: ['contents: write', ...STATUS],
  // The audit reads and publishes with a GitHub App's token (checked below): the workflow's own needs nothing.
  audit: [],
  // Commits the exports; it reports no status.
  diagrams: ['contents: write'],
};

describe.each(['README.md', 'docs/action.md'])('the workflows in %s', (file) => {
  const all = workflows(file);

  it('show every mode', () => {
    const modes = new Set(all.flatMap(openlySteps).map((step) => String(step.with?.mode ?? 'auto')));
    expect([...modes].sort()).toEqual(Object.keys(NEEDS).sort());
  });

  it('give only inputs the Action has, with values it accepts', () => {
    for (const step of all.flatMap(openlySteps)) {
      const given = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, String(v)]));
      for (const name of Object.keys(given)) expect(Object.keys(manifest.inputs), name).toContain(name);
      const value = (name: string) => given[name] ?? manifest.inputs[name]?.default ?? '';
      expect(() => readInputs((name) => (name === 'token' ? 'ghs_example' : value(name)))).not.toThrow();
    }
  });

  it('grant each job the permissions its mode needs', () => {
    for (const workflow of all) {
      const granted = Object.entries((workflow.permissions ?? {}) as Record<string, string>).map(
        ([scope, level]) => `${scope}: ${level}`,
      );
      for (const step of openlySteps(workflow)) {
        const mode = String(step.with?.mode ?? 'auto');
        for (const need of NEEDS[mode]!)
          expect(granted, `${String(workflow.name)} (${mode})`).toContain(need);
        if (mode === 'audit') {
          // GITHUB_TOKEN cannot read the organisation's other repositories.
          const app = appTokenStep(workflow, String(step.with?.token ?? ''));
          expect(
            app,
            `${String(workflow.name)}: the token of an actions/create-github-app-token step`,
          ).toBeDefined();
          if (step.with?.['pages-branch'] !== undefined)
            expect(app?.with?.['permission-contents']).toBe('write');
        } else if (step.with?.['pages-branch'] !== undefined) expect(granted).toContain('contents: write');
      }
    }
  });
});
