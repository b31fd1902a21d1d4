import { parseYaml, type ParsedYaml, type ParseYamlOptions } from './yaml.js';

export interface FrontMatter {
  /** The YAML between the fences, with positions in the whole Markdown file; absent when there is no front matter. */
  yaml: ParsedYaml | undefined;
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
  const lines = rest.split('\n');
  const close = lines.findIndex((line) => CLOSING.test(line.replace(/\r$/, '')));
  if (close === -1) {
    const yaml = parseYaml('', { ...options, lineOffset: 0 });
    yaml.problems.push({
      line: 1,
      column: 1,
      code: 'UNCLOSED_FRONT_MATTER',
      severity: 'error',
      message:
        'the front matter opened by --- on line 1 is never closed: add a line with only --- after the last field',
    });
    return { yaml, body: '', bodyLine: lines.length + 1 };
  }
  const yamlText = lines.slice(0, close).join('\n');
  return {
    yaml: parseYaml(close === 0 ? '' : `${yamlText}\n`, { ...options, lineOffset: 1 }),
    body: lines.slice(close + 1).join('\n'),
    bodyLine: close + 3,
  };
}
