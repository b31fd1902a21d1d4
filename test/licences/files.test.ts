import { describe, expect, it } from 'vitest';
import { findLicenceFiles, isLicenceFileName, LicenceScopes, scopeGlob } from '../../src/licences/files.js';

describe('isLicenceFileName', () => {
  it.each([
    'LICENCE',
    'LICENSE',
    'licence.md',
    'License.txt',
    'LICENSE.rst',
    'LICENCE.markdown',
    'COPYING',
    'COPYING.LESSER',
    'UNLICENSE',
    'LICENSE.MIT',
    'LICENCE-OGL.md',
    'license-mit',
    'LICENSE_APACHE',
  ])('%s is a licence file', (name) => {
    expect(isLicenceFileName(name)).toBe(true);
  });

  it.each([
    'license.ts',
    'licence-checker.py',
    'licenses.json',
    'license.yml',
    'LICENSE.png',
    'licensing.md',
    'README.md',
  ])('%s is not', (name) => {
    expect(isLicenceFileName(name)).toBe(false);
  });
});

describe('findLicenceFiles', () => {
  it('finds licence files at any depth and REUSE texts, and skips node_modules', () => {
    const found = findLicenceFiles([
      'LICENCE',
      'LICENSES/MIT.txt',
      'LICENSES/OGL-UK-3.0.txt',
      'docs/LICENCE-OGL.md',
      'node_modules/left-pad/LICENSE',
      'src/license.ts',
    ]);
    expect(found).toEqual([
      { path: 'LICENCE', dir: '' },
      { path: 'LICENSES/MIT.txt', dir: null, reuseId: 'MIT' },
      { path: 'LICENSES/OGL-UK-3.0.txt', dir: null, reuseId: 'OGL-UK-3.0' },
      { path: 'docs/LICENCE-OGL.md', dir: 'docs' },
    ]);
  });
});

describe('LicenceScopes', () => {
  const files = findLicenceFiles(['LICENCE', 'LICENCE-OGL.md', 'packages/a/LICENSE', 'LICENSES/MIT.txt']);
  const scopes = new LicenceScopes(files);

  it('gives a folder the licence files of the nearest folder that has any, all together', () => {
    expect(scopes.forPath('README.md').map((f) => f.path)).toEqual(['LICENCE', 'LICENCE-OGL.md']);
    expect(scopes.forPath('docs/guide/a.md').map((f) => f.path)).toEqual(['LICENCE', 'LICENCE-OGL.md']);
    expect(scopes.forPath('packages/a/src/index.ts').map((f) => f.path)).toEqual(['packages/a/LICENSE']);
    expect(scopes.forPath('packages/b/index.ts').map((f) => f.path)).toEqual(['LICENCE', 'LICENCE-OGL.md']);
  });

  it('does not let REUSE licence texts scope anything', () => {
    expect(new LicenceScopes(findLicenceFiles(['LICENSES/MIT.txt'])).forPath('a.ts')).toEqual([]);
  });

  it('writes scopes as globs', () => {
    expect([scopeGlob(''), scopeGlob('docs'), scopeGlob(null)]).toEqual(['**', 'docs/**', null]);
  });
});
