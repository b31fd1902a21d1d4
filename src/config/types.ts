import type { CheckOptionsSpec, Level } from '../core/check.js';

/**
 * What the configuration needs of a check: its id (= its key) and its options' schema and defaults. The loader is
 * given these by the doors, which hold the registry; `config/` never imports the checks, which sit above it.
 */
export interface ConfigurableCheck {
  id: string;
  options?: CheckOptionsSpec<unknown>;
}

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
  /**
   * The base a single file's `_extends` names, where it says so. Only the App follows it; the CLI and the Action,
   * which read one checkout, use this to say that the base was not applied.
   */
  extends?: { value: string; file: string; line: number };
  /** `fix:` as merged from the organisation base and the repository's file; absent means `off`. */
  fix?: FixSettings;
}

/** `fix:`: whether the App opens a pull request with the missing first files, and the values they are written with. */
export interface FixSettings {
  mode: 'pull-request' | 'off';
  /** Named in the Crown copyright line and the templates; by default the GitHub organisation's name. */
  organisation?: string;
  /** Written into SECURITY.md; by default the contact in the organisation's own SECURITY.md. */
  securityContact?: string;
  /** The SPDX id for LICENCE; MIT by default. */
  licence?: string;
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

/** One heading of the release notes and the labels that put a pull request or issue under it. */
export interface ReleaseNotesCategory {
  title: string;
  labels: string[];
}

/**
 * The `release-notes:` section of `.github/openly.yml` with every default applied: what the Action's release notes
 * list, under which headings, how each line reads, and how the next version is worked out.
 */
export interface ReleaseNotesConfig {
  /** Headings in order; an item goes under the first whose labels it carries. */
  categories: ReleaseNotesCategory[];
  /** The heading for items no category claims; empty leaves them out. */
  otherTitle: string;
  /** Pull requests and issues with any of these labels are left out of the notes. */
  excludeLabels: string[];
  /** Labels that make the next version a major, minor or patch release; the largest wins. */
  versionLabels: { major: string[]; minor: string[]; patch: string[] };
  /** The bump when no item carries a version label. */
  defaultBump: 'major' | 'minor' | 'patch';
  /** The version of the first release, when the repository has no release with a SemVer tag yet. */
  initialVersion: string;
  /** The tag prefix when no earlier tag shows the repository's style (`v` gives `v0.1.0`). */
  tagPrefix: string;
  /** Text above the lists; `$NEXT_VERSION` and `$PREVIOUS_TAG` are replaced. */
  header: string;
  /** Text below the lists, with the same replacements as `header`. */
  footer: string;
  /** One item: `$TITLE`, `$NUMBER`, `$AUTHOR` and `$URL` are replaced. */
  line: string;
  /** Whether the notes list changes to open-working artefacts (risks, incidents, decisions, roadmap). */
  artefacts: boolean;
  /** Whether the notes end with the contributors' names. */
  contributors: boolean;
}
