import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createGoogleAdsSource } from '../../../src/integrations/google-ads/index.js';
import { refresh } from '../../../src/integrations/refresh.js';
import { staleHours } from '../../../src/metrics/status.js';
import { channelSpend, writeChannelSpend } from '../../../src/store/ad-spend-channels.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { commentedExampleMetrics, harnessMetrics } from '../../helpers/commented-examples.js';
import { byDay, collectAll, createHarness, expectNoSecrets, failureOf, sourceTestLifecycle } from '../../helpers/source-harness.js';
import { ADS, adsError, fakeAds, FROM, NOW, STREAM, streamBatches, TO, TOKEN_HOST, TOKEN_URL, tokenResponse } from './fixtures.js';

const SECRET = 'GOCSPX-ads-client-secret-1f2e';
const REFRESH = '1//0gAdsRefreshToken-4Q7w';
const DEV = 'devtoken-ABCdef123456';
const ENV = {
  GOOGLE_ADS_DEVELOPER_TOKEN: DEV,
  GOOGLE_ADS_CLIENT_ID: '80123-abc.apps.googleusercontent.com',
  GOOGLE_ADS_CLIENT_SECRET: SECRET,
  GOOGLE_ADS_REFRESH_TOKEN: REFRESH,
  GOOGLE_ADS_CUSTOMER_ID: '123-456-7890',
  GOOGLE_ADS_LOGIN_CUSTOMER_ID: '999-888-7777',
  GOOGLE_ADS_TOKEN_URL: TOKEN_URL,
};
const SECRETS = [SECRET, REFRESH, DEV, 'ya29.ads-1', 'ya29.ads-2'];
const SETTINGS = { google_ads: { rate_limit: { default: { max: 1000, per_seconds: 1 } } } };
const spec = harnessMetrics(commentedExampleMetrics('Ad spend by platform')).ad_spend_google!;

const { sleeps, track } = sourceTestLifecycle();
const source = () => createGoogleAdsSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
async function harness() {
  const h = track(await createHarness({ env: ENV, source: 'google_ads', now: NOW, sources: SETTINGS, metrics: { ad_spend_google: spec } }));
  h.ctx.config.metrics.ad_spend = { ...h.ctx.config.metrics.ad_spend_google!, name: 'Ad spend', source: 'manual', query: {} };
  return h;
}
const SPEND = {
  '2026-10-26': 120.51,
  '2026-10-27': 0,
  '2026-10-28': 9.99,
  '2026-10-29': 0,
  '2026-10-30': 0,
  '2026-10-31': 0,
  '2026-11-01': 250,
  '2026-11-02': 0,
  '2026-11-03': 0,
  '2026-11-04': 0,
  '2026-11-05': 0,
  '2026-11-06': 0,
  '2026-11-07': 0,
  '2026-11-08': 44,
};

