import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDigest } from '../../src/cli/digest.js';
import type { WeeklyScorecard } from '../../src/report/weekly.js';
import { scorecardPage } from '../../src/web/pages/scorecard.js';
import { USERS } from '../bot/harness.js';
import { startWebHarness, type WebHarness } from './harness.js';

/**
 * The quarter summary on /scorecard and in its PDF, over HTTP against the real bot with the pages mounted: HubSpot
 * configured (a token in the env; nothing calls it), the figures and quarter snapshots from the demo seed.
 */

const CONFIG = fileURLToPath(new URL('./fixtures/scorecard.quarter-deals.yml', import.meta.url));

let h: WebHarness;
let digest: WeeklyScorecard;
let dir: string;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  h = await startWebHarness({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-00000000-0000-0000-0000-000000000000' }, CONFIG);
  digest = (await renderDigest(h.runtime, 'weekly', { json: true })) as WeeklyScorecard;
  dir = mkdtempSync(join(tmpdir(), 'quarter-summary-'));
}, 60_000);
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
  nock.enableNetConnect();
});

/** The quarter section's rows: label → [count, amount text]. */
function quarterRows(page: string): Record<string, [string, string]> {
  const section = /<section aria-labelledby="quarter-title"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
  const rows: Record<string, [string, string]> = {};
  for (const m of section.matchAll(/<th scope="row">(\w+)<\/th><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td>/g)) {
    rows[m[1]!] = [m[2]!, m[3]!];
  }
  return rows;
}

describe('the quarter summary on /scorecard', () => {
  it('shows won, lost, open and total with amounts, the snapshot day and the definition, as --json has them', async () => {
    const deals = digest.quarterDeals!;
    expect(deals).toMatchObject({ quarter: '2026-Q4', status: 'current', snapshotDay: '2026-11-15' });
    const { cookie } = await h.signIn(USERS.cfo);
    const page = await (await h.get('/scorecard', cookie)).text();
    expect(page).toContain('<h2 id="quarter-title">Quarter summary</h2>');
    expect(page).toContain('<caption>Deals in 2026-Q4</caption>');
    expect(quarterRows(page)).toEqual({
      Won: [String(deals.won!.count), deals.won!.amountText],
      Lost: [String(deals.lost!.count), deals.lost!.amountText],
      Open: [String(deals.open!.count), deals.open!.amountText],
      Total: [String(deals.won!.count + deals.lost!.count + deals.open!.count), deals.total!.amountText],
    });
    expect(page).toContain('HubSpot snapshot of 2026-11-15.');
    expect(page).toContain('Total = won + lost + open');
  });

  it('keeps the counts but hides the amounts from someone outside sensitive access (the deal metric is sensitive)', async () => {
    const { cookie } = await h.signIn(USERS.rep);
    const page = await (await h.get('/scorecard', cookie)).text();
    const rows = quarterRows(page);
    expect(Object.values(rows).map(([, amount]) => amount)).toEqual(['—', '—', '—', '—']);
    expect(rows.Won![0]).toBe(String(digest.quarterDeals!.won!.count));
    expect(page).toContain('Amounts are restricted and left out of your copy.');
  });

  it('shows a past week of a past quarter with that quarter’s last snapshot', async () => {
    const { cookie } = await h.signIn(USERS.cfo);
    const page = await (await h.get('/scorecard/2026-W40', cookie)).text();
    expect(page).toContain('<caption>Deals in 2026-Q3</caption>');
    expect(page).toContain('HubSpot snapshot of 2026-09-30.');
  });

  it('puts the same figures in the PDF (pdftotext)', async () => {
    const { cookie } = await h.signIn(USERS.cfo);
    const response = await h.get(`/scorecard/${digest.period.label}.pdf`, cookie);
    expect(response.status).toBe(200);
    const file = join(dir, 'week.pdf');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const deals = digest.quarterDeals!;
    expect(text).toContain('Quarter summary: deals in 2026-Q4');
    expect(text).toContain(`Won: ${deals.won!.count} deals, ${deals.won!.amountText}`);
    expect(text).toContain(`Total: ${deals.total!.count} deals, ${deals.total!.amountText}`);
    expect(text).toContain('HubSpot snapshot of 2026-11-15.');
  });

  it('says "no snapshot yet" when HubSpot is configured but the quarter was never collected', async () => {
    await h.runtime.store.db.deleteFrom('quarter_deals').execute();
    const { cookie } = await h.signIn(USERS.cfo);
    const page = await (await h.get('/scorecard', cookie)).text();
    expect(page).toContain('No snapshot yet');
    expect(quarterRows(page)).toEqual({});
  });

  it('leaves the section out when HubSpot is not configured', () => {
    const page = String(
      scorecardPage(
        { view: { ...digest, quarterDeals: null }, hidden: 0, previous: '2026-W45', next: null },
        { userId: 'U1', admin: false, csrf: 'x' },
      ),
    );
    expect(page).not.toContain('Quarter summary');
    expect(page).toContain('weekly scorecard');
  });
});
