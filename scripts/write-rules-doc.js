// Writes docs/rules.md from the built checks (run `npm run build` first; `npm run docs` does both).
import { writeFileSync } from 'node:fs';
import { checks } from '../lib/checks/index.js';
import { renderRulesDoc } from '../lib/docs/rules-doc.js';

writeFileSync(new URL('../docs/rules.md', import.meta.url), renderRulesDoc(checks));
console.log('docs/rules.md written');
