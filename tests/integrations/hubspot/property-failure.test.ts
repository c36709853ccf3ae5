import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatRefreshSummary, refresh } from '../../../src/integrations/refresh.js';
import { periodSettings } from '../../../src/metrics/context.js';
import { parseWeekLabel } from '../../../src/metrics/periods.js';
import { metricById } from '../../../src/metrics/catalog.js';
import { metricAnswer } from '../../../src/report/queries.js';
import { renderMetricAnswer } from '../../../src/slack/metric.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import { listMetricFailures } from '../../../src/store/metric-failures.js';
import { storeKinds, useTempStore } from '../../helpers/tmp-store.js';
import { FakePortal, WON_STAGE } from './fake-portal.js';
import { OWNERS, TOKEN, makeConfig, memoryLogger, testSource } from './helpers.js';

/**
 * A property deleted in the portal, used by one metric of a search several metrics share, fails that metric alone:
 * its reason is in the refresh summary, the stored failure and the `/metric` text, and every other metric's values
 * equal those of a run where nothing was deleted.
 */

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const config = makeConfig(
  {
    dials: { owner: OWNERS.ava.email, query: { object: 'calls' } },
    dm_conversations: { owner: OWNERS.ava.email, query: { object: 'conversations' } },
    mrr_closed: { owner: OWNERS.ava.email, unit: 'currency', query: { object: 'deals' } },
    deal_amount: { owner: OWNERS.ava.email, unit: 'currency', query: { object: 'deals', property: 'amount' } },
  },
  { connected_dispositions: ['connected-guid'] },
);
const METRICS = ['dials', 'dm_conversations', 'mrr_closed', 'deal_amount'];
const FROM = '2026-11-09';
const TO = '2026-11-20';

function portal(): FakePortal {
  const fake = new FakePortal();
  const call = (id: string, at: string, disposition: string) =>
    fake.put('calls', id, { hs_timestamp: at, hubspot_owner_id: OWNERS.ava.id, hs_call_disposition: disposition, hs_call_body: null });
  call('1', '2026-11-10T15:00:00Z', 'connected-guid');
  call('2', '2026-11-10T16:00:00Z', 'no-answer');
  call('3', '2026-11-17T15:00:00Z', 'connected-guid');
  fake.put('notes', '11', { hs_timestamp: '2026-11-18T15:00:00Z', hubspot_owner_id: OWNERS.ava.id, hs_note_body: 'Reached the DM' });
  fake.put('deals', '21', {
    closedate: '2026-11-12T17:00:00Z',
    hubspot_owner_id: OWNERS.ava.id,
    dealstage: WON_STAGE,
    mrr: '500',
    amount: '6000',
  });
  fake.put('deals', '22', {
    closedate: '2026-11-19T17:00:00Z',
    hubspot_owner_id: OWNERS.ava.id,
    dealstage: WON_STAGE,
    mrr: '250',
    amount: '3000',
  });
  return fake;
}

describe.each(storeKinds())('HubSpot: a deleted property fails only its metrics (%s)', (kind) => {
  const temp = useTempStore(kind);
  const deps = () => ({
    store: temp.store,
    config,
    env: { HUBSPOT_ACCESS_TOKEN: TOKEN },
    logger: memoryLogger().logger,
    now: new Date('2026-11-20T23:00:00Z'),
    sources: [testSource().source],
  });
  const stored = async (ids: string[]) =>
    (await getDailyValues(temp.store, ids, FROM, '2026-11-21')).map((v) => `${v.metric_id} ${v.day} ${v.value}`).sort();

  it('a call property deleted: conversations fail, dials (same calls search) and deals refresh as in a normal run', async () => {
    portal().serve();
    await refresh(deps(), { from: FROM, to: TO });
    const normal = await stored(METRICS);
    expect(normal).toContain('dm_conversations 2026-11-10 1');
    nock.cleanAll();
    await temp.store.db.deleteFrom('daily_values').execute();

    const fake = portal();
    fake.deleted.add('hs_call_disposition');
    fake.serve();
    const summary = await refresh(deps(), { from: FROM, to: TO });

    expect(summary.results[0]).toMatchObject({ status: 'ok', failedMetrics: [{ metric: 'dm_conversations', errorClass: 'config' }] });
    const text = formatRefreshSummary(summary);
    expect(text).toContain('1 metric failed: dm_conversations (config: hs_call_disposition: Property "hs_call_disposition" does not exist');
    expect(await stored(['dials', 'mrr_closed', 'deal_amount'])).toEqual(normal.filter((row) => !row.startsWith('dm_conversations')));
    expect(await stored(['dm_conversations'])).toEqual([]);
    // Each window's calls search ran again without the failed metric's properties, the first time only.
    const calls = fake.searches.filter((s) => s.objectType === 'calls' && s.body.sorts[0]!.propertyName === 'hs_timestamp');
    expect(calls.filter((s) => s.body.properties.includes('hs_call_disposition'))).toHaveLength(2);
    expect(calls.filter((s) => !s.body.properties.includes('hs_call_disposition'))).toHaveLength(2);

    const [failure] = await listMetricFailures(temp.store);
    expect(failure).toMatchObject({ metric_id: 'dm_conversations', source: 'hubspot', error_class: 'config' });
    const answer = await metricAnswer(
      temp.store,
      { config, now: new Date('2026-11-23T15:00:00Z'), periods: periodSettings(config), isConnected: () => true },
      metricById(config, 'dm_conversations')!,
      parseWeekLabel('2026-W47', periodSettings(config))!,
      true,
    );
    const slackText = JSON.stringify(renderMetricAnswer(answer, { now: new Date('2026-11-23T15:00:00Z') }));
    expect(slackText).toContain('Last refresh failed for this metric (config): hs_call_disposition: Property');
  });

  it('the MRR property deleted: MRR closed fails, the amount metric reading the same deals search refreshes', async () => {
    const fake = portal();
    fake.deleted.add('mrr');
    fake.serve();
    const summary = await refresh(deps(), { from: FROM, to: TO });
    expect(summary.results[0]!.failedMetrics).toEqual([
      { metric: 'mrr_closed', errorClass: 'config', error: expect.stringContaining('mrr: Property "mrr" does not exist (deals search)') },
    ]);
    expect(await stored(['deal_amount'])).toContain('deal_amount 2026-11-12 6000');
    expect(await stored(['dials'])).toContain('dials 2026-11-10 2');
    expect(await stored(['mrr_closed'])).toEqual([]);
  });

  it('a 400 naming no property we sent still fails the whole source', async () => {
    nock('https://api.hubapi.com').persist().get('/crm/v3/owners').query(true).reply(200, { results: [] });
    nock('https://api.hubapi.com').persist().get('/crm/v3/pipelines/deals').reply(200, { results: [] });
    nock('https://api.hubapi.com')
      .persist()
      .post(/search$/)
      .reply(400, {
        status: 'error',
        message: 'Invalid input JSON on line 1, column 18',
        correlationId: 'x',
        category: 'VALIDATION_ERROR',
      });
    const summary = await refresh(deps(), { from: FROM, to: TO });
    expect(summary.results[0]).toMatchObject({ status: 'failed', errorClass: 'config' });
  });
});
