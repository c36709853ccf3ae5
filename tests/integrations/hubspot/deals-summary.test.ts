import nock from 'nock';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metricsOf } from '../../../src/metrics/catalog.js';
import { refresh } from '../../../src/integrations/refresh.js';
import { isCollectedValue, isFailedPart, isQuarterDeals, type Collected, type SourceContext } from '../../../src/integrations/source.js';
import { stageOutcomes } from '../../../src/integrations/hubspot/deals-summary.js';
import { getDailyValues } from '../../../src/store/daily-values.js';
import type { Store } from '../../../src/store/db.js';
import { listMetricFailures } from '../../../src/store/metric-failures.js';
import { latestQuarterDeals } from '../../../src/store/quarter-deals.js';
import { storeKinds, useTempStore } from '../../helpers/tmp-store.js';
import { BASE, TOKEN, filterOf, hubspotContext, makeConfig, record, searchOn, searchPage, testSource, type SearchBody } from './helpers.js';

/**
 * The quarter deals summary's collect: one deals search over the quarter (close date in it, org time zone), paged,
 * each deal bucketed by its stage's metadata. Bodies are shaped like `post-crm-v3-objects-search.json` (search) and
 * the Pipeline schema example (`crm-v3-pipelines-tickets.Pipeline.schema-example.json`, here with deal stages'
 * `isClosed`/`probability` metadata as `GET /crm/v3/pipelines/deals` returns them).
 */

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const stage = (id: string, label: string, isClosed: string, probability: string) => ({
  archived: false,
  createdAt: '2019-10-30T03:30:17.883Z',
  displayOrder: 0,
  id,
  label,
  metadata: { isClosed, probability },
  updatedAt: '2019-12-07T16:50:06.678Z',
});
const dealPipelines = {
  results: [
    {
      archived: false,
      createdAt: '2019-10-30T03:30:17.883Z',
      displayOrder: 0,
      id: 'default',
      label: 'Sales Pipeline',
      stages: [
        stage('contractsent', 'Contract Sent', 'false', '0.9'),
        stage('closedwon', 'Closed Won', 'true', '1.0'),
        stage('closedlost', 'Closed Lost', 'true', '0.0'),
      ],
      updatedAt: '2019-12-07T16:50:06.678Z',
    },
    {
      archived: false,
      createdAt: '2019-10-30T03:30:17.883Z',
      displayOrder: 1,
      id: '75e28846',
      label: 'Renewals',
      stages: [stage('1234912', 'Renewal due', 'false', '0.5'), stage('1234913', 'Renewed', 'true', '1.0')],
      updatedAt: '2019-12-07T16:50:06.678Z',
    },
  ],
};

const deal = (id: string, dealstage: string, amount: string | null, home: string | null = null) =>
  record(id, {
    closedate: '2026-11-03T17:00:00Z',
    dealstage,
    amount,
    amount_in_home_currency: home,
    pipeline: 'default',
    hubspot_owner_id: '6166860',
  });

/** Two pages of the quarter's deals: won (home currency preferred), lost, open (one without an amount), unknown. */
const PAGES: Record<string, object> = {
  '0': searchPage(
    7,
    [deal('1', 'closedwon', '1000.50', '1200.00'), deal('2', 'closedwon', '250'), deal('3', 'closedlost', '400.25')],
    'NTI1Cg%3D%3D',
  ),
  'NTI1Cg%3D%3D': searchPage(7, [
    deal('4', 'contractsent', '5000'),
    deal('5', 'contractsent', null),
    deal('6', '1234913', '99.99'),
    deal('7', 'retired-stage', '10'),
  ]),
};

// Friday 20 Nov 2026 in Chicago: the quarter is Q4, 1 Oct 00:00 CDT to 1 Jan 00:00 CST.
const Q4_START = Date.parse('2026-10-01T05:00:00Z');
const Q4_END = Date.parse('2027-01-01T06:00:00Z');

const mqlConfig = (hubspot: Record<string, unknown> = { quarter_deals: true }) =>
  makeConfig({ mqls: { query: { object: 'mqls' } } }, hubspot);

function serveMqls() {
  return searchOn('contacts', () => searchPage(0, []));
}

async function collectAll(ctx: SourceContext, day = '2026-11-20', source = testSource().source): Promise<Collected[]> {
  const items: Collected[] = [];
  for await (const batch of source.collect(ctx, { from: day, to: day, metrics: metricsOf(ctx.config) })) items.push(...batch);
  return items;
}

