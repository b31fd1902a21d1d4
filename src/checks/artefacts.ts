import { readDecisionRecord, STATUS_WORDS, type DecisionRecord } from '../artefacts/decision-record.js';
import { decisionOf, judgeDecisions, type Decision } from '../artefacts/decisions.js';
import { detectType, packType } from '../artefacts/pack.js';
import { formatOf, parseArtefact } from '../artefacts/parse.js';
import {
  dateSpots,
  headingsOf,
  isMapping,
  missingSections,
  overdueSpots,
  repeatedIdSpots,
  riskRatingSpots,
  type Spot,
} from '../artefacts/rules.js';
import { CustomSchemas, packJudge, type Judge, type SchemaProblem } from '../artefacts/validators.js';
import {
  ARTEFACT_TYPES,
  type ArtefactFormat,
  type ArtefactMapping,
  type ArtefactsOptions,
  type ArtefactType,
} from '../config/types.js';
import type { Check, CheckContext, CheckOptionsSpec, DraftFinding, RuleInfo } from '../core/check.js';
import { compileGlob } from '../core/glob.js';
import { explain } from '../parse/explain.js';
import type { RepoSnapshot } from '../sources/snapshot.js';

export const artefactsRules: Record<string, RuleInfo> = {
  'artefacts/schema': {
    level: 'error',
    description:
      "An artefact's data (front matter, YAML, JSON or a register row) fits the schema of its type.",
  },
  'artefacts/parse': {
    level: 'error',
    description: 'An artefact can be read: its YAML, JSON, front matter or table is well formed.',
  },
  'artefacts/unreadable': {
    level: 'warning',
    description:
      'An artefact is a text file small enough to read (not binary, not invalid UTF-8, not too large).',
  },
  'artefacts/custom-schema': {
    level: 'error',
    description:
      "A team's own schema named in the configuration exists, is a valid JSON Schema, and refers only to files in the repository or to Openly's pack.",
  },
  'artefacts/risk-rating': {
    level: 'error',
    description: "A risk's rating is the one the DCB0129 grid gives for its likelihood and consequence.",
  },
  'artefacts/filename-date': {
    level: 'warning',
    description:
      'The date in a dated file name (design history, incident, weeknote) is the date in the file.',
  },
  'artefacts/weekday': {
    level: 'warning',
    description: 'A weeknote is for the week ending on a Friday.',
  },
  'artefacts/duplicate-id': {
    level: 'error',
    description: 'Decision records in one folder, and the entries of one register, each have their own id.',
  },
  'artefacts/superseded-by': {
    level: 'error',
    description: 'A superseded decision record names a decision that exists.',
  },
  'artefacts/decision-number': {
    level: 'warning',
    description:
      "A decision record's heading gives the number its file name gives (`# 12. Title` in 0012-title.md).",
  },
  'artefacts/sections': {
    level: 'warning',
    description:
      'Markdown artefacts have the sections their type asks for (such as Context, Decision and Consequences).',
  },
  'artefacts/overdue': {
    level: 'warning',
    description:
      'Reviews are not overdue (next_review_due, review_due, reviewDate, last_reviewed + review_interval).',
  },
};

/**
 * Default options of the artefacts check: no mappings, and the pack's usual places searched. The check still merges
 * what it is given over these itself, since a caller may build its configuration by hand.
 */
export function defaultArtefactsOptions(): ArtefactsOptions {
  return { files: [], detect: true };
}

