import { lstatSync, readFileSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Level } from '../core/check.js';
import { globProblem } from '../core/glob.js';
import { explain } from '../parse/explain.js';
import { didYouMean } from '../parse/suggest.js';
import { parseYaml, toPointer, type Locator } from '../parse/yaml.js';
import { defaultOptions, DEFAULT_LEVELS } from './defaults.js';
import { isLicenceId, suggestLicenceId } from '../licences/ids.js';
import { configSchema, configValidator } from './schema.js';
import type { FileContent } from '../sources/snapshot.js';
import type { CheckLevel, ConfigurableCheck, FixSettings, ResolvedConfig } from './types.js';

/** One thing wrong with a configuration file. `line` and `column` are 1-based, or 0 when there is no file position. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  /** JSON pointer of the setting at fault, when there is one (`/licence/allowed/0`). */
  pointer?: string;
}

export function formatProblem(problem: ConfigProblem): string {
  return problem.line > 0
    ? `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`
    : `${problem.file}: ${problem.message}`;
}

/** A configuration that cannot be used. Its message lists every problem as `file:line:column: message`. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** What validating a configuration needs of the checks. */
export interface ValidationOptions {
  /** Every rule id the checks can report; a `rules:` key not in this set is an error. */
  knownRules: ReadonlySet<string>;
}

/** What resolving a configuration needs of the checks (`configOptions()` in `src/checks/index.ts` gives both). */
export interface ConfigOptions extends ValidationOptions {
  /** The checks whose default options the configuration is merged over. */
  checks: readonly ConfigurableCheck[];
}

/** The file names Openly looks for, in `.github/` under the repository root. */
export const CONFIG_FILES = ['.github/openly.yml', '.github/openly.yaml'] as const;

/** Config files are a few hundred bytes; a megabyte is a mistake or an attack, not a configuration. */
const MAX_CONFIG_BYTES = 1_000_000;

/** More problems than this are summed up in one line: the first ones are what to fix, and the rest often follow. */
const MAX_PROBLEMS = 50;

function capped(problems: ConfigProblem[]): ConfigProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const last = problems[MAX_PROBLEMS - 1]!;
  return [
    ...problems.slice(0, MAX_PROBLEMS),
    {
      ...last,
      message: `and ${problems.length - MAX_PROBLEMS} or more further problems; fix those above first`,
    },
  ];
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Long text cut short for messages. */
function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a text value';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true or false';
  return 'something else';
}

interface Issue {
  pointer: string;
  line: number;
  column: number;
  message: string;
}

function unknownRules(value: Mapping, locator: Locator, knownRules: ReadonlySet<string>): Issue[] {
  const rules = value.rules;
  if (!isMapping(rules)) return [];
  const issues: Issue[] = [];
  for (const rule of Object.keys(rules)) {
    if (knownRules.has(rule)) continue;
    // Suggestions cost time; past the number of problems shown, there is no point in finding more.
    if (issues.length > MAX_PROBLEMS) break;
    const pointer = toPointer(['rules', rule]);
    const guess = didYouMean(rule, knownRules);
    const check = rule.split('/')[0] ?? '';
    const siblings = [...knownRules].filter((known) => known.startsWith(`${check}/`)).sort();
    let message = `unknown rule "${short(rule)}"`;
    if (guess !== undefined) message += ` — did you mean "${guess}"?`;
    if (siblings.length > 0) message += ` (rules of ${check}: ${siblings.join(', ')})`;
    else {
      const checks = [...new Set([...knownRules].map((known) => known.split('/')[0] ?? ''))].sort();
      message += ` (a rule id is a check name and a rule name, such as ${[...knownRules].sort()[0] ?? 'licence/missing'}; checks: ${checks.join(', ')})`;
    }
    issues.push({ pointer, ...locator.locateKey(pointer), message });
  }
  return issues;
}

