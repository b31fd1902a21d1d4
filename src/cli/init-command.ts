import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { checks, configOptions } from '../checks/index.js';
import { formatProblem } from '../config/load.js';
import { runChecks } from '../core/engine.js';
import { planInitialFiles, type InitProblem, type PlannedFile } from '../init/plan.js';
import {
  builtInTemplate,
  ORGANISATION_TEMPLATES_FOLDER,
  TEMPLATE_NAMES,
  type Template,
  type TemplateLookup,
  type TemplateName,
} from '../init/templates.js';
import { folderInside, UnsafePathError, writeInside } from '../sinks/safe-write.js';
import { lstatOrUndefined } from '../sources/safe-path.js';
import { SnapshotError } from '../sources/local.js';
import { openLocal } from '../sources/open-local.js';
import { EXIT, parseFlags, say, UsageError, type CliIo } from './io.js';

export const INIT_HELP = `Usage: openly init [PATH] [options]

Writes the files the licence and community-files checks ask for and PATH (default: the current folder) does
not have yet: LICENCE, CONTRIBUTING.md, SECURITY.md, CODE_OF_CONDUCT.md and a commented .github/openly.yml;
where the configuration's licence.paths asks for the OGL v3.0, also LICENCE-OGL.md, REUSE.toml and
LICENSES/OGL-UK-3.0.txt. An existing file is never changed, nor one the checks accept in its place
(LICENSE.md, .github/SECURITY.md, docs/CONTRIBUTING.md, ...): a second run writes nothing.

Options:
  --organisation NAME          who holds the Crown copyright, e.g. "NHS England" (needed for LICENCE
                               and the templates that name the organisation)
  --security-contact CONTACT   where to report a vulnerability: an email address or a web address
                               (needed when SECURITY.md is written)
  --licence SPDX-ID            the licence for LICENCE (default MIT); it must be one the policy allows
  --templates DIR              use the templates in DIR/${ORGANISATION_TEMPLATES_FOLDER}/ (e.g. a clone of your
                               organisation's .github repository) in place of the built-in ones
  -n, --dry-run                list what would be written, and write nothing
  -h, --help                   show this help

Exit status: 0 written (or nothing to write), 2 usage error (the message says what to pass).
`;

interface InitArgs {
  path: string;
  organisation: string | undefined;
  securityContact: string | undefined;
  licence: string | undefined;
  templates: string | undefined;
  dryRun: boolean;
}

function parseInitArgs(args: string[]): InitArgs | 'help' {
  const parsed = parseFlags(
    'init',
    args,
    {
      organisation: { type: 'string' },
      'security-contact': { type: 'string' },
      licence: { type: 'string' },
      templates: { type: 'string' },
      'dry-run': { type: 'boolean', short: 'n' },
    },
    true,
  );
  if (parsed === 'help') return 'help';
  const text = (name: 'organisation' | 'security-contact' | 'licence' | 'templates'): string | undefined => {
    const value = parsed.values[name];
    if (value !== undefined && value.trim() === '') throw new UsageError(`--${name} needs a value`);
    return value?.trim();
  };
  return {
    path: parsed.path ?? '.',
    organisation: text('organisation'),
    securityContact: text('security-contact'),
    licence: text('licence'),
    templates: text('templates'),
    dryRun: parsed.values['dry-run'] === true,
  };
}

/** The organisation's templates in DIR/openly/templates/, over the built-in ones. */
function templateLookup(cwd: string, dir: string | undefined, warnings: string[]): TemplateLookup {
  if (dir === undefined) return builtInTemplate;
  const folder = join(resolve(cwd, dir), ORGANISATION_TEMPLATES_FOLDER);
  let names: string[];
  try {
    if (!statSync(folder).isDirectory()) throw new Error('not a folder');
    names = readdirSync(folder);
  } catch {
    throw new UsageError(
      `--templates ${dir}: no folder ${posix.join(dir, ORGANISATION_TEMPLATES_FOLDER)}/ was found (init looks there for templates named ${TEMPLATE_NAMES.join(', ')})`,
    );
  }
  const own = new Map<TemplateName, Template>();
  for (const name of names) {
    const shown = posix.join(dir, ORGANISATION_TEMPLATES_FOLDER, name);
    if (!(TEMPLATE_NAMES as readonly string[]).includes(name)) {
      warnings.push(
        `${shown} is not a template init uses (it uses ${TEMPLATE_NAMES.join(', ')}), so it was ignored`,
      );
      continue;
    }
    try {
      own.set(name as TemplateName, { text: readFileSync(join(folder, name), 'utf8'), source: shown });
    } catch (error) {
      throw new UsageError(`${shown} could not be read: ${(error as Error).message}`);
    }
  }
  return (name) => own.get(name) ?? builtInTemplate(name);
}

const FLAG_FOR: Record<string, string> = {
  organisation: '--organisation "NAME" (the organisation that holds the Crown copyright, e.g. "NHS England")',
  securityContact:
    '--security-contact CONTACT (an email address or web address for reporting vulnerabilities)',
};

