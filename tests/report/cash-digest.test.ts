import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import type { Config } from '../../src/config/schema.js';
import { periodSettings } from '../../src/metrics/context.js';
import { parseWeekLabel } from '../../src/metrics/periods.js';
import { toJsonView } from '../../src/report/json.js';
import { dailyDigest, metricAnswer } from '../../src/report/queries.js';
import { assertSlackLimits } from '../../src/slack/limits.js';
import { renderMetricAnswer } from '../../src/slack/metric.js';
import { createBillSource } from '../../src/integrations/bill/index.js';
import { MISSING_W9_WARNING } from '../../src/integrations/bill/map.js';
import { refresh, type RefreshDeps } from '../../src/integrations/refresh.js';
import { SOURCES } from '../../src/integrations/registry.js';
import type { Env } from '../../src/integrations/source.js';
import { upsertDailyValues } from '../../src/store/daily-values.js';
import type { Store } from '../../src/store/db.js';
import simplefinV2 from '../../src/integrations/simplefin/fixtures/get-accounts.v2.json' with { type: 'json' };
import { billError } from '../integrations/bill/fixtures.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';
import { evalContextFor, exampleConfig, fakeSleep, itemsById, memoryLogger, renderChecked } from '../helpers/source-fixtures.js';

/*
 * Wednesday 18 Nov 2026, 08:30 CST, the cash digest's hour. The last good BILL figures (and a cash balance) were
 * fetched on Monday 16 Nov at 06:00 CST: 50.5 hours ago, past the catalog's 36 h freshness limit.
 */
const NOW = new Date('2026-11-18T14:30:00Z');
const MONDAY = '2026-11-16';
const MONDAY_FETCH = new Date('2026-11-16T12:00:00Z');

const SFIN_USER = 'sfin-user-5d0c';
const SFIN_PASSWORD = 'Qv7-bridge-pass-29e4c1a8';
const ACCESS_URL = `https://${SFIN_USER}:${SFIN_PASSWORD}@beta-bridge.simplefin.org/simplefin`;
const SFIN_BASE = 'https://sfin.bridge.test';
const BRIDGE = 'https://beta-bridge.simplefin.org';
/** Through the base URL override, to a host of our own. */
const SIMPLEFIN_ENV = { SIMPLEFIN_ACCESS_URL: ACCESS_URL, SIMPLEFIN_BASE_URL: `${SFIN_BASE}/simplefin` };
/** The access URL alone: requests go to its own host, without the user:pass it carries. */
const SIMPLEFIN_ACCESS_ONLY = { SIMPLEFIN_ACCESS_URL: ACCESS_URL };

const BILL_PASSWORD = 'B1ll-pa55-w0rd-7c2e';
const BILL_DEV_KEY = '01DEVKEY9f3b2a7d6e5c';
const BILL_BASE = 'https://gateway.stage.bill.com';
const BILL_ENV = {
  BILL_USERNAME: 'ap@acme.test',
  BILL_PASSWORD,
  BILL_ORGANIZATION_ID: '00802DEVKGROHKDIY4zyx',
  BILL_DEV_KEY,
  BILL_BASE_URL: `${BILL_BASE}/connect`,
};
const SECRETS = [SFIN_PASSWORD, ACCESS_URL, Buffer.from(`${SFIN_USER}:${SFIN_PASSWORD}`).toString('base64'), BILL_PASSWORD, BILL_DEV_KEY];

const config = exampleConfig();
const W9_CAVEAT = config.metrics.bills_missing_w9!.caveat!;

/** The v2 sample body with our accounts; balances dated an hour ago (savings: `savingsAgeHours`). A credit card comes back negative. */
function accountsBody(balances: { checking: string; savings: string }, savingsAgeHours = 1) {
  const [sample] = simplefinV2.accounts;
  const hoursAgo = (hours: number) => Math.floor(NOW.getTime() / 1000) - hours * 3600;
  const account = (id: string, name: string, balance: string, ageHours = 1) => ({
    ...sample,
    id,
    name,
    balance,
    'available-balance': balance,
    'balance-date': hoursAgo(ageHours),
  });
  return {
    ...simplefinV2,
    accounts: [
      account('2930002', 'Operating checking', balances.checking),
      account('2930003', 'Reserve savings', balances.savings, savingsAgeHours),
      account('2930004', 'Business card', '-2500.00'),
    ],
  };
}

