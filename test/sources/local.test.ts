import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalSnapshot, SnapshotError } from '../../src/sources/local.js';
import { MAX_TEXT_BYTES } from '../../src/sources/snapshot.js';

const made: string[] = [];
afterAll(() => {
  // rm copes with folders nested past PATH_MAX, which rmSync cannot remove.
  for (const dir of made) execFileSync('rm', ['-rf', dir]);
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'openly-local-'));
  made.push(dir);
  return dir;
}

function write(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function initRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.gov.uk');
  git(dir, 'config', 'core.autocrlf', 'false');
}

function commitAll(dir: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'test');
}

describe('openLocalSnapshot on a git checkout', () => {
  const repo = tempDir();
  initRepo(repo);
  write(repo, {
    '.gitignore': 'dist/\n*.log\n',
    'README.md': '# Service\n',
    LICENCE: 'MIT Licence\n\nCopyright (c) Crown copyright\n',
    'src/index.ts': '// SPDX-License-Identifier: MIT\nexport const a = 1;\n',
    'src/old.ts': '// SPDX-License-Identifier: MIT\n',
    'packages/app/LICENSE': 'Apache License\n',
    'packages/app/src/main.ts': '// SPDX-License-Identifier: Apache-2.0\n',
  });
  commitAll(repo);
  const head = git(repo, 'rev-parse', 'HEAD');
  // After the commit: an edit, an untracked file, ignored files and a deletion, as before a commit.
  write(repo, {
    'README.md': '# Service, edited\n',
    'CONTRIBUTING.md': '# Contributing\n// SPDX-License-Identifier: MIT\n',
    'dist/bundle.js': '// SPDX-License-Identifier: MIT\n',
    'debug.log': 'SPDX-License-Identifier: MIT\n',
  });
  unlinkSync(join(repo, 'src/old.ts'));

  it('lists tracked and untracked files, without ignored or deleted ones, sorted', () => {
    const snapshot = openLocalSnapshot(repo);
    expect(snapshot.kind).toBe('git');
    expect(snapshot.files()).toEqual([
      '.gitignore',
      'CONTRIBUTING.md',
      'LICENCE',
      'README.md',
      'packages/app/LICENSE',
      'packages/app/src/main.ts',
      'src/index.ts',
    ]);
    expect(snapshot.has('dist/bundle.js')).toBe(false);
    expect(snapshot.read('src/old.ts')).toEqual({ kind: 'missing' });
  });

  it('reports the commit checked out and reads the work tree as it is on disk', () => {
    const snapshot = openLocalSnapshot(repo);
    expect(snapshot.head).toBe(head);
    expect(snapshot.read('README.md')).toEqual({ kind: 'text', text: '# Service, edited\n' });
    expect(snapshot.read('CONTRIBUTING.md')).toMatchObject({ kind: 'text' });
  });

  it('given a subfolder, lists only its files, relative to it', () => {
    const snapshot = openLocalSnapshot(join(repo, 'packages/app'));
    expect(snapshot.kind).toBe('git');
    expect(snapshot.head).toBe(head);
    expect(snapshot.files()).toEqual(['LICENSE', 'src/main.ts']);
    expect(snapshot.read('LICENSE')).toEqual({ kind: 'text', text: 'Apache License\n' });
    expect(snapshot.grep('SPDX-License-Identifier:').matches).toEqual([
      { path: 'src/main.ts', line: 1, text: '// SPDX-License-Identifier: Apache-2.0' },
    ]);
  });

  it('greps tracked and untracked files, but not ignored ones', () => {
    const result = openLocalSnapshot(repo).grep('SPDX-License-Identifier:');
    expect(result).toEqual({
      complete: true,
      matches: [
        { path: 'CONTRIBUTING.md', line: 2, text: '// SPDX-License-Identifier: MIT' },
        { path: 'packages/app/src/main.ts', line: 1, text: '// SPDX-License-Identifier: Apache-2.0' },
        { path: 'src/index.ts', line: 1, text: '// SPDX-License-Identifier: MIT' },
      ],
    });
  });

  it('honours maxLines in grep', () => {
    const result = openLocalSnapshot(repo).grep('SPDX-License-Identifier:', { maxLines: 1 });
    expect(result.matches.map((m) => m.path)).toEqual(['packages/app/src/main.ts', 'src/index.ts']);
  });

  it('says a file that vanished after listing is unavailable, and does not throw', () => {
    const dir = tempDir();
    initRepo(dir);
    write(dir, { 'a.md': 'a\n', 'b.md': 'b\n' });
    const snapshot = openLocalSnapshot(dir);
    unlinkSync(join(dir, 'b.md'));
    expect(snapshot.read('b.md')).toMatchObject({ kind: 'unavailable', reason: 'no longer on disk' });
  });
});

