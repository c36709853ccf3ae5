import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { pino } from 'pino';
import { configSchema } from '../../../src/config/schema.js';
import { createQuickBooksSource } from '../../../src/integrations/quickbooks/index.js';
import { formatRefreshSummary, refresh, type RefreshOptions } from '../../../src/integrations/refresh.js';
import { addDays } from '../../../src/metrics/periods.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { storeKinds, useTempStore } from '../../helpers/tmp-store.js';
import { FakeBooks } from './fake-books.js';
import { REALM_ID } from './fixtures.js';

/**
 * QuickBooks late changes against a stateful company (fake-books.ts, whose bodies follow Intuit's CDC, query and
 * report shapes): an invoice back-dated 30 days and a deleted journal entry change exactly the old days they touch
 * on the next plain refresh; a second refresh changes nothing; every stored day equals the figures computed from
 * the transactions. Then the scan's failures: a 429, an access token expiring mid-scan, a failed run (the cursor
 * stays), and a cursor older than change data capture's 30 days.
 */

const FIRST_DAY = '2026-10-01';
const ENV_REFRESH = 'AB11797000000envRefreshTokenxyz';
const env = {
  QBO_CLIENT_ID: 'ABq7xZk2Lm9PcQ4rT1vW8yN3sD6fG0hJ5uE',
  QBO_CLIENT_SECRET: 'qB0s3cr3t+Intuit/Client=Key7',
  QBO_REFRESH_TOKEN: ENV_REFRESH,
  QBO_REALM_ID: REALM_ID,
};
const metric = (kind: string, unit: 'currency' | 'percent', aggregate: 'sum' | 'ratio') => ({
  name: kind,
  unit,
  aggregate,
  source: 'quickbooks',
  query: { kind },
  definition: 'd',
  why: 'w',
  calculation: 'c',
});
const config = configSchema.parse({
  org: { name: 'Test Co', timezone: 'America/Chicago' },
  groups: [{ id: 'finance', name: 'Finance', metrics: ['revenue', 'expenses', 'profit_margin'] }],
  metrics: {
    revenue: metric('revenue', 'currency', 'sum'),
    expenses: metric('expenses', 'currency', 'sum'),
    profit_margin: metric('profit_margin', 'percent', 'ratio'),
  },
});

function seed(books: FakeBooks): void {
  books.add('Invoice', '130', '2026-10-15', 1200, 'income', '2026-10-15T16:00:00-07:00');
  books.add('Invoice', '131', '2026-11-20', 800, 'income', '2026-11-20T16:00:00-08:00');
  books.add('Bill', '77', '2026-10-20', 300, 'expense', '2026-10-20T16:00:00-07:00');
  books.add('JournalEntry', '12', '2026-11-05', 150, 'expense', '2026-11-05T16:00:00-08:00');
  books.add('Purchase', '401', '2026-11-28', 90.5, 'expense', '2026-11-28T16:00:00-08:00');
}

/** Every day's figures straight from the transactions, as the refresh stores them. */
function truth(books: FakeBooks, last: string): Map<string, string> {
  const out = new Map<string, string>();
  for (let day = FIRST_DAY; day <= last; day = addDays(day, 1)) {
    const { income, expense } = books.figures(day);
    out.set(`revenue ${day}`, `${income / 100}|null|null`);
    out.set(`expenses ${day}`, `${expense / 100}|null|null`);
    // 0 ÷ 0 stores no value ("no activity").
    if (income !== 0 || expense !== 0) {
      const margin = income === 0 ? 0 : Math.round((100 * (income - expense) * 10_000) / income) / 10_000;
      out.set(`profit_margin ${day}`, `${margin}|${(income - expense) / 100}|${income / 100}`);
    }
  }
  return out;
}

