/**
 * `mode: diagrams`: exports every draw.io source whose exports (SVG, PNG, PDF; every page) are missing or stale,
 * with draw.io's own viewer, and commits the exports to the branch the run is on through the Git data API. A commit made that way with the
 * workflow's token is signed by GitHub, so `signed-commits` stays green; a push from the runner would not be.
 */
import { crc32 } from 'node:zlib';
import {
  diagramsOptions,
  planDiagrams,
  type DiagramExport,
  type DiagramsOptions,
} from '../checks/diagrams.js';
import type { ResolvedConfig } from '../config/types.js';
import { BranchRefusedError, commitFiles } from '../github/commit-files.js';
import type { RepoSnapshot } from '../sources/snapshot.js';
import { field, type ActionContext } from './context.js';
import type { DrawioRenderer, RenderedDiagram } from './drawio-renderer.js';
import { gitHubError, GitHubActionError, type ActionOctokit, type Repo } from './github.js';
import { forkPullRequest } from './plan.js';

export interface DiagramsStepResult {
  /** Exports written (or, in a dry run, that would be). */
  written: string[];
  /** Exports that need doing but could not be drawn, with why. */
  skipped: { path: string; reason: string }[];
  /** The commit made, when one was. */
  commit?: string;
  branch?: string;
}

export interface DiagramsStepInput {
  snapshot: RepoSnapshot;
  config: ResolvedConfig;
  context: ActionContext;
  octokit: ActionOctokit | undefined;
  dryRun: boolean;
  openRenderer: () => Promise<DrawioRenderer>;
  log: { info(text: string): void; warning(text: string): void };
}

/** The branch a diagrams run may commit to, or why it may not. */
export function targetBranch(context: ActionContext): { branch: string } | { refused: string } {
  const fork = forkPullRequest(context);
  if (fork !== undefined) {
    return {
      refused: `this pull request comes from the fork ${fork}, whose branch the workflow's token cannot write`,
    };
  }
  if (context.eventName === 'pull_request' || context.eventName === 'pull_request_target') {
    const head = field(context.payload, 'pull_request', 'head', 'ref');
    if (typeof head === 'string' && head !== '') return { branch: head };
    return { refused: 'the pull request event does not name its branch' };
  }
  const ref = context.ref ?? '';
  if (ref.startsWith('refs/heads/')) return { branch: ref.slice('refs/heads/'.length) };
  return { refused: `the run is on ${ref || 'no branch'} (a tag or a detached commit), not a branch` };
}

