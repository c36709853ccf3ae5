import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createMetaAdsSource } from '../../../src/integrations/meta-ads/index.js';
import { refresh } from '../../../src/integrations/refresh.js';
import { staleHours } from '../../../src/metrics/status.js';
import { channelSpend, writeChannelSpend } from '../../../src/store/ad-spend-channels.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { commentedExampleMetrics, harnessMetrics } from '../../helpers/commented-examples.js';
import { byDay, collectAll, createHarness, expectNoSecrets, failureOf, sourceTestLifecycle } from '../../helpers/source-harness.js';
import { account, ACCOUNT, fakeGraph, FROM, GRAPH, graphError, INSIGHTS, NOW, PAGE_1, PAGE_2, TO, usageHeaders } from './fixtures.js';

const TOKEN = 'EAAGm0PX4ZCpsBAJmetaSystemUserToken42';
const ENV = { META_ADS_ACCESS_TOKEN: TOKEN, META_AD_ACCOUNT_ID: '1234567890' };
const SETTINGS = { meta_ads: { rate_limit: { default: { max: 1000, per_seconds: 1 } } } };
const examples = commentedExampleMetrics('Ad spend by platform');

const { sleeps, track } = sourceTestLifecycle();
const source = () => createMetaAdsSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });
async function harness() {
  const h = track(
    await createHarness({
      env: ENV,
      source: 'meta_ads',
      now: NOW,
      sources: SETTINGS,
      metrics: { ad_spend_meta: harnessMetrics(examples).ad_spend_meta! },
    }),
  );
  // `ad_spend` is the manual (CSV) metric Meta's spend is a channel of.
  h.ctx.config.metrics.ad_spend = { ...h.ctx.config.metrics.ad_spend_meta!, name: 'Ad spend', source: 'manual', query: {} };
  return h;
}

const FORTNIGHT_SPEND = {
  '2026-10-26': 120.5,
  '2026-10-27': 99.99,
  '2026-10-28': 0,
  '2026-10-29': 0.01,
  '2026-10-30': 0,
  '2026-10-31': 0,
  '2026-11-01': 250,
  '2026-11-02': 80.1,
  '2026-11-03': 0,
  '2026-11-04': 0,
  '2026-11-05': 0,
  '2026-11-06': 0,
  '2026-11-07': 5.4,
  '2026-11-08': 44,
};

