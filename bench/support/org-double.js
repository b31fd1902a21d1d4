// A GitHub double for the organisation audit, served over loopback HTTP: the audit's three GraphQL operations (the
// listing, the batched artefact-folder listings and the batched file reads) over a simulated organisation, and the REST route that mints an App
// installation token, for queue workers. Shared by `npm run bench` and the queue test, so that both audit the
// same organisation.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const MIT = require('spdx-license-list/full').MIT.licenseText.replace(
  '<year> <copyright holders>',
  '2026 Crown Copyright (Government Digital Service)',
);

const PAGE = 100;
const RATE_LIMIT = { cost: 1, remaining: 4990, resetAt: '2099-01-01T00:00:00Z' };
const oidOf = (name) => createHash('sha1').update(name).digest('hex');

const ADR = (n, title) =>
  `# ${n}. ${title}\n\nDate: 2024-03-0${(n % 9) + 1}\n\n## Status\n\nAccepted\n\n## Context\n\nWe need to choose how to ${title.toLowerCase()}.\n\n` +
  '## Decision\n\nWe will use the option the team knows best, and review it in a year.\n\n## Consequences\n\nFewer moving parts; one more thing to keep up to date.\n';

const POST = (day) =>
  `---\ntitle: What we learnt in research round ${day}\ndate: 2024-05-${String(day).padStart(2, '0')}\n` +
  'description: Findings from usability testing with receptionists.\n---\n\nWe tested the booking journey with six receptionists.\n';

const ROADMAP =
  'last_updated: 2026-11-01\nnext_review_due: 2027-02-01\nitems:\n  - title: Online booking\n    horizon: now\n  - title: Reminders by text\n    horizon: next\n';

/**
 * Seven in ten have every file; one in five has no licence; one in ten is archived. Artefacts as teams keep
 * them: one in five has six decision records in docs/adr, one in ten a roadmap at the root, one in twenty a design
 * history of twenty posts in app/posts.
 */
export function simulatedRepository(i) {
  const name = `service-${String(i).padStart(4, '0')}`;
  const files = {
    'README.md':
      `# ${name}\n\nBooks appointments for a clinic and sends reminders; run it with \`npm start\`.\n\n` +
      '## Licence\n\nThe code is under the [MIT licence](LICENCE); the documentation is © Crown copyright.\n',
    'CONTRIBUTING.md': '# Contributing\n\nOpen a pull request.\n',
    '.github/SECURITY.md': '# Security\n\nReport to security@example.gov.uk.\n',
    'CODE_OF_CONDUCT.md': '# Code of conduct\n\nBe kind.\n',
    'docs/index.md': '# Docs\n',
  };
  if (i % 5 !== 1) files.LICENCE = MIT;
  if (i % 5 === 0) {
    for (let n = 1; n <= 6; n++) files[`docs/adr/000${n}-decision-${n}.md`] = ADR(n, `Store decision ${n}`);
  }
  if (i % 10 === 5) files['roadmap.yaml'] = ROADMAP;
  if (i % 20 === 7) {
    for (let day = 1; day <= 20; day++) {
      files[`app/posts/2024-05-${String(day).padStart(2, '0')}-research-round-${day}.md`] = POST(day);
    }
  }
  return { name, files, archived: i % 10 === 3, head: oidOf(name), pushedAt: '2026-11-30T10:00:00Z' };
}

/** A folder as the audit's `OrgFolder` fragment lists it: four levels, each entry with its object but the last. */
function folder(repo, path, level = 1) {
  const list = entries(repo, path);
  if (list === null) return null;
  return {
    entries: list.map((entry) =>
      level >= 4
        ? entry
        : { ...entry, object: entry.type === 'tree' ? folder(repo, `${path}/${entry.name}`, level + 1) : {} },
    ),
  };
}

function entries(repo, folder) {
  const prefix = folder === '' ? '' : `${folder}/`;
  const seen = new Map();
  for (const [path, text] of Object.entries(repo.files)) {
    if (!path.startsWith(prefix)) continue;
    const [name, ...rest] = path.slice(prefix.length).split('/');
    if (seen.has(name)) continue;
    seen.set(
      name,
      rest.length > 0
        ? { name, type: 'tree', mode: 0o40000, size: 0 }
        : { name, type: 'blob', mode: 0o100644, size: Buffer.byteLength(text) },
    );
  }
  return seen.size === 0 && folder !== '' ? null : [...seen.values()];
}

const tree = (repo, folder) => {
  const list = entries(repo, folder);
  return list === null ? null : { entries: list };
};

