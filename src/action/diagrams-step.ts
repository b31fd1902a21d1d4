/**
 * `mode: diagrams`: exports every draw.io source whose SVG export is missing or stale, with draw.io's own viewer,
 * and commits the exports to the branch the run is on through the Git data API. A commit made that way with the
 * workflow's token is signed by GitHub, so `signed-commits` stays green; a push from the runner would not be.
 */
import {
  diagramsOptions,
  planDiagrams,
  type DiagramExport,
  type DiagramsOptions,
} from '../checks/diagrams.js';
import type { ResolvedConfig } from '../config/types.js';
import { httpFailure } from '../github/failure.js';
import type { RepoSnapshot } from '../sources/snapshot.js';
import { field, type ActionContext } from './context.js';
import type { DrawioRenderer } from './drawio-renderer.js';
import { gitHubError, GitHubActionError, type ActionOctokit, type Repo } from './github.js';
import { forkPullRequest } from './plan.js';

export interface DiagramsStepResult {
  /** Exports written (or, in a dry run, that would be). */
  written: string[];
  /** Exports that need doing but this step does not make (PNG, PDF), or could not draw, with why. */
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

export async function diagramsStep(input: DiagramsStepInput): Promise<DiagramsStepResult> {
  const { snapshot, config, log } = input;
  const options = { ...diagramsOptions.defaults(), ...(config.options.diagrams as Partial<DiagramsOptions>) };
  const plan = planDiagrams(snapshot, options);
  const result: DiagramsStepResult = { written: [], skipped: [] };
  const todo: DiagramExport[] = [];
  for (const entry of plan.exports) {
    if (entry.status !== 'missing' && entry.status !== 'stale') continue;
    if (entry.format !== 'svg') {
      result.skipped.push({
        path: entry.path,
        reason: `Openly exports SVG only; export ${entry.format.toUpperCase()} in draw.io`,
      });
    } else {
      todo.push(entry);
    }
  }
  const unknown = plan.exports.filter((entry) => entry.status === 'unknown').length;
  if (unknown > 0) {
    log.info(
      `${unknown} export(s) could not be dated against their sources and were left as they are; give actions/checkout "fetch-depth: 0" so that Openly can tell.`,
    );
  }
  if (todo.length === 0) {
    log.info('Every draw.io source has a current SVG export: nothing to draw.');
    return result;
  }

  const files: Record<string, string> = {};
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
        const drawn = await renderer.render(content.text);
        const first = drawn.pages[0];
        if (first === undefined) throw new Error('it has no page');
        if (drawn.pages.length > 1) {
          log.info(
            `${source} has ${drawn.pages.length} pages; its SVG export shows the first, "${first.name}", as draw.io's own export does.`,
          );
        }
        if (drawn.refused.length > 0) {
          log.warning(
            `${source} uses shapes from draw.io libraries that are not bundled (${drawn.refused.map((url) => url.split('/').pop()).join(', ')}); they are drawn without their stencils. Export it from draw.io for a faithful picture.`,
          );
        }
        for (const entry of entries) {
          files[entry.path] = exportFile(first.svg, entry.path, content.text);
          result.written.push(entry.path);
          log.info(
            `${entry.path}: ${entry.status === 'missing' ? 'exported' : 'exported again'} from ${source}.`,
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
  result.commit = await commitFiles(
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
export async function commitFiles(
  octokit: ActionOctokit,
  repo: Repo,
  branch: string,
  parent: string,
  files: Record<string, string>,
  message: string,
): Promise<string> {
  const base = { owner: repo.owner, repo: repo.repo };
  try {
    const head = await octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
      ...base,
      commit_sha: parent,
    });
    const tree = await octokit.request('POST /repos/{owner}/{repo}/git/trees', {
      ...base,
      base_tree: head.data.tree.sha,
      tree: Object.entries(files).map(([path, content]) => ({
        path,
        mode: '100644' as const,
        type: 'blob' as const,
        content,
      })),
    });
    const commit = await octokit.request('POST /repos/{owner}/{repo}/git/commits', {
      ...base,
      message,
      tree: tree.data.sha,
      parents: [parent],
    });
    try {
      await octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
        ...base,
        ref: `heads/${branch}`,
        sha: commit.data.sha,
        force: false,
      });
    } catch (error) {
      if (httpFailure(error)?.status !== 422) throw error;
      throw new GitHubActionError(
        `The branch ${branch} moved while Openly was drawing the diagrams, so nothing was overwritten; the next run on it will draw them again`,
        422,
      );
    }
    return commit.data.sha;
  } catch (error) {
    throw gitHubError(error, `committing the diagram exports to ${branch}`, 'contents: write');
  }
}
