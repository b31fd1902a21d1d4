import {
  ConfigError,
  resolveConfig,
  validateConfig,
  type ConfigOptions,
  type ConfigProblem,
} from '../config/load.js';
import { mergeConfig } from '../config/merge.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Finding } from '../core/check.js';
import { parseYaml } from '../parse/yaml.js';
import type { ConfigLink, LinkedConfig } from '../sources/github.js';
import type { ConfigText, GitHubContext, GitHubTarget } from '../sources/github-context.js';

export type ConfigOutcome =
  | { config: ResolvedConfig; headProblems: ConfigProblem[] }
  | { config: undefined; problems: ConfigProblem[] };

/** Reads the file an `_extends` link names (one request); injected so that the chain is followed without HTTP here. */
export type ConfigLinkReader = (link: ConfigLink) => Promise<LinkedConfig>;

/**
 * Links read beyond the first round (which has the repository's file and the organisation base). A chain is one or
 * two links in practice; the bound keeps a mistaken or hostile chain from costing an installation its rate limit.
 */
export const MAX_EXTENDS_LINKS = 5;

/**
 * `repo`, `owner/repo` or either with `:path/to/file.yml`, as Probot's config plugin reads `_extends`: an owner is a
 * GitHub login (letters, digits, single hyphens, up to 39), a repository name letters, digits, `-`, `_` and `.`.
 * Probot's lets a path start with `/` or hold `//`, which reads a URL as repository `https`; this one does not.
 */
const EXTENDS =
  /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([\w.-]+)(?::((?:[\w.-]+\/)*[\w.-]+\.ya?ml))?$/i;

function raw(config: ConfigText): unknown {
  return parseYaml(config.text).value;
}

/** `Owner/Repo:path (at abc1234)` → `owner/repo:path`, so that one file is known whatever the case of its names. */
function fileKey(source: string): string {
  const plain = source.split(' ')[0] ?? source;
  const colon = plain.indexOf(':');
  return colon === -1 ? plain.toLowerCase() : plain.slice(0, colon).toLowerCase() + plain.slice(colon);
}

function linkKeys(link: ConfigLink): string[] {
  const paths = link.path === undefined ? ['.github/openly.yml', '.github/openly.yaml'] : [link.path];
  return paths.map((path) => fileKey(`${link.owner}/${link.repo}:${path}`));
}

interface Chain {
  /** The files, most specific first. */
  texts: ConfigText[];
  problems: ConfigProblem[];
}

interface ChainOptions {
  context: GitHubContext;
  target: GitHubTarget;
  knownRules: ReadonlySet<string>;
  read: ConfigLinkReader;
}

/**
 * Follows `_extends` from `start`, Probot's way: a link names the file this one builds on. A file with no
 * `_extends` ends the chain, except the repository's own file, which builds on the organisation base in
 * `<owner>/.github` unless it names another. The organisation base came with the first round and costs nothing
 * here; every other link costs one request. A loop, a chain past the bound, a link to nothing, or a file with
 * problems ends the chain with a problem that names the file and the link.
 */
