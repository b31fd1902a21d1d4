import type { JsonSchema } from '../core/check.js';
import { CONFIG_SCHEMA_ID } from './schema.js';

/**
 * The configuration schema's own keys, without the checks': `assembleConfigSchema` puts each registered check's
 * key between the settings before and after the checks. Edit here, then run `npm run schema`.
 */
export const CONFIG_SCHEMA_HEAD: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: CONFIG_SCHEMA_ID,
  title: 'Openly configuration',
  description:
    'Settings for Openly in .github/openly.yml: which checks run, how strict each one is, and their options. A key not described here is an error.',
  type: 'object',
  additionalProperties: false,
};

/** Top-level settings listed before the checks. */
export const SETTINGS_BEFORE_CHECKS: Record<string, JsonSchema> = {
  _extends: {
    title: 'inherit from',
    description:
      'A repository whose .github/openly.yml this file builds on, usually your organisation\'s ".github" repository. Used by the GitHub App; the command line ignores it when offline.',
    type: 'string',
    minLength: 1,
    examples: ['.github', 'my-org/.github'],
  },
  exclude: {
    title: 'paths left out',
    description:
      "Path globs (as in .gitignore-style globs: * within a folder, ** across folders) of files that no check looks at, such as vendored code, test fixtures or generated files. A repository's list replaces the one in its organisation's base.",
    type: 'array',
    items: {
      title: 'path glob',
      description: 'A glob relative to the repository root, such as vendor/** or docs/archive/**.',
      type: 'string',
      minLength: 1,
    },
    uniqueItems: true,
    examples: [['vendor/**', 'test/fixtures/**']],
  },
  rules: {
    title: 'rule levels',
    description:
      'Sets single rules, by rule id (such as licence/crown-copyright), to error, warning, notice or off. A rule not listed here keeps its default level.',
    type: 'object',
    propertyNames: {
      title: 'rule id',
      description:
        "A rule id: the check's name, a slash, and the rule's name, such as licence/crown-copyright.",
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*$',
    },
    additionalProperties: {
      $ref: '#/$defs/ruleLevel',
    },
  },
};

/** How the App fixes what it can: `fix: pull-request` (or the mapping form, with the values the files name). */
const FIX_MODE: JsonSchema = {
  title: 'mode',
  description:
    'pull-request: the GitHub App opens one pull request adding the files the licence and community-files checks ask for and the repository lacks (the same files as openly init). off (the default): the App writes nothing but the check run.',
  type: 'string',
  enum: ['pull-request', 'off'],
};

