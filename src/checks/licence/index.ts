import type { Check, CheckOutput } from '../../core/check.js';
import type { LicenceOptions } from '../../config/types.js';
import { findLicenceFiles, findRootReadmes } from '../../licences/files.js';
import { checkCrownCopyright } from './crown.js';
import { checkDeclarations } from './declarations.js';
import { checkFiles, identify } from './files.js';
import { checkHeadersAndAnnotations, loadHeaders, loadReuse } from './headers.js';
import { checkPaths } from './paths.js';
import { checkReadme } from './readme.js';
import { licenceOptions } from './options.js';
import { licenceRules, R } from './rules.js';
import { LicenceRun } from './state.js';

export { hasCrownNotice } from './crown.js';
export type { LicenceRecord } from './records.js';
export { linkTargets, mentionsLicence } from './readme.js';
export { DEFAULT_ALLOWED_LICENCES } from './options.js';
export { licenceRules } from './rules.js';

/** Every file the check may read, so that a remote source fetches them in one batch. */
function wants(paths: readonly string[]): string[] {
  const wanted = new Set<string>();
  for (const file of findLicenceFiles(paths)) wanted.add(file.path);
  for (const readme of findRootReadmes(paths)) wanted.add(readme);
  for (const path of paths) {
    if (/(^|\/)(node_modules|\.git)\//.test(path)) continue;
    if (
      path === 'package.json' ||
      path.endsWith('/package.json') ||
      path === 'publiccode.yml' ||
      path === 'publiccode.yaml' ||
      path === 'REUSE.toml' ||
      path.endsWith('/REUSE.toml') ||
      path === '.reuse/dep5' ||
      path.endsWith('.license')
    ) {
      wanted.add(path);
    }
  }
  return [...wanted];
}

/** The jobs in order: later ones read what earlier ones found (licence files, REUSE, headers). */
function judge(run: LicenceRun): Record<string, unknown> {
  identify(run);
  checkFiles(run);
  loadReuse(run);
  const needHeaders = run.enabled(R.header) || (run.enabled(R.path) && run.options.paths.length > 0);
  if (needHeaders) loadHeaders(run);
  if (run.enabled(R.header)) checkHeadersAndAnnotations(run);
  if (run.enabled(R.declaration) || run.enabled(R.notAllowed)) checkDeclarations(run);
  if (run.enabled(R.path)) checkPaths(run);
  if (run.enabled(R.crown)) checkCrownCopyright(run);
  if (run.enabled(R.readme)) checkReadme(run);
  return { licences: run.entries.map((e) => e.record) };
}

/**
 * The `licence` check: licence files found and identified, what each covers, REUSE and SPDX headers, package and
 * publiccode declarations, and the organisation's licence policy (allowed licences, licence by path).
 */
export const licenceCheck: Check<LicenceOptions> = {
  id: 'licence',
  title: 'Licence',
  rules: licenceRules,
  options: licenceOptions,
  wants: (paths) => wants(paths),
  run(ctx): CheckOutput {
    const run = new LicenceRun(ctx);
    const data = judge(run);
    return { findings: run.findings, data };
  },
};