/** `artefacts:` in `.github/openly.yml`: a level, a list of files, or a level with files and detect. */
const artefactsOptions: CheckOptionsSpec<ArtefactsOptions> = {
  schema: {
    title: 'artefacts check',
    description:
      "Checks open-working artefacts (design history, decision records, risk registers, weeknotes and the rest) against Openly's schema pack or your own schemas. Give a level (error, warning, off), a list of files, or a mapping with a level, files and detect. Without files, artefacts are found in their usual places.",
    oneOf: [
      {
        $ref: '#/$defs/checkLevel',
      },
      {
        $ref: '#/$defs/artefactFiles',
      },
      {
        title: 'artefacts check settings',
        description: 'The level of the artefacts check and its options.',
        type: 'object',
        additionalProperties: false,
        properties: {
          level: {
            $ref: '#/$defs/checkLevel',
          },
          files: {
            $ref: '#/$defs/artefactFiles',
          },
          detect: {
            title: 'find artefacts in their usual places',
            description:
              'When true (the default), files in the usual places for each type (such as docs/adr/*.md or roadmap.yaml) are checked too, unless an entry of files already covers them. false checks only the files listed.',
            type: 'boolean',
          },
        },
      },
    ],
  },
  // The types are the pack's, listed once in ARTEFACT_TYPES.
  defs: {
    artefactFiles: {
      title: 'artefact files',
      description:
        "Which files are which artefacts: each entry maps a path glob to a type of Openly's pack or to a JSON Schema file of your own. The first entry that matches a file decides.",
      type: 'array',
      items: {
        title: 'artefact files entry',
        description:
          "Files matching path, and what they must be: a type of Openly's pack (type) or your own schema (schema), one or the other.",
        type: 'object',
        additionalProperties: false,
        required: ['path'],
        properties: {
          path: {
            title: 'path',
            description:
              'A glob matching files, relative to the repository root, such as design-history/**/*.md or data/*.yaml.',
            type: 'string',
            minLength: 1,
          },
          type: {
            title: 'artefact type',
            description:
              "A type of Openly's schema pack, such as design-history-entry or architecture-decision-record.",
            type: 'string',
            enum: [...ARTEFACT_TYPES],
          },
          schema: {
            title: 'your own schema',
            description:
              "The path of a JSON Schema file in the repository, relative to its root, such as schemas/our-dataset.json. It may refer ($ref) to other files in the repository or to Openly's pack, never to other web addresses.",
            type: 'string',
            minLength: 1,
          },
          format: {
            title: 'file format',
            description:
              'How to read the files: markdown (YAML front matter), yaml, json, csv or tsv (each row checked against the schema). By default from the file extension.',
            type: 'string',
            enum: ['markdown', 'yaml', 'json', 'csv', 'tsv'],
          },
        },
        oneOf: [
          {
            title: "a type of Openly's pack",
            description: "Files judged against a type of Openly's schema pack.",
            required: ['type'],
            properties: {
              type: {
                title: 'artefact type',
                description: "A type of Openly's schema pack.",
              },
            },
          },
          {
            title: 'your own schema',
            description: 'Files judged against a JSON Schema file in the repository.',
            required: ['schema'],
            properties: {
              schema: {
                title: 'your own schema',
                description: 'A JSON Schema file in the repository.',
              },
            },
          },
        ],
      },
    },
  },
  defaults: defaultArtefactsOptions,
};

/** One file to judge, and what against. */
export interface ArtefactTarget {
  path: string;
  type?: ArtefactType;
  schema?: string;
  format: ArtefactFormat;
}

/** Findings about one file past this are summed up in one: the first ones show what is wrong. */
const MAX_FINDINGS_PER_FILE = 20;

/** `./schemas/x.json` and `/schemas/x.json` as people write them, for the repository path `schemas/x.json`. */
function fromRoot(path: string): string {
  return path.replace(/^(?:\.\/|\/)+/, '');
}

function optionsOf(raw: unknown): ArtefactsOptions {
  const options = defaultArtefactsOptions();
  const files: unknown = Array.isArray(raw) ? raw : isMapping(raw) ? raw.files : undefined;
  if (Array.isArray(files)) {
    options.files = (files as ArtefactMapping[]).map((entry) => ({
      ...entry,
      path: fromRoot(entry.path),
      ...(entry.schema === undefined ? {} : { schema: fromRoot(entry.schema) }),
    }));
  }
  if (isMapping(raw) && typeof raw.detect === 'boolean') options.detect = raw.detect;
  return options;
}

