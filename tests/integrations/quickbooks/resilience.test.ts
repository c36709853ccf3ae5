import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createQuickBooksSource } from '../../../src/integrations/quickbooks/index.js';
import { SourceError } from '../../../src/integrations/errors.js';
import { byDay, collectAll, createHarness, failureOf, sourceTestLifecycle, expectNoSecrets } from '../../helpers/source-harness.js';
import { API_HOST, dstWeekReport, fault, noDataReport, REALM_ID, REPORT_PATH, TOKEN_HOST, TOKEN_PATH, tokenResponse } from './fixtures.js';

const CLIENT_ID = 'ABq7xZk2Lm9PcQ4rT1vW8yN3sD6fG0hJ5uE';
const CLIENT_SECRET = 'qB0s3cr3t+Intuit/Client=Key7';
const ENV_REFRESH = 'AB11797000000envRefreshTokenxyz';
const ROTATED = 'AB11797086400rotatedRefreshTokenabc';
const ROTATED_AGAIN = 'AB11797090000secondRotationdef';
const ACCESS = 'eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..access-one';
const ACCESS_2 = 'eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0..access-two';
const SECRETS = [CLIENT_SECRET, ENV_REFRESH, ROTATED, ROTATED_AGAIN, ACCESS, ACCESS_2];
const env = { QBO_CLIENT_ID: CLIENT_ID, QBO_CLIENT_SECRET: CLIENT_SECRET, QBO_REFRESH_TOKEN: ENV_REFRESH, QBO_REALM_ID: REALM_ID };
const DAY = '2026-11-01';
const ONE_DAY_REVENUE = [{ metricId: 'revenue', day: DAY, value: 0 }];
const THROTTLED = fault('message=ThrottleExceeded; errorCode=003001; statusCode=429', 'The request limit was reached.', '003001');
const AUTH_FAULT = fault('message=AuthenticationFailed; errorCode=003200; statusCode=401', 'Token expired', '3200', 'AUTHENTICATION');

const { sleeps, track } = sourceTestLifecycle();
const source = () => createQuickBooksSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

async function harness() {
  const created = await createHarness({
    env,
    source: 'quickbooks',
    now: new Date('2026-11-05T15:00:00Z'),
    metrics: { revenue: { kind: 'revenue', unit: 'currency' } },
  });
  track(created);
  return created;
}

function mockRefresh(spent: string, access: string, refresh: string) {
  return nock(TOKEN_HOST)
    .post(TOKEN_PATH, { grant_type: 'refresh_token', refresh_token: spent })
    .reply(200, tokenResponse(access, refresh));
}

const report = () => nock(API_HOST).get(REPORT_PATH).query(true);