/** Top-level settings listed after the checks. */
export const SETTINGS_AFTER_CHECKS: Record<string, JsonSchema> = {
  'release-notes': {
    title: 'release notes',
    description:
      'How the Action writes release notes: the draft kept up to date on every merge, and the release published when a milestone closes. Every key is optional; a key not described here is an error.',
    type: 'object',
    additionalProperties: false,
    properties: {
      categories: {
        title: 'headings',
        description:
          'The headings of the notes, in order, each with the labels that put a pull request or issue under it. Replaces the built-in headings (Breaking changes, New features, Deprecated features, Bug fixes, Documentation, Open working). An item goes under the first heading whose labels it carries.',
        type: 'array',
        items: {
          title: 'heading',
          description: 'One heading and its labels.',
          type: 'object',
          additionalProperties: false,
          required: ['title', 'labels'],
          properties: {
            title: {
              title: 'heading text',
              description: 'The heading as readers see it, such as New features.',
              type: 'string',
              minLength: 1,
            },
            labels: {
              title: 'labels',
              description: 'Labels that put an item under this heading, such as enhancement.',
              type: 'array',
              items: {
                title: 'label',
                description: 'A label name as it appears on GitHub, matched without regard to case.',
                type: 'string',
                minLength: 1,
              },
              uniqueItems: true,
            },
          },
        },
      },
      'other-title': {
        title: 'heading for the rest',
        description:
          "The heading for items that no heading's labels claim (Other changes by default). An empty text leaves such items out.",
        type: 'string',
      },
      'exclude-labels': {
        title: 'labels left out',
        description:
          'Pull requests and issues with any of these labels are not listed, such as skip-changelog.',
        type: 'array',
        items: {
          title: 'label',
          description: 'A label name as it appears on GitHub, matched without regard to case.',
          type: 'string',
          minLength: 1,
        },
        uniqueItems: true,
      },
      'version-labels': {
        title: 'version labels',
        description:
          "Labels that decide the next version over the last release's tag: any major label makes a major release, else any minor label a minor one, else a patch.",
        type: 'object',
        additionalProperties: false,
        properties: {
          major: {
            title: 'major labels',
            description: 'Labels that make the next release a major one (1.4.2 to 2.0.0).',
            type: 'array',
            items: {
              title: 'label',
              description: 'A label name as it appears on GitHub, matched without regard to case.',
              type: 'string',
              minLength: 1,
            },
            uniqueItems: true,
          },
          minor: {
            title: 'minor labels',
            description: 'Labels that make the next release a minor one (1.4.2 to 1.5.0).',
            type: 'array',
            items: {
              title: 'label',
              description: 'A label name as it appears on GitHub, matched without regard to case.',
              type: 'string',
              minLength: 1,
            },
            uniqueItems: true,
          },
          patch: {
            title: 'patch labels',
            description: 'Labels that make the next release a patch (1.4.2 to 1.4.3).',
            type: 'array',
            items: {
              title: 'label',
              description: 'A label name as it appears on GitHub, matched without regard to case.',
              type: 'string',
              minLength: 1,
            },
            uniqueItems: true,
          },
        },
      },
      'default-bump': {
        title: 'bump without labels',
        description:
          'How the version moves when no item carries a version label: major, minor or patch (the default).',
        type: 'string',
        enum: ['major', 'minor', 'patch'],
      },
      'initial-version': {
        title: 'first version',
        description:
          'The version of the first release, when no release has a SemVer tag yet (0.1.0 by default).',
        type: 'string',
        pattern: '^v?(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$',
      },
      'tag-prefix': {
        title: 'tag prefix',
        description:
          "What goes before the version in a new tag when no earlier tag shows the repository's habit: v (the default) gives v1.4.0, an empty text gives 1.4.0. Once a release exists, its tag's style is kept.",
        type: 'string',
        enum: ['v', ''],
      },
      header: {
        title: 'text above',
        description: 'Markdown written above the lists. $NEXT_VERSION and $PREVIOUS_TAG are replaced.',
        type: 'string',
      },
      footer: {
        title: 'text below',
        description: 'Markdown written below the lists. $NEXT_VERSION and $PREVIOUS_TAG are replaced.',
        type: 'string',
      },
      line: {
        title: 'line template',
        description:
          'How each item reads. $TITLE, $NUMBER, $AUTHOR and $URL are replaced; the default is "- $TITLE (#$NUMBER) by @$AUTHOR".',
        type: 'string',
        minLength: 1,
      },
      artefacts: {
        title: 'artefact changes',
        description:
          "When true (the default), the notes also say what changed in open-working artefacts since the last release: risks added or closed, incidents resolved, decisions accepted and the roadmap's now items.",
        type: 'boolean',
      },
      contributors: {
        title: 'contributors',
        description: 'When true (the default), the notes end with everyone whose pull requests they list.',
        type: 'boolean',
      },
    },
  },
  audit: {
    title: 'organisation audit',
    description:
      "How the Openly App audits every repository of the organisation and where it tells the result. Read only from the organisation base (<org>/.github, file .github/openly.yml); in a repository's own file it means nothing. Every key is optional; a key not described here is an error.",
    type: 'object',
    additionalProperties: false,
    properties: {
      enforcement: {
        title: 'where the result goes',
        description:
          'report (the default): nothing is written to GitHub; the App keeps the report and dashboard files (where OPENLY_AUDIT_DIR is set) and logs a summary. issue: one tracking issue lists every repository that falls short, edited in place, closed when all comply. off: no audit at all.',
        type: 'string',
        enum: ['report', 'issue', 'off'],
      },
      repository: {
        title: 'tracking issue repository',
        description:
          "The organisation's repository that holds the tracking issue (with enforcement: issue); .github by default.",
        type: 'string',
        pattern: '^[A-Za-z0-9_.-]{1,100}$',
        examples: ['.github', 'open-working'],
      },
      'per-repository-issues': {
        title: 'an issue in each repository',
        description:
          'With enforcement: issue, also one issue in each repository that falls short (never one per rule), edited in place, closed when the repository complies and reopened if it falls short again. False by default.',
        type: 'boolean',
      },
      digest: {
        title: 'weekly digest',
        description:
          'weekly (the default): at most one comment a week on the tracking issue, and only when something changed that week. off: never a comment; the issue is only edited.',
        type: 'string',
        enum: ['weekly', 'off'],
      },
      schedule: {
        title: 'how often',
        description:
          'How often the App audits every repository again: daily (the default) or weekly; off audits only on installation, on repositories added, and on repository events.',
        type: 'string',
        enum: ['daily', 'weekly', 'off'],
      },
      dashboard: {
        title: 'dashboard address',
        description:
          "Where the organisation publishes the audit dashboard (such as the Pages site the Action's mode: audit writes); the tracking issue links to it.",
        type: 'string',
        pattern: '^https?://[^\\s]+$',
      },
    },
  },
  fix: {
    title: 'fix by pull request',
    description:
      "Whether the Openly App opens a pull request adding the first set of files a repository is missing (LICENCE, CONTRIBUTING.md, SECURITY.md, CODE_OF_CONDUCT.md, .github/openly.yml). Either pull-request or off (the default), or a mapping with mode and the values the files name. Set in the organisation base (<org>/.github, file .github/openly.yml) for every repository, or in a repository's own file; a repository's fix: off keeps it out. The App needs Contents and Pull requests: write for it.",
    oneOf: [
      FIX_MODE,
      {
        title: 'fix with values',
        description: 'The mode and the values the files are written with.',
        type: 'object',
        additionalProperties: false,
        required: ['mode'],
        properties: {
          mode: FIX_MODE,
          organisation: {
            title: 'organisation name',
            description:
              "Who holds the Crown copyright in LICENCE and is named in the templates, such as NHS England; by default the GitHub organisation's display name (or its login when it has none).",
            type: 'string',
            minLength: 1,
          },
          'security-contact': {
            title: 'security contact',
            description:
              "Where to report a vulnerability, written into SECURITY.md: an email address or a web address. By default the one in the organisation's own SECURITY.md (in its .github repository); without either, SECURITY.md cannot be written and no pull request is opened.",
            type: 'string',
            pattern: '^(\\S+@\\S+\\.\\S+|https?://\\S+)$',
            examples: ['security@example.gov.uk', 'https://example.gov.uk/security'],
          },
          licence: {
            title: 'licence',
            description:
              'The SPDX id of the licence LICENCE is written with (MIT by default); it must be one licence.allowed allows.',
            type: 'string',
            minLength: 1,
          },
        },
      },
    ],
  },
};

/** Definitions the settings and every check may refer to. */
export const BASE_DEFS: Record<string, JsonSchema> = {
  checkLevel: {
    title: 'level',
    description:
      'How strict the check is: error fails the run, warning reports without failing, off skips the check.',
    type: 'string',
    enum: ['error', 'warning', 'off'],
  },
  ruleLevel: {
    title: 'level',
    description:
      'How a rule reports: error fails the run, warning and notice report without failing, off hides the rule.',
    type: 'string',
    enum: ['error', 'warning', 'notice', 'off'],
  },
};
