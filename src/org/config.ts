import {
  CONFIG_FILES,
  ConfigError,
  resolveConfig,
  validateConfig,
  type ConfigOptions,
  type ConfigProblem,
} from '../config/load.js';
import { mergeConfig } from '../config/merge.js';
import type { ResolvedConfig } from '../config/types.js';
import { parseYaml } from '../parse/yaml.js';
import type { BlobData } from './list.js';
import type { ReadFiles } from './read.js';

/** A configuration file's text and where it came from (`org/repo:.github/openly.yml`). */
export interface ConfigText {
  source: string;
  text: string;
}

export type RepositoryConfig = { config: ResolvedConfig } | { problems: ConfigProblem[] };

function problem(file: string, message: string, line = 0, column = 0): ConfigProblem {
  return { file, line, column, message };
}

/** The organisation base's text, or the problem that keeps it from being one. */
export function orgBaseText(
  org: string,
  base: { path: string; blob: BlobData } | undefined,
): ConfigText | ConfigProblem | undefined {
  if (base === undefined) return undefined;
  const source = `${org}/.github:${base.path}`;
  const { text, isBinary, isTruncated } = base.blob;
  if (isTruncated === true) return problem(source, 'is too large for a configuration file');
  if (isBinary === true || typeof text !== 'string')
    return problem(source, 'is not UTF-8 text; save it as UTF-8 YAML');
  return { source, text };
}

function extendsOf(text: string): { value: unknown; line: number; column: number } {
  const parsed = parseYaml(text);
  const value = (parsed.value as { _extends?: unknown } | null)?._extends;
  const where = value === undefined ? { line: 0, column: 0 } : parsed.locate('/_extends');
  return { value, line: where.line, column: where.column };
}

/**
 * `_extends` in the audit: the organisation base is the one base it reads (with the listing, at no cost). A link
 * to any other file is said to be unfollowed, rather than judging the repository by less than its configuration.
 */
function extendsProblem(org: string, config: ConfigText, isBase: boolean): ConfigProblem | undefined {
  const link = extendsOf(config.text);
  if (typeof link.value !== 'string') return undefined;
  const value = link.value.toLowerCase();
  if (!isBase && (value === '.github' || value === `${org.toLowerCase()}/.github`)) return undefined;
  return problem(
    config.source,
    `_extends: "${link.value}" is not followed by \`openly audit\` yet, which reads only the organisation base (${org}/.github); judge this repository with the Openly App, or remove the link`,
    link.line,
    link.column,
  );
}

/** Checks the organisation base once: its problems stop the audit, since every repository would inherit them. */
export function orgBaseProblems(
  org: string,
  base: ConfigText,
  knownRules: ReadonlySet<string>,
): ConfigProblem[] {
  const problems = validateConfig(base.text, base.source, { knownRules });
  if (problems.length > 0) return problems;
  const link = extendsProblem(org, base, true);
  return link === undefined ? [] : [link];
}

/** The repository's own file from what was read, or the problem with it. */
function repositoryText(org: string, name: string, files: ReadFiles): ConfigText | ConfigProblem | undefined {
  const present = CONFIG_FILES.filter((path) => files.has(path));
  const [first, second] = present;
  if (first === undefined) return undefined;
  const source = `${org}/${name}:${first}`;
  if (second !== undefined) {
    return problem(
      source,
      `both ${CONFIG_FILES.join(' and ')} exist; Openly reads only one, so delete or merge the other`,
    );
  }
  const content = files.get(first);
  if (content === undefined) return problem(source, 'is too large for a configuration file');
  if (typeof content !== 'string') return problem(source, 'is not UTF-8 text; save it as UTF-8 YAML');
  return { source, text: content };
}

function isText(value: ConfigText | ConfigProblem | undefined): value is ConfigText {
  return value !== undefined && 'text' in value;
}

/**
 * A repository's configuration: its `.github/openly.yml` (read in the batch) deep-merged over the organisation
 * base, validated as the App validates it. A problem is returned with its file and line, never replaced by defaults.
 */
export function repositoryConfig(
  org: string,
  name: string,
  files: ReadFiles,
  base: ConfigText | undefined,
  options: ConfigOptions,
): RepositoryConfig {
  const { knownRules } = options;
  const own = repositoryText(org, name, files);
  if (own !== undefined && !isText(own)) return { problems: [own] };
  const texts: ConfigText[] = [];
  if (base !== undefined) texts.push(base);
  // The `.github` repository's own file is the base itself.
  if (own !== undefined && own.source !== base?.source) {
    const problems = validateConfig(own.text, own.source, { knownRules });
    const link = problems.length === 0 ? extendsProblem(org, own, false) : undefined;
    if (link !== undefined) problems.push(link);
    if (problems.length > 0) return { problems };
    texts.push(own);
  }
  const merged = texts.reduce<Record<string, unknown>>(
    (out, text) => mergeConfig(out, parseYaml(text.text).value),
    {},
  );
  try {
    return { config: resolveConfig(merged, { ...options, sources: texts.map((t) => t.source) }) };
  } catch (error) {
    if (error instanceof ConfigError) return { problems: error.problems };
    throw error;
  }
}
