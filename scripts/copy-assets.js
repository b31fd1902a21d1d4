// Copies every GraphQL document under src/ next to the built JavaScript, where the modules read them at run time
// (src/sources/github/*.graphql, src/release/github/*.graphql, ...).
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const lib = fileURLToPath(new URL('../lib/', import.meta.url));

for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.graphql')) continue;
  const from = join(entry.parentPath, entry.name);
  const to = join(lib, relative(src, from));
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to);
}

// The templates `openly init` writes from, beside the module that reads them (as in src/, where tests run them).
cpSync(join(src, 'init/templates'), join(lib, 'init/templates'), { recursive: true });
