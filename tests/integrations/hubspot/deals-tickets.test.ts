import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runSearch } from '../../../bench/hubspot/search-engine.js';
import { stageLabels } from '../../../src/integrations/hubspot/index.js';
import {
  BASE,
  OWNERS,
  collectWindows,
  filterOf,
  makeConfig,
  hubspotContext,
  nonZero,
  ownersPage,
  record,
  searchOn,
  searchPage,
} from './helpers.js';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());

const stage = (id: string, label: string, metadata: Record<string, string>) => ({
  archived: false,
  createdAt: '2019-10-30T03:30:17.883Z',
  displayOrder: 0,
  id,
  label,
  metadata,
  updatedAt: '2019-12-07T16:50:06.678Z',
});
const pipeline = (id: string, label: string, stages: ReturnType<typeof stage>[]) => ({
  archived: false,
  createdAt: '2019-10-30T03:30:17.883Z',
  displayOrder: 0,
  id,
  label,
  stages,
  updatedAt: '2019-12-07T16:50:06.678Z',
});

/** `crm-v3-pipelines-tickets.Pipeline.schema-example.json`, verbatim. */
const pipelineExample = {
  archived: false,
  createdAt: '2019-10-30T03:30:17.883Z',
  displayOrder: 0,
  id: '812723471',
  label: 'My ticket pipeline',
  stages: [
    {
      archived: false,
      createdAt: '2019-10-30T03:30:17.883Z',
      displayOrder: 0,
      id: '1234912',
      label: 'In Progress',
      metadata: { ticketState: 'OPEN' },
      updatedAt: '2019-12-07T16:50:06.678Z',
    },
    {
      archived: false,
      createdAt: '2019-10-30T03:30:17.883Z',
      displayOrder: 0,
      id: '1234914',
      label: 'Done',
      metadata: { ticketState: 'CLOSED' },
      updatedAt: '2019-12-07T16:50:06.678Z',
    },
  ],
  updatedAt: '2019-12-07T16:50:06.678Z',
};

const dealPipelines = {
  results: [
    pipeline('default', 'Sales Pipeline', [
      stage('contractsent', 'Contract Sent', { isClosed: 'false', probability: '0.9' }),
      stage('closedwon', 'Closed Won', { isClosed: 'true', probability: '1.0' }),
      stage('closedlost', 'Closed Lost', { isClosed: 'true', probability: '0.0' }),
    ]),
    pipeline('75e28846', 'Renewals', [
      stage('9567449', 'Renewed', { isClosed: 'true', probability: '1.0' }),
      stage('9567450', 'Churned', { isClosed: 'true', probability: '0.0' }),
    ]),
    pipeline('88123', 'Partner referrals', [stage('88124', 'Introduced', { isClosed: 'false', probability: '0.1' })]),
  ],
};

describe('MRR closed', () => {
  it('sums mrr, else amount, over the closed-won stages of every deal pipeline, in cents', async () => {
    nock(BASE).get('/crm/v3/owners').query({ limit: '100' }).reply(200, ownersPage());
    nock(BASE).get('/crm/v3/pipelines/deals').reply(200, dealPipelines);
    const deal = (id: string, owner: string, closedate: string, mrr: string | null, amount: string | null) =>
      record(id, { closedate, hubspot_owner_id: owner, mrr, amount, dealstage: 'closedwon' });
    const bodies = searchOn('deals', () =>
      searchPage(5, [
        deal('1', OWNERS.ava.id, '2026-11-16T15:00:00Z', '1200.50', '14406.00'),
        deal('2', OWNERS.ava.id, '2026-11-16T16:00:00Z', '', '3000'),
        deal('3', OWNERS.ava.id, '2026-11-17T16:00:00Z', null, '99.99'),
        deal('4', OWNERS.ava.id, '2026-11-17T17:00:00Z', '0.1', null),
        deal('5', OWNERS.ava.id, '2026-11-17T18:00:00Z', '0.2', null),
      ]),
    );
    const ctx = hubspotContext(makeConfig({ mrr_closed: { owner: OWNERS.ava.email, unit: 'currency', query: { object: 'deals' } } }));
    const batches = await collectWindows(ctx, '2026-11-16', '2026-11-17');

    expect(filterOf(bodies[0]!, 'dealstage')).toEqual({ propertyName: 'dealstage', operator: 'IN', values: ['9567449', 'closedwon'] });
    expect(filterOf(bodies[0]!, 'closedate')!.operator).toBe('BETWEEN');
    expect(bodies[0]!.properties).toEqual(expect.arrayContaining(['mrr', 'amount', 'closedate', 'hubspot_owner_id']));
    expect(nonZero(batches)).toEqual({ mrr_closed: { '2026-11-16': 4200.5, '2026-11-17': 100.29 } });
    expect(batches.flat()[0]!.warnings).toEqual([
      'deal pipeline "Partner referrals" has no closed-won stage (closed, probability 1.0); none of its deals count',
    ]);
  });

  it('reads a per-metric property instead of settings.mrr_property', async () => {
    nock(BASE)
      .get('/crm/v3/pipelines/deals')
      .reply(200, { results: dealPipelines.results.slice(0, 1) });
    searchOn('deals', () =>
      searchPage(1, [record('1', { closedate: '2026-11-16T15:00:00Z', hubspot_owner_id: OWNERS.ava.id, arr: '12000', amount: '5' })]),
    );
    const ctx = hubspotContext(makeConfig({ arr_closed: { query: { object: 'deals', property: 'arr' } } }));
    expect(nonZero(await collectWindows(ctx, '2026-11-16', '2026-11-16'))).toEqual({ arr_closed: { '2026-11-16': 12000 } });
  });

  it('labels stages by pipeline and stage name', async () => {
    nock(BASE).get('/crm/v3/pipelines/deals').reply(200, dealPipelines);
    const labels = await stageLabels(hubspotContext(makeConfig({ x: { query: { object: 'deals' } } })));
    expect(labels.get('9567449')).toBe('Renewals › Renewed');
    expect(labels.get('closedwon')).toBe('Sales Pipeline › Closed Won');
  });
});

