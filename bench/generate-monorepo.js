// Generates a realistic open-working monorepo for benchmarks: the shape of a large NHS or GOV.UK service
// repository, with licences, community files, thousands of design history entries, ADRs and weeknotes, a big
// risk register and tens of thousands of TypeScript files. The same `files` always gives the same bytes and the
// same commit, so figures from different runs compare.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import licences from 'spdx-license-list/full.js';

/** Keeps generated files under this: a register the CLI refuses as too large would measure nothing. */
const MAX_TEXT_BYTES = 1024 * 1024;

/** mulberry32: small, fast and seedable, which Math.random is not. */
function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

const WORDS = [
  'appointment',
  'referral',
  'eligibility',
  'prescription',
  'booking',
  'account',
  'sign-in',
  'notification',
  'consent',
  'record',
  'search',
  'results',
  'dashboard',
  'upload',
  'evidence',
  'payment',
  'address',
  'lookup',
  'journey',
  'content',
  'accessibility',
  'research',
  'prototype',
  'vaccination',
  'pharmacy',
  'clinic',
  'caseworker',
  'application',
  'licence',
  'permit',
  'council-tax',
  'benefits',
  'housing',
  'waste',
  'planning',
  'feedback',
];
const PEOPLE = [
  'Amira Khan',
  'Tom Ellis',
  'Priya Patel',
  'Siobhan Murphy',
  'Kwame Mensah',
  'Gareth Jones',
  'Li Wei',
];
const TEAMS = ['NHS England', 'Government Digital Service', 'Leeds City Council', 'HM Land Registry'];
const LIKELIHOODS = ['Very low', 'Low', 'Medium', 'High', 'Very high'];
const CONSEQUENCES = ['Minor', 'Significant', 'Considerable', 'Major', 'Catastrophic'];
// The DCB0129 risk grid, as the risk register schema encodes it: rating = GRID[likelihood][consequence].
const GRID = [
  [1, 1, 2, 2, 3],
  [1, 2, 2, 3, 4],
  [2, 2, 3, 3, 4],
  [2, 3, 3, 4, 5],
  [3, 4, 4, 5, 5],
];
const PACKAGE_LICENCES = ['MIT', 'MIT', 'MIT', 'Apache-2.0', 'BSD-3-Clause'];

const pad = (n, width) => String(n).padStart(width, '0');
const isoDate = (date) => date.toISOString().slice(0, 10);