describe.each(storeKinds())('QuickBooks late changes (%s)', (kind) => {
  const temp = useTempStore(kind);
  let books: FakeBooks;
  beforeEach(() => {
    nock.disableNetConnect();
    books = new FakeBooks(ENV_REFRESH);
    seed(books);
    books.start();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const logger = pino({ level: 'silent' }, new Writable({ write: (_chunk, _encoding, callback) => callback() }));
  const source = createQuickBooksSource({ sleep: async () => undefined, random: () => 0.5 });
  const run = (now: string, opts: RefreshOptions = {}) =>
    refresh({ store: temp.store, config, env, logger, now: new Date(now), sources: [source] }, opts);
  const stored = async () =>
    new Map(
      (await getDailyValues(temp.store, Object.keys(config.metrics), FIRST_DAY, '2027-12-31')).map((row) => [
        `${row.metric_id} ${row.day}`,
        `${row.value}|${row.numerator}|${row.denominator}`,
      ]),
    );
  const cursor = async () =>
    (await temp.store.db.selectFrom('sync_state').select('value').where('key', '=', 'quickbooks.cursor.cdc').executeTakeFirst())?.value;
  const requestsOf = (endpoint: string) => books.requests.filter((r) => r.endpoint === endpoint);

  /** The range collected once, then a plain refresh that indexes the transactions and starts the cursor. */
  async function history(): Promise<void> {
    expect((await run('2026-11-30T18:00:00Z', { full: true, from: FIRST_DAY })).ok).toBe(true);
    const first = await run('2026-11-30T19:00:00Z');
    expect(first.ok).toBe(true);
    expect(first.results[0]!.late).toBeUndefined();
    expect(requestsOf('query').length).toBeGreaterThan(0);
    expect(await stored()).toEqual(truth(books, '2026-11-30'));
  }

  /** The late changes: invoice 131 back-dated 30 days (20 Nov → 21 Oct), journal entry 12 deleted. */
  function changeTheBooks(): void {
    books.edit('Invoice', '131', '2026-12-01T08:15:00-08:00', { txnDate: '2026-10-21' });
    books.remove('JournalEntry', '12', '2026-12-01T08:20:00-08:00');
  }

  it('re-collects exactly the days a back-dated and a deleted entry touch; a second refresh changes nothing', async () => {
    await history();
    const before = await stored();
    changeTheBooks();

    const plain = await run('2026-12-01T20:00:00Z');
    expect(plain.ok).toBe(true);
    const late = plain.results[0]!.late!;
    expect(late.recollected).toEqual(['2026-10-21', '2026-11-05', '2026-11-20']);
    expect(late.corrected).toEqual(['2026-10-21', '2026-11-05', '2026-11-20']);
    expect(late.reasons).toEqual(['1 QuickBooks transaction re-dated', '1 QuickBooks transaction deleted']);
    expect(formatRefreshSummary(plain)).toContain(
      '3 old days corrected (quickbooks: 1 QuickBooks transaction re-dated, 1 QuickBooks transaction deleted)',
    );
    // One scan, one report for the window and one per run of old days; one token grant for the whole run.
    const cdc = requestsOf('cdc').at(-1)!.query;
    expect(cdc.entities!.split(',')).toEqual(expect.arrayContaining(['Invoice', 'JournalEntry', 'Bill', 'Purchase']));
    expect(cdc.changedSince).toBe('2026-11-30T18:50:00+00:00');

    const after = await stored();
    const inWindow = (key: string) => key.slice(-10) >= '2026-11-25';
    const moved = [...new Set([...before.keys(), ...after.keys()])].filter((key) => !inWindow(key) && after.get(key) !== before.get(key));
    expect(moved.sort()).toEqual([
      'expenses 2026-11-05',
      'profit_margin 2026-10-21',
      'profit_margin 2026-11-05',
      'profit_margin 2026-11-20',
      'revenue 2026-10-21',
      'revenue 2026-11-20',
    ]);
    expect(after.get('revenue 2026-10-21')).toBe('800|null|null');
    expect(after.get('revenue 2026-11-20')).toBe('0|null|null');
    expect(after.get('expenses 2026-11-05')).toBe('0|null|null');
    expect(await stored()).toEqual(truth(books, '2026-12-01'));

    const again = await run('2026-12-01T21:00:00Z');
    expect(again.ok).toBe(true);
    expect(again.results[0]!.late).toBeUndefined();
    expect(await stored()).toEqual(after);
  });

  it('corrects the day of a new entry back-dated into a closed week, and of one changed on its own day', async () => {
    await history();
    // Entered on 1 December, dated 2 October; and bill 77 (20 October) corrected from $300 to $320.
    books.add('SalesReceipt', '902', '2026-10-02', 450, 'income', '2026-12-01T09:00:00-08:00');
    books.edit('Bill', '77', '2026-12-01T09:05:00-08:00', { cents: 32_000 });
    const plain = await run('2026-12-01T20:00:00Z');
    expect(plain.ok).toBe(true);
    expect(plain.results[0]!.late).toMatchObject({
      recollected: ['2026-10-02', '2026-10-20'],
      corrected: ['2026-10-02', '2026-10-20'],
      reasons: ['1 QuickBooks transaction entered or changed late', '1 QuickBooks transaction changed'],
    });
    expect(await stored()).toEqual(truth(books, '2026-12-01'));
  });

  it('waits out a 429 during the scan and still corrects the days', async () => {
    await history();
    changeTheBooks();
    books.failNext('cdc', 429);
    const plain = await run('2026-12-01T20:00:00Z');
    expect(plain.ok).toBe(true);
    expect(plain.results[0]).toMatchObject({ rateLimited: 1 });
    expect(plain.results[0]!.late!.corrected).toEqual(['2026-10-21', '2026-11-05', '2026-11-20']);
    expect(await stored()).toEqual(truth(books, '2026-12-01'));
  });

  it('renews an access token that expires during the scan and keeps the rotated refresh token', async () => {
    await history();
    changeTheBooks();
    const grantsBefore = requestsOf('token').length;
    books.failNext('cdc', 401);
    const plain = await run('2026-12-01T20:00:00Z');
    expect(plain.ok).toBe(true);
    expect(requestsOf('token').length - grantsBefore).toBe(2);
    expect(plain.results[0]!.late!.corrected).toEqual(['2026-10-21', '2026-11-05', '2026-11-20']);
    // The newest refresh token is kept, so the next run can spend it (the fake refuses a spent one).
    expect((await run('2026-12-01T21:00:00Z')).ok).toBe(true);
  });

  it('advances the cursor only after a successful run: a failed one is scanned again next time', async () => {
    await history();
    const started = await cursor();
    changeTheBooks();

    books.failNext('cdc', 429, 429, 429, 429);
    const throttled = await run('2026-12-01T20:00:00Z');
    expect(throttled.ok).toBe(false);
    expect(throttled.results[0]).toMatchObject({ status: 'failed', errorClass: 'rate_limited' });
    expect(await cursor()).toBe(started);

    // The scan succeeds but the window's report does not: still nothing committed.
    books.failNext('report', 429, 429, 429, 429);
    expect((await run('2026-12-01T20:30:00Z')).ok).toBe(false);
    expect(await cursor()).toBe(started);

    const recovered = await run('2026-12-01T21:00:00Z');
    expect(recovered.ok).toBe(true);
    expect(recovered.results[0]!.late!.corrected).toEqual(['2026-10-21', '2026-11-05', '2026-11-20']);
    expect(await cursor()).toBe('2026-12-01T21:00:00.000Z');
    expect(await stored()).toEqual(truth(books, '2026-12-01'));
  });

  it("re-collects the last year, and says so, when the cursor is past change data capture's 30 days", async () => {
    await history();
    const before = await stored();
    changeTheBooks();
    const cdcBefore = requestsOf('cdc').length;
    const late = await run('2027-01-05T20:00:00Z');
    expect(late.ok).toBe(true);
    expect(requestsOf('cdc').length).toBe(cdcBefore);
    expect(late.results[0]!.late!.reasons).toEqual([
      "QuickBooks' last scan 2026-11-30 is past change data capture's 30-day limit: the last 365 days re-collected",
    ]);
    // Of the days stored before, exactly the three the changes touch moved; the others were new days of the year.
    const corrected = late.results[0]!.late!.corrected;
    const storedBefore = new Set([...before.keys()].map((key) => key.slice(-10)));
    expect(corrected.filter((day) => storedBefore.has(day))).toEqual(['2026-10-21', '2026-11-05', '2026-11-20']);
    expect(corrected[0]).toBe('2026-01-05');
    expect(await stored()).toEqual(truth(books, '2027-01-05'));
  });
});