function listing(repos, variables) {
  const start = variables.cursor ? Number(variables.cursor.slice(7)) : 0;
  const page = repos.slice(start, start + PAGE);
  const end = start + page.length;
  const data = {
    organization: {
      repositories: {
        totalCount: repos.length,
        pageInfo: { hasNextPage: end < repos.length, endCursor: `cursor:${end}` },
        nodes: page.map((repo) => ({
          name: repo.name,
          visibility: 'PUBLIC',
          isArchived: repo.archived,
          isFork: false,
          isEmpty: false,
          pushedAt: repo.pushedAt,
          defaultBranchRef: {
            name: 'main',
            refUpdateRule:
              i(repo) % 2 === 0 ? { requiresSignatures: true, requiredApprovingReviewCount: 1 } : null,
            rules: { totalCount: 0, nodes: [] },
            target: { oid: repo.head, tree: { entries: entries(repo, '') } },
          },
          dotGithub: tree(repo, '.github'),
          docs: tree(repo, 'docs'),
          licenses: tree(repo, 'LICENSES'),
        })),
      },
    },
    rateLimit: RATE_LIMIT,
  };
  if (variables.withBase) data.orgBase = null;
  return variables.withBase
    ? { data, errors: [{ type: 'NOT_FOUND', path: ['orgBase'], message: 'no .github repository' }] }
    : { data };
}

/** The repository's number, from its name. */
function i(repo) {
  return Number(repo.name.slice(-4));
}

/** A batched answer: for each repository `r<r>`, each `<alias><f>` from the expression `e<r>_<f>`. */
function objects(byName, variables, alias, answer) {
  const data = { rateLimit: RATE_LIMIT };
  for (const [key, name] of Object.entries(variables)) {
    const r = /^n(\d+)$/.exec(key)?.[1];
    if (r === undefined) continue;
    const repo = byName.get(name);
    const out = {};
    for (const [expressionKey, expression] of Object.entries(variables)) {
      const match = new RegExp(`^e${r}_(\\d+)$`).exec(expressionKey);
      if (match === null) continue;
      out[`${alias}${match[1]}`] = answer(repo, expression.slice(expression.indexOf(':') + 1));
    }
    data[`r${r}`] = out;
  }
  return { data };
}

function folders(byName, variables) {
  return objects(byName, variables, 'd', folder);
}

function files(byName, variables) {
  return objects(byName, variables, 'f', (repo, path) => {
    const text = repo.files[path];
    return text === undefined
      ? null
      : { text, isBinary: false, byteSize: Buffer.byteLength(text), isTruncated: false };
  });
}

function tokenAnswer(installationId) {
  return {
    token: `ghs_installation${installationId}token${'0'.repeat(20)}`.slice(0, 40),
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    permissions: { metadata: 'read', contents: 'read' },
    repository_selection: 'all',
  };
}

/**
 * Serves `repositories` (as `simulatedRepository` makes them) on 127.0.0.1 and a free port. `onGraphql` sees each
 * GraphQL request and its answer (a test checks both against GitHub's schema); `onToken` each token minted.
 */
export async function serveOrganisation({ repositories, onGraphql, onToken } = {}) {
  const repos = repositories;
  const byName = new Map(repos.map((r) => [r.name, r]));
  const counts = { listing: 0, folders: 0, files: 0, tokens: 0, other: 0 };
  /** The Authorization header of each GraphQL request, so that a test can see which token read what. */
  const authorisations = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const token = /^\/api\/v3\/app\/installations\/(\d+)\/access_tokens$/.exec(request.url ?? '');
      if (request.method === 'POST' && token !== null) {
        counts.tokens += 1;
        const answer = tokenAnswer(Number(token[1]));
        onToken?.(Number(token[1]), answer, request.headers);
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        return;
      }
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        counts.other += 1;
        response.writeHead(400).end();
        return;
      }
      const { query, variables = {} } = body;
      const operation = /query (\w+)/.exec(query ?? '')?.[1];
      let answer;
      if (operation === 'OpenlyOrgRepositories') {
        counts.listing += 1;
        answer = listing(repos, variables);
      } else if (operation === 'OpenlyOrgFolders') {
        counts.folders += 1;
        answer = folders(byName, variables);
      } else if (operation === 'OpenlyOrgFiles') {
        counts.files += 1;
        answer = files(byName, variables);
      } else {
        counts.other += 1;
        response.writeHead(404).end();
        return;
      }
      authorisations.push(request.headers.authorization ?? '');
      onGraphql?.(query, variables, answer);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    apiUrl: `http://127.0.0.1:${port}/api/v3`,
    counts,
    authorisations,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
