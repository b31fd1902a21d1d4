import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderStatusPage } from '../../src/sinks/status-page.js';
import type { GovernanceStatus } from '../../src/status/model.js';
import { fixtureRepo, judged, MILESTONE, RELEASE } from '../status/support.js';

// The page as a reader gets it: Debian's Chromium (never a downloaded browser), with JavaScript off for what a
// reader sees, and on only to run axe-core over it. The screenshots are kept under test-results/ (ignored by git)
// so that a person can look at what the test saw.

// Debian's package here and in .ci/run; OPENLY_CHROMIUM names another Chromium-based browser (GitHub's runners).
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

const HOSTILE_TITLE =
  '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> "quoted" & more';

let browser: Browser;
let dir: string;
let pageUrl: string;

/** The fixture repository's real status, with one more incident whose title and path try to inject markup. */
async function realisticStatus(): Promise<GovernanceStatus> {
  const { status } = await judged(fixtureRepo('vaccination-service'), {
    latestRelease: RELEASE,
    milestone: MILESTONE,
  });
  return {
    ...status,
    openIncidents: [
      ...status.openIncidents,
      {
        path: 'incidents/incident-2026-11-21-<img src=x onerror=alert(1)>.md',
        id: 'INC-2026-032',
        title: HOSTILE_TITLE,
        status: 'identified',
        priority: 'P4',
        startedAt: '2026-11-21T09:00:00Z',
      },
    ],
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openly-status-page-'));
  const file = join(dir, 'index.html');
  writeFileSync(file, renderStatusPage(await realisticStatus()));
  pageUrl = pathToFileURL(file).href;
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `This test renders the status page in Debian's Chromium, and ${CHROMIUM} is missing: run "apt-get install chromium" (.ci/run does), or set OPENLY_CHROMIUM to a Chromium-based browser.`,
    );
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function open(options: { javaScriptEnabled: boolean; width?: number }): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled,
    viewport: { width: options.width ?? 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(pageUrl);
  return page;
}

/** The text of each cell of each body row of the table with this caption. */
async function rows(page: Page, caption: RegExp): Promise<string[][]> {
  const table = page.getByRole('table', { name: caption });
  const result: string[][] = [];
  for (const row of await table.locator('tbody tr').all()) {
    result.push((await row.locator('th, td').allInnerTexts()).map((cell) => cell.trim()));
  }
  return result;
}

describe('the status page in Chromium', () => {
  it('reads without JavaScript: headings, each check, an incident, the milestone', async () => {
    const page = await open({ javaScriptEnabled: false });
    try {
      expect(await page.title()).toBe('Failing: governance status of nhs-england/book-a-vaccination');
      expect(await page.locator('h1').allInnerTexts()).toEqual([
        'Governance status of nhs-england/book-a-vaccination',
      ]);
      expect(await page.locator('h2').allInnerTexts()).toEqual([
        'Summary',
        'Checks',
        'Licences',
        'Open-working artefacts',
        'Open incidents',
        'Latest release',
        'Milestone progress',
      ]);
      expect(await page.locator('.verdict').innerText()).toBe('Overall: Failing');

      expect(await rows(page, /result of each check/)).toEqual([
        ['Licence', 'Pass', '0', '0', '0'],
        ['Community files', 'Warning', '0', '1', '0'],
        ['Open-working artefacts', 'Fail', '1', '1', '0'],
        ['Signed commits', 'Skipped', '0', '0', '0'],
        ['Visibility', 'Skipped', '0', '0', '0'],
        ['Branch rules', 'Skipped', '0', '0', '0'],
        ['Drafts', 'Pass', '0', '0', '0'],
        ['Secrets', 'Pass', '0', '0', '0'],
        ['Diagram exports', 'Skipped', '0', '0', '0'],
      ]);
      const checkLink = page.getByRole('link', { name: 'Open-working artefacts' });
      expect(await checkLink.getAttribute('href')).toBe(
        'https://github.com/openly-dev/openly/blob/main/docs/rules.md#artefacts',
      );

      const incidents = await rows(page, /incidents not yet resolved/);
      expect(incidents[0]?.slice(0, 3)).toEqual([
        'INC-2026-031: People cannot sign in with NHS login',
        'investigating',
        'P1',
      ]);
      expect(incidents.map((row) => row[2])).toEqual(['P1', 'P3', 'P4']);

      expect(await page.locator('#milestone-text').innerText()).toBe(
        '6 of 10 issues and pull requests closed (60%).',
      );
      expect(await page.locator('progress').getAttribute('value')).toBe('6');
      expect(
        await page.getByRole('link', { name: 'Book for someone you care for' }).getAttribute('href'),
      ).toBe(RELEASE.url);
    } finally {
      await page.context().close();
    }
  });

  it('shows hostile titles and paths as text, and runs nothing they carry even with JavaScript on', async () => {
    const page = await open({ javaScriptEnabled: true });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      const incidents = await rows(page, /incidents not yet resolved/);
      const hostile = incidents.find((row) => row[0]?.startsWith('INC-2026-032'));
      expect(hostile?.[0]).toBe(`INC-2026-032: ${HOSTILE_TITLE}`);
      expect(hostile?.[4]).toBe('incidents/incident-2026-11-21-<img src=x onerror=alert(1)>.md');
      expect(await page.locator('script, img').count()).toBe(0);
      expect(await page.evaluate('typeof window.pwned')).toBe('undefined');
      expect(dialogs).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  for (const width of [1280, 375]) {
    it(`has no serious or critical axe-core violations at ${width} pixels wide`, async () => {
      const page = await open({ javaScriptEnabled: true, width });
      try {
        await page.addScriptTag({ path: AXE });
        // A string, evaluated in the page: the test is compiled without the DOM's types.
        const results = await page.evaluate<AxeResults>('axe.run(document)');
        const violations = results.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          nodes: v.nodes.map((n) => n.html),
        }));
        const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(serious).toEqual([]);
        // Anything axe-core still mentions at a lower impact is printed, to be looked at, not hidden.
        if (violations.length > 0) console.log(`axe-core (${width}px), minor:`, JSON.stringify(violations));

        mkdirSync(ARTEFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTEFACTS, `status-page-${width}.png`), fullPage: true });
      } finally {
        await page.context().close();
      }
    });
  }
});

interface AxeResults {
  violations: Array<{ id: string; impact?: string | null; nodes: Array<{ html: string }> }>;
}
