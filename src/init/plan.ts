/**
 * What `openly init` writes, decided without touching any disk or network: from the repository's paths, the
 * licence and community-files checks' results on it, and its configuration. The CLI writes the plan to a
 * checkout; the App can open it as a pull request, with the same templates and the same words.
 */
import { checks as registry } from '../checks/index.js';
import { securityContact } from '../checks/community-files.js';
import { CONFIG_FILES } from '../config/load.js';
import type { LicenceOptions, ResolvedConfig } from '../config/types.js';
import { ruleLevel } from '../core/engine.js';
import type { CheckResult } from '../core/report.js';
import { canonicalId, sameLicence } from '../licences/expression.js';
import { spdxCasing, suggestLicenceId } from '../licences/ids.js';
import { crownLine, licenceWithCopyright, spdxText } from './licence-text.js';
import {
  fillTemplate,
  placeholdersOf,
  type FillProblem,
  type TemplateLookup,
  type TemplateName,
} from './templates.js';

export const DEFAULT_LICENCE = 'MIT';
const OGL = 'OGL-UK-3.0';

export interface InitValues {
  /** Named in the Crown copyright line and the templates, e.g. `NHS England`. */
  organisation?: string | undefined;
  /** Where to report a vulnerability: an email address or a web address. */
  securityContact?: string | undefined;
  /** The SPDX id for LICENCE; MIT when not given. */
  licence?: string | undefined;
  year: number;
}

export interface InitInput {
  /** Every path of the repository (the snapshot's `files()`). */
  paths: readonly string[];
  /** The results of the licence and community-files checks on that snapshot (other results are ignored). */
  results: readonly CheckResult[];
  config: ResolvedConfig;
  values: InitValues;
  templates: TemplateLookup;
}

export interface PlannedFile {
  /** Repository-relative, `/` between parts. */
  path: string;
  text: string;
  /** What the file is, for a person: "contribution guidance (from built-in CONTRIBUTING.md)". */
  what: string;
  /** The rule that asks for it, or `config` for the configuration file. */
  rule: string;
}

/** Something init did not write although a check asks for it, and what the person can do instead. */
export interface InitNote {
  path?: string;
  message: string;
}

/** Why nothing can be written until the person gives something else; a door words each for its own flags. */
export type InitProblem =
  | { kind: 'unknown-licence'; given: string; suggestion?: string }
  | { kind: 'no-licence-text'; id: string }
  | { kind: 'licence-not-allowed'; id: string; allowed: string[] }
  | { kind: 'bad-security-contact'; given: string }
  | { kind: 'no-licence-placeholder'; source: string; for: string }
  | (FillProblem & { for: string });

export interface InitPlan {
  files: PlannedFile[];
  notes: InitNote[];
  problems: InitProblem[];
}

/** The community files init can write, by the rule that asks for each. */
const COMMUNITY: ReadonlyArray<{ rule: string; template: TemplateName; what: string }> = [
  { rule: 'community-files/contributing', template: 'CONTRIBUTING.md', what: 'contribution guidance' },
  { rule: 'community-files/security', template: 'SECURITY.md', what: 'security policy' },
  { rule: 'community-files/code-of-conduct', template: 'CODE_OF_CONDUCT.md', what: 'code of conduct' },
];

function resultOf(results: readonly CheckResult[], id: string): CheckResult | undefined {
  return results.find((r) => r.check === id);
}

/** Whether a result asks for a file that is not there: the rule's finding that names no file. */
function asksForMissing(result: CheckResult | undefined, rule: string): boolean {
  return result?.findings.some((f) => f.rule === rule && f.path === undefined) === true;
}

function has(paths: readonly string[], path: string): boolean {
  const lower = path.toLowerCase();
  return paths.some((p) => p.toLowerCase() === lower);
}

