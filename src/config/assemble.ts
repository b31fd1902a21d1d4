import { isDeepStrictEqual } from 'node:util';
import type { JsonSchema } from '../core/check.js';
import {
  BASE_DEFS,
  CONFIG_SCHEMA_HEAD,
  SETTINGS_AFTER_CHECKS,
  SETTINGS_BEFORE_CHECKS,
} from './base-schema.js';
import type { ConfigurableCheck } from './types.js';

/**
 * The configuration schema for a list of checks: the settings that are not checks (`_extends`, `exclude`, `rules`),
 * one key per check that declares options, in the list's order, then `release-notes`, `audit` and `fix`; the checks' definitions join
 * the shared ones in `$defs`. `schemas/config.schema.json` is this for the registry, written by `npm run schema`.
 * Throws when a check's id is already a key, or when two checks define one `$defs` name differently, since either
 * would silently take the other's place.
 */
export function assembleConfigSchema(checks: readonly ConfigurableCheck[]): JsonSchema {
  const properties: Record<string, JsonSchema> = { ...SETTINGS_BEFORE_CHECKS };
  const defs: Record<string, JsonSchema> = { ...BASE_DEFS };
  const owners = new Map<string, string>(Object.keys(BASE_DEFS).map((name) => [name, 'the base schema']));
  for (const check of checks) {
    if (check.options === undefined) continue;
    if (Object.hasOwn(properties, check.id) || Object.hasOwn(SETTINGS_AFTER_CHECKS, check.id)) {
      throw new Error(
        `The check "${check.id}" cannot have a configuration key: "${check.id}" is already one; rename the check.`,
      );
    }
    properties[check.id] = check.options.schema;
    for (const [name, def] of Object.entries(check.options.defs ?? {})) {
      const owner = owners.get(name);
      if (owner !== undefined && !isDeepStrictEqual(defs[name], def)) {
        throw new Error(
          `The check "${check.id}" defines $defs/${name}, which ${owner} defines differently; give it another name.`,
        );
      }
      owners.set(name, owner ?? `the check "${check.id}"`);
      defs[name] = def;
    }
  }
  Object.assign(properties, SETTINGS_AFTER_CHECKS);
  // A copy: a caller editing the result must not change what the next caller assembles.
  return structuredClone({ ...CONFIG_SCHEMA_HEAD, properties, $defs: defs });
}
