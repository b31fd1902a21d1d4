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

export interface RenderedDiagram {
  /** One SVG per page, in page order. */
  pages: { name: string; svg: string }[];
  /** What the viewer tried to fetch and was refused: shape libraries, fonts, MathJax. */
  refused: string[];
}

export interface DrawioRenderer {
  render(xml: string): Promise<RenderedDiagram>;
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
    async render(xml: string): Promise<RenderedDiagram> {
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
        const pages = (await evaluate(pipe, sessionId, `(${RENDER})(${JSON.stringify(xml)})`)) as {
          name: string;
          svg: string;
        }[];
        return { pages, refused: [...new Set(refused)] };
      } finally {
        current = undefined;
        await pipe.send('Target.closeTarget', { targetId }).catch(() => {});
      }
    },
    close: cleanup,
  };
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
