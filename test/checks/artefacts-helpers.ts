import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artefactsCheck } from '../../src/checks/artefacts.js';
import { configOptions } from '../../src/checks/index.js';
import { parseConfig } from '../../src/config/load.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import type { Finding, Level } from '../../src/core/check.js';
import { runChecks } from '../../src/core/engine.js';
import { fixtureTree } from '../support/fixture-tree.js';
import type { CheckResult } from '../../src/core/report.js';
import { MemorySnapshot, type MemoryFiles } from '../../src/sources/memory.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Every file under a fixture folder, keyed by its path inside it: a small repository in memory. */
export function folder(path: string): MemoryFiles {
  return fixtureTree(path);
}

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export interface JudgeOptions {
  options?: unknown;
  rules?: Record<string, Level>;
  now?: string;
  config?: ResolvedConfig;
}

/** Runs the artefacts check through the engine, as every door does. */
export async function judge(files: MemoryFiles, options: JudgeOptions = {}): Promise<CheckResult> {
  const config: ResolvedConfig = options.config ?? {
    levels: {},
    options: options.options === undefined ? {} : { artefacts: options.options },
    rules: options.rules ?? {},
    sources: [],
  };
  const report = await runChecks({
    snapshot: new MemorySnapshot(files),
    checks: [artefactsCheck],
    config,
    now: () => new Date(options.now ?? '2026-06-01'),
  });
  return report.results[0]!;
}

/** A repository's own `.github/openly.yml`, read and validated as the CLI does. */
export function configOf(files: MemoryFiles): ResolvedConfig {
  const text = files['.github/openly.yml'];
  if (typeof text !== 'string') throw new Error('no .github/openly.yml');
  return parseConfig(text, '.github/openly.yml', configOptions());
}

/** `rule path:line:column` for each finding: what a person sees, in one comparable line. */
export function where(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.rule} ${f.path ?? ''}:${f.line ?? ''}:${f.column ?? ''}`);
}
