import { readYaml, type ParseYamlOptions, type YamlData } from './yaml.js';

export interface FrontMatter {
  /** The YAML between the fences, with positions in the whole Markdown file; absent when there is no front matter. */
  yaml: YamlData | undefined;
  /** The Markdown after the closing fence (all of it when there is no front matter). */
  body: string;
  /** The 1-based line of the file on which `body` starts. */
  bodyLine: number;
}

const OPENING = /^\ufeff?---[ \t]*\r?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/;

/**
 * Splits a Markdown file into its YAML front matter (between a `---` first line and the next `---` or `...` line)
 * and its body. Positions of the YAML are those of the Markdown file, so messages point at the right line.
 */
export function parseFrontMatter(
  markdown: string,
  options: Omit<ParseYamlOptions, 'lineOffset'> = {},
): FrontMatter {
  const opening = OPENING.exec(markdown);
  if (opening === null) return { yaml: undefined, body: markdown, bodyLine: 1 };
  const rest = markdown.slice(opening[0].length);
  // Line by line up to the closing fence only: the body can be long, and a file is read on every run.
  let start = 0;
  let close = 0;
  for (;;) {
    const end = rest.indexOf('\n', start);
    const first = rest.charAt(start);
    const line = first === '-' || first === '.' ? rest.slice(start, end === -1 ? undefined : end) : '';
    if (line !== '' && CLOSING.test(line.replace(/\r$/, ''))) {
      return {
        yaml: readYaml(rest.slice(0, start), { ...options, lineOffset: 1 }),
        body: end === -1 ? '' : rest.slice(end + 1),
        bodyLine: close + 3,
      };
    }
    if (end === -1) break;
    start = end + 1;
    close += 1;
  }
  const yaml = readYaml('', { ...options, lineOffset: 0 });
  yaml.problems.push({
    line: 1,
    column: 1,
    code: 'UNCLOSED_FRONT_MATTER',
    severity: 'error',
    message:
      'the front matter opened by --- on line 1 is never closed: add a line with only --- after the last field',
  });
  return { yaml, body: '', bodyLine: close + 2 };
}
