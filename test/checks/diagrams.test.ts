import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { configOptions } from '../../src/checks/index.js';
import { diagramsCheck } from '../../src/checks/diagrams.js';
import { parseConfig } from '../../src/config/load.js';
import { runChecks } from '../../src/core/engine.js';
import { inflateDiagram, mxfileFromPng, mxfileFromSvg, readDrawio } from '../../src/parse/drawio.js';
import { openLocalSnapshot } from '../../src/sources/local.js';
import { MemorySnapshot, type MemoryFiles } from '../../src/sources/memory.js';
import type { RepoSnapshot } from '../../src/sources/snapshot.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/diagrams');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** jgraph's flowchart, an editable SVG export, and the source it was exported from (the file it carries). */
const FLOWCHART_SVG = fixture('flowchart.drawio.svg');
const FLOWCHART = (() => {
  const carried = mxfileFromSvg(FLOWCHART_SVG);
  if (!carried.ok) throw new Error(carried.reason);
  return expanded(carried.xml);
})();
/** jgraph's data-flow diagram: two pages, saved as plain XML. */
const DATA_FLOW = fixture('data-flow.drawio');
/** jgraph's UML deployment example: one page, saved compressed. */
const UML = fixture('uml-deployment-example.drawio');

/** A diagram file with every page as plain XML, as draw.io saves with "Compressed" unticked. */
function expanded(xml: string): string {
  return xml.replace(
    /(<diagram\b[^>]*>)([^<]+)(<\/diagram>)/g,
    (_, open: string, data: string, close: string) => {
      return `${open}${inflateDiagram(data) ?? data}${close}`;
    },
  );
}

/** A diagram file with every page compressed, as draw.io saves with "Compressed" ticked. */
function compressed(xml: string): string {
  return xml.replace(
    /(<diagram\b[^>]*>)\s*(<mxGraphModel[\s\S]*?<\/mxGraphModel>)\s*(<\/diagram>)/g,
    (_, open, model, close) => {
      const data = deflateRawSync(Buffer.from(encodeURIComponent(model), 'latin1')).toString('base64');
      return `${open}${data}${close}`;
    },
  );
}

