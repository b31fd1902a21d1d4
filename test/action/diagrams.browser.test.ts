/**
 * `mode: diagrams`: real public draw.io diagrams drawn by draw.io's own viewer in Chromium, each SVG then opened in
 * Chromium as a reader would open it, and the exports committed through the Git data API (mocked with nock, every
 * body and answer checked against GitHub's description).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapi from '@octokit/openapi/generated/api.github.com.json' with { type: 'json' };
import nock from 'nock';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { example } from '../release/github-mock.js';
import { targetBranch } from '../../src/action/diagrams-step.js';
import { openDrawioRenderer, type DrawioRenderer } from '../../src/action/drawio-renderer.js';
import { readContext } from '../../src/action/context.js';
import { configOptions } from '../../src/checks/index.js';
import { diagramsCheck } from '../../src/checks/diagrams.js';
import { parseConfig } from '../../src/config/load.js';
import { runChecks } from '../../src/core/engine.js';
import { mxfileFromPng, mxfileFromSvg, readDrawio } from '../../src/parse/drawio.js';
import { MemorySnapshot } from '../../src/sources/memory.js';
import { pdfPageTexts } from '../support/pdf-text.js';
import { cleanUp, invalidMocks, reset, rest, runAction, runner, sent } from './support.js';

const CHROMIUM = process.env.OPENLY_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu'];
const FIXTURES = join(import.meta.dirname, '../fixtures/diagrams');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const FLOWCHART = (() => {
  const carried = mxfileFromSvg(fixture('flowchart.drawio.svg'));
  if (!carried.ok) throw new Error(carried.reason);
  return carried.xml;
})();
const EXAMPLES = (
  openapi as unknown as { components: { examples: Record<string, { value: Record<string, unknown> }> } }
).components.examples;

let renderer: DrawioRenderer | undefined;
/** The file's one renderer, lent to each run of the Action: a Chromium start per test would double the file's time. */
const shared = (): Promise<DrawioRenderer> =>
  Promise.resolve({
    render: (xml, wanted) => renderer!.render(xml, wanted),
    close: () => Promise.resolve(),
  });
let browser: Browser | undefined;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `These tests draw diagrams in Debian's Chromium, and ${CHROMIUM} is missing: run "apt-get install chromium" (.ci/run does), or set OPENLY_CHROMIUM to a Chromium-based browser.`,
    );
  }
  dir = mkdtempSync(join(tmpdir(), 'openly-drawio-'));
  renderer = await openDrawioRenderer({ chromium: CHROMIUM });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 120_000);

