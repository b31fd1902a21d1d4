/**
 * `fix: pull-request`: after a push to the default branch is judged, one pull request adding the first set of files
 * the repository is missing — the files `openly init` would write, from the same templates. Never a push to the
 * default branch, never a second open pull request, never again once a team has closed one unmerged.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Logger, ProbotOctokit } from 'probot';
import { securityContact as contactIn } from '../checks/community-files.js';
import type { ResolvedConfig } from '../config/types.js';
import type { CheckResult } from '../core/report.js';
import { BranchRefusedError, commitFiles } from '../github/commit-files.js';
import type { RequestCount } from '../github/request-counter.js';
import { explainFailure, graphqlFailure, grantToApp, httpFailure } from '../github/failure.js';
import { isLicenceFileName } from '../licences/files.js';
import { planInitialFiles, type InitPlan, type InitProblem, type InitValues } from '../init/plan.js';
import {
  builtInTemplate,
  ORGANISATION_TEMPLATES_FOLDER,
  TEMPLATE_NAMES,
  type Template,
  type TemplateLookup,
  type TemplateName,
} from '../init/templates.js';
import type { GitHubTarget } from '../sources/github-context.js';
import {
  closedBody,
  closedByOpenly,
  closingComment,
  FIRST_FILES_TITLE,
  firstFilesBody,
  readMarker,
} from './fix-text.js';

type Octokit = Pick<ProbotOctokit, 'request' | 'graphql'>;

/** The branch the pull request comes from. */
export const FIRST_FILES_BRANCH = 'openly/first-files';

export const FIRST_FILES_QUERY = readFileSync(
  new URL('./github/first-files.graphql', import.meta.url),
  'utf8',
);

export interface FirstFilesInput {
  octokit: Octokit;
  target: GitHubTarget;
  config: ResolvedConfig;
  /** Every path of the pushed commit's tree. */
  paths: readonly string[];
  /** The judged results; the licence and community-files ones say what is missing. */
  results: readonly CheckResult[];
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  deliveryId: string;
  now?: () => Date;
  /** The event's request count, so that the log line shows what the pull request cost on top of the judgement. */
  requests?: RequestCount;
}

/** What happened, for the log line and the tests. */
export type FirstFilesOutcome =
  | 'off'
  | 'complete'
  | 'declined'
  | 'left-to-people'
  | 'branch-taken'
  | 'cannot-plan'
  | 'unchanged'
  | 'opened'
  | 'updated'
  | 'closed'
  | 'failed';

interface Owner {
  login: string;
  name?: string | null;
}

interface FirstFilesAnswer {
  repositoryOwner: Owner | null;
  repository: {
    templates: {
      entries?: {
        name: string;
        type: string;
        object: { text?: string | null; isBinary?: boolean | null } | null;
      }[];
    } | null;
    security: { text?: string | null } | null;
    githubSecurity: { text?: string | null } | null;
  } | null;
}

interface Pull {
  number: number;
  state: string;
  merged_at: string | null;
  body: string | null;
  html_url: string;
  head: { sha: string };
}

/** Stands in for the values while deciding whether anything is missing at all, which costs no request. */
const PROBE: Omit<InitValues, 'year'> = {
  organisation: 'probe',
  securityContact: 'security@example.org',
};

