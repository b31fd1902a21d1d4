/**
 * Release notes as a library: the Action (and anything else holding an authenticated Octokit) calls these, and
 * gets back what was done. Nothing here reads the environment or knows which door called it.
 *
 * Every function works everything out first, then writes at most once, so a GitHub failure part-way leaves the
 * releases as they were and a re-run finishes the job; a run that would write what is already there writes nothing.
 */
import type { GitHubApi } from '../github/octokit.js';
import type { Logger } from '../core/check.js';
import type { ReleaseNotesConfig } from '../config/types.js';
import { withoutExcluded } from '../core/excluded.js';
import { MemorySnapshot } from '../sources/memory.js';
import type { RepoSnapshot } from '../sources/snapshot.js';
import type { ArtefactTarget } from '../checks/artefacts.js';
import { diffArtefacts, reportedArtefacts, type ArtefactChanges } from './artefact-changes.js';
import {
  createRelease,
  listReleases,
  readDraftState,
  readFilesAt,
  readMilestone,
  readPathsAt,
  readReleases,
  ReleaseError,
  RELEASES_READ,
  updateRelease,
  type ReleaseInfo,
  type ReleaseState,
  type Repo,
} from './github.js';
import { categorise, renderNotes, type NoteItem } from './notes.js';
import {
  bumpFromLabels,
  bumpVersion,
  compareVersions,
  formatTag,
  parseTag,
  versionFromTitle,
  type Version,
} from './version.js';

export { resolveReleaseNotesConfig } from './config.js';
export { ReleaseError } from './github.js';
export type { ReleaseNotesConfig } from '../config/types.js';
export type { ArtefactChanges } from './artefact-changes.js';
export { diffArtefacts, reportedArtefacts } from './artefact-changes.js';

export interface ReleaseContext {
  /** Authenticated; the caller counts requests with its hook. */
  octokit: GitHubApi;
  owner: string;
  repo: string;
  /** The default branch, such as `main`: where merged pull requests are counted. */
  defaultBranch: string;
  /** The merged commit: a new draft's target, and the "after" of the artefact changes. */
  headSha: string;
  /** The resolved `release-notes:` section, defaults applied (`resolveReleaseNotesConfig`). */
  config: ReleaseNotesConfig;
  /** The working tree at `headSha`, for the artefact changes; without it they are left out. */
  checkout?: RepoSnapshot;
  /** The `artefacts:` options of the configuration, so that configured artefact paths are found too. */
  artefactsOptions?: unknown;
  /** The configuration's `exclude:` globs: artefacts no check sees are not reported either. */
  exclude?: readonly string[];
  /** Work everything out and write nothing. */
  dryRun: boolean;
  log: Logger;
}

export interface ReleaseOutcome {
  action: 'created' | 'updated' | 'unchanged' | 'published' | 'dry-run';
  tag: string;
  name: string;
  body: string;
  draft: boolean;
  url?: string;
  id?: number;
  /** How many pull requests the notes list. */
  pullRequests: number;
}

/** How Openly knows its own draft among the releases; the commit it was drafted at follows. */
export const DRAFT_MARKER = '<!-- openly:release-notes draft';

function draftMarker(sha: string, pullRequests: number): string {
  return `${DRAFT_MARKER} at ${sha}, listing ${pullRequests} pull requests -->`;
}

/** How many pull requests a draft lists, from its marker; whatever the line template, the count is there. */
function listedIn(body: string): number {
  const count = /<!-- openly:release-notes draft at \S+, listing (\d+) pull requests -->/.exec(body)?.[1];
  return count === undefined ? 0 : Number(count);
}

function milestoneMarker(number: number): string {
  return `<!-- openly:release-notes milestone ${number} -->`;
}

/**
 * Whether a release already says `body`. Line endings and trailing space are not differences: a body edited on
 * github.com comes back with CRLF, and rewriting it for that alone would not be idempotent.
 */
