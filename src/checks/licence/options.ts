import type { CheckOptionsSpec } from '../../core/check.js';
import type { LicenceOptions } from '../../config/types.js';

/**
 * Open licences that UK public-sector policy accepts for code and documentation (NHS open source policy §4c, GDS
 * Way). Older OGL versions and non-commercial licences are left out on purpose, so that a repository using one is
 * told to move to OGL v3.0.
 */
export const DEFAULT_ALLOWED_LICENCES: readonly string[] = Object.freeze([
  'MIT',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'ISC',
  '0BSD',
  'MIT-0',
  'MPL-2.0',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'LGPL-2.1-only',
  'LGPL-2.1-or-later',
  'LGPL-3.0-only',
  'LGPL-3.0-or-later',
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'EUPL-1.2',
  'CC0-1.0',
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'OGL-UK-3.0',
]);

/** `licence:` in `.github/openly.yml`: a level, or a level with the allowed licences and licences by path. */
export const licenceOptions: CheckOptionsSpec<LicenceOptions> = {
  schema: {
    title: 'licence check',
    description:
      'Checks that the repository has a licence file, that the licences it declares are allowed, and that a Crown copyright notice is present. Give a level (error, warning, off) or a mapping with a level and options.',
    oneOf: [
      {
        $ref: '#/$defs/checkLevel',
      },
      {
        title: 'licence check settings',
        description: 'The level of the licence check and its options.',
        type: 'object',
        additionalProperties: false,
        properties: {
          level: {
            $ref: '#/$defs/checkLevel',
          },
          allowed: {
            title: 'allowed licences',
            description:
              'SPDX ids of the licences the repository may use, such as MIT or OGL-UK-3.0. Replaces the built-in list of open licences.',
            type: 'array',
            items: {
              $ref: '#/$defs/spdxId',
            },
            uniqueItems: true,
          },
          paths: {
            title: 'licences required by path',
            description: 'Licences required for parts of the repository, such as OGL-UK-3.0 for docs/**.',
            type: 'array',
            items: {
              title: 'path rule',
              description: 'One part of the repository and the licence it must be under.',
              type: 'object',
              additionalProperties: false,
              required: ['path', 'licence'],
              properties: {
                path: {
                  title: 'path',
                  description:
                    'A glob matching files or folders, relative to the repository root, such as docs/**.',
                  type: 'string',
                  minLength: 1,
                },
                licence: {
                  title: 'licence',
                  description: 'The SPDX id of the licence these files must be under, such as OGL-UK-3.0.',
                  $ref: '#/$defs/spdxId',
                },
              },
            },
          },
        },
      },
    ],
  },
  defs: {
    spdxId: {
      title: 'SPDX licence id',
      description:
        'A licence id from the SPDX licence list (https://spdx.org/licenses/), such as MIT, Apache-2.0 or OGL-UK-3.0, or LicenseRef-<name> for a licence of your own.',
      type: 'string',
      minLength: 1,
    },
  },
  defaults: () => ({ allowed: [...DEFAULT_ALLOWED_LICENCES], paths: [] }),
};