describe('open tickets', () => {
  const ticketPipelines = {
    results: [pipelineExample, pipeline('900', 'Billing', [stage('77', 'Waiting on us', { ticketState: 'OPEN' })])],
  };

  it('is a stock: today only, the search total of tickets in OPEN stages', async () => {
    nock(BASE).get('/crm/v3/pipelines/tickets').reply(200, ticketPipelines);
    const bodies = searchOn('tickets', () => searchPage(37, [record('1', { hs_pipeline_stage: '1234912' })], 'MQ'));
    const ctx = hubspotContext(makeConfig({ open_tickets: { aggregate: 'last', query: { object: 'open_tickets' } } }));
    const batches = await collectWindows(ctx, '2026-11-14', '2026-11-20');
    expect(batches.flat()).toEqual([{ metricId: 'open_tickets', day: '2026-11-20', value: 37 }]);
    expect(filterOf(bodies[0]!, 'hs_pipeline_stage')).toEqual({
      propertyName: 'hs_pipeline_stage',
      operator: 'IN',
      values: ['1234912', '77'],
    });
    expect(bodies[0]!.limit).toBe(1);
  });

  it('restricts to named pipelines and warns, by label, about unknown ones', async () => {
    nock(BASE).get('/crm/v3/pipelines/tickets').reply(200, ticketPipelines);
    const bodies = searchOn('tickets', () => searchPage(4, []));
    const ctx = hubspotContext(
      makeConfig({ open: { aggregate: 'last', query: { object: 'open_tickets', pipelines: ['my ticket pipeline', 'Escalations'] } } }),
    );
    const [value] = (await collectWindows(ctx, '2026-11-20', '2026-11-20')).flat();
    expect(filterOf(bodies[0]!, 'hs_pipeline_stage')!.values).toEqual(['1234912']);
    expect(value).toEqual({
      metricId: 'open',
      day: '2026-11-20',
      value: 4,
      warnings: ['ticket pipeline "Escalations" not found (known: "My ticket pipeline", "Billing")'],
    });
  });

  it("leaves out excluded owners' tickets (support.excluded_owners and tickets.excluded_owners), keeping unowned ones", async () => {
    nock(BASE).get('/crm/v3/pipelines/tickets').reply(200, ticketPipelines);
    nock(BASE).get('/crm/v3/owners').query({ limit: '100' }).reply(200, ownersPage());
    const ticket = (id: string, owner: string | null, stageId = '1234912') => ({
      id,
      properties: { hs_pipeline_stage: stageId, hubspot_owner_id: owner, createdate: '2026-11-18T15:00:00Z' },
    });
    const tickets = [
      ticket('1', OWNERS.ava.id),
      ticket('2', OWNERS.support.id),
      ticket('3', OWNERS.cleo.id),
      ticket('4', null),
      ticket('5', OWNERS.ava.id, 'closed-stage'),
    ];
    const bodies = searchOn('tickets', (body) => runSearch(tickets, body));
    const config = makeConfig(
      { open: { aggregate: 'last', query: { object: 'open_tickets' } } },
      { tickets: { excluded_owners: [OWNERS.cleo.id] } },
      { support: { excluded_owners: [OWNERS.support.email] } },
    );
    const [value] = (await collectWindows(hubspotContext(config), '2026-11-20', '2026-11-20')).flat();
    expect(value).toEqual({ metricId: 'open', day: '2026-11-20', value: 2 });
    expect(bodies[0]!.filterGroups.map((g) => g.filters.map((f) => `${f.propertyName} ${f.operator} ${f.values ?? ''}`))).toEqual([
      ['hs_pipeline_stage IN 1234912,77', `hubspot_owner_id NOT_IN ${OWNERS.cleo.id},${OWNERS.support.id}`],
      ['hs_pipeline_stage IN 1234912,77', 'hubspot_owner_id NOT_HAS_PROPERTY '],
    ]);
  });

  it('writes nothing for a range that ends before today', async () => {
    nock(BASE).get('/crm/v3/pipelines/tickets').reply(200, ticketPipelines);
    const ctx = hubspotContext(makeConfig({ open: { aggregate: 'last', query: { object: 'open_tickets' } } }));
    expect((await collectWindows(ctx, '2026-11-01', '2026-11-07')).flat()).toEqual([]);
  });
});

