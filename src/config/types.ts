import type { Level } from '../core/check.js';

/** A check's level: `off` skips it; `warning` caps its findings at warning; `error` leaves them as they are. */
export type CheckLevel = 'error' | 'warning' | 'off';

/**
 * The configuration after loading, validation and merging over the defaults. In the YAML file each check has a
 * top-level key named by its id, either a level (`licence: warning`) or a mapping with `level` and its options;
 * `rules` maps a rule id to a level.
 */
export interface ResolvedConfig {
  /** Check id → level. A check missing here runs at `error`. */
  levels: Record<string, CheckLevel>;
  /** Check id → that check's options, merged over its defaults. */
  options: Record<string, unknown>;
  /** Rule id → level, from the configuration only (rule defaults live with the checks). */
  rules: Record<string, Level>;
  /** Path globs of files no check sees (`exclude:`). Optional so that configurations built by hand stay valid. */
  exclude?: string[];
  /** Where the configuration came from, for messages ("read from .github/openly.yml"). */
  sources: string[];
}

/** Options of the `licence` check (`licence:` in `.github/openly.yml`). */
export interface LicenceOptions {
  /** SPDX ids a licence file, header or declaration may name. */
  allowed: string[];
  /** Licence required by path glob: every licence covering a matching path must allow this one. */
  paths: Array<{ path: string; licence: string }>;
}

/** Options of the `community-files` check. Which files are required is set per rule (`rules:`). */
export type CommunityFilesOptions = Record<string, never>;

/** The artefact types of the default schema pack (`schemas/artefacts/index.json`); ids are stable. */
export const ARTEFACT_TYPES = [
  'design-history-entry',
  'architecture-decision-record',
  'risk-register',
  'incident-report',
  'service-list',
  'data-catalogue-entry',
  'roadmap',
  'weeknote',
  'playbook',
  'standard',
  'requirements-register',
  'release-note',
  'publiccode',
] as const;

export type ArtefactType = (typeof ARTEFACT_TYPES)[number];

/** How an artefact file is read: YAML front matter of Markdown, YAML (one or more documents), JSON, or a register. */
export type ArtefactFormat = 'markdown' | 'yaml' | 'json' | 'csv' | 'tsv';

/** One `artefacts.files` entry: files matching `path` are judged against a pack type or the team's own schema. */
export interface ArtefactMapping {
  /** A glob from the repository root, such as `design-history/**\/*.md`. */
  path: string;
  /** A type of the default pack. Exactly one of `type` and `schema` is set. */
  type?: ArtefactType;
  /** A JSON Schema file in the repository, relative to its root. */
  schema?: string;
  /** How to read the files; by default from the file extension. */
  format?: ArtefactFormat;
}

/** Options of the `artefacts` check (`artefacts:` in `.github/openly.yml`). */
export interface ArtefactsOptions {
  /** Which files are which artefacts; the first entry whose `path` matches a file wins. */
  files: ArtefactMapping[];
  /** Whether files in the pack's usual places are found and judged too, when no entry of `files` matches them. */
  detect: boolean;
}
