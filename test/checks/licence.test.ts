import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { licenceCheck } from '../../src/checks/licence/index.js';
import type { Level } from '../../src/core/check.js';
import { runChecks } from '../../src/core/engine.js';
import type { CheckResult } from '../../src/core/report.js';
import type { LicenceOptions, ResolvedConfig } from '../../src/config/types.js';
import { openLocalSnapshot } from '../../src/sources/local.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import { licenceText, readFixture } from '../licences/fixtures.js';

const MIT = licenceText('MIT', 'Copyright (c) 2024 Example Council');
const OGL = licenceText('OGL-UK-3.0');
const APACHE = licenceText('Apache-2.0');
const GPL3 = licenceText('GPL-3.0-only');

const OPEN: LicenceOptions = { allowed: ['MIT', 'OGL-UK-3.0', 'Apache-2.0', 'GPL-3.0-only'], paths: [] };
const MIT_OGL_ONLY: LicenceOptions = { allowed: ['MIT', 'OGL-UK-3.0'], paths: [] };

type Files = Record<string, string | Uint8Array | undefined>;

async function check(
  files: Files,
  options: LicenceOptions = OPEN,
  rules: Record<string, Level> = {},
): Promise<CheckResult> {
  const config: ResolvedConfig = { levels: {}, options: { licence: options }, rules, sources: [] };
  const report = await runChecks({
    snapshot: new MemorySnapshot(files),
    checks: [licenceCheck],
    config,
    now: () => new Date('2026-03-02T10:00:00Z'),
  });
  const result = report.results[0]!;
  if (result.status === 'error') throw new Error(result.error);
  return result;
}

function rulesOf(result: CheckResult): string[] {
  return result.findings.map((f) => f.rule);
}

function only(result: CheckResult, rule: string): CheckResult['findings'][number] {
  const found = result.findings.filter((f) => f.rule === rule);
  expect(found, `${rule} findings: ${JSON.stringify(result.findings, null, 1)}`).toHaveLength(1);
  return found[0]!;
}

interface LicenceData {
  path: string;
  spdx: string | null;
  confidence: number;
  scope: string | null;
  method?: string;
}

function licences(result: CheckResult): LicenceData[] {
  return (result.data as { licences: LicenceData[] }).licences;
}

const README = '# Service\n\nReleased under the MIT licence.\n';

