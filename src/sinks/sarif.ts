import { createHash } from 'node:crypto';
import type { Finding, Level, RuleInfo, Severity } from '../core/check.js';
import { jsonSafe } from '../core/printable.js';
import type { Report } from '../core/report.js';
import { compareFindings } from './finding-order.js';
import { ruleDocsUrl } from '../core/links.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const OPENLY_URI = 'https://github.com/openly-dev/openly';
/** Where findings about the repository as a whole are placed when the caller names no file. */
export const DEFAULT_REPOSITORY_FILE = 'README.md';

export interface SarifOptions {
  /** The rule catalogue gathered from the checks. */
  rules: Record<string, RuleInfo>;
  /** The tool's home page, `tool.driver.informationUri`. */
  toolUri?: string;
  /**
   * A repository-relative file, preferably one that exists (README.md, `.github/openly.yml`), that carries the
   * findings about the repository as a whole. GitHub code scanning refuses a result without a file location, so
   * a finding such as "no licence file" must point somewhere; the caller knows the tree, this sink does not.
   */
  repositoryFile?: string;
}

type SarifLevel = 'error' | 'warning' | 'note';

interface SarifMessage {
  text: string;
  markdown?: string;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  helpUri: string;
  defaultConfiguration: { level?: SarifLevel; enabled?: boolean };
  properties: { tags: string[] };
}

interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
}

interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId: string };
    region: SarifRegion;
  };
  message?: SarifMessage;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: [SarifLocation];
  partialFingerprints: Record<string, string>;
  properties: { check: string; scope: 'file' | 'repository' };
}

interface SarifNotification {
  level: 'error';
  message: SarifMessage;
  properties: { check: string };
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [
    {
      tool: {
        driver: {
          name: string;
          version: string;
          semanticVersion?: string;
          informationUri: string;
          rules: SarifRule[];
        };
      };
      originalUriBaseIds: Record<string, { description: SarifMessage }>;
      invocations: [{ executionSuccessful: boolean; toolExecutionNotifications?: SarifNotification[] }];
      columnKind: 'utf16CodeUnits';
      results: SarifResult[];
    },
  ];
}

const SRCROOT = '%SRCROOT%';
const FINGERPRINT = 'openlyFinding/v1';

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', notice: 'note' };

/** `licence/missing` → `LicenceMissing`: the friendly rule name code scanning filters by. */
function ruleName(id: string): string {
  return id
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part.length > 0)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('')
    .slice(0, 255);
}

// GitHub shows at most 1,024 characters of a rule's descriptions.
function clip(text: string, max = 1024): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function defaultConfiguration(level: Level): SarifRule['defaultConfiguration'] {
  // SARIF's `none` level means "not a pass/fail result", not "switched off"; a rule that is off is disabled.
  return level === 'off' ? { enabled: false } : { level: LEVEL[level] };
}

function describeRule(id: string, info: RuleInfo): SarifRule {
  const url = ruleDocsUrl(id);
  const description = info.description.trim() === '' ? `Openly rule ${id}.` : info.description.trim();
  const check = id.split('/')[0] ?? id;
  return {
    id,
    name: ruleName(id) || id,
    shortDescription: { text: clip(description) },
    fullDescription: { text: clip(description) },
    help: {
      text: `${description}\n\nDocumentation: ${url}`,
      markdown: `${description}\n\n[Documentation](${url})`,
    },
    helpUri: url,
    defaultConfiguration: defaultConfiguration(info.level),
    properties: { tags: ['open-working', check] },
  };
}