/** Which files are artefacts and what they are: the first configured entry matching a file, else its usual place. */
export function selectArtefacts(
  paths: readonly string[],
  raw: unknown,
  checkpoint: () => void = () => {},
): ArtefactTarget[] {
  const options = optionsOf(raw);
  const matchers = options.files.map((entry) => {
    const pattern = compileGlob(entry.path);
    return { entry, match: (path: string) => pattern.test(path) };
  });
  const targets: ArtefactTarget[] = [];
  for (const path of paths) {
    checkpoint();
    const hit = matchers.find(({ match }) => match(path))?.entry;
    if (hit !== undefined) {
      if (hit.schema !== undefined && hit.schema === path) continue;
      const fallback = hit.type === undefined ? 'yaml' : packType(hit.type).format;
      targets.push({
        path,
        ...(hit.type === undefined ? {} : { type: hit.type }),
        ...(hit.schema === undefined ? {} : { schema: hit.schema }),
        format: hit.format ?? formatOf(path, fallback),
      });
      continue;
    }
    if (!options.detect) continue;
    const type = detectType(path);
    if (type !== undefined) targets.push({ path, type, format: formatOf(path, packType(type).format) });
  }
  return targets;
}

/** Paths in code-unit order, as the snapshot lists them; `localeCompare` is slower and differs by locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

const CONFIG_FILES = ['.github/openly.yml', '.github/openly.yaml'];

/** Where the configuration names a schema, for a schema file that is missing. */
function configSpot(
  snapshot: RepoSnapshot,
  schema: string,
): { path: string; line: number; column: number } | undefined {
  for (const file of CONFIG_FILES) {
    const content = snapshot.read(file);
    if (content.kind !== 'text') continue;
    const lines = content.text.split('\n');
    const index = lines.findIndex((line) => line.includes(schema));
    if (index >= 0) return { path: file, line: index + 1, column: (lines[index] ?? '').indexOf(schema) + 1 };
    return { path: file, line: 1, column: 1 };
  }
  return undefined;
}

function unreadableReason(kind: string, size: number | undefined, reason: string | undefined): string {
  if (kind === 'binary') return 'is not a text file (binary, or not valid UTF-8)';
  if (kind === 'too-large') return `is too large to read (${size ?? 0} bytes)`;
  return `could not be read (${reason ?? 'unknown reason'})`;
}

