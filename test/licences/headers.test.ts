import { describe, expect, it } from 'vitest';
import { collectHeaders, headerExpression } from '../../src/licences/headers.js';

describe('headerExpression', () => {
  it.each([
    ['// SPDX-License-Identifier: MIT', 'MIT'],
    ['# SPDX-License-Identifier: OGL-UK-3.0', 'OGL-UK-3.0'],
    ['/* SPDX-License-Identifier: MIT OR Apache-2.0 */', 'MIT OR Apache-2.0'],
    ['<!-- SPDX-License-Identifier: OGL-UK-3.0 -->', 'OGL-UK-3.0'],
    [' * SPDX-License-Identifier: GPL-3.0-or-later', 'GPL-3.0-or-later'],
    ['-- SPDX-License-Identifier: MIT', 'MIT'],
    ['{# SPDX-License-Identifier: MIT #}', 'MIT'],
  ])('reads %j as %j', (line, expression) => {
    expect(headerExpression(line)).toBe(expression);
  });

  it.each([
    "const tag = 'SPDX-License-Identifier: ' + id;",
    'Write `SPDX-License-Identifier: MIT` at the top of each file.',
    'grep("SPDX-License-Identifier:")',
  ])('ignores code and prose that only mention the tag: %j', (line) => {
    expect(headerExpression(line)).toBeUndefined();
  });
});

describe('collectHeaders', () => {
  it('lets a .license companion speak for its file, and replace what the file says itself', () => {
    const files = new Set(['logo.png', 'notes.md', 'notes.md.license', 'src/a.ts']);
    const headers = collectHeaders(
      [
        { path: 'logo.png.license', line: 2, text: 'SPDX-License-Identifier: OGL-UK-3.0' },
        { path: 'notes.md', line: 1, text: '<!-- SPDX-License-Identifier: MIT -->' },
        { path: 'notes.md.license', line: 1, text: 'SPDX-License-Identifier: CC-BY-4.0' },
        { path: 'src/a.ts', line: 1, text: '// SPDX-License-Identifier: MIT' },
      ],
      (p) => files.has(p) || p === 'logo.png',
    );
    expect(headers.map((h) => [h.covers, h.expression, h.path])).toEqual([
      ['logo.png', 'OGL-UK-3.0', 'logo.png.license'],
      ['notes.md', 'CC-BY-4.0', 'notes.md.license'],
      ['src/a.ts', 'MIT', 'src/a.ts'],
    ]);
  });
});
