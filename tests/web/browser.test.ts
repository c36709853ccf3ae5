import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDigest } from '../../src/cli/digest.js';
import type { WeeklyScorecard } from '../../src/report/weekly.js';
import { listGoalChanges } from '../../src/store/goal-changes.js';
import { manualEntriesForWeek } from '../../src/store/manual-entries.js';
import { pdfSafe } from '../../src/web/pdf.js';
import { USERS } from '../bot/harness.js';
import { parseCsv } from '../helpers/csv.js';
import { OUTPUT_DIR, openBrowser, type Browser } from './browser.js';
import { startWebHarness, type WebHarness } from './harness.js';

// The acceptance path in a real browser: sign in by a link, read the scorecard and compare it with
// `digest weekly --json`, open a metric's history, log an entry, change a goal, download the CSV and the PDF.

let h: WebHarness;
let browser: Browser;
let page: Page;
let digest: WeeklyScorecard;
/** The admin is not in sensitive_access: the digest's rows they may see. */
let visibleRows: WeeklyScorecard['groups'][number]['rows'];

/** Clicks something that submits a form or follows a link, and waits for the next page to load. */
async function go(selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

const shot = (name: string) => page.screenshot({ path: join(OUTPUT_DIR, `${name}.png`), fullPage: true });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  h = await startWebHarness();
  browser = await openBrowser();
  page = await browser.context.newPage();
  digest = (await renderDigest(h.runtime, 'weekly', { json: true })) as WeeklyScorecard;
  visibleRows = digest.groups.flatMap((g) => g.rows).filter((r) => !h.runtime.config.metrics[r.id]!.sensitive);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.close();
  nock.enableNetConnect();
});