/** A sentence's end, without doubling the stop of a message that already has one ("did you mean …?"). */
function sentence(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

/** "an incident report", "a weeknote": a type id in words. */
function typeWords(type: string): string {
  const words = type.replace(/-/g, ' ');
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}

function labelOf(target: ArtefactTarget): string {
  return target.type === undefined ? `the schema ${target.schema ?? ''}` : `the ${target.type} schema`;
}

interface Entry {
  path: string;
  type: string;
  schema?: string;
  valid: boolean;
}

class Run {
  readonly findings: DraftFinding[] = [];
  readonly artefacts: Entry[] = [];
  readonly decisions: Decision[] = [];
  readonly customs: CustomSchemas;
  readonly reportedSchemas = new Set<string>();
  readonly today: Date;

  constructor(readonly ctx: CheckContext<ArtefactsOptions>) {
    this.customs = new CustomSchemas(ctx.snapshot);
    const now = ctx.now();
    this.today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }

  add(rule: string, path: string, spot: Partial<Spot> & { message: string; fix?: string }): void {
    if (!this.ctx.enabled(rule)) return;
    this.findings.push({
      rule,
      path,
      message: spot.message,
      ...(spot.line === undefined ? {} : { line: spot.line, column: spot.column ?? 1 }),
      ...(spot.fix === undefined ? {} : { fix: spot.fix }),
    });
  }

  judgeOf(target: ArtefactTarget): Judge | undefined {
    if (target.type !== undefined) return packJudge(target.type);
    const schema = target.schema ?? '';
    const judge = this.customs.judge(schema);
    if (!Array.isArray(judge)) return judge;
    if (!this.reportedSchemas.has(schema)) {
      this.reportedSchemas.add(schema);
      for (const problem of judge) this.schemaProblem(schema, problem);
    }
    return undefined;
  }

  schemaProblem(schema: string, problem: SchemaProblem): void {
    const missing = !this.ctx.snapshot.has(problem.path);
    const where = missing ? configSpot(this.ctx.snapshot, schema) : undefined;
    this.add('artefacts/custom-schema', where?.path ?? problem.path, {
      message: problem.message,
      fix: problem.fix,
      ...(where !== undefined
        ? { line: where.line, column: where.column }
        : problem.line === undefined
          ? {}
          : { line: problem.line, column: problem.column ?? 1 }),
    });
  }

  /**
   * Whether the value fits the schema, or undefined when the schema cannot be applied at all: a team's schema that
   * refers to itself without end (`"$ref": "#"`) overflows the stack, which is one finding at the schema.
   */
  apply(judge: Judge, target: ArtefactTarget, value: unknown): boolean | undefined {
    try {
      return judge.validate(value);
    } catch (error) {
      const schema = target.schema ?? judge.name;
      if (!this.reportedSchemas.has(schema)) {
        this.reportedSchemas.add(schema);
        const text = error instanceof Error ? error.message : String(error);
        const why = error instanceof RangeError ? 'it refers to itself without end' : text.slice(0, 200);
        this.add('artefacts/custom-schema', schema, {
          message: `${schema} cannot be applied to ${target.path}: ${why}.`,
          fix: 'Make every $ref lead to a schema that checks something, rather than straight back to itself.',
        });
      }
      return undefined;
    }
  }

  file(target: ArtefactTarget): void {
    const { path } = target;
    const entry: Entry = {
      path,
      type: target.type ?? target.schema ?? 'custom',
      ...(target.schema === undefined ? {} : { schema: target.schema }),
      valid: false,
    };
    this.artefacts.push(entry);
    const content = this.ctx.snapshot.read(path);
    if (content.kind !== 'text') {
      if (content.kind === 'missing') return;
      const size = 'size' in content ? content.size : undefined;
      const reason = 'reason' in content ? content.reason : undefined;
      this.add('artefacts/unreadable', path, {
        message: `${path} ${unreadableReason(content.kind, size, reason)}, so it cannot be checked against ${labelOf(target)}.`,
        fix: 'Keep artefacts as plain UTF-8 text files of a reasonable size.',
      });
      return;
    }
    const judge = this.judgeOf(target);
    if (judge === undefined) return;
    const parsed = parseArtefact(content.text, target.format);
    let invalid = false;
    let count = 0;
    const cappedAdd = (rule: string, spot: Spot) => {
      count += 1;
      if (count <= MAX_FINDINGS_PER_FILE) this.add(rule, path, spot);
    };
    for (const problem of parsed.problems) {
      invalid = true;
      cappedAdd('artefacts/parse', {
        ...problem,
        fix: 'Correct the file so that it can be read; the message says what is wrong at this place.',
      });
    }
    const decision = target.type === 'architecture-decision-record' && target.format === 'markdown';
    let sections = target.type === undefined ? [] : packType(target.type).sections;
    let successorFromBody = false;
    if (decision && (parsed.frontMatter === false || parsed.documents.length > 0)) {
      // Most decision records have no front matter: the body says what front matter would (Nygard, adr-tools).
      const front = parsed.documents[0];
      const record = readDecisionRecord(
        front?.value,
        front?.locator,
        parsed.body ?? content.text,
        parsed.bodyLine ?? 1,
      );
      parsed.documents = [{ value: record.value, locator: record.locator }];
      successorFromBody = record.fromBody.has('superseded_by');
      parsed.frontMatter = true;
      this.decisionChecks(path, record, cappedAdd, () => (invalid = true));
      // MADR puts Consequences under Decision Outcome, and its own records leave them out.
      if (record.madr) sections = sections.filter((section) => section !== 'Consequences');
    }
    if (parsed.frontMatter === false) {
      invalid = true;
      const schema = judge.schema;
      const required =
        typeof schema === 'object' && Array.isArray(schema.required) ? (schema.required as string[]) : [];
      cappedAdd('artefacts/schema', {
        line: 1,
        column: 1,
        message: `${path} has no front matter, so it cannot be checked against ${labelOf(target)}.`,
        fix: `Start the file with a block of fields between two --- lines${required.length === 0 ? '' : `, with at least ${required.join(', ')}`}.`,
      });
    }
    const pack = target.type === undefined ? undefined : packType(target.type);
    for (const document of parsed.documents) {
      const prefix = document.label === undefined ? '' : `${document.label}: `;
      const verdict = this.apply(judge, target, document.value);
      if (verdict === undefined) {
        invalid = true;
        break;
      }
      if (!verdict) {
        invalid = true;
        const errors = judge.validate.errors ?? [];
        const { spots, rest } = riskRatingSpots(errors, document.value, document.locator);
        for (const spot of spots)
          cappedAdd('artefacts/risk-rating', { ...spot, message: prefix + spot.message });
        const explained = explain(rest, document.locator, {
          schema: typeof judge.schema === 'object' ? judge.schema : {},
          data: document.value,
        });
        for (const explanation of explained) {
          // A table row has columns rather than keys, and a missing one is an empty cell.
          const words =
            target.format === 'csv' || target.format === 'tsv'
              ? explanation.message.replace(
                  /^missing required key "(.+)" at the top level$/,
                  'the $1 column is empty, but it must be filled in',
                )
              : explanation.message;
          cappedAdd('artefacts/schema', {
            line: explanation.line,
            column: explanation.column,
            message: sentence(`${prefix}${words}`),
            // The field's description says what belongs there, unless the message has already said it.
            fix:
              explanation.hint !== undefined && !words.includes(explanation.hint)
                ? explanation.hint
                : `Change the value so that it fits ${labelOf(target)}.`,
          });
        }
      }
      if (pack !== undefined && pack.dateField !== undefined) {
        const dates = dateSpots(path, document.value, document.locator, pack);
        for (const spot of dates.filename) cappedAdd('artefacts/filename-date', spot);
        for (const spot of dates.weekday) cappedAdd('artefacts/weekday', spot);
      }
      if (this.ctx.enabled('artefacts/overdue')) {
        for (const spot of overdueSpots(document.value, document.locator, this.today)) {
          cappedAdd('artefacts/overdue', { ...spot, message: prefix + spot.message });
        }
      }
      if (this.ctx.enabled('artefacts/duplicate-id')) {
        for (const spot of repeatedIdSpots(document.value, document.locator)) {
          cappedAdd('artefacts/duplicate-id', { ...spot, message: prefix + spot.message });
        }
      }
      if (target.type === 'architecture-decision-record') {
        const found = decisionOf(path, document.value, document.locator);
        // A successor read from the Status section is fixed there, not in a superseded_by field.
        if (found.successor !== undefined && successorFromBody) found.successor.field = 'status';
        this.decisions.push(found);
      }
    }
    if (
      pack !== undefined &&
      sections.length > 0 &&
      parsed.body !== undefined &&
      this.ctx.enabled('artefacts/sections')
    ) {
      const missing = missingSections(headingsOf(parsed.body, parsed.bodyLine ?? 1), sections);
      if (missing.length > 0) {
        cappedAdd('artefacts/sections', {
          line: parsed.bodyLine ?? 1,
          column: 1,
          message: `${path} has no ${missing.map((name) => `"${name}"`).join(', ')} section${missing.length === 1 ? '' : 's'}; ${typeWords(target.type ?? '')} has ${sections.join(', ')}.`,
          fix:
            missing.length === 1
              ? `Add a heading "## ${missing[0] ?? ''}" followed by what belongs there.`
              : `Add the headings ${missing.map((name) => `"## ${name}"`).join(', ')}, each followed by what belongs there.`,
        });
      }
    }
    if (count > MAX_FINDINGS_PER_FILE) {
      this.add('artefacts/schema', path, {
        line: 1,
        column: 1,
        message: `${path}: ${(count - MAX_FINDINGS_PER_FILE).toLocaleString('en-GB')} further problems are not listed; fix those above first.`,
      });
    }
    entry.valid = !invalid;
  }

  /** What a decision record must say wherever it says it: its status and date, and its own number. */
  decisionChecks(
    path: string,
    record: DecisionRecord,
    add: (rule: string, spot: Spot) => void,
    invalid: () => void,
  ): void {
    const at = { line: record.heading?.line ?? 1, column: 1 };
    // MADR makes status and date optional; Nygard's format, as adr-tools writes it, always has both.
    if (!record.madr) {
      if (record.value.status === undefined) {
        invalid();
        add('artefacts/schema', {
          ...at,
          message: `${path} does not say the decision's status.`,
          fix: `Add a "## Status" section whose first line is one of ${STATUS_WORDS}, or "Superseded by [N. Title](NNNN-title.md)".`,
        });
      }
      if (record.value.date === undefined) {
        invalid();
        add('artefacts/schema', {
          ...at,
          message: `${path} does not say when the decision was made.`,
          fix: 'Add a line "Date: YYYY-MM-DD" under the title, with the day the status last changed.',
        });
      }
    }
    const heading = record.heading;
    const name = path.slice(path.lastIndexOf('/') + 1);
    const digits = /^(?:adr[-_ ]?)?(\d+)/i.exec(name)?.[1];
    if (heading?.number !== undefined && digits !== undefined && Number(digits) !== heading.number) {
      add('artefacts/decision-number', {
        line: heading.line,
        column: heading.column,
        message: `The heading numbers this decision ${heading.number}, but its file name numbers it ${Number(digits)}.`,
        fix: `Make the heading and the file name give the same number: other records and links refer to decisions by it.`,
      });
    }
  }

  crossFile(): void {
    if (this.decisions.length === 0) return;
    const { duplicates, successors } = judgeDecisions(this.decisions, (path) => this.ctx.snapshot.has(path));
    for (const spot of duplicates) this.add('artefacts/duplicate-id', spot.path, spot);
    for (const spot of successors) this.add('artefacts/superseded-by', spot.path, spot);
  }
}

export const artefactsCheck: Check<ArtefactsOptions> = {
  id: 'artefacts',
  title: 'Open-working artefacts',
  rules: artefactsRules,
  options: artefactsOptions,

  wants(paths, options) {
    const targets = selectArtefacts(paths, options);
    const wanted = new Set(targets.map((target) => target.path));
    // A team's schema may refer to others beside or below it; they cannot be known before it is read.
    const schemas = [
      ...new Set(
        optionsOf(options).files.flatMap((entry) => (entry.schema === undefined ? [] : [entry.schema])),
      ),
    ];
    for (const schema of schemas) {
      wanted.add(schema);
      const folder = folderOf(schema);
      for (const path of paths) {
        // Below a schema at the root would be the whole repository: there, only its neighbours.
        const near = folder === '' ? !path.includes('/') : path.startsWith(folder);
        if (near && /\.(json|ya?ml)$/i.test(path)) wanted.add(path);
      }
    }
    for (const file of CONFIG_FILES) if (paths.includes(file)) wanted.add(file);
    return [...wanted];
  },

  run(ctx) {
    const run = new Run(ctx);
    for (const target of selectArtefacts(ctx.snapshot.files(), ctx.options, ctx.checkpoint)) {
      ctx.checkpoint();
      run.file(target);
    }
    run.crossFile();
    // Cross-file findings come last from the run; a person reads a file's findings together, top to bottom.
    const findings = run.findings
      .map((finding, index) => ({ finding, index }))
      .sort(
        (a, b) =>
          compare(a.finding.path ?? '', b.finding.path ?? '') ||
          (a.finding.line ?? 0) - (b.finding.line ?? 0) ||
          (a.finding.column ?? 0) - (b.finding.column ?? 0) ||
          a.index - b.index,
      )
      .map(({ finding }) => finding);
    return { findings, data: { artefacts: run.artefacts } };
  },
};