function digest(plan: InitPlan): string {
  const hash = createHash('sha256');
  for (const file of [...plan.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    hash.update(`${file.path}\0${file.text}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Whether a rule asks for one of the files. The commented configuration alone is no reason for a pull request: it
 * comes along with the files a rule asks for, never by itself.
 */
function asksForSomething(plan: InitPlan): boolean {
  return plan.files.some((file) => file.rule !== 'config');
}

const COMMUNITY_NAME = /^(?:contributing|security|code[_-]?of[_-]?conduct|codeofconduct)(?:\.[^/]*)?$/i;

/** A path whose arrival can make the files Openly proposed unnecessary: a licence, a community file, the config. */
function firstFileLike(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    isLicenceFileName(name) ||
    COMMUNITY_NAME.test(name) ||
    /^openly\.ya?ml$/i.test(name) ||
    /(?:^|\/)(?:LICENSES\/|REUSE\.toml$|\.reuse\/dep5$)/.test(path)
  );
}

/**
 * Whether this push can be the one that left nothing missing while Openly's pull request was open. Only then is
 * that pull request looked for, so that a complete repository's ordinary pushes still cost no request. A payload
 * that lists no files, or cut its commits short, could hide such a file: then it is looked for.
 */
function mayHaveCompleted(change: GitHubTarget['change']): boolean {
  if (change.kind !== 'push') return false;
  if (change.files === undefined || !change.files.complete) return true;
  return change.files.commits.some((commit) => commit.paths.some(firstFileLike));
}

/** The organisation's templates from the answer, over the built-in ones; a binary or unreadable file is skipped. */
function templatesOf(answer: FirstFilesAnswer, owner: string): TemplateLookup {
  const own = new Map<TemplateName, Template>();
  for (const entry of answer.repository?.templates?.entries ?? []) {
    const text = entry.object?.text;
    if (entry.type !== 'blob' || typeof text !== 'string' || entry.object?.isBinary === true) continue;
    if (!(TEMPLATE_NAMES as readonly string[]).includes(entry.name)) continue;
    own.set(entry.name as TemplateName, {
      text,
      source: `${owner}/.github:${ORGANISATION_TEMPLATES_FOLDER}/${entry.name}`,
    });
  }
  return (name) => own.get(name) ?? builtInTemplate(name);
}

/** The plan's problems in the words of `fix:`, the settings a person changes here. */
function wordProblems(problems: readonly InitProblem[], owner: string): string[] {
  return problems.map((problem) => {
    switch (problem.kind) {
      case 'unknown-licence':
      case 'no-licence-text':
      case 'licence-not-allowed': {
        const id = problem.kind === 'unknown-licence' ? problem.given : problem.id;
        const allowed =
          problem.kind === 'licence-not-allowed' ? ` (allowed: ${problem.allowed.join(', ')})` : '';
        return `fix.licence ${id} cannot be written to LICENCE${allowed}: set fix.licence to an SPDX id the policy allows`;
      }
      case 'bad-security-contact':
        return `the security contact "${problem.given}" is not an email address or web address: set fix.security-contact`;
      case 'missing-value':
        return problem.placeholder === 'securityContact'
          ? `${problem.for} needs a security contact: set fix.security-contact in .github/openly.yml, or give an email address in ${owner}/.github's SECURITY.md`
          : `${problem.source} uses {{${problem.placeholder}}}, which has no value for ${problem.for}: set fix.organisation`;
      case 'unknown-placeholder':
        return `${problem.source}:${problem.line}: {{${problem.placeholder}}} is not a placeholder Openly knows`;
      case 'no-licence-placeholder':
        return `${problem.source} has no {{licenceText}}, so ${problem.for} would hold no licence`;
    }
  });
}

/** GitHub's answer, or what it did answer when the organisation has no `.github` repository. */
async function readValues(octokit: Octokit, owner: string): Promise<FirstFilesAnswer> {
  try {
    return await octokit.graphql<FirstFilesAnswer>(FIRST_FILES_QUERY, { owner });
  } catch (error) {
    const partial = (error as { data?: FirstFilesAnswer }).data;
    const failure = graphqlFailure(error);
    if (failure !== undefined && failure.notFound && !failure.forbidden && partial !== undefined)
      return partial;
    throw error;
  }
}

class Step {
  doing = 'reading the pull requests from the branch openly/first-files';
  permission = 'pull-requests: write';
  set(doing: string, permission: string): void {
    this.doing = doing;
    this.permission = permission;
  }
}

/**
 * Opens (or keeps up to date) the first-files pull request when `fix: pull-request` is set. Never throws: a
 * refusal or failure is logged in plain words, and the check run, written before, is not touched.
 */