/** An editable SVG export carrying `xml`, escaped as draw.io writes the `content` attribute. */
function editableSvg(xml: string): string {
  const content = xml
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="10px" height="10px" content="${content}"><rect width="10" height="10"/></svg>`;
}

/** A real PNG (one white pixel) carrying `xml` in a chunk keyed mxfile, as draw.io's editable PNG export does. */
function editablePng(xml: string, kind: 'tEXt' | 'zTXt'): Uint8Array {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    // The check does not verify CRCs, and no reader of these tests needs them: zero is written.
    return Buffer.concat([head, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  const text = Buffer.from(encodeURIComponent(xml), 'latin1');
  const body =
    kind === 'tEXt'
      ? Buffer.concat([Buffer.from('mxfile\0', 'latin1'), text])
      : Buffer.concat([Buffer.from('mxfile\0\0', 'latin1'), deflateSync(text)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk(kind, body),
    chunk('IDAT', deflateSync(Buffer.from([0, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function judge(snapshot: RepoSnapshot, yaml = '') {
  const config = parseConfig(yaml, '.github/openly.yml', configOptions());
  const report = await runChecks({ snapshot, checks: [diagramsCheck], config, now: () => new Date() });
  return report.results[0]!;
}
const judgeFiles = (files: MemoryFiles, yaml = '') => judge(new MemorySnapshot(files), yaml);

describe('reading draw.io files', () => {
  it('reads the same pages from a plain and a compressed save of a real diagram', () => {
    const plain = readDrawio(DATA_FLOW);
    const packed = readDrawio(compressed(DATA_FLOW));
    expect(plain.ok && plain.pages.map((page) => page.name)).toEqual(['detailed DFD', 'context diagram']);
    expect(packed).toEqual(plain);
  });

  it('reads a real compressed diagram', () => {
    const read = readDrawio(UML);
    expect(read.ok && read.pages.length).toBe(1);
    expect(read.ok && read.pages[0]!.model).toContain('<mxCell');
  });

  it('finds the diagram in editable PNG exports, in tEXt and zTXt chunks', () => {
    for (const kind of ['tEXt', 'zTXt'] as const) {
      expect(mxfileFromPng(editablePng(FLOWCHART, kind))).toEqual({ ok: true, xml: FLOWCHART });
    }
  });
});

describe('diagrams', () => {
  it('skips, saying why, a repository without draw.io sources', async () => {
    const result = await judgeFiles({ 'README.md': '# Bookings\n', 'docs/map.svg': '<svg/>' });
    expect(result.status).toBe('skip');
    expect(result.skipped).toContain('no draw.io sources');
  });

  it('asks for an SVG export beside each source, saying how to make one', async () => {
    const result = await judgeFiles({ 'docs/data-flow.drawio': DATA_FLOW, 'docs/uml.dio': UML });
    expect(result.status).toBe('fail');
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/missing-export',
        severity: 'error',
        path: 'docs/data-flow.drawio',
        message: expect.stringContaining('expected docs/data-flow.svg'),
        fix: expect.stringContaining('File > Export as > SVG'),
      }),
      // The data flow has two pages: a plain SVG shows one, so the second needs its own.
      expect.objectContaining({
        rule: 'diagrams/missing-export',
        path: 'docs/data-flow.drawio',
        message: expect.stringContaining('expected docs/data-flow-page2.svg'),
      }),
      expect.objectContaining({ rule: 'diagrams/missing-export', path: 'docs/uml.dio' }),
    ]);
  });

  it('passes an editable export that carries the same diagram as its source, compressed or not', async () => {
    for (const source of [FLOWCHART, compressed(FLOWCHART)]) {
      const result = await judgeFiles({ 'flowchart.drawio': source, 'flowchart.drawio.svg': FLOWCHART_SVG });
      expect(result.findings).toEqual([]);
      expect(result.status).toBe('pass');
      expect(result.data).toEqual({
        diagrams: [
          { source: 'flowchart.drawio', format: 'svg', path: 'flowchart.drawio.svg', status: 'current' },
        ],
      });
    }
  });

  it('finds an editable export stale when a label in the source changed since, naming the page', async () => {
    const edited = FLOWCHART.replace(/value="[^"]+"/, 'value="Triage by 111 online"');
    expect(edited).not.toBe(FLOWCHART);
    const result = await judgeFiles({ 'flowchart.drawio': edited, 'flowchart.drawio.svg': FLOWCHART_SVG });
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/stale-export',
        path: 'flowchart.drawio.svg',
        message: expect.stringContaining('page 1 ("Page-1") differs'),
        fix: expect.stringContaining('export it again'),
      }),
    ]);
  });

  it('says which page of a multi-page source the export lacks', async () => {
    const firstPageOnly = DATA_FLOW.replace(
      /<diagram id="[^"]*" name="context diagram"[\s\S]*?<\/diagram>/,
      '',
    );
    const result = await judgeFiles({
      'data-flow.drawio.xml': DATA_FLOW,
      'data-flow.drawio.svg': editableSvg(firstPageOnly),
    });
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/stale-export',
        message: expect.stringContaining('page 2 ("context diagram") is in the source but not in the export'),
      }),
    ]);
  });

  it('asks for a plain export of every page of a multi-page source, page 2 as name-page2, one PDF for all', async () => {
    const result = await judgeFiles(
      { 'docs/data-flow.drawio': DATA_FLOW, 'docs/data-flow.png': new Uint8Array([0x89, 0x50]) },
      'diagrams:\n  formats: [png, pdf]\n',
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/missing-export',
        path: 'docs/data-flow.drawio',
        message: expect.stringContaining(
          'no PNG export of page 2 ("context diagram") beside it, so readers on GitHub cannot see that page; expected docs/data-flow-page2.png',
        ),
        fix: expect.stringContaining('go to page 2 ("context diagram"), choose File > Export as > PNG'),
      }),
      expect.objectContaining({
        rule: 'diagrams/missing-export',
        message: expect.stringContaining('no PDF export beside it'),
      }),
      expect.objectContaining({ rule: 'diagrams/unknown-staleness', path: 'docs/data-flow.png' }),
    ]);
    expect(result.data).toEqual({
      diagrams: [
        { source: 'docs/data-flow.drawio', format: 'png', path: 'docs/data-flow.png', status: 'unknown' },
        {
          source: 'docs/data-flow.drawio',
          format: 'png',
          path: 'docs/data-flow-page2.png',
          status: 'missing',
        },
        { source: 'docs/data-flow.drawio', format: 'pdf', path: 'docs/data-flow.pdf', status: 'missing' },
      ],
    });
  });

  it('asks nothing more of an editable export of a multi-page source: it carries every page', async () => {
    const result = await judgeFiles({
      'data-flow.drawio': DATA_FLOW,
      'data-flow.drawio.svg': editableSvg(DATA_FLOW),
    });
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
  });

  it('compares editable PNG exports when PNG is asked for', async () => {
    const yaml = 'diagrams:\n  formats: [png]\n';
    const current = await judgeFiles(
      { 'a.drawio': FLOWCHART, 'a.drawio.png': editablePng(FLOWCHART, 'zTXt') },
      yaml,
    );
    expect(current.status).toBe('pass');
    const stale = await judgeFiles(
      { 'a.drawio': DATA_FLOW, 'a.drawio.png': editablePng(FLOWCHART, 'tEXt') },
      yaml,
    );
    expect(stale.findings.map((f) => f.rule)).toEqual(['diagrams/stale-export']);
  });

  it('with naming: replace, an editable export under the other name does not count', async () => {
    const result = await judgeFiles(
      { 'flowchart.drawio': FLOWCHART, 'flowchart.drawio.svg': FLOWCHART_SVG },
      'diagrams:\n  naming: replace\n',
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/missing-export',
        message: expect.stringContaining('flowchart.svg'),
      }),
    ]);
  });

  it('warns of a source it cannot read, and still judges the others', async () => {
    const result = await judgeFiles({
      'broken.drawio': '<mxfile><diagram name="Journey">not*base64</diagram></mxfile>',
      'flowchart.drawio': FLOWCHART,
      'flowchart.drawio.svg': FLOWCHART_SVG,
      'broken.svg': '<svg/>',
    });
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/unreadable',
        severity: 'warning',
        path: 'broken.drawio',
        message: expect.stringContaining('page 1 ("Journey")'),
      }),
      expect.objectContaining({ rule: 'diagrams/unknown-staleness', severity: 'notice' }),
    ]);
  });

  it('warns of a page export left over from a removed page, and of no file its naming would not give', async () => {
    const files = {
      'docs/data-flow.drawio': DATA_FLOW,
      'docs/data-flow.drawio.svg': editableSvg(DATA_FLOW),
      // Two pages now: page 2 is still drawn (not asked for beside an editable export), page 3 is gone.
      'docs/data-flow-page2.svg': '<svg/>',
      'docs/data-flow-page3.svg': '<svg/>',
      'docs/data-flow-page3.png': new Uint8Array([0x89, 0x50]),
      // No chart source: someone else's picture.
      'docs/chart-page2.svg': '<svg/>',
      // A source of its own, exported as itself, beside a one-page source whose page 2 would share the name.
      'docs/summary.drawio': FLOWCHART,
      'docs/summary.drawio.svg': FLOWCHART_SVG,
      'docs/summary-page2.drawio': FLOWCHART,
      'docs/summary-page2.svg': '<svg/>',
    };
    const result = await judgeFiles(files);
    expect(result.status).toBe('warn');
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/orphan-export',
        severity: 'warning',
        path: 'docs/data-flow-page3.svg',
        message:
          'docs/data-flow-page3.svg is the SVG export of page 3 of docs/data-flow.drawio, which has 2 pages now: readers on GitHub see a page the diagram no longer holds.',
        fix: expect.stringMatching(
          /^Delete docs\/data-flow-page3\.svg \(git rm docs\/data-flow-page3\.svg\)/,
        ),
      }),
      // Judged as the export of its own source, which only history could date.
      expect.objectContaining({ rule: 'diagrams/unknown-staleness', path: 'docs/summary-page2.svg' }),
    ]);
    // The PNG counts once PNG is asked for; with naming: append no page file is ever asked for, so none is left over.
    const png = await judgeFiles(files, 'diagrams:\n  formats: [svg, png]\n');
    expect(png.findings.filter((f) => f.rule === 'diagrams/orphan-export').map((f) => f.path)).toEqual([
      'docs/data-flow-page3.png',
      'docs/data-flow-page3.svg',
    ]);
    const append = await judgeFiles(files, 'diagrams:\n  naming: append\n');
    expect(append.findings.filter((f) => f.rule === 'diagrams/orphan-export')).toEqual([]);
  });

  it('says it could not date a plain export when the snapshot carries no history, once for all exports', async () => {
    const result = await judgeFiles({
      'a.drawio': UML,
      'a.svg': '<svg/>',
      'b.drawio': UML,
      'b.svg': '<svg/>',
    });
    expect(result.status).not.toBe('fail');
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/unknown-staleness',
        severity: 'notice',
        message: expect.stringMatching(/2 exports .*a\.svg, b\.svg.*no git history/),
      }),
    ]);
  });
});

describe('diagrams, dated by what the change touched (the App, without history)', () => {
  const at = (sha: string, order: number) => ({ sha: sha.repeat(40), order });
  it.each([
    [
      'a later commit of the push changed the source',
      [
        ['a.drawio', at('2', 0)],
        ['a.svg', at('1', 1)],
      ],
      true,
      'stale',
    ],
    [
      'the same commit changed both',
      [
        ['a.drawio', at('1', 0)],
        ['a.svg', at('1', 0)],
      ],
      true,
      'current',
    ],
    [
      'a later commit redrew the export',
      [
        ['a.drawio', at('1', 1)],
        ['a.svg', at('2', 0)],
      ],
      true,
      'current',
    ],
    [
      'a pull request changed both, order unknown',
      [
        ['a.drawio', null],
        ['a.svg', null],
      ],
      true,
      'unknown',
    ],
    ['only the source is listed, but the list was cut short', [['a.drawio', null]], false, 'unknown'],
    ['neither was touched', [['README.md', null]], true, 'unknown'],
  ] as const)('%s: %s', async (_name, touched, complete, status) => {
    const snapshot = Object.assign(new MemorySnapshot({ 'a.drawio': UML, 'a.svg': '<svg/>' }), {
      changedFiles: () => ({
        label: 'this push',
        paths: new Map(touched.map(([path, change]) => [path, change])),
        complete,
      }),
    });
    const result = await judge(snapshot);
    expect(result.data).toEqual({
      diagrams: [{ source: 'a.drawio', format: 'svg', path: 'a.svg', status }],
    });
    // Told from one change alone, a stale export is a warning: the history, where there is one, makes it an error.
    const stale = result.findings.filter((f) => f.rule === 'diagrams/stale-export');
    expect(stale.map((f) => f.severity)).toEqual(status === 'stale' ? ['warning'] : []);
  });
});

describe('diagrams, with git history', () => {
  const temp = mkdtempSync(join(tmpdir(), 'openly-diagrams-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  let counter = 0;
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  function repo(): string {
    const dir = join(temp, `repo-${++counter}`);
    mkdirSync(join(dir, 'docs'), { recursive: true });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.name', 'Priya Shah');
    git(dir, 'config', 'user.email', 'priya.shah@nhs.net');
    git(dir, 'config', 'commit.gpgsign', 'false');
    return dir;
  }
  function commit(dir: string, files: Record<string, string>, message: string) {
    for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', message);
  }

  it('passes a plain export committed with or after its source, and finds it stale once the source changes', async () => {
    const dir = repo();
    // Two pages, so two plain exports: page 2 in docs/data-flow-page2.svg.
    commit(
      dir,
      {
        'docs/data-flow.drawio': DATA_FLOW,
        'docs/data-flow.svg': '<svg/>',
        'docs/data-flow-page2.svg': '<svg/>',
      },
      'Add the data flow',
    );
    commit(dir, { 'README.md': '# Bookings\n' }, 'Say what this is');
    expect((await judge(openLocalSnapshot(dir))).status).toBe('pass');

    commit(dir, { 'docs/data-flow.drawio': compressed(DATA_FLOW) }, 'Save the data flow compressed');
    const stale = await judge(openLocalSnapshot(dir));
    expect(stale.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/stale-export',
        path: 'docs/data-flow.svg',
        message: expect.stringContaining('after the export was last committed'),
      }),
      expect.objectContaining({ rule: 'diagrams/stale-export', path: 'docs/data-flow-page2.svg' }),
    ]);

    commit(
      dir,
      {
        'docs/data-flow.svg': '<svg><text>again</text></svg>',
        'docs/data-flow-page2.svg': '<svg><text>2</text></svg>',
      },
      'Export the data flow again',
    );
    expect((await judge(openLocalSnapshot(dir))).status).toBe('pass');
  });

  it('warns of the export of a page removed from the source until it is deleted', async () => {
    const dir = repo();
    commit(
      dir,
      {
        'docs/data-flow.drawio': DATA_FLOW,
        'docs/data-flow.svg': '<svg/>',
        'docs/data-flow-page2.svg': '<svg/>',
      },
      'Add the data flow',
    );
    const onePage = DATA_FLOW.replace(/<diagram id="[^"]*" name="context diagram"[\s\S]*?<\/diagram>/, '');
    commit(dir, { 'docs/data-flow.drawio': onePage }, 'Drop the context diagram');
    commit(dir, { 'docs/data-flow.svg': '<svg><text>again</text></svg>' }, 'Export the data flow again');
    const left = await judge(openLocalSnapshot(dir));
    expect(left.status).toBe('warn');
    expect(left.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/orphan-export',
        path: 'docs/data-flow-page2.svg',
        message: expect.stringContaining('page 2 of docs/data-flow.drawio, which has one page now'),
        fix: expect.stringContaining('Delete docs/data-flow-page2.svg'),
      }),
    ]);

    git(dir, 'rm', '-q', 'docs/data-flow-page2.svg');
    git(dir, 'commit', '-q', '-m', 'Delete the export of the dropped page');
    expect((await judge(openLocalSnapshot(dir))).status).toBe('pass');
  });

  it('in a shallow clone, says it cannot date an export rather than passing it', async () => {
    const dir = repo();
    commit(dir, { 'docs/uml.drawio': UML, 'docs/uml.svg': '<svg/>' }, 'Add the deployment diagram');
    commit(dir, { 'docs/uml.drawio': compressed(FLOWCHART) }, 'Redraw the deployment');
    const clone = join(temp, `clone-${counter}`);
    git(temp, 'clone', '-q', '--depth', '1', `file://${dir}`, clone);
    const result = await judge(openLocalSnapshot(clone));
    expect(result.findings).toEqual([
      expect.objectContaining({
        rule: 'diagrams/unknown-staleness',
        message: expect.stringContaining('does not show when'),
        fix: expect.stringContaining('fetch-depth: 0'),
      }),
    ]);
  });

  it('dates exports in a folder below the top of the work tree', async () => {
    const dir = repo();
    commit(dir, { 'docs/uml.svg': '<svg/>' }, 'Export first');
    commit(dir, { 'docs/uml.drawio': UML }, 'Then change the source');
    const result = await judge(openLocalSnapshot(join(dir, 'docs')));
    expect(result.findings).toEqual([
      expect.objectContaining({ rule: 'diagrams/stale-export', path: 'uml.svg' }),
    ]);
  });
});