describe('openLocalSnapshot on unusual repositories', () => {
  it('has a null head in a repository with no commits, and lists its untracked files', () => {
    const dir = tempDir();
    initRepo(dir);
    write(dir, { 'README.md': '# New\n', '.gitignore': 'secret.txt\n', 'secret.txt': 'x' });
    const snapshot = openLocalSnapshot(dir);
    expect(snapshot.kind).toBe('git');
    expect(snapshot.head).toBeNull();
    expect(snapshot.files()).toEqual(['.gitignore', 'README.md']);
  });

  it('leaves out submodules and nested repositories: they are other repositories', () => {
    const dir = tempDir();
    initRepo(dir);
    const inner = join(dir, 'vendor/lib');
    mkdirSync(inner, { recursive: true });
    initRepo(inner);
    write(inner, { LICENSE: 'GPL\n' });
    commitAll(inner);
    write(dir, { 'README.md': '# Outer\n' });
    // `git add` of a folder holding a repository records a gitlink, as a submodule does.
    commitAll(dir);
    expect(git(dir, 'ls-files', '-s')).toMatch(/^160000 /m);
    const untracked = join(dir, 'experiments');
    mkdirSync(untracked);
    initRepo(untracked);
    write(untracked, { 'notes.md': 'x\n' });

    expect(openLocalSnapshot(dir).files()).toEqual(['README.md']);
  });

  it('falls back to walking the folder when git cannot be run', () => {
    const dir = tempDir();
    initRepo(dir);
    write(dir, { 'README.md': '# x\n', '.gitignore': '*.log\n', 'a.log': 'x' });
    commitAll(dir);
    const snapshot = openLocalSnapshot(dir, { git: join(dir, 'no-such-git') });
    expect(snapshot.kind).toBe('folder');
    expect(snapshot.head).toBeNull();
    expect(snapshot.files()).toEqual(['.gitignore', 'README.md']);
  });
});

describe('reading files', () => {
  const big = Buffer.alloc(1_500_000, 'a');
  const contents = {
    'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]),
    'big.txt': big,
    'latin1.txt': Buffer.from('Caf\xe9 cr\xe8me\n', 'latin1'),
    'windows.md': Buffer.from('\ufeffLine one\r\nSPDX-License-Identifier: MIT\r\n', 'utf8'),
    'exactly-max.txt': Buffer.alloc(MAX_TEXT_BYTES, 'b'),
  };

  for (const mode of ['git', 'folder'] as const) {
    describe(`in ${mode} mode`, () => {
      const dir = tempDir();
      if (mode === 'git') initRepo(dir);
      write(dir, contents);
      if (mode === 'git') commitAll(dir);
      const snapshot = openLocalSnapshot(dir);

      it('opens the expected mode', () => expect(snapshot.kind).toBe(mode));

      it('calls a file with a NUL byte binary', () => {
        expect(snapshot.read('logo.png')).toEqual({ kind: 'binary', size: 12 });
      });

      it('calls a 1.5 MB file too large, with its size', () => {
        expect(snapshot.read('big.txt')).toEqual({ kind: 'too-large', size: 1_500_000 });
        expect(snapshot.read('exactly-max.txt')).toMatchObject({ kind: 'text' });
      });

      it('calls invalid UTF-8 binary', () => {
        expect(snapshot.read('latin1.txt')).toEqual({ kind: 'binary', size: 11 });
      });

      it('keeps a byte order mark and CRLF line endings as they are', () => {
        expect(snapshot.read('windows.md')).toEqual({
          kind: 'text',
          text: '\ufeffLine one\r\nSPDX-License-Identifier: MIT\r\n',
        });
      });

      it('greps text without the CR of CRLF, skipping binary, non-UTF-8 and too-large files', () => {
        write(dir, {
          'big.txt': Buffer.concat([Buffer.from('SPDX-License-Identifier: x\n'), big]),
          'notes-latin1.txt': Buffer.from('SPDX-License-Identifier: Caf\xe9\n', 'latin1'),
        });
        const fresh = openLocalSnapshot(dir);
        expect(fresh.grep('SPDX-License-Identifier:')).toEqual({
          complete: false,
          matches: [{ path: 'windows.md', line: 2, text: 'SPDX-License-Identifier: MIT' }],
        });
      });

      it.skipIf(process.getuid?.() === 0)('says a file it may not read is unavailable', () => {
        write(dir, { 'private.md': 'x' });
        chmodSync(join(dir, 'private.md'), 0o000);
        const fresh = openLocalSnapshot(dir);
        expect(fresh.read('private.md')).toEqual({ kind: 'unavailable', reason: 'permission denied' });
        chmodSync(join(dir, 'private.md'), 0o644);
      });
    });
  }
});

