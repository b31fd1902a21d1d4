/**
 * Licence expressions written to break the reader: parentheses nested ten thousand deep and expressions of fifty
 * thousand terms, in an SPDX-License-Identifier header, publiccode.yml `legal.license` and a REUSE.toml
 * annotation. Each is judged, with a finding that says what is wrong and quotes only a short excerpt.
 */
import { describe, expect, it } from 'vitest';
import { licenceCheck } from '../../src/checks/licence/index.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { runChecks } from '../../src/core/engine.js';
import type { CheckResult } from '../../src/core/report.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import { licenceText } from '../licences/fixtures.js';

const MIT = licenceText('MIT', 'Copyright (c) 2024 Example Council');
const README = '# Service\n\nReleased under the MIT licence.\n';

async function check(files: Record<string, string>): Promise<CheckResult> {
  const config: ResolvedConfig = {
    levels: {},
    options: { licence: { allowed: ['MIT', 'OGL-UK-3.0'], paths: [] } },
    rules: {},
    sources: [],
  };
  const report = await runChecks({
    snapshot: new MemorySnapshot({ LICENCE: MIT, 'README.md': README, ...files }),
    checks: [licenceCheck],
    config,
    now: () => new Date('2026-03-02T10:00:00Z'),
  });
  return report.results[0]!;
}

const DEEP = `${'('.repeat(10_000)}MIT${')'.repeat(10_000)}`;
const MANY = Array.from({ length: 50_000 }, () => 'MIT').join(' OR ');

function publiccode(license: string): string {
  return `publiccodeYmlVersion: "0.4"\nname: Bins\nlegal:\n  license: "${license}"\n`;
}

function reuse(license: string): string {
  return `version = 1\n\n[[annotations]]\npath = "src/**"\nSPDX-License-Identifier = "${license}"\n`;
}

describe('a licence expression nested 10,000 deep', () => {
  it.each([
    [
      'an SPDX-License-Identifier header',
      { 'src/app.ts': `// SPDX-License-Identifier: ${DEEP}\n` },
      'src/app.ts',
    ],
    ['publiccode.yml legal.license', { 'publiccode.yml': publiccode(DEEP) }, 'publiccode.yml'],
    ['a REUSE.toml annotation', { 'REUSE.toml': reuse(DEEP), 'src/app.ts': 'x\n' }, 'REUSE.toml'],
  ])('in %s is reported as nested too deeply, quoting a short excerpt', async (_where, files, path) => {
    const result = await check(files);
    expect(result.status).not.toBe('error');
    const found = result.findings.filter((f) => f.path === path && /nested too deeply/.test(f.message));
    expect(found, JSON.stringify(result.findings.map((f) => f.message.slice(0, 300)))).toHaveLength(1);
    expect(found[0]!.message.length).toBeLessThan(600);
    expect(found[0]!.message).toContain('… (20,003 characters)');
  });
});

describe('a valid licence expression of 50,000 terms', () => {
  it.each([
    ['an SPDX-License-Identifier header', { 'src/app.ts': `// SPDX-License-Identifier: ${MANY}\n` }],
    ['publiccode.yml legal.license', { 'publiccode.yml': publiccode(MANY) }],
    ['a REUSE.toml annotation', { 'REUSE.toml': reuse(MANY), 'LICENSES/MIT.txt': MIT, 'src/app.ts': 'x\n' }],
  ])('in %s is judged valid and allowed', async (_where, files) => {
    const result = await check(files);
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
  });

  it('that is not allowed is refused with a short message', async () => {
    const refused = `(${MANY}) AND GPL-3.0-only`;
    const result = await check({ 'publiccode.yml': publiccode(refused) });
    const found = result.findings.filter((f) => f.rule === 'licence/not-allowed');
    expect(found).toHaveLength(1);
    expect(found[0]!.message.length).toBeLessThan(600);
    expect(found[0]!.message).toMatch(/GPL-3\.0-only \(.*\) is not allowed/);
  });
});
