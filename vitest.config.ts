import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is a worker fewer than the cores: one on a 2-core CI machine, which then runs one file at
    // a time and leaves a core idle while a file waits on Chromium, Redis, git or a child process.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
