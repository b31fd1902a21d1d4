import { describe, expect, it } from 'vitest';
import {
  milestoneRelease,
  publishDraft,
  DRAFT_MARKER,
  ReleaseError,
  resolveReleaseNotesConfig,
} from '../../src/release/index.js';
import { fixtureSnapshot } from './fixtures.js';
import {
  example,
  fakeReleases,
  graphql,
  issueNode,
  mockArtefactsAt,
  mockCreate,
  mockDraftState,
  mockListReleases,
  mockMilestone,
  mockTreeAt,
  mockUpdate,
  pullNode,
  releaseNode,
  sentBodies,
  sentQueries,
  releaseHarness,
} from './github-mock.js';

// GitHub's own example of a milestone closed: "v1.0", number 1, in Codertocat/Hello-World.
const closed = example('milestone', (payload) => payload.action === 'closed');
const repository = closed.repository as { name: string; owner: { login: string }; default_branch: string };
const milestone = closed.milestone as { number: number; title: string };
const OWNER = repository.owner.login;
const REPO = repository.name;
const HEAD = 'c0ffee5d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a30';
const RELEASE_OID = 'a1'.repeat(20);

const { context, requests } = releaseHarness({
  owner: OWNER,
  repo: REPO,
  defaultBranch: repository.default_branch,
  headSha: HEAD,
});

const V0_9_0 = releaseNode({ tagName: 'v0.9.0', databaseId: 40 });
const PULLS = [
  pullNode(12, 30, { labels: ['enhancement'], title: 'Show clinics on a map' }),
  pullNode(13, 40, { labels: ['bug'], title: 'Keep the chosen date after an error' }),
];
const ISSUES = [
  issueNode(20, { labels: ['bug'], title: 'Date picker forgets the month' }),
  issueNode(21, { stateReason: 'NOT_PLANNED', title: 'Add a fax channel' }),
  issueNode(22, { labels: ['documentation'], title: 'Explain who can book' }),
];

