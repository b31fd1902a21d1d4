// The artefacts check over 20,000 generated artefacts in an in-memory snapshot: design history entries, decision
// records, weeknotes and incident reports in Markdown, data catalogue entries in YAML; about one in twenty with a
// mistake; block scalars, wrapped descriptions and one-line { } mappings here and there. Each run is a fresh node
// process, so that its time includes compiling the schemas it uses and its peak memory is its own. A second set
// of runs puts every file through the full YAML reader: the cost of front matter outside the fast reader's plain
// subset. Uses the built code: run `npm run build` first.
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const LIB = new URL('../lib/', import.meta.url);
const COUNT = Number(process.env.OPENLY_BENCH_ARTEFACTS ?? 20000);
const RUNS = 3;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const pad = (n, width) => String(n).padStart(width, '0');

function day(i) {
  const date = new Date(Date.UTC(2020, 0, 3) + (i % 1500) * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** A Friday, for weeknotes. */
function friday(i) {
  const date = new Date(Date.UTC(2020, 0, 3) + i * 7 * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** Path → text of `count` artefacts; `i % 20 === 7` gets a mistake. */
export function generateArtefacts(count, { fullReader = false } = {}) {
  const files = {};
  for (let i = 0; i < count; i++) {
    const broken = i % 20 === 7;
    const team = `team-${i % 50}`;
    switch (i % 5) {
      case 0: {
        const date = day(i);
        files[`design-history/${team}/${date}-change-${i}.md`] = [
          '---',
          `title: Change ${i} to the booking journey`,
          `date: ${broken ? '2024-02-30' : date}`,
          // One entry in ten has a folded description (a block scalar).
          i % 10 === 0
            ? 'description: >-\n  We tested a shorter journey\n  with people who book for someone they care for.'
            : // Wrapped onto a second line by hand, without > or |.
              i % 50 === 5
              ? 'description: We tested a shorter journey with people\n  who book for someone they care for.'
              : 'description: We tested a shorter journey with people who book for someone they care for.',
          'tags: [research, booking]',
          'authors:',
          '  - Interaction designer',
          '  - User researcher',
          // One entry in ten writes its screenshot as a one-line { } mapping.
          ...(i % 50 === 0
            ? [`screenshots: [{ src: /images/${date}/step-1.png, alt: The first step of the journey }]`]
            : [
                'screenshots:',
                `  - src: /images/${date}/step-1.png`,
                '    alt: The first step of the journey',
              ]),
          '---',
          '',
          '## What we found',
          '',
          'People wanted to see every step before starting.',
          '',
        ].join('\n');
        break;
      }
      case 1:
        files[`docs/adr/${pad(i, 5)}-decision-${i}.md`] = [
          '---',
          `id: ADR-${pad(i, 5)}`,
          `title: Decision ${i}`,
          `date: ${day(i)}`,
          `status: ${broken ? 'Sorted' : 'Accepted'}`,
          'deciders: [Lead developer, Technical architect]',
          '---',
          '',
          `# ADR-${pad(i, 5)}: Decision ${i}`,
          '',
          '## Context',
          '',
          'We need a way to send reminders.',
          '',
          '## Decision',
          '',
          'Use GOV.UK Notify.',
          '',
          '## Consequences',
          '',
          'We depend on Notify.',
          '',
        ].join('\n');
        break;
      case 2: {
        const date = friday(Math.floor(i / 5));
        files[`weeknotes/${team}/${date}.md`] = [
          '---',
          `title: "Weeknote ${i}: \\"a quieter week\\""`,
          `week_ending: ${date}`,
          `draft: ${broken ? 'yes' : 'false'}`,
          'authors: [Delivery manager]',
          '---',
          '',
          '## What we did',
          '',
          'Shipped things.',
          '',
        ].join('\n');
        break;
      }
      case 3:
        files[`catalogue/data/dataset-${i}.yaml`] = [
          `title: Dataset ${i}`,
          'description: Opening hours for every GP practice in the area.',
          'keyword: [primary care, opening hours]',
          'licence: https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
          `accessRights: ${broken ? 'PUBLIC' : 'OPEN'}`,
          `issued: ${day(i)}`,
          `modified: ${day(i + 30)}`,
          'contactPoint: primary-care-data@example.nhs.uk',
          'publisher: Example Integrated Care Board',
          'fields:',
          '  - name: ods_code',
          '    type: string',
          '    description: The practice code',
          '    personal_data: false',
          '',
        ].join('\n');
        break;
      default: {
        const date = day(i);
        files[`incidents/incident-${date}-outage-${i}.md`] = [
          '---',
          `id: INC-${pad(i, 5)}`,
          `title: Outage ${i}`,
          'status: resolved',
          `priority: ${broken ? 'High' : 'P2'}`,
          'services: [book-a-vaccination]',
          `started_at: ${date}T06:00:00+01:00`,
          `resolved_at: ${date}T11:40:00+01:00`,
          '---',
          '',
          '## Summary',
          '',
          'Reminders were not sent.',
          '',
          '## Impact',
          '',
          '## Timeline',
          '',
          '## Root cause',
          '',
          '## Lessons learned',
          '',
        ].join('\n');
      }
    }
  }
  // An anchor on the title (`title: &t …`) is outside the fast reader's subset: every file takes the full one.
  if (fullReader)
    for (const path of Object.keys(files)) files[path] = files[path].replace(/^title: /m, 'title: &t ');
  return files;
}

/** In a fresh process: build the snapshot, run the check once, report time and memory. */
async function child() {
  const { MemorySnapshot } = await import(new URL('sources/memory.js', LIB).href);
  const { runChecks } = await import(new URL('core/engine.js', LIB).href);
  const { artefactsCheck } = await import(new URL('checks/artefacts.js', LIB).href);
  const snapshot = new MemorySnapshot(
    generateArtefacts(COUNT, { fullReader: process.argv.includes('--full') }),
  );
  const config = { levels: {}, options: {}, rules: {}, sources: [] };
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const report = await runChecks({
    snapshot,
    checks: [artefactsCheck],
    config,
    // Far enough ahead that every generated review is due: the overdue rule does its full work.
    now: () => new Date('2030-01-01'),
  });
  const ms = performance.now() - started;
  const result = report.results[0];
  const again = performance.now();
  await runChecks({ snapshot, checks: [artefactsCheck], config, now: () => new Date('2030-01-01') });
  const warm = performance.now() - again;
  process.stdout.write(
    JSON.stringify({
      ms,
      warm,
      checked: result.data?.artefacts?.length ?? 0,
      invalid: (result.data?.artefacts ?? []).filter((entry) => !entry.valid).length,
      findings: result.findings.length,
      status: result.status,
      heapMb: (process.memoryUsage().heapUsed - heapBefore) / 1e6,
      rssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

export async function run() {
  const script = fileURLToPath(import.meta.url);
  const runs = [];
  const full = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(JSON.parse(execFileSync(process.execPath, [script, '--child'], { encoding: 'utf8' })));
    full.push(
      JSON.parse(execFileSync(process.execPath, [script, '--child', '--full'], { encoding: 'utf8' })),
    );
  }
  const last = runs[runs.length - 1];
  return {
    title: `Artefacts check (${COUNT.toLocaleString('en-GB')} artefacts, in-memory snapshot)`,
    figures: [
      {
        name: 'first run, schemas compiled (median)',
        value: median(runs.map((r) => r.ms)),
        unit: 'ms',
        target: 1000,
      },
      {
        name: 'first run, every file read by the full YAML reader (median)',
        value: median(full.map((r) => r.ms)),
        unit: 'ms',
      },
      { name: 'second run in the same process', value: median(runs.map((r) => r.warm)), unit: 'ms' },
      { name: 'artefacts checked', value: last.checked, unit: 'files', target: { min: COUNT } },
      { name: 'artefacts found invalid (one in twenty has a mistake)', value: last.invalid, unit: 'files' },
      { name: 'findings', value: last.findings, unit: 'findings' },
      { name: 'peak resident memory of the process', value: median(runs.map((r) => r.rssMb)), unit: 'MB' },
      { name: 'heap held after the run', value: median(runs.map((r) => r.heapMb)), unit: 'MB' },
    ],
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fileURLToPath(pathToFileURL(process.argv[1]))) {
  if (process.argv.includes('--child')) {
    await child();
  } else {
    const result = await run();
    console.log(result.title);
    for (const f of result.figures) {
      const value = f.value >= 100 ? Math.round(f.value).toLocaleString('en-GB') : f.value.toFixed(2);
      console.log(
        `  ${f.name}: ${value} ${f.unit}${f.target === undefined ? '' : `  (target ${JSON.stringify(f.target)})`}`,
      );
    }
  }
}
