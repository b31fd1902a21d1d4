import { ConfigError, resolveConfig, validateConfig, type ConfigProblem } from '../config/load.js';
import { mergeConfig } from '../config/merge.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Finding } from '../core/check.js';
import { parseYaml } from '../parse/yaml.js';
import type { ConfigText, GitHubContext, GitHubTarget } from '../sources/github-context.js';

export type ConfigOutcome =
  | { config: ResolvedConfig; headProblems: ConfigProblem[] }
  | { config: undefined; problems: ConfigProblem[] };

function raw(config: ConfigText): unknown {
  return parseYaml(config.text).value;
}

/**
 * The configuration from the organisation base (`<owner>/.github`) under the repository's, both read from their
 * default branches. Any problem in either is returned, never replaced by defaults. The organisation base is always
 * `<owner>/.github`: `_extends` naming another repository is not followed (it would cost a request per link).
 * A head version a pull request brings is validated on its own, so that a change cannot break the config unseen.
 */
export function resolveAppConfig(context: GitHubContext, knownRules: ReadonlySet<string>): ConfigOutcome {
  const options = { knownRules };
  const texts = [context.orgConfig, context.repoConfig].filter((c): c is ConfigText => c !== undefined);
  const problems = texts.flatMap((config) => validateConfig(config.text, config.source, options));
  const headProblems =
    context.headConfig === undefined
      ? []
      : validateConfig(context.headConfig.text, context.headConfig.source, options);
  if (problems.length > 0) return { config: undefined, problems: [...problems, ...headProblems] };
  const merged = mergeConfig(
    context.orgConfig === undefined ? {} : raw(context.orgConfig),
    context.repoConfig === undefined ? {} : raw(context.repoConfig),
  );
  try {
    const config = resolveConfig(merged, { knownRules, sources: texts.map((c) => c.source) });
    return { config, headProblems };
  } catch (error) {
    if (error instanceof ConfigError)
      return { config: undefined, problems: [...error.problems, ...headProblems] };
    throw error;
  }
}

/** `owner/repo:.github/openly.yml (at abc1234)` → `.github/openly.yml` when the file is in this repository. */
export function pathInRepository(source: string, target: GitHubTarget): string | undefined {
  const prefix = `${target.owner}/${target.repo}:`;
  if (!source.startsWith(prefix)) return undefined;
  return source.slice(prefix.length).split(' ')[0];
}

/** Config problems as findings, so that they fail the run and are annotated on the file when it is in this repository. */
export function configFindings(problems: readonly ConfigProblem[], target: GitHubTarget): Finding[] {
  return problems.map((problem) => {
    const path = pathInRepository(problem.file, target);
    const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.file;
    return {
      check: 'config',
      rule: 'config/invalid',
      severity: 'error',
      message: `${where}: ${problem.message}`,
      ...(path === undefined ? {} : { path }),
      ...(path !== undefined && problem.line > 0 ? { line: problem.line, column: problem.column } : {}),
      fix: 'Correct .github/openly.yml (or the organisation base in <org>/.github); Openly does not fall back to its defaults.',
    };
  });
}