function sameBody(stored: string, body: string): boolean {
  const plain = (text: string) => text.replace(/\r\n?/g, '\n').trimEnd();
  return plain(stored) === plain(body);
}

function repoOf(ctx: ReleaseContext): Repo {
  return { owner: ctx.owner, repo: ctx.repo };
}

const published = (release: ReleaseInfo) => !release.isDraft && !release.isPrerelease;

/**
 * The published release the next one follows: the highest SemVer among them (below `below`, for a milestone named
 * after an older version), so that a hotfix of an older line, cut later on a maintenance branch, neither hides the
 * pull requests merged since the newer release nor disagrees with the version worked out from it. Without any
 * SemVer tag, the newest by creation, as GitHub's "latest" is. `skip` is a milestone's own release, and releases
 * made after it are not before it.
 */
function previousRelease(state: ReleaseState, skip?: ReleaseInfo, below?: Version): ReleaseInfo | undefined {
  const all = [...state.releases, ...(state.latest === undefined ? [] : [state.latest])];
  const candidates = all.filter(
    (release) =>
      published(release) &&
      release.tagName !== skip?.tagName &&
      (skip === undefined || Date.parse(release.createdAt) < Date.parse(skip.createdAt)),
  );
  let best: { release: ReleaseInfo; version: Version } | undefined;
  for (const release of candidates) {
    const version = parseTag(release.tagName);
    if (version === undefined || (below !== undefined && compareVersions(version, below) >= 0)) continue;
    if (best === undefined || compareVersions(version, best.version) > 0) best = { release, version };
  }
  // Releases all at or above `below` are not before it; a tag that is no version still may be.
  return best?.release ?? candidates.find((release) => parseTag(release.tagName) === undefined);
}

/** When the previous release was cut: its tag's commit date, else when it was published. */
function sinceOf(previous: ReleaseInfo | undefined): { date?: string; commits?: readonly string[] } {
  if (previous === undefined) return {};
  const date = previous.tagCommit?.committedDate ?? previous.publishedAt ?? previous.createdAt;
  const commit = previous.tagCommit;
  return { date, ...(commit === undefined ? {} : { commits: [commit.oid, ...commit.recent] }) };
}

/**
 * The highest SemVer among the published releases and the git tags (a hotfix cut after a newer minor does not set
 * the pace, and a version tagged with git alone is not taken again). Pre-releases are passed over here.
 */
function highestVersion(state: ReleaseState, skip?: ReleaseInfo): Version | undefined {
  let best: Version | undefined;
  const all = [...state.releases, ...(state.latest === undefined ? [] : [state.latest])];
  const tags = [
    ...all.filter((release) => published(release)).map((release) => release.tagName),
    ...(state.tags ?? []),
  ];
  for (const tag of tags) {
    if (tag === skip?.tagName) continue;
    const version = parseTag(tag);
    if (version === undefined || version.prerelease !== '') continue;
    if (best === undefined || compareVersions(version, best) > 0) best = version;
  }
  return best;
}

/**
 * The highest pre-release above every published release (`v2.0.0-rc.1` after `v1.2.3`): the release it leads up
 * to is the least the next version can be, or the draft would go backwards past it.
 */
function leadingPrerelease(state: ReleaseState, floor: Version | undefined): Version | undefined {
  let best: Version | undefined;
  const tags = [
    ...state.releases
      .filter((release) => !release.isDraft && release.isPrerelease)
      .map((release) => release.tagName),
    ...(state.tags ?? []),
  ];
  for (const tag of tags) {
    const version = parseTag(tag);
    if (version === undefined || (floor !== undefined && compareVersions(version, floor) <= 0)) continue;
    if (best === undefined || compareVersions(version, best) > 0) best = version;
  }
  return best;
}