describe('licence check: licence files', () => {
  it('passes a root MIT licence and reports it in data', async () => {
    const result = await check({ LICENCE: MIT, 'README.md': README, 'src/index.ts': 'export {};\n' });
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
    expect(licences(result)).toEqual([
      expect.objectContaining({
        path: 'LICENCE',
        spdx: 'MIT',
        confidence: 1,
        scope: '**',
        method: 'full-text',
      }),
    ]);
  });

  it('fails with licence/missing when there is no licence file, saying to add LICENCE at the root', async () => {
    const result = await check({ 'README.md': README, 'src/index.ts': 'export {};\n' });
    expect(result.status).toBe('fail');
    const finding = only(result, 'licence/missing');
    expect(finding.severity).toBe('error');
    expect(finding.fix).toMatch(/LICENCE/);
    expect(finding.fix).toMatch(/LICENSE is accepted/);
    expect(licences(result)).toEqual([]);
  });

  it('counts a licence in a sub-folder only for that folder, not the root', async () => {
    const result = await check({ 'README.md': README, 'docs/LICENCE': OGL });
    expect(only(result, 'licence/missing').message).toMatch(/docs\/LICENCE only covers its own folder/);
    expect(licences(result)).toEqual([expect.objectContaining({ path: 'docs/LICENCE', scope: 'docs/**' })]);
  });

  it.each([
    ['LICENCE', 'MIT'],
    ['LICENSE', 'MIT'],
    ['licence.md', 'MIT'],
    ['License.txt', 'MIT'],
    ['LICENSE.rst', 'MIT'],
    ['COPYING', 'GPL-3.0-only'],
    ['LICENSE.MIT', 'MIT'],
    ['LICENCE-OGL.md', 'OGL-UK-3.0'],
    ['license-mit', 'MIT'],
    ['LICENSE_APACHE', 'Apache-2.0'],
  ])('finds %s at the root and identifies %s', async (name, spdx) => {
    const text = { MIT, 'OGL-UK-3.0': OGL, 'Apache-2.0': APACHE, 'GPL-3.0-only': GPL3 }[spdx]!;
    const result = await check({ [name]: text, 'README.md': '# x\n\nMIT, OGL, Apache or GPL.\n' });
    expect(rulesOf(result)).not.toContain('licence/missing');
    expect(licences(result).map((l) => [l.path, l.spdx, l.scope])).toEqual([[name, spdx, '**']]);
  });

  it('does not take source files named after licences for licence files, nor look in node_modules', async () => {
    const result = await check({
      'src/license.ts': 'export const license = "MIT";\n',
      'tools/licence-checker.py': 'print("MIT")\n',
      'data/licenses.json': '["MIT"]\n',
      'node_modules/left-pad/LICENSE': MIT,
    });
    expect(licences(result)).toEqual([]);
    expect(rulesOf(result)).toContain('licence/missing');
  });

  it('warns about an unrecognised licence file and names the closest candidates with scores', async () => {
    // A council's own variant: the start of the MIT text under another title, then a restriction of its own.
    const mit = licenceText('MIT');
    const variant =
      mit.slice(0, Math.floor(mit.length / 2)).replace(/^MIT License/, 'Riverside Council Licence') +
      '\nThe council may withdraw this permission at any time, and nobody may sell copies.\n';
    const result = await check({ LICENCE: variant, 'README.md': README });
    const finding = only(result, 'licence/unknown');
    expect(finding.severity).toBe('warning');
    expect(finding.path).toBe('LICENCE');
    expect(finding.message).toMatch(/closest are MIT \(0\.\d\d\)/);
    expect(licences(result)[0]).toMatchObject({ path: 'LICENCE', spdx: null });
  });

  it('says when no licence comes close to an unrecognised one', async () => {
    const result = await check({ ...readFixture('unknown'), 'README.md': README });
    expect(only(result, 'licence/unknown').message).toMatch(/no licence on the SPDX list came close/);
  });

  it.each([
    ['a binary file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), /binary/],
    ['a file too large to read', 'x'.repeat(1024 * 1024 + 1), /too large/],
    ['a file not fetched', undefined, /unavailable/],
  ])('reports %s as licence/unreadable, naming it, without crashing', async (_what, content, reason) => {
    const result = await check({ 'LICENCE.md': content, 'README.md': README });
    const finding = only(result, 'licence/unreadable');
    expect(finding.path).toBe('LICENCE.md');
    expect(finding.message).toMatch(reason);
    expect(rulesOf(result)).not.toContain('licence/missing');
    expect(licences(result)).toEqual([
      expect.objectContaining({ path: 'LICENCE.md', spdx: null, confidence: 0 }),
    ]);
  });
});

describe('licence check: policy', () => {
  it('refuses GPL in an organisation that allows only MIT and OGL, naming licence, file and allowed list', async () => {
    const result = await check({ LICENSE: GPL3, 'README.md': '# x\n\nGPL-3.0 licensed.\n' }, MIT_OGL_ONLY);
    const finding = only(result, 'licence/not-allowed');
    expect(finding.severity).toBe('error');
    expect(finding.path).toBe('LICENSE');
    expect(finding.message).toMatch(/GPL-3\.0-only/);
    expect(finding.message).toMatch(/MIT and OGL-UK-3\.0/);
    expect(finding.fix).toMatch(/licence\.allowed/);
  });

  it('accepts GPL-3.0-only text when the policy names GPL-3.0-or-later', async () => {
    const result = await check(
      { LICENSE: GPL3, 'README.md': '# x\n\nGPL licensed.\n' },
      {
        allowed: ['GPL-3.0-or-later'],
        paths: [],
      },
    );
    expect(rulesOf(result)).not.toContain('licence/not-allowed');
  });

  it('lets the rules: config switch a rule off or change its level', async () => {
    const files = { LICENSE: GPL3, 'README.md': '# x\n' };
    const off = await check(files, MIT_OGL_ONLY, { 'licence/not-allowed': 'off', 'licence/readme': 'off' });
    expect(off.findings).toEqual([]);
    const warning = await check(files, MIT_OGL_ONLY, { 'licence/not-allowed': 'warning' });
    expect(only(warning, 'licence/not-allowed').severity).toBe('warning');
    expect(warning.status).toBe('warn');
  });
});

describe('licence check: scope and licence by path', () => {
  const dual = { LICENCE: MIT, 'LICENCE-OGL.md': OGL, 'README.md': '# x\n\nMIT and OGL.\n' };

  it('lets a root MIT + OGL pair satisfy docs/** → OGL-UK-3.0 and src/** → MIT', async () => {
    const result = await check(
      { ...dual, 'docs/guide.md': '# Guide\n', 'src/index.ts': 'export {};\n' },
      {
        ...OPEN,
        paths: [
          { path: 'docs/**', licence: 'OGL-UK-3.0' },
          { path: 'src/**', licence: 'MIT' },
        ],
      },
    );
    expect(result.findings).toEqual([]);
    expect(licences(result).map((l) => [l.path, l.spdx, l.scope])).toEqual([
      ['LICENCE', 'MIT', '**'],
      ['LICENCE-OGL.md', 'OGL-UK-3.0', '**'],
    ]);
  });

  it('gives a nested licence its own folder: packages/a/LICENSE Apache covers packages/a/**', async () => {
    const files = {
      LICENCE: MIT,
      'README.md': README,
      'packages/a/LICENSE': APACHE,
      'packages/a/src/index.ts': 'export {};\n',
      'packages/b/src/index.ts': 'export {};\n',
    };
    const result = await check(files, { ...OPEN, paths: [{ path: 'packages/**', licence: 'MIT' }] });
    expect(licences(result).find((l) => l.path === 'packages/a/LICENSE')).toMatchObject({
      spdx: 'Apache-2.0',
      scope: 'packages/a/**',
    });
    const finding = only(result, 'licence/path');
    expect(finding.message).toMatch(/2 of the 3 files/);
    expect(finding.message).toMatch(/packages\/a\/src\/index\.ts \(Apache-2\.0 from packages\/a\/LICENSE\)/);
    expect(finding.path).toBe('packages/a/LICENSE');
  });

  it('reports a path rule once per glob with a count, examples and a fix naming the licence', async () => {
    const docs = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`docs/page-${i}.md`, `# Page ${i}\n`]),
    );
    const result = await check(
      { LICENCE: MIT, 'README.md': README, ...docs },
      { ...OPEN, paths: [{ path: 'docs/**', licence: 'OGL-UK-3.0' }] },
    );
    const finding = only(result, 'licence/path');
    expect(finding.severity).toBe('error');
    expect(finding.message).toMatch(/OGL-UK-3\.0/);
    expect(finding.message).toMatch(/40 of the 40 files/);
    expect(finding.message).toMatch(/docs\/page-0\.md \(MIT from LICENCE\)/);
    expect(finding.message.match(/docs\/page-\d+\.md/g)).toHaveLength(3);
    expect(finding.fix).toMatch(/docs\/LICENCE/);
    expect(finding.fix).toMatch(/REUSE\.toml/);
  });

  it('says when the files a path rule names have no licence at all', async () => {
    const result = await check(
      { 'docs/a.md': '# A\n' },
      { ...OPEN, paths: [{ path: 'docs/**', licence: 'OGL-UK-3.0' }] },
    );
    expect(only(result, 'licence/path').message).toMatch(/docs\/a\.md \(no licence\)/);
  });
});