function licenceIdIssue(id: unknown, pointer: string, locator: Locator): Issue | undefined {
  if (typeof id !== 'string' || id === '' || isLicenceId(id)) return undefined;
  const guess = suggestLicenceId(id);
  const message =
    guess === undefined
      ? `"${short(id)}" is not an SPDX licence id; use an id from https://spdx.org/licenses/ (such as MIT or OGL-UK-3.0), or LicenseRef-<name> for a licence of your own`
      : `"${short(id)}" is not an SPDX licence id — did you mean "${guess}"?`;
  return { pointer, ...locator.locate(pointer), message };
}

function unknownLicences(value: Mapping, locator: Locator): Issue[] {
  const licence = value.licence;
  if (!isMapping(licence)) return [];
  const issues: Issue[] = [];
  if (Array.isArray(licence.allowed)) {
    licence.allowed.forEach((id, index) => {
      if (issues.length > MAX_PROBLEMS) return;
      const issue = licenceIdIssue(id, toPointer(['licence', 'allowed', index]), locator);
      if (issue) issues.push(issue);
    });
  }
  if (Array.isArray(licence.paths)) {
    licence.paths.forEach((entry, index) => {
      if (!isMapping(entry) || issues.length > MAX_PROBLEMS) return;
      const issue = licenceIdIssue(entry.licence, toPointer(['licence', 'paths', index, 'licence']), locator);
      if (issue) issues.push(issue);
    });
  }
  return issues;
}

/** Entries of `artefacts` (the list, or `artefacts.files`) that give both or neither of `type` and `schema`. */
function artefactEntryIssues(value: Mapping, locator: Locator): Issue[] {
  const artefacts = value.artefacts;
  const list = Array.isArray(artefacts) ? artefacts : isMapping(artefacts) ? artefacts.files : undefined;
  if (!Array.isArray(list)) return [];
  const base = Array.isArray(artefacts) ? ['artefacts'] : ['artefacts', 'files'];
  const issues: Issue[] = [];
  list.forEach((entry: unknown, index) => {
    if (!isMapping(entry) || issues.length > MAX_PROBLEMS) return;
    const pointer = toPointer([...base, index]);
    const hasType = entry.type !== undefined;
    const hasSchema = entry.schema !== undefined;
    if (hasType && hasSchema) {
      issues.push({
        pointer,
        ...locator.locate(toPointer([...base, index, 'schema'])),
        message: `${base.join('.')}[${index}] gives both "type" and "schema"; keep "type" for a type of Openly's pack, or "schema" for your own schema file, not both`,
      });
    } else if (!hasType && !hasSchema) {
      issues.push({
        pointer,
        ...locator.locate(pointer),
        message: `${base.join('.')}[${index}] needs either "type" (a type of Openly's pack, such as design-history-entry) or "schema" (a JSON Schema file in the repository, such as schemas/our-dataset.json)`,
      });
    }
  });
  return issues;
}

/**
 * Globs the matcher refuses (braces expanding past its bound): said here, at their line, rather than when a check
 * first uses them.
 */
function globIssues(value: Mapping, locator: Locator): Issue[] {
  const places: Array<{ glob: unknown; at: Array<string | number> }> = [];
  if (Array.isArray(value.exclude))
    value.exclude.forEach((glob, i) => places.push({ glob, at: ['exclude', i] }));
  const licence = value.licence;
  if (isMapping(licence) && Array.isArray(licence.paths)) {
    licence.paths.forEach((entry, i) => {
      if (isMapping(entry)) places.push({ glob: entry.path, at: ['licence', 'paths', i, 'path'] });
    });
  }
  const artefacts = value.artefacts;
  const list = Array.isArray(artefacts) ? artefacts : isMapping(artefacts) ? artefacts.files : undefined;
  if (Array.isArray(list)) {
    const base = Array.isArray(artefacts) ? ['artefacts'] : ['artefacts', 'files'];
    list.forEach((entry: unknown, i) => {
      if (isMapping(entry)) places.push({ glob: entry.path, at: [...base, i, 'path'] });
    });
  }
  const issues: Issue[] = [];
  for (const { glob, at } of places) {
    if (typeof glob !== 'string' || issues.length > MAX_PROBLEMS) continue;
    const problem = globProblem(glob);
    if (problem === undefined) continue;
    const pointer = toPointer(at);
    issues.push({ pointer, ...locator.locate(pointer), message: `the glob "${short(glob)}" ${problem}` });
  }
  return issues;
}

