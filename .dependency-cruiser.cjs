// The layers of src/, enforced by `npm run lint` (dependency-cruiser). ARCHITECTURE.md draws the house; this file
// keeps it true. An import may only point down:
//
//   doors      app/  action/  cli/      translate an event, an Action run or argv; nothing imports a door but itself
//   workflows  release/  org/  queue/   read GitHub, judge, and write through the sinks (queue/: the audit on BullMQ)
//   sinks      sinks/                   write a report or a status out (check run, SARIF, Markdown, pages)
//   models     status/  docs/  init/    what the sinks render (and the files init writes), built from reports and snapshots
//   checks     checks/                  one file (or folder) per check and the registry
//   readers    sources/  github/        sources build snapshots; github/ is the one Octokit, counter and wording
//                                       of failures, for everything that talks to GitHub
//   basics     parse/ licences/ artefacts/ config/   pure libraries the checks are made of
//   core       core/ and sources/snapshot.ts        the engine, the report, the Check and RepoSnapshot contracts
//
// Why: the core judges a snapshot without knowing which door called it, so the same verdict comes out of the
// App, the Action and the CLI; a check asks its snapshot and never GitHub or the disk, so it can be tested in
// memory; a door only translates, so no door's behaviour leaks into another. sources/snapshot.ts is the
// RepoSnapshot interface that every layer is written against: it imports nothing and counts as core, although it
// lives beside the sources that implement it.
//
// Within a layer, folders may import each other; `no-circular` keeps them from going round in a loop. Sinks may
// name the types of the workflows whose results they render (an organisation audit), but not call them.

const CORE = '^src/(core/|sources/snapshot[.]ts$)';
const BASICS = '^src/(parse|licences|artefacts|config)/';
const LAYERED =
  '^src/(core|parse|licences|artefacts|config|checks|sources|github|status|docs|init|sinks|release|org|queue|app|action|cli)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A loop of imports has no bottom layer to test or read first; break it by moving the shared part down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-the-floor',
      severity: 'error',
      comment: 'The core imports only the core and Node built-ins: it is what every other layer stands on.',
      from: { path: CORE },
      to: { pathNot: CORE, dependencyTypesNot: ['core'] },
    },
    {
      name: 'basics-stay-below-checks',
      severity: 'error',
      comment:
        'parse, licences, artefacts and config are libraries the checks use; they import the core and each other.',
      from: { path: BASICS },
      to: { path: '^src/', pathNot: `${CORE}|${BASICS}` },
    },
    {
      name: 'checks-ask-the-snapshot',
      severity: 'error',
      comment:
        'A check reads the repository through its RepoSnapshot, never a source, GitHub, a sink or a door, so that it judges alike whoever called it.',
      from: { path: '^src/checks/' },
      to: { path: '^src/', pathNot: `${CORE}|${BASICS}|^src/checks/` },
    },
    {
      name: 'sources-read-only',
      severity: 'error',
      comment: 'Sources build snapshots; they import no check, model, sink, workflow or door.',
      from: { path: '^src/sources/' },
      to: { path: '^src/(checks|status|docs|init|sinks|release|org|app|action|cli)/' },
    },
    {
      name: 'github-layer-stands-alone',
      severity: 'error',
      comment:
        'The one GitHub layer (Octokit, request counter, failure wording) imports only the core, so every reader and writer can use it.',
      from: { path: '^src/github/' },
      to: { path: '^src/', pathNot: `${CORE}|^src/github/` },
    },
    {
      name: 'github-only-for-readers-and-writers',
      severity: 'error',
      comment:
        'Only sources, sinks, workflows (release, org) and doors talk to GitHub; the core, checks and libraries never do.',
      from: { path: '^src/', pathNot: '^src/(github|sources|sinks|release|org|queue|app|action|cli)/' },
      to: { path: '^src/github/' },
    },
    {
      name: 'models-before-rendering',
      severity: 'error',
      comment:
        'status and docs are what the sinks render, init what a door writes: they import no sink, workflow or door.',
      from: { path: '^src/(status|docs|init)/' },
      to: { path: '^src/(sinks|release|org|app|action|cli)/' },
    },
    {
      name: 'sinks-only-write',
      severity: 'error',
      comment:
        'A sink writes what it is given; it calls no workflow and no door (it may name a workflow’s result types).',
      from: { path: '^src/sinks/' },
      to: { path: '^src/(release|org)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sinks-and-workflows-below-the-doors',
      severity: 'error',
      comment: 'Doors translate for sinks and workflows, never the other way round.',
      from: { path: '^src/(sinks|release|org|queue)/' },
      to: { path: '^src/(app|action|cli)/' },
    },
    {
      name: 'a-door-is-its-own',
      severity: 'error',
      comment:
        'Nothing imports a door but the door itself: what two doors share belongs in a layer below them.',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/(app|action|cli)/', pathNot: '^src/$1/' },
    },
    {
      name: 'every-folder-has-a-layer',
      severity: 'error',
      comment:
        'A new folder under src/ needs its place in .dependency-cruiser.cjs before it imports anything.',
      from: { path: '^src/', pathNot: LAYERED },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from above ties a layer to it as surely as a value does.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