/** The next version from the items' labels over the highest release; the configured first version when none. */
function nextVersion(
  ctx: ReleaseContext,
  state: ReleaseState,
  items: readonly NoteItem[],
  skip?: ReleaseInfo,
): string {
  const highest = highestVersion(state, skip);
  const ahead = leadingPrerelease(state, highest);
  const kept = categorise(items, ctx.config).flatMap((group) => group.items);
  const bump = bumpFromLabels(
    kept.flatMap((item) => item.labels),
    ctx.config.versionLabels,
    ctx.config.defaultBump,
  );
  let next: Version;
  if (highest === undefined) {
    const initial = parseTag(ctx.config.initialVersion) ?? parseTag('0.1.0')!;
    next = { ...initial, prefix: ctx.config.tagPrefix };
  } else next = bumpVersion(highest, bump);
  if (ahead !== undefined) {
    // The labels bump the pre-release too: after `v1.3.0-rc.1`, fixes give `v1.3.0` and a breaking change `v2.0.0`.
    const release = bumpVersion(ahead, bump);
    if (compareVersions(release, next) > 0) next = { ...release, prefix: highest?.prefix ?? ahead.prefix };
  }
  return formatTag(next);
}

/**
 * The artefact changes since `previous`, reading its copies of just the artefacts present now (one request per
 * 100). Undefined when switched off, without a checkout, or when the previous release's commit is unknown.
 */
async function artefactChanges(
  ctx: ReleaseContext,
  previous: ReleaseInfo | undefined,
): Promise<ArtefactChanges | undefined> {
  if (!ctx.config.artefacts || ctx.checkout === undefined) return undefined;
  const checkout = withoutExcluded(ctx.checkout, ctx.exclude ?? []);
  const targets = reportedArtefacts(checkout.files(), ctx.artefactsOptions);
  if (targets.length === 0) return undefined;
  let before: Record<string, string | undefined> = {};
  let earlier: ArtefactTarget[] | undefined;
  if (previous !== undefined) {
    const oid = previous.tagCommit?.oid;
    if (oid === undefined) {
      ctx.log.warn(
        `The artefact changes are left out: GitHub names no commit for ${previous.tagName}, so there is nothing to compare with.`,
      );
      return undefined;
    }
    const paths = targets.map((target) => target.path);
    before = (await readFilesAt(ctx.octokit, repoOf(ctx), oid, paths)).files;
    // An artefact new at its path may have been moved or renamed: where the artefacts of its kind were at the
    // last release is read too (one request for the file list, one per 100 files gone from their place), so
    // that a moved register does not announce every risk in it as added.
    const fresh = targets.filter((target) => !(target.path in before));
    if (fresh.length > 0) {
      const listed = await readPathsAt(ctx.octokit, repoOf(ctx), oid);
      if (listed === undefined) {
        ctx.log.warn(
          `GitHub cut short the list of files at ${previous.tagName}, so artefacts moved since may be reported as new.`,
        );
      } else {
        const then = withoutExcluded(
          new MemorySnapshot(Object.fromEntries(listed.map((path) => [path, undefined]))),
          ctx.exclude ?? [],
        );
        earlier = reportedArtefacts(then.files(), ctx.artefactsOptions);
        const kinds = new Set(fresh.map((target) => target.type));
        const now = new Set(paths);
        const gone = earlier.filter((target) => !now.has(target.path) && kinds.has(target.type));
        if (gone.length > 0) {
          const found = await readFilesAt(
            ctx.octokit,
            repoOf(ctx),
            oid,
            gone.map((target) => target.path),
          );
          before = { ...before, ...found.files };
        }
      }
    }
  }
  return diffArtefacts(new MemorySnapshot(before), checkout, targets, earlier);
}

function outcome(
  action: ReleaseOutcome['action'],
  fields: { tag: string; name: string; body: string; draft: boolean; pullRequests: number },
  written?: { id?: number; url?: string },
): ReleaseOutcome {
  return {
    action,
    ...fields,
    ...(written?.url === undefined ? {} : { url: written.url }),
    ...(written?.id === undefined ? {} : { id: written.id }),
  };
}