/** Every problem of an already-parsed configuration value: schema, rule ids, licence ids. */
function checkValue(value: unknown, locator: Locator, options: ValidationOptions): Issue[] {
  if (value === null || value === undefined) return [];
  if (!isMapping(value)) {
    return [
      {
        pointer: '',
        ...locator.locate(''),
        message: `the configuration must be a mapping of settings, one "key: value" per line such as "licence: error" (found ${kindOf(value)})`,
      },
    ];
  }
  const validate = configValidator();
  const issues: Issue[] = validate(value)
    ? []
    : explain(validate.errors, locator, { schema: configSchema(), data: value });
  for (const issue of issues) {
    // A rule id written at the top level is a common slip: say where rule levels go.
    const key = /^\/([^/]*~1[^/]*)$/.exec(issue.pointer)?.[1]?.replace(/~1/g, '/');
    if (key !== undefined && issue.message.startsWith('unknown key')) {
      issue.message = `"${key}" looks like a rule id: rule levels go under "rules:", indented one level below it`;
    }
  }
  // A key the schema already rejected needs no second message about its spelling.
  const flagged = new Set(issues.map((issue) => issue.pointer));
  for (const issue of [
    ...unknownRules(value, locator, options.knownRules),
    ...unknownLicences(value, locator),
    ...globIssues(value, locator),
  ]) {
    if (!flagged.has(issue.pointer)) issues.push(issue);
  }
  // Ajv can only say that an artefact entry fits neither or both of its forms; these words say which key to keep.
  const entries = artefactEntryIssues(value, locator);
  if (entries.length > 0) {
    const replaced = new Set(entries.map((issue) => issue.pointer));
    return [...issues.filter((issue) => !replaced.has(issue.pointer)), ...entries].sort(
      (a, b) => a.line - b.line || a.column - b.column,
    );
  }
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}

function parseText(
  text: string,
  file: string,
  options: ValidationOptions,
): { value: unknown; problems: ConfigProblem[]; extendsLine?: number } {
  const parsed = parseYaml(text, { maxLength: MAX_CONFIG_BYTES });
  if (parsed.problems.length > 0) {
    // With broken YAML the data is a guess, and schema messages about a guess only confuse.
    return {
      value: null,
      problems: capped(parsed.problems.map(({ line, column, message }) => ({ file, line, column, message }))),
    };
  }
  const problems = checkValue(parsed.value, parsed, options).map(({ pointer, line, column, message }) => ({
    file,
    line,
    column,
    message,
    pointer,
  }));
  const hasExtends = isMapping(parsed.value) && typeof parsed.value._extends === 'string';
  return {
    value: parsed.value,
    problems: capped(problems),
    ...(hasExtends ? { extendsLine: parsed.locate('/_extends').line } : {}),
  };
}

/**
 * Every problem in a configuration file's text, with positions; empty when the file is valid. For checking a
 * configuration a pull request changes, before it is merged.
 */
export function validateConfig(text: string, file: string, options: ValidationOptions): ConfigProblem[] {
  return parseText(text, file, options).problems;
}

/** Copies a validated level-or-mapping check entry into the resolved config. */
function applyCheck(config: ResolvedConfig, check: string, entry: unknown): void {
  // A list is the shorthand of a check whose main option is a list of files (`artefacts: [...]`).
  if (Array.isArray(entry)) {
    applyCheck(config, check, { files: entry });
    return;
  }
  if (typeof entry === 'string') {
    config.levels[check] = entry as CheckLevel;
    return;
  }
  if (!isMapping(entry)) return;
  const { level, ...settings } = entry;
  if (typeof level === 'string') config.levels[check] = level as CheckLevel;
  const defaults = config.options[check];
  config.options[check] = { ...(isMapping(defaults) ? defaults : {}), ...structuredClone(settings) };
}