/** An SVG as a file: the XML declaration draw.io writes, and the diagram inside when the name says editable. */
export function exportFile(svg: string, path: string, sourceXml: string): string {
  let text = svg;
  if (path.toLowerCase().endsWith('.drawio.svg')) {
    const content = sourceXml
      .replace(/&/g, '&amp;')
      .replace(/"/g, '&quot;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\n/g, '&#10;');
    text = text.replace(/^<svg\b/, `<svg content="${content}"`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${text}\n`;
}

/**
 * A PNG carrying `sourceXml` as draw.io's editable PNG export does: a `tEXt` chunk keyed `mxfile` holding the
 * URL-encoded file, right after the header, so that draw.io opens the picture as the diagram.
 */
export function editablePng(png: Uint8Array, sourceXml: string): Uint8Array {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  // Signature (8 bytes), then IHDR: length, type, 13 bytes of data, CRC.
  const afterHeader = 8 + 12 + bytes.readUInt32BE(8);
  const body = Buffer.concat([
    Buffer.from('mxfile\0', 'latin1'),
    Buffer.from(encodeURIComponent(sourceXml), 'latin1'),
  ]);
  const typed = Buffer.concat([Buffer.from('tEXt', 'latin1'), body]);
  const chunk = Buffer.alloc(12 + body.length);
  chunk.writeUInt32BE(body.length, 0);
  typed.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(typed), 8 + body.length);
  return new Uint8Array(Buffer.concat([bytes.subarray(0, afterHeader), chunk, bytes.subarray(afterHeader)]));
}

/** The file for one export out of what the renderer drew, or why it cannot be made. */
function exportContent(
  entry: DiagramExport,
  drawn: RenderedDiagram,
  sourceXml: string,
): string | Uint8Array | { missing: string } {
  if (entry.format === 'pdf') return drawn.pdf ?? { missing: 'the PDF was not drawn' };
  const index = entry.page?.index ?? 1;
  const page = drawn.pages[index - 1];
  if (page === undefined) return { missing: `draw.io's viewer drew no page ${index}` };
  if (entry.format === 'svg') return exportFile(page.svg, entry.path, sourceXml);
  if (page.png === undefined) return { missing: `page ${index} was not drawn as PNG` };
  return entry.path.toLowerCase().endsWith('.drawio.png') ? editablePng(page.png, sourceXml) : page.png;
}

export async function diagramsStep(input: DiagramsStepInput): Promise<DiagramsStepResult> {
  const { snapshot, config, log } = input;
  const options = { ...diagramsOptions.defaults(), ...(config.options.diagrams as Partial<DiagramsOptions>) };
  const plan = planDiagrams(snapshot, options);
  const result: DiagramsStepResult = { written: [], skipped: [] };
  const todo = plan.exports.filter((entry) => entry.status === 'missing' || entry.status === 'stale');
  const unknown = plan.exports.filter((entry) => entry.status === 'unknown').length;
  if (unknown > 0) {
    log.info(
      `${unknown} export(s) could not be dated against their sources and were left as they are; give actions/checkout "fetch-depth: 0" so that Openly can tell.`,
    );
  }
  if (todo.length === 0) {
    log.info('Every draw.io source has current exports: nothing to draw.');
    return result;
  }

  const files: Record<string, string | Uint8Array> = {};
  const renderer = await input.openRenderer();
  try {
    const bySource = new Map<string, DiagramExport[]>();
    for (const entry of todo) bySource.set(entry.source, [...(bySource.get(entry.source) ?? []), entry]);
    for (const [source, entries] of bySource) {
      const content = snapshot.read(source);
      if (content.kind !== 'text') {
        for (const entry of entries)
          result.skipped.push({ path: entry.path, reason: `${source} cannot be read` });
        continue;
      }
      try {
        const started = Date.now();
        const drawn = await renderer.render(content.text, {
          png: entries.some((entry) => entry.format === 'png'),
          pdf: entries.some((entry) => entry.format === 'pdf'),
        });
        if (drawn.pages.length === 0) throw new Error('it has no page');
        log.info(
          `${source}: ${drawn.pages.length} page${drawn.pages.length === 1 ? '' : 's'} drawn in ${Date.now() - started} ms.`,
        );
        if (drawn.refused.length > 0) {
          log.warning(
            `${source} uses shapes from draw.io libraries that are not bundled (${drawn.refused.map((url) => url.split('/').pop()).join(', ')}); they are drawn without their stencils. Export it from draw.io for a faithful picture.`,
          );
        }
        for (const entry of entries) {
          const file = exportContent(entry, drawn, content.text);
          if (typeof file === 'object' && 'missing' in file) {
            result.skipped.push({ path: entry.path, reason: `${source}: ${file.missing}` });
            continue;
          }
          files[entry.path] = file;
          result.written.push(entry.path);
          const page = entry.page === undefined ? '' : ` (page ${entry.page.index}, "${entry.page.name}")`;
          log.info(
            `${entry.path}: ${entry.status === 'missing' ? 'exported' : 'exported again'} from ${source}${page}.`,
          );
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        for (const entry of entries)
          result.skipped.push({ path: entry.path, reason: `${source}: ${reason}` });
      }
    }
  } finally {
    await renderer.close();
  }
  if (result.written.length === 0 || input.dryRun) return result;

  const target = targetBranch(input.context);
  if ('refused' in target) throw new Error(`The diagrams were drawn but not committed: ${target.refused}.`);
  if (input.octokit === undefined)
    throw new Error('The diagrams were drawn but not committed: mode diagrams needs a token.');
  if (snapshot.head === null)
    throw new Error('The diagrams were drawn but not committed: the checkout has no commit.');
  const count = result.written.length;
  result.commit = await commitExports(
    input.octokit,
    { owner: input.context.owner, repo: input.context.repo },
    target.branch,
    snapshot.head,
    files,
    `Diagrams: ${count} export${count === 1 ? '' : 's'} drawn again from ${count === 1 ? 'its' : 'their'} draw.io source${count === 1 ? '' : 's'}`,
  );
  result.branch = target.branch;
  return result;
}

/**
 * Commits `files` on top of `parent` and moves `branch` to it, without force: if someone pushed meanwhile, GitHub
 * refuses and nothing is lost. No author or committer is given, so GitHub signs the commit.
 */
async function commitExports(
  octokit: ActionOctokit,
  repo: Repo,
  branch: string,
  parent: string,
  files: Record<string, string | Uint8Array>,
  message: string,
): Promise<string> {
  try {
    const written = await commitFiles(octokit, {
      ...repo,
      branch,
      files,
      message,
      base: parent,
      follows: true,
    });
    return written.commit;
  } catch (error) {
    if (error instanceof BranchRefusedError) {
      throw new GitHubActionError(
        `The branch ${branch} moved while Openly was drawing the diagrams, so nothing was overwritten; the next run on it will draw them again`,
        422,
      );
    }
    throw gitHubError(error, `committing the diagram exports to ${branch}`, 'contents: write');
  }
}
