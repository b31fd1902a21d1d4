/**
 * The one way a repository on disk is opened, by the CLI and by the Action alike: the same snapshot, the same
 * configuration read through it, the same commits judged; only the words each door says differ.
 */
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configOptions } from '../../src/checks/index.js';
import { LocalCommitsError } from '../../src/sources/local-commits.js';
import { openLocal, type OpenLocalOptions } from '../../src/sources/open-local.js';
import { cleanUp, runAction, runner } from '../action/support.js';
import { commitAll, git, initRepo, runCli, useTempDirs, writeFiles } from '../support/cli.js';

const tempDir = useTempDirs('openly-open-local-');
afterEach(cleanUp);

const CONFIG = `_extends: nhsx/.github
community-files: warning
`;

/** A repository with a first commit on main and a feature commit after it; returns the first commit's id. */
function twoCommits(dir: string): string {
  initRepo(dir);
  writeFiles(dir, {
    'README.md': '# Book a vaccination\n',
    LICENCE: 'Copyright (c) 2026 Crown Copyright\n',
    '.github/openly.yml': CONFIG,
  });
  commitAll(dir, 'First commit');
  const first = git(dir, 'rev-parse', 'HEAD');
  writeFiles(dir, { 'docs/roadmap.md': '# Roadmap\n' });
  commitAll(dir, 'Add the roadmap');
  return first;
}

const AS_CLI = { commits: 'required', config: configOptions() } satisfies Partial<OpenLocalOptions>;
const AS_ACTION = {
  config: configOptions(),
  commits: 'best-effort',
  refuseLinkedConfig: true,
} as const satisfies Partial<OpenLocalOptions>;

describe('openLocal', () => {
  it('gives both doors the same snapshot, configuration and commits from one repository', () => {
    const dir = tempDir();
    const first = twoCommits(dir);
    const range = `${first}..HEAD`;
    const cli = openLocal({ root: dir, range, ...AS_CLI });
    const action = openLocal({ root: dir, range, ...AS_ACTION });
    if (!cli.ok || !action.ok) throw new Error('the configuration should be valid');

    expect(cli.snapshot.files()).toEqual(['.github/openly.yml', 'LICENCE', 'README.md', 'docs/roadmap.md']);
    expect(action.snapshot.files()).toEqual(cli.snapshot.files());
    expect(action.snapshot.head).toBe(git(dir, 'rev-parse', 'HEAD'));
    expect(action.snapshot.head).toBe(cli.snapshot.head);
    expect(action.config).toEqual(cli.config);
    expect(cli.config.sources).toEqual(['.github/openly.yml']);
    expect(cli.commits?.map((commit) => commit.message.trim())).toEqual(['Add the roadmap']);
    expect(action.snapshot.commits?.()).toEqual(cli.snapshot.commits?.());
    // The base is another repository: no local door reads it, and both are told so with where it was named.
    const note = { kind: 'extends-not-followed', value: 'nhsx/.github', file: '.github/openly.yml', line: 1 };
    expect(cli.notes).toEqual([note]);
    expect(action.notes).toEqual([note]);
  });

  it('commits that cannot be read stop the CLI, and are a note for the Action', () => {
    const dir = tempDir();
    twoCommits(dir);
    const range = 'no-such-branch..HEAD';
    expect(() => openLocal({ root: dir, range, ...AS_CLI })).toThrow(LocalCommitsError);
    const action = openLocal({ root: dir, range, ...AS_ACTION });
    expect(action.ok && action.commits).toBeUndefined();
    expect(action.notes[0]).toMatchObject({
      kind: 'commits-not-read',
      reason: expect.stringContaining('Could not read the commits in range "no-such-branch..HEAD"'),
    });
  });

  it('a range on a folder outside git is refused by name when required, and ignored otherwise', () => {
    const dir = tempDir();
    writeFiles(dir, { 'README.md': '# Notes\n' });
    expect(() => openLocal({ root: dir, displayPath: 'notes', range: 'a..b', ...AS_CLI })).toThrow(
      'notes is not a git repository',
    );
    const action = openLocal({ root: dir, range: 'a..b', ...AS_ACTION });
    expect(action.ok && action.commits).toBeUndefined();
    expect(action.notes).toEqual([]);
  });

  it('returns an invalid configuration as its problems, with file and line', () => {
    const dir = tempDir();
    initRepo(dir);
    writeFiles(dir, { '.github/openly.yml': 'community-files: warning\nlicnece: error\n' });
    commitAll(dir);
    const opened = openLocal({ root: dir, ...AS_CLI });
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.problems[0]).toMatchObject({ file: '.github/openly.yml', line: 2 });
  });

  it('a configuration file that is a link is refused when asked, wherever it points, and never read', () => {
    const dir = tempDir();
    initRepo(dir);
    writeFiles(dir, { 'openly.yml': 'licence: off\n', 'README.md': '# x\n' });
    writeFiles(dir, { '.github/.keep': '' });
    symlinkSync('../openly.yml', join(dir, '.github/openly.yml'));
    commitAll(dir);
    const refused = openLocal({ root: dir, ...AS_ACTION });
    expect(refused).toMatchObject({
      ok: false,
      problems: [
        { file: '.github/openly.yml', message: expect.stringContaining('so the configuration was not read') },
      ],
    });
    // Without the refusal, a link to a file being judged is read through the snapshot like any other file.
    const followed = openLocal({ root: dir, ...AS_CLI });
    expect(followed.ok && followed.config.levels.licence).toBe('off');
  });
});