/** A validated `fix:` (a mode, or a mapping with one) with its values. */
function fixSettings(entry: unknown): FixSettings {
  if (!isMapping(entry)) return { mode: entry === 'pull-request' ? 'pull-request' : 'off' };
  const text = (key: string): string | undefined => (typeof entry[key] === 'string' ? entry[key] : undefined);
  const organisation = text('organisation');
  const securityContact = text('security-contact');
  const licence = text('licence');
  return {
    mode: entry.mode === 'pull-request' ? 'pull-request' : 'off',
    ...(organisation === undefined ? {} : { organisation }),
    ...(securityContact === undefined ? {} : { securityContact }),
    ...(licence === undefined ? {} : { licence }),
  };
}

function resolveValid(raw: unknown, sources: string[], checks: readonly ConfigurableCheck[]): ResolvedConfig {
  const config: ResolvedConfig = {
    levels: { ...DEFAULT_LEVELS },
    options: defaultOptions(checks),
    rules: {},
    sources,
  };
  if (!isMapping(raw)) return config;
  for (const [key, entry] of Object.entries(raw)) {
    if (key === '_extends') continue;
    if (key === 'exclude') {
      if (Array.isArray(entry))
        config.exclude = entry.filter((glob): glob is string => typeof glob === 'string');
      continue;
    }
    if (key === 'fix') {
      config.fix = fixSettings(entry);
      continue;
    }
    if (key === 'rules') {
      if (isMapping(entry))
        for (const [rule, level] of Object.entries(entry)) config.rules[rule] = level as Level;
      continue;
    }
    applyCheck(config, key, entry);
  }
  return config;
}

/** Fresh built-in defaults, with no sources: what runs when a repository has no configuration file. */
export function defaultConfig(checks: readonly ConfigurableCheck[]): ResolvedConfig {
  return resolveValid(null, [], checks);
}

/**
 * Resolves a raw configuration object (parsed YAML, perhaps several merged with `mergeConfig`) over the defaults.
 * It is validated again, since a merge is the caller's; a problem throws a `ConfigError` without positions.
 */
export function resolveConfig(
  raw: unknown,
  options: ConfigOptions & { sources?: string[]; file?: string },
): ResolvedConfig {
  const file = options.file ?? options.sources?.join(' + ') ?? 'configuration';
  const noPositions: Locator = {
    locate: () => ({ line: 0, column: 0, endLine: 0, endColumn: 0, exact: false }),
    locateKey: () => ({ line: 0, column: 0, endLine: 0, endColumn: 0, exact: false }),
  };
  const issues = checkValue(raw, noPositions, options);
  if (issues.length > 0) {
    throw new ConfigError(
      issues.map(({ pointer, message }) => ({
        file,
        line: 0,
        column: 0,
        message: pointer === '' ? message : `${readablePointer(pointer)}: ${message}`,
        pointer,
      })),
    );
  }
  return resolveValid(raw, options.sources ?? [], options.checks);
}

