import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { createAutotaskSource } from '../../../src/integrations/autotask/index.js';
import { byDay, collectAll, createHarness, sourceTestLifecycle } from '../../helpers/source-harness.js';
import {
  API_HOST,
  API_ROOT,
  billingCodeFields,
  HOLIDAY_CODE,
  timeOffCodes,
  VACATION_CODE,
  closed,
  OPENED_NEXT_PAGE,
  openedPage1,
  openedPage2,
  page,
  QUEUE_ID,
  resources,
  TECH_EMAIL_ID,
  TECH_ID,
  ticketFields,
  TIME_NEXT_PAGE,
  timeEntries,
  zoneInformation,
} from './fixtures.js';

const SECRET = 'Sup3r$ecret/AutotaskKey+9';
const USERNAME = 'apiuser@example.com';
const CODE = 'TRACKINGID7H3QZ1';
const env = { AUTOTASK_USERNAME: USERNAME, AUTOTASK_SECRET: SECRET, AUTOTASK_INTEGRATION_CODE: CODE };
const NOW = new Date('2026-11-05T15:00:00Z');

type QueryBody = { MaxRecords: number; IncludeFields: string[]; Filter: { op: string; field: string; value?: unknown }[] };
const hasField = (field: string) => (body: QueryBody) => body.Filter.some((filter) => filter.field === field);

const { sleeps, track } = sourceTestLifecycle();
const source = () => createAutotaskSource({ sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 });

async function harness(options: Partial<Parameters<typeof createHarness>[0]> = {}) {
  const created = await createHarness({
    env,
    source: 'autotask',
    now: NOW,
    sources: { autotask: { queue: { name: 'Level I Support' }, resources: [TECH_ID, 'tech.two@example.com'] } },
    metrics: {
      tickets_opened: { kind: 'tickets_opened' },
      tickets_closed: { kind: 'tickets_closed' },
      same_day_close_rate: { kind: 'same_day_close_rate', unit: 'percent', aggregate: 'ratio' },
      utilization: { kind: 'utilization', unit: 'percent', aggregate: 'ratio' },
    },
    ...options,
  });
  track(created);
  return created;
}

function mockZoneLookup() {
  return nock('https://webservices.autotask.net')
    .get('/atservicesrest/v1.0/ZoneInformation')
    .query({ user: USERNAME })
    .reply(200, zoneInformation);
}

