import { describe, expect, it } from 'vitest';
import { mergeConfig } from '../../src/config/merge.js';

describe('mergeConfig', () => {
  it('merges mappings key by key, the override winning', () => {
    const base = { rules: { 'licence/missing': 'error', 'licence/crown-copyright': 'warning' } };
    const override = { rules: { 'licence/crown-copyright': 'off' } };
    expect(mergeConfig(base, override)).toEqual({
      rules: { 'licence/missing': 'error', 'licence/crown-copyright': 'off' },
    });
  });

  it('replaces lists rather than joining them', () => {
    const base = {
      licence: { allowed: ['MIT', 'OGL-UK-3.0'], paths: [{ path: 'docs/**', licence: 'OGL-UK-3.0' }] },
    };
    const override = { licence: { allowed: ['Apache-2.0'] } };
    expect(mergeConfig(base, override)).toEqual({
      licence: { allowed: ['Apache-2.0'], paths: [{ path: 'docs/**', licence: 'OGL-UK-3.0' }] },
    });
  });

  it('merges a level over a mapping: the level changes, the options stay', () => {
    const base = { licence: { level: 'error', allowed: ['MIT'] } };
    expect(mergeConfig(base, { licence: 'warning' })).toEqual({
      licence: { level: 'warning', allowed: ['MIT'] },
    });
  });

  it('merges a mapping over a level: the level stays unless the mapping sets one', () => {
    expect(mergeConfig({ licence: 'warning' }, { licence: { allowed: ['MIT'] } })).toEqual({
      licence: { level: 'warning', allowed: ['MIT'] },
    });
    expect(mergeConfig({ licence: 'warning' }, { licence: { level: 'off' } })).toEqual({
      licence: { level: 'off' },
    });
  });

  it('keeps a level over a level as a level', () => {
    expect(mergeConfig({ 'community-files': 'error' }, { 'community-files': 'off' })).toEqual({
      'community-files': 'off',
    });
  });

  it("keeps the base's _extends, dropping the override's that led to it", () => {
    expect(mergeConfig({ _extends: 'gov-org/.github' }, { _extends: '.github', licence: 'off' })).toEqual({
      _extends: 'gov-org/.github',
      licence: 'off',
    });
    expect(mergeConfig({}, { _extends: '.github' })).toEqual({});
  });

  it('changes neither input', () => {
    const base = { licence: { level: 'error', allowed: ['MIT'] } };
    const override = { licence: { allowed: ['OGL-UK-3.0'] } };
    const merged = mergeConfig(base, override);
    (merged.licence as { allowed: string[] }).allowed.push('ISC');
    expect(base).toEqual({ licence: { level: 'error', allowed: ['MIT'] } });
    expect(override).toEqual({ licence: { allowed: ['OGL-UK-3.0'] } });
  });

  it('treats an empty or non-mapping side as nothing', () => {
    expect(mergeConfig(null, { licence: 'off' })).toEqual({ licence: 'off' });
    expect(mergeConfig({ licence: 'off' }, null)).toEqual({ licence: 'off' });
  });

  it('keeps a __proto__ key as data instead of changing prototypes', () => {
    const override = JSON.parse(
      '{"__proto__": {"polluted": true}, "rules": {"__proto__": {"x": 1}}}',
    ) as object;
    const merged = mergeConfig({ rules: {} }, override);
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged.rules)).toBe(Object.prototype);
  });
});
