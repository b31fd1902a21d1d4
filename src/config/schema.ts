import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';

const require = createRequire(import.meta.url);

/** The `$id` of the configuration schema; also what `# yaml-language-server: $schema=` points editors at. */
export const CONFIG_SCHEMA_ID = 'https://openly.dev/schemas/config/v1';

/** Where the schema file sits: beside `src/` in the repository and beside `lib/` in the package. */
export const CONFIG_SCHEMA_URL = new URL('../../schemas/config.schema.json', import.meta.url);

let schema: Record<string, unknown> | undefined;
let validator: ValidateFunction | undefined;

/** The configuration schema, read once. */
export function configSchema(): Record<string, unknown> {
  schema ??= JSON.parse(readFileSync(CONFIG_SCHEMA_URL, 'utf8')) as Record<string, unknown>;
  return schema;
}

/**
 * The compiled validator. Ajv is loaded and the schema compiled on first use only, so that commands that never
 * read a configuration (`openly --help`) do not pay for it.
 */
export function configValidator(): ValidateFunction {
  if (validator === undefined) {
    const Ajv = (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020;
    // `verbose` keeps each failing value and schema on the error, which `explain` turns into words.
    const ajv = new Ajv({ strict: true, allErrors: true, verbose: true });
    validator = ajv.compile(configSchema());
  }
  return validator;
}
