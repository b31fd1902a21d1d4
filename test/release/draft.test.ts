import { MemorySnapshot } from '../../src/sources/memory.js';
import { describe, expect, it } from 'vitest';
import {
  draftReleaseNotes,
  DRAFT_MARKER,
  ReleaseError,
  resolveReleaseNotesConfig,
} from '../../src/release/index.js';
import { fixtureSnapshot } from './fixtures.js';
import {
  example,
  graphql,
  mockArtefactsAt,
  mockCreate,
  mockDraftState,
  mockTreeAt,
  mockUpdate,
  pullNode,
  releaseNode,
  sentBodies,
  sentQueries,
  TOKEN,
  releaseHarness,
} from './github-mock.js';

// GitHub's own push example: a push to the default branch of Codertocat/Hello-World.
const push = example('push', (payload) => payload.ref === 'refs/heads/master');
const repository = push.repository as { name: string; owner: { login: string }; default_branch: string };
const OWNER = repository.owner.login;
const REPO = repository.name;
const HEAD = push.after as string;
const RELEASE_OID = 'a1'.repeat(20);

const { context, requests } = releaseHarness({
  owner: OWNER,
  repo: REPO,
  defaultBranch: repository.default_branch,
  headSha: HEAD,
});

const V1_2_3 = releaseNode({ tagName: 'v1.2.3', databaseId: 41 });

