// The Action's entry: everything happens in run(), which never throws; its exit code becomes the step's.
import { run } from './run.js';

const result = await run({ env: process.env });
process.exitCode = result.exitCode;