function readablePointer(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (path, segment) =>
        /^\d+$/.test(segment) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`,
      '',
    );
}

/** Parses and validates a configuration file's text and resolves it over the defaults. Throws `ConfigError`. */
export function parseConfig(text: string, file: string, options: ConfigOptions): ResolvedConfig {
  const { value, problems, extendsLine } = parseText(text, file, options);
  if (problems.length > 0) throw new ConfigError(problems);
  const config = resolveValid(value, [file], options.checks);
  if (isMapping(value) && typeof value._extends === 'string') {
    config.extends = { value: value._extends, file, line: extendsLine ?? 0 };
  }
  return config;
}

/** The files being judged, as a snapshot lists and reads them (a local snapshot follows only safe links). */
export interface RepositoryFiles {
  has(path: string): boolean;
  read(path: string): FileContent;
}

export interface LoadConfigOptions extends ConfigOptions {
  /** The repository root. */
  root: string;
  /** `--config FILE`: relative to the working directory, or absolute. It must exist. */
  configPath?: string;
  /**
   * The repository's files: `.github/openly.yml` is read through them, only when it is one of the files being
   * judged, so that a link cannot make it `.git/config`, an ignored `.env` or a file outside the repository.
   * Without them, a configuration reached through a symbolic link is not read at all.
   */
  files?: RepositoryFiles;
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Whether anything is at `path`, a broken link included. */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function unreadable(file: string, message: string): ConfigError {
  return new ConfigError([{ file, line: 0, column: 0, message }]);
}

/**
 * Reads the repository's own configuration file. What the problems say never quotes a file that was not read as
 * the configuration: a link's target is not named, and its text never parsed.
 */
function readRepositoryConfig(root: string, name: string, options: LoadConfigOptions): ResolvedConfig {
  const files = options.files;
  if (files === undefined) {
    const github = join(root, '.github');
    if (lstatSync(github).isSymbolicLink() || lstatSync(join(root, name)).isSymbolicLink()) {
      throw unreadable(name, 'is reached through a symbolic link, so it was not read; make it a plain file');
    }
    return readConfigFile(join(root, name), name, options);
  }
  if (!files.has(name)) {
    throw unreadable(
      name,
      'is not one of the files being judged (git ignores it, or it lies under .git), so it was not read; commit it, or give it with --config',
    );
  }
  const content = files.read(name);
  switch (content.kind) {
    case 'text':
      if (Buffer.byteLength(content.text) > MAX_CONFIG_BYTES) {
        throw unreadable(
          name,
          `is too large for a configuration file (${Buffer.byteLength(content.text)} bytes)`,
        );
      }
      return parseConfig(content.text, name, options);
    case 'too-large':
      throw unreadable(name, `is too large for a configuration file (${content.size} bytes)`);
    case 'binary':
      throw unreadable(name, 'is not UTF-8 text; save it as UTF-8 YAML');
    case 'unavailable':
      throw unreadable(name, `cannot be read: ${content.reason}`);
    case 'missing':
      throw unreadable(name, 'is no longer on disk');
  }
}

function readConfigFile(path: string, display: string, options: ConfigOptions): ResolvedConfig {
  const stats = statOf(path);
  if (stats === undefined) {
    throw new ConfigError([
      { file: display, line: 0, column: 0, message: `config file not found (looked for ${path})` },
    ]);
  }
  if (!stats.isFile()) {
    throw new ConfigError([
      {
        file: display,
        line: 0,
        column: 0,
        message: 'is not a file (a folder?); give the path of a YAML file',
      },
    ]);
  }
  if (stats.size > MAX_CONFIG_BYTES) {
    throw new ConfigError([
      {
        file: display,
        line: 0,
        column: 0,
        message: `is too large for a configuration file (${stats.size} bytes)`,
      },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ file: display, line: 0, column: 0, message: `cannot be read: ${why}` }]);
  }
  return parseConfig(text, display, options);
}

/** A path for messages: relative to the working directory when inside it, absolute otherwise. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * The configuration for a repository on disk: the file given by `configPath`, else `.github/openly.yml` (or
 * `.yaml`) under `root`, else the built-in defaults with `sources: []`. Throws `ConfigError` for a missing
 * `configPath`, an invalid file, or both file names present at once.
 */
export function loadConfig(options: LoadConfigOptions): ResolvedConfig {
  if (options.configPath !== undefined) {
    const path = resolve(options.configPath);
    return readConfigFile(path, displayPath(path), options);
  }
  const present = CONFIG_FILES.filter(
    (name) => options.files?.has(name) === true || exists(join(options.root, name)),
  );
  const [first, second] = present;
  if (second !== undefined) {
    throw new ConfigError([
      {
        file: first ?? CONFIG_FILES[0],
        line: 0,
        column: 0,
        message: `both ${CONFIG_FILES.join(' and ')} exist; Openly reads only one, so delete or merge the other`,
      },
    ]);
  }
  if (first === undefined) return defaultConfig(options.checks);
  return readRepositoryConfig(options.root, first, options);
}