describe('licence check: REUSE', () => {
  const reuse = readFixture('reuse');
  const texts = {
    'LICENSES/MIT.txt': licenceText('MIT'),
    'LICENSES/OGL-UK-3.0.txt': OGL,
    'LICENSES/Apache-2.0.txt': APACHE,
    'LICENSES/BSD-3-Clause.txt': licenceText('BSD-3-Clause'),
    'LICENSES/CC-BY-4.0.txt': licenceText('CC-BY-4.0'),
  };
  const tomls = {
    'REUSE.toml': reuse['REUSE.toml']!,
    'docs/REUSE.toml': reuse['docs/REUSE.toml']!,
    'vendor/lib/REUSE.toml': reuse['vendor/lib/REUSE.toml']!,
  };

  it('lists REUSE licence texts with no scope and lets annotations cover what they name', async () => {
    const result = await check(
      {
        LICENCE: MIT,
        'README.md': README,
        ...texts,
        ...tomls,
        'docs/guide.md': '# Guide\n',
        'docs/api/index.md': '# API\n',
      },
      { allowed: [], paths: [{ path: 'docs/*.md', licence: 'OGL-UK-3.0' }] },
    );
    expect(result.findings).toEqual([]);
    expect(licences(result).find((l) => l.path === 'LICENSES/OGL-UK-3.0.txt')).toMatchObject({
      spdx: 'OGL-UK-3.0',
      scope: null,
    });
  });

  it('closest: the nearer docs/REUSE.toml gives MIT, so docs/** → OGL fails for docs/api', async () => {
    const result = await check(
      {
        LICENCE: MIT,
        'README.md': README,
        ...texts,
        ...tomls,
        'docs/guide.md': '# G\n',
        'docs/api/x.md': '# X\n',
      },
      { ...OPEN, paths: [{ path: 'docs/**', licence: 'OGL-UK-3.0' }] },
    );
    expect(only(result, 'licence/path').message).toMatch(/docs\/api\/x\.md \(MIT from docs\/REUSE\.toml\)/);
  });

  it('aggregate: a header and the table both cover the file', async () => {
    const result = await check(
      {
        LICENCE: MIT,
        'README.md': README,
        ...texts,
        ...tomls,
        'assets/logo.svg': '<!-- SPDX-License-Identifier: OGL-UK-3.0 -->\n<svg/>\n',
      },
      {
        allowed: [],
        paths: [
          { path: 'assets/*.svg', licence: 'OGL-UK-3.0' },
          { path: 'assets/*.svg', licence: 'CC-BY-4.0' },
        ],
      },
    );
    expect(result.findings).toEqual([]);
  });

  it('override: the root table beats headers and the deeper REUSE.toml', async () => {
    const result = await check(
      {
        LICENCE: MIT,
        'README.md': README,
        ...texts,
        ...tomls,
        'vendor/lib/index.js': '// SPDX-License-Identifier: BSD-3-Clause\nmodule.exports = {};\n',
      },
      { ...OPEN, paths: [{ path: 'vendor/**', licence: 'BSD-3-Clause' }] },
    );
    const finding = only(result, 'licence/path');
    expect(finding.message).toMatch(/Apache-2\.0 from REUSE\.toml/);
  });

  it('reads legacy .reuse/dep5 stanzas', async () => {
    const result = await check(
      {
        LICENCE: MIT,
        'README.md': README,
        ...texts,
        '.reuse/dep5': reuse['.reuse/dep5']!,
        'docs/guide/intro.md': '# Intro\n',
        'docs/logo.svg': '<svg/>\n',
      },
      { ...OPEN, allowed: [], paths: [{ path: 'docs/**/*.md', licence: 'OGL-UK-3.0' }] },
    );
    expect(result.findings).toEqual([]);
    const failing = await check(
      {
        LICENCE: MIT,
        'README.md': README,
        ...texts,
        '.reuse/dep5': reuse['.reuse/dep5']!,
        'docs/logo.svg': '<svg/>',
      },
      { ...OPEN, allowed: [], paths: [{ path: 'docs/*.svg', licence: 'OGL-UK-3.0' }] },
    );
    expect(only(failing, 'licence/path').message).toMatch(
      /docs\/logo\.svg \(CC-BY-4\.0 from \.reuse\/dep5\)/,
    );
  });

  it('reports a broken REUSE.toml with its line under licence/header', async () => {
    const broken = readFixture('reuse-broken');
    const result = await check({ LICENCE: MIT, 'README.md': README, 'REUSE.toml': broken['REUSE.toml']! });
    const finding = only(result, 'licence/header');
    expect(finding).toMatchObject({ path: 'REUSE.toml', line: 5 });
  });
});

