import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/checks/index.js';
import { DEFAULT_ALLOWED_LICENCES } from '../../src/checks/licence/index.js';
import { isLicenceId } from '../../src/licences/ids.js';
import { CONFIG_SCHEMA_ID, configSchema, configValidator } from '../../src/config/schema.js';

type Node = Record<string, unknown>;

/** Every schema that describes a property, items or branch, with where it is. */
function subschemas(node: Node, path = '#'): Array<[string, Node]> {
  const out: Array<[string, Node]> = [];
  const visit = (child: unknown, where: string) => {
    if (child !== null && typeof child === 'object' && !Array.isArray(child))
      out.push(...subschemas(child as Node, where));
  };
  for (const [name, child] of Object.entries((node.properties as Node | undefined) ?? {})) {
    out.push([`${path}/properties/${name}`, child as Node]);
    visit(child, `${path}/properties/${name}`);
  }
  for (const [name, child] of Object.entries((node.$defs as Node | undefined) ?? {}))
    visit(child, `${path}/$defs/${name}`);
  visit(node.items, `${path}/items`);
  for (const key of ['oneOf', 'anyOf']) {
    const branches = node[key];
    if (Array.isArray(branches))
      branches.forEach((branch, index) => visit(branch, `${path}/${key}/${index}`));
  }
  return out;
}

describe('config schema', () => {
  const schema = configSchema();

  it('has the published $id and compiles in strict mode', () => {
    expect(schema.$id).toBe(CONFIG_SCHEMA_ID);
    expect(() => configValidator()).not.toThrow();
    const raw = JSON.parse(
      readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8'),
    ) as object;
    expect(new Ajv2020({ strict: true }).validateSchema(raw)).toBe(true);
  });

  it('gives every property a title and a description, for editor help', () => {
    const described = (node: Node): boolean => {
      const target =
        typeof node.$ref === 'string'
          ? ((schema.$defs as Node)[node.$ref.replace('#/$defs/', '')] as Node)
          : {};
      const title = node.title ?? target.title;
      const description = node.description ?? target.description;
      return typeof title === 'string' && typeof description === 'string';
    };
    const bare = subschemas(schema)
      .filter(([, node]) => !described(node))
      .map(([where]) => where);
    expect(bare).toEqual([]);
  });

  it('rejects unknown keys in every mapping', () => {
    const open = subschemas(schema)
      .map(([where, node]) => [where, node] as const)
      .filter(([, node]) => node.type === 'object' && node.additionalProperties === undefined)
      .map(([where]) => where);
    expect(open).toEqual([]);
  });

  it('knows a key for every check the defaults configure', () => {
    expect(Object.keys(schema.properties as Node)).toEqual(
      expect.arrayContaining(Object.keys(DEFAULT_CONFIG.levels)),
    );
  });
});

describe('default licences', () => {
  it('are all valid SPDX ids, OGL v3 included', () => {
    expect(DEFAULT_ALLOWED_LICENCES.filter((id) => !isLicenceId(id))).toEqual([]);
    expect(DEFAULT_ALLOWED_LICENCES).toContain('OGL-UK-3.0');
  });

  it('leave out older OGL versions and non-commercial licences', () => {
    for (const id of ['OGL-UK-1.0', 'OGL-UK-2.0', 'CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0']) {
      expect(DEFAULT_ALLOWED_LICENCES).not.toContain(id);
    }
  });

  it('cannot be changed by a caller', () => {
    expect(() => ((DEFAULT_CONFIG.levels as Record<string, string>)['licence'] = 'off')).toThrow(TypeError);
  });
});
