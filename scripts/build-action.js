// Bundles the Action into dist/index.js (ESM, for node24 runners) and each worker thread's module beside it
// (dist/grep-worker.js), needing no node_modules: what the core reads from disk at run time (JSON schemas, GraphQL documents, the precomputed licence index, the SPDX id
// lists) is embedded. Run after `npm run build`, which writes lib/licences/corpus-index.bin. Same input, same bytes.
//
// How the embedding works, without touching the core: every module under src/ that reads an asset through
// `import.meta.url` is loaded with `import.meta.url` replaced by a fixed virtual address (file:///openly/<its path>)
// and with `readFileSync` and `createRequire` taken from the virtual module `openly:assets`. Those answer the
// embedded copies for virtual addresses and fall through to Node for anything else.
import { existsSync, readdirSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const VIRTUAL = 'file:///openly/';
const OUT_DIR = join(root, 'dist');
const OUT = join(OUT_DIR, 'index.js');
/**
 * Worker threads, each bundled into its own file beside index.js. The modules that start them write
 * `new URL('./<name>.js', import.meta.url)`, which is kept pointing at the bundle, not at the virtual source path.
 */
const WORKERS = { 'grep-worker': 'src/sources/grep-worker.ts' };
const WORKER_URL = new RegExp(
  `new URL\\('\\./(${Object.keys(WORKERS).join('|')})\\.js', import\\.meta\\.url\\)`,
);
const INDEX = join(root, 'lib', 'licences', 'corpus-index.bin');
/** draw.io's viewer (draw.io 16.6.4, Apache-2.0), which `mode: diagrams` loads into Chromium. */
const VIEWER = join(root, 'node_modules', 'docusaurus-plugin-drawio', 'viewer.min.js');

/** Packages the core loads with createRequire, mapped to static requires esbuild can follow. */
const REQUIRABLE = [
  'ajv-formats',
  'ajv/dist/2020.js',
  'spdx-license-ids',
  'spdx-license-ids/deprecated.json',
  'spdx-license-list',
  'spdx-license-list/package.json',
];

const posix = (path) => path.split(sep).join('/');

function filesUnder(dir, suffix) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => posix(relative(root, join(entry.parentPath, entry.name))))
    .sort();
}

function assetsModule() {
  const text = {};
  for (const path of [...filesUnder('src', '.graphql'), ...filesUnder('schemas', '.json')]) {
    text[path] = readFileSync(join(root, path), 'utf8');
  }
  let index;
  try {
    index = readFileSync(INDEX);
  } catch {
    throw new Error(
      `${posix(relative(root, INDEX))} is missing: run "npm run build" before building the Action`,
    );
  }
  // Brotli at a fixed quality is deterministic; the 3 MB index shrinks to about 0.7 MB and unpacks in ~15 ms.
  const packed = brotliCompressSync(index, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_SIZE_HINT]: index.length },
  }).toString('base64');
  // 2 MB of minified script; brotli brings it to about a quarter.
  const viewer = readFileSync(VIEWER);
  const packedViewer = brotliCompressSync(viewer, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 10, [constants.BROTLI_PARAM_SIZE_HINT]: viewer.length },
  }).toString('base64');
  const requires = REQUIRABLE.map(
    (id) => `    case ${JSON.stringify(id)}: return require(${JSON.stringify(id)});`,
  );
  return `
import { readFileSync as nodeReadFileSync } from 'node:fs';
import { createRequire as nodeCreateRequire } from 'node:module';
import { brotliDecompressSync } from 'node:zlib';

const VIRTUAL = ${JSON.stringify(VIRTUAL)};
const TEXT = ${JSON.stringify(text)};
const PACKED = {
  'src/licences/corpus-index.bin': ${JSON.stringify(packed)},
  'src/action/drawio/viewer.min.js': ${JSON.stringify(packedViewer)},
};
const unpacked = new Map();

function embedded(key) {
  if (Object.hasOwn(TEXT, key)) return Buffer.from(TEXT[key], 'utf8');
  if (Object.hasOwn(PACKED, key)) {
    if (!unpacked.has(key)) unpacked.set(key, brotliDecompressSync(Buffer.from(PACKED[key], 'base64')));
    return unpacked.get(key);
  }
  return undefined;
}

export function readFileSync(path, options) {
  const href = path instanceof URL ? path.href : typeof path === 'string' && path.startsWith(VIRTUAL) ? path : undefined;
  if (href === undefined || !href.startsWith(VIRTUAL)) return nodeReadFileSync(path, options);
  const key = decodeURIComponent(href.slice(VIRTUAL.length));
  const data = embedded(key);
  if (data === undefined) {
    const error = new Error(\`ENOENT: \${key} is not embedded in the Openly Action bundle\`);
    error.code = 'ENOENT';
    throw error;
  }
  const encoding = typeof options === 'string' ? options : options?.encoding;
  return encoding ? data.toString(encoding) : Buffer.from(data);
}

function bundledRequire(id) {
  switch (id) {
${requires.join('\n')}
    case 'spdx-license-list/full':
      // Only read to rebuild a stale licence index; the bundle embeds the index built with this very code.
      throw new Error('the licence index embedded in the Action bundle is stale: rebuild it with "npm run build && npm run build:action"');
    default:
      throw new Error(\`\${id} is not in the Openly Action bundle\`);
  }
}

export function createRequire(from) {
  return typeof from === 'string' && from.startsWith(VIRTUAL) ? bundledRequire : nodeCreateRequire(from);
}
`;
}

