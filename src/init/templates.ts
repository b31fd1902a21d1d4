/**
 * The templates `openly init` writes from, and the filling of their `{{placeholders}}`. The built-in ones ship in
 * `templates/` beside this module (the build copies them into `lib/`); an organisation may replace any of them
 * with a file of the same name in the `openly/templates/` folder of its `.github` repository.
 */
import { readFileSync } from 'node:fs';

/** Every template `openly init` uses, by the name its file has (built in and in an organisation's folder). */
export const TEMPLATE_NAMES = [
  'CONTRIBUTING.md',
  'SECURITY.md',
  'CODE_OF_CONDUCT.md',
  'LICENCE-OGL.md',
  'openly.yml',
] as const;

export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** Where an organisation keeps its own templates, inside its `.github` repository. */
export const ORGANISATION_TEMPLATES_FOLDER = 'openly/templates';

export interface Template {
  text: string;
  /** Where the text came from, for messages: `built-in CONTRIBUTING.md` or a path the user can open. */
  source: string;
}

/** Picks the template for a name: the organisation's own where it has one, else the built-in one. */
export type TemplateLookup = (name: TemplateName) => Template;

/** The values a template may ask for; a value left undefined was not given on the command line. */
export interface TemplateValues {
  organisation: string | undefined;
  securityContact: string | undefined;
  year: number;
  /** The SPDX id of the licence written to LICENCE. */
  licence: string;
  /** The exact text of the licence a licence template wraps (LICENCE-OGL.md only). */
  licenceText?: string;
}

export const PLACEHOLDERS = [
  'organisation',
  'securityContact',
  'year',
  'licence',
  'licenceText',
] as const satisfies readonly (keyof TemplateValues)[];

export type Placeholder = (typeof PLACEHOLDERS)[number];

/** A template that could not be filled: a value it needs was not given, or it names an unknown placeholder. */
export type FillProblem =
  | { kind: 'missing-value'; placeholder: Placeholder; source: string }
  | { kind: 'unknown-placeholder'; placeholder: string; source: string; line: number };

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/** The placeholders a template uses, in the order they first appear. */
export function placeholdersOf(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(PLACEHOLDER)) seen.add(match[1]!);
  return [...seen];
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Fills a template. Every placeholder must be known and have a value, so that no `{{organisation}}` is ever left
 * in a file a team publishes; each problem is returned instead.
 */
export function fillTemplate(
  template: Template,
  values: TemplateValues,
): { text: string } | { problems: FillProblem[] } {
  const problems: FillProblem[] = [];
  const reported = new Set<string>();
  for (const match of template.text.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (reported.has(name)) continue;
    reported.add(name);
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      problems.push({
        kind: 'unknown-placeholder',
        placeholder: name,
        source: template.source,
        line: lineOf(template.text, match.index),
      });
    } else if (values[name as Placeholder] === undefined) {
      problems.push({ kind: 'missing-value', placeholder: name as Placeholder, source: template.source });
    }
  }
  if (problems.length > 0) return { problems };
  // One pass over the template: a value that itself holds `{{...}}` is written as it is, never filled again.
  const text = template.text.replace(PLACEHOLDER, (_, name: Placeholder) => String(values[name]));
  return { text };
}

const BUILT_IN = new URL('./templates/', import.meta.url);

/** The templates that ship with Openly. */
export function builtInTemplate(name: TemplateName): Template {
  return { text: readFileSync(new URL(name, BUILT_IN), 'utf8'), source: `built-in ${name}` };
}
