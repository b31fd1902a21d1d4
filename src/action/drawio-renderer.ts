/**
 * Renders draw.io diagrams to SVG with draw.io's own viewer (viewer.min.js, draw.io 16.6.4, Apache-2.0), in headless
 * Chromium driven over the DevTools protocol on a pipe. No browser automation library: the Action is one bundle,
 * and a pipe needs no port and lets no other process in. Every request the page makes is refused, so the viewer
 * never fetches from viewer.diagrams.net: shapes of draw.io's extra libraries (AWS, Azure, data-flow stencils...)
 * that it would load from there are listed in `refused` and drawn without their stencil.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export interface RenderedPage {
  name: string;
  svg: string;
  /** The page drawn as a PNG, when asked for: draw.io's defaults (zoom 100%, no border, white background). */
  png?: Uint8Array;
}

export interface RenderedDiagram {
  /** One SVG per page, in page order. */
  pages: RenderedPage[];
  /** Every page in one PDF, each PDF page the size of its diagram page (draw.io's "crop"), when asked for. */
  pdf?: Uint8Array;
  /** What the viewer tried to fetch and was refused: shape libraries, fonts, MathJax. */
  refused: string[];
}

/** What to draw besides the SVGs, which are always drawn. */
export interface RenderWanted {
  png?: boolean;
  pdf?: boolean;
}

export interface DrawioRenderer {
  render(xml: string, wanted?: RenderWanted): Promise<RenderedDiagram>;
  close(): Promise<void>;
}

/** Where Chromium is found: a GitHub runner has google-chrome; Debian's package is chromium. */
const BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
];

export function findChromium(given?: string): string | undefined {
  if (given !== undefined && given !== '') return existsSync(given) ? given : undefined;
  return BROWSERS.find((path) => existsSync(path));
}

/** draw.io's viewer: embedded in the Action's bundle, else from the npm package. */
export function viewerScript(): string {
  try {
    // In the Action's bundle this address is embedded (scripts/build-action.js), compressed.
    return readFileSync(new URL('./drawio/viewer.min.js', import.meta.url), 'utf8');
  } catch {
    // From lib/ or src/, the viewer is the npm package's.
  }
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve('docusaurus-plugin-drawio/viewer.min.js'), 'utf8');
}

/** Runs in the page: each `<diagram>` decoded by the viewer's own code and drawn by its Graph's `getSvg`. */
const RENDER = `(xml) => {
  const doc = mxUtils.parseXml(xml);
  const root = doc.documentElement;
  const nodes = root.nodeName === 'mxfile' ? Array.from(root.getElementsByTagName('diagram')) : [root];
  return nodes.map((node, i) => {
    const model = node.nodeName === 'diagram' ? Editor.parseDiagramNode(node) : node;
    const container = document.createElement('div');
    document.body.appendChild(container);
    const graph = new Graph(container);
    graph.model.beginUpdate();
    try { new mxCodec(model.ownerDocument).decode(model, graph.getModel()); } finally { graph.model.endUpdate(); }
    const background = model.getAttribute('background');
    const svg = graph.getSvg(background && background !== 'none' ? background : null, 1, 0, false, null, true);
    graph.destroy();
    container.remove();
    return { name: node.getAttribute('name') || 'Page-' + (i + 1), svg: mxUtils.getXml(svg) };
  });
}`;

/**
 * Runs in the page: shows one page's SVG alone at the top left, on white as draw.io's PNG export does without
 * "transparent background", and gives its size in CSS pixels for the screenshot's clip.
 */
const SHOW = `(svg) => {
  document.documentElement.style.background = '#ffffff';
  document.body.style.margin = '0';
  document.body.innerHTML = svg;
  const box = document.body.firstElementChild.getBoundingClientRect();
  return { width: Math.max(1, Math.ceil(box.width)), height: Math.max(1, Math.ceil(box.height)) };
}`;

/**
 * Runs in the page: every page's SVG on a printed page of its own size (named CSS pages), so that the PDF has one
 * page per diagram page, cropped to the drawing; labels stay text, as the viewer draws them as HTML.
 */
const PRINT = `(svgs) => {
  document.documentElement.style.background = '#ffffff';
  document.body.style.margin = '0';
  document.body.innerHTML = svgs.map((svg, i) => '<div class="openly-page openly-page-' + i + '">' + svg + '</div>').join('');
  const sheets = [];
  Array.from(document.body.children).forEach((page, i) => {
    const box = page.firstElementChild.getBoundingClientRect();
    const width = Math.max(1, Math.ceil(box.width));
    const height = Math.max(1, Math.ceil(box.height));
    sheets.push('@page p' + i + ' { size: ' + width + 'px ' + height + 'px; margin: 0 }');
    sheets.push('.openly-page-' + i + ' { page: p' + i + '; width: ' + width + 'px; height: ' + height + 'px; overflow: hidden; }');
  });
  sheets.push('.openly-page { break-after: page; } .openly-page:last-child { break-after: auto; } svg { display: block; }');
  const style = document.createElement('style');
  style.textContent = sheets.join('\\n');
  document.head.appendChild(style);
  return svgs.length;
}`;

interface Pending {
  resolve: (value: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

/** A DevTools protocol session over Chromium's pipe (fd 3 in, fd 4 out, messages ended by NUL). */
class Pipe {
  #next = 1;
  readonly #pending = new Map<number, Pending>();
  #buffer = '';
  readonly #events: ((method: string, params: Record<string, unknown>, session?: string) => void)[] = [];

  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.#receive(chunk));
  }

  on(listener: (method: string, params: Record<string, unknown>, session?: string) => void): void {
    this.#events.push(listener);
  }

  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const id = this.#next++;
    const message = JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) });
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.input.write(message + '\0');
    });
  }

  fail(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    let end;
    while ((end = this.#buffer.indexOf('\0')) >= 0) {
      const text = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 1);
      const message = JSON.parse(text) as {
        id?: number;
        result?: Record<string, unknown>;
        error?: { message: string };
        method?: string;
        params?: Record<string, unknown>;
        sessionId?: string;
      };
      if (message.id !== undefined) {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error !== undefined) pending?.reject(new Error(message.error.message));
        else pending?.resolve(message.result ?? {});
      } else if (message.method !== undefined) {
        for (const listener of this.#events)
          listener(message.method, message.params ?? {}, message.sessionId);
      }
    }
  }
}