describe('a release published when a milestone closes', () => {
  it('takes its tag from a title that is a version, and lists merged pull requests and closed issues', async () => {
    expect(milestone.title).toBe('v1.0');
    mockMilestone({ title: milestone.title, releases: [V0_9_0], pulls: PULLS, issues: ISSUES });
    mockCreate(OWNER, REPO, 201, 6001);
    const outcome = await milestoneRelease(context(), milestone);
    expect(outcome).toMatchObject({
      action: 'published',
      tag: 'v1.0.0',
      name: 'v1.0.0',
      draft: false,
      id: 6001,
    });
    expect(outcome.pullRequests).toBe(2);
    expect(sentBodies[0]!.body).toMatchObject({
      tag_name: 'v1.0.0',
      name: 'v1.0.0',
      draft: false,
      target_commitish: HEAD,
    });
    expect(outcome.body).toContain(
      [
        '## New features',
        '',
        '- Show clinics on a map (#12) by @priya-shah-nhs',
        '',
        '## Bug fixes',
        '',
        '- Keep the chosen date after an error (#13) by @priya-shah-nhs',
        '- Date picker forgets the month (#20) by @sam-jones-gds',
        '',
        '## Documentation',
        '',
        '- Explain who can book (#22) by @sam-jones-gds',
      ].join('\n'),
    );
    // Closed as not planned: nothing was delivered.
    expect(outcome.body).not.toContain('(#21)');
    // Both spellings of the tag were looked up, so a release made before is found whichever the repository uses.
    expect(sentQueries[0]!.variables).toMatchObject({ tag: 'v1.0.0', plainTag: '1.0.0', withTag: true });
    expect(requests().count()).toBe(2);
  });

  it('keeps the repository tag style for a title without a v', async () => {
    const plain = releaseNode({ tagName: '0.9.0', databaseId: 40 });
    mockMilestone({ title: '1.4', releases: [plain], pulls: PULLS, issues: [] });
    mockCreate(OWNER, REPO);
    const outcome = await milestoneRelease(context(), { number: 3, title: '1.4' });
    expect(outcome.tag).toBe('1.4.0');
  });

  it('works out the next version when the title is not a version', async () => {
    mockMilestone({ title: 'Private beta', releases: [V0_9_0], pulls: PULLS, issues: ISSUES });
    mockCreate(OWNER, REPO);
    const outcome = await milestoneRelease(context(), { number: 4, title: 'Private beta' });
    expect(outcome).toMatchObject({ action: 'published', tag: 'v0.10.0', name: 'Private beta (v0.10.0)' });
    expect(sentQueries[0]!.variables).toMatchObject({ withTag: false });
  });

  it('adds the artefact changes since the release before', async () => {
    const before = fixtureSnapshot('before');
    mockMilestone({ title: milestone.title, releases: [V0_9_0], pulls: PULLS, issues: [] });
    mockArtefactsAt(
      RELEASE_OID,
      Object.fromEntries(before.files().map((path) => [path, (before.read(path) as { text: string }).text])),
    );
    mockTreeAt(OWNER, REPO, RELEASE_OID, before.files());
    mockCreate(OWNER, REPO);
    const outcome = await milestoneRelease(context({ checkout: fixtureSnapshot('after', HEAD) }), milestone);
    expect(outcome.body).toContain('### Incidents resolved');
    expect(outcome.body).toContain('### Decisions accepted');
  });

  it('updates the release it made when the milestone is reopened and closed again', async () => {
    mockMilestone({ title: milestone.title, releases: [V0_9_0], pulls: PULLS, issues: ISSUES });
    mockCreate(OWNER, REPO, 201, 6001);
    const first = await milestoneRelease(context(), milestone);

    // Reopened, one more pull request merged into it, closed again.
    const made = releaseNode({
      tagName: 'v1.0.0',
      databaseId: 6001,
      createdAt: '2026-11-01T09:00:00Z',
      description: first.body,
    });
    const more = [...PULLS, pullNode(14, 50, { labels: ['bug'], title: 'Clinic names read in full' })];
    mockMilestone({
      title: milestone.title,
      releases: [made, V0_9_0],
      pulls: more,
      issues: ISSUES,
      byTag: made,
    });
    mockUpdate(OWNER, REPO, 6001);
    const second = await milestoneRelease(context(), milestone);
    expect(second).toMatchObject({ action: 'updated', tag: 'v1.0.0', id: 6001 });
    expect(second.body).toContain('(#14)');
    expect(sentBodies.map((sent) => sent.method)).toEqual(['POST', 'PATCH']);
    expect(sentBodies[1]!.body).toMatchObject({ tag_name: 'v1.0.0', draft: false });

    // Closed a third time with nothing new: nothing is written.
    const updated = { ...made, description: second.body };
    mockMilestone({
      title: milestone.title,
      releases: [updated, V0_9_0],
      pulls: more,
      issues: ISSUES,
      byTag: updated,
    });
    const third = await milestoneRelease(context(), milestone);
    expect(third.action).toBe('unchanged');
    expect(sentBodies).toHaveLength(2);
  });

  it('does not take a version already tagged with git alone for a milestone without a version', async () => {
    mockMilestone({
      title: 'Private beta',
      releases: [V0_9_0],
      tags: ['v0.10.0', 'v0.9.0'],
      pulls: PULLS,
      issues: [],
    });
    mockCreate(OWNER, REPO);
    const outcome = await milestoneRelease(context(), { number: 4, title: 'Private beta' });
    expect(outcome.tag).toBe('v0.11.0');
  });

  it('keeps the version it chose for a milestone without a version in its title', async () => {
    mockMilestone({ title: 'Private beta', releases: [V0_9_0], pulls: PULLS, issues: [] });
    mockCreate(OWNER, REPO, 201, 6002);
    const first = await milestoneRelease(context(), { number: 4, title: 'Private beta' });
    expect(first.tag).toBe('v0.10.0');

    // Its own release is now the latest: the tag must not move on to v0.11.0.
    const made = releaseNode({
      tagName: 'v0.10.0',
      name: first.name,
      databaseId: 6002,
      createdAt: '2026-11-01T09:00:00Z',
      description: first.body,
    });
    mockMilestone({ title: 'Private beta', releases: [made, V0_9_0], pulls: PULLS, issues: [] });
    const again = await milestoneRelease(context(), { number: 4, title: 'Private beta' });
    expect(again).toMatchObject({ action: 'unchanged', tag: 'v0.10.0', id: 6002 });
  });

  it('pages through a milestone of 150 pull requests and 120 issues, each list on its own', async () => {
    const pulls = Array.from({ length: 150 }, (_, i) => pullNode(100 + i, i));
    const issues = Array.from({ length: 120 }, (_, i) => issueNode(400 + i));
    mockMilestone({ title: milestone.title, releases: [V0_9_0], pulls, issues, times: 2 });
    mockCreate(OWNER, REPO);
    const outcome = await milestoneRelease(context(), milestone);
    expect(outcome.pullRequests).toBe(150);
    for (const number of [100, 249, 400, 519]) expect(outcome.body).toContain(`(#${number})`);
    expect(sentQueries.map((query) => query.variables)).toMatchObject([
      { withPulls: true, withIssues: true, withReleases: true },
      {
        withPulls: true,
        pullsCursor: 'cursor:100',
        withIssues: true,
        issuesCursor: 'cursor:100',
        withReleases: false,
      },
    ]);
    expect(requests().count()).toBe(3);
  });

  it('publishes nothing when GitHub fails on the second page of the milestone', async () => {
    const pulls = Array.from({ length: 150 }, (_, i) => pullNode(100 + i, i));
    mockMilestone({ title: milestone.title, releases: [V0_9_0], pulls, issues: [] });
    graphql('OpenlyMilestone', () => ({ data: null }), 1, 502);
    const error = await milestoneRelease(context(), milestone).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('GitHub failed while reading milestone 1 (502)');
    expect(sentBodies).toEqual([]);
  });

  it('leaves a release someone made by hand under the same tag as it is, and says so', async () => {
    const theirs = releaseNode({
      tagName: 'v1.0.0',
      databaseId: 70,
      description: 'Hand-written notes for our first release.',
    });
    mockMilestone({
      title: milestone.title,
      releases: [theirs, V0_9_0],
      pulls: PULLS,
      issues: [],
      byTag: theirs,
    });
    const error = await milestoneRelease(context(), milestone).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('v1.0.0');
    expect((error as Error).message).toContain('not made by Openly');
    expect(sentBodies).toEqual([]);
  });

  it('names "issues: read" when GitHub hides the milestone\'s issues from the token', async () => {
    graphql('OpenlyMilestone', () => ({
      // Milestone.issues cannot be null, so GitHub nulls the milestone it belongs to.
      data: {
        repository: {
          milestone: null,
          latestRelease: V0_9_0,
          releases: { nodes: [V0_9_0] },
          byTag: null,
          byPlainTag: null,
        },
      },
      errors: [
        {
          type: 'FORBIDDEN',
          path: ['repository', 'milestone', 'issues'],
          message: 'Resource not accessible by integration',
          locations: [{ line: 3, column: 5 }],
        },
      ],
    }));
    const error = await milestoneRelease(context(), milestone).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('lacks the "issues: read" permission');
    expect((error as Error).message).not.toContain('pull-requests');
    expect(sentBodies).toEqual([]);
  });

  it('names the missing permission, and publishes nothing, when the token cannot write', async () => {
    mockMilestone({ title: milestone.title, releases: [V0_9_0], pulls: PULLS, issues: [] });
    mockCreate(OWNER, REPO, 403);
    const error = await milestoneRelease(context(), milestone).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toMatch(/contents: write/);
  });
});