afterAll(async () => {
  await renderer?.close();
  await browser?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** Opens an SVG file as a reader's browser would, offline, and says what it shows. */
async function look(svg: string, name: string): Promise<{ width: number; height: number; text: string }> {
  const file = join(dir, name);
  writeFileSync(file, svg);
  const page = await browser!.newPage();
  try {
    await page.route('**/*', (route) =>
      route.request().url().startsWith('file:') ? route.continue() : route.abort(),
    );
    await page.goto(pathToFileURL(file).href);
    // A string, evaluated in the page: the test is compiled without the DOM's types. What a reader sees is the
    // text drawn as SVG and the HTML labels draw.io puts in foreignObject, inside a box of some size.
    return await page.evaluate<{ width: number; height: number; text: string }>(
      '(() => { const root = document.documentElement; const box = root.getBBox(); return { width: box.width, height: box.height, text: root.textContent || "" }; })()',
    );
  } finally {
    await page.close();
  }
}

/** Decodes a PNG in the browser: its size, and the share of its pixels that are not white (the drawing). */
async function decode(png: Uint8Array): Promise<{ width: number; height: number; inked: number }> {
  const page = await browser!.newPage();
  try {
    const url = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
    return await page.evaluate<{ width: number; height: number; inked: number }>(
      `(async () => {
        const image = new Image();
        image.src = ${JSON.stringify(url)};
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        const context = canvas.getContext('2d');
        context.drawImage(image, 0, 0);
        const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) inked++;
        return { width: canvas.width, height: canvas.height, inked: inked / (canvas.width * canvas.height) };
      })()`,
    );
  } finally {
    await page.close();
  }
}

/** The size an SVG from the viewer declares, in CSS pixels. */
function declared(svg: string): { width: number; height: number } {
  const size = (name: string) => Number(new RegExp(`<svg[^>]*\\s${name}="([\\d.]+)px"`).exec(svg)?.[1]);
  return { width: size('width'), height: size('height') };
}

describe("draw.io's viewer in Chromium", { timeout: 120_000 }, () => {
  it.each([
    [
      'uml-deployment-example.drawio',
      fixture('uml-deployment-example.drawio'),
      [':ApplicationServer1', 'ShopApp.jar', 'OrderDescription.xml'],
    ],
    [
      'data-flow.drawio',
      fixture('data-flow.drawio'),
      ['External User', 'LLM interface', 'generate response'],
    ],
    [
      'flowchart (from flowchart.drawio.svg)',
      FLOWCHART,
      ["Lamp doesn't work", 'Plug in lamp', 'Repair Lamp'],
    ],
  ])('draws %s so that a reader sees its labels', async (_name, xml, labels) => {
    const drawn = await renderer!.render(xml);
    expect(drawn.pages.length).toBeGreaterThan(0);
    const seen = await look(drawn.pages[0]!.svg, `${_name.replace(/\W+/g, '-')}.svg`);
    expect(seen.width).toBeGreaterThan(100);
    expect(seen.height).toBeGreaterThan(50);
    for (const label of labels) expect(seen.text).toContain(label);
  });

  it('draws every page of a multi-page diagram, and lists the shape library it was refused', async () => {
    const drawn = await renderer!.render(fixture('data-flow.drawio'));
    expect(drawn.pages.map((page) => page.name)).toEqual(['detailed DFD', 'context diagram']);
    // The data-flow stencils live in a library the viewer loads from viewer.diagrams.net; offline it is refused.
    expect(drawn.refused).toEqual(['https://viewer.diagrams.net/shapes/mxDFD.js']);
  });

  it('draws each page of a real two-page diagram as a PNG on white, at the size draw.io gives it', async () => {
    const drawn = await renderer!.render(fixture('data-flow.drawio'), { png: true });
    expect(drawn.pages).toHaveLength(2);
    for (const page of drawn.pages) {
      const image = await decode(page.png!);
      const size = declared(page.svg);
      // draw.io's PNG export at its defaults: zoom 100%, no border, so the picture is the drawing's size.
      expect(image.width).toBe(Math.ceil(size.width));
      expect(image.height).toBe(Math.ceil(size.height));
      // Not blank, and on white rather than black or transparent: some ink, mostly paper.
      expect(image.inked).toBeGreaterThan(0.02);
      expect(image.inked).toBeLessThan(0.6);
    }
  });

  it('prints every page into one PDF, a PDF page per diagram page, cropped to it, labels as text', async () => {
    const drawn = await renderer!.render(fixture('data-flow.drawio'), { pdf: true });
    const pdf = Buffer.from(drawn.pdf!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    // Points are 3/4 of a CSS pixel: each page is its drawing's size, not A4.
    expect(boxes).toHaveLength(2);
    drawn.pages.forEach((page, i) => {
      const size = declared(page.svg);
      expect(boxes[i]![0]).toBeCloseTo(Math.ceil(size.width) * 0.75, 0);
      expect(boxes[i]![1]).toBeCloseTo(Math.ceil(size.height) * 0.75, 0);
    });
    const texts = pdfPageTexts(drawn.pdf!);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Training algorithm');
    expect(texts[0]).toContain('validate user login & account');
    expect(texts[1]).toContain('train model with prompt');
    expect(texts[1]).not.toContain('Training algorithm');
  });

  it('says why when the file is not a diagram it can draw', async () => {
    await expect(renderer!.render('<mxfile><diagram name="x">@@@</diagram></mxfile>')).rejects.toThrow(
      /draw\.io's viewer could not draw the diagram|no page/,
    );
  });
});

describe('mode: diagrams', { timeout: 120_000 }, () => {
  const OWNER = 'Codertocat';
  const REPO = 'Hello-World';
  const pushToMaster = () => example('push', (p) => p.ref === 'refs/heads/master' && p.deleted === false);

  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  beforeEach(() => reset());
  afterEach(() => {
    const pending = nock.pendingMocks();
    reset();
    cleanUp();
    expect(pending, 'every mocked request was made').toEqual([]);
  });

  function mockCommit(parent: string, branch: string, blobs = 0) {
    const treeSha = 'a'.repeat(40);
    for (let i = 0; i < blobs; i++) {
      rest('POST', '/repos/{owner}/{repo}/git/blobs', `/repos/${OWNER}/${REPO}/git/blobs`, 201, {
        ...EXAMPLES['short-blob']!.value,
        sha: String(i + 1).padStart(40, '0'),
      });
    }
    rest(
      'GET',
      '/repos/{owner}/{repo}/git/commits/{commit_sha}',
      `/repos/${OWNER}/${REPO}/git/commits/${parent}`,
      200,
      {
        ...EXAMPLES['git-commit-2']!.value,
        sha: parent,
        tree: { sha: treeSha, url: `https://api.github.com/repos/${OWNER}/${REPO}/git/trees/${treeSha}` },
      },
    );
    rest('POST', '/repos/{owner}/{repo}/git/trees', `/repos/${OWNER}/${REPO}/git/trees`, 201, {
      ...EXAMPLES['git-tree']!.value,
      sha: 'b'.repeat(40),
    });
    rest('POST', '/repos/{owner}/{repo}/git/commits', `/repos/${OWNER}/${REPO}/git/commits`, 201, {
      ...EXAMPLES['git-commit']!.value,
      sha: 'c'.repeat(40),
    });
    rest(
      'PATCH',
      '/repos/{owner}/{repo}/git/refs/{ref}',
      `/repos/${OWNER}/${REPO}/git/refs/heads%2F${branch}`,
      200,
      {
        ...EXAMPLES['git-ref']!.value,
        ref: `refs/heads/${branch}`,
      },
    );
  }

  it('exports missing SVGs on a push and commits them on top of the pushed commit, for GitHub to sign', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'diagrams' },
      change: {
        'deployment.drawio': fixture('uml-deployment-example.drawio'),
        'lamp.drawio': FLOWCHART,
        '.github/openly.yml': 'diagrams:\n  naming: append\n',
      },
    });
    mockCommit(r.sha, 'master');

    const result = await runAction(r, undefined, { openRenderer: shared });

    expect(invalidMocks).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.diagrams?.written).toEqual(['deployment.drawio.svg', 'lamp.drawio.svg']);
    const tree = sent.find((s) => s.route === '/repos/{owner}/{repo}/git/trees')!.body as {
      tree: { path: string; content: string }[];
    };
    const commit = sent.find((s) => s.route === '/repos/{owner}/{repo}/git/commits')!.body;
    expect(commit.parents).toEqual([r.sha]);
    // No author or committer: GitHub then signs the commit as the token's app, and signed-commits stays green.
    expect(commit).not.toHaveProperty('author');
    expect(commit).not.toHaveProperty('committer');
    expect(result.log).toContain('signed by GitHub');

    // What was committed is what the check asks for: editable exports that carry their source.
    const files = Object.fromEntries(tree.tree.map((file) => [file.path, file.content]));
    const judged = await runChecks({
      snapshot: new MemorySnapshot({
        'deployment.drawio': fixture('uml-deployment-example.drawio'),
        'lamp.drawio': FLOWCHART,
        ...files,
      }),
      checks: [diagramsCheck],
      config: parseConfig('diagrams:\n  naming: append\n', '.github/openly.yml', configOptions()),
      now: () => new Date(),
    });
    expect(judged.results[0]!.findings).toEqual([]);
    expect(judged.results[0]!.status).toBe('pass');
    const seen = await look(files['lamp.drawio.svg']!, 'committed-lamp.svg');
    expect(seen.text).toContain('Plug in lamp');
  });

  /** What a commit carried, path by path: inline text from the tree, bytes from the blobs it names. */
  function committed(): Record<string, string | Uint8Array> {
    const blobs = sent
      .filter((s) => s.route === '/repos/{owner}/{repo}/git/blobs')
      .map((s) => s.body as { content: string; encoding: string });
    const tree = sent.find((s) => s.route === '/repos/{owner}/{repo}/git/trees')!.body as {
      tree: { path: string; content?: string; sha?: string }[];
    };
    return Object.fromEntries(
      tree.tree.map((file): [string, string | Uint8Array] => {
        if (file.content !== undefined) return [file.path, file.content];
        const blob = blobs[Number(file.sha) - 1]!;
        expect(blob.encoding).toBe('base64');
        return [file.path, new Uint8Array(Buffer.from(blob.content, 'base64'))];
      }),
    );
  }

  it('commits editable PNGs that carry every page of their source, and PDFs, as base64 blobs', async () => {
    const yaml = 'diagrams:\n  formats: [png, pdf]\n  naming: append\n';
    const sources = { 'data-flow.drawio': fixture('data-flow.drawio'), 'lamp.drawio': FLOWCHART };
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'diagrams' },
      change: { ...sources, '.github/openly.yml': yaml },
    });
    mockCommit(r.sha, 'master', 4);

    const result = await runAction(r, undefined, { openRenderer: shared });

    expect(invalidMocks).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.diagrams?.written).toEqual([
      'data-flow.drawio.png',
      'data-flow.drawio.pdf',
      'lamp.drawio.png',
      'lamp.drawio.pdf',
    ]);
    const files = committed();
    const png = files['data-flow.drawio.png'] as Uint8Array;
    expect((await decode(png)).inked).toBeGreaterThan(0.02);
    // The diagram inside the PNG is the source, both pages, as draw.io reads it back.
    const inside = mxfileFromPng(png);
    expect(inside.ok && readDrawio(inside.xml)).toEqual(readDrawio(fixture('data-flow.drawio')));
    expect(pdfPageTexts(files['data-flow.drawio.pdf'] as Uint8Array)).toHaveLength(2);
    expect(pdfPageTexts(files['lamp.drawio.pdf'] as Uint8Array)[0]).toContain('Plug in lamp');

    const judged = await runChecks({
      snapshot: new MemorySnapshot({ ...sources, ...files }),
      checks: [diagramsCheck],
      config: parseConfig(yaml, '.github/openly.yml', configOptions()),
      now: () => new Date(),
    });
    // The editable PNGs are compared with their sources and pass; PDFs are plain, so only history could date them.
    expect(judged.results[0]!.findings.map((f) => f.rule)).toEqual(['diagrams/unknown-staleness']);
    expect(judged.results[0]!.data).toMatchObject({
      diagrams: expect.arrayContaining([
        expect.objectContaining({ path: 'data-flow.drawio.png', status: 'current' }),
        expect.objectContaining({ path: 'lamp.drawio.png', status: 'current' }),
      ]),
    });
  });

  it('exports each page of a plain SVG export to a file of its own, page 2 as name-page2.svg', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'diagrams' },
      change: {
        'data-flow.drawio': fixture('data-flow.drawio'),
        'data-flow.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
      },
    });
    mockCommit(r.sha, 'master');
    const result = await runAction(r, undefined, { openRenderer: shared });
    expect(invalidMocks).toEqual([]);
    expect(result.exitCode).toBe(0);
    // Page 1's export is there (and cannot be dated without history): only the missing page is drawn.
    expect(result.diagrams?.written).toEqual(['data-flow-page2.svg']);
    expect(result.log).toContain('(page 2, "context diagram")');
    const seen = await look(committed()['data-flow-page2.svg'] as string, 'page2.svg');
    expect(seen.text).toContain('train model with prompt');
    expect(seen.text).not.toContain('Training algorithm');
  });

  it('in a dry run draws but writes nothing to GitHub', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'diagrams', 'dry-run': 'true' },
      change: { 'deployment.drawio': fixture('uml-deployment-example.drawio') },
    });
    const result = await runAction(r, undefined, { openRenderer: shared });
    expect(result.exitCode).toBe(0);
    expect(result.diagrams?.written).toEqual(['deployment.svg']);
    expect(result.requests).toBe(0);
  });

  it('does nothing when every export is current', async () => {
    const r = runner({
      event: 'push',
      payload: pushToMaster(),
      inputs: { mode: 'diagrams' },
      change: { 'lamp.drawio': FLOWCHART, 'lamp.drawio.svg': fixture('flowchart.drawio.svg') },
    });
    const result = await runAction(r, undefined, { openRenderer: shared });
    expect(result.exitCode).toBe(0);
    expect(result.diagrams?.written).toEqual([]);
    expect(result.log).toContain('nothing to draw');
  });

  it('commits to the branch of a pull request from the same repository, and refuses a fork', () => {
    const base = { full_name: `${OWNER}/${REPO}` };
    const env = (payload: Record<string, unknown>) => {
      const file = join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(payload));
      return readContext(
        {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: file,
          GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
          GITHUB_SHA: 'f'.repeat(40),
          GITHUB_REF: 'refs/pull/7/merge',
        },
        dir,
      );
    };
    expect(
      targetBranch(env({ repository: base, pull_request: { head: { ref: 'redraw-journey', repo: base } } })),
    ).toEqual({
      branch: 'redraw-journey',
    });
    expect(
      targetBranch(
        env({
          repository: base,
          pull_request: { head: { ref: 'main', repo: { full_name: 'someone/fork' } } },
        }),
      ),
    ).toEqual({ refused: expect.stringContaining('fork someone/fork') });
  });
});
