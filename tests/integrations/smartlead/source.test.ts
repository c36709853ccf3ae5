import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createSmartleadSource } from '../../../src/integrations/smartlead/index.js';
import { campaignAnalyticsSchema, smartleadQuerySchema, smartleadSettingsSchema } from '../../../src/integrations/smartlead/schemas.js';
import { byDay, collectAll, createHarness, sourceTestLifecycle } from '../../helpers/source-harness.js';
import { analytics, BASE, campaigns, leads101Page1, leads101Page2, leads102, ROOT } from './fixtures.js';

const API_KEY = 'sl_live_4f9c2b7e1d8a6035';
/** 11:00 CST on Sun 2026-11-01, the day DST ends in Chicago. */
const NOW = new Date('2026-11-01T17:00:00Z');
/** Tests lift the 1 request/s default so they never wait on the limiter. */
const FAST = { smartlead: { rate_limit: { default: { max: 1000, per_seconds: 1 } } } };
const withKey = (extra: Record<string, string> = {}) => ({ ...extra, api_key: API_KEY });

const { track } = sourceTestLifecycle();
const source = () => createSmartleadSource({ sleep: async () => undefined, random: () => 0.5 });

async function harness(options: Partial<Parameters<typeof createHarness>[0]> = {}) {
  const created = await createHarness({
    env: { SMARTLEAD_API_KEY: API_KEY },
    source: 'smartlead',
    now: NOW,
    sources: FAST,
    metrics: {
      leads_in_queue: { kind: 'leads_in_queue', aggregate: 'last' },
      avg_leads_contacted_per_day: { kind: 'avg_leads_contacted_per_day', aggregate: 'last' },
      lead_queue_runway: { kind: 'lead_queue_runway', unit: 'days', aggregate: 'ratio' },
      new_contacts_sequenced: { kind: 'new_contacts_sequenced' },
    },
    ...options,
  });
  return track(created);
}

/**
 * One campaign's statistics for step 1 over the window, shaped like the reference's 200 example
 * (get-campaigns-id-statistics.json, `{ ok, data, offset, limit }`), with a follow-up row that must not count.
 */
function mockFirstEmails(
  scope: nock.Scope,
  id: number,
  firstEmails: number,
  window = { start: '2026-10-18T05:00:00.000Z', end: '2026-11-01T05:00:00.000Z' },
) {
  return scope
    .get(`${ROOT}/campaigns/${id}/statistics`)
    .query(
      withKey({
        email_sequence_number: '1',
        sent_time_start_date: window.start,
        sent_time_end_date: window.end,
        offset: '0',
        limit: '1000',
      }),
    )
    .reply(200, {
      ok: true,
      data: [
        { campaign_id: id, sequence_number: 1, sent: firstEmails, opened: 0, clicked: 0, replied: 0, unsubscribed: 0, bounced: 0 },
        { campaign_id: id, sequence_number: 2, sent: 5 * firstEmails, opened: 0, clicked: 0, replied: 0, unsubscribed: 0, bounced: 0 },
      ],
      offset: 0,
      limit: 1000,
    });
}

/**
 * Campaigns top-level; 101's analytics in the `{ ok, data }` envelope, 103's top-level with a string count. The pace
 * reads every campaign that could have sent in the window (101, the paused 102, 103; not 104, created after it).
 */
function mockQueue(firstEmails: Record<number, number>) {
  const scope = nock(BASE)
    .get(`${ROOT}/campaigns`)
    .query(withKey())
    .reply(200, campaigns)
    .get(`${ROOT}/campaigns/101/analytics`)
    .query(withKey())
    .reply(200, { ok: true, data: analytics(101, 1200) })
    .get(`${ROOT}/campaigns/103/analytics`)
    .query(withKey())
    .reply(200, analytics(103, '320'))
    .get(`${ROOT}/campaigns/104/analytics`)
    .query(withKey())
    .reply(200, analytics(104, 0));
  for (const id of [101, 102, 103]) mockFirstEmails(scope, id, firstEmails[id] ?? 0);
  return scope;
}

