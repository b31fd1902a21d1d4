import type { AnyCheck, RuleInfo } from '../core/check.js';
import { SNAPSHOT_RULES } from '../core/unreadable.js';
import { deepFreeze } from '../config/defaults.js';
import { defaultConfig, type ConfigOptions } from '../config/load.js';
import type { ResolvedConfig } from '../config/types.js';
import { artefactsCheck } from './artefacts.js';
import { branchRulesCheck } from './branch-rules.js';
import { communityFilesCheck } from './community-files.js';
import { draftsCheck } from './drafts.js';
import { diagramsCheck } from './diagrams.js';
import { licenceCheck } from './licence/index.js';
import { secretsCheck } from './secrets/index.js';
import { signedCommitsCheck } from './signed-commits.js';
import { visibilityCheck } from './visibility.js';

/** Every check Openly runs, in report order. Adding a check is one line here. */
export const checks: readonly AnyCheck[] = [
  licenceCheck,
  communityFilesCheck,
  artefactsCheck,
  signedCommitsCheck,
  visibilityCheck,
  branchRulesCheck,
  draftsCheck,
  secretsCheck,
  diagramsCheck,
] as AnyCheck[];

/**
 * Every rule of the given checks, keyed by rule id: for config validation, SARIF and the docs. The engine's own
 * rules about the snapshot (an unreadable folder) come with every list, since any check that reads files can
 * carry them.
 */
export function ruleCatalogue(list: readonly AnyCheck[] = checks): Record<string, RuleInfo> {
  const catalogue: Record<string, RuleInfo> = { ...SNAPSHOT_RULES };
  for (const check of list) Object.assign(catalogue, check.rules);
  return catalogue;
}

/** What the configuration loader needs of the checks: the rule ids `rules:` may name, and their default options. */
export function configOptions(list: readonly AnyCheck[] = checks): ConfigOptions {
  return { knownRules: new Set(Object.keys(ruleCatalogue(list))), checks: list };
}

/** What Openly uses when a repository has no `.github/openly.yml`: every check on, at `error`. Frozen. */
export const DEFAULT_CONFIG: ResolvedConfig = deepFreeze(defaultConfig(checks));