function simplefinAccounts(host = SFIN_BASE) {
  return nock(host)
    .get('/simplefin/accounts')
    .query({ 'balances-only': '1', version: '2' })
    .basicAuth({ user: SFIN_USER, pass: SFIN_PASSWORD });
}

/** Monday's successful day, as a refresh would have stored it: the BILL figures of tests/integrations/bill/fixtures.ts. */
async function storeMondaysGoodDay(store: Store): Promise<void> {
  const row = (metric_id: string, day: string, value: number, source: string, warnings: string[] = []) => ({
    metric_id,
    day,
    value,
    source,
    fetched_at: MONDAY_FETCH.toISOString(),
    warnings: warnings.length > 0 ? JSON.stringify(warnings) : null,
  });
  await upsertDailyValues(store, [
    row('cash', '2026-11-11', 530_000, 'simplefin'),
    row('cash', MONDAY, 548_000, 'simplefin'),
    row('bills_pending_approval', MONDAY, 3, 'bill'),
    row('bills_pending_amount', MONDAY, 1729.19, 'bill'),
    row('vendors_not_onboarded', MONDAY, 1, 'bill'),
    row('bills_missing_w9', MONDAY, 4, 'bill', [MISSING_W9_WARNING]),
  ]);
}

describe.each(storeKinds())('cash-digest (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  let retrySleep: ReturnType<typeof fakeSleep>;
  let log: ReturnType<typeof memoryLogger>;

  /** The registry's sources, with BILL's retry backoff made instant (it would otherwise wait seconds between logins). */
  function deps(env: Env, now = NOW): RefreshDeps {
    const sources = SOURCES.map((source) =>
      source.id === 'bill' ? createBillSource({ sleep: retrySleep.sleep, random: () => 0.5 }) : source,
    );
    return { store, config, env, logger: log.logger, now, sources };
  }

  async function cashDigest(env: Env) {
    const view = await dailyDigest(store, evalContextFor(config, env, NOW), 'cash');
    return { view, items: itemsById(view), message: renderChecked(view, NOW) };
  }

  function expectNoSecretsIn(texts: string[]) {
    const everything = texts.join('\n');
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  }

  beforeEach(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    store = temp.store;
    retrySleep = fakeSleep();
    log = memoryLogger();
  });
  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  describe('the cash digest renders with any mix of sources connected, failed or missing', () => {
    it.each([
      {
        balances: { checking: '412345.67', savings: '150000.10' },
        cash: 562_345.77,
        text: '$562.3K',
        status: 'green',
        vsYesterday: '+$14.3K',
        vs7Days: '+$32.3K',
      },
      {
        balances: { checking: '312345.67', savings: '100000.00' },
        cash: 412_345.67,
        text: '$412.3K',
        status: 'red',
        vsYesterday: '−$135.7K',
        vs7Days: '−$117.7K',
      },
    ] as const)('SimpleFIN fresh ($text, $status) while BILL fails: BILL shows its last good figures, stale with their age', async (c) => {
      await storeMondaysGoodDay(store);
      const sfin = simplefinAccounts().reply(200, accountsBody(c.balances));
      const logins = nock(BILL_BASE).post('/connect/v3/login').times(5).reply(500, billError('BDC_1001', 'Internal server error'));

      const summary = await refresh(deps({ ...SIMPLEFIN_ENV, ...BILL_ENV }), { sourceIds: ['simplefin', 'bill'] });
      expect(summary.ok).toBe(false);
      const [simplefin, bill] = summary.results;
      expect(simplefin).toMatchObject({ source: 'simplefin', status: 'ok', calls: 1, valuesWritten: 1 });
      expect(bill).toMatchObject({ source: 'bill', status: 'failed', errorClass: 'unavailable', calls: 5, valuesWritten: 0 });
      expect(retrySleep.waits).toHaveLength(4);
      sfin.done();
      logins.done();

      const { items, message } = await cashDigest({ ...SIMPLEFIN_ENV, ...BILL_ENV });
      expect(items.cash).toMatchObject({
        value: c.cash,
        text: c.text,
        status: c.status,
        connection: 'connected',
        asOf: NOW.toISOString(),
        vsYesterday: c.vsYesterday,
        vs7Days: c.vs7Days,
      });
      expect(items.cash!.warnings).toContain('summed all non-negative USD accounts; set sources.simplefin.accounts');

      const lastGood = {
        bills_pending_approval: [3, '3'],
        bills_pending_amount: [1729.19, '$1.7K'],
        vendors_not_onboarded: [1, '1'],
        bills_missing_w9: [4, '4'],
      };
      for (const [id, [value, text]] of Object.entries(lastGood)) {
        expect(items[id]).toMatchObject({ value, text, status: 'stale', connection: 'connected', asOf: MONDAY_FETCH.toISOString() });
        expect(items[id]!.reason).toContain('stale: last data 2 d ago');
      }
      expect(items.bills_missing_w9).toMatchObject({ caveat: W9_CAVEAT, warnings: [MISSING_W9_WARNING] });
      expect(message.allText).toContain(`Note: ${W9_CAVEAT}`);
      expect(message.allText).toContain('(2 d ago), stale');
      expect(message.allText).toContain(c.text);

      expect(log.lines.length).toBeGreaterThan(0);
      expectNoSecretsIn([...log.lines, JSON.stringify(summary), message.allText]);
    });

    it('a 26-hour-old balance on a configured account marks cash stale, naming the account and its age', async () => {
      const withAccounts = { ...config, sources: { ...config.sources, simplefin: { accounts: ['2930002', '2930003'] } } };
      simplefinAccounts().reply(200, accountsBody({ checking: '412345.67', savings: '150000.10' }, 26));
      const summary = await refresh({ ...deps(SIMPLEFIN_ENV), config: withAccounts }, { sourceIds: ['simplefin'] });
      expect(summary.ok).toBe(true);

      const view = await dailyDigest(store, evalContextFor(withAccounts, SIMPLEFIN_ENV, NOW), 'cash');
      const cash = itemsById(view).cash!;
      expect(cash).toMatchObject({ value: 562_345.77, status: 'stale', asOf: new Date(NOW.getTime() - 26 * 3_600_000).toISOString() });
      expect(cash.warnings).toEqual(['Reserve savings balance is 26 h old (dated 2026-11-17); stale after 24 h']);
      expect(cash.reason).toContain('stale: last data 26 h ago');
    });

    it.each([
      { freshness: undefined, why: 'without freshness_hours (the 36 h default)' },
      { freshness: 48, why: 'with freshness_hours: 48' },
    ])("SimpleFIN's own one-day limit marks a 26-hour-old balance stale $why, in /metric cash and digest cash --json", async (c) => {
      const { freshness_hours: _catalogs, ...cashMetric } = config.metrics.cash!;
      const edited: Config = {
        ...config,
        sources: { ...config.sources, simplefin: { accounts: ['2930002', '2930003'] } },
        metrics: { ...config.metrics, cash: c.freshness === undefined ? cashMetric : { ...cashMetric, freshness_hours: c.freshness } },
      };
      simplefinAccounts().reply(200, accountsBody({ checking: '412345.67', savings: '150000.10' }, 26));
      expect((await refresh({ ...deps(SIMPLEFIN_ENV), config: edited }, { sourceIds: ['simplefin'] })).ok).toBe(true);
      const ctx = evalContextFor(edited, SIMPLEFIN_ENV, NOW);
      const why = 'Reserve savings balance 26 h old; SimpleFIN balances are stale after 24 h';

      // `scorecard digest cash --json` prints the daily view through toJsonView.
      const json = JSON.parse(JSON.stringify(toJsonView(await dailyDigest(store, ctx, 'cash')))) as { items: Record<string, unknown>[] };
      const cash = json.items.find((item) => item.id === 'cash')!;
      expect(cash).toMatchObject({ value: 562_345.77, status: 'stale', as_of: new Date(NOW.getTime() - 26 * 3_600_000).toISOString() });
      expect(cash.reason).toContain(`stale: last data 26 h ago (${why})`);

      // `/metric cash`: the answer and its Slack message name the account and its age.
      const week = parseWeekLabel('2026-W47', periodSettings(edited))!;
      const answer = await metricAnswer(store, ctx, { ...edited.metrics.cash!, id: 'cash' }, week, false);
      expect(answer).toMatchObject({ metric: 'cash', status: 'stale' });
      const message = renderMetricAnswer(answer, { now: NOW });
      assertSlackLimits(message);
      const shown = JSON.stringify(message.blocks);
      expect(shown).toContain('🕒');
      expect(shown).toContain(why);
    });

    it('with neither SimpleFIN nor BILL configured, every figure reads "not connected" and the digest still renders', async () => {
      const summary = await refresh(deps({}), { sourceIds: ['simplefin', 'bill'] });
      expect(summary.ok).toBe(true);
      expect(summary.results.map((result) => [result.source, result.status])).toEqual([
        ['simplefin', 'not_configured'],
        ['bill', 'not_configured'],
      ]);

      const { view, message } = await cashDigest({});
      expect(view.items.map((item) => item.id)).toEqual(config.digests.cash);
      for (const item of view.items) {
        expect(item).toMatchObject({ value: null, text: 'not connected', status: 'no_data', connection: 'not_connected', asOf: null });
        expect(item.reason).toBe(`not connected: ${item.id === 'cash' ? 'simplefin' : 'bill'} has no credentials`);
      }
      expect(message.text).toContain('Cash position not connected');
    });

    it('SimpleFIN refusing the access URL (403) leaves the last good balance, stale with its age', async () => {
      // Monday's refresh went through.
      simplefinAccounts(BRIDGE).reply(200, accountsBody({ checking: '398000.00', savings: '150000.00' }));
      const monday = await refresh(deps(SIMPLEFIN_ACCESS_ONLY, MONDAY_FETCH), { sourceIds: ['simplefin'] });
      expect(monday.results[0]).toMatchObject({ status: 'ok', valuesWritten: 1 });

      const refused = simplefinAccounts(BRIDGE).reply(403, 'Forbidden');
      const summary = await refresh(deps(SIMPLEFIN_ACCESS_ONLY), { sourceIds: ['simplefin'] });
      refused.done();
      expect(summary.results[0]).toMatchObject({ source: 'simplefin', status: 'failed', errorClass: 'auth', calls: 1 });
      expect(summary.results[0]!.error).toContain('claim a new setup token');

      const { items, message } = await cashDigest(SIMPLEFIN_ACCESS_ONLY);
      expect(items.cash).toMatchObject({
        value: 548_000,
        text: '$548K',
        status: 'stale',
        connection: 'connected',
        asOf: MONDAY_FETCH.toISOString(),
      });
      expect(items.cash!.reason).toContain('stale: last data 2 d ago');
      expect(items.bills_pending_approval).toMatchObject({ text: 'not connected', connection: 'not_connected' });
      expect(message.allText).toContain('(2 d ago), stale');

      expect(log.lines.some((line) => line.includes(`${BRIDGE}/simplefin/accounts`))).toBe(true);
      expectNoSecretsIn([...log.lines, JSON.stringify(summary), message.allText]);
    });

    it('BUG (src/digests/daily.ts:73-76): a stale stock\'s "vs yesterday" compares its last snapshot with itself and reads 0 instead of —', async () => {
      // No BILL snapshot since Monday: today's figure and yesterday's figure are both Monday's, so there is no change to show.
      await storeMondaysGoodDay(store);
      const { items } = await cashDigest(BILL_ENV);
      expect(items.bills_pending_approval).toMatchObject({ value: 3, status: 'stale' });
      expect(items.bills_pending_approval!.vsYesterday).toBeNull();
      expect(items.bills_pending_amount!.vsYesterday).toBeNull();
    });
  });
});