/**
 * On a push to the default branch: keeps one draft release listing every pull request merged since the last
 * published release. Openly's draft is the one carrying its marker; a draft someone wrote by hand is left alone.
 */
export async function draftReleaseNotes(ctx: ReleaseContext): Promise<ReleaseOutcome> {
  const repo = repoOf(ctx);
  const warnings: string[] = [];
  // The artefacts at the last release are read while the pull requests page on: both need only the releases.
  let reading: Promise<ArtefactChanges | undefined> = Promise.resolve(undefined);
  const { state, pulls, requests } = await readDraftState(
    ctx.octokit,
    repo,
    ctx.defaultBranch,
    (found) => {
      const last = previousRelease(found);
      reading = artefactChanges(ctx, last);
      // Awaited below; until then a failure must not count as unhandled if the paging fails first.
      reading.catch(() => undefined);
      return sinceOf(last);
    },
    warnings,
  );
  for (const warning of warnings) ctx.log.warn(warning);
  const previous = previousRelease(state);
  const tag = nextVersion(ctx, state, pulls);
  const changes = await reading;
  const { body, pullRequests } = renderNotes({
    items: pulls,
    config: ctx.config,
    tag,
    ...(previous === undefined ? {} : { previousTag: previous.tagName }),
    ...(changes === undefined ? {} : { changes }),
    marker: (listed) => draftMarker(ctx.headSha, listed),
  });
  const fields = { tag, name: tag, body, draft: true, pullRequests };
  ctx.log.debug(
    `Release notes for ${tag}: ${pulls.length} merged pull requests since ${previous?.tagName ?? 'the beginning'}, read in ${requests} requests.`,
  );
  const existing = state.releases.find((release) => release.isDraft && release.body.includes(DRAFT_MARKER));
  if (
    existing !== undefined &&
    existing.tagName === tag &&
    existing.name === tag &&
    sameBody(existing.body, body)
  ) {
    ctx.log.info(`The draft release ${tag} is up to date.`);
    return outcome('unchanged', fields, {
      ...(existing.id === undefined ? {} : { id: existing.id }),
      url: existing.url,
    });
  }
  // GitHub keeps one release per tag (drafts too, on the safe reading): a release someone else made with this tag,
  // such as a draft written by hand, would refuse Openly's draft, and it is theirs to publish or delete.
  const blocking = state.releases.find((release) => release.tagName === tag && release !== existing);
  if (blocking !== undefined) {
    throw new ReleaseError(
      `${blocking.isDraft ? 'A draft release' : 'A release'} ${tag} (${blocking.url}) was not drafted by Openly and ` +
        `has the version its draft would take, so the draft was not ${existing === undefined ? 'created' : 'updated'}. ` +
        'Publish or delete that release, or give it another tag; the next push then drafts again.',
    );
  }
  if (ctx.dryRun) {
    ctx.log.info(
      `Dry run: the draft release ${tag} would be ${existing === undefined ? 'created' : 'updated'}.`,
    );
    return outcome(
      'dry-run',
      fields,
      existing === undefined
        ? undefined
        : { ...(existing.id === undefined ? {} : { id: existing.id }), url: existing.url },
    );
  }
  const write = { tag_name: tag, target_commitish: ctx.headSha, name: tag, body, draft: true };
  if (existing?.id !== undefined) {
    const written = await updateRelease(
      ctx.octokit,
      repo,
      existing.id,
      write,
      `updating the draft release ${tag}`,
    );
    ctx.log.info(`Updated the draft release ${tag}: ${written.url}`);
    return outcome('updated', fields, written);
  }
  const written = await createRelease(ctx.octokit, repo, write, `creating the draft release ${tag}`);
  ctx.log.info(`Created the draft release ${tag}: ${written.url}`);
  return outcome('created', fields, written);
}