describe('Google Ads source', () => {
  it('streams daily cost for a fortnight across the end of DST, micros strings to currency', async () => {
    const fake = fakeAds();
    const h = await harness();
    const values = await collectAll(source(), h, FROM, TO);
    expect(byDay(values, 'ad_spend_google')).toEqual(SPEND);
    expect(values[0]).toMatchObject({ feeds: { metricId: 'ad_spend', channel: 'google', currency: 'USD' } });
    expect(fake.bodies).toEqual([
      {
        query:
          "SELECT customer.currency_code, customer.time_zone, segments.date, metrics.cost_micros FROM customer WHERE segments.date BETWEEN '2026-10-26' AND '2026-11-08'",
      },
    ]);
    expect(fake.headers[0]).toMatchObject({ 'developer-token': DEV, 'login-customer-id': '9998887777' });
    expect(fake.tokens).toBe(1);
    expectNoSecrets(h.logLines, SECRETS);
  });

  it('adds its cost to ad_spend beside other channels; a re-fetch changes nothing', async () => {
    fakeAds();
    const h = await harness();
    await writeChannelSpend(h.store, [
      {
        metric_id: 'ad_spend',
        day: '2026-11-01',
        channel: 'meta',
        amount: 250,
        currency: 'USD',
        source: 'meta_ads',
        fetched_at: NOW.toISOString(),
      },
    ]);
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, now: NOW, sources: [source()] };
    await refresh(deps, { sourceIds: ['google_ads'], from: FROM, to: TO });
    const totals = async () =>
      Object.fromEntries((await getDailyValues(h.store, ['ad_spend'], FROM, '2026-11-09')).map((row) => [row.day, row.value]));
    const first = await totals();
    expect(first).toEqual({ ...SPEND, '2026-11-01': 500 });
    await refresh(deps, { sourceIds: ['google_ads'], from: FROM, to: TO });
    expect(await totals()).toEqual(first);
    expect((await channelSpend(h.store, 'ad_spend', '2026-11-01', '2026-11-02')).map((row) => row.channel)).toEqual(['google', 'meta']);
  });

  it('fetches a new access token once when the API says it expired', async () => {
    nock(ADS)
      .post(STREAM)
      .reply(
        401,
        adsError(401, 'UNAUTHENTICATED', { authenticationError: 'OAUTH_TOKEN_EXPIRED' }, 'The OAuth token in the request has expired.'),
      );
    const fake = fakeAds();
    const h = await harness();
    await expect(collectAll(source(), h, FROM, TO)).resolves.toHaveLength(14);
    expect(fake.tokens).toBe(2);
    expectNoSecrets(h.logLines, SECRETS);
  });

  it('stops at a revoked refresh token: auth, no API call, no secret shown', async () => {
    nock(TOKEN_HOST).post('/token').reply(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    const api = nock(ADS).post(STREAM).reply(200, streamBatches());
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, FROM, TO));
    expect(error).toMatchObject({
      errorClass: 'auth',
      message: expect.stringContaining('invalid_grant: Token has been expired or revoked.'),
    });
    expect(api.isDone()).toBe(false);
    const check = await source().check(h.ctx);
    expect(check.ok).toBe(false);
    expectNoSecrets([String(error), check.detail, ...h.logLines], SECRETS);
  });

  it('waits the retryDelay a quota error names, and recovers from a 5xx', async () => {
    nock(TOKEN_HOST).post('/token').reply(200, tokenResponse('ya29.ads-1'));
    nock(ADS)
      .post(STREAM)
      .reply(
        429,
        adsError(
          429,
          'RESOURCE_EXHAUSTED',
          { quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' },
          'Too many requests. Retry in 30 seconds.',
          '30s',
        ),
      )
      .post(STREAM)
      .reply(500, adsError(500, 'INTERNAL', { internalError: 'INTERNAL_ERROR' }, 'An internal error has occurred.'))
      .post(STREAM)
      .reply(200, streamBatches());
    const h = await harness();
    await expect(collectAll(source(), h, FROM, TO)).resolves.toHaveLength(14);
    expect(sleeps).toEqual([30_000, 500]);
    expect(h.ctx.stats.rateLimited).toBe(1);
  });

  it('refuses a customer billed in another currency than the org’s', async () => {
    fakeAds('EUR');
    const h = await harness();
    await expect(collectAll(source(), h, FROM, TO)).rejects.toMatchObject({
      errorClass: 'config',
      message: expect.stringContaining("billed in EUR, not the org's USD"),
    });
  });

  it('keeps the last good values, marked stale, when the body drifts', async () => {
    fakeAds();
    const h = await harness();
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, sources: [source()] };
    expect((await refresh({ ...deps, now: NOW }, { from: TO, to: TO })).ok).toBe(true);
    const good = await getDailyValues(h.store, ['ad_spend_google', 'ad_spend'], TO, '2026-11-09');
    nock.cleanAll();
    nock(TOKEN_HOST).post('/token').reply(200, tokenResponse('ya29.ads-9'));
    // costMicros as a JSON number: int64 must arrive as a string.
    nock(ADS)
      .post(STREAM)
      .reply(200, [{ results: [{ segments: { date: TO }, metrics: { costMicros: 44000000 } }] }]);
    const later = new Date(NOW.getTime() + 5 * 3_600_000);
    expect((await refresh({ ...deps, now: later }, { from: TO, to: TO })).results[0]).toMatchObject({
      status: 'failed',
      errorClass: 'bad_response',
    });
    const kept = await getDailyValues(h.store, ['ad_spend_google', 'ad_spend'], TO, '2026-11-09');
    expect(kept).toEqual(good);
    expect(staleHours(kept[0]!.fetched_at, later, 4, later.toISOString())).toBe(5);
  });
});