/** The licence to write: the one asked for, checked against SPDX and the policy. */
function chooseLicence(
  given: string | undefined,
  allowed: readonly string[],
  problems: InitProblem[],
): string | undefined {
  const wanted = given?.trim() ?? DEFAULT_LICENCE;
  const id = spdxCasing(wanted);
  if (id === undefined) {
    const suggestion = suggestLicenceId(wanted);
    problems.push({
      kind: 'unknown-licence',
      given: wanted,
      ...(suggestion === undefined ? {} : { suggestion }),
    });
    return undefined;
  }
  const canonical = canonicalId(id);
  if (spdxText(canonical) === undefined) {
    problems.push({ kind: 'no-licence-text', id: canonical });
    return undefined;
  }
  if (allowed.length > 0 && !allowed.some((a) => sameLicence(a, canonical))) {
    problems.push({ kind: 'licence-not-allowed', id: canonical, allowed: [...allowed] });
    return undefined;
  }
  return canonical;
}

/** The policy's `licence.paths` globs that require the OGL, when the licence/path rule is on. */
function oglPaths(config: ResolvedConfig, licence: CheckResult | undefined): string[] {
  const check = registry.find((c) => c.id === 'licence');
  if (licence === undefined || licence.status === 'skip' || check === undefined) return [];
  if (ruleLevel(check, config, 'licence/path') === 'off') return [];
  const options = config.options.licence as Partial<LicenceOptions> | undefined;
  return (options?.paths ?? []).filter((rule) => sameLicence(rule.licence, OGL)).map((rule) => rule.path);
}

/** Whether the licence check identified an OGL licence file anywhere (a root LICENCE-OGL.md, docs/LICENCE, ...). */
function hasOglFile(licence: CheckResult | undefined): boolean {
  const records =
    (licence?.data as { licences?: Array<{ spdx: string | null }> } | undefined)?.licences ?? [];
  return records.some((r) => r.spdx !== null && sameLicence(r.spdx, OGL));
}

/** A TOML basic string: JSON's escapes are all valid in TOML. */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