/**
 * When a milestone closes: publishes its release. The tag comes from the title when it names a version (`v1.4.0`,
 * `1.4`), otherwise it is the next version; the body lists the milestone's merged pull requests and closed issues
 * by heading, and the artefact changes. Closing the milestone again updates that release (found by its tag, or by
 * Openly's marker for a milestone without a version in its title), never a second one.
 */
export async function milestoneRelease(
  ctx: ReleaseContext,
  milestone: { number: number; title: string },
): Promise<ReleaseOutcome> {
  const repo = repoOf(ctx);
  const warnings: string[] = [];
  const titled = versionFromTitle(milestone.title);
  const core = titled === undefined ? undefined : formatTag({ ...titled, prefix: '' });
  const found = await readMilestone(
    ctx.octokit,
    repo,
    milestone.number,
    core === undefined ? undefined : { tag: `v${core}`, plainTag: core },
    warnings,
  );
  for (const warning of warnings) ctx.log.warn(warning);
  const marker = milestoneMarker(milestone.number);
  const byTag = found.byTag !== undefined && !found.byTag.isDraft ? found.byTag : undefined;
  if (byTag !== undefined && !byTag.body.includes(marker) && !byTag.body.includes(DRAFT_MARKER)) {
    // Someone published this version by hand: their notes are theirs, and GitHub allows one release per tag.
    throw new ReleaseError(
      `Release ${byTag.tagName} already exists (${byTag.url}) and was not made by Openly, so it is left as it is and ` +
        `milestone "${milestone.title}" has no release of its own. To have Openly write it, delete that release ` +
        '(the tag can stay) and close the milestone again; or give the milestone a title that is not that version.',
    );
  }
  const own =
    byTag ?? found.state.releases.find((release) => !release.isDraft && release.body.includes(marker));
  const previous = previousRelease(
    found.state,
    own,
    titled === undefined ? undefined : { ...titled, prefix: titled.prefix ?? '' },
  );
  const items: NoteItem[] = [...found.pulls, ...found.issues];

  let tag: string;
  if (titled !== undefined && core !== undefined) {
    if (byTag !== undefined) tag = byTag.tagName;
    else {
      const style = previous === undefined ? undefined : parseTag(previous.tagName)?.prefix;
      tag = `${titled.prefix ?? style ?? ctx.config.tagPrefix}${core}`;
    }
  } else {
    tag = own?.tagName ?? nextVersion(ctx, found.state, items, own);
  }
  const title = found.title === '' ? milestone.title : found.title;
  const name = titled === undefined ? `${title} (${tag})` : tag;
  const changes = await artefactChanges(ctx, previous);
  const { body, pullRequests } = renderNotes({
    items,
    config: ctx.config,
    tag,
    ...(previous === undefined ? {} : { previousTag: previous.tagName }),
    ...(changes === undefined ? {} : { changes }),
    marker: () => marker,
  });
  const fields = { tag, name, body, draft: false, pullRequests };
  // `1.4.0-beta.1` is a pre-release: published as one, it neither becomes GitHub's latest nor sets the next version.
  const prerelease = (parseTag(tag)?.prerelease ?? '') !== '';
  if (
    own !== undefined &&
    own.tagName === tag &&
    own.name === name &&
    own.isPrerelease === prerelease &&
    sameBody(own.body, body)
  ) {
    ctx.log.info(`The release ${tag} for milestone "${title}" is up to date.`);
    return outcome('unchanged', fields, known(own));
  }
  // Without a release of its own yet, the version may have Openly's draft, kept up to date on pushes: that draft is
  // published, so that the tag has exactly one release whatever GitHub makes of a draft's tag.
  const draft = own === undefined ? await draftOfVersion(ctx, found.state, tag, milestone.title) : undefined;
  const elsewhere = found.state.releases.find(
    (release) => release.isDraft && release.body.includes(DRAFT_MARKER) && release.tagName !== draft?.tagName,
  );
  if (elsewhere !== undefined) {
    ctx.log.info(
      `Openly's draft ${elsewhere.tagName} is for another version and is left as it is; the next push to ` +
        `${ctx.defaultBranch} brings it up to date.`,
    );
  }
  if (ctx.dryRun) {
    const what =
      own !== undefined ? 'updated' : draft !== undefined ? `published from Openly's draft` : 'published';
    ctx.log.info(`Dry run: the release ${tag} would be ${what}.`);
    return outcome('dry-run', fields, known(own ?? draft));
  }
  if (own?.id !== undefined) {
    const written = await updateRelease(
      ctx.octokit,
      repo,
      own.id,
      { tag_name: tag, name, body, draft: false, prerelease },
      `updating release ${tag}`,
    );
    ctx.log.info(`Updated release ${tag} for milestone "${title}": ${written.url}`);
    return outcome('updated', fields, written);
  }
  if (draft !== undefined) {
    if (draft.id === undefined) {
      throw new ReleaseError(
        `GitHub gave no id for Openly's draft release ${draft.tagName}, so it could not be published as ${tag}. Nothing was written.`,
      );
    }
    // One write: the notes, the name, the tag and the end of the draft together, so a failure leaves the draft as it
    // was and the next run publishes it; once it is published, the next run finds it by its tag and marker.
    const written = await updateRelease(
      ctx.octokit,
      repo,
      draft.id,
      { tag_name: tag, target_commitish: ctx.headSha, name, body, draft: false, prerelease },
      `publishing release ${tag} from Openly's draft`,
    );
    ctx.log.info(
      `Published release ${tag} for milestone "${title}" from Openly's draft of it: ${written.url}`,
    );
    return outcome('published', fields, written);
  }
  const written = await createRelease(
    ctx.octokit,
    repo,
    { tag_name: tag, target_commitish: ctx.headSha, name, body, draft: false, prerelease },
    `publishing release ${tag}`,
  );
  ctx.log.info(`Published release ${tag} for milestone "${title}": ${written.url}`);
  return outcome('published', fields, written);
}