function sentence(rng, words) {
  const parts = [];
  for (let i = 0; i < words; i++) parts.push(rng.pick(WORDS));
  const text = parts.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function paragraph(rng, sentences) {
  const parts = [];
  for (let i = 0; i < sentences; i++) parts.push(sentence(rng, rng.int(6, 16)));
  return parts.join(' ');
}

function fillTemplate(text, year, holder) {
  return text
    .replace(/<year>/g, String(year))
    .replace(/<copyright holders>|<owner>|<copyright holder>/g, holder)
    .replace(/\[yyyy\]/g, String(year))
    .replace(/\[name of copyright owner\]/g, holder);
}

function packageLicence(rng, id, year, holder) {
  const text = fillTemplate(licences[id].licenseText, year, holder);
  // Some packages write their licence as Markdown, with a heading: identification must cope.
  if (rng.next() < 0.3) {
    const [title, ...rest] = text.split('\n');
    return `# ${title.trim()}\n${rest.join('\n')}`;
  }
  return text;
}

function riskRegister(rng, count) {
  const lines = [
    'title: Clinical hazard log and risk register',
    'description: Risks and clinical hazards for the service, reviewed monthly by the Clinical Safety Officer.',
    'owner: Clinical Safety Officer',
    'last_reviewed: 2026-10-01',
    'next_review_due: 2026-12-01',
    'risks:',
  ];
  for (let i = 1; i <= count; i++) {
    const l = rng.int(0, 4);
    const c = rng.int(0, 4);
    const status = rng.pick(['open', 'open', 'open', 'closed']);
    lines.push(
      `  - id: R-${pad(i, 4)}`,
      `    title: ${sentence(rng, rng.int(3, 6))}`,
      `    category: ${rng.pick(['clinical', 'security', 'delivery', 'data protection'])}`,
      `    likelihood: ${LIKELIHOODS[l]}`,
      `    consequence: ${CONSEQUENCES[c]}`,
      `    rating: ${GRID[l][c]}`,
      `    owner: ${rng.pick(PEOPLE)}`,
      `    status: ${status}`,
      `    last_reviewed: 2026-${pad(rng.int(1, 10), 2)}-${pad(rng.int(1, 28), 2)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function typescriptFile(rng, licence, name) {
  const lines = [
    `// SPDX-License-Identifier: ${licence}`,
    `// SPDX-FileCopyrightText: ${rng.int(2019, 2026)} Crown copyright (${rng.pick(TEAMS)})`,
    '',
    `import { type Request } from '../http/request.js';`,
    '',
  ];
  const functions = rng.int(1, 6);
  for (let f = 0; f < functions; f++) {
    const fn = `${name.replace(/-(\w)/g, (_, ch) => ch.toUpperCase())}${f}`;
    lines.push(
      `/** ${sentence(rng, rng.int(5, 12))} */`,
      `export function ${fn}(request: Request): string[] {`,
    );
    lines.push('  const found: string[] = [];');
    const statements = rng.int(2, 10);
    for (let s = 0; s < statements; s++) {
      lines.push(`  if (request.path.includes('${rng.pick(WORDS)}')) found.push('${rng.pick(WORDS)}');`);
    }
    lines.push('  return found;', '}', '');
  }
  return lines.join('\n');
}

/**
 * Writes a monorepo of exactly `files` files into `dir` (created if needed) and commits it.
 * @param {string} dir
 * @param {{ files?: number }} [options]
 * @returns {{ files: number, head: string }}
 */
export function generateMonorepo(dir, { files = 50000 } = {}) {
  const rng = random(0x09e11);
  const written = new Map();
  const add = (path, content) => {
    if (written.has(path)) throw new Error(`generated ${path} twice`);
    written.set(path, content);
  };

  const crown = 'Crown Copyright (NHS England)';
  add('LICENCE', fillTemplate(licences.MIT.licenseText, 2026, crown));
  add('docs/LICENCE', licences['OGL-UK-3.0'].licenseText);
  // REUSE wants a text for every licence a header names: the root's, the docs' and each package's.
  for (const id of ['MIT', 'OGL-UK-3.0', 'Apache-2.0', 'BSD-3-Clause']) {
    add(`LICENSES/${id}.txt`, licences[id].licenseText);
  }
  add(
    'README.md',
    `# Manage your referral\n\n${paragraph(rng, 4)}\n\n## Licence\n\nThe code is released under the MIT licence; ` +
      'the documentation is © Crown copyright and available under the Open Government Licence v3.0.\n',
  );
  add(
    'CONTRIBUTING.md',
    `# Contributing\n\n${paragraph(rng, 5)}\n\n## Pull requests\n\n${paragraph(rng, 3)}\n`,
  );
  add(
    'SECURITY.md',
    '# Security\n\nReport a vulnerability to cybersecurity@nhs.net, or through ' +
      'https://www.gov.uk/help/report-vulnerability. Do not open a public issue.\n',
  );
  add(
    'CODE_OF_CONDUCT.md',
    '# Code of conduct\n\nThis project follows the Contributor Covenant, version 2.1. ' +
      'Report unacceptable behaviour to england.opensource@nhs.net.\n',
  );
  add('.gitignore', 'node_modules/\ndist/\ncoverage/\n*.log\n');
  add('.github/CODEOWNERS', '* @nhsengland/manage-your-referral\n/docs/ @nhsengland/content-design\n');
  add('.github/pull_request_template.md', '## What\n\n## Why\n\n## Checklist\n\n- [ ] Tests\n');
  add(
    'REUSE.toml',
    [
      'version = 1',
      '',
      '[[annotations]]',
      'path = ["docs/**", "design-history/**", "weeknotes/**"]',
      'precedence = "aggregate"',
      `SPDX-FileCopyrightText = "${crown}"`,
      'SPDX-License-Identifier = "OGL-UK-3.0"',
      '',
      '[[annotations]]',
      'path = "governance/**"',
      `SPDX-FileCopyrightText = "${crown}"`,
      'SPDX-License-Identifier = "OGL-UK-3.0"',
      '',
    ].join('\n'),
  );
  add('docs/README.md', `# Documentation\n\n${paragraph(rng, 3)}\n`);

  let register = riskRegister(rng, 5000);
  for (let count = 4900; Buffer.byteLength(register) > MAX_TEXT_BYTES; count -= 100) {
    register = riskRegister(rng, count);
  }
  add('governance/risk-register.yaml', register);

  const designHistory = Math.floor(files * 0.06);
  const adrs = Math.floor(files * 0.008);
  const weeknotes = Math.floor(files * 0.008);
  const packages = Math.max(1, Math.floor(files / 250));

  const start = Date.UTC(2019, 0, 1);
  for (let i = 0; i < designHistory; i++) {
    const date = isoDate(new Date(start + rng.int(0, 7 * 365) * 86400000));
    const slug = `${rng.pick(WORDS)}-${rng.pick(WORDS)}-${i}`;
    const title = sentence(rng, rng.int(4, 9)).slice(0, -1);
    add(
      `design-history/${date.slice(0, 4)}/${date}-${slug}.md`,
      [
        '---',
        `title: ${title}`,
        `date: ${date}`,
        `description: ${sentence(rng, rng.int(8, 20))}`,
        `tags: [${rng.pick(WORDS)}, ${rng.pick(WORDS)}]`,
        `author: ${rng.pick(PEOPLE)}`,
        'screenshots:',
        '  items:',
        `    - src: ${slug}-1.png`,
        `      alt: ${sentence(rng, rng.int(5, 10))}`,
        '---',
        '',
        `${paragraph(rng, rng.int(3, 8))}`,
        '',
        '## What we learnt',
        '',
        `${paragraph(rng, rng.int(2, 6))}`,
        '',
      ].join('\n'),
    );
  }

  for (let i = 1; i <= adrs; i++) {
    const slug = `${rng.pick(WORDS)}-${rng.pick(WORDS)}`;
    const status = rng.pick(['Accepted', 'Accepted', 'Accepted', 'Proposed', 'Deprecated']);
    add(
      `docs/adr/ADR-${pad(i, 3)}_${slug}.md`,
      [
        '---',
        `id: ADR-${pad(i, 3)}`,
        `title: Use ${slug.replace('-', ' for ')}`,
        `date: ${isoDate(new Date(start + i * 4 * 86400000))}`,
        `status: ${status}`,
        `deciders: [${rng.pick(PEOPLE)}, ${rng.pick(PEOPLE)}]`,
        '---',
        '',
        `# ADR-${pad(i, 3)}: Use ${slug.replace('-', ' for ')}`,
        '',
        '## Context',
        '',
        paragraph(rng, rng.int(2, 5)),
        '',
        '## Decision',
        '',
        paragraph(rng, rng.int(1, 3)),
        '',
        '## Consequences',
        '',
        paragraph(rng, rng.int(1, 4)),
        '',
      ].join('\n'),
    );
  }

  // Fridays, one a week, as the weeknote schema asks.
  const firstFriday = Date.UTC(2019, 0, 4);
  for (let i = 0; i < weeknotes; i++) {
    const date = isoDate(new Date(firstFriday + i * 7 * 86400000));
    add(
      `weeknotes/${date}.md`,
      [
        '---',
        `title: Weeknote ${i + 1}`,
        `week_ending: ${date}`,
        'draft: false',
        `author: ${rng.pick(PEOPLE)}`,
        '---',
        '',
        paragraph(rng, rng.int(4, 10)),
        '',
      ].join('\n'),
    );
  }

  const packageNames = [];
  for (let p = 0; p < packages; p++) {
    const name = `${WORDS[p % WORDS.length]}-${Math.floor(p / WORDS.length)}`;
    const licence = rng.pick(PACKAGE_LICENCES);
    packageNames.push({ name, licence });
    add(`packages/${name}/LICENSE`, packageLicence(rng, licence, rng.int(2019, 2026), crown));
    add(
      `packages/${name}/package.json`,
      `${JSON.stringify(
        {
          name: `@nhsengland/${name}`,
          version: `1.${rng.int(0, 20)}.${rng.int(0, 9)}`,
          license: licence,
          type: 'module',
          main: 'dist/index.js',
        },
        null,
        2,
      )}\n`,
    );
    add(`packages/${name}/README.md`, `# ${name}\n\n${paragraph(rng, 2)}\n`);
  }
  add(
    'package.json',
    `${JSON.stringify({ name: 'manage-your-referral', private: true, license: 'MIT', workspaces: ['packages/*'] }, null, 2)}\n`,
  );

  const sources = files - written.size;
  if (sources < 0)
    throw new Error(`${files} files is too few for a monorepo; ask for at least ${written.size}`);
  for (let i = 0; i < sources; i++) {
    const { name, licence } = packageNames[i % packageNames.length];
    const index = Math.floor(i / packageNames.length);
    const module = `${WORDS[index % WORDS.length]}`;
    const file = `${rng.pick(WORDS)}-${index}`;
    const folder = index % 4 === 3 ? 'test' : 'src';
    add(`packages/${name}/${folder}/${module}/${file}.ts`, typescriptFile(rng, licence, file));
  }

  const made = new Set();
  for (const [path, content] of written) {
    const parent = dirname(join(dir, path));
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(join(dir, path), content);
  }

  // Fixed dates and identity make the commit id the same on every machine.
  const env = {
    ...process.env,
    GIT_AUTHOR_DATE: '2026-11-01T12:00:00Z',
    GIT_COMMITTER_DATE: '2026-11-01T12:00:00Z',
  };
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[key];
  const git = (...args) =>
    execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Openly Bench');
  git('config', 'user.email', 'bench@openly.invalid');
  git('config', 'commit.gpgsign', 'false');
  git('-c', 'core.autocrlf=false', 'add', '-A');
  git('-c', 'core.autocrlf=false', 'commit', '-q', '-m', 'Generated monorepo for benchmarks');
  return { files: written.size, head: git('rev-parse', 'HEAD') };
}