describe('Smartlead collect', () => {
  it('computes queue, average, runway and the DST week of new contacts exactly, paging leads to the end', async () => {
    // Queue: 1200 + 320 + 0 = 1520 not started. First emails over 10-18…10-31 (14 complete days): 400 + 100 (102,
    // paused since) + 60 = 560 → 40 / day; the follow-up steps (5× as many) are not new leads. Runway: 1520 ÷ 40 = 38 days.
    const queue = mockQueue({ 101: 400, 102: 100, 103: 60 });
    const leads = nock(BASE)
      .get(`${ROOT}/campaigns/101/leads`)
      .query(withKey({ offset: '0', limit: '100' }))
      .reply(200, { total_leads: '103', data: leads101Page1, offset: 0, limit: 100 })
      .get(`${ROOT}/campaigns/101/leads`)
      .query(withKey({ offset: '100', limit: '100' }))
      .reply(200, { total_leads: '103', data: leads101Page2, offset: 100, limit: 100 })
      .get(`${ROOT}/campaigns/102/leads`)
      .query(withKey({ offset: '0', limit: '100' }))
      .reply(200, { ok: true, data: leads102, offset: 0, limit: 100 })
      .get(`${ROOT}/campaigns/103/leads`)
      .query(withKey({ offset: '0', limit: '100' }))
      .reply(200, { total_leads: '0', data: [], offset: 0, limit: 100 });

    const h = await harness();
    const values = await collectAll(source(), h, '2026-10-29', '2026-11-04');
    queue.done();
    leads.done();

    expect(values.filter((v) => v.metricId !== 'new_contacts_sequenced')).toEqual([
      { metricId: 'leads_in_queue', day: '2026-11-01', value: 1520 },
      { metricId: 'avg_leads_contacted_per_day', day: '2026-11-01', value: 40, numerator: 560, denominator: 14 },
      { metricId: 'lead_queue_runway', day: '2026-11-01', value: 38, numerator: 1520, denominator: 40 },
    ]);
    expect(byDay(values, 'new_contacts_sequenced')).toEqual({
      '2026-10-29': 60,
      '2026-10-30': 0,
      '2026-10-31': 0,
      '2026-11-01': 41,
      '2026-11-02': 1,
      '2026-11-03': 0,
      '2026-11-04': 1,
    });
    expect(h.ctx.stats.calls).toBe(11);
  });

  it('stores the runway as queue ÷ 0 with a warning when nothing was sent in the window', async () => {
    const queue = mockQueue({});
    const h = await harness({ metrics: { lead_queue_runway: { kind: 'lead_queue_runway', unit: 'days', aggregate: 'ratio' } } });
    const values = await collectAll(source(), h, '2026-11-01', '2026-11-01');
    queue.done();
    expect(values).toEqual([
      {
        metricId: 'lead_queue_runway',
        day: '2026-11-01',
        value: 0,
        numerator: 1520,
        denominator: 0,
        warnings: ['no leads contacted in the last 14 days: runway is unbounded (∞, no sends)'],
      },
    ]);
  });

  it('uses the configured window, and keeps the pace of campaigns paused since (pausing empties the queue, not the past)', async () => {
    const api = nock(BASE)
      .get(`${ROOT}/campaigns`)
      .query(withKey())
      .reply(200, { ok: true, data: campaigns.map((c) => ({ ...c, status: 'PAUSED' })) });
    const week = { start: '2026-10-25T05:00:00.000Z', end: '2026-11-01T05:00:00.000Z' };
    mockFirstEmails(api, 101, 35, week);
    mockFirstEmails(api, 102, 0, week);
    mockFirstEmails(api, 103, 0, week);
    const h = await harness({
      sources: { smartlead: { ...FAST.smartlead, runway_window_days: 7 } },
      metrics: {
        avg_leads_contacted_per_day: { kind: 'avg_leads_contacted_per_day', aggregate: 'last' },
        lead_queue_runway: { kind: 'lead_queue_runway', unit: 'days', aggregate: 'ratio' },
      },
    });
    const values = await collectAll(source(), h, '2026-11-01', '2026-11-01');
    api.done();
    expect(values).toEqual([
      { metricId: 'avg_leads_contacted_per_day', day: '2026-11-01', value: 5, numerator: 35, denominator: 7 },
      { metricId: 'lead_queue_runway', day: '2026-11-01', value: 0, numerator: 0, denominator: 5 },
    ]);
  });

  it('yields stocks only for today, and nothing at all for a past range without flows', async () => {
    const h = await harness({ metrics: { leads_in_queue: { kind: 'leads_in_queue', aggregate: 'last' } } });
    await expect(collectAll(source(), h, '2026-10-01', '2026-10-07')).resolves.toEqual([]);
    expect(h.ctx.stats.calls).toBe(0);
  });

  it('checks with one call and reads either envelope', async () => {
    nock(BASE).get(`${ROOT}/campaigns`).query(withKey()).reply(200, { ok: true, data: campaigns });
    nock(BASE).get(`${ROOT}/campaigns`).query(withKey()).reply(200, campaigns.slice(1));
    const h = await harness();
    await expect(source().check(h.ctx)).resolves.toEqual({ ok: true, detail: 'authenticated; 4 campaigns (3 active)' });
    await expect(source().check(h.ctx)).resolves.toEqual({ ok: true, detail: 'authenticated; 3 campaigns (2 active)' });
  });
});

describe('Smartlead schemas', () => {
  it('unwrap { ok, data } and accept top-level bodies with one helper', () => {
    const body = analytics(7, '15');
    expect(campaignAnalyticsSchema.parse(body).campaign_lead_stats.notStarted).toBe(15);
    expect(campaignAnalyticsSchema.parse({ ok: true, data: body }).campaign_lead_stats.notStarted).toBe(15);
    expect(campaignAnalyticsSchema.safeParse({ ok: false, data: null }).success).toBe(false);
  });

  it('validate settings and queries strictly', () => {
    expect(smartleadSettingsSchema.parse({})).toEqual({ runway_window_days: 14 });
    expect(smartleadSettingsSchema.safeParse({ runway_window_days: 0 }).success).toBe(false);
    expect(smartleadSettingsSchema.safeParse({ window: 14 }).success).toBe(false);
    expect(smartleadQuerySchema.parse({ kind: 'lead_queue_runway' })).toEqual({ kind: 'lead_queue_runway' });
    expect(smartleadQuerySchema.safeParse({ kind: 'lead_queue_runway', days: 3 }).success).toBe(false);
  });
});