function known(release: ReleaseInfo | undefined): { id?: number; url?: string } | undefined {
  return release === undefined
    ? undefined
    : { ...(release.id === undefined ? {} : { id: release.id }), url: release.url };
}

/**
 * The draft of the version `tag` names that a milestone's release publishes: Openly's, found among the releases read
 * first, or, when those filled the page, among the rest (100 a request). The same version in either tag style counts
 * (`1.3.0` and `v1.3.0`). A release of it that is not Openly's draft, such as a draft written by hand, is someone's
 * plan: the run stops and says so, rather than publishing over it or beside it.
 */
async function draftOfVersion(
  ctx: ReleaseContext,
  state: ReleaseState,
  tag: string,
  title: string,
): Promise<ReleaseInfo | undefined> {
  const version = parseTag(tag);
  const same = (release: ReleaseInfo) => {
    if (release.tagName === tag) return true;
    const other = parseTag(release.tagName);
    return version !== undefined && other !== undefined && compareVersions(other, version) === 0;
  };
  let found = state.releases.filter(same);
  if (found.length === 0 && state.releases.length >= RELEASES_READ) {
    const warnings: string[] = [];
    const listed = await listReleases(ctx.octokit, repoOf(ctx), same, warnings);
    for (const warning of warnings) ctx.log.warn(warning);
    found = listed.releases.filter(same);
  }
  const ours = found.filter((release) => release.isDraft && release.body.includes(DRAFT_MARKER));
  const theirs = found.find((release) => !ours.includes(release));
  if (theirs !== undefined) {
    const kind = theirs.isDraft ? 'A draft release' : 'A release';
    throw new ReleaseError(
      `${kind} ${theirs.tagName} (${theirs.url}) already has version ${tag} and was not drafted by Openly, so ` +
        `milestone "${title}" was not published: GitHub keeps one release per tag, and that one is someone's. ` +
        `Publish or delete it, then close the milestone again; or give the milestone a title that is not that version.`,
    );
  }
  if (ours.length > 1) {
    ctx.log.warn(
      `Openly has ${ours.length} drafts of ${tag}; the newest is published and the others are left for a person to delete.`,
    );
  }
  return ours[0];
}

