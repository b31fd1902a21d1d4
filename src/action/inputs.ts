/**
 * The Action's inputs, read through one function and validated before anything runs, so that a typo fails the
 * step at once with the input's name and what it accepts, instead of half-way through a release.
 */
import { isAbsolute, join, normalize, sep } from 'node:path';
import { didYouMean } from '../parse/suggest.js';
import { checkInside, partsInside, UnsafePathError } from '../sinks/safe-write.js';

export const MODES = [
  'auto',
  'status',
  'release-notes',
  'milestone',
  'publish',
  'audit',
  'diagrams',
] as const;
export type Mode = (typeof MODES)[number];

export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface ActionInputs {
  token: string;
  /** The checkout to judge, as given (relative to the workspace). */
  path: string;
  /** A configuration file instead of `.github/openly.yml` in the checkout. */
  config?: string;
  mode: Mode;
  dryRun: boolean;
  failOn: FailOn;
  /** The branch the status page is published to, e.g. `gh-pages`. */
  pagesBranch?: string;
  /** Where index.html, status.json and report.json are written. */
  statusDir: string;
  /** mode audit: the organisation to audit, when not the repository's owner. */
  organisation?: string;
  /** mode audit: where report.json, report.csv, history.json and index.html are written, when not `openly-audit`. */
  auditDir?: string;
  /** mode audit: judge archived repositories too (listed as skipped by default); present only when true. */
  includeArchived?: true;
  /** mode audit: judge forks too (listed as skipped by default); present only when true. */
  includeForks?: true;
}

/** Where `mode: audit` writes its files when `audit-dir` is unset. */
export const DEFAULT_AUDIT_DIR = 'openly-audit';

/** A GitHub login: letters, digits and single hyphens, up to 39 characters. */
export const LOGIN = /^[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38}$/i;

/** Every problem with the inputs, one per line, each naming its input. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

// The YAML 1.2 core schema's booleans, as actions/toolkit's getBooleanInput accepts them.
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

function oneOf<T extends string>(
  name: string,
  value: string,
  allowed: readonly T[],
  problems: string[],
): T | undefined {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  // A misspelt first word (`relase`) is as likely as a misspelt whole name, so both are compared.
  const byWord = new Map<string, T>();
  for (const name of allowed) {
    byWord.set(name, name);
    if (!byWord.has(name.split('-')[0]!)) byWord.set(name.split('-')[0]!, name);
  }
  const near = didYouMean(value, byWord.keys());
  const guess = near === undefined ? undefined : byWord.get(near);
  problems.push(
    `input "${name}": unknown value "${value}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}; use one of ${allowed.join(', ')}`,
  );
  return undefined;
}

function boolean(name: string, value: string, problems: string[]): boolean {
  if (value === '' || FALSE.includes(value)) return false;
  if (TRUE.includes(value)) return true;
  problems.push(
    `input "${name}": "${value}" is not a YAML 1.2 boolean; use true, True, TRUE, false, False or FALSE`,
  );
  return false;
}

/** Problems with a branch name, after git check-ref-format's rules; undefined when git would accept it. */
export function branchProblem(name: string): string | undefined {
  const bare = name.replace(/^refs\/heads\//, '');
  if (bare === '') return 'is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(bare))
    return 'has a space, a control character or one of ~ ^ : ? * [ \\';
  if (bare.includes('..') || bare.includes('@{') || bare.includes('//')) return 'has "..", "@{" or "//"';
  if (bare.startsWith('-') || bare.startsWith('/') || bare.endsWith('/') || bare.endsWith('.')) {
    return 'starts with "-" or "/", or ends with "/" or "."';
  }
  if (bare === '@' || bare.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))) {
    return 'has a part starting with "." or ending with ".lock"';
  }
  return undefined;
}

/**
 * Reads and checks every input. `get` returns an input's trimmed value, empty when unset (as the runner passes
 * defaults from action.yml, an empty value here means the workflow set it empty). Throws InputError listing all
 * problems at once.
 */