/** Rewrites one module's asset reads to the virtual module; fails the build when a pattern it expects is gone. */
function rewrite(path, source) {
  const rel = posix(relative(root, path));
  let out = source.replace(/import\s*\{([^}]*)\}\s*from\s*'node:(fs|module)';/g, (statement, names, from) => {
    const wanted = from === 'fs' ? 'readFileSync' : 'createRequire';
    const list = names
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
    if (!list.includes(wanted)) return statement;
    const rest = list.filter((name) => name !== wanted);
    return (
      `import { ${wanted} } from 'openly:assets';` +
      (rest.length === 0 ? '' : ` import { ${rest.join(', ')} } from 'node:${from}';`)
    );
  });
  const parts = out.split(WORKER_URL);
  // split() with a capture group interleaves the worker names; those URLs stay as written.
  out = parts
    .map((part, index) =>
      index % 2 === 1
        ? `new URL('./${part}.js', import.meta.url)`
        : part.replaceAll('import.meta.url', JSON.stringify(`${VIRTUAL}${rel}`)),
    )
    .join('');
  if (/readFileSync\(|createRequire\(/.test(out) && !out.includes("from 'openly:assets'")) {
    throw new Error(
      `${rel} reads files in a way the Action bundle does not embed; update scripts/build-action.js`,
    );
  }
  return out;
}

const assetsPlugin = {
  name: 'openly-assets',
  setup(build) {
    build.onResolve({ filter: /^openly:assets$/ }, () => ({ path: 'assets', namespace: 'openly' }));
    build.onLoad({ filter: /.*/, namespace: 'openly' }, () => ({
      contents: assetsModule(),
      loader: 'js',
      resolveDir: root,
    }));
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      if (!args.path.startsWith(join(root, 'src', sep))) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (
        !source.split(WORKER_URL).some((part, index) => index % 2 === 0 && part.includes('import.meta.url'))
      )
        return undefined;
      return { contents: rewrite(args.path, source), loader: 'ts' };
    });
  },
};

const started = performance.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: { index: 'src/action/index.ts', ...WORKERS },
  outdir: OUT_DIR,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'eof',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
  plugins: [assetsPlugin],
  // CommonJS dependencies require Node's built-ins; an ESM bundle has no `require` of its own.
  banner: {
    js: "import { createRequire as __openlyRequire } from 'node:module'; const require = __openlyRequire(import.meta.url);",
  },
});
const leftovers = Object.keys(result.metafile.inputs).filter((input) =>
  /node_modules[\\/]probot[\\/]/.test(input),
);
if (leftovers.length > 0) throw new Error(`probot should not be in the Action bundle: ${leftovers[0]}`);
mkdirSync(dirname(OUT), { recursive: true });
for (const name of Object.keys(WORKERS)) {
  const worker = join(OUT_DIR, `${name}.js`);
  if (!existsSync(worker))
    throw new Error(`the ${name} worker was not written to ${posix(relative(root, worker))}`);
}
const bytes = statSync(OUT).size;
process.stdout.write(
  `action bundle: ${posix(relative(root, OUT))}, ${(bytes / 1024 / 1024).toFixed(2)} MiB, ${Object.keys(result.metafile.inputs).length} inputs, ${Math.round(performance.now() - started)} ms\n`,
);