describe('HubSpot quarter deals summary: collect', () => {
  it('pages one deals search over the quarter and buckets deals by stage outcome', async () => {
    nock(BASE).get('/crm/v3/pipelines/deals').reply(200, dealPipelines);
    const bodies = searchOn('deals', (body) => PAGES[body.after]!);
    serveMqls();
    const items = await collectAll(hubspotContext(mqlConfig()));

    expect(items.filter(isQuarterDeals).map((i) => i.quarterDeals)).toEqual([
      {
        quarter: '2026-Q4',
        day: '2026-11-20',
        won: { count: 3, amount: 1549.99 },
        lost: { count: 1, amount: 400.25 },
        open: { count: 2, amount: 5000 },
        warnings: ['1 deal in stage "retired-stage", which no deal pipeline lists: not counted'],
      },
    ]);
    expect(items.filter(isCollectedValue)).toEqual([{ metricId: 'mqls', day: '2026-11-20', value: 0 }]);
    expect(bodies.map((b) => b.after)).toEqual(['0', 'NTI1Cg%3D%3D']);
    const body = bodies[0] as SearchBody;
    expect(filterOf(body, 'closedate')).toEqual({
      propertyName: 'closedate',
      operator: 'BETWEEN',
      value: String(Q4_START),
      highValue: String(Q4_END - 1),
    });
    expect(filterOf(body, 'hubspot_owner_id')).toBeUndefined();
    expect(body.properties).toEqual(expect.arrayContaining(['amount', 'amount_in_home_currency', 'dealstage', 'closedate']));
  });

  it('waits one second after a search 429 ("secondly limit") and still takes the snapshot', async () => {
    nock(BASE).get('/crm/v3/pipelines/deals').reply(200, dealPipelines);
    nock(BASE)
      .post('/crm/v3/objects/deals/search')
      .reply(429, { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT' })
      .post('/crm/v3/objects/deals/search')
      .reply(200, searchPage(1, [deal('1', 'closedwon', '10')]));
    serveMqls();
    const { source, sleeps } = testSource();
    const ctx = hubspotContext(mqlConfig());
    const items = await collectAll(ctx, '2026-11-20', source);
    expect(items.filter(isQuarterDeals).map((i) => i.quarterDeals.won)).toEqual([{ count: 1, amount: 10 }]);
    expect(sleeps).toEqual([1_000]);
    expect(ctx.stats.rateLimited).toBe(1);
  });

  it('fails the summary alone when the body drifts from the schema; the metrics still collect', async () => {
    nock(BASE).get('/crm/v3/pipelines/deals').reply(200, dealPipelines);
    searchOn('deals', () => ({ total: '7', results: [{ id: 1, props: {} }] }));
    serveMqls();
    const items = await collectAll(hubspotContext(mqlConfig()));
    expect(items.filter(isQuarterDeals)).toEqual([]);
    expect(items.filter(isFailedPart)).toMatchObject([{ part: 'quarter_deals', failure: { errorClass: 'bad_response' } }]);
    expect(items.filter(isCollectedValue)).toEqual([{ metricId: 'mqls', day: '2026-11-20', value: 0 }]);
  });

  it('takes no snapshot for a window without today, or when turned off', async () => {
    serveMqls();
    const past = await collectAll(hubspotContext(mqlConfig()), '2026-11-18');
    const off = await collectAll(hubspotContext(mqlConfig({ quarter_deals: false })));
    expect([...past, ...off].filter((i) => isQuarterDeals(i) || isFailedPart(i))).toEqual([]);
  });

  it('reads stage outcomes from pipeline metadata: closed with probability 1 is won, other closed is lost', () => {
    expect(Object.fromEntries(stageOutcomes(dealPipelines.results))).toEqual({
      contractsent: 'open',
      closedwon: 'won',
      closedlost: 'lost',
      '1234912': 'open',
      '1234913': 'won',
    });
  });
});

describe.each(storeKinds())('HubSpot quarter deals summary: refresh (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  beforeEach(() => {
    store = temp.store;
  });

  const run = (now: string) =>
    refresh(
      {
        store,
        config: mqlConfig(),
        env: { HUBSPOT_ACCESS_TOKEN: TOKEN },
        logger: pino({ level: 'silent' }),
        now: new Date(now),
        sources: [testSource().source],
      },
      { sourceIds: ['hubspot'], from: now.slice(0, 10), to: now.slice(0, 10) },
    );

  it('stores one snapshot a day; a drifted body keeps the last good one and fails only the summary', async () => {
    nock(BASE).persist().get('/crm/v3/pipelines/deals').reply(200, dealPipelines);
    const good = searchOn('deals', (body) => PAGES[body.after]!);
    serveMqls();
    const first = await run('2026-11-20T18:00:00Z');
    expect(first.ok).toBe(true);
    expect(good.length).toBe(2);
    const stored = await latestQuarterDeals(store, '2026-Q4', '2026-11-23');
    expect(stored).toMatchObject({ source: 'hubspot', day: '2026-11-20', won_count: 3, won_amount: 1549.99, open_count: 2, lost_count: 1 });

    nock.cleanAll();
    nock(BASE).persist().get('/crm/v3/pipelines/deals').reply(200, dealPipelines);
    searchOn('deals', () => ({ results: 'not a list' }));
    serveMqls();
    const second = await run('2026-11-22T18:00:00Z');
    expect(second.ok).toBe(true);
    expect(second.results[0]!.failedMetrics).toMatchObject([{ metric: 'hubspot.quarter_deals', errorClass: 'bad_response' }]);
    expect(await latestQuarterDeals(store, '2026-Q4', '2026-11-23')).toEqual(stored);
    expect(await listMetricFailures(store)).toMatchObject([{ metric_id: 'hubspot.quarter_deals', source: 'hubspot' }]);
    // The metric refreshed all the same.
    expect((await getDailyValues(store, ['mqls'], '2026-11-22', '2026-11-23')).map((v) => v.day)).toEqual(['2026-11-22']);

    nock.cleanAll();
    nock(BASE).persist().get('/crm/v3/pipelines/deals').reply(200, dealPipelines);
    searchOn('deals', (body) => PAGES[body.after]!);
    serveMqls();
    await run('2026-11-23T18:00:00Z');
    expect(await listMetricFailures(store)).toEqual([]);
    expect((await latestQuarterDeals(store, '2026-Q4', '2026-11-24'))?.day).toBe('2026-11-23');
  });
});