describe('the scorecard in Chromium', () => {
  it('signs in by link, and refuses a second use of the same link', async () => {
    const link = h.link(USERS.admin);
    await page.goto(link);
    await shot('signin-confirm');
    await go('#continue');
    expect(new URL(page.url()).pathname).toBe('/scorecard');

    await page.goto(link);
    await go('#continue');
    expect(await page.textContent('main')).toContain('That link was already used');
    await shot('signin-refused');
  });

  it('shows the same figures as digest weekly --json for the last completed week', async () => {
    await page.goto(`${h.base}/scorecard`);
    await shot('scorecard');
    expect(await page.textContent('h1')).toContain(digest.period.label);
    const rows = await page.$$eval('main table tbody tr', (trs) =>
      trs.map((tr) => [
        tr.querySelector('th')?.textContent?.trim() ?? '',
        ...[...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''),
      ]),
    );
    expect(rows).toEqual(
      visibleRows.map((r) => [r.name, r.ownerName ?? r.owner ?? '—', r.goal, r.thisWeek, r.lastWeek, r.qtdAvg, expect.any(String)]),
    );
    expect(await page.textContent('main')).toContain('1 restricted metric is left out of your copy.');
    // The needs-attention section lists what the view model lists (sensitive metrics left out).
    const attention = (await page.textContent('section.attention')) ?? '';
    const sensitive = (id: string) => h.runtime.config.metrics[id]!.sensitive;
    const listed = [...digest.attention.red, ...digest.attention.changed, ...digest.attention.missing].filter(
      (item) => !sensitive(item.id),
    );
    for (const item of listed) expect(attention).toContain(item.name);
    await go('a[rel="prev"]');
    expect(new URL(page.url()).pathname).toBe('/scorecard/2026-W45');
  });

  it("opens a metric's history: chart, every week, goal history", async () => {
    await page.goto(`${h.base}/scorecard`);
    await go('text=Dials');
    expect(new URL(page.url()).pathname).toBe('/metrics/dials');
    expect(await page.locator('svg.chart polyline').count()).toBeGreaterThan(0);
    const weeks = await page.locator('table:has(caption:text("by week")) tbody tr').count();
    expect(weeks).toBeGreaterThanOrEqual(14);
    const dialsThisWeek = visibleRows.find((r) => r.id === 'dials')!.thisWeek;
    expect(await page.textContent(`table:has(caption:text("by week")) tr:has(a:text("${digest.period.label}"))`)).toContain(dialsThisWeek);
    await shot('metric-dials');
  });

  it('submits the entry form: a bad value is refused beside its field, a good one is stored', async () => {
    await page.goto(`${h.base}/entries/new`);
    await page.selectOption('#metric', 'coi_meetings');
    await page.fill('#value', '99');
    await page.fill('#note', 'Lunch with the bank');
    await go('button:text("Log it")');
    expect(await page.textContent('#value-error')).toBe('Enter a value between 0 and 20.');
    expect(await page.inputValue('#value')).toBe('99');
    expect(await page.inputValue('#note')).toBe('Lunch with the bank');
    await shot('entry-error');
    const before = await manualEntriesForWeek(h.runtime.store, ['coi_meetings'], null, '2026-11-16', '2026-11-23');

    await page.fill('#value', '4');
    await go('button:text("Log it")');
    expect(await page.textContent('.notice')).toContain('Logged 4 COI meetings attended');
    await shot('entry-saved');
    const after = await manualEntriesForWeek(h.runtime.store, ['coi_meetings'], null, '2026-11-16', '2026-11-23');
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)).toMatchObject({ value: 4, note: 'Lunch with the bank', user_id: USERS.admin, day: '2026-11-18' });
  });

  it('changes a goal as an admin; a non-admin is refused', async () => {
    await page.goto(`${h.base}/settings/goals`);
    await page.selectOption('#metric', 'networking_events');
    await page.fill('#from', '2026-11-23');
    await page.selectOption('#op', '>=');
    await page.fill('#value', '3');
    await page.fill('#reason', 'Conference season');
    await go('button:text("Save goal")');
    expect(await page.textContent('.notice')).toContain('Goal saved for Networking events.');
    await shot('settings-goals');
    expect(await listGoalChanges(h.runtime.store, ['networking_events'])).toMatchObject([
      { from: '2026-11-23', goal: { op: '>=', value: 3 } },
    ]);

    await go('button:text("Sign out")');
    await page.goto(h.link(USERS.rep));
    await go('#continue');
    const response = await page.goto(`${h.base}/settings/goals`);
    expect(response?.status()).toBe(403);
    expect(await page.textContent('main')).toContain('Only scorecard admins');
    await shot('settings-refused');
  });

  it('downloads the CSV, which parses to the --json figures', async () => {
    await page.goto(`${h.base}/scorecard`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download CSV')]);
    const file = join(OUTPUT_DIR, 'scorecard.csv');
    await download.saveAs(file);
    const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
    expect(header).toEqual(['metric_id', 'metric_name', 'period', 'value', 'numerator', 'denominator', 'goal', 'status', 'as_of']);
    const byId = new Map(rows.map((r) => [r[0], r]));
    for (const row of visibleRows) {
      const csv = byId.get(row.id);
      expect(csv, row.id).toBeDefined();
      expect(csv![2]).toBe(digest.period.label);
      expect(csv![3] === '' ? null : Number(csv![3]), row.id).toBe(row.values.thisWeek);
      expect(csv![7]).toBe(row.status);
    }
    expect(byId.has('cash')).toBe(false);
  });

  it("gets the PDF: pdftotext finds every metric's name and this week's value", async () => {
    await page.goto(`${h.base}/scorecard`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Export PDF')]);
    const file = join(OUTPUT_DIR, 'scorecard.pdf');
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const lines = text.split('\n');
    for (const row of visibleRows) {
      const line = lines.find((l) => l.trimStart().startsWith(pdfSafe(row.name)));
      expect(line, row.name).toBeDefined();
      expect(line, row.name).toContain(pdfSafe(row.thisWeek));
    }
    expect(text).not.toContain('Cash position');
  });
});
