// Writes schemas/config.schema.json from the built checks and the base schema (run `npm run build` first; `npm run
// schema` does both). test/config/assemble.test.ts fails until the committed file is what this writes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { checks } from '../lib/checks/index.js';
import { assembleConfigSchema } from '../lib/config/assemble.js';

const file = fileURLToPath(new URL('../schemas/config.schema.json', import.meta.url));
const options = (await prettier.resolveConfig(file)) ?? {};
const text = await prettier.format(JSON.stringify(assembleConfigSchema(checks), null, 2), {
  ...options,
  filepath: file,
});
writeFileSync(file, text);
console.log('schemas/config.schema.json written');
