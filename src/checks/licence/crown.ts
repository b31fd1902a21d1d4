import { R } from './rules.js';
import type { LicenceRun } from './state.js';
import { list } from './words.js';

/** A copyright notice naming the Crown, not just the words "Crown copyright" inside a licence's terms (OGL has them). */
export function hasCrownNotice(text: string): boolean {
  return text.split(/\r?\n/).some((line) => {
    const l = line.trim().replace(/^[#>*\-\s]+/, '');
    return (
      /^(?:copyright|©|\(c\)).*\bcrown\s+copyright/i.test(l) ||
      /^crown\s+copyright\b\s*(?:©|\(c\))?\s*\d{4}/i.test(l) ||
      /©\s*crown\s+copyright/i.test(l)
    );
  });
}

/** A Crown copyright notice in the root licence file, the README, or a root file such as COPYRIGHT. */
export function checkCrownCopyright(run: LicenceRun): void {
  const places = run.entries
    .filter((e) => e.file.dir === '' && e.text !== undefined)
    .map((e) => ({ path: e.file.path, text: e.text! }));
  const readme = run.rootReadme();
  if (readme !== undefined) places.push(readme);
  if ([...places, ...run.rootNotices].some((p) => hasCrownNotice(p.text))) return;
  const target = places[0]?.path;
  run.findings.push({
    rule: R.crown,
    ...(target === undefined ? {} : { path: target }),
    message: `No Crown copyright notice was found in ${places.length === 0 ? 'the repository (it has no root licence file or README)' : list(places.map((p) => p.path))}.`,
    fix: `Add a copyright line such as "Copyright (c) ${run.ctx.now().getUTCFullYear()} Crown Copyright (<your organisation>)" to the root licence file.`,
  });
}