describe('openLocalSnapshot on a plain folder', () => {
  const dir = tempDir();
  const outside = tempDir();
  write(outside, { 'secret.txt': 'outside\n' });
  write(dir, {
    '.gitignore': '*.log\nbuild/\n',
    'README.md': '# Folder\n',
    'app.log': 'x',
    'build/out.js': 'x',
    // Saved by an editor that writes a byte order mark, which must not spoil the first rule.
    'docs/.gitignore': '\ufeff!keep.log\ndrafts/\n',
    'docs/keep.log': 'kept by a deeper rule\n',
    'docs/other.log': 'x',
    'docs/drafts/a.md': 'x',
    'docs/guide.md': 'SPDX-License-Identifier: OGL-UK-3.0\n',
    'node_modules/pkg/LICENSE': 'MIT\n',
    'packages/web/node_modules/x/index.js': 'x',
    'packages/web/index.js': 'x',
    '.git/config': 'not a repository, just a folder called .git\n',
    'vendor/other/.git': 'gitdir: ../../.git/modules/other\n',
    'vendor/other/LICENSE': 'GPL\n',
  });
  symlinkSync(dir, join(dir, 'docs/loop'));
  symlinkSync('../README.md', join(dir, 'docs/README-link.md'));
  symlinkSync(join(outside, 'secret.txt'), join(dir, 'leak.txt'));

  it('honours .gitignore files at every level, skips .git, node_modules, nested repositories and links to folders', () => {
    const snapshot = openLocalSnapshot(dir);
    expect(snapshot.kind).toBe('folder');
    expect(snapshot.head).toBeNull();
    expect(snapshot.files()).toEqual([
      '.gitignore',
      'README.md',
      'docs/.gitignore',
      'docs/README-link.md',
      'docs/guide.md',
      'docs/keep.log',
      'leak.txt',
      'packages/web/index.js',
    ]);
  });

  it('follows a link to a file inside the folder, but never reads outside it', () => {
    const snapshot = openLocalSnapshot(dir);
    expect(snapshot.read('docs/README-link.md')).toEqual({ kind: 'text', text: '# Folder\n' });
    const leak = snapshot.read('leak.txt');
    expect(leak.kind).toBe('unavailable');
    expect(JSON.stringify(leak)).not.toContain('outside\\n');
  });

  it('greps text files', () => {
    expect(openLocalSnapshot(dir).grep('SPDX-License-Identifier:')).toEqual({
      complete: false,
      matches: [{ path: 'docs/guide.md', line: 1, text: 'SPDX-License-Identifier: OGL-UK-3.0' }],
    });
  });
});

describe('SnapshotError', () => {
  it('says when the path does not exist', () => {
    const missing = join(tempDir(), 'nope');
    expect(() => openLocalSnapshot(missing)).toThrow(SnapshotError);
    expect(() => openLocalSnapshot(missing)).toThrow(`${missing} does not exist`);
  });

  it('says when the path is a file, not a folder', () => {
    const dir = tempDir();
    write(dir, { 'README.md': 'x' });
    expect(() => openLocalSnapshot(join(dir, 'README.md'))).toThrow(/is not a folder/);
  });
});

/** A checkout as actions/checkout leaves it: the job's token in .git/config, an ignored .env beside the code. */
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

