import { compileGlob } from '../../core/glob.js';
import { canonicalId, sameLicence } from '../../licences/expression.js';
import { R } from './rules.js';
import type { Coverage, LicenceRun } from './state.js';
import { MAX_EXAMPLES, nameOf } from './words.js';

/** `licence.paths`: every file a policy glob matches is covered by the licence the policy requires there. */
export function checkPaths(run: LicenceRun): void {
  for (const rule of run.options.paths) {
    const required = canonicalId(rule.licence);
    const matcher = compileGlob(rule.path);
    let matched = 0;
    const failing: Array<{ path: string; coverage: Coverage }> = [];
    let failures = 0;
    for (const path of run.paths) {
      run.ctx.checkpoint();
      if (!matcher.test(path) || /(^|\/)(node_modules|\.git)\//.test(path)) continue;
      matched++;
      const coverage = run.coverageOf(path);
      const ok =
        coverage.ids.some((id) => sameLicence(id, required)) ||
        coverage.equivalents.some((id) => sameLicence(id, required));
      if (ok) continue;
      failures++;
      if (failing.length < MAX_EXAMPLES) failing.push({ path, coverage });
    }
    if (failures === 0) continue;
    const examples = failing
      .map(({ path, coverage }) =>
        coverage.ids.length === 0
          ? `${path} (${coverage.via === 'no licence file' ? 'no licence' : `unidentified licence in ${coverage.via}`})`
          : `${path} (${coverage.ids.join(' + ')} from ${coverage.via})`,
      )
      .join('; ');
    const folder = /^([^*?[{]+)\/\*\*$/.exec(rule.path)?.[1];
    run.findings.push({
      rule: R.path,
      ...(failing[0] === undefined ? {} : { path: failing[0].path }),
      message: `The policy requires ${nameOf(required)} for "${rule.path}", but ${failures} of the ${matched} files there ${failures === 1 ? 'is' : 'are'} not covered by it, e.g. ${examples}.`,
      fix:
        folder === undefined
          ? `Cover these files with ${required}: a licence file with its text in their folder, an SPDX-License-Identifier header, or a REUSE.toml annotation for "${rule.path}".`
          : `Add ${folder}/LICENCE with the ${required} text, or a REUSE.toml annotation with path "${rule.path}" and SPDX-License-Identifier "${required}".`,
    });
  }
}
