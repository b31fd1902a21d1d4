import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { main } from '../../src/cli/main.js';

/** The project's root, where the CLI runs from in tests. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The real MIT text from SPDX's data, with a Crown copyright line as NHS and GDS repositories write it. */
export const CROWN_MIT = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules/spdx-license-list/spdx-full.json'), 'utf8')) as Record<
    string,
    { licenseText: string }
  >
).MIT!.licenseText.replace('<year> <copyright holders>', '2025 Crown Copyright (Government Digital Service)');

/** Temp folders for one test file, removed after it (with rm, which copes with folders nested past PATH_MAX). */
export function useTempDirs(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => execFileSync('rm', ['-rf', dir])));
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** `git init` with an author and no signing, so that commits work on any machine. */
export function initRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.email', 'dev@example.gov.uk');
  git(dir, 'config', 'user.name', 'Dev');
  git(dir, 'config', 'commit.gpgsign', 'false');
}

export function commitAll(dir: string, message = 'Add files'): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', message);
}

export class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/** Runs the CLI in-process from the project root with an empty environment, as a CI job would see it. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout, stderr, cwd: ROOT, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