describe('licence check: SPDX headers', () => {
  const headers = readFixture('headers');

  it('flags a header with an unknown id, a header outside the policy, and a missing LICENSES text', async () => {
    const result = await check(
      { LICENCE: MIT, 'README.md': README, ...headers, 'LICENSES/MIT.txt': licenceText('MIT') },
      MIT_OGL_ONLY,
    );
    const found = result.findings.filter((f) => f.rule === 'licence/header');
    const unknown = found.find((f) => f.message.includes('Council-Open-Licence'));
    expect(unknown).toMatchObject({ path: 'src/legacy.ts', line: 2, severity: 'warning' });
    const refused = found.find((f) => f.message.includes('not allow'));
    expect(refused).toMatchObject({ path: 'src/copied.ts', line: 3 });
    const noText = found.filter((f) => f.message.includes('no LICENSES/'));
    expect(noText.map((f) => f.message.match(/LICENSES\/[\w.-]+\.txt/)?.[0]).sort()).toEqual([
      'LICENSES/GPL-3.0-or-later.txt',
      'LICENSES/OGL-UK-3.0.txt',
    ]);
    // The OGL text is missing in two places (a Markdown header and an SVG's .license companion): one finding.
    expect(noText.find((f) => f.message.includes('OGL'))!.message).toMatch(/and 1 more place\b/);
    // `export const TAG = 'SPDX-License-Identifier:'` in src/tag.ts is code, not a header.
    expect(found.some((f) => f.path === 'src/tag.ts' && f.line === 3)).toBe(false);
  });

  it('asks for LICENSES/ texts only when the repository itself follows REUSE, not for a nested REUSE.toml', async () => {
    const files = {
      LICENCE: MIT,
      'README.md': README,
      'src/a.ts': '// SPDX-License-Identifier: MIT\nexport {};\n',
      'vendor/widget/REUSE.toml': 'version = 1\n',
    };
    expect((await check(files)).findings).toEqual([]);
    const reuseRoot = await check({ ...files, 'REUSE.toml': 'version = 1\n' });
    expect(only(reuseRoot, 'licence/header').message).toMatch(/no LICENSES\/MIT\.txt/);
  });

  it('accepts a GPL-3.0-or-later header where the policy allows GPL-3.0-only', async () => {
    const files = {
      LICENCE: MIT,
      'README.md': README,
      'src/a.ts': '// SPDX-License-Identifier: GPL-3.0-or-later\n',
    };
    expect((await check(files, { allowed: ['MIT', 'GPL-3.0-only'], paths: [] })).findings).toEqual([]);
    expect(rulesOf(await check(files, MIT_OGL_ONLY))).toEqual(['licence/header']);
  });

  it("takes a REUSE text's id from its name when the text is a licence of the project's own", async () => {
    const council = readFixture('unknown')['LICENCE']!;
    const result = await check(
      {
        LICENCE: MIT,
        'README.md': README,
        'LICENSES/MIT.txt': licenceText('MIT'),
        'LICENSES/LicenseRef-Riverside.txt': council,
        'src/internal.ts': '// SPDX-License-Identifier: LicenseRef-Riverside\n',
      },
      { allowed: [], paths: [] },
    );
    expect(result.findings).toEqual([]);
    expect(licences(result).find((l) => l.path === 'LICENSES/LicenseRef-Riverside.txt')).toMatchObject({
      spdx: 'LicenseRef-Riverside',
      method: 'file-name',
      scope: null,
    });
  });

  it('notices a REUSE licence text that holds a different licence from its name', async () => {
    const result = await check(
      { LICENCE: MIT, 'README.md': README, 'LICENSES/MIT.txt': APACHE },
      { allowed: [], paths: [] },
    );
    const finding = only(result, 'licence/header');
    expect(finding.path).toBe('LICENSES/MIT.txt');
    expect(finding.message).toMatch(/Apache-2\.0/);
  });

  it('lets headers and .license companions cover their files for path rules', async () => {
    const result = await check(
      { LICENCE: MIT, 'README.md': README, ...headers },
      { ...OPEN, paths: [{ path: 'docs/**', licence: 'OGL-UK-3.0' }] },
      { 'licence/header': 'off' },
    );
    // docs/diagram.svg.license itself is not licensed as OGL by anything but the root MIT.
    const finding = only(result, 'licence/path');
    expect(finding.message).toMatch(/1 of the 3 files/);
    expect(finding.message).toMatch(/docs\/diagram\.svg\.license \(MIT from LICENCE\)/);
  });
});

