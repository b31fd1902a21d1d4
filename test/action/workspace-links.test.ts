/**
 * A hostile checkout against the Action: committed symbolic links (and a hard link) where the Action reads its
 * inputs and writes its status files. The Action must neither write through them nor read through them, must say
 * which input and which path it refused, and must still report everything else.
 */
import {
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { example } from '../release/github-mock.js';
import {
  invalidMocks,
  mockCommitStatus,
  mockStatusContext,
  readOutputs,
  runAction,
  runner,
  sent,
  useActionBench,
} from './support.js';

const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const SCRIPT = '#!/bin/sh\necho deploying\n';

const pushToMaster = () => example('push', (p) => p.ref === 'refs/heads/master' && p.deleted === false);

useActionBench();

function statuses() {
  return sent.filter((request) => request.route === '/repos/{owner}/{repo}/statuses/{sha}');
}

/** A folder beside the workspace holding a script a later step of the job would run. */
function scriptsBeside(around: string): string {
  const dir = join(around, 'scripts');
  mkdirSync(dir);
  writeFileSync(join(dir, 'deploy.sh'), SCRIPT);
  return dir;
}

describe('status-dir: the status files go only into real folders inside the workspace', () => {
  it('a committed openly-status linked to another folder gets nothing, and the summary, annotations and status still go out', async () => {
    let scripts = '';
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status' },
      // A missing code of conduct: a warning, so that its annotation can be looked for, and the step fails only
      // for the refused write.
      change: { 'CODE_OF_CONDUCT.md': null },
      prepare: (workspace, around) => {
        scripts = scriptsBeside(around);
        symlinkSync('../scripts', join(workspace, 'openly-status'));
      },
    });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    expect(invalidMocks).toEqual([]);
    expect(readdirSync(scripts)).toEqual(['deploy.sh']);
    expect(readFileSync(join(scripts, 'deploy.sh'), 'utf8')).toBe(SCRIPT);
    expect(lstatSync(join(r.workspace, 'openly-status')).isSymbolicLink()).toBe(true);
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      '::error::input "status-dir": openly-status is a symbolic link (to "../scripts"); Openly follows no link inside the workspace; no status files were written.',
    );
    expect(result.log).toMatch(
      /^::warning title=Openly community-files\/code-of-conduct::No code of conduct/m,
    );
    expect(readFileSync(r.summaryFile, 'utf8')).toContain('Governance status');
    expect(statuses()).toHaveLength(1);
    expect(statuses()[0]!.body).toMatchObject({
      state: 'success',
      description: '1 warning, no errors, in 9 checks',
    });
    const outputs = readOutputs(r.outputFile);
    expect(outputs.status).toBe('warn');
    // No report.json was written, so a later step is not pointed at whatever lies behind the link.
    expect(outputs['report-path']).toBeUndefined();
  });

  it('a linked report.json inside a real status folder is left alone; index.html and status.json are written', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status' },
      prepare: (workspace) => {
        mkdirSync(join(workspace, 'scripts'));
        writeFileSync(join(workspace, 'scripts', 'deploy.sh'), SCRIPT);
        mkdirSync(join(workspace, 'openly-status'));
        symlinkSync('../scripts/deploy.sh', join(workspace, 'openly-status', 'report.json'));
      },
    });
    mockStatusContext();
    mockCommitStatus(OWNER, REPO, r.sha);

    const result = await runAction(r);

    const dir = join(r.workspace, 'openly-status');
    expect(readFileSync(join(r.workspace, 'scripts', 'deploy.sh'), 'utf8')).toBe(SCRIPT);
    expect(lstatSync(join(dir, 'report.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<html');
    expect(JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8'))).toMatchObject({ message: 'passing' });
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      '::error::input "status-dir": openly-status/report.json is a symbolic link (to "../scripts/deploy.sh"); Openly follows no link inside the workspace, so it was not written.',
    );
    expect(result.log).toContain('Wrote index.html and status.json to');
    expect(statuses()[0]!.body.state).toBe('success');
    const outputs = readOutputs(r.outputFile);
    expect(outputs.status).toBe('pass');
    expect(outputs['report-path']).toBeUndefined();
  });

  it('a dangling link at report.json creates nothing where it points', async () => {
    let around = '';
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'dry-run': 'true' },
      prepare: (workspace, dir) => {
        around = dir;
        mkdirSync(join(workspace, 'openly-status'));
        symlinkSync('../../planted.sh', join(workspace, 'openly-status', 'report.json'));
      },
    });
    const result = await runAction(r);
    expect(existsSync(join(around, 'planted.sh'))).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain('openly-status/report.json is a symbolic link (to "../../planted.sh")');
  });

  it('a status-dir under a linked folder is refused without making the folder behind the link', async () => {
    let scripts = '';
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'dry-run': 'true', 'status-dir': 'public/status' },
      prepare: (workspace, around) => {
        scripts = scriptsBeside(around);
        symlinkSync(scripts, join(workspace, 'public'));
      },
    });
    const result = await runAction(r);
    expect(readdirSync(scripts)).toEqual(['deploy.sh']);
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      `::error::input "status-dir": public is a symbolic link (to ${JSON.stringify(scripts)}); Openly follows no link inside the workspace; no status files were written.`,
    );
    expect(readOutputs(r.outputFile).status).toBe('pass');
  });

  it('a report.json with another hard link is not written, so the other name keeps its content', async () => {
    let scripts = '';
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'dry-run': 'true' },
      prepare: (workspace, around) => {
        scripts = scriptsBeside(around);
        mkdirSync(join(workspace, 'openly-status'));
        linkSync(join(scripts, 'deploy.sh'), join(workspace, 'openly-status', 'report.json'));
      },
    });
    const result = await runAction(r);
    expect(readFileSync(join(scripts, 'deploy.sh'), 'utf8')).toBe(SCRIPT);
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      '::error::input "status-dir": openly-status/report.json has 1 other hard link, which writing would change too.',
    );
  });

  it('missing folders of a nested status-dir are made, and an old report.json is replaced whole', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', 'dry-run': 'true', 'status-dir': 'site/public/status' },
      prepare: (workspace) => {
        mkdirSync(join(workspace, 'site'));
        writeFileSync(join(workspace, 'site', 'README.md'), '# Site\n');
      },
    });
    const dir = join(r.workspace, 'site', 'public', 'status');
    mkdirSync(dir, { recursive: true });
    // Longer than the new report, so that a write without truncation would leave its tail behind.
    writeFileSync(join(dir, 'report.json'), `${' '.repeat(1 << 20)}tail`);
    const result = await runAction(r);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toMatchObject({ tool: 'openly' });
    expect(readOutputs(r.outputFile)['report-path']).toBe(join(dir, 'report.json'));
  });
});