function reuseToml(paths: readonly string[], copyright: string | undefined): string {
  const lines = [
    '# Which licence covers which files, in the REUSE format (https://reuse.software).',
    '# Documentation is published under the Open Government Licence v3.0 (LICENCE-OGL.md, and its text in',
    '# LICENSES/OGL-UK-3.0.txt); everything else is under the licence in LICENCE.',
    'version = 1',
    '',
    '[[annotations]]',
    `path = [${paths.map(tomlString).join(', ')}]`,
    `SPDX-License-Identifier = "${OGL}"`,
  ];
  if (copyright !== undefined) lines.push(`SPDX-FileCopyrightText = ${tomlString(copyright)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Plans the first set of files: each file a check asks for and the repository lacks, from the templates, never a
 * path the repository already has. An empty `files` with no `problems` means there is nothing left to write.
 */
export function planInitialFiles(input: InitInput): InitPlan {
  const { paths, results, config, values, templates } = input;
  const files: PlannedFile[] = [];
  const notes: InitNote[] = [];
  const problems: InitProblem[] = [];
  const licenceResult = resultOf(results, 'licence');
  const communityResult = resultOf(results, 'community-files');

  const options = config.options.licence as Partial<LicenceOptions> | undefined;
  const licence = chooseLicence(values.licence, options?.allowed ?? [], problems);
  if (values.securityContact !== undefined && securityContact(values.securityContact) === undefined) {
    problems.push({ kind: 'bad-security-contact', given: values.securityContact });
  }
  const filled = {
    organisation: values.organisation,
    securityContact: values.securityContact,
    year: values.year,
    licence: licence ?? DEFAULT_LICENCE,
  };
  const copyright =
    values.organisation === undefined ? undefined : crownLine(values.year, values.organisation);

  const add = (path: string, rule: string, what: string, name: TemplateName, licenceText?: string): void => {
    const template = templates(name);
    if (licenceText !== undefined && !placeholdersOf(template.text).includes('licenceText')) {
      // Without the licence's text the file grants nothing, and every later run would find the OGL still missing.
      problems.push({ kind: 'no-licence-placeholder', source: template.source, for: path });
      return;
    }
    const result = fillTemplate(template, {
      ...filled,
      ...(licenceText === undefined ? {} : { licenceText: licenceText.trimEnd() }),
    });
    if ('problems' in result) {
      for (const problem of result.problems) problems.push({ ...problem, for: path });
      return;
    }
    const text = result.text.endsWith('\n') ? result.text : `${result.text}\n`;
    files.push({ path, rule, what: `${what} (from ${template.source})`, text });
  };

  const writesLicence = asksForMissing(licenceResult, 'licence/missing') && licence !== undefined;
  if (writesLicence) {
    if (copyright === undefined) {
      problems.push({
        kind: 'missing-value',
        placeholder: 'organisation',
        source: 'LICENCE',
        for: 'LICENCE',
      });
    } else {
      files.push({
        path: 'LICENCE',
        rule: 'licence/missing',
        what: `the ${licence} licence, with a Crown copyright line naming ${values.organisation}`,
        text: licenceWithCopyright(spdxText(licence)!, copyright),
      });
    }
  }

  const ogl = oglPaths(config, licenceResult);
  // LICENCE under the OGL itself covers the whole repository, documentation included.
  const oglAtRoot = writesLicence && sameLicence(licence, OGL);
  if (ogl.length > 0 && !hasOglFile(licenceResult) && !oglAtRoot) {
    const oglText = spdxText(OGL)!;
    if (has(paths, 'LICENCE-OGL.md')) {
      notes.push({
        path: 'LICENCE-OGL.md',
        message:
          'LICENCE-OGL.md is there but holds no OGL v3.0 text that Openly recognises, so it was left alone: replace its content with the OGL v3.0 text.',
      });
    } else {
      add(
        'LICENCE-OGL.md',
        'licence/path',
        'the Open Government Licence v3.0 for documentation',
        'LICENCE-OGL.md',
        oglText,
      );
    }
    const reuseFile = paths.find((p) => p === 'REUSE.toml' || p === '.reuse/dep5');
    if (reuseFile !== undefined) {
      notes.push({
        path: reuseFile,
        message: `${reuseFile} is there already, so it was left alone: add an annotation to it for ${ogl.map((p) => `"${p}"`).join(', ')} with SPDX-License-Identifier "${OGL}".`,
      });
    } else {
      files.push({
        path: 'REUSE.toml',
        rule: 'licence/path',
        what: `a REUSE annotation putting ${ogl.join(', ')} under ${OGL}`,
        text: reuseToml(ogl, copyright),
      });
      // A root REUSE.toml makes this a REUSE repository, where every licence an annotation names needs its text
      // in LICENSES/; without it the licence check (and `reuse lint`) would ask for it at once.
      if (!has(paths, `LICENSES/${OGL}.txt`)) {
        files.push({
          path: `LICENSES/${OGL}.txt`,
          rule: 'licence/header',
          what: `the ${OGL} text where REUSE looks for it`,
          text: oglText.endsWith('\n') ? oglText : `${oglText}\n`,
        });
      }
    }
  }

  for (const kind of COMMUNITY) {
    if (asksForMissing(communityResult, kind.rule)) add(kind.template, kind.rule, kind.what, kind.template);
  }

  if (!CONFIG_FILES.some((file) => has(paths, file))) {
    add('.github/openly.yml', 'config', 'a commented Openly configuration', 'openly.yml');
  }

  // A file the checks find wanting but that is there: init never rewrites it, and says what to change instead.
  const covered = new Set(['licence/missing', ...COMMUNITY.map((k) => k.rule)]);
  for (const result of [licenceResult, communityResult]) {
    for (const finding of result?.findings ?? []) {
      if (!covered.has(finding.rule) || finding.path === undefined) continue;
      notes.push({
        path: finding.path,
        message: `${finding.message} It was left alone: ${finding.fix ?? ''}`.trim(),
      });
    }
  }
  return { files, notes, problems };
}
