import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { createSimplefinSource } from '../../../src/integrations/simplefin/index.js';
import { refresh } from '../../../src/integrations/refresh.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { lastSourceRuns } from '../../../src/store/source-health.js';
import type { Store } from '../../../src/store/db.js';
import { storeKinds, useTempStore } from '../../helpers/tmp-store.js';
import {
  ACCESS_URL,
  HOST,
  NOW,
  PASSWORD,
  TODAY,
  USER,
  account,
  collectToday,
  errorOf,
  fixture,
  logLines,
  makeConfig,
  makeContext,
} from './helpers.js';

const sleeps: number[] = [];
const source = createSimplefinSource({ sleep: async (ms) => void sleeps.push(ms) });
const errorTexts: string[] = [];

describe.each(storeKinds())('source (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;

  function accounts() {
    return nock(HOST).get('/simplefin/accounts').query({ 'balances-only': '1', version: '2' }).basicAuth({ user: USER, pass: PASSWORD });
  }

  async function failure(promise: Promise<unknown>) {
    const error = await errorOf(promise);
    errorTexts.push(error.message, String(error.stack));
    return error;
  }

  beforeEach(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    store = temp.store;
    sleeps.length = 0;
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  afterAll(() => {
    // No log line or error message of any test above carried the password or the access URL.
    const everything = [...logLines, ...errorTexts].join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of [PASSWORD, ACCESS_URL, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) {
      expect(everything).not.toContain(secret);
    }
  });

  describe('SimpleFIN collect', () => {
    it('sums the configured accounts of a v2 body for today only, with Basic auth', async () => {
      const scope = accounts().reply(200, fixture('get-accounts.v2.json'));
      const ctx = makeContext(store, makeConfig({ accounts: ['2930002'] }));
      const values = await collectToday(source, ctx, '2026-11-10', TODAY);
      // The sample's balance-date is 2001: far past the one-day limit, so the figure is dated by it (stale).
      expect(values).toEqual([
        {
          metricId: 'cash_position',
          day: TODAY,
          value: 100.23,
          warnings: ['Savings balance is 9,449 days old (dated 2001-01-01); stale after 24 h'],
          asOf: '2001-01-01T16:22:33.000Z',
          staleBecause: 'Savings balance 9,449 days old; SimpleFIN balances are stale after 24 h',
        },
      ]);
      expect(ctx.stats).toEqual({ calls: 1, rateLimited: 0 });
      scope.done();
    });

    it('turns v1 errors into warnings on the value', async () => {
      const body = { ...fixture('get-accounts.v1.json'), errors: ['Connection to MyBank may need attention'] };
      accounts().reply(200, body);
      const values = await collectToday(source, makeContext(store, makeConfig({ accounts: ['2930002'] })));
      expect(values[0]!.value).toBe(100.23);
      expect(values[0]!.warnings).toContain('SimpleFIN: Connection to MyBank may need attention');
    });

    it('turns a v2 errlist into warnings naming the connection', async () => {
      accounts().reply(200, fixture('get-accounts.v2.with-errlist.json'));
      const values = await collectToday(source, makeContext(store, makeConfig({ accounts: ['2930002'] })));
      expect(values[0]!.warnings).toContain('SimpleFIN My Bank - James: Authentication required (con.auth)');
    });

    it('without configured accounts sums every non-negative account in the currency, with warnings', async () => {
      accounts().reply(200, {
        errlist: [],
        accounts: [
          account('a1', 'Operating', 'USD', '250000.10'),
          account('a2', 'Reserve', 'USD', '300000.005'),
          account('a3', 'Amex', 'USD', '-4200.00'),
          account('a4', 'Berlin office', 'EUR', '9000.00'),
        ],
      });
      const values = await collectToday(source, makeContext(store, makeConfig()));
      expect(values[0]!.value).toBe(550000.11);
      expect(values[0]!.warnings).toEqual([
        'summed all non-negative USD accounts; set sources.simplefin.accounts',
        'skipped Berlin office (EUR, not USD)',
      ]);
    });

    it('sums only the ids a metric query names, skipping another currency and naming missing ids', async () => {
      accounts().reply(200, {
        errlist: [],
        accounts: [account('a1', 'Operating', 'USD', '10.10'), account('a2', 'Card', 'USD', '-0.20'), account('a4', 'Euro', 'EUR', '5')],
      });
      const config = makeConfig({ accounts: ['a1'] }, { accounts: ['a1', 'a2', 'a4', 'gone'] });
      const values = await collectToday(source, makeContext(store, config));
      expect(values[0]!.value).toBe(9.9);
      expect(values[0]!.warnings).toEqual([
        'account gone was not returned by SimpleFIN; left out of the sum',
        'skipped Euro (EUR, not USD)',
      ]);
    });

    it('makes no call when today is outside the window (balances are a stock)', async () => {
      const ctx = makeContext(store, makeConfig({ accounts: ['2930002'] }));
      expect(await collectToday(source, ctx, '2026-10-01', '2026-10-31')).toEqual([]);
      expect(ctx.stats.calls).toBe(0);
    });

    it('stops calling once the daily quota is spent and reuses the balance fetched today', async () => {
      const scope = accounts().times(2).reply(200, fixture('get-accounts.v2.json'));
      const config = makeConfig({ accounts: ['2930002'], max_calls_per_day: 2 });
      for (let run = 0; run < 2; run++) await collectToday(source, makeContext(store, config));
      scope.done();

      const ctx = makeContext(store, config);
      const values = await collectToday(source, ctx);
      expect(ctx.stats.calls).toBe(0);
      expect(values[0]!.value).toBe(100.23);
      expect(values[0]!.warnings).toContain(`quota reached; reused balance fetched at ${NOW.toISOString()}`);

      // The next local day has a fresh quota.
      const tomorrow = new Date(NOW.getTime() + 24 * 3_600_000);
      const next = accounts().reply(200, fixture('get-accounts.v2.json'));
      const nextCtx = makeContext(store, config, undefined, tomorrow);
      expect((await collectToday(source, nextCtx, '2026-11-17', '2026-11-17'))[0]!.day).toBe('2026-11-17');
      next.done();
    });

    it('fails as rate_limited when the quota is spent and nothing was fetched today', async () => {
      const scope = accounts().reply(503, 'down');
      const config = makeConfig({ accounts: ['2930002'], max_calls_per_day: 1 });
      expect((await failure(collectToday(source, makeContext(store, config)))).errorClass).toBe('unavailable');
      scope.done();
      const error = await failure(collectToday(source, makeContext(store, config)));
      expect(error.errorClass).toBe('rate_limited');
      expect(error.message).toContain('max_calls_per_day');
    });

    it('rejects a quota above 20 calls a day', async () => {
      const error = await failure(collectToday(source, makeContext(store, makeConfig({ max_calls_per_day: 24 }))));
      expect(error.errorClass).toBe('config');
      expect(error.message).toContain('sources.simplefin.max_calls_per_day');
    });

    it('treats 403 as auth, without retrying', async () => {
      const scope = accounts().reply(403, 'Forbidden');
      const ctx = makeContext(store, makeConfig({ accounts: ['2930002'] }));
      const error = await failure(collectToday(source, ctx));
      expect(error.errorClass).toBe('auth');
      expect(error.message).toContain('claim a new setup token');
      expect(ctx.stats.calls).toBe(1);
      scope.done();
    });

    it('treats 402 as a config error: payment required', async () => {
      accounts().reply(402, 'Payment Required');
      const error = await failure(collectToday(source, makeContext(store, makeConfig({ accounts: ['2930002'] }))));
      expect(error.errorClass).toBe('config');
      expect(error.message).toContain('SimpleFIN subscription payment required');
    });

    it('retries a 5xx and recovers, counting both calls against the quota', async () => {
      const scope = accounts().reply(502).get('/simplefin/accounts').query(true).reply(200, fixture('get-accounts.v2.json'));
      const config = makeConfig({ accounts: ['2930002'], max_calls_per_day: 3 });
      const ctx = makeContext(store, config);
      expect((await collectToday(source, ctx))[0]!.value).toBe(100.23);
      expect(ctx.stats.calls).toBe(2);
      expect(sleeps).toHaveLength(1);
      scope.done();
      // One call left today: used without retries, then the quota is spent.
      accounts().reply(200, fixture('get-accounts.v2.json'));
      await collectToday(source, makeContext(store, config));
      const last = makeContext(store, config);
      await collectToday(source, last);
      expect(last.stats.calls).toBe(0);
    });

    it('reports a malformed body as bad_response', async () => {
      accounts().reply(200, { errlist: [], accounts: [{ id: 'x', currency: 'USD', balance: 'lots' }] });
      const error = await failure(collectToday(source, makeContext(store, makeConfig())));
      expect(error.errorClass).toBe('bad_response');
      expect(error.message).toContain('accounts.0.balance');
    });

    it('reaches SIMPLEFIN_BASE_URL with the credentials from the access URL', async () => {
      const scope = nock('https://sandbox.example.test')
        .get('/sfin/accounts')
        .query(true)
        .basicAuth({ user: USER, pass: PASSWORD })
        .reply(200, fixture('get-accounts.v2.json'));
      const env = { SIMPLEFIN_ACCESS_URL: ACCESS_URL, SIMPLEFIN_BASE_URL: 'https://sandbox.example.test/sfin/' };
      await collectToday(source, makeContext(store, makeConfig({ accounts: ['2930002'] }), env));
      scope.done();
    });

    it('never echoes a malformed access URL', async () => {
      const env = { SIMPLEFIN_ACCESS_URL: `beta-bridge.simplefin.org/${PASSWORD}` };
      const error = await failure(collectToday(source, makeContext(store, makeConfig(), env)));
      expect(error.errorClass).toBe('config');
      expect(error.message).toBe('simplefin: config: SIMPLEFIN_ACCESS_URL is not a URL (expected https://user:pass@host/path)');
    });
  });

  describe('SimpleFIN check and refresh', () => {
    it('check makes one call that counts toward the quota', async () => {
      const scope = accounts().reply(200, fixture('get-accounts.v2.with-errlist.json'));
      const config = makeConfig({ max_calls_per_day: 1 });
      const result = await source.check(makeContext(store, config));
      expect(result).toEqual({
        ok: true,
        detail: '1 account(s), 1 in USD; 1 warning(s): SimpleFIN My Bank - James: Authentication required (con.auth)',
      });
      scope.done();
      const spent = await source.check(makeContext(store, config));
      expect(spent.detail).toContain("not called: today's quota of 1 calls is used");
    });

    it('check reports failures without throwing or leaking', async () => {
      accounts().reply(403);
      const result = await source.check(makeContext(store, makeConfig()));
      errorTexts.push(result.detail);
      expect(result.ok).toBe(false);
      expect(result.detail).toContain('auth');
    });

    it('refresh writes the cash position for the local today and records the run', async () => {
      accounts().reply(200, fixture('get-accounts.v2.json'));
      const base = makeContext(store, makeConfig({ accounts: ['2930002'] }));
      const summary = await refresh({ store, config: base.config, env: base.env, logger: base.logger, now: NOW, sources: [source] }, {});
      expect(summary.results).toEqual([expect.objectContaining({ source: 'simplefin', status: 'ok', calls: 1, valuesWritten: 1 })]);
      const rows = await getDailyValues(store, ['cash_position'], '2026-11-01', '2026-12-01');
      expect(rows).toEqual([
        expect.objectContaining({
          day: TODAY,
          value: 100.23,
          source: 'simplefin',
          warnings: JSON.stringify({
            warnings: ['Savings balance is 9,449 days old (dated 2001-01-01); stale after 24 h'],
            stale: 'Savings balance 9,449 days old; SimpleFIN balances are stale after 24 h',
          }),
          fetched_at: '2001-01-01T16:22:33.000Z',
        }),
      ]);
      expect((await lastSourceRuns(store, 1))[0]).toMatchObject({ source: 'simplefin', status: 'ok', calls: 1 });
      const tables = ['daily_values', 'source_runs', 'source_health', 'sync_state'] as const;
      const tableRows = await Promise.all(tables.map((table) => store.db.selectFrom(table).selectAll().execute()));
      const stored = tableRows.map((r) => JSON.stringify(r)).join('\n');
      expect(stored).toContain('100.23');
      for (const secret of [PASSWORD, USER, ACCESS_URL]) expect(stored).not.toContain(secret);
    });
  });
});
