import { formatProblem, resolveConfig, validateConfig } from '../config/load.js';
import { parseYaml } from '../parse/yaml.js';
import type { ConfigText } from './config.js';

export type Enforcement = 'report' | 'issue' | 'off';

/** The `audit:` section of the organisation base, every default applied. */
export interface AuditSettings {
  enforcement: Enforcement;
  /** The organisation's repository that holds the tracking issue. */
  repository: string;
  perRepositoryIssues: boolean;
  digest: 'weekly' | 'off';
  schedule: 'daily' | 'weekly' | 'off';
  /** Where the organisation publishes the dashboard, linked from the tracking issue. */
  dashboard?: string;
}

export const DEFAULT_AUDIT_SETTINGS: Readonly<AuditSettings> = Object.freeze({
  enforcement: 'report',
  repository: '.github',
  perRepositoryIssues: false,
  digest: 'weekly',
  schedule: 'daily',
});

/** How long the schedule leaves between two audits of one organisation. */
export const SCHEDULE_MS: Record<AuditSettings['schedule'], number> = {
  daily: 24 * 60 * 60 * 1000,
  weekly: 7 * 24 * 60 * 60 * 1000,
  off: Number.POSITIVE_INFINITY,
};

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The `audit:` section (as parsed from the organisation base) with its defaults. Validated against the configuration
 * schema first, so a caller that skipped loading still gets a `ConfigError` naming the key, never a silent default.
 */
export function resolveAuditSettings(raw: unknown): AuditSettings {
  if (raw === undefined || raw === null) return { ...DEFAULT_AUDIT_SETTINGS };
  resolveConfig({ audit: raw }, { knownRules: new Set(), checks: [], file: 'audit configuration' });
  const section = raw as Mapping;
  const pick = <T extends string>(key: string, fallback: T): T =>
    typeof section[key] === 'string' ? (section[key] as T) : fallback;
  const dashboard = section.dashboard;
  return {
    enforcement: pick('enforcement', DEFAULT_AUDIT_SETTINGS.enforcement),
    repository: pick('repository', DEFAULT_AUDIT_SETTINGS.repository),
    perRepositoryIssues: section['per-repository-issues'] === true,
    digest: pick('digest', DEFAULT_AUDIT_SETTINGS.digest),
    schedule: pick('schedule', DEFAULT_AUDIT_SETTINGS.schedule),
    ...(typeof dashboard === 'string' ? { dashboard } : {}),
  };
}

/**
 * The organisation's audit settings from its base file: the whole file is validated (a base with problems judges no
 * repository either), then its `audit:` section resolved. Problems come back as `file:line:column: message` lines.
 */
export function auditSettingsOf(
  base: ConfigText | undefined,
  knownRules: ReadonlySet<string>,
): { settings: AuditSettings } | { problems: string[] } {
  if (base === undefined) return { settings: { ...DEFAULT_AUDIT_SETTINGS } };
  const problems = validateConfig(base.text, base.source, { knownRules });
  if (problems.length > 0) return { problems: problems.map(formatProblem) };
  const value = parseYaml(base.text).value;
  return { settings: resolveAuditSettings(isMapping(value) ? value.audit : undefined) };
}

/**
 * Where `audit:` sits in a repository's own file, which it does not configure (only the organisation base does): the
 * line, so that the check run can say so beside the file; undefined when the file has no such key.
 */
export function misplacedAuditLine(config: ConfigText): number | undefined {
  const parsed = parseYaml(config.text);
  if (!isMapping(parsed.value) || !('audit' in parsed.value)) return undefined;
  return parsed.locateKey('/audit').line;
}