describe('licence check: declarations', () => {
  const declarations = readFixture('declarations');

  it('warns when package.json names a licence the licence file does not give, naming both sides', async () => {
    const files = { LICENCE: MIT, 'README.md': README, ...declarations, 'packages/a/LICENCE.md': MIT };
    const result = await check(files, OPEN);
    const found = result.findings.filter((f) => f.rule === 'licence/declaration');
    const mismatch = found.find((f) => f.path === 'package.json')!;
    expect(mismatch).toMatchObject({ severity: 'warning', line: 6 });
    expect(mismatch.message).toMatch(/Apache-2\.0/);
    expect(mismatch.message).toMatch(/LICENCE/);
    expect(mismatch.message).toMatch(/MIT/);
    // SEE LICENSE IN a file that is there is fine; one that is not is reported.
    expect(found.some((f) => f.path === 'packages/a/package.json')).toBe(false);
    expect(found.find((f) => f.path === 'packages/b/package.json')!.message).toMatch(/TERMS\.md/);
    // The legacy `licenses` array gets a notice suggesting the SPDX form.
    expect(found.find((f) => f.path === 'packages/c/package.json')).toMatchObject({
      severity: 'notice',
      line: 4,
    });
    expect(found.find((f) => f.path === 'packages/d/package.json')!.message).toMatch(/UNLICENSED/);
  });

  it('accepts SEE LICENSE IN pointing at an existing file', async () => {
    const result = await check({
      LICENCE: MIT,
      'README.md': README,
      'packages/a/package.json': declarations['packages/a/package.json']!,
      'packages/a/LICENCE.md': MIT,
    });
    expect(result.findings).toEqual([]);
  });

  it('agrees with publiccode.yml legal.license: MIT AND OGL-UK-3.0 when both licence files are there', async () => {
    const publiccode = readFixture('publiccode');
    const readme = '# x\n\nCode under MIT, documentation under the Open Government Licence.\n';
    const both = await check({ LICENCE: MIT, 'LICENCE-OGL.md': OGL, 'README.md': readme, ...publiccode });
    expect(both.findings).toEqual([]);
    const mitOnly = await check({ LICENCE: MIT, 'README.md': README, ...publiccode });
    const finding = only(mitOnly, 'licence/declaration');
    expect(finding).toMatchObject({ path: 'publiccode.yml', line: 12 });
    expect(finding.message).toMatch(/OGL-UK-3\.0 has no licence file/);
  });

  it('reports an invalid expression as an error with its file and line', async () => {
    const result = await check({ LICENCE: MIT, 'README.md': README, ...readFixture('invalid-expression') });
    const found = result.findings.filter((f) => f.rule === 'licence/declaration');
    expect(found.map((f) => [f.path, f.line, f.severity])).toEqual([
      ['package.json', 5, 'error'],
      ['publiccode.yml', 6, 'error'],
    ]);
    expect(result.status).toBe('fail');
  });

  it.each<[string, string, { line?: number; severity: string }]>([
    ['a number', 'legal:\n  license: 42\n', { line: 2, severity: 'error' }],
    ['a list', 'legal:\n  license:\n    - MIT\n', { severity: 'error' }],
    ['an empty value', 'name: x\nlegal:\n  license:\n', { line: 3, severity: 'error' }],
  ])('reports a publiccode.yml legal.license that is %s as no SPDX expression', async (_, text, where) => {
    const result = await check({ LICENCE: MIT, 'README.md': README, 'publiccode.yml': text });
    const finding = only(result, 'licence/declaration');
    expect(finding).toMatchObject({ path: 'publiccode.yml', ...where });
    expect(finding.message).toMatch(/it is not a string/);
    // A list spans lines: the finding names the file, not a line of it.
    if (where.line === undefined) expect(finding.line).toBeUndefined();
  });

  it.each([
    ['a key written twice', 'legal:\n  license: MIT\n  license: GPL-3.0-only\n'],
    ['broken YAML', 'legal:\n  license: "MIT\n'],
    ['no legal.license', 'legal:\n  mainCopyrightOwner: Example Council\n'],
  ])('leaves a publiccode.yml with %s to the artefacts check', async (_, text) => {
    const result = await check({ LICENCE: MIT, 'README.md': README, 'publiccode.yml': text }, MIT_OGL_ONLY);
    expect(rulesOf(result)).toEqual([]);
  });

  it('refuses a declared licence outside the policy', async () => {
    const result = await check(
      { LICENCE: MIT, 'README.md': README, 'package.json': '{\n  "license": "MIT OR GPL-3.0-only"\n}\n' },
      MIT_OGL_ONLY,
    );
    expect(rulesOf(result)).not.toContain('licence/not-allowed');
    const strict = await check(
      { LICENCE: MIT, 'README.md': README, 'package.json': '{\n  "license": "MIT AND GPL-3.0-only"\n}\n' },
      MIT_OGL_ONLY,
    );
    expect(only(strict, 'licence/not-allowed')).toMatchObject({ path: 'package.json', line: 2 });
  });
});