/**
 * By hand (`workflow_dispatch`): publishes Openly's draft as it stands, its tag and notes kept. When there is no
 * draft because this very job already published it, that is said and nothing is written.
 */
export async function publishDraft(ctx: ReleaseContext): Promise<ReleaseOutcome> {
  const repo = repoOf(ctx);
  const state = await readReleases(ctx.octokit, repo, ctx.defaultBranch);
  // Only Openly's own draft: one written by hand is someone's plan, and publishing it is theirs to do.
  const draft = state.releases.find((release) => release.isDraft && release.body.includes(DRAFT_MARKER));
  if (draft === undefined) {
    const latest = state.latest;
    if (latest !== undefined && latest.body.includes(DRAFT_MARKER)) {
      ctx.log.info(`There is no draft to publish: ${latest.tagName} is already published.`);
      return outcome(
        'unchanged',
        { tag: latest.tagName, name: latest.name, body: latest.body, draft: false, pullRequests: 0 },
        { ...(latest.id === undefined ? {} : { id: latest.id }), url: latest.url },
      );
    }
    const others = state.releases.filter((release) => release.isDraft).map((release) => release.tagName);
    throw new ReleaseError(
      `${ctx.owner}/${ctx.repo} has no draft release to publish. Openly drafts one on each push to ${ctx.defaultBranch}; ` +
        'run the Action on a push first (or check that the token has "contents: write", without which drafts are invisible).' +
        (others.length === 0
          ? ''
          : ` The draft${others.length === 1 ? '' : 's'} ${others.join(', ')} ${others.length === 1 ? 'was' : 'were'} written by hand and ${others.length === 1 ? 'is' : 'are'} left for a person to publish.`),
    );
  }
  // A milestone's release may have taken the tag since the draft was last brought up to date; GitHub would refuse
  // the tag, and a person can act on this sooner than on "Validation Failed".
  const taken = state.releases.find((release) => !release.isDraft && release.tagName === draft.tagName);
  if (taken !== undefined) {
    throw new ReleaseError(
      `The draft's tag ${draft.tagName} is already published (${taken.url}), so the draft was not published. ` +
        `The next push to ${ctx.defaultBranch} moves the draft on to the next version; publish it then.`,
    );
  }
  // A milestone may have published a higher version since the draft was last brought up to date (the draft is left
  // for the next push to move on): published now, the draft would go backwards and list what is already released.
  const highest = highestVersion(state);
  const version = parseTag(draft.tagName);
  if (highest !== undefined && version !== undefined && compareVersions(version, highest) <= 0) {
    throw new ReleaseError(
      `The draft's version ${draft.tagName} is not above ${formatTag(highest)}, published since the draft was last ` +
        `brought up to date, so the draft was not published. The next push to ${ctx.defaultBranch} moves the draft ` +
        'on to the next version; publish it then.',
    );
  }
  const fields = {
    tag: draft.tagName,
    name: draft.name,
    body: draft.body,
    draft: false,
    pullRequests: listedIn(draft.body),
  };
  if (ctx.dryRun) {
    ctx.log.info(`Dry run: the draft release ${draft.tagName} would be published.`);
    return outcome(
      'dry-run',
      { ...fields },
      { ...(draft.id === undefined ? {} : { id: draft.id }), url: draft.url },
    );
  }
  if (draft.id === undefined) {
    throw new ReleaseError(
      `GitHub gave no id for the draft release ${draft.tagName}, so it cannot be published.`,
    );
  }
  const written = await updateRelease(
    ctx.octokit,
    repo,
    draft.id,
    { draft: false },
    `publishing release ${draft.tagName}`,
  );
  ctx.log.info(`Published release ${draft.tagName}: ${written.url}`);
  return outcome('published', fields, written);
}
