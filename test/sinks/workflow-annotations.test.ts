import { describe, expect, it } from 'vitest';
import {
  configProblemAnnotations,
  findingAnnotations,
  MAX_ANNOTATIONS,
} from '../../src/sinks/workflow-annotations.js';
import { largeReport, sampleReport } from './report-fixture.js';

describe('findingAnnotations', () => {
  it('annotates each finding on its file and lines in the report order, fix appended, then each crashed check', () => {
    expect(findingAnnotations(sampleReport())).toEqual([
      {
        level: 'warning',
        message:
          'LICENCE does not match any licence Openly knows. Replace LICENCE with the unchanged text of the licence you chose, such as OGL-UK-3.0.',
        properties: { title: 'Openly licence/unknown', file: 'LICENCE', line: 1, col: 1 },
      },
      {
        level: 'notice',
        message: 'src/app.ts has no SPDX-License-Identifier header.',
        properties: { title: 'Openly licence/header', file: 'src/app.ts', line: 1 },
      },
      {
        level: 'error',
        message:
          'No licence file for the documentation (docs/). Add a LICENCE-docs file with the OGL-UK-3.0 text.',
        properties: { title: 'Openly licence/missing' },
      },
      {
        level: 'error',
        message:
          'No licence file was found in the repository. Add a LICENCE file at the root of the repository.',
        properties: { title: 'Openly licence/missing' },
      },
      {
        level: 'warning',
        message:
          'CODEOWNERS names @nhs/nobody, which does not exist. Name a team or person who exists in the organisation.',
        properties: {
          title: 'Openly community/codeowners',
          file: '.github/CODEOWNERS',
          line: 3,
          endLine: 4,
          col: 5,
        },
      },
      {
        level: 'warning',
        message: 'There is no CONTRIBUTING.md. Add CONTRIBUTING.md saying how to propose a change.',
        properties: { title: 'Openly community/contributing' },
      },
      {
        level: 'error',
        message:
          'The artefacts check could not finish: The artefacts check could not finish: unexpected end of the YAML stream',
      },
    ]);
  });

  it(`stops at ${MAX_ANNOTATIONS} annotations and says where the rest are`, () => {
    const messages = findingAnnotations(largeReport(120, 40));
    const annotations = messages.filter((m) => m.level !== 'info');
    expect(annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(annotations[0]?.properties?.file).toBe('src/file-00000.ts');
    expect(annotations.at(-1)?.properties?.file).toBe('src/file-00049.ts');
    expect(messages.at(-1)).toEqual({
      level: 'info',
      message: '70 further findings are in the job summary and report.json.',
    });
  });

  it('says nothing more when every finding fits', () => {
    const messages = findingAnnotations(largeReport(MAX_ANNOTATIONS, 40));
    expect(messages).toHaveLength(MAX_ANNOTATIONS);
    expect(messages.every((m) => m.level === 'notice')).toBe(true);
  });
});

describe('configProblemAnnotations', () => {
  it('puts each problem on its file, with line and column only when known', () => {
    expect(
      configProblemAnnotations([
        { file: '.github/openly.yml', line: 3, column: 5, message: 'unknown check "licnece"' },
        { file: '.github/openly.yaml', line: 0, column: 0, message: 'both files exist' },
      ]),
    ).toEqual([
      {
        level: 'error',
        message: 'unknown check "licnece"',
        properties: { title: 'Openly configuration', file: '.github/openly.yml', line: 3, col: 5 },
      },
      {
        level: 'error',
        message: 'both files exist',
        properties: { title: 'Openly configuration', file: '.github/openly.yaml' },
      },
    ]);
  });
});