export async function proposeFirstFiles(input: FirstFilesInput): Promise<FirstFilesOutcome> {
  const { octokit, target, config, log } = input;
  const where = { deliveryId: input.deliveryId, repository: `${target.owner}/${target.repo}` };
  const counted = () => (input.requests === undefined ? {} : { requests: input.requests.byRoute() });
  const said = (outcome: FirstFilesOutcome, message: string, extra: object = {}): FirstFilesOutcome => {
    log.info({ ...where, firstFiles: outcome, ...extra, ...counted() }, message);
    return outcome;
  };
  if (config.fix?.mode !== 'pull-request' || target.change.kind !== 'push') return 'off';
  if (target.defaultBranch === FIRST_FILES_BRANCH) {
    return said(
      'branch-taken',
      `fix: the default branch is ${FIRST_FILES_BRANCH}, which Openly never writes to`,
    );
  }
  const year = (input.now?.() ?? new Date()).getUTCFullYear();
  const fix = config.fix;
  const plan = (values: InitValues, templates: TemplateLookup) =>
    planInitialFiles({ paths: input.paths, results: input.results, config, values, templates });

  // Deciding whether anything is missing costs no request: a complete repository never hears from fix, unless
  // this push may have completed it while Openly's pull request was open.
  const complete = !asksForSomething(plan({ ...PROBE, licence: fix.licence, year }, builtInTemplate));
  if (complete && !mayHaveCompleted(target.change)) return 'complete';

  const step = new Step();
  const repo = { owner: target.owner, repo: target.repo };
  try {
    const pulls = await octokit.request('GET /repos/{owner}/{repo}/pulls', {
      ...repo,
      head: `${target.owner}:${FIRST_FILES_BRANCH}`,
      state: 'all',
      per_page: 100,
    });
    const list = [...(pulls.data as Pull[])].sort((a, b) => b.number - a.number);
    const open = list.find((p) => p.state === 'open');
    const latest = list[0];
    const ownOpen = open !== undefined && readMarker(open.body)?.commit === open.head.sha;
    if (complete) {
      if (open === undefined || !ownOpen) return 'complete';
      // The team added the files themselves: the pull request would add nothing, so Openly withdraws it. The
      // note in the description tells a later push that the team did not say no; the branch stays.
      step.set(`closing the pull request #${open.number}`, 'pull-requests: write');
      await octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...repo,
        pull_number: open.number,
        state: 'closed',
        body: closedBody(open.body),
      });
      step.set(`commenting on the pull request #${open.number}`, 'pull-requests: write');
      await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...repo,
        issue_number: open.number,
        body: closingComment(target.defaultBranch, FIRST_FILES_BRANCH),
      });
      return said(
        'closed',
        `fix: closed ${open.html_url}, as ${target.defaultBranch} now has every file it proposed`,
      );
    }
    if (
      open === undefined &&
      latest !== undefined &&
      latest.merged_at === null &&
      !closedByOpenly(latest.body)
    ) {
      return said(
        'declined',
        `fix: the pull request ${latest.html_url} was closed without merging, so Openly opens no other; to ask again, reopen it`,
      );
    }
    const marker = open === undefined ? undefined : readMarker(open.body);
    if (open !== undefined && !ownOpen) {
      return said(
        'left-to-people',
        `fix: someone has pushed to ${open.html_url} (or removed Openly's note from it), so Openly leaves it to them`,
      );
    }

    step.set('reading the organisation name and templates', 'contents: read');
    const answer = await readValues(octokit, target.owner);
    const owner = answer.repositoryOwner;
    const organisation =
      fix.organisation !== undefined
        ? { name: fix.organisation, from: 'fix.organisation in the configuration' }
        : owner?.name !== undefined && owner.name !== null && owner.name.trim() !== ''
          ? { name: owner.name.trim(), from: `the GitHub profile of ${target.owner}` }
          : { name: target.owner, from: `the GitHub name of ${target.owner}` };
    const orgSecurity = answer.repository?.githubSecurity?.text ?? answer.repository?.security?.text;
    const orgContact = orgSecurity === undefined || orgSecurity === null ? undefined : contactIn(orgSecurity);
    const contact =
      fix.securityContact !== undefined
        ? { contact: fix.securityContact, from: 'fix.security-contact in the configuration' }
        : orgContact !== undefined
          ? { contact: orgContact, from: `the organisation's SECURITY.md in ${target.owner}/.github` }
          : undefined;
    const planned = plan(
      { organisation: organisation.name, securityContact: contact?.contact, licence: fix.licence, year },
      templatesOf(answer, target.owner),
    );
    if (planned.problems.length > 0) {
      return said(
        'cannot-plan',
        `fix: Openly opened no pull request, because ${wordProblems(planned.problems, target.owner).join('; ')}`,
      );
    }
    if (!asksForSomething(planned)) return 'complete';
    const plan_ = digest(planned);
    if (open !== undefined && marker?.plan === plan_) return 'unchanged';

    step.set(`writing the branch ${FIRST_FILES_BRANCH}`, 'contents: write');
    const files = Object.fromEntries(planned.files.map((f) => [f.path, f.text]));
    const message = `Add the files Openly's checks ask for\n\n${planned.files.map((f) => `- ${f.path}: ${f.what}`).join('\n')}\n`;
    let replaces = open?.head.sha;
    if (open === undefined && latest !== undefined) {
      // The last pull request was merged (or closed by Openly): its branch may still be there, and is Openly's to
      // reuse if untouched.
      try {
        const ref = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
          ...repo,
          ref: `heads/${FIRST_FILES_BRANCH}`,
        });
        if (ref.data.object.sha !== latest.head.sha)
          throw new BranchRefusedError(FIRST_FILES_BRANCH, 'exists');
        replaces = latest.head.sha;
      } catch (error) {
        if (httpFailure(error)?.status !== 404) throw error;
      }
    }
    const written = await commitFiles(octokit, {
      ...repo,
      branch: FIRST_FILES_BRANCH,
      files,
      message,
      base: target.headSha,
      ...(replaces === undefined ? {} : { replaces }),
    });
    const body = firstFilesBody({
      files: planned.files,
      notes: planned.notes,
      branch: FIRST_FILES_BRANCH,
      defaultBranch: target.defaultBranch,
      organisation,
      ...(contact === undefined ? {} : { securityContact: contact }),
      marker: { plan: plan_, commit: written.commit },
    });
    if (open !== undefined) {
      step.set(`updating the pull request #${open.number}`, 'pull-requests: write');
      await octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...repo,
        pull_number: open.number,
        body,
      });
      return said('updated', `fix: the pull request ${open.html_url} now adds ${planned.files.length} files`);
    }
    step.set('opening the first-files pull request', 'pull-requests: write');
    const created = await octokit.request('POST /repos/{owner}/{repo}/pulls', {
      ...repo,
      title: FIRST_FILES_TITLE,
      head: FIRST_FILES_BRANCH,
      base: target.defaultBranch,
      body,
    });
    return said('opened', `fix: opened ${created.data.html_url}, adding ${planned.files.length} files`, {
      pullRequest: created.data.number,
    });
  } catch (error) {
    if (error instanceof BranchRefusedError) {
      return said(
        'branch-taken',
        `fix: the branch ${FIRST_FILES_BRANCH} exists with commits Openly did not make, so Openly left it alone; delete the branch to let Openly open its pull request`,
      );
    }
    if (httpFailure(error)?.status === 422 && step.doing === 'opening the first-files pull request') {
      return said('unchanged', 'fix: GitHub says a pull request from openly/first-files is open already');
    }
    const explained = explainFailure(error, {
      doing: step.doing,
      permissions: [step.permission],
      who: 'the App',
      grant: grantToApp,
      outcome: 'The check run is unaffected; Openly tries again on a later push to the default branch.',
    });
    log.warn(
      { ...where, firstFiles: 'failed', error: explained },
      'fix: Openly could not open its pull request',
    );
    return 'failed';
  }
}
