import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../src/org/report.js';
import { renderAuditDashboard } from '../../src/sinks/audit-dashboard.js';

// The dashboard as a reader gets it, in Debian's Chromium as the status page's test does: JavaScript off for what
// a reader sees, on only to run axe-core and to prove that nothing a repository name carries runs.

const CHROMIUM = process.env.OPENLY_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTEFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const HOSTILE = '<script>window.pwned=1</script>notes';

const pass = (check: string) => ({ check, status: 'pass' as const, findings: [] });
const skip = (check: string, skipped: string) => ({ check, status: 'skip' as const, skipped, findings: [] });

const REPORT: AuditReport = {
  tool: 'openly',
  version: '0.1.0',
  organisation: 'nhs-digital-team',
  auditedAt: '2026-12-07T06:00:00Z',
  summary: { repositories: 4, compliant: 1, failing: 2, skipped: 1 },
  repositories: [
    {
      name: 'appointment-booking',
      visibility: 'public',
      archived: false,
      fork: false,
      defaultBranch: 'main',
      pushedAt: '2026-12-01T10:00:00Z',
      status: 'compliant',
      results: [pass('licence'), pass('community-files'), skip('artefacts', 'no artefacts configured')],
    },
    {
      name: 'triage-service',
      visibility: 'public',
      archived: false,
      fork: false,
      defaultBranch: 'main',
      pushedAt: '2026-12-02T10:00:00Z',
      status: 'failing',
      results: [
        {
          check: 'licence',
          status: 'fail',
          findings: [
            {
              rule: 'licence/missing',
              severity: 'error',
              message: 'No licence file was found.',
              fix: 'Add a LICENCE file.',
            },
          ],
        },
        {
          check: 'community-files',
          status: 'fail',
          findings: [
            {
              rule: 'community-files/security',
              severity: 'error',
              message: 'There is no security policy.',
              path: '.github/SECURITY.md',
            },
            {
              rule: 'community-files/codeowners',
              severity: 'notice',
              message: 'A notice a reader of the dashboard need not see.',
            },
          ],
        },
        skip('artefacts', 'no artefacts configured'),
      ],
    },
    {
      name: 'old-prototype',
      visibility: 'public',
      archived: true,
      fork: false,
      defaultBranch: 'main',
      pushedAt: '2021-01-01T10:00:00Z',
      status: 'skipped',
      reason: 'archived',
      results: [],
    },
    {
      name: HOSTILE,
      visibility: 'internal',
      archived: false,
      fork: false,
      defaultBranch: 'main',
      pushedAt: '2026-12-03T10:00:00Z',
      status: 'failing',
      results: [
        {
          check: 'licence',
          status: 'fail',
          findings: [
            {
              rule: 'licence/not-allowed',
              severity: 'error',
              message: 'The licence <img src=x onerror="window.pwned=2"> is not on the allowed list.',
              path: 'LICENSE-<b>.md',
            },
          ],
        },
        pass('community-files'),
        skip('artefacts', 'no artefacts configured'),
      ],
    },
  ],
};

const HISTORY = [
  { auditedAt: '2026-11-23T06:00:00Z', summary: { repositories: 3, compliant: 0, failing: 2, skipped: 1 } },
  { auditedAt: '2026-11-30T06:00:00Z', summary: { repositories: 4, compliant: 1, failing: 2, skipped: 1 } },
];

let browser: Browser;
let dir: string;
const urls: Record<'plain' | 'history', string> = { plain: '', history: '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openly-dashboard-'));
  for (const [name, history] of [
    ['plain', []],
    ['history', HISTORY],
  ] as const) {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, renderAuditDashboard(REPORT, { history }));
    urls[name] = pathToFileURL(file).href;
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `This test renders the dashboard in Debian's Chromium, and ${CHROMIUM} is missing: run "apt-get install chromium" (.ci/run does), or set OPENLY_CHROMIUM to a Chromium-based browser.`,
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function open(
  which: keyof typeof urls,
  options: { javaScriptEnabled: boolean; width?: number },
): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled,
    viewport: { width: options.width ?? 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(urls[which]);
  return page;
}

/** The text of each cell of each body row of the table with this caption, white space as a screen reader reads it. */
async function rows(page: Page, caption: RegExp): Promise<string[][]> {
  const table = page.getByRole('table', { name: caption });
  const result: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) {
    result.push(
      (await row.locator('th, td').allInnerTexts()).map((cell) => cell.replace(/\s+/g, ' ').trim()),
    );
  }
  return result;
}

