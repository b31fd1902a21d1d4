#!/usr/bin/env node
// The `openly` command. The TypeScript is compiled to lib/ by `npm run build` (run by `npm ci` via `prepare`).
import { main } from '../lib/cli/main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