describe('the version a milestone release takes', () => {
  it('publishes a milestone titled as a pre-release as a pre-release, so it does not become the latest', async () => {
    mockMilestone({ title: '1.4.0-beta.1', releases: [V0_9_0], pulls: PULLS, issues: [] });
    mockCreate(OWNER, REPO);
    const outcome = await milestoneRelease(context(), { number: 7, title: '1.4.0-beta.1' });
    expect(outcome.tag).toBe('v1.4.0-beta.1');
    expect(sentBodies[0]!.body).toMatchObject({ tag_name: 'v1.4.0-beta.1', draft: false, prerelease: true });
  });

  it('publishes a milestone titled as a release as a full release', async () => {
    mockMilestone({ title: 'Release 2.0', releases: [V0_9_0], pulls: PULLS, issues: [] });
    mockCreate(OWNER, REPO);
    const outcome = await milestoneRelease(context(), { number: 8, title: 'Release 2.0' });
    expect(outcome.tag).toBe('v2.0.0');
    expect(sentBodies[0]!.body).toMatchObject({ tag_name: 'v2.0.0', prerelease: false });
  });

  it('counts a backport milestone from the release below its version, not from a newer one', async () => {
    const v130 = releaseNode({ tagName: 'v1.3.0', databaseId: 60, createdAt: '2026-10-20T09:00:00Z' });
    const v124 = releaseNode({ tagName: 'v1.2.4', databaseId: 61 });
    mockMilestone({ title: 'v1.2.5', releases: [v130, v124], pulls: PULLS, issues: [] });
    mockCreate(OWNER, REPO);
    const outcome = await milestoneRelease(
      context({ config: resolveReleaseNotesConfig({ header: 'Since $PREVIOUS_TAG.' }) }),
      { number: 9, title: 'v1.2.5' },
    );
    expect(outcome.tag).toBe('v1.2.5');
    expect(outcome.body).toContain('Since v1.2.4.');
  });
});