/** The plan's problems in the words of this door's flags; several files needing one value make one line. */
function wordProblems(problems: readonly InitProblem[]): string[] {
  const lines: string[] = [];
  const missing = new Map<string, string[]>();
  for (const problem of problems) {
    switch (problem.kind) {
      case 'unknown-licence':
        lines.push(
          `--licence ${problem.given}: not an SPDX licence id${problem.suggestion === undefined ? '' : `; did you mean --licence ${problem.suggestion}?`} (ids are listed at https://spdx.org/licenses/)`,
        );
        break;
      case 'no-licence-text':
        lines.push(
          `--licence ${problem.id}: SPDX's data has no text for it, so init cannot write it; choose another licence`,
        );
        break;
      case 'licence-not-allowed':
        lines.push(
          `--licence ${problem.id}: the licence policy (licence.allowed) does not allow it; pass one of ${problem.allowed.join(', ')}`,
        );
        break;
      case 'bad-security-contact':
        lines.push(
          `--security-contact ${problem.given}: not an email address or a web address, which SECURITY.md must give (e.g. security@example.gov.uk or https://example.gov.uk/security)`,
        );
        break;
      case 'no-licence-placeholder':
        lines.push(
          `${problem.source} has no {{licenceText}}, where the licence's exact text goes: ${problem.for} would hold no licence without it`,
        );
        break;
      case 'missing-value':
        if (FLAG_FOR[problem.placeholder] !== undefined) {
          missing.set(problem.placeholder, [...(missing.get(problem.placeholder) ?? []), problem.for]);
        } else {
          lines.push(
            `${problem.source} uses {{${problem.placeholder}}}, which has no value for ${problem.for}`,
          );
        }
        break;
      case 'unknown-placeholder':
        lines.push(
          `${problem.source}:${problem.line}: {{${problem.placeholder}}} is not a placeholder init knows (it knows {{organisation}}, {{securityContact}}, {{year}}, {{licence}}, and {{licenceText}} in LICENCE-OGL.md)`,
        );
        break;
    }
  }
  for (const [placeholder, files] of missing) {
    lines.push(
      `${files.join(', ')} ${files.length === 1 ? 'needs' : 'need'} a value: pass ${FLAG_FOR[placeholder]}`,
    );
  }
  return lines;
}

function list(files: readonly PlannedFile[]): string {
  return files.map((f) => `  ${f.path}  ${f.what}\n`).join('');
}

/** `openly init`: the local snapshot judged, the plan made, the missing files written through the safe writer. */
export async function runInitCommand(
  argv: string[],
  io: CliIo,
  now: () => Date = () => new Date(),
): Promise<number> {
  let args: InitArgs | 'help';
  const warnings: string[] = [];
  let templates: TemplateLookup;
  try {
    args = parseInitArgs(argv);
    if (args === 'help') {
      io.stdout.write(INIT_HELP);
      return EXIT.ok;
    }
    templates = templateLookup(io.cwd, args.templates, warnings);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${say([error.message])}Try: openly init --help\n`);
    return EXIT.usage;
  }
  io.stderr.write(say(warnings));

  const root = resolve(io.cwd, args.path);
  let opened;
  try {
    opened = openLocal({ root, config: configOptions(), displayPath: args.path, commits: 'best-effort' });
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    io.stderr.write(say([error.message]));
    return EXIT.usage;
  }
  if (!opened.ok) {
    io.stderr.write(
      say([
        ...opened.problems.map(formatProblem),
        'the configuration must be valid before init can tell what the checks ask for',
      ]),
    );
    return EXIT.usage;
  }
  const judged = checks.filter((c) => c.id === 'licence' || c.id === 'community-files');
  const report = await runChecks({ snapshot: opened.snapshot, checks: judged, config: opened.config, now });
  const plan = planInitialFiles({
    paths: opened.snapshot.files(),
    results: report.results,
    config: opened.config,
    values: {
      organisation: args.organisation,
      securityContact: args.securityContact,
      licence: args.licence,
      year: now().getUTCFullYear(),
    },
    templates,
  });
  if (plan.problems.length > 0) {
    io.stderr.write(`${say([...wordProblems(plan.problems), 'nothing was written'])}`);
    return EXIT.usage;
  }

  // The snapshot leaves out what git ignores; a file there is still never overwritten.
  const files = plan.files.filter((file) => {
    if (lstatOrUndefined(join(root, file.path)) === undefined) return true;
    plan.notes.push({
      path: file.path,
      message: `${file.path} is there (git ignores it), so it was left alone.`,
    });
    return false;
  });
  io.stderr.write(say(plan.notes.map((note) => note.message)));

  if (files.length === 0) {
    io.stdout.write(
      `Nothing to write: ${args.path} already has every file the checks ask for that openly init can write.\n`,
    );
    return EXIT.ok;
  }
  if (args.dryRun) {
    io.stdout.write(
      `Would write ${files.length} file${files.length === 1 ? '' : 's'} in ${args.path} (dry run):\n${list(files)}`,
    );
    return EXIT.ok;
  }
  const written: PlannedFile[] = [];
  const refused: string[] = [];
  for (const file of files) {
    try {
      const folder = folderInside(root, posix.dirname(file.path), 'the repository');
      writeInside(folder, posix.basename(file.path), file.text);
      written.push(file);
    } catch (error) {
      if (!(error instanceof UnsafePathError)) throw error;
      refused.push(`${error.message}; nothing was written there`);
    }
  }
  if (written.length > 0) {
    io.stdout.write(
      `Wrote ${written.length} file${written.length === 1 ? '' : 's'} in ${args.path}:\n${list(written)}` +
        `Read them through, fill in anything specific to your project, commit them, then run: openly check ${args.path}\n`,
    );
  }
  io.stderr.write(say(refused));
  return refused.length > 0 ? EXIT.usage : EXIT.ok;
}