/**
 * Starts Chromium once, loads the viewer once, and renders any number of diagrams in that page. Throws with a
 * sentence when Chromium cannot be found or started.
 */
export async function openDrawioRenderer(
  options: { chromium?: string; viewer?: string } = {},
): Promise<DrawioRenderer> {
  const executable = findChromium(options.chromium);
  if (executable === undefined) {
    throw new Error(
      options.chromium
        ? `Chromium was not found at ${options.chromium}`
        : `Chromium was not found (looked for ${BROWSERS.join(', ')}): install it ("apt-get install -y chromium") or give its path`,
    );
  }
  const viewer = options.viewer ?? viewerScript();
  const profile = mkdtempSync(join(tmpdir(), 'openly-chromium-'));
  const child: ChildProcess = spawn(
    executable,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--remote-debugging-pipe',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-2000);
  });
  const pipe = new Pipe(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', (error) => pipe.fail(new Error(`Chromium could not be started: ${error.message}`)));
  child.once('exit', (code) =>
    pipe.fail(
      new Error(`Chromium stopped (exit ${code ?? 'by signal'}): ${stderr.trim().split('\n').pop() ?? ''}`),
    ),
  );
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        await pipe.send('Browser.close');
      } catch {
        child.kill('SIGKILL');
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(profile, { recursive: true, force: true });
  };

  // Each diagram gets a fresh page: the viewer remembers a shape library it failed to load and never asks again,
  // so only a fresh page can say which libraries this diagram needed.
  let refused: string[] = [];
  let current: string | undefined;
  pipe.on((method, params, session) => {
    if (method !== 'Fetch.requestPaused' || session !== current) return;
    refused.push((params.request as { url: string }).url);
    void pipe
      .send('Fetch.failRequest', { requestId: params.requestId, errorReason: 'BlockedByClient' }, session)
      .catch(() => {});
  });
  try {
    // Fails early, with Chromium's own words, when it cannot start.
    await pipe.send('Browser.getVersion');
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    async render(xml: string, wanted: RenderWanted = {}): Promise<RenderedDiagram> {
      const { targetId } = (await pipe.send('Target.createTarget', { url: 'about:blank' })) as {
        targetId: string;
      };
      try {
        const { sessionId } = (await pipe.send('Target.attachToTarget', { targetId, flatten: true })) as {
          sessionId: string;
        };
        current = sessionId;
        refused = [];
        await pipe.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] }, sessionId);
        await evaluate(pipe, sessionId, viewer + '\n;true');
        const pages = (await evaluate(
          pipe,
          sessionId,
          `(${RENDER})(${JSON.stringify(xml)})`,
        )) as RenderedPage[];
        if (wanted.png === true) {
          for (const page of pages) page.png = await screenshot(pipe, sessionId, page.svg);
        }
        const pdf = wanted.pdf === true ? await print(pipe, sessionId, pages) : undefined;
        return { pages, ...(pdf === undefined ? {} : { pdf }), refused: [...new Set(refused)] };
      } finally {
        current = undefined;
        await pipe.send('Target.closeTarget', { targetId }).catch(() => {});
      }
    },
    close: cleanup,
  };
}

async function screenshot(pipe: Pipe, sessionId: string, svg: string): Promise<Uint8Array> {
  const box = (await evaluate(pipe, sessionId, `(${SHOW})(${JSON.stringify(svg)})`)) as {
    width: number;
    height: number;
  };
  // The viewport must hold the whole drawing: what lies outside it is not painted, even with a clip.
  await pipe.send(
    'Emulation.setDeviceMetricsOverride',
    { width: box.width, height: box.height, deviceScaleFactor: 1, mobile: false },
    sessionId,
  );
  const { data } = (await pipe.send(
    'Page.captureScreenshot',
    { format: 'png', clip: { x: 0, y: 0, width: box.width, height: box.height, scale: 1 } },
    sessionId,
  )) as { data: string };
  return new Uint8Array(Buffer.from(data, 'base64'));
}

async function print(pipe: Pipe, sessionId: string, pages: readonly RenderedPage[]): Promise<Uint8Array> {
  await pipe.send('Emulation.clearDeviceMetricsOverride', {}, sessionId);
  await evaluate(pipe, sessionId, `(${PRINT})(${JSON.stringify(pages.map((page) => page.svg))})`);
  const { data } = (await pipe.send(
    'Page.printToPDF',
    {
      preferCSSPageSize: true,
      printBackground: true,
      marginTop: 0,
      marginBottom: 0,
      marginLeft: 0,
      marginRight: 0,
    },
    sessionId,
  )) as { data: string };
  return new Uint8Array(Buffer.from(data, 'base64'));
}

async function evaluate(pipe: Pipe, sessionId: string, expression: string): Promise<unknown> {
  const answer = (await pipe.send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as {
    result?: { value?: unknown };
    exceptionDetails?: { exception?: { description?: string }; text?: string };
  };
  if (answer.exceptionDetails !== undefined) {
    const detail =
      answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text ?? 'unknown';
    throw new Error(`draw.io's viewer could not draw the diagram: ${detail.split('\n')[0]}`);
  }
  return answer.result?.value;
}
