// Copies the GraphQL documents next to the built JavaScript, where src/sources/github.ts reads them at run time.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';

const from = new URL('../src/sources/github/', import.meta.url);
const to = new URL('../lib/sources/github/', import.meta.url);
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (name.endsWith('.graphql')) cpSync(new URL(name, from), new URL(name, to));
}
