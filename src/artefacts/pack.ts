import { readFileSync } from 'node:fs';
import { compileGlobs } from '../core/glob.js';
import type { ArtefactFormat, ArtefactType } from '../config/types.js';

/** One type of the default schema pack, as `schemas/artefacts/index.json` describes it. */
export interface PackType {
  type: ArtefactType;
  /** The schema's file name in `schemas/artefacts/`. */
  schema: string;
  format: Extract<ArtefactFormat, 'markdown' | 'yaml' | 'json'>;
  /** Globs from the repository root where teams usually keep this type. */
  locations: string[];
  /** Markdown section headings the body must have. */
  sections: string[];
  /** Applied to the base name; a named group `date`. */
  filenamePattern?: string;
  /** The field that must hold the file name's date. */
  dateField?: string;
  /** ISO weekday (1 Monday … 7 Sunday) the date must fall on. */
  dateWeekday?: number;
}

/** The `$id` prefix of every pack schema: `https://openly.dev/schemas/artefacts/<type>/v1`. */
export const PACK_ID_PREFIX = 'https://openly.dev/schemas/artefacts/';

/** Beside `src/` in the repository and beside `lib/` in the package, like the config schema. */
const PACK_DIR = new URL('../../schemas/artefacts/', import.meta.url);

let types: Map<ArtefactType, PackType> | undefined;
const schemas = new Map<string, Record<string, unknown>>();

/** The pack's types by id, read once. */
export function packTypes(): ReadonlyMap<ArtefactType, PackType> {
  if (types === undefined) {
    const index = JSON.parse(readFileSync(new URL('index.json', PACK_DIR), 'utf8')) as {
      artefacts: PackType[];
    };
    types = new Map(index.artefacts.map((entry) => [entry.type, entry]));
  }
  return types;
}

export function packType(type: ArtefactType): PackType {
  const entry = packTypes().get(type);
  if (entry === undefined) throw new Error(`the schema pack has no type ${type}`);
  return entry;
}

/** A pack schema by type, read on first use only: a run reads just the types it meets. */
export function packSchema(type: ArtefactType): Record<string, unknown> {
  let schema = schemas.get(type);
  if (schema === undefined) {
    schema = JSON.parse(readFileSync(new URL(packType(type).schema, PACK_DIR), 'utf8')) as Record<
      string,
      unknown
    >;
    schemas.set(type, schema);
  }
  return schema;
}

/** The pack type a `$ref` URI names (`https://openly.dev/schemas/artefacts/roadmap/v1#/...`), if any. */
export function packTypeOfUri(uri: string): ArtefactType | undefined {
  if (!uri.startsWith(PACK_ID_PREFIX)) return undefined;
  const type = uri.slice(PACK_ID_PREFIX.length).split(/[/#]/)[0] ?? '';
  const entry = packTypes().get(type as ArtefactType);
  if (entry === undefined) return undefined;
  const id = packSchema(entry.type).$id;
  return typeof id === 'string' && uri.split('#')[0] === id ? entry.type : undefined;
}

/**
 * Base names that sit in artefact folders without being artefacts: a folder's README or index page and the
 * template people copy. Skipped when finding artefacts by place, never when a configured path names them.
 */
const NOT_ARTEFACTS =
  /^(readme|index|template|_template|0000-template|adr-template|contributing)(\.[a-z]+)?$/i;

const PACK_EXTENSIONS = /\.(?:md|ya?ml|json)$/i;

let detectors: Array<{ type: ArtefactType; match: (path: string) => boolean }> | undefined;

/** The pack type whose usual places hold `path`, if any (the first in the index's order). */
export function detectType(path: string): ArtefactType | undefined {
  // One automaton per type for all its usual places: one pass over the path whatever the number of places.
  detectors ??= [...packTypes().values()].map((entry) => {
    const places = compileGlobs(entry.locations);
    return { type: entry.type, match: (path: string) => places.test(path) };
  });
  // Every usual place is a Markdown, YAML or JSON file; most paths of a large tree are not, and go no further.
  if (!PACK_EXTENSIONS.test(path)) return undefined;
  const slash = path.lastIndexOf('/');
  if (NOT_ARTEFACTS.test(path.slice(slash + 1))) return undefined;
  for (const detector of detectors) if (detector.match(path)) return detector.type;
  return undefined;
}