describe('a milestone whose version Openly has drafted', () => {
  const PATCH = '/repos/{owner}/{repo}/releases/{release_id}';
  // The real payload's milestone, closed with the title of the version the draft was kept for.
  const v130 = { ...milestone, title: 'v1.3.0' };
  const V1_2_0 = releaseNode({ tagName: 'v1.2.0', databaseId: 50 });
  const drafted = (tagName: string, fields: Partial<Parameters<typeof releaseNode>[0]> = {}) =>
    releaseNode({
      tagName,
      isDraft: true,
      databaseId: 88,
      createdAt: '2026-10-20T09:00:00Z',
      description: `## Bug fixes\n\n- Fix it (#7) by @priya-shah-nhs\n\n${DRAFT_MARKER} at ${HEAD}, listing 1 pull requests -->`,
      ...fields,
    });
  const DRAFT = drafted('v1.3.0');
  const withTag = (github: ReturnType<typeof fakeReleases>, tag: string) =>
    github.nodes.filter((node) => node.tagName === tag);

  it("publishes Openly's draft with the milestone's notes, leaving one release for the tag and no draft", async () => {
    const github = fakeReleases([DRAFT, V1_2_0]);
    mockMilestone({ title: v130.title, releases: github, pulls: PULLS, issues: ISSUES });
    mockUpdate(OWNER, REPO, 88);
    const outcome = await milestoneRelease(context(), v130);
    expect(outcome).toMatchObject({
      action: 'published',
      tag: 'v1.3.0',
      name: 'v1.3.0',
      draft: false,
      id: 88,
    });
    // The milestone's notes (its closed issues too), not the draft's, and marked as the milestone's release.
    expect(outcome.body).toContain('- Date picker forgets the month (#20) by @sam-jones-gds');
    expect(outcome.body).not.toContain('Fix it (#7)');
    expect(outcome.body).not.toContain(DRAFT_MARKER);
    expect(sentBodies).toEqual([
      {
        method: 'PATCH',
        path: PATCH,
        body: {
          tag_name: 'v1.3.0',
          target_commitish: HEAD,
          name: 'v1.3.0',
          body: outcome.body,
          draft: false,
          prerelease: false,
        },
      },
    ]);
    expect(withTag(github, 'v1.3.0')).toMatchObject([
      { databaseId: 88, isDraft: false, description: outcome.body },
    ]);
    expect(github.nodes.filter((node) => node.isDraft)).toEqual([]);
    expect(requests().count()).toBe(2);

    // Run again (the job re-run, or the milestone closed twice): nothing to write.
    mockMilestone({ title: v130.title, releases: github, pulls: PULLS, issues: ISSUES });
    const again = await milestoneRelease(context(), v130);
    expect(again).toMatchObject({ action: 'unchanged', tag: 'v1.3.0', id: 88 });
    expect(sentBodies).toHaveLength(1);
  });

  it.each([
    ['before changing anything', false, 'published', 2],
    ['after publishing the draft', true, 'unchanged', 1],
  ] as const)(
    'finishes the job on a re-run when GitHub failed with 500 %s',
    async (_when, applied, action, writes) => {
      const github = fakeReleases([DRAFT, V1_2_0]);
      mockMilestone({ title: v130.title, releases: github, pulls: PULLS, issues: ISSUES });
      mockUpdate(OWNER, REPO, 88, 500, { applied });
      const error = await milestoneRelease(context(), v130).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ReleaseError);
      expect((error as Error).message).toContain(
        "GitHub failed while publishing release v1.3.0 from Openly's draft (500)",
      );
      expect((error as Error).message).toContain('running again finishes the job');

      mockMilestone({ title: v130.title, releases: github, pulls: PULLS, issues: ISSUES });
      if (!applied) mockUpdate(OWNER, REPO, 88);
      const rerun = await milestoneRelease(context(), v130);
      expect(rerun).toMatchObject({ action, tag: 'v1.3.0', id: 88 });
      expect(sentBodies).toHaveLength(writes);
      expect(withTag(github, 'v1.3.0')).toMatchObject([{ databaseId: 88, isDraft: false }]);
      expect(withTag(github, 'v1.3.0')[0]!.description).toBe(rerun.body);
    },
  );

  it('finds the draft past the first page of releases, paging through the rest', async () => {
    // 120 releases made since the draft was started: it is on the second page of 100.
    const since = Array.from({ length: 120 }, (_, i) =>
      releaseNode({
        tagName: `v1.2.${i + 1}`,
        databaseId: 200 + i,
        createdAt: new Date(Date.parse('2026-10-21T09:00:00Z') + i * 3_600_000).toISOString(),
      }),
    );
    const github = fakeReleases([...since, DRAFT, V1_2_0]);
    mockMilestone({ title: v130.title, releases: github, pulls: PULLS, issues: [] });
    mockListReleases(OWNER, REPO, 2);
    mockUpdate(OWNER, REPO, 88);
    const outcome = await milestoneRelease(context(), v130);
    expect(outcome).toMatchObject({ action: 'published', id: 88 });
    expect(withTag(github, 'v1.3.0')).toHaveLength(1);
    expect(requests().count()).toBe(4);
  });

  it('takes over the draft in the other tag style, or for a milestone without a version in its title', async () => {
    const plain = fakeReleases([drafted('1.3.0'), V1_2_0]);
    mockMilestone({ title: v130.title, releases: plain, pulls: PULLS, issues: [] });
    mockUpdate(OWNER, REPO, 88);
    expect(await milestoneRelease(context(), v130)).toMatchObject({
      action: 'published',
      tag: 'v1.3.0',
      id: 88,
    });
    expect(plain.nodes.map((node) => [node.tagName, node.isDraft])).toEqual([
      ['v1.3.0', false],
      ['v1.2.0', false],
    ]);

    // "Private beta" works out the same next version the draft has (a feature since v1.2.0).
    const beta = fakeReleases([DRAFT, V1_2_0]);
    mockMilestone({ title: 'Private beta', releases: beta, pulls: PULLS, issues: [] });
    mockUpdate(OWNER, REPO, 88);
    const outcome = await milestoneRelease(context(), { ...milestone, title: 'Private beta' });
    expect(outcome).toMatchObject({
      action: 'published',
      tag: 'v1.3.0',
      name: 'Private beta (v1.3.0)',
      id: 88,
    });
    expect(withTag(beta, 'v1.3.0')).toMatchObject([{ isDraft: false, name: 'Private beta (v1.3.0)' }]);
  });

  it('says what it would do in a dry run, and writes nothing', async () => {
    mockMilestone({ title: v130.title, releases: fakeReleases([DRAFT, V1_2_0]), pulls: PULLS, issues: [] });
    const outcome = await milestoneRelease(context({ dryRun: true }), v130);
    expect(outcome).toMatchObject({ action: 'dry-run', tag: 'v1.3.0', id: 88 });
    expect(sentBodies).toEqual([]);
  });

  it('leaves a draft of the version written by hand alone, publishes nothing, and says what to do', async () => {
    const theirs = drafted('v1.3.0', { description: 'Our launch notes, still being written.' });
    const github = fakeReleases([theirs, V1_2_0]);
    mockMilestone({ title: v130.title, releases: github, pulls: PULLS, issues: [] });
    const error = await milestoneRelease(context(), v130).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('A draft release v1.3.0');
    expect((error as Error).message).toContain('not drafted by Openly');
    expect((error as Error).message).toContain('Publish or delete it');
    expect(sentBodies).toEqual([]);
  });

  it('leaves a draft of another version as it is, and publishing it stays safe until the next push', async () => {
    // A backport: v1.2.1 is released beside the v1.3.0 draft, which can still be published afterwards.
    const github = fakeReleases([DRAFT, V1_2_0]);
    mockMilestone({ title: 'v1.2.1', releases: github, pulls: PULLS, issues: [] });
    mockCreate(OWNER, REPO, 201, 6010);
    const backport = await milestoneRelease(context(), { ...milestone, title: 'v1.2.1' });
    expect(backport).toMatchObject({ action: 'published', tag: 'v1.2.1', id: 6010 });
    expect(github.find(88)).toEqual(DRAFT);
    mockDraftState({ releases: github, pulls: [] });
    mockUpdate(OWNER, REPO, 88);
    expect(await publishDraft(context())).toMatchObject({ action: 'published', tag: 'v1.3.0' });

    // A milestone past the draft: v1.4.0 is released, and the stale v1.3.0 draft is not published by hand.
    const ahead = fakeReleases([DRAFT, V1_2_0]);
    mockMilestone({ title: 'v1.4.0', releases: ahead, pulls: PULLS, issues: [] });
    mockCreate(OWNER, REPO, 201, 6011);
    await milestoneRelease(context(), { ...milestone, title: 'v1.4.0' });
    expect(ahead.find(88)).toEqual(DRAFT);
    mockDraftState({ releases: ahead, pulls: [] });
    const error = await publishDraft(context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('v1.3.0 is not above v1.4.0');
    expect(sentBodies.map((sent) => sent.method)).toEqual(['POST', 'PATCH', 'POST']);
  });

  it('says so plainly when GitHub refuses the tag because another release took it meanwhile', async () => {
    mockMilestone({ title: v130.title, releases: [V1_2_0], pulls: PULLS, issues: [] });
    // Another run published v1.3.0 between this run's read and its write.
    fakeReleases([releaseNode({ tagName: 'v1.3.0', databaseId: 90 }), V1_2_0]);
    mockCreate(OWNER, REPO);
    const error = await milestoneRelease(context(), v130).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as ReleaseError).status).toBe(422);
    expect((error as Error).message).toContain('another release already has the tag v1.3.0');
    expect((error as Error).message).toContain('running the job again');
  });
});