describe('QuickBooks Online failures', () => {
  it('waits 60 s after a 429 without Retry-After, as Intuit asks, then succeeds', async () => {
    mockRefresh(ENV_REFRESH, ACCESS, ROTATED);
    const api = report()
      .reply(429, THROTTLED)
      .get(REPORT_PATH)
      .query(true)
      .reply(200, noDataReport([DAY]));
    const h = await harness();
    const values = await collectAll(source(), h, DAY, DAY);
    api.done();
    expect(values).toEqual(ONE_DAY_REVENUE);
    expect(sleeps).toEqual([60_000]);
    expect(h.ctx.stats).toEqual({ calls: 3, rateLimited: 1 });
  });

  it('honours a Retry-After on a 429', async () => {
    mockRefresh(ENV_REFRESH, ACCESS, ROTATED);
    report()
      .reply(429, THROTTLED, { 'Retry-After': '7' })
      .get(REPORT_PATH)
      .query(true)
      .reply(200, noDataReport([DAY]));
    const h = await harness();
    await expect(collectAll(source(), h, DAY, DAY)).resolves.toEqual(ONE_DAY_REVENUE);
    expect(sleeps).toEqual([7000]);
  });

  it('gives up as rate_limited at once when asked to wait longer than two minutes', async () => {
    mockRefresh(ENV_REFRESH, ACCESS, ROTATED);
    report().reply(429, THROTTLED, { 'Retry-After': '600' });
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, DAY, DAY));
    expect(error).toMatchObject({ errorClass: 'rate_limited', status: 429, message: expect.stringContaining('asked to wait 600 s') });
    expect(sleeps).toEqual([]);
  });

  it('gives up as rate_limited after three 60 s waits', async () => {
    mockRefresh(ENV_REFRESH, ACCESS, ROTATED);
    const api = report().times(4).reply(429, THROTTLED);
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, DAY, DAY));
    api.done();
    expect(error).toMatchObject({ errorClass: 'rate_limited', status: 429 });
    expect(sleeps).toEqual([60_000, 60_000, 60_000]);
    expect(h.ctx.stats.rateLimited).toBe(4);
  });

  it('recovers from a 5xx with backoff and maps the answer exactly', async () => {
    mockRefresh(ENV_REFRESH, ACCESS, ROTATED);
    const api = report().reply(503, 'Service Unavailable').get(REPORT_PATH).query(true).reply(200, dstWeekReport());
    const h = await harness();
    const values = await collectAll(source(), h, '2026-10-29', '2026-11-04');
    api.done();
    expect(byDay(values, 'revenue')).toMatchObject({ '2026-11-01': 310.25, '2026-11-02': 2400 });
    expect(sleeps).toEqual([250]);
  });

  it('stops at a 401 from the token endpoint: an auth error after exactly one call', async () => {
    let tokenCalls = 0;
    nock(TOKEN_HOST)
      .post(TOKEN_PATH)
      .times(5)
      .reply(() => {
        tokenCalls++;
        return [401, { error: 'invalid_client' }];
      });
    const reports = report().reply(200, noDataReport([DAY]));
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, DAY, DAY));
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({
      errorClass: 'auth',
      status: 401,
      message: expect.stringContaining('check QBO_CLIENT_ID and QBO_CLIENT_SECRET'),
    });
    expect(tokenCalls).toBe(1);
    expect(reports.isDone()).toBe(false);
    expect(sleeps).toEqual([]);
  });

  it('reports an expired or revoked refresh token (invalid_grant) as an auth error that says how to fix it', async () => {
    nock(TOKEN_HOST).post(TOKEN_PATH).reply(400, { error: 'invalid_grant' });
    const h = await harness();
    const result = await source().check(h.ctx);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(
      /^authentication failed: check QBO_CLIENT_ID.*refresh token rejected \(invalid_grant\): reconnect the app/,
    );
    expect(h.ctx.stats.calls).toBe(1);
  });

  it('refreshes once on a 401 from the API, with the rotated refresh token, and repeats the call', async () => {
    const first = mockRefresh(ENV_REFRESH, ACCESS, ROTATED);
    const second = mockRefresh(ROTATED, ACCESS_2, ROTATED_AGAIN);
    nock(API_HOST, { reqheaders: { authorization: `Bearer ${ACCESS}` } })
      .get(REPORT_PATH)
      .query(true)
      .reply(401, AUTH_FAULT);
    nock(API_HOST, { reqheaders: { authorization: `Bearer ${ACCESS_2}` } })
      .get(REPORT_PATH)
      .query(true)
      .reply(200, noDataReport([DAY]));
    const h = await harness();
    await expect(collectAll(source(), h, DAY, DAY)).resolves.toEqual(ONE_DAY_REVENUE);
    first.done();
    second.done();
    const row = await h.store.db
      .selectFrom('sync_state')
      .select('value')
      .where('key', '=', 'quickbooks:refresh_token')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.value).token).toBe(ROTATED_AGAIN);
  });

  it('fails as auth when the API still answers 401 after the one refresh', async () => {
    mockRefresh(ENV_REFRESH, ACCESS, ROTATED);
    mockRefresh(ROTATED, ACCESS_2, ROTATED);
    const api = report().times(2).reply(401, AUTH_FAULT);
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, DAY, DAY));
    api.done();
    expect(error).toMatchObject({ errorClass: 'auth', status: 401, message: expect.stringContaining('AuthenticationFailed') });
    expect(h.ctx.stats.calls).toBe(4);
  });

  it('rejects a malformed body as bad_response, without retrying', async () => {
    mockRefresh(ENV_REFRESH, ACCESS, ROTATED);
    report().reply(200, {
      Header: { ReportName: 'ProfitAndLoss' },
      Columns: { Column: 'Total' },
      Rows: { Row: [{ Summary: { ColData: [{ value: 12 }] } }] },
    });
    const h = await harness();
    await expect(collectAll(source(), h, DAY, DAY)).rejects.toMatchObject({ errorClass: 'bad_response' });
    expect(h.ctx.stats.calls).toBe(2);
  });

  it('rejects an amount that is not a number as bad_response', async () => {
    mockRefresh(ENV_REFRESH, ACCESS, ROTATED);
    const body = dstWeekReport() as { Rows: { Row: { group?: string; Summary?: { ColData: { value?: string }[] } }[] } };
    body.Rows.Row.find((row) => row.group === 'Income')!.Summary!.ColData[4] = { value: 'n/a' };
    report().reply(200, body);
    const h = await harness();
    await expect(collectAll(source(), h, '2026-10-29', '2026-11-04')).rejects.toMatchObject({
      errorClass: 'bad_response',
      message: expect.stringContaining('Income summary, column 4: "n/a" is not an amount'),
    });
  });

  it('keeps the client secret, refresh and access tokens out of every log line, error and check detail', async () => {
    // Each answer echoes only what had been issued (or sent) by then, as a careless gateway might.
    const early = `client ${CLIENT_SECRET} refresh ${ENV_REFRESH} ${ROTATED} access ${ACCESS}`;
    const late = `${early} ${ROTATED_AGAIN} ${ACCESS_2}`;
    mockRefresh(ENV_REFRESH, ACCESS, ROTATED);
    mockRefresh(ROTATED, ACCESS_2, ROTATED_AGAIN);
    report()
      .reply(429, fault(`throttled ${early}`, early, '003001'))
      .get(REPORT_PATH)
      .query(true)
      .reply(401, fault(`AuthenticationFailed ${early}`, early, '3200'))
      .get(REPORT_PATH)
      .query(true)
      .reply(403, fault(`Forbidden ${late}`, late, '003100'));
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, DAY, DAY));
    expect(error).toMatchObject({ errorClass: 'auth', status: 403 });

    const spent = `client ${CLIENT_SECRET} refresh ${ENV_REFRESH} ${ROTATED_AGAIN}`;
    nock(TOKEN_HOST).post(TOKEN_PATH).reply(400, { error: 'invalid_request', error_description: spent });
    const check = await source().check(h.ctx);
    expect(check.ok).toBe(false);

    expect(h.logLines.length).toBeGreaterThanOrEqual(5);
    expect(h.logLines.join('')).toContain('[REDACTED]');
    expectNoSecrets([...h.logLines, (error as Error).message, check.detail], SECRETS);
    // The newest refresh token is the one credential kept, under its own key and nowhere else.
    const rows = await h.store.db.selectFrom('sync_state').selectAll().execute();
    expect(rows.map((row) => row.key)).toEqual(['quickbooks:refresh_token']);
    expectNoSecrets(
      rows.map((row) => row.value.replace(ROTATED_AGAIN, '')),
      SECRETS,
    );
  });
});