describe('licence check: README and Crown copyright', () => {
  it.each([
    ['names the licences', 'readme-names', true],
    ['links to the licence file', 'readme-link', true],
    ['only says "see the licence file"', 'readme-silent', false],
  ])('a README that %s (%s) passes: %s', async (_what, fixture, passes) => {
    const result = await check({ 'LICENCE.md': MIT, ...readFixture(fixture) });
    expect(rulesOf(result).includes('licence/readme')).toBe(!passes);
  });

  it('with two root licences, wants both named or linked, and says which one is missing', async () => {
    const files = { LICENCE: MIT, 'LICENCE-OGL.md': OGL };
    const mitOnly = await check({ ...files, 'README.md': '# x\n\nThe code is MIT licensed.\n' });
    const finding = only(mitOnly, 'licence/readme');
    expect(finding.message).toMatch(/OGL-UK-3\.0 \(LICENCE-OGL\.md\) is not named/);
    const linked = await check({
      ...files,
      'README.md': '# x\n\nCode: MIT. Documentation: see [the docs licence](LICENCE-OGL.md).\n',
    });
    expect(linked.findings).toEqual([]);
    const githubLink = await check({
      ...files,
      'README.md':
        '# x\n\n[Code licence](https://github.com/nhsengland/x/blob/main/LICENCE), [docs licence](https://github.com/nhsengland/x/blob/main/LICENCE-OGL.md%20)\n',
    });
    expect(rulesOf(githubLink)).toEqual(['licence/readme']);
  });

  // Real READMEs name a licence in their own words or link to its text on the web: nhsx/open-source-policy's README
  // says its documentation is under the "Open Government 3.0 licence", linked to the National Archives' page.
  it.each([
    ['OGL', 'Published under the Open Government 3.0 licence, © Crown copyright.', true],
    [
      'OGL',
      'Reuse it under [these terms](http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).',
      true,
    ],
    [
      'OGL',
      'Reuse it under [these terms](https://nationalarchives.gov.uk/doc/open-government-licence/version/3).',
      true,
    ],
    ['OGL', 'This service supports open government and transparency.', false],
    [
      'OGL',
      'Reuse it under [these terms](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/2/).',
      false,
    ],
    ['MIT', 'Licensed as described at <https://opensource.org/licenses/MIT>.', true],
    ['MIT', 'See [choosealicense](https://choosealicense.com/licenses/mit/) for what you may do.', true],
    ['MIT', 'See [the terms](https://spdx.org/licenses/MIT.html).', true],
    ['MIT', 'See [the terms](https://www.apache.org/licenses/LICENSE-2.0).', false],
  ])('a %s README saying "%s" names its licence: %s', async (licence, sentence, passes) => {
    const result = await check({
      LICENCE: licence === 'OGL' ? OGL : MIT,
      'README.md': `# Service\n\n${sentence}\n`,
    });
    expect(rulesOf(result).includes('licence/readme')).toBe(!passes);
  });

  it('accepts the licence name in either spelling for OGL', async () => {
    const result = await check({
      LICENCE: OGL,
      'README.md': '# Manual\n\nContent is available under the Open Government License.\n',
    });
    expect(result.findings).toEqual([]);
  });

  it('does not ask for a Crown copyright notice unless the rule is switched on', async () => {
    const files = { LICENCE: MIT, 'README.md': README };
    expect((await check(files)).findings).toEqual([]);
    const on = await check(files, OPEN, { 'licence/crown-copyright': 'error' });
    const finding = only(on, 'licence/crown-copyright');
    expect(finding.path).toBe('LICENCE');
    expect(finding.fix).toMatch(/Copyright \(c\) 2026 Crown Copyright/);
  });

  it('finds a Crown copyright notice in the licence file or the README, but not in the OGL terms', async () => {
    const rules = { 'licence/crown-copyright': 'error' } as const;
    const crownMit = licenceText('MIT', 'Copyright (c) 2024 Crown Copyright (NHS England)');
    expect(rulesOf(await check({ LICENCE: crownMit, 'README.md': README }, OPEN, rules))).toEqual([]);
    expect(rulesOf(await check({ 'LICENCE.md': MIT, ...readFixture('readme-names') }, OPEN, rules))).toEqual(
      [],
    );
    const oglOnly = await check({ LICENCE: OGL, 'README.md': '# x\n\nOGL.\n' }, OPEN, rules);
    expect(rulesOf(oglOnly)).toEqual(['licence/crown-copyright']);
  });
});