describe('Meta Ads source', () => {
  it('reads daily account spend for a fortnight across the end of DST, following the after cursor', async () => {
    const calls = fakeGraph();
    const h = await harness();
    const values = await collectAll(source(), h, FROM, TO);
    expect(byDay(values, 'ad_spend_meta')).toEqual(FORTNIGHT_SPEND);
    expect(values[0]).toMatchObject({ feeds: { metricId: 'ad_spend', channel: 'meta', currency: 'USD' } });
    expect(calls.map((params) => Object.fromEntries(params))).toEqual([
      {
        fields: 'spend,account_currency',
        level: 'account',
        time_increment: '1',
        time_range: '{"since":"2026-10-26","until":"2026-11-08"}',
        limit: '100',
      },
      {
        fields: 'spend,account_currency',
        level: 'account',
        time_increment: '1',
        time_range: '{"since":"2026-10-26","until":"2026-11-08"}',
        limit: '100',
        after: 'MjQZD',
      },
    ]);
    expect(sleeps).toEqual([]);
    expectNoSecrets(h.logLines, [TOKEN]);
  });

  it('adds its spend to ad_spend beside CSV channels, and a re-fetch changes nothing', async () => {
    fakeGraph();
    const h = await harness();
    // Imported earlier: LinkedIn on 11-01 and a Meta figure for 11-02 that the fetch will replace.
    const imported = { metric_id: 'ad_spend', currency: 'USD', source: 'import', fetched_at: NOW.toISOString() };
    await writeChannelSpend(h.store, [
      { ...imported, day: '2026-11-01', channel: 'linkedin', amount: 30 },
      { ...imported, day: '2026-11-02', channel: 'meta', amount: 79 },
    ]);
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, now: NOW, sources: [source()] };
    expect((await refresh(deps, { sourceIds: ['meta_ads'], from: FROM, to: TO })).results[0]).toMatchObject({
      status: 'ok',
      valuesWritten: 14,
    });
    const total = async () =>
      byDay(
        (await getDailyValues(h.store, ['ad_spend'], FROM, '2026-11-09')).map((row) => ({
          metricId: row.metric_id,
          day: row.day,
          value: row.value,
        })),
        'ad_spend',
      );
    const first = await total();
    expect(first).toEqual({ ...FORTNIGHT_SPEND, '2026-11-01': 280, '2026-11-02': 80.1 });
    await refresh(deps, { sourceIds: ['meta_ads'], from: FROM, to: TO });
    expect(await total()).toEqual(first);
    expect(
      (await channelSpend(h.store, 'ad_spend', '2026-11-01', '2026-11-03')).map((row) => [row.day, row.channel, row.amount, row.source]),
    ).toEqual([
      ['2026-11-01', 'linkedin', 30, 'import'],
      ['2026-11-01', 'meta', 250, 'meta_ads'],
      ['2026-11-02', 'meta', 80.1, 'meta_ads'],
    ]);
  });

  it('backs off on a throttle error code (not a 429) for the time Meta names, then succeeds', async () => {
    nock(GRAPH).get(`/v25.0/${ACCOUNT}`).query(true).reply(200, account());
    nock(GRAPH)
      .get(INSIGHTS)
      .query(true)
      .reply(
        400,
        graphError(80000, 'There have been too many calls from this ad-account. Wait a bit and try again.', 2446079),
        usageHeaders(100, 1),
      )
      .get(INSIGHTS)
      .query(true)
      .reply(200, PAGE_2);
    const h = await harness();
    const values = await collectAll(source(), h, '2026-11-02', '2026-11-02');
    expect(values.map((v) => v.value)).toEqual([80.1]);
    expect(sleeps).toEqual([60_000]);
  });

  it('pauses before usage reaches 100 % instead of waiting to be throttled', async () => {
    nock(GRAPH).get(`/v25.0/${ACCOUNT}`).query(true).reply(200, account(), usageHeaders(10));
    nock(GRAPH)
      .get(INSIGHTS)
      .query(true)
      .reply(200, PAGE_1, usageHeaders(90, 2))
      .get(INSIGHTS)
      .query(true)
      .reply(200, PAGE_2, usageHeaders(20));
    const h = await harness();
    await expect(collectAll(source(), h, FROM, TO)).resolves.toHaveLength(14);
    expect(sleeps).toEqual([120_000]);
  });

  it('recovers from a 5xx', async () => {
    nock(GRAPH)
      .get(`/v25.0/${ACCOUNT}`)
      .query(true)
      .reply(503, 'Service Unavailable')
      .get(`/v25.0/${ACCOUNT}`)
      .query(true)
      .reply(200, account());
    nock(GRAPH).get(INSIGHTS).query(true).reply(200, PAGE_2);
    const h = await harness();
    await expect(collectAll(source(), h, '2026-11-02', '2026-11-08')).resolves.toHaveLength(7);
    expect(sleeps).toEqual([250]);
  });

  it('stops at an invalid token without retrying, and never shows it', async () => {
    const api = nock(GRAPH)
      .get(`/v25.0/${ACCOUNT}`)
      .query(true)
      .times(2)
      .reply(400, graphError(190, 'Invalid OAuth access token - Cannot parse access token'));
    const h = await harness();
    const error = await failureOf(collectAll(source(), h, FROM, TO));
    expect(error).toMatchObject({ errorClass: 'auth', message: expect.stringContaining('code 190') });
    expect(api.pendingMocks()).toHaveLength(1);
    expectNoSecrets([String(error), ...h.logLines], [TOKEN]);
  });

  it('refuses spend in another currency than the org’s', async () => {
    nock(GRAPH).get(`/v25.0/${ACCOUNT}`).query(true).reply(200, account('EUR'));
    const h = await harness();
    await expect(collectAll(source(), h, FROM, TO)).rejects.toMatchObject({
      errorClass: 'config',
      message: expect.stringContaining("spends in EUR, not the org's USD"),
    });
  });

  it('keeps the last good values, marked stale, when the body drifts', async () => {
    fakeGraph();
    const h = await harness();
    const deps = { store: h.store, config: h.ctx.config, env: ENV, logger: h.ctx.logger, sources: [source()] };
    expect((await refresh({ ...deps, now: NOW }, { from: TO, to: TO })).ok).toBe(true);
    const good = await getDailyValues(h.store, ['ad_spend_meta', 'ad_spend'], TO, '2026-11-09');
    nock.cleanAll();
    nock(GRAPH).get(`/v25.0/${ACCOUNT}`).query(true).reply(200, account());
    nock(GRAPH)
      .get(INSIGHTS)
      .query(true)
      .reply(200, { data: [{ spend: 44, date_start: TO, date_stop: TO }] });
    const later = new Date(NOW.getTime() + 5 * 3_600_000);
    expect((await refresh({ ...deps, now: later }, { from: TO, to: TO })).results[0]).toMatchObject({
      status: 'failed',
      errorClass: 'bad_response',
    });
    const kept = await getDailyValues(h.store, ['ad_spend_meta', 'ad_spend'], TO, '2026-11-09');
    expect(kept).toEqual(good);
    expect(staleHours(kept[0]!.fetched_at, later, 4, later.toISOString())).toBe(5);
  });
});
