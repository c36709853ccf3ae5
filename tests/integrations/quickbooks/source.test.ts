import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createQuickBooksSource } from '../../../src/integrations/quickbooks/index.js';
import { byDay, collectAll, createHarness, type Harness, sourceTestLifecycle } from '../../helpers/source-harness.js';
import {
  API_HOST,
  COMPANY_INFO_PATH,
  companyInfo,
  dstWeekReport,
  noDataReport,
  REALM_ID,
  REPORT_PATH,
  SANDBOX_HOST,
  TOKEN_HOST,
  TOKEN_PATH,
  tokenResponse,
} from './fixtures.js';

const CLIENT_ID = 'ABq7xZk2Lm9PcQ4rT1vW8yN3sD6fG0hJ5uE';
const CLIENT_SECRET = 'qB0s3cr3t+Intuit/Client=Key7';
const ENV_REFRESH = 'AB11797000000envRefreshTokenxyz';
const ROTATED = 'AB11797086400rotatedRefreshTokenabc';
const ACCESS = 'eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..access-one';
const BASIC = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
const env = { QBO_CLIENT_ID: CLIENT_ID, QBO_CLIENT_SECRET: CLIENT_SECRET, QBO_REFRESH_TOKEN: ENV_REFRESH, QBO_REALM_ID: REALM_ID };
const NOW = new Date('2026-11-05T15:00:00Z');
const WEEK_QUERY = {
  start_date: '2026-10-29',
  end_date: '2026-11-04',
  accounting_method: 'Accrual',
  summarize_column_by: 'Days',
  minorversion: '75',
};
const METRICS = {
  revenue: { kind: 'revenue', unit: 'currency' as const },
  expenses: { kind: 'expenses', unit: 'currency' as const },
  profit_margin: { kind: 'profit_margin', unit: 'percent' as const, aggregate: 'ratio' as const },
};

const { sleeps, track } = sourceTestLifecycle();
const source = () => createQuickBooksSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

async function harness(options: Partial<Parameters<typeof createHarness>[0]> = {}) {
  const created = await createHarness({ env, source: 'quickbooks', now: NOW, metrics: METRICS, ...options });
  track(created);
  return created;
}

/** The refresh grant: Basic client credentials, form body naming the refresh token being spent. */
function mockRefresh(spent: string, answer: { access: string; refresh: string }) {
  return nock(TOKEN_HOST, {
    reqheaders: { authorization: BASIC, accept: 'application/json', 'content-type': /application\/x-www-form-urlencoded/ },
  })
    .post(TOKEN_PATH, { grant_type: 'refresh_token', refresh_token: spent })
    .reply(200, tokenResponse(answer.access, answer.refresh));
}

async function storedRefreshToken(h: Harness): Promise<string | undefined> {
  const row = await h.store.db.selectFrom('sync_state').select('value').where('key', '=', 'quickbooks:refresh_token').executeTakeFirst();
  return row ? (JSON.parse(row.value) as { token: string }).token : undefined;
}