function hostileCheckout(): string {
  const dir = tempDir();
  initRepo(dir);
  write(dir, {
    'README.md': '# Service\n',
    '.gitignore': '.env\n',
    '.env': `API_TOKEN=${TOKEN}\n`,
    'docs/config': 'a tracked file, soon behind a link\n',
  });
  symlinkSync('.git/config', join(dir, 'roadmap.yaml'));
  symlinkSync('.env', join(dir, 'notes.md'));
  symlinkSync('README.md', join(dir, 'README-link.md'));
  commitAll(dir);
  git(dir, 'config', 'http.https://github.com/.extraheader', `AUTHORIZATION: basic ${TOKEN}`);
  // After the commit, as a pull request's later change could leave it: the tracked docs/ is now a link to .git.
  rmSync(join(dir, 'docs'), { recursive: true });
  symlinkSync('.git', join(dir, 'docs'));
  return dir;
}

describe('reading only the files being judged', () => {
  for (const mode of ['git', 'folder'] as const) {
    it(`in ${mode} mode, never reads through a link to .git/config, an ignored file or .git itself`, () => {
      const dir = hostileCheckout();
      const snapshot = openLocalSnapshot(dir, mode === 'folder' ? { git: join(dir, 'no-such-git') } : {});
      expect(snapshot.kind).toBe(mode);
      const refused = { kind: 'unavailable', reason: 'symbolic link to a file outside the files judged' };
      expect(snapshot.read('roadmap.yaml')).toEqual(refused);
      expect(snapshot.read('notes.md')).toEqual(refused);
      if (mode === 'git') {
        // git still lists the tracked docs/config, and reaches it through the linked folder.
        expect(snapshot.has('docs/config')).toBe(true);
        expect(snapshot.read('docs/config')).toEqual(refused);
      }
      // A link to a file that is judged is followed.
      expect(snapshot.read('README-link.md')).toEqual({ kind: 'text', text: '# Service\n' });
      const grep = snapshot.grep(TOKEN);
      expect(grep.matches).toEqual([]);
      expect(JSON.stringify(grep)).not.toContain(TOKEN);
      expect(snapshot.grep('extraheader').matches).toEqual([]);
    });
  }

  it('checks that git grep itself follows a linked folder, and drops what it found there', () => {
    const dir = hostileCheckout();
    // With no untracked file left, git greps the index's paths on disk.
    writeFileSync(join(dir, '.git/info/exclude'), 'docs\n');
    // What makes the filter necessary: git reads docs/config through the link, though not a linked file.
    expect(git(dir, 'grep', '-l', 'extraheader')).toBe('docs/config');
    expect(() => git(dir, 'grep', '-l', TOKEN, '--', 'notes.md', 'roadmap.yaml')).toThrow();
    const result = openLocalSnapshot(dir).grep('extraheader');
    expect(result).toEqual({ matches: [], complete: false });
  });

  it('never names where a refused link leads, nor whether that file exists', () => {
    const dir = tempDir();
    initRepo(dir);
    write(dir, { 'README.md': '# x\n' });
    symlinkSync('/etc/hostname', join(dir, 'exists.md'));
    symlinkSync('/no/such/file', join(dir, 'missing.md'));
    symlinkSync('/etc', join(dir, 'etc-link'));
    commitAll(dir);
    const snapshot = openLocalSnapshot(dir);
    const reasons = ['exists.md', 'missing.md'].map((path) => snapshot.read(path));
    expect(reasons[0]).toEqual(reasons[1]);
    expect(JSON.stringify(reasons)).not.toMatch(/etc|no\/such/);
  });
});