export function readInputs(get: (name: string) => string): ActionInputs {
  const problems: string[] = [];

  const modeText = get('mode') || 'auto';
  const mode = oneOf('mode', modeText, MODES, problems);
  const failOnText = get('fail-on') || 'error';
  const failOn = oneOf('fail-on', failOnText, FAIL_ON, problems);
  const dryRun = boolean('dry-run', get('dry-run'), problems);
  const includeArchived = boolean('include-archived', get('include-archived'), problems);
  const includeForks = boolean('include-forks', get('include-forks'), problems);

  const token = get('token');
  if (token === '' && !dryRun) {
    problems.push(
      'input "token": empty; leave it unset to use the workflow\'s GITHUB_TOKEN, or pass a token (dry-run needs none)',
    );
  }

  const path = get('path') || '.';
  const statusDir = get('status-dir') || 'openly-status';
  const auditDir = get('audit-dir');
  for (const [name, value] of [
    ['path', path],
    ['status-dir', statusDir],
    ['config', get('config')],
    ['audit-dir', auditDir],
  ] as const) {
    // eslint-disable-next-line no-control-regex
    if (/[\x00-\x1f]/.test(value)) problems.push(`input "${name}": contains a control character`);
  }

  // The step may only read and write inside the workspace: a status-dir of `../..` would write index.html over
  // whatever lies there on a self-hosted runner, and a config of `/proc/self/environ` would be read and quoted in
  // its error messages. Links inside the workspace are judged on disk when the path is used.
  const example = {
    path: '.',
    'status-dir': 'openly-status',
    config: '.github/openly.yml',
    'audit-dir': DEFAULT_AUDIT_DIR,
  };
  for (const [name, value] of [
    ['path', path],
    ['status-dir', statusDir],
    ['config', get('config')],
    ['audit-dir', auditDir],
  ] as const) {
    if (value === '') continue;
    const normal = normalize(value);
    if (isAbsolute(value) || normal === '..' || normal.startsWith(`..${sep}`)) {
      problems.push(
        `input "${name}": "${value}" is outside the workspace; give a path relative to it, such as "${example[name]}"`,
      );
    }
  }

  const pagesBranch = get('pages-branch');
  if (pagesBranch !== '') {
    const why = branchProblem(pagesBranch);
    if (why !== undefined)
      problems.push(`input "pages-branch": "${pagesBranch}" is not a branch name git accepts: it ${why}`);
  }

  const organisation = get('organisation');
  if (organisation !== '' && !LOGIN.test(organisation)) {
    problems.push(
      `input "organisation": "${organisation}" is not a GitHub organisation name (letters, digits and single hyphens)`,
    );
  }
  if (mode === 'audit' && token === '' && dryRun) {
    problems.push(
      'input "token": mode audit reads every repository of the organisation, even in a dry run; pass a GitHub App installation token (actions/create-github-app-token)',
    );
  }

  if (problems.length > 0 || mode === undefined || failOn === undefined) throw new InputError(problems);
  const config = get('config');
  return {
    token,
    path,
    ...(config === '' ? {} : { config }),
    mode,
    dryRun,
    failOn,
    ...(pagesBranch === '' ? {} : { pagesBranch: pagesBranch.replace(/^refs\/heads\//, '') }),
    statusDir,
    ...(organisation === '' ? {} : { organisation }),
    ...(auditDir === '' ? {} : { auditDir }),
    ...(includeArchived ? { includeArchived } : {}),
    ...(includeForks ? { includeForks } : {}),
  };
}

/**
 * A path input checked on disk: inside the workspace, reached through real folders only, and of the kind wanted.
 * A link would let a pull request point the Action at any folder or file the job can read.
 */
export function inputInside(
  name: 'path' | 'config',
  workspace: string,
  given: string,
  kind: 'file' | 'folder',
): string {
  try {
    return checkInside(workspace, given, kind);
  } catch (error) {
    if (!(error instanceof UnsafePathError)) throw error;
    const looked = join(workspace, given);
    if (name === 'path' && (error.reason === 'does not exist' || error.reason === 'is not a folder')) {
      throw new Error(
        `input "path": ${looked} is not a folder; check out the repository first (actions/checkout)`,
      );
    }
    if (name === 'config' && error.reason === 'does not exist') {
      // A mistyped input, not a broken configuration: nothing is judged and no status is set on the commit.
      throw new Error(
        `input "config": ${given} does not exist (looked for ${looked}); give a path relative to the workspace, or leave it unset to use .github/openly.yml`,
      );
    }
    // The link itself, or a folder on the way to it, which is then named too.
    const whole = error.path === given || error.path === partsInside(workspace, given).join('/');
    throw new Error(`input "${name}": ${whole ? '' : `"${given}" is refused: `}${error.message}`);
  }
}