async function followChain(
  start: ConfigText,
  fromRepository: boolean,
  options: ChainOptions,
): Promise<Chain> {
  const { context, target, knownRules } = options;
  const texts: ConfigText[] = [];
  const problems: ConfigProblem[] = [];
  const visited: string[] = [];
  let reads = 0;
  let current: ConfigText | undefined = start;
  let implicitBase = fromRepository;

  while (current !== undefined) {
    texts.push(current);
    visited.push(fileKey(current.source));
    const found = validateConfig(current.text, current.source, { knownRules });
    if (found.length > 0) {
      // The file's own problems come first; a link in a file that needs fixing is not worth a request.
      problems.push(...found);
      break;
    }
    const parsed = parseYaml(current.text);
    const value = (parsed.value as { _extends?: unknown } | null)?._extends;
    const from: ConfigText = current;
    current = undefined;

    if (typeof value !== 'string') {
      const base = context.orgConfig;
      if (implicitBase && base !== undefined && !visited.includes(fileKey(base.source))) current = base;
      implicitBase = false;
      continue;
    }
    implicitBase = false;

    const where = parsed.locate('/_extends');
    const problem = (message: string): void => {
      problems.push({ file: from.source, line: where.line, column: where.column, message });
    };
    const match = EXTENDS.exec(value);
    if (match === null || (match[3] ?? '').split('/').includes('..')) {
      problem(
        `_extends: "${value}" is not a file Openly can follow; write a repository ("org-config"), an owner and ` +
          'repository ("my-org/org-config"), or either with a path ("my-org/org-config:openly/base.yml")',
      );
      break;
    }
    const link: ConfigLink = {
      owner: match[1] ?? target.owner,
      repo: match[2]!,
      ...(match[3] === undefined ? {} : { path: match[3] }),
    };
    const named = `${link.owner}/${link.repo}${link.path === undefined ? '' : `:${link.path}`}`;
    const seen = linkKeys(link).find((key) => visited.includes(key));
    if (seen !== undefined) {
      const path = [...texts.map((t) => t.source.split(' ')[0]), named].join(' → ');
      problem(
        `_extends: "${value}" leads back to a file already read (${path}); a configuration cannot extend itself`,
      );
      break;
    }

    const base = context.orgConfig;
    const orgBase =
      link.owner.toLowerCase() === target.owner.toLowerCase() &&
      link.repo.toLowerCase() === '.github' &&
      (link.path === undefined || (base !== undefined && fileKey(base.source) === linkKeys(link)[0]));
    if (orgBase && base !== undefined) {
      current = base;
      continue;
    }
    if (orgBase && link.path === undefined) {
      problem(
        `_extends: "${value}" names ${link.owner}/.github, which has no .github/openly.yml or .github/openly.yaml ` +
          'on its default branch (or the repository does not exist, or the App is not installed on it)',
      );
      break;
    }
    if (reads >= MAX_EXTENDS_LINKS) {
      problem(
        `_extends: "${value}" is one link too many: Openly follows at most ${MAX_EXTENDS_LINKS} links beyond ` +
          `the organisation base (${texts.map((t) => t.source.split(' ')[0]).join(' → ')}); shorten the chain`,
      );
      break;
    }
    reads += 1;
    const answer = await options.read(link);
    if (answer.kind === 'no-repository') {
      problem(
        `_extends: "${value}" names the repository ${link.owner}/${link.repo}, which GitHub cannot find or the ` +
          'App cannot read; check the name (a repository of another owner must be public, one of this owner ' +
          'among those the App is installed on)',
      );
    } else if (answer.kind === 'no-file') {
      problem(
        `_extends: "${value}" names ${named}, but there is no ${answer.looked.join(' or ')} on its default branch`,
      );
    } else if (answer.kind === 'not-text') {
      problem(`_extends: "${value}" names ${answer.source}, which is not a text file`);
    } else {
      current = answer.config;
    }
  }
  return { texts, problems };
}

function extendsOf(config: ConfigText | undefined): unknown {
  if (config === undefined) return undefined;
  return (parseYaml(config.text).value as { _extends?: unknown } | null)?._extends;
}

/**
 * The configuration: the repository's `.github/openly.yml` from its default branch, over the files its `_extends`
 * chain names — by default the organisation base in `<owner>/.github`. Any problem in any file is returned, never
 * replaced by defaults. A head version a pull request brings is validated on its own, and its chain followed when it
 * names a different base, so that a change cannot break the configuration unseen.
 */
export async function resolveAppConfig(
  context: GitHubContext,
  configOptions: ConfigOptions,
  target: GitHubTarget,
  read: ConfigLinkReader,
): Promise<ConfigOutcome> {
  const { knownRules } = configOptions;
  const options: ChainOptions = { context, target, knownRules, read };
  const start = context.repoConfig ?? context.orgConfig;
  const chain: Chain =
    start === undefined
      ? { texts: [], problems: [] }
      : await followChain(start, context.repoConfig !== undefined, options);

  let headProblems: ConfigProblem[] = [];
  const head = context.headConfig;
  if (head !== undefined) {
    headProblems = validateConfig(head.text, head.source, { knownRules });
    const extendsValue = extendsOf(head);
    if (
      headProblems.length === 0 &&
      typeof extendsValue === 'string' &&
      extendsValue !== extendsOf(context.repoConfig)
    ) {
      headProblems = (await followChain(head, true, options)).problems;
    }
  }

  if (chain.problems.length > 0) return { config: undefined, problems: [...chain.problems, ...headProblems] };
  const bases = [...chain.texts].reverse();
  const merged = bases.reduce<Record<string, unknown>>((out, text) => mergeConfig(out, raw(text)), {});
  try {
    const config = resolveConfig(merged, { ...configOptions, sources: bases.map((c) => c.source) });
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
      fix: 'Correct the file named (.github/openly.yml, the organisation base in <org>/.github, or a file _extends names); Openly does not fall back to its defaults.',
    };
  });
}