describe('the draft kept on a push to the default branch', () => {
  it('starts at the first version when the repository has no releases yet', async () => {
    mockDraftState({
      releases: [],
      pulls: [
        pullNode(3, -60, { labels: ['bug'], title: 'Fix the clinic map on small screens' }),
        pullNode(2, -120, { labels: ['enhancement'], title: 'Book for someone you care for' }),
        pullNode(1, -180, {
          title: 'Tidy the build',
          author: { login: 'dependabot', url: 'https://github.com/apps/dependabot' },
        }),
      ],
    });
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(context());
    expect(outcome).toMatchObject({
      action: 'created',
      tag: 'v0.1.0',
      draft: true,
      pullRequests: 3,
      id: 5555,
    });
    expect(sentBodies).toHaveLength(1);
    const sent = sentBodies[0]!.body;
    expect(sent).toMatchObject({ tag_name: 'v0.1.0', name: 'v0.1.0', draft: true, target_commitish: HEAD });
    expect(sent.body).toBe(outcome.body);
    expect(outcome.body).toContain(
      [
        '## New features',
        '',
        '- Book for someone you care for (#2) by @priya-shah-nhs',
        '',
        '## Bug fixes',
        '',
        '- Fix the clinic map on small screens (#3) by @priya-shah-nhs',
        '',
        '## Other changes',
        '',
        // GitHub names an app's bot without `[bot]`: as a mention, `@dependabot` would be someone else.
        '- Tidy the build (#1) by @&#8203;dependabot\\[bot\\]',
      ].join('\n'),
    );
    expect(outcome.body).toContain('## Contributors\n\n@&#8203;dependabot\\[bot\\], @priya-shah-nhs');
    expect(outcome.body).not.toContain('No changes');
    expect(requests().count()).toBe(2);
  });

  it('lists 500 pull requests merged since the last release in at most 10 requests', async () => {
    const pulls = Array.from({ length: 500 }, (_, i) =>
      pullNode(1000 + i, 10 + i, { labels: i === 250 ? ['enhancement'] : i % 3 === 0 ? ['bug'] : [] }),
    );
    // Merged before v1.2.3: these must not be listed, and reading must stop soon after reaching them.
    const older = Array.from({ length: 150 }, (_, i) => pullNode(500 + i, -10 - i));
    mockDraftState({ releases: [V1_2_3], pulls: [...pulls, ...older], pages: 5 });
    // Every artefact is new since v1.2.3, so where the artefacts were then is listed too: none were.
    mockArtefactsAt(RELEASE_OID, {});
    mockTreeAt(OWNER, REPO, RELEASE_OID, ['README.md']);
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(context({ checkout: fixtureSnapshot('after', HEAD) }));
    expect(outcome.action).toBe('created');
    expect(outcome.tag).toBe('v1.3.0');
    expect(outcome.pullRequests).toBe(500);
    for (const number of [1000, 1250, 1499]) expect(outcome.body).toContain(`(#${number})`);
    expect(outcome.body).not.toContain('(#500)');
    expect(requests().count()).toBeLessThanOrEqual(10);
    expect(requests().byRoute()).toEqual({
      'POST /graphql OpenlyReleaseState': 1,
      'POST /graphql OpenlyMergedPullRequests': 5,
      'POST /graphql OpenlyReleaseArtefacts': 1,
      'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': 1,
      'POST /repos/{owner}/{repo}/releases': 1,
    });
  });

  it('lists an old pull request commented on lately only if it was merged after the release', async () => {
    mockDraftState({
      releases: [V1_2_3],
      pulls: [
        pullNode(7, 30),
        { ...pullNode(4, -600), updatedAt: '2026-11-01T10:00:00Z' },
        pullNode(3, -700),
      ],
    });
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(context());
    expect(outcome.body).toContain('(#7)');
    expect(outcome.body).not.toContain('(#4)');
    expect(outcome.tag).toBe('v1.2.4');
  });

  it('says what changed in the artefacts since the last release', async () => {
    const before = fixtureSnapshot('before');
    mockDraftState({ releases: [V1_2_3], pulls: [pullNode(9, 20, { labels: ['documentation'] })] });
    mockArtefactsAt(
      RELEASE_OID,
      Object.fromEntries(before.files().map((path) => [path, (before.read(path) as { text: string }).text])),
    );
    mockTreeAt(OWNER, REPO, RELEASE_OID, before.files());
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(context({ checkout: fixtureSnapshot('after', HEAD) }));
    const body = outcome.body;
    expect(body).toContain('## Open-working artefacts');
    expect(body).toContain(
      '### Risks added\n\n- R-004: Carer books for the wrong person &lt;script&gt;alert\\(1\\)&lt;/script&gt; (governance/risk-register.yaml)',
    );
    expect(body).toContain('### Risks closed\n\n- R-001: Text message supplier outage stops reminders');
    expect(body).toContain('### Incidents resolved\n\n- INC-2026-004: Reminders not sent for two hours');
    expect(body).toContain('### Decisions accepted\n\n- ADR-007: Use GOV.UK Notify for reminders');
    expect(body).toContain('- Welsh language version (new since the last release) (roadmap.yaml)');
    expect(body).not.toContain('<script>');
    // Only the artefacts present now were asked for, at the release's commit.
    const asked = sentQueries.find((query) => query.operation === 'OpenlyReleaseArtefacts')!.variables;
    expect(Object.values(asked).filter((value) => String(value).startsWith(`${RELEASE_OID}:`))).toHaveLength(
      7,
    );
  });

  it('leaves out artefacts the configuration excludes, and does not ask GitHub for them', async () => {
    mockDraftState({ releases: [V1_2_3], pulls: [pullNode(9, 20)] });
    mockArtefactsAt(RELEASE_OID, {});
    // An older decision record was there then; excluded, it is not asked for either.
    mockTreeAt(OWNER, REPO, RELEASE_OID, ['docs/adr/0001-record-decisions.md', 'README.md']);
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(
      context({ checkout: fixtureSnapshot('after', HEAD), exclude: ['docs/adr/**', 'incidents/**'] }),
    );
    expect(outcome.body).toContain('### Risks added');
    expect(outcome.body).not.toContain('Decisions accepted');
    expect(outcome.body).not.toContain('Incidents resolved');
    const asked = sentQueries
      .filter((query) => query.operation === 'OpenlyReleaseArtefacts')
      .flatMap((query) => Object.values(query.variables));
    expect(asked.filter((value) => String(value).includes('docs/adr/'))).toEqual([]);
  });

  it('changes nothing when run twice on the same commit', async () => {
    mockDraftState({ releases: [V1_2_3], pulls: [pullNode(7, 30, { labels: ['bug'] })] });
    mockCreate(OWNER, REPO);
    const first = await draftReleaseNotes(context());
    expect(first.action).toBe('created');

    const draft = releaseNode({
      tagName: first.tag,
      isDraft: true,
      databaseId: 5555,
      description: first.body,
    });
    mockDraftState({ releases: [draft, V1_2_3], pulls: [pullNode(7, 30, { labels: ['bug'] })] });
    const second = await draftReleaseNotes(context());
    expect(second).toMatchObject({ action: 'unchanged', tag: 'v1.2.4', id: 5555, body: first.body });
    expect(sentBodies).toHaveLength(1);
    expect(requests().count()).toBe(1);
  });

  it('takes a draft GitHub gives back with CRLF line endings as the same text', async () => {
    mockDraftState({ releases: [V1_2_3], pulls: [pullNode(7, 30)] });
    const planned = await draftReleaseNotes(context({ dryRun: true }));
    const draft = releaseNode({
      tagName: planned.tag,
      isDraft: true,
      databaseId: 5555,
      description: planned.body.replace(/\n/g, '\r\n'),
    });
    mockDraftState({ releases: [draft, V1_2_3], pulls: [pullNode(7, 30)] });
    expect((await draftReleaseNotes(context())).action).toBe('unchanged');
    expect(sentBodies).toEqual([]);
  });

  it('updates its own draft when another pull request is merged, and leaves a hand-written draft alone', async () => {
    const own = releaseNode({
      tagName: 'v1.2.4',
      isDraft: true,
      databaseId: 77,
      description: `- old\n${DRAFT_MARKER} at ${'0'.repeat(40)} -->`,
    });
    const handWritten = releaseNode({
      tagName: 'v9.0.0',
      isDraft: true,
      databaseId: 78,
      description: 'Our big plan',
    });
    mockDraftState({
      releases: [handWritten, own, V1_2_3],
      pulls: [pullNode(8, 40, { labels: ['enhancement'] }), pullNode(7, 30, { labels: ['bug'] })],
    });
    mockUpdate(OWNER, REPO, 77);
    const outcome = await draftReleaseNotes(context());
    expect(outcome).toMatchObject({ action: 'updated', tag: 'v1.3.0', id: 77 });
    expect(sentBodies[0]!.body).toMatchObject({ tag_name: 'v1.3.0', draft: true, target_commitish: HEAD });
  });

  it('writes no draft beside a hand-written draft of the same version, and says what to do', async () => {
    const handWritten = releaseNode({
      tagName: 'v1.3.0',
      isDraft: true,
      databaseId: 78,
      description: 'Our launch notes, still being written.',
    });
    mockDraftState({
      releases: [handWritten, V1_2_3],
      pulls: [pullNode(8, 40, { labels: ['enhancement'] })],
    });
    const error = await draftReleaseNotes(context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('A draft release v1.3.0');
    expect((error as Error).message).toContain('was not created');
    expect(sentBodies).toEqual([]);
  });

  it('leaves out pull requests with an excluded label', async () => {
    mockDraftState({
      releases: [V1_2_3],
      pulls: [
        pullNode(8, 40, { labels: ['skip-changelog', 'breaking'] }),
        pullNode(7, 30, { labels: ['bug'] }),
      ],
    });
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(context());
    expect(outcome.body).not.toContain('(#8)');
    // An excluded pull request does not move the version either.
    expect(outcome.tag).toBe('v1.2.4');
    expect(outcome.pullRequests).toBe(1);
  });

  it('escapes Markdown and HTML in pull request titles', async () => {
    mockDraftState({
      releases: [V1_2_3],
      pulls: [
        pullNode(7, 30, {
          title: '<img src=x onerror=alert(1)> [click](https://evil.example) **now** @nhsengland/admins',
        }),
      ],
    });
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(context());
    const line = outcome.body.split('\n').find((text) => text.includes('(#7)'))!;
    expect(line).not.toContain('<img');
    expect(line).not.toContain('](https://evil.example)');
    expect(line).not.toContain('**now**');
    expect(line).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(line).not.toMatch(/@nhsengland\/admins/);
  });

  it('writes nothing on a dry run', async () => {
    mockDraftState({ releases: [V1_2_3], pulls: [pullNode(7, 30)] });
    const outcome = await draftReleaseNotes(context({ dryRun: true }));
    expect(outcome).toMatchObject({ action: 'dry-run', tag: 'v1.2.4', pullRequests: 1 });
    expect(sentBodies).toEqual([]);
  });

  it('names the missing permission when the token cannot write releases', async () => {
    mockDraftState({ releases: [V1_2_3], pulls: [pullNode(7, 30)] });
    mockCreate(OWNER, REPO, 403);
    const error = await draftReleaseNotes(context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as ReleaseError).status).toBe(403);
    expect((error as Error).message).toContain('contents: write');
    expect((error as Error).message).toContain('Resource not accessible by integration');
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('names the read permissions when GitHub hides the pull requests from the token', async () => {
    graphql('OpenlyReleaseState', () => ({
      data: { repository: null },
      errors: [
        {
          type: 'FORBIDDEN',
          path: ['repository'],
          message: 'Resource not accessible by integration',
          locations: [{ line: 2, column: 3 }],
        },
      ],
    }));
    const error = await draftReleaseNotes(context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('Resource not accessible by integration');
    expect((error as Error).message).toContain('"pull-requests: read"');
    expect(sentBodies).toEqual([]);
  });

  it('writes nothing when GitHub fails part-way through reading, and says so', async () => {
    const pulls = Array.from({ length: 300 }, (_, i) => pullNode(1000 + i, 10 + i));
    mockDraftState({ releases: [V1_2_3], pulls, pages: 1 });
    graphql('OpenlyMergedPullRequests', () => ({ data: null }), 1, 500);
    const error = await draftReleaseNotes(context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toMatch(/GitHub failed while reading merged pull requests \(500\)/);
    expect((error as Error).message).toContain('Nothing was written');
    expect(sentBodies).toEqual([]);
  });

  it('leaves the draft as it was when GitHub fails on the write, and a re-run finishes the job', async () => {
    const own = releaseNode({
      tagName: 'v1.2.4',
      isDraft: true,
      databaseId: 77,
      description: `${DRAFT_MARKER} at x -->`,
    });
    mockDraftState({ releases: [own, V1_2_3], pulls: [pullNode(7, 30)] });
    mockUpdate(OWNER, REPO, 77, 500);
    const error = await draftReleaseNotes(context()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReleaseError);
    expect((error as Error).message).toContain('running again finishes the job');

    mockDraftState({ releases: [own, V1_2_3], pulls: [pullNode(7, 30)] });
    mockUpdate(OWNER, REPO, 77);
    const outcome = await draftReleaseNotes(context());
    expect(outcome.action).toBe('updated');
    expect(sentBodies.map((sent) => sent.body.body)).toEqual([outcome.body, outcome.body]);
  });
});

describe('which release the draft counts from', () => {
  it('counts from the highest version, not from a later hotfix of an older line tagged on another branch', async () => {
    const v130 = releaseNode({ tagName: 'v1.3.0', databaseId: 50 });
    // v1.2.4 was cut from a maintenance branch ten days after v1.3.0: its commit is not on the default branch,
    // and GitHub calls it the latest, being the newest.
    const hotfix = releaseNode({
      tagName: 'v1.2.4',
      databaseId: 51,
      createdAt: '2026-10-11T09:00:00Z',
      publishedAt: '2026-10-11T09:00:00Z',
      tagCommit: {
        oid: 'c4'.repeat(20),
        committedDate: '2026-10-11T08:50:00Z',
        history: { nodes: [{ oid: 'c4'.repeat(20) }] },
      },
    });
    mockDraftState({
      releases: [hotfix, v130],
      latest: hotfix,
      pulls: [pullNode(31, 60 * 24 * 15), pullNode(30, 60 * 24 * 2, { labels: ['bug'] })],
    });
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(
      context({ config: resolveReleaseNotesConfig({ header: 'Since $PREVIOUS_TAG.' }) }),
    );
    // #30 was merged into the default branch after v1.3.0 and before the hotfix: it is in no release yet.
    expect(outcome.body).toContain('(#30)');
    expect(outcome.body).toContain('(#31)');
    expect(outcome.body).toContain('Since v1.3.0.');
    expect(outcome.tag).toBe('v1.3.1');
  });

  it('does not announce artefacts moved since the last release as new', async () => {
    // At v1.2.3 the repository was as `after`; since then the decision records and the register moved.
    const then = fixtureSnapshot('after');
    const text = (path: string) => (then.read(path) as { text: string }).text;
    const moved: Record<string, string> = {};
    for (const path of then.files()) {
      moved[
        path.replace(/^docs\/adr\//, 'docs/architecture/decisions/').replace('risk-register', 'hazard-log')
      ] = text(path);
    }
    mockDraftState({ releases: [V1_2_3], pulls: [pullNode(9, 20)] });
    // The first read finds the moved files absent at their new paths; the file list says where they were.
    mockArtefactsAt(RELEASE_OID, Object.fromEntries(then.files().map((path) => [path, text(path)])), 2);
    mockTreeAt(OWNER, REPO, RELEASE_OID, then.files());
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(context({ checkout: new MemorySnapshot(moved) }));
    expect(outcome.body).not.toContain('### Risks added');
    expect(outcome.body).not.toContain('### Risks closed');
    expect(outcome.body).not.toContain('### Decisions accepted');
    expect(outcome.body).not.toContain('new since the last release');
    const second = sentQueries.filter((query) => query.operation === 'OpenlyReleaseArtefacts')[1]!.variables;
    expect(
      Object.values(second)
        .filter((value) => String(value).startsWith(`${RELEASE_OID}:`))
        .sort(),
    ).toEqual([
      `${RELEASE_OID}:docs/adr/0007-use-gov-notify.md`,
      `${RELEASE_OID}:docs/adr/0008-store-bookings-in-postgres.md`,
      `${RELEASE_OID}:docs/adr/0009-drop-the-app.md`,
      `${RELEASE_OID}:governance/risk-register.yaml`,
    ]);
    expect(requests().count()).toBe(5);
  });

  it('drafts the release a pre-release was for, counting from the last full release', async () => {
    const rc = releaseNode({
      tagName: 'v2.0.0-rc.1',
      databaseId: 52,
      isPrerelease: true,
      createdAt: '2026-10-15T09:00:00Z',
      tagCommit: {
        oid: 'c5'.repeat(20),
        committedDate: '2026-10-15T08:50:00Z',
        history: { nodes: [{ oid: 'c5'.repeat(20) }] },
      },
    });
    mockDraftState({
      releases: [rc, V1_2_3],
      latest: V1_2_3,
      pulls: [pullNode(41, 60 * 24 * 20), pullNode(40, 60 * 24 * 3, { labels: ['enhancement'] })],
    });
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(
      context({ config: resolveReleaseNotesConfig({ header: 'Since $PREVIOUS_TAG.' }) }),
    );
    // Not v1.3.0, below the release candidate; and everything since v1.2.3, the candidate's changes too.
    expect(outcome.tag).toBe('v2.0.0');
    expect(outcome.body).toContain('Since v1.2.3.');
    expect(outcome.body).toContain('(#40)');
    expect(outcome.body).toContain('(#41)');
  });

  it('never drafts a version below a pre-release when there is no full release yet', async () => {
    const beta = releaseNode({ tagName: 'v1.0.0-beta.2', databaseId: 53, isPrerelease: true });
    mockDraftState({ releases: [beta], latest: null, pulls: [pullNode(42, 30)] });
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(context());
    expect(outcome.tag).toBe('v1.0.0');
  });

  it.each([
    ['bug', 'v1.3.1'],
    ['enhancement', 'v1.4.0'],
    ['breaking', 'v2.0.0'],
  ])(
    'bumps past the newest pre-release by the labels: a %s after v1.3.1-rc.10 drafts %s',
    async (label, tag) => {
      const candidate = (n: number) =>
        releaseNode({
          tagName: `v1.3.1-rc.${n}`,
          databaseId: 60 + n,
          isPrerelease: true,
          createdAt: `2026-10-${10 + n}T09:00:00Z`,
        });
      // Newest first, as GitHub lists them: rc.10 after rc.9 and rc.2, and above both though "rc.10" < "rc.2" as text.
      mockDraftState({
        releases: [candidate(10), candidate(9), candidate(2), V1_2_3],
        latest: V1_2_3,
        pulls: [pullNode(44, 30, { labels: [label] })],
      });
      mockCreate(OWNER, REPO);
      const outcome = await draftReleaseNotes(context());
      expect(outcome.tag).toBe(tag);
    },
  );

  it('works the version out over the git tags too, not only over the releases', async () => {
    // v1.3.0 was tagged with git alone. Worked out over the releases, the draft would be v1.3.0, and publishing
    // it would attach the notes to that old tag's commit rather than to the commit they describe.
    mockDraftState({
      releases: [V1_2_3],
      tags: ['v1.3.0', 'v1.2.9-rc.1', 'v1.2.3', 'nightly-2026-10-02'],
      pulls: [pullNode(43, 30, { labels: ['enhancement'] })],
    });
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(context());
    expect(outcome.tag).toBe('v1.4.0');
  });

  it('leaves out pull requests in the release that GitHub marked merged after its commit (a merge queue)', async () => {
    // The merge queue made the commits of #50 and #51 at 08:54 and 08:55 and marked both merged at 09:01; v1.2.3
    // tags the second, so both are in it. #52 was merged after the release.
    const first = pullNode(50, 1, { mergeCommit: { oid: 'd0'.repeat(20) } });
    const second = pullNode(51, 1, { mergeCommit: { oid: 'a1'.repeat(20) } });
    const released = releaseNode({
      tagName: 'v1.2.3',
      databaseId: 41,
      tagCommit: {
        oid: 'a1'.repeat(20),
        committedDate: '2026-10-01T08:55:00Z',
        history: { nodes: [{ oid: 'a1'.repeat(20) }, { oid: 'd0'.repeat(20) }, { oid: 'd1'.repeat(20) }] },
      },
    });
    mockDraftState({ releases: [released], pulls: [pullNode(52, 30), second, first] });
    mockCreate(OWNER, REPO);
    const outcome = await draftReleaseNotes(context());
    expect(outcome.body).toContain('(#52)');
    expect(outcome.body).not.toContain('(#51)');
    expect(outcome.body).not.toContain('(#50)');
    expect(outcome.pullRequests).toBe(1);
  });
});