describe('running git on a stranger’s checkout', () => {
  it('runs no fsmonitor, textconv or pager the repository’s .git/config names', () => {
    const dir = tempDir();
    initRepo(dir);
    write(dir, {
      'README.md': '# x\n// SPDX-License-Identifier: MIT\n',
      '.gitattributes': '*.md diff=evil filter=evil\n',
      LICENCE: 'MIT\n',
    });
    commitAll(dir);
    const marker = join(tempDir(), 'ran');
    const script = join(tempDir(), 'tripwire.sh');
    write(dirname(script), { 'tripwire.sh': `#!/bin/sh\necho "$0 $*" >> '${marker}'\nexit 0\n` });
    chmodSync(script, 0o755);
    for (const key of [
      'core.fsmonitor',
      'diff.evil.textconv',
      'filter.evil.clean',
      'core.pager',
      'diff.external',
    ]) {
      git(dir, 'config', key, script);
    }
    // Armed: git on its own runs the fsmonitor hook when listing files.
    git(dir, 'ls-files', '--others');
    expect(readFileSync(marker, 'utf8')).toContain('tripwire');
    rmSync(marker);

    const snapshot = openLocalSnapshot(dir, {
      grepAhead: { needle: 'SPDX-License-Identifier:', minIndexBytes: 0 },
    });
    expect(snapshot.files()).toEqual(['.gitattributes', 'LICENCE', 'README.md']);
    expect(snapshot.grep('SPDX-License-Identifier:').matches).toHaveLength(1);
    expect(snapshot.grep('MIT').matches).toHaveLength(2);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('folders that are not work trees, and odd names', () => {
  it('refuses a bare repository and a .git folder, saying what to give instead', () => {
    const dir = tempDir();
    initRepo(dir);
    write(dir, { 'README.md': '# x\n' });
    commitAll(dir);
    const bare = join(tempDir(), 'service.git');
    execFileSync('git', ['clone', '-q', '--bare', dir, bare]);
    expect(() => openLocalSnapshot(bare)).toThrow(
      `${bare} is a bare git repository: check out a work tree and give its folder`,
    );
    expect(() => openLocalSnapshot(bare)).toThrow(expect.objectContaining({ reason: 'bare-repository' }));
    expect(() => openLocalSnapshot(join(dir, '.git'))).toThrow(/is inside a repository's \.git folder/);
    // Without git to ask, the shape of the folder gives it away.
    expect(() => openLocalSnapshot(bare, { git: join(dir, 'no-such-git') })).toThrow(
      /is a bare git repository/,
    );
  });

  for (const mode of ['git', 'folder'] as const) {
    it(`in ${mode} mode, lists a file whose name is not UTF-8 and reads it by its real bytes`, () => {
      const dir = tempDir();
      if (mode === 'git') initRepo(dir);
      write(dir, { 'README.md': '# x\n' });
      mkdirSync(join(dir, 'docs'));
      const latin1 = Buffer.concat([Buffer.from(`${dir}/docs/caf`), Buffer.from([0xe9]), Buffer.from('.md')]);
      writeFileSync(latin1, 'SPDX-License-Identifier: MIT\n');
      if (mode === 'git') commitAll(dir);
      const snapshot = openLocalSnapshot(dir, mode === 'folder' ? { git: join(dir, 'no-such-git') } : {});
      expect(snapshot.kind).toBe(mode);
      expect(snapshot.files()).toEqual(['README.md', 'docs/caf\\xe9.md']);
      expect(snapshot.read('docs/caf\\xe9.md')).toEqual({
        kind: 'text',
        text: 'SPDX-License-Identifier: MIT\n',
      });
      expect(snapshot.grep('SPDX-License-Identifier:')).toEqual({
        complete: true,
        matches: [{ path: 'docs/caf\\xe9.md', line: 1, text: 'SPDX-License-Identifier: MIT' }],
      });
    });
  }

  for (const mode of ['git', 'folder'] as const) {
    it(`in ${mode} mode, records a folder too deep to open instead of leaving it out silently`, () => {
      const dir = tempDir();
      if (mode === 'git') initRepo(dir);
      write(dir, { 'README.md': '# x\n' });
      if (mode === 'git') commitAll(dir);
      const deep = nestPastPathMax(dir);
      const snapshot = openLocalSnapshot(dir, mode === 'folder' ? { git: join(dir, 'no-such-git') } : {});
      expect(snapshot.kind).toBe(mode);
      expect(snapshot.files()).toEqual(['README.md']);
      expect(snapshot.skipped).toHaveLength(1);
      expect(snapshot.skipped[0]!.reason).toBe('its path is too long to open');
      expect(deep.startsWith(snapshot.skipped[0]!.path.slice(0, 200))).toBe(true);
      expect(snapshot.unreadableFolders()).toEqual(snapshot.skipped);
    });
  }
});

/**
 * Nests folders with long names until their path is longer than PATH_MAX (4096), with a file at the bottom;
 * only a shell that changes folder one step at a time can make it. Returns the path, relative to `dir`, of the
 * deepest folder that can still be opened by its full name's parent: the one git and the walk cannot open.
 */
function nestPastPathMax(dir: string): string {
  const name = 'n'.repeat(200);
  execFileSync('bash', [
    '-c',
    `cd "$1" && mkdir hidden && cd hidden && for i in $(seq 1 25); do mkdir ${name} && cd ${name}; done && echo 'MIT' > LICENSE`,
    'nest',
    dir,
  ]);
  return `hidden/${name}`;
}
