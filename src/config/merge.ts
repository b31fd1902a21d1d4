/** Top-level keys of the configuration that are not checks. */
const NOT_CHECKS = new Set(['_extends', 'rules']);

/**
 * The key a plain value stands for when the other side is a mapping: a check's `level`, or the `mode` of `fix:`, so
 * that a repository's `fix: off` over the organisation's `fix: { mode: pull-request, ... }` switches it off.
 */
function shortKey(key: string): string {
  return key === 'fix' ? 'mode' : 'level';
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sets a key without ever invoking a setter: a YAML key `__proto__` must stay data. */
function put(target: Mapping, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isMapping(value)) {
    const out: Mapping = {};
    for (const [key, child] of Object.entries(value)) put(out, key, copy(child));
    return out;
  }
  return value;
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return copy(base);
  if (!isMapping(base) || !isMapping(override)) return copy(override);
  const out = copy(base) as Mapping;
  for (const [key, value] of Object.entries(override)) put(out, key, deepMerge(out[key], value));
  return out;
}

/**
 * Merges two raw configurations (parsed YAML, before validation and defaults): mappings are merged key by key,
 * lists and plain values are replaced by the override's. A check written as a level on one side and as a mapping
 * on the other merges as if the level were `{ level }`, so `licence: warning` over `{ level: error, allowed: [...] }`
 * keeps the allowed list at level warning.
 *
 * `_extends` is how the override found `base`, so the override's is dropped and the base's kept: a caller following
 * the chain reads the next base from the result.
 */
export function mergeConfig(base: unknown, override: unknown): Mapping {
  const out = copy(isMapping(base) ? base : {}) as Mapping;
  const right = isMapping(override) ? override : {};
  for (const [key, raw] of Object.entries(right)) {
    if (key === '_extends') continue;
    const check = !NOT_CHECKS.has(key);
    let current = out[key];
    let value = raw;
    // A list is a check's files shorthand (`artefacts: [...]`): beside a level or a mapping it is `{ files }`, so
    // that `artefacts: warning` over an organisation's list keeps the list. A list over a list replaces it.
    if (check && Array.isArray(value) && (typeof current === 'string' || isMapping(current))) {
      value = { files: value };
    }
    if (check && Array.isArray(current) && (typeof value === 'string' || isMapping(value))) {
      current = { files: current };
    }
    if (check && typeof value === 'string' && isMapping(current)) {
      put(out, key, deepMerge(current, { [shortKey(key)]: value }));
    } else if (check && isMapping(value) && typeof current === 'string') {
      put(out, key, deepMerge({ [shortKey(key)]: current }, value));
    } else {
      put(out, key, deepMerge(current, value));
    }
  }
  return out;
}
