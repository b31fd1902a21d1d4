import { describe, expect, it } from 'vitest';
import {
  findLicenceFiles,
  isLicenceFileName,
  licenceNaming,
  LicenceScopes,
  scopeGlob,
} from '../../src/licences/files.js';

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
    'MIT-LICENSE.md',
    'LICENSE.APACHE',
    'LICENSE-MIT.txt',
    'LICENSE_1_0.txt',
    'LICENSE.MPL-2.0',
    'COPYRIGHT',
    'LICENSE2.md',
    'code-licence-and-copyright.md',
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
    'licensing-guidance.md',
    'README.md',
    'licensee.gemspec',
    '.pip-license-ignore',
    'LICENSE.spdx',
    'LICENSE.header',
    'check_license.sh',
    'THIRD_PARTY_LICENSES.txt',
    'LICENSE-3RD-PARTY.txt',
    '3rd-party-licenses.txt',
  ])('%s is not', (name) => {
    expect(isLicenceFileName(name)).toBe(false);
  });
});

describe('licenceNaming', () => {
  it.each([
    ['LICENCE', 'strict'],
    ['LiCeNsE.TxT', 'strict'],
    ['COPYING.LESSER', 'strict'],
    ['LICENSE.APACHE', 'strict'],
    ['UNLICENSE', 'strict'],
    ['MIT-LICENSE.md', 'named'],
    ['LICENCE-OGL.md', 'named'],
    ['LICENCE-docs.md', 'named'],
    ['LICENSE_1_0.txt', 'named'],
    ['COPYING-GPL', 'named'],
    ['Apache-LICENSE-2.0.txt', 'named'],
    ['COPYRIGHT', 'named'],
    ['code-licence-and-copyright.md', 'loose'],
    ['licence-and-copyright.md', 'loose'],
    ['LICENSE-NOTES.md', 'loose'],
  ])('%s is %s', (name, naming) => {
    expect(licenceNaming(name)?.naming).toBe(naming);
  });

  it('ranks names as licensee does: the usual name, then COPYING, then qualified names', () => {
    const order = [
      'LICENSE',
      'LICENSE.md',
      'COPYING',
      'COPYING.md',
      'LICENSE.textile',
      'COPYING.textile',
      'LICENSE-MIT',
      'COPYING-GPL',
      'MIT-LICENSE.txt',
      'MIT-COPYING',
      'COPYRIGHT',
      'COPYRIGHT-BSD',
      'code-licence-and-copyright.md',
    ];
    const scores = order.map((name) => licenceNaming(name)!.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(new Set(scores).size).toBe(scores.length);
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
      { path: 'LICENCE', dir: '', naming: 'strict' },
      { path: 'LICENSES/MIT.txt', dir: null, reuseId: 'MIT', naming: 'strict' },
      { path: 'LICENSES/OGL-UK-3.0.txt', dir: null, reuseId: 'OGL-UK-3.0', naming: 'strict' },
      { path: 'docs/LICENCE-OGL.md', dir: 'docs', naming: 'named' },
    ]);
  });

  it('lists the usual name of a folder first, whatever the order of the tree', () => {
    const found = findLicenceFiles(['MIT-LICENSE.md', 'COPYING', 'LICENSE', 'docs/licence-guide.md']);
    expect(found.map((f) => f.path)).toEqual([
      'LICENSE',
      'COPYING',
      'MIT-LICENSE.md',
      'docs/licence-guide.md',
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