describe('licence check: scale', () => {
  it('judges a tree of 20,000 files with nested licences and path rules', async () => {
    const files: Files = {
      LICENCE: MIT,
      'LICENCE-OGL.md': OGL,
      'README.md': README,
      'packages/p7/LICENSE': APACHE,
    };
    for (let p = 0; p < 20; p++) {
      for (let d = 0; d < 20; d++) {
        for (let f = 0; f < 25; f++)
          files[`packages/p${p}/src/d${d}/file-${f}.ts`] = `export const v = ${f};\n`;
      }
    }
    for (let i = 0; i < 10_000; i++) files[`docs/section-${i % 50}/page-${i}.md`] = `# Page ${i}\n`;
    expect(Object.keys(files).length).toBeGreaterThan(20_000);
    const result = await check(files, {
      ...OPEN,
      paths: [
        { path: 'docs/**', licence: 'OGL-UK-3.0' },
        { path: 'packages/**', licence: 'MIT' },
      ],
    });
    const finding = only(result, 'licence/path');
    expect(finding.message).toMatch(/"packages\/\*\*", but 501 of the 10001 files/);
    expect(licences(result).map((l) => [l.path, l.spdx, l.scope])).toEqual([
      ['LICENCE', 'MIT', '**'],
      ['LICENCE-OGL.md', 'OGL-UK-3.0', '**'],
      ['packages/p7/LICENSE', 'Apache-2.0', 'packages/p7/**'],
    ]);
  });
});

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A committed git repository in a temp folder holding `files`, judged by the licence check as the CLI does. */
async function checkRepository(files: Record<string, string>): Promise<CheckResult> {
  const dir = mkdtempSync(join(tmpdir(), 'openly-licence-'));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git(
    '-c',
    'user.email=dev@example.gov.uk',
    '-c',
    'user.name=Dev',
    '-c',
    'commit.gpgsign=false',
    'commit',
    '-qm',
    'First',
  );
  const config: ResolvedConfig = { levels: {}, options: { licence: OPEN }, rules: {}, sources: [] };
  const report = await runChecks({
    snapshot: openLocalSnapshot(dir),
    checks: [licenceCheck],
    config,
    now: () => new Date('2026-03-02T10:00:00Z'),
  });
  const result = report.results[0]!;
  if (result.status === 'error') throw new Error(result.error);
  return result;
}

const REAL = new URL('../fixtures/real/licences/nhsengland-it-standards/', import.meta.url);
const real = (path: string): string => readFileSync(new URL(path, REAL), 'utf8');
const PAGE = 'application-development/common-dev/code-license-and-copyright.md';