describe('the CLI and the Action on the same repository', () => {
  it('judge the same files, configuration and commits, and report the same results', async () => {
    const r = runner({
      event: 'push',
      payload: {
        ref: 'refs/heads/master',
        repository: { default_branch: 'master', full_name: 'nhsx/covid-app' },
      },
      inputs: { mode: 'status', 'dry-run': 'true' },
    });
    const first = r.sha;
    writeFileSync(join(r.workspace, 'ROADMAP.md'), '# Roadmap\n');
    git(r.workspace, '-c', 'user.name=Priya Shah', '-c', 'user.email=priya.shah@nhs.net', 'add', '-A');
    git(
      r.workspace,
      '-c',
      'user.name=Priya Shah',
      '-c',
      'user.email=priya.shah@nhs.net',
      'commit',
      '-qm',
      'Add the roadmap',
    );
    const payload = { ref: 'refs/heads/master', before: first, repository: { default_branch: 'master' } };
    writeFileSync(r.env.GITHUB_EVENT_PATH!, JSON.stringify(payload));

    // The CLI first: the Action writes its status files into the checkout, which the CLI would then see.
    const cli = await runCli(['check', r.workspace, '--format', 'json', '--range', `${first}..HEAD`]);
    const action = await runAction(r);
    const fromAction = JSON.parse(readFileSync(join(r.workspace, 'openly-status', 'report.json'), 'utf8'));
    const fromCli = JSON.parse(cli.stdout);

    expect(action.status).toBe(cli.code === 0 ? (fromCli.summary.warnings > 0 ? 'warn' : 'pass') : 'fail');
    expect(fromAction.repository.head).toBe(fromCli.repository.head);
    expect(fromAction.summary).toEqual(fromCli.summary);
    const signed = (report: { results: { check: string }[] }) =>
      report.results.find((result) => result.check === 'signed-commits');
    // The one commit the push added is judged by both, unsigned.
    expect(signed(fromCli)).toMatchObject({ status: 'fail' });
    expect(signed(fromAction)).toEqual(signed(fromCli));
    const withoutTimes = (report: { results: { durationMs?: number }[] }) =>
      report.results.map(({ durationMs: _, ...result }) => result);
    expect(withoutTimes(fromAction)).toEqual(withoutTimes(fromCli));
  });
});
