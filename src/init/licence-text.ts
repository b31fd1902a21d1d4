import { spdxTexts } from '../licences/corpus.js';

/** A copyright line the licence check's Crown copyright rule accepts (`hasCrownNotice`). */
export function crownLine(year: number, organisation: string): string {
  return `Copyright (c) ${year} Crown Copyright (${organisation})`;
}

/**
 * The copyright lines some licence texts carry for the licensor to fill in: placeholders (`<year> <copyright
 * holders>` in MIT, `<owner>` in BSD, `YEAR by AUTHOR` in 0BSD) or, in ISC, the sample holders SPDX's text keeps.
 * Only the opening lines are looked at: the Free Software Foundation's line at the top of the GPL family is the
 * copyright of the licence's own text and stays, as does the "how to apply" appendix further down.
 */
const FILL_IN =
  /^\s*Copyright\b.*(?:<[^>:/]+>|\[yyyy\]|\bYEAR\b|Internet Systems Consortium|Internet Software Consortium)/i;
const OPENING_LINES = 6;

/** The exact SPDX text of a licence, or undefined when SPDX's data ships no text for the id. */
export function spdxText(id: string): string | undefined {
  return spdxTexts()[id]?.licenseText;
}

/**
 * The licence text with the Crown copyright line: in place of the licence's own fill-in copyright line where it has
 * one near the top (MIT, BSD), otherwise above the unchanged text (Apache-2.0, GPL, OGL), as public-sector
 * repositories write it. The licence's words are SPDX's, unchanged.
 */
export function licenceWithCopyright(text: string, copyright: string): string {
  const lines = text.split('\n');
  const opening = lines.slice(0, OPENING_LINES);
  const at = opening.findIndex((line) => FILL_IN.test(line));
  // ISC has two sample lines one after the other: all of them give way to the one Crown line.
  let end = at + 1;
  while (at !== -1 && end < opening.length && FILL_IN.test(opening[end]!)) end++;
  const body =
    at === -1
      ? `${copyright}\n\n${text}`
      : [...lines.slice(0, at), copyright, ...lines.slice(end)].join('\n');
  return body.endsWith('\n') ? body : `${body}\n`;
}