/** A repository-relative POSIX path as a relative URI reference: each segment percent-encoded. */
export function pathToUri(path: string): string {
  return path
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function positive(n: number | undefined): n is number {
  return n !== undefined && Number.isInteger(n) && n >= 1;
}

function regionOf(finding: Finding): SarifRegion {
  // GitHub's documentation lists `startLine` as required, and its upload hashes line 1 of a file-level result
  // anyway; a finding about a whole file therefore starts at line 1.
  const startLine = positive(finding.line) ? finding.line : 1;
  const region: SarifRegion = { startLine };
  if (positive(finding.line) && positive(finding.column)) region.startColumn = finding.column;
  if (positive(finding.line) && positive(finding.endLine) && finding.endLine >= startLine) {
    region.endLine = finding.endLine;
  }
  return region;
}

function locationOf(finding: Finding, repositoryFile: string): SarifLocation {
  if (finding.path === undefined || finding.path === '') {
    return {
      physicalLocation: {
        artifactLocation: { uri: pathToUri(repositoryFile), uriBaseId: SRCROOT },
        region: { startLine: 1 },
      },
      message: { text: 'This is about the repository as a whole, not about this file.' },
    };
  }
  return {
    physicalLocation: {
      artifactLocation: { uri: pathToUri(finding.path), uriBaseId: SRCROOT },
      region: regionOf(finding),
    },
  };
}

function fingerprint(finding: Finding): string {
  return createHash('sha256')
    .update(JSON.stringify([finding.rule, finding.path ?? null, finding.message]))
    .digest('hex')
    .slice(0, 32);
}

function messageText(finding: Finding): string {
  return finding.fix === undefined ? finding.message : `${finding.message}\n\nFix: ${finding.fix}`;
}

/**
 * The report as SARIF 2.1.0 for GitHub code scanning: one run whose driver lists every rule, one result per
 * finding, each with a file location, and checks that crashed as tool execution notifications.
 */
export function buildSarif(report: Report, options: SarifOptions): SarifLog {
  const repositoryFile = options.repositoryFile ?? DEFAULT_REPOSITORY_FILE;
  const findings = report.results.flatMap((r) => [...r.findings].sort(compareFindings));

  // Rules a finding names but the catalogue lacks still need a descriptor, or `ruleIndex` would point nowhere.
  const catalogue = new Map(Object.entries(options.rules));
  for (const f of findings) {
    if (!catalogue.has(f.rule)) {
      catalogue.set(f.rule, { level: f.severity, description: `Reported by the ${f.check} check.` });
    }
  }
  const ids = [...catalogue.keys()].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const rules = ids.map((id) => describeRule(id, catalogue.get(id) as RuleInfo));

  const seen = new Map<string, number>();
  const results = findings.map((finding): SarifResult => {
    const hash = fingerprint(finding);
    // Identical findings (same rule, file and message) stay distinct alerts, numbered in report order.
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return {
      ruleId: finding.rule,
      ruleIndex: index.get(finding.rule) ?? 0,
      level: LEVEL[finding.severity],
      message: { text: messageText(finding) },
      locations: [locationOf(finding, repositoryFile)],
      partialFingerprints: { [FINGERPRINT]: `${hash}:${occurrence}` },
      properties: { check: finding.check, scope: finding.path ? 'file' : 'repository' },
    };
  });

  const crashed = report.results.filter((r) => r.status === 'error');
  const notifications = crashed.map((r): SarifNotification => ({
    level: 'error',
    message: { text: r.error ?? `The ${r.check} check could not finish.` },
    properties: { check: r.check },
  }));

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Openly',
            version: report.version,
            ...(/^\d+\.\d+\.\d+(?:-[\w.-]+)?(?:\+[\w.-]+)?$/.test(report.version)
              ? { semanticVersion: report.version }
              : {}),
            informationUri: options.toolUri ?? OPENLY_URI,
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The root of the repository checked.' } } },
        invocations: [
          {
            executionSuccessful: crashed.length === 0,
            ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/**
 * {@link buildSarif} as JSON text, ready to write to a `.sarif` file; control and bidirectional characters from the
 * repository are written as `\uXXXX` escapes, so that printing the file shows them rather than obeys them.
 */
export function renderSarif(report: Report, options: SarifOptions): string {
  return `${jsonSafe(JSON.stringify(buildSarif(report, options), null, 2))}\n`;
}