describe('first response', () => {
  const tickets = () =>
    searchPage(5, [
      record('1', { createdate: '2026-11-16T15:00:00Z', first_agent_reply_date: '2026-11-16T17:30:00Z', hubspot_owner_id: OWNERS.ava.id }),
      record('2', { createdate: '2026-11-16T20:00:00Z', first_agent_reply_date: '2026-11-17T14:00:00Z', hubspot_owner_id: OWNERS.ben.id }),
      record('3', {
        createdate: '2026-11-16T21:00:00Z',
        first_agent_reply_date: '2026-11-16T22:00:00Z',
        hubspot_owner_id: OWNERS.support.id,
      }),
      // An epoch-ms reply (date-typed property): 1 h.
      record('4', { createdate: '2026-11-17T15:00:00Z', first_agent_reply_date: '1794931200000', hubspot_owner_id: null }),
      // A reply stamped before creation is bad data, not a negative time.
      record('5', { createdate: '2026-11-17T15:00:00Z', first_agent_reply_date: '2026-11-17T14:00:00Z', hubspot_owner_id: null }),
    ]);

  it('is a ratio per creation day: Σ hours to first reply ÷ tickets replied, without excluded owners', async () => {
    nock(BASE).get('/crm/v3/owners').query({ limit: '100' }).reply(200, ownersPage());
    const bodies = searchOn('tickets', tickets);
    const config = makeConfig(
      { first_response: { unit: 'hours', aggregate: 'ratio', query: { object: 'first_response' } } },
      { tickets: { excluded_owners: [OWNERS.support.email] } },
    );
    const values = (await collectWindows(hubspotContext(config), '2026-11-16', '2026-11-17')).flat();
    expect(filterOf(bodies[0]!, 'first_agent_reply_date')).toEqual({ propertyName: 'first_agent_reply_date', operator: 'HAS_PROPERTY' });
    expect(filterOf(bodies[0]!, 'hubspot_owner_id')).toBeUndefined();
    // 2.5 h + 18 h on the 16th (ticket 3 belongs to an excluded owner); 1 h on the 17th.
    expect(values).toEqual([
      { metricId: 'first_response', day: '2026-11-16', value: 10.25, numerator: 20.5, denominator: 2 },
      { metricId: 'first_response', day: '2026-11-17', value: 1, numerator: 1, denominator: 1 },
    ]);
  });

  it('counts only support business hours when asked', async () => {
    nock(BASE).get('/crm/v3/owners').query({ limit: '100' }).reply(200, ownersPage());
    searchOn('tickets', tickets);
    const config = makeConfig(
      { first_response: { unit: 'hours', aggregate: 'ratio', query: { object: 'first_response' } } },
      { tickets: { excluded_owners: [OWNERS.support.email], business_hours: true } },
      {
        support: {
          business_hours: {
            week: {
              monday: ['09:00', '17:00'],
              tuesday: ['09:00', '17:00'],
              wednesday: ['09:00', '17:00'],
              thursday: ['09:00', '17:00'],
              friday: ['09:00', '17:00'],
            },
          },
        },
      },
    );
    const [day16] = (await collectWindows(hubspotContext(config), '2026-11-16', '2026-11-16')).flat();
    // Ticket 1: 09:00–11:30 CST = 2.5 h. Ticket 2: Mon 14:00 → Tue 08:00 CST = Mon 14:00–17:00 = 3 h.
    expect(day16).toEqual({ metricId: 'first_response', day: '2026-11-16', value: 2.75, numerator: 5.5, denominator: 2 });
  });
});
