import type { RuleInfo } from '../../core/check.js';

/** The licence check's rule ids, by the name the code uses for each. */
export const R = {
  missing: 'licence/missing',
  unknown: 'licence/unknown',
  notAllowed: 'licence/not-allowed',
  path: 'licence/path',
  declaration: 'licence/declaration',
  header: 'licence/header',
  unreadable: 'licence/unreadable',
  crown: 'licence/crown-copyright',
  readme: 'licence/readme',
} as const;

export const licenceRules: Record<string, RuleInfo> = {
  [R.missing]: {
    level: 'error',
    description: 'A licence file (LICENCE or LICENSE) at the top level of the repository.',
  },
  [R.unknown]: {
    level: 'warning',
    description: 'Every licence file holds a licence that can be identified on the SPDX licence list.',
  },
  [R.notAllowed]: {
    level: 'error',
    description:
      "Licence files and package declarations name only licences the organisation's policy allows.",
  },
  [R.path]: {
    level: 'error',
    description: 'Files matching a policy path glob are covered by the licence the policy requires there.',
  },
  [R.declaration]: {
    level: 'warning',
    description:
      'package.json `license` and publiccode.yml `legal.license` are valid SPDX expressions that agree with the licence files.',
  },
  [R.header]: {
    level: 'warning',
    description:
      'SPDX-License-Identifier headers and REUSE annotations name known, allowed licences whose texts are in LICENSES/.',
  },
  [R.unreadable]: { level: 'warning', description: 'Every licence file can be read as text.' },
  [R.crown]: {
    level: 'off',
    description:
      'A Crown copyright notice in the root licence file or README (central government and NHS bodies).',
  },
  [R.readme]: {
    level: 'warning',
    description: 'The root README names the licence or links to the licence file.',
  },
};