describe('QuickBooks Online collect', () => {
  it('refreshes the token, keeps the rotated refresh token, and maps the DST week to exact values', async () => {
    // No timezone math anywhere: QuickBooks dates transactions by calendar date and the report has one column per
    // date, so the 25-hour 2026-11-01 (CDT → CST) is the column dated 2026-11-01, and the request's start_date and
    // end_date are the local days themselves, not instants.
    const token = mockRefresh(ENV_REFRESH, { access: ACCESS, refresh: ROTATED });
    const api = nock(API_HOST, { reqheaders: { authorization: `Bearer ${ACCESS}`, accept: 'application/json' } })
      .get(REPORT_PATH)
      .query(WEEK_QUERY)
      .reply(200, dstWeekReport());

    const h = await harness();
    const values = await collectAll(source(), h, '2026-10-29', '2026-11-04');
    token.done();
    api.done();

    expect(byDay(values, 'revenue')).toEqual({
      '2026-10-29': 1200,
      '2026-10-30': 850.5,
      '2026-10-31': 0,
      '2026-11-01': 310.25,
      '2026-11-02': 2400,
      '2026-11-03': 1975.1,
      '2026-11-04': 640.15,
    });
    expect(byDay(values, 'expenses')).toEqual({
      '2026-10-29': 750.25,
      '2026-10-30': 330,
      '2026-10-31': 75,
      '2026-11-01': 40,
      '2026-11-02': 1992.9,
      '2026-11-03': 790,
      '2026-11-04': 255.15,
    });
    expect(byDay(values, 'profit_margin', (v) => [v.numerator, v.denominator])).toEqual({
      '2026-10-29': [449.75, 1200],
      '2026-10-30': [520.5, 850.5],
      '2026-10-31': [-75, 0],
      '2026-11-01': [270.25, 310.25],
      '2026-11-02': [407.1, 2400],
      '2026-11-03': [1210.1, 1975.1],
      '2026-11-04': [385, 640.15],
    });
    expect(await storedRefreshToken(h)).toBe(ROTATED);
    expect(h.ctx.stats.calls).toBe(2);
    expect(h.logLines.join('')).toContain('rotated the refresh token');
  });

  it('spends the stored refresh token on the next run, and leaves it alone when Intuit answers the same one', async () => {
    const first = mockRefresh(ENV_REFRESH, { access: ACCESS, refresh: ROTATED });
    const second = mockRefresh(ROTATED, { access: `${ACCESS}-2`, refresh: ROTATED });
    nock(API_HOST)
      .get(REPORT_PATH)
      .query(true)
      .times(2)
      .reply(200, noDataReport(['2026-11-01']));

    const h1 = await harness();
    await collectAll(source(), h1, '2026-11-01', '2026-11-01');
    const h2 = await harness({ store: h1.store });
    await collectAll(source(), h2, '2026-11-01', '2026-11-01');

    first.done();
    second.done();
    expect(await storedRefreshToken(h2)).toBe(ROTATED);
    expect(h2.logLines.join('')).not.toContain('rotated the refresh token');
  });

  it('goes back to QBO_REFRESH_TOKEN when it changes (the app was reconnected)', async () => {
    const reconnected = 'AB11797999999reconnectedTokenqrs';
    mockRefresh(ENV_REFRESH, { access: ACCESS, refresh: ROTATED });
    const fresh = mockRefresh(reconnected, { access: `${ACCESS}-2`, refresh: `${reconnected}-next` });
    nock(API_HOST)
      .get(REPORT_PATH)
      .query(true)
      .times(2)
      .reply(200, noDataReport(['2026-11-01']));

    const h1 = await harness();
    await collectAll(source(), h1, '2026-11-01', '2026-11-01');
    const h2 = await harness({ store: h1.store, env: { ...env, QBO_REFRESH_TOKEN: reconnected } });
    await collectAll(source(), h2, '2026-11-01', '2026-11-01');

    fresh.done();
    expect(await storedRefreshToken(h2)).toBe(`${reconnected}-next`);
  });

  it('asks for at most 31 days per report and yields a batch per request', async () => {
    mockRefresh(ENV_REFRESH, { access: ACCESS, refresh: ROTATED });
    const october = { ...WEEK_QUERY, start_date: '2026-10-01', end_date: '2026-10-31' };
    const november = { ...WEEK_QUERY, start_date: '2026-11-01', end_date: '2026-11-09' };
    const days = (from: number, count: number, month: string) =>
      Array.from({ length: count }, (_, i) => `2026-${month}-${String(from + i).padStart(2, '0')}`);
    const api = nock(API_HOST)
      .get(REPORT_PATH)
      .query(october)
      .reply(200, noDataReport(days(1, 31, '10')))
      .get(REPORT_PATH)
      .query(november)
      .reply(200, noDataReport(days(1, 9, '11')));

    const h = await harness({ metrics: { revenue: METRICS.revenue } });
    const batches: number[] = [];
    for await (const batch of source().collect(h.ctx, { from: '2026-10-01', to: '2026-11-09', metrics: h.metrics }))
      batches.push(batch.length);
    api.done();
    expect(batches).toEqual([31, 9]);
  });

  it('sends the configured accounting method to QBO_BASE_URL (sandbox), refreshing at QBO_TOKEN_URL', async () => {
    const token = nock('https://oauth-proxy.example.test')
      .post('/intuit/tokens', { grant_type: 'refresh_token', refresh_token: ENV_REFRESH })
      .reply(200, tokenResponse(ACCESS, ROTATED));
    const api = nock(SANDBOX_HOST)
      .get(REPORT_PATH)
      .query({ ...WEEK_QUERY, start_date: '2026-11-01', end_date: '2026-11-01', accounting_method: 'Cash' })
      .reply(200, noDataReport(['2026-11-01']));
    const h = await harness({
      env: { ...env, QBO_BASE_URL: `${SANDBOX_HOST}/v3/`, QBO_TOKEN_URL: 'https://oauth-proxy.example.test/intuit/tokens' },
      sources: { quickbooks: { accounting_method: 'Cash' } },
      metrics: { profit_margin: METRICS.profit_margin },
    });
    const values = await collectAll(source(), h, '2026-11-01', '2026-11-01');
    token.done();
    api.done();
    expect(values).toEqual([{ metricId: 'profit_margin', day: '2026-11-01', value: 0, numerator: 0, denominator: 0 }]);
  });

  it('fails with a config error when the credentials are missing, without a call', async () => {
    const h = await harness({ env: { QBO_CLIENT_ID: CLIENT_ID, QBO_REALM_ID: REALM_ID } });
    expect(source().configured(h.ctx.env)).toBe(false);
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).rejects.toMatchObject({
      errorClass: 'config',
      message: expect.stringContaining('QBO_CLIENT_SECRET'),
    });
    expect(h.ctx.stats.calls).toBe(0);
  });

  it('checks with a refresh and one company-info call', async () => {
    mockRefresh(ENV_REFRESH, { access: ACCESS, refresh: ROTATED });
    nock(API_HOST, { reqheaders: { authorization: `Bearer ${ACCESS}` } })
      .get(COMPANY_INFO_PATH)
      .query({ minorversion: '75' })
      .reply(200, companyInfo);
    const h = await harness();
    await expect(source().check(h.ctx)).resolves.toEqual({ ok: true, detail: 'authenticated; company "Northwind Field Services"' });
    expect(await storedRefreshToken(h)).toBe(ROTATED);
  });

  it('validates queries and settings strictly', () => {
    const qbo = source();
    expect(qbo.querySchema.safeParse({ kind: 'profit_margin' }).success).toBe(true);
    expect(qbo.querySchema.safeParse({ kind: 'net_income' }).success).toBe(false);
    expect(qbo.querySchema.safeParse({ kind: 'revenue', extra: 1 }).success).toBe(false);
    expect(qbo.settingsSchema.parse({})).toEqual({ accounting_method: 'Accrual' });
    expect(qbo.settingsSchema.safeParse({ accounting_method: 'accrual' }).success).toBe(false);
  });
});