describe('licence check: licence files named as licensee finds them', () => {
  it('reports an OGL LICENSE and an MIT-LICENSE.md beside it, both covering the repository', async () => {
    const result = await checkRepository({
      LICENSE: real('LICENSE'),
      'MIT-LICENSE.md': real('MIT-LICENSE.md'),
      [PAGE]: real(PAGE),
      'README.md': '# IT standards\n\nDual licensed: MIT and the Open Government Licence v3.\n',
    });
    expect(licences(result).map((l) => [l.path, l.spdx, l.scope, l.method])).toEqual([
      ['LICENSE', 'OGL-UK-3.0', '**', 'full-text'],
      ['MIT-LICENSE.md', 'MIT', '**', 'full-text'],
    ]);
    // The standards page names MIT and OGL but grants nothing: it is neither a licence of its folder nor unknown.
    expect(result.findings).toEqual([]);
  });

  it.each([
    ['LICENSE-MIT.txt', MIT, 'MIT'],
    ['MIT-LICENSE', MIT, 'MIT'],
    ['LICENSE.APACHE', APACHE, 'Apache-2.0'],
    ['COPYING.LESSER', licenceText('LGPL-3.0-only'), 'LGPL-3.0-only'],
    ['Apache-LICENSE-2.0.txt', APACHE, 'Apache-2.0'],
    ['docs/code-licence-and-copyright.md', OGL, 'OGL-UK-3.0'],
  ])('counts %s when it holds a licence', async (path, text, spdx) => {
    const result = await check({
      LICENCE: MIT,
      [path]: text,
      'README.md': '# x\n\nMIT, OGL, Apache, LGPL.\n',
    });
    expect(licences(result).find((l) => l.path === path)).toMatchObject({ spdx });
    expect(rulesOf(result)).not.toContain('licence/unknown');
  });

  it('passes over quietly a file named like a licence whose text is none, unless it has the usual name', async () => {
    const notes = '# Notes\n\nWe still have to choose how to license the data exports.\n';
    const result = await check({
      LICENCE: MIT,
      'README.md': README,
      'docs/licence-notes.md': notes,
      'LICENCE-DATA.md': notes,
      COPYRIGHT: 'Copyright (c) 2024 Crown Copyright (NHS England)\n',
      'docs/LICENSE': notes,
    });
    expect(licences(result).map((l) => [l.path, l.spdx])).toEqual([
      ['LICENCE', 'MIT'],
      ['docs/LICENSE', null],
    ]);
    expect(only(result, 'licence/unknown').path).toBe('docs/LICENSE');
  });

  it('names a root file called like a licence that holds none when saying the licence is missing', async () => {
    const own = 'Riverside Council Licence\n\nYou may read this code. You may not copy it.\n';
    const result = await check({ 'LICENSE-COUNCIL.md': own, 'README.md': README });
    expect(only(result, 'licence/missing').message).toMatch(
      /LICENSE-COUNCIL\.md is named like a licence file, but no licence could be identified in it/,
    );
    expect(licences(result)).toEqual([]);
  });

  it("does not let a page about licensing in a folder stand for that folder's licence", async () => {
    const result = await check(
      {
        LICENCE: MIT,
        'LICENCE-OGL.md': OGL,
        'README.md': '# x\n\nMIT and OGL.\n',
        'docs/code-licence-and-copyright.md': real(PAGE),
        'docs/guide.md': '# Guide\n',
      },
      { ...OPEN, paths: [{ path: 'docs/**', licence: 'OGL-UK-3.0' }] },
    );
    expect(licences(result).map((l) => l.path)).toEqual(['LICENCE', 'LICENCE-OGL.md']);
    expect(result.findings).toEqual([]);
  });

  it('finds a Crown copyright notice in a root COPYRIGHT file that holds no licence', async () => {
    const result = await check(
      {
        LICENCE: licenceText('MIT'),
        COPYRIGHT: 'Copyright (c) 2024 Crown Copyright (NHS England)\n',
        'README.md': README,
      },
      OPEN,
      { 'licence/crown-copyright': 'warning' },
    );
    expect(rulesOf(result)).not.toContain('licence/crown-copyright');
  });

  it("leaves out lists of bundled dependencies' licences", async () => {
    const result = await check({
      LICENCE: MIT,
      'README.md': README,
      'THIRD_PARTY_LICENSES.txt': GPL3,
      'LICENSE-3RD-PARTY.txt': GPL3,
    });
    expect(licences(result).map((l) => l.path)).toEqual(['LICENCE']);
  });
});

describe('licence check: wants', () => {
  it('asks for licence files under every name it recognises, pages about licensing included', () => {
    const paths = [
      'LICENSE',
      'MIT-LICENSE.md',
      PAGE,
      'LICENSE.APACHE',
      'licensing-guidance.md',
      'src/license.ts',
    ];
    expect(licenceCheck.wants!(paths, OPEN).sort()).toEqual(
      ['LICENSE', 'LICENSE.APACHE', 'MIT-LICENSE.md', PAGE].sort(),
    );
  });

  it('asks for every file it will read except those only grepped for headers', () => {
    const paths = [
      'LICENCE',
      'LICENSES/MIT.txt',
      'README.md',
      'docs/README.md',
      'package.json',
      'packages/a/package.json',
      'node_modules/x/package.json',
      'publiccode.yml',
      'REUSE.toml',
      'docs/REUSE.toml',
      '.reuse/dep5',
      'img/logo.png.license',
      'src/index.ts',
    ];
    expect(licenceCheck.wants!(paths, OPEN).sort()).toEqual(
      [
        '.reuse/dep5',
        'LICENCE',
        'LICENSES/MIT.txt',
        'README.md',
        'REUSE.toml',
        'docs/REUSE.toml',
        'img/logo.png.license',
        'package.json',
        'packages/a/package.json',
        'publiccode.yml',
      ].sort(),
    );
  });
});