describe('path and config: read only through real folders inside the workspace', () => {
  it('a path that is a link to a folder outside the workspace is refused before anything is judged', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', path: 'docs' },
      prepare: (workspace, around) => {
        scriptsBeside(around);
        symlinkSync('../scripts', join(workspace, 'docs'));
      },
    });
    const result = await runAction(r);
    expect(result.exitCode).toBe(1);
    expect(result.requests).toBe(0);
    expect(result.log).toContain(
      '::error::Openly could not run: input "path": docs is a symbolic link (to "../scripts"); Openly follows no link inside the workspace',
    );
    expect(existsSync(join(r.workspace, 'openly-status'))).toBe(false);
  });

  it('a path that passes through a link, even one to a folder inside the workspace, is refused naming the link', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', path: 'current/site' },
      prepare: (workspace) => {
        mkdirSync(join(workspace, 'releases', 'v2', 'site'), { recursive: true });
        writeFileSync(join(workspace, 'releases', 'v2', 'site', 'README.md'), '# v2\n');
        symlinkSync('releases/v2', join(workspace, 'current'));
      },
    });
    const result = await runAction(r);
    expect(result.exitCode).toBe(1);
    expect(result.requests).toBe(0);
    expect(result.log).toContain(
      '::error::Openly could not run: input "path": "current/site" is refused: current is a symbolic link (to "releases/v2"); Openly follows no link inside the workspace',
    );
  });

  it('a config input behind a link is refused, and nothing of the file it points to is shown', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status', config: 'ci/openly.yml' },
      prepare: (workspace, around) => {
        mkdirSync(join(around, 'secrets'));
        writeFileSync(join(around, 'secrets', 'openly.yml'), 'deploy_key: hunter2-do-not-show\n');
        symlinkSync('../secrets', join(workspace, 'ci'));
      },
    });
    const result = await runAction(r);
    expect(result.exitCode).toBe(1);
    expect(result.requests).toBe(0);
    expect(result.log).toContain(
      '::error::Openly could not run: input "config": "ci/openly.yml" is refused: ci is a symbolic link (to "../secrets"); Openly follows no link inside the workspace',
    );
    expect(result.log).not.toContain('hunter2');
  });

  it("the checkout's own .github/openly.yml as a link is a broken configuration, not read from where it points", async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'status' },
      prepare: (workspace, around) => {
        writeFileSync(join(around, 'secret.yml'), 'deploy_key: hunter2-do-not-show\n');
        symlinkSync('../../secret.yml', join(workspace, '.github', 'openly.yml'));
      },
    });
    mockCommitStatus(OWNER, REPO, r.sha);
    const result = await runAction(r);
    expect(invalidMocks).toEqual([]);
    expect(result.exitCode).toBe(1);
    expect(result.log).toContain(
      '::error title=Openly configuration,file=.github/openly.yml::.github/openly.yml is a symbolic link (to "../../secret.yml"); Openly follows no link inside the checkout, so the configuration was not read',
    );
    expect(result.log).not.toContain('hunter2');
    expect(statuses()[0]!.body.state).toBe('error');
    expect(readOutputs(r.outputFile).status).toBe('error');
  });
});
