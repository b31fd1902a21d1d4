// The layer rules of .dependency-cruiser.cjs, run by `npm run lint`, on a small house built for the purpose: every
// arrow that runs back up is reported under its rule, and the arrows the layers allow are not.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useTempDirs, writeFiles } from './support/cli.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tempDir = useTempDirs('openly-layers-');

/** Each file of the house and what it imports. Files named `leaf` import nothing, so no arrow makes a loop by chance. */
const HOUSE: Record<string, string[]> = {
  'src/core/engine.ts': [
    `import { leaf } from '../sinks/leaf.js';`,
    `import { readFileSync } from 'node:fs';`,
  ],
  'src/core/report.ts': [
    `import type { RepoSnapshot } from '../sources/snapshot.js';`,
    `import picomatch from 'picomatch';`,
  ],
  'src/sources/snapshot.ts': [],
  'src/sources/local.ts': [`import { leaf } from '../licences/leaf.js';`],
  'src/sources/github.ts': [
    `import { leaf } from '../checks/leaf.js';`,
    `import { leaf } from '../github/octokit.js';`,
  ],
  'src/github/octokit.ts': [`import { leaf } from '../core/leaf.js';`],
  'src/github/failure.ts': [`import { leaf } from '../sources/local.js';`],
  'src/core/leaf.ts': [],
  'src/licences/leaf.ts': [],
  'src/licences/ids.ts': [`import { leaf } from '../github/octokit.js';`],
  'src/config/load.ts': [
    `import { leaf } from '../checks/leaf.js';`,
    `import { leaf } from '../parse/a.js';`,
  ],
  'src/parse/a.ts': [`import { leaf } from './b.js';`],
  'src/parse/b.ts': [`import type { Leaf } from './a.js';`],
  'src/checks/leaf.ts': [],
  'src/checks/licence.ts': [
    `import { leaf } from '../sources/local.js';`,
    `import type { RepoSnapshot } from '../sources/snapshot.js';`,
    `import { leaf } from '../config/load.js';`,
  ],
  'src/status/model.ts': [
    `import { leaf } from '../sinks/leaf.js';`,
    `import { leaf } from '../checks/leaf.js';`,
  ],
  'src/sinks/leaf.ts': [],
  'src/sinks/audit.ts': [
    `import { leaf } from '../org/audit.js';`,
    `import type { AuditReport } from '../org/types.js';`,
    `import { leaf } from '../status/model.js';`,
  ],
  'src/org/audit.ts': [],
  'src/org/types.ts': [],
  'src/release/notes.ts': [
    `import { leaf } from '../cli/io.js';`,
    `import { leaf } from '../sinks/leaf.js';`,
  ],
  'src/cli/io.ts': [],
  'src/app/judge.ts': [],
  'src/app/index.ts': [`import { leaf } from './judge.js';`, `import { leaf } from '../github/octokit.js';`],
  'src/action/run.ts': [
    `import { leaf } from '../app/judge.js';`,
    `import { leaf } from '../release/notes.js';`,
  ],
  'src/widgets/thing.ts': [`import { leaf } from '../core/leaf.js';`],
};

/** What lint reports on the house: `rule: from → to`. Any arrow not listed here is one the layers allow. */
const EXPECTED = [
  'core-is-the-floor: src/core/engine.ts → src/sinks/leaf.ts',
  'core-is-the-floor: src/core/report.ts → picomatch',
  'sources-read-only: src/sources/github.ts → src/checks/leaf.ts',
  'github-layer-stands-alone: src/github/failure.ts → src/sources/local.ts',
  'basics-stay-below-checks: src/licences/ids.ts → src/github/octokit.ts',
  'github-only-for-readers-and-writers: src/licences/ids.ts → src/github/octokit.ts',
  'basics-stay-below-checks: src/config/load.ts → src/checks/leaf.ts',
  // A loop is reported once, at the import where the cruise found it closing.
  'no-circular: src/parse/a.ts → src/parse/b.ts',
  'checks-ask-the-snapshot: src/checks/licence.ts → src/sources/local.ts',
  'models-before-rendering: src/status/model.ts → src/sinks/leaf.ts',
  'sinks-only-write: src/sinks/audit.ts → src/org/audit.ts',
  'sinks-and-workflows-below-the-doors: src/release/notes.ts → src/cli/io.ts',
  'a-door-is-its-own: src/release/notes.ts → src/cli/io.ts',
  'a-door-is-its-own: src/action/run.ts → src/app/judge.ts',
  'every-folder-has-a-layer: src/widgets/thing.ts → src/core/leaf.ts',
].sort();

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

function cruise(dir: string, ...extra: string[]): { status: number; stdout: string } {
  const bin = `${ROOT}node_modules/dependency-cruiser/bin/dependency-cruise.mjs`;
  const args = [bin, 'src', '--config', `${ROOT}.dependency-cruiser.cjs`, ...extra];
  try {
    return {
      status: 0,
      stdout: execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' }),
    };
  } catch (error) {
    return error as { status: number; stdout: string };
  }
}

describe('the layer rules', () => {
  it('report every import that runs back up, and only those', () => {
    const dir = tempDir();
    writeFiles(dir, {
      'package.json': '{ "type": "module" }\n',
      'tsconfig.json': '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext" } }\n',
      ...Object.fromEntries(
        Object.entries(HOUSE).map(([path, imports]) => [
          path,
          [...imports, 'export const leaf = 1;', 'export type Leaf = number;', ''].join('\n'),
        ]),
      ),
    });

    const { stdout } = cruise(dir, '--output-type', 'json');
    const { violations } = (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary;
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort()).toEqual(EXPECTED);

    // As `npm run lint` runs it: the run fails, naming the rule and the import.
    const lint = cruise(dir);
    expect(lint.status).not.toBe(0);
    expect(lint.stdout).toContain('core-is-the-floor: src/core/engine.ts → src/sinks/leaf.ts');
  }, 60_000);
});