describe('Autotask collect', () => {
  it('computes the DST fixture week exactly, following every nextPageUrl to the end', async () => {
    const bodies: Record<string, QueryBody> = {};
    const keep = (name: string) => (_uri: string, body: QueryBody) => {
      bodies[name] = body;
      return true;
    };
    const zone = mockZoneLookup();
    const api = nock(API_HOST, { reqheaders: { Secret: SECRET, UserName: USERNAME, ApiIntegrationCode: CODE } })
      .get(`${API_ROOT}/v1.0/Tickets/entityInformation/fields`)
      .reply(200, ticketFields)
      .post(`${API_ROOT}/v1.0/Resources/query`)
      .reply(200, (uri, body) => {
        keep('resources')(uri, body as QueryBody);
        return page(resources);
      })
      .post(`${API_ROOT}/v1.0/Tickets/query`, hasField('createDate'))
      .reply(200, (uri, body) => {
        keep('opened')(uri, body as QueryBody);
        return page(openedPage1, OPENED_NEXT_PAGE);
      })
      .get(`${API_ROOT}/V1.0/Tickets/query/next`)
      .query({ paging: 'eyJwYWdlIjoyfQ==' })
      .reply(200, page(openedPage2))
      .post(`${API_ROOT}/v1.0/Tickets/query`, hasField('completedDate'))
      .reply(200, (uri, body) => {
        keep('closed')(uri, body as QueryBody);
        return page(closed);
      })
      .post(`${API_ROOT}/v1.0/TimeEntries/query`)
      .reply(200, (uri, body) => {
        keep('time')(uri, body as QueryBody);
        return page(timeEntries.slice(0, 6), TIME_NEXT_PAGE);
      })
      .get(`${API_ROOT}/V1.0/TimeEntries/query/next`)
      .query({ paging: 'eyJwYWdlIjoyfQ==' })
      .reply(200, page(timeEntries.slice(6)))
      .get(`${API_ROOT}/v1.0/BillingCodes/entityInformation/fields`)
      .reply(200, billingCodeFields)
      .post(`${API_ROOT}/v1.0/BillingCodes/query`)
      .reply(200, (uri, body) => {
        keep('timeOff')(uri, body as QueryBody);
        return page(timeOffCodes);
      });

    const h = await harness();
    const values = await collectAll(source(), h, '2026-10-29', '2026-11-04');
    zone.done();
    api.done();

    expect(byDay(values, 'tickets_opened')).toEqual({
      '2026-10-29': 1,
      '2026-10-30': 1,
      '2026-10-31': 0,
      '2026-11-01': 4,
      '2026-11-02': 1,
      '2026-11-03': 0,
      '2026-11-04': 2,
    });
    expect(byDay(values, 'tickets_closed')).toEqual({
      '2026-10-29': 2,
      '2026-10-30': 1,
      '2026-10-31': 0,
      '2026-11-01': 2,
      '2026-11-02': 1,
      '2026-11-03': 0,
      '2026-11-04': 2,
    });
    expect(byDay(values, 'same_day_close_rate', (v) => [v.value, v.numerator, v.denominator])).toEqual({
      '2026-10-29': [100, 2, 2],
      '2026-10-30': [0, 0, 1],
      '2026-10-31': [0, 0, 0],
      '2026-11-01': [50, 1, 2],
      '2026-11-02': [100, 1, 1],
      '2026-11-03': [0, 0, 0],
      '2026-11-04': [50, 1, 2],
    });
    expect(byDay(values, 'utilization', (v) => [v.value, v.numerator, v.denominator])).toEqual({
      '2026-10-29': [75, 6, 8],
      '2026-10-30': [0, 0, 0],
      '2026-10-31': [0, 0, 0],
      '2026-11-01': [75, 1.5, 2],
      '2026-11-02': [90.625, 7.25, 8],
      '2026-11-03': [0, 0, 0],
      '2026-11-04': [50, 4, 8],
    });
    const sum = (id: string, key: 'numerator' | 'denominator') =>
      values.filter((v) => v.metricId === id).reduce((total, v) => total + (v[key] ?? 0), 0);
    expect(sum('same_day_close_rate', 'numerator') / sum('same_day_close_rate', 'denominator')).toBe(0.625);
    expect((100 * sum('utilization', 'numerator')) / sum('utilization', 'denominator')).toBeCloseTo(72.1154, 4);

    // The week's bounds are local midnights: CDT (UTC−5) before the change, CST (UTC−6) after.
    expect(bodies.opened).toEqual({
      MaxRecords: 500,
      IncludeFields: ['id', 'createDate'],
      Filter: [
        { op: 'eq', field: 'queueID', value: QUEUE_ID },
        { op: 'gte', field: 'createDate', value: '2026-10-29T05:00:00' },
        { op: 'lt', field: 'createDate', value: '2026-11-05T06:00:00' },
      ],
    });
    expect(bodies.closed?.Filter).toEqual([
      { op: 'eq', field: 'queueID', value: QUEUE_ID },
      { op: 'eq', field: 'status', value: 5 },
      { op: 'gte', field: 'completedDate', value: '2026-10-29T05:00:00' },
      { op: 'lt', field: 'completedDate', value: '2026-11-05T06:00:00' },
    ]);
    expect(bodies.time?.Filter).toEqual([
      { op: 'gte', field: 'dateWorked', value: '2026-10-28T05:00:00' },
      { op: 'lt', field: 'dateWorked', value: '2026-11-06T06:00:00' },
      { op: 'in', field: 'resourceID', value: [TECH_ID, TECH_EMAIL_ID] },
    ]);
    expect(bodies.resources?.Filter).toEqual([{ op: 'in', field: 'email', value: ['tech.two@example.com'] }]);
    // Time off found by Autotask's own label, "Time Off", whatever number the tenant's picklist gives it.
    expect(bodies.timeOff).toMatchObject({
      IncludeFields: ['id'],
      Filter: [{ op: 'or', items: [{ op: 'eq', field: 'useType', value: 17 }] }],
    });
    // zone, fields, resources, billing-code fields and time-off codes, opened ×2, closed, time entries ×2
    expect(h.ctx.stats.calls).toBe(10);
  });

  it("leaves PTO and holidays out of utilization by default, by Autotask's time-off codes plus the configured ones", async () => {
    // 2 Nov: 6 h billable and 2 h non-billable ticket time; 8 h vacation (Regular Time, internal code), 8 h holiday
    // (billing code), and 2 h on a code the config adds (jury duty). Only the 8 h of work count: 6 ÷ 8 = 75 %.
    const JURY_DUTY = 29682899;
    const day = '2026-11-02T00:00:00Z';
    const entry = (id: number, hoursWorked: number, isNonBillable: boolean, codes: Record<string, number> = {}) => ({
      id,
      resourceID: TECH_ID,
      dateWorked: day,
      hoursWorked,
      isNonBillable,
      billingCodeID: null,
      internalBillingCodeID: null,
      ...codes,
    });
    const entries = [
      entry(1, 6, false, { billingCodeID: 29682801 }),
      entry(2, 2, true, { billingCodeID: 29682802 }),
      entry(3, 8, true, { internalBillingCodeID: VACATION_CODE }),
      entry(4, 8, true, { billingCodeID: HOLIDAY_CODE }),
      entry(5, 2, true, { internalBillingCodeID: JURY_DUTY }),
    ];
    const utilization = (settings: Record<string, unknown>) =>
      harness({
        env: { ...env, AUTOTASK_BASE_URL: `${API_HOST}${API_ROOT}/v1.0/` },
        sources: { autotask: { resources: [TECH_ID], time_off_billing_codes: [JURY_DUTY], ...settings } },
        metrics: { utilization: { kind: 'utilization', unit: 'percent', aggregate: 'ratio' } },
      });
    const api = nock(API_HOST)
      .get(`${API_ROOT}/v1.0/BillingCodes/entityInformation/fields`)
      .reply(200, billingCodeFields)
      .post(`${API_ROOT}/v1.0/BillingCodes/query`)
      .reply(200, page(timeOffCodes))
      .post(`${API_ROOT}/v1.0/TimeEntries/query`)
      .times(2)
      .reply(200, page(entries));

    const byDefault = await utilization({});
    expect(await collectAll(source(), byDefault, '2026-11-02', '2026-11-02')).toEqual([
      { metricId: 'utilization', day: '2026-11-02', value: 75, numerator: 6, denominator: 8 },
    ]);
    // Said plainly, time off counts as worked: every hour is in the denominator, and no code lookup is made.
    const worked = await utilization({ time_off_counts_as_worked: true });
    expect(await collectAll(source(), worked, '2026-11-02', '2026-11-02')).toEqual([
      { metricId: 'utilization', day: '2026-11-02', value: 23.0769, numerator: 6, denominator: 26 },
    ]);
    api.done();
  });

  it('looks the zone up once for two collects sharing sync state, and caches the queue id', async () => {
    const zone = mockZoneLookup();
    const fields = nock(API_HOST).get(`${API_ROOT}/v1.0/Tickets/entityInformation/fields`).reply(200, ticketFields);
    const queries = nock(API_HOST).post(`${API_ROOT}/v1.0/Tickets/query`).times(2).reply(200, page(openedPage1));
    const only = { tickets_opened: { kind: 'tickets_opened' } };

    const first = await harness({ metrics: only });
    const second = await harness({ metrics: only, store: first.store });
    const a = await collectAll(source(), first, '2026-11-01', '2026-11-01');
    const b = await collectAll(source(), second, '2026-11-01', '2026-11-01');

    zone.done();
    fields.done();
    queries.done();
    expect(a).toEqual([{ metricId: 'tickets_opened', day: '2026-11-01', value: 3 }]);
    expect(b).toEqual(a);
    const state = await first.store.db.selectFrom('sync_state').selectAll().execute();
    // The zone and queue caches, and the days each ticket was counted on (for late changes to name old days).
    expect(state.map((row) => row.key).sort()).toEqual(['autotask.queue_id.level i support', 'autotask.ticket_days', 'autotask.zone']);
    const stored = JSON.stringify(state);
    expect(stored).toContain('webservices14.autotask.net');
    for (const secret of [SECRET, USERNAME, CODE]) expect(stored).not.toContain(secret);
  });

  it('looks the zone up again once the cached answer is a day old', async () => {
    const zone = mockZoneLookup().get('/atservicesrest/v1.0/ZoneInformation').query({ user: USERNAME }).reply(200, zoneInformation);
    nock(API_HOST).post(`${API_ROOT}/v1.0/Tickets/query`).times(2).reply(200, page([]));
    const only = { tickets_opened: { kind: 'tickets_opened' } };
    const sources = { autotask: { queue: { id: QUEUE_ID } } };

    const first = await harness({ metrics: only, sources });
    const later = await harness({ metrics: only, sources, store: first.store, now: new Date(NOW.getTime() + 25 * 3_600_000) });
    await collectAll(source(), first, '2026-11-01', '2026-11-01');
    await collectAll(source(), later, '2026-11-01', '2026-11-01');
    zone.done();
  });

  it('skips the zone lookup when AUTOTASK_BASE_URL is set', async () => {
    const api = nock(API_HOST).post(`${API_ROOT}/v1.0/Tickets/query`).reply(200, page(openedPage2));
    const h = await harness({
      env: { ...env, AUTOTASK_BASE_URL: `${API_HOST}${API_ROOT}/v1.0/` },
      sources: { autotask: { queue: { id: QUEUE_ID } } },
      metrics: { tickets_opened: { kind: 'tickets_opened' } },
    });
    const values = await collectAll(source(), h, '2026-11-01', '2026-11-04');
    api.done();
    expect(byDay(values, 'tickets_opened')).toEqual({ '2026-11-01': 1, '2026-11-02': 1, '2026-11-03': 0, '2026-11-04': 2 });
  });

  it('fails with a config error when ticket metrics have no queue', async () => {
    const h = await harness({
      env: { ...env, AUTOTASK_BASE_URL: `${API_HOST}${API_ROOT}` },
      sources: { autotask: {} },
      metrics: { tickets_closed: { kind: 'tickets_closed' } },
    });
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).rejects.toMatchObject({
      errorClass: 'config',
      message: expect.stringContaining('sources.autotask.queue'),
    });
  });

  it('fails with a config error when utilization has no technicians listed: never everyone, managers included', async () => {
    const h = await harness({
      env: { ...env, AUTOTASK_BASE_URL: `${API_HOST}${API_ROOT}` },
      sources: { autotask: { queue: { id: QUEUE_ID } } },
      metrics: { utilization: { kind: 'utilization', unit: 'percent', aggregate: 'ratio' } },
    });
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).rejects.toMatchObject({
      errorClass: 'config',
      message: expect.stringContaining('sources.autotask.resources'),
    });
  });

  it('reports an unknown queue name with the queues it found', async () => {
    nock(API_HOST).get(`${API_ROOT}/v1.0/Tickets/entityInformation/fields`).reply(200, ticketFields);
    const h = await harness({
      env: { ...env, AUTOTASK_BASE_URL: `${API_HOST}${API_ROOT}` },
      sources: { autotask: { queue: { name: 'Level 9' } } },
      metrics: { tickets_opened: { kind: 'tickets_opened' } },
    });
    await expect(collectAll(source(), h, '2026-11-01', '2026-11-01')).rejects.toMatchObject({
      errorClass: 'config',
      message: expect.stringContaining('no ticket queue named "Level 9" (queues: Client Portal, Level I Support)'),
    });
  });

  it('checks with one cheap count call', async () => {
    mockZoneLookup();
    nock(API_HOST).post(`${API_ROOT}/v1.0/Resources/query/count`).reply(200, { queryCount: 12 });
    const h = await harness();
    await expect(source().check(h.ctx)).resolves.toEqual({ ok: true, detail: 'authenticated; 12 active resources' });
  });
});