describe('the organisation dashboard in Chromium', () => {
  it('reads without JavaScript: the counts, the checks, every repository and its findings', async () => {
    const page = await open('plain', { javaScriptEnabled: false });
    try {
      expect(await page.title()).toBe('2 repositories failing: governance of nhs-digital-team');
      expect(await page.locator('h2').allInnerTexts()).toEqual([
        'Summary',
        'Compliance by check',
        'Repositories',
        'What falls short',
      ]);
      expect(await page.locator('.counts li').allInnerTexts()).toEqual([
        '4\nrepositories',
        '1\ncompliant',
        '2\nfailing',
        '1\nskipped',
      ]);

      // The text table behind the chart: skipped checks count as not judged, not as meeting the check.
      expect(await rows(page, /meet each check/)).toEqual([
        ['licence', '1', '2', '0', '33%'],
        ['community-files', '2', '1', '0', '67%'],
        ['artefacts', '0', '0', '3', '–'],
      ]);
      expect(await page.locator('svg.chart').getAttribute('aria-hidden')).toBe('true');

      // A link's words go on, for a screen reader, to name the repository: "2 findings in triage-service".
      expect(await rows(page, /4 repositories and the result of each check/)).toEqual([
        ['appointment-booking', 'Compliant', 'Pass', 'Pass', 'Skipped', 'None'],
        ['triage-service', 'Failing', 'Fail', 'Fail', 'Skipped', '2 findings in triage-service'],
        ['old-prototype', 'Skipped (archived)', 'Not run', 'Not run', 'Not run', 'None'],
        [HOSTILE, 'Failing', 'Fail', 'Pass', 'Skipped', `1 finding in ${HOSTILE}`],
      ]);

      // Following a repository's link lands on its own findings, not another's.
      await page.getByRole('link', { name: '2 findings in triage-service' }).click();
      const target = new URL(page.url()).hash;
      const heading = page.locator(`h3${target}`);
      expect(await heading.innerText()).toBe('triage-service');
      expect(await rows(page, /^Findings in triage-service$/)).toEqual([
        ['licence/missing', 'No licence file was found. Add a LICENCE file.', ''],
        ['community-files/security', 'There is no security policy.', '.github/SECURITY.md'],
      ]);
      await page.getByRole('link', { name: `1 finding in ${HOSTILE}` }).click();
      expect(await page.locator(`h3${new URL(page.url()).hash}`).innerText()).toBe(HOSTILE);
      expect(await page.locator('h3').allInnerTexts()).toEqual(['triage-service', HOSTILE]);

      expect(await page.getByRole('heading', { name: 'Compliance over time' }).count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('charts compliance over time when earlier audits are given, with the numbers in a table', async () => {
    const page = await open('history', { javaScriptEnabled: false });
    try {
      expect(await page.locator('h2').last().innerText()).toBe('Compliance over time');
      expect(await rows(page, /Compliance at each of the last 3 audits/)).toEqual([
        ['23 November 2026 at 06:00 UTC', '3', '0', '2', '1', '0%'],
        ['30 November 2026 at 06:00 UTC', '4', '1', '2', '1', '33%'],
        ['7 December 2026 at 06:00 UTC', '4', '1', '2', '1', '33%'],
      ]);
      expect(await page.locator('svg.chart').count()).toBe(2);
    } finally {
      await page.context().close();
    }
  });

  it('shows a hostile repository name and message as text, and runs nothing even with JavaScript on', async () => {
    const page = await open('history', { javaScriptEnabled: true });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      const findings = await rows(page, /^Findings in <script>/);
      expect(findings).toEqual([
        [
          'licence/not-allowed',
          'The licence <img src=x onerror="window.pwned=2"> is not on the allowed list.',
          'LICENSE-<b>.md',
        ],
      ]);
      expect(await page.locator('script, img, b').count()).toBe(0);
      expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
      expect(dialogs).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  for (const width of [1280, 375]) {
    it(`has no serious or critical axe-core violations at ${width} pixels wide`, async () => {
      const page = await open('history', { javaScriptEnabled: true, width });
      try {
        await page.addScriptTag({ path: AXE });
        const results = await page.evaluate<AxeResults>('axe.run(document)');
        const violations = results.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          nodes: v.nodes.map((n) => n.html),
        }));
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious).toEqual([]);
        if (violations.length > 0) console.log(`axe-core (${width}px), minor:`, JSON.stringify(violations));

        // Wide tables scroll in their own boxes: the page itself never scrolls sideways.
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBe(width);

        mkdirSync(ARTEFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTEFACTS, `audit-dashboard-${width}.png`), fullPage: true });
      } finally {
        await page.context().close();
      }
    });
  }
});

interface AxeResults {
  violations: Array<{ id: string; impact?: string | null; nodes: Array<{ html: string }> }>;
}
