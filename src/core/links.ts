/**
 * Where Openly's documentation lives; every help link starts here. In the core because the status model names a
 * check's page as well as the sinks that print the links.
 */
export const DOCS_BASE_URL = 'https://github.com/openly-dev/openly/blob/main/docs/';

/** The page that documents every check (a `##` heading each) and every rule (a `###` heading each). */
export const RULES_DOC_URL = `${DOCS_BASE_URL}rules.md`;

/**
 * The anchor GitHub gives a Markdown heading, so that links land on `` ### `licence/missing` ``. GitHub
 * (github-slugger) lowercases the heading's text, drops punctuation and symbols but keeps letters, digits, `-`
 * and `_`, then turns spaces into hyphens; the backticks of a code span are not part of the text.
 */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The documentation of one rule, e.g. `licence/missing` → `…/docs/rules.md#licencemissing`. */
export function ruleDocsUrl(rule: string): string {
  return `${RULES_DOC_URL}#${encodeURIComponent(headingAnchor(rule))}`;
}

/** The documentation of one check, e.g. `licence` → `…/docs/rules.md#licence`. */
export function checkDocsUrl(check: string): string {
  return `${RULES_DOC_URL}#${encodeURIComponent(headingAnchor(check))}`;
}