describe('publishing the draft by hand', () => {
  const draft = releaseNode({
    tagName: 'v1.3.0',
    isDraft: true,
    databaseId: 88,
    description: `## Bug fixes\n\n- Fix it (#7) by @priya-shah-nhs\n\n${DRAFT_MARKER} at ${HEAD}, listing 1 pull requests -->`,
  });

  it("publishes Openly's draft as it stands", async () => {
    mockDraftState({ releases: [draft, V0_9_0], pulls: [] });
    mockUpdate(OWNER, REPO, 88);
    const outcome = await publishDraft(context());
    expect(outcome).toMatchObject({
      action: 'published',
      tag: 'v1.3.0',
      draft: false,
      pullRequests: 1,
      id: 88,
    });
    expect(sentBodies).toEqual([
      { method: 'PATCH', path: '/repos/{owner}/{repo}/releases/{release_id}', body: { draft: false } },
    ]);
    expect(sentQueries[0]!.variables).toMatchObject({ withPulls: false });
  });

  it('says the token needs contents: write when GitHub lists it no drafts', async () => {
    // Without push access, GitHub lists the published releases only.
    mockDraftState({ releases: fakeReleases([draft, V0_9_0], { push: false }), pulls: [] });
    const error = await publishDraft(context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('no draft release to publish');
    expect((error as Error).message).toContain('contents: write');
    expect(sentBodies).toEqual([]);
  });

  it('says there is nothing to publish when there is no draft', async () => {
    mockDraftState({ releases: [V0_9_0], pulls: [] });
    const error = await publishDraft(context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('no draft release to publish');
  });

  it('leaves a draft written by hand alone, and says so, when Openly has no draft', async () => {
    const handWritten = releaseNode({
      tagName: 'v2.0.0',
      isDraft: true,
      databaseId: 89,
      description: 'Our plan for the big launch',
    });
    mockDraftState({ releases: [handWritten, V0_9_0], pulls: [] });
    const error = await publishDraft(context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('no draft release to publish');
    expect((error as Error).message).toContain('v2.0.0');
    expect(sentBodies).toEqual([]);
  });

  it('publishes nothing when a release has taken the draft tag since, and says what to do', async () => {
    const taken = releaseNode({ tagName: 'v1.3.0', databaseId: 90, createdAt: '2026-11-02T09:00:00Z' });
    mockDraftState({ releases: [taken, draft, V0_9_0], pulls: [] });
    const error = await publishDraft(context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toMatch(/v1\.3\.0 is already published/);
    expect((error as Error).message).toContain('push');
    expect(sentBodies).toEqual([]);
  });

  it('writes nothing when the draft was already published by an earlier run', async () => {
    const done = { ...draft, isDraft: false, publishedAt: '2026-11-20T10:00:00Z' };
    mockDraftState({ releases: [done], latest: done, pulls: [] });
    const outcome = await publishDraft(context());
    expect(outcome).toMatchObject({ action: 'unchanged', tag: 'v1.3.0' });
  });

  it('leaves the draft a draft when GitHub fails', async () => {
    mockDraftState({ releases: [draft], pulls: [] });
    mockUpdate(OWNER, REPO, 88, 500);
    const error = await publishDraft(context()).catch((caught: unknown) => caught);
    expect((error as Error).message).toContain('GitHub failed while publishing release v1.3.0 (500)');
  });
});
