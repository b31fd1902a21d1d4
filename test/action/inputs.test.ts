import { describe, expect, it } from 'vitest';
import { InputError, readInputs, type ActionInputs } from '../../src/action/inputs.js';

function read(inputs: Record<string, string>): ActionInputs {
  return readInputs((name) => (inputs[name] ?? '').trim());
}

function problems(inputs: Record<string, string>): string[] {
  try {
    read(inputs);
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
  return [];
}

const TOKEN = { token: 'ghs_x' };

describe('readInputs', () => {
  it('fills the defaults action.yml documents', () => {
    expect(read(TOKEN)).toEqual({
      token: 'ghs_x',
      path: '.',
      mode: 'auto',
      dryRun: false,
      failOn: 'error',
      statusDir: 'openly-status',
    });
  });

  it('reads every input', () => {
    expect(
      read({
        token: 'ghs_x',
        path: 'site',
        config: 'ci/openly.yml',
        mode: 'release-notes',
        'dry-run': 'True',
        'fail-on': 'warning',
        'pages-branch': 'refs/heads/gh-pages',
        'status-dir': 'public/status',
      }),
    ).toEqual({
      token: 'ghs_x',
      path: 'site',
      config: 'ci/openly.yml',
      mode: 'release-notes',
      dryRun: true,
      failOn: 'warning',
      pagesBranch: 'gh-pages',
      statusDir: 'public/status',
    });
  });

  it.each([
    [
      { mode: 'relase' },
      'input "mode": unknown value "relase" (did you mean "release-notes"?); use one of auto, status, release-notes, milestone, publish, audit, diagrams',
    ],
    [
      { mode: 'milestones' },
      'input "mode": unknown value "milestones" (did you mean "milestone"?); use one of auto, status, release-notes, milestone, publish, audit, diagrams',
    ],
    [
      { mode: 'deploy' },
      'input "mode": unknown value "deploy"; use one of auto, status, release-notes, milestone, publish, audit, diagrams',
    ],
    [
      { 'fail-on': 'errors' },
      'input "fail-on": unknown value "errors" (did you mean "error"?); use one of error, warning, never',
    ],
    [
      { 'dry-run': 'yes' },
      'input "dry-run": "yes" is not a YAML 1.2 boolean; use true, True, TRUE, false, False or FALSE',
    ],
    [
      { 'dry-run': 'tRuE' },
      'input "dry-run": "tRuE" is not a YAML 1.2 boolean; use true, True, TRUE, false, False or FALSE',
    ],
    [
      { 'pages-branch': 'gh pages' },
      'input "pages-branch": "gh pages" is not a branch name git accepts: it has a space, a control character or one of ~ ^ : ? * [ \\',
    ],
    [
      { 'pages-branch': 'pages..old' },
      'input "pages-branch": "pages..old" is not a branch name git accepts: it has "..", "@{" or "//"',
    ],
    [
      { 'pages-branch': 'gh-pages.lock' },
      'input "pages-branch": "gh-pages.lock" is not a branch name git accepts: it has a part starting with "." or ending with ".lock"',
    ],
    [
      { 'pages-branch': '-f' },
      'input "pages-branch": "-f" is not a branch name git accepts: it starts with "-" or "/", or ends with "/" or "."',
    ],
  ])('%j is refused: %s', (given, message) => {
    expect(problems({ ...TOKEN, ...given })).toEqual([message]);
  });

  it('accepts each YAML 1.2 core-schema spelling of true and false', () => {
    for (const text of ['true', 'True', 'TRUE'])
      expect(read({ ...TOKEN, 'dry-run': text }).dryRun).toBe(true);
    for (const text of ['false', 'False', 'FALSE'])
      expect(read({ ...TOKEN, 'dry-run': text }).dryRun).toBe(false);
  });

  it('an empty token is refused unless the run is dry', () => {
    expect(problems({ token: '' })).toEqual([
      'input "token": empty; leave it unset to use the workflow\'s GITHUB_TOKEN, or pass a token (dry-run needs none)',
    ]);
    expect(read({ token: '', 'dry-run': 'true' }).token).toBe('');
  });

  it('refuses a path or status-dir outside the workspace, naming the input', () => {
    expect(problems({ ...TOKEN, 'status-dir': '../..' })).toEqual([
      'input "status-dir": "../.." is outside the workspace; give a path relative to it, such as "openly-status"',
    ]);
    expect(problems({ ...TOKEN, path: 'repo/../../elsewhere' })).toEqual([
      'input "path": "repo/../../elsewhere" is outside the workspace; give a path relative to it, such as "."',
    ]);
    expect(problems({ ...TOKEN, 'status-dir': '/etc' })).toHaveLength(1);
    // Inside the workspace, however it is spelt.
    expect(read({ ...TOKEN, path: 'repo/..', 'status-dir': 'site/../status' }).statusDir).toBe(
      'site/../status',
    );
    expect(read({ ...TOKEN, path: '..repo' }).path).toBe('..repo');
  });

  it('refuses a config file outside the workspace, which would be read and quoted in its error messages', () => {
    expect(problems({ ...TOKEN, config: '/proc/self/environ' })).toEqual([
      'input "config": "/proc/self/environ" is outside the workspace; give a path relative to it, such as ".github/openly.yml"',
    ]);
    expect(problems({ ...TOKEN, config: 'ci/../../secrets.yml' })).toHaveLength(1);
    expect(read({ ...TOKEN, config: 'ci/../openly.yml' }).config).toBe('ci/../openly.yml');
  });

  it('lists every problem at once, so one run shows all there is to fix', () => {
    const found = problems({ mode: 'relase', 'fail-on': 'sometimes', 'dry-run': 'on', token: 'x' });
    expect(found.map((line) => /^input "([^"]+)"/.exec(line)?.[1])).toEqual(['mode', 'fail-on', 'dry-run']);
    expect(() => read({ mode: 'relase', 'fail-on': 'sometimes', token: 'x' })).toThrow(
      /mode.*relase[\s\S]*\n.*fail-on.*sometimes/,
    );
  });
});

describe('readInputs for mode audit', () => {
  it('reads the organisation and the audit folder, and leaves them unset otherwise', () => {
    expect(
      read({ ...TOKEN, mode: 'audit', organisation: 'nhs-digital-team', 'audit-dir': 'site/audit' }),
    ).toMatchObject({ mode: 'audit', organisation: 'nhs-digital-team', auditDir: 'site/audit' });
    const plain = read({ ...TOKEN, mode: 'audit' });
    expect(plain.organisation).toBeUndefined();
    expect(plain.auditDir).toBeUndefined();
  });

  it('reads include-archived and include-forks as booleans, and refuses anything else', () => {
    expect(
      read({ ...TOKEN, mode: 'audit', 'include-archived': 'true', 'include-forks': 'True' }),
    ).toMatchObject({
      includeArchived: true,
      includeForks: true,
    });
    const plain = read({ ...TOKEN, mode: 'audit', 'include-archived': 'false' });
    expect(plain.includeArchived).toBeUndefined();
    expect(plain.includeForks).toBeUndefined();
    expect(problems({ ...TOKEN, mode: 'audit', 'include-forks': 'yes' })).toEqual([
      'input "include-forks": "yes" is not a YAML 1.2 boolean; use true, True, TRUE, false, False or FALSE',
    ]);
  });

  it('refuses an organisation that is not a GitHub login and an audit-dir outside the workspace', () => {
    expect(
      problems({ ...TOKEN, mode: 'audit', organisation: 'nhs digital', 'audit-dir': '../site' }),
    ).toEqual([
      'input "audit-dir": "../site" is outside the workspace; give a path relative to it, such as "openly-audit"',
      'input "organisation": "nhs digital" is not a GitHub organisation name (letters, digits and single hyphens)',
    ]);
  });

  it('needs a token even in a dry run, naming the App token', () => {
    expect(problems({ token: '', mode: 'audit', 'dry-run': 'true' })).toEqual([
      'input "token": mode audit reads every repository of the organisation, even in a dry run; pass a GitHub App installation token (actions/create-github-app-token)',
    ]);
  });
});
