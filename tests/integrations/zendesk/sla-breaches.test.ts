import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { SourceError } from '../../../src/integrations/errors.js';
import { createZendeskSource, supportDigestQueries, zendeskSource } from '../../../src/integrations/zendesk/index.js';
import { zendeskQuerySchema, zendeskSettingsSchema } from '../../../src/integrations/zendesk/schemas.js';
import eventsExample from './fixtures/get-incremental-ticket_metric_events.json' with { type: 'json' };
import { buildConfig, byDay, collectAll, fakeSleep, makeContext, metricsOf } from '../../helpers/support-source-harness.js';

const BASE = 'https://acme.zendesk.com';
const EVENTS_PATH = '/api/v2/incremental/ticket_metric_events';
const TOKEN = 'zd-T0ken-6wJrq8c1Xn4bYp2Ks9Lm';
const ENV = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: 'agent@acme.test', ZENDESK_API_TOKEN: TOKEN };
/** Wednesday 2026-11-04 12:00 CST. The range runs to Friday Nov 6, but nothing is stored after today. */
const NOW = '2026-11-04T18:00:00Z';
const FROM = '2026-10-29';
const TO = '2026-11-06';

const config = buildConfig(
  'zendesk',
  {
    sla_breaches: { unit: 'count', aggregate: 'sum', query: { kind: 'sla_breaches' } },
    reply_breaches: { unit: 'count', aggregate: 'sum', query: { kind: 'sla_breaches', metrics: ['reply_time'] } },
  },
  // Exclusions are configured but cannot apply: metric events carry no group or assignee.
  { support: { excluded_owners: ['9001'] }, settings: { excluded_groups: ['7'] } },
);

/** An event shaped like the documented example's, re-valued. */
function event(id: number, ticketId: number, metric: string, instanceId: number, type: string, time: string, extra: object = {}) {
  return { ...eventsExample.ticket_metric_events[0], id, ticket_id: ticketId, metric, instance_id: instanceId, type, time, ...extra };
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/*
 * Hand computation (America/Chicago; CDT = UTC−5 until Sun 2026-11-01 07:00Z, then CST = UTC−6):
 *   201 reply_time #1            2026-10-29T05:00Z = Thu Oct 29 00:00 CDT (first instant of the day)   → Oct 29
 *   202 requester_wait_time #1   2026-10-29T16:00Z = Thu Oct 29 11:00 CDT                              → Oct 29
 *   203 reply_time #1            2026-10-31T12:00Z = Sat Oct 31 07:00 CDT                              → Oct 31
 *   204 reply_time #2            2026-11-01T04:30Z = Sat Oct 31 23:30 CDT                              → Oct 31
 *   205 resolution_time #0       2026-11-01T06:30Z = Sun Nov 1 01:30 CDT (before the fall back)       → Nov 1
 *   205 agent_work_time #0       2026-11-01T07:30Z = Sun Nov 1 01:30 CST (the repeated hour)          → Nov 1
 *       … repeated at the top of page 2 (same id: pages overlap on end_time), and again at 15:00Z with
 *       another id (same ticket/metric/instance)                                                       → not again
 *   206 reply_time #1            2026-11-02T05:30Z = Sun Nov 1 23:30 CST (the 25-hour day ends 06:00Z) → Nov 1
 *   207 reply_time #1            2026-11-02T06:00Z = Mon Nov 2 00:00 CST                               → Nov 2
 *   208 reply_time #1 deleted    → withdrawn, ignored;  209 group_ownership_time → not an SLA metric here
 *   210 periodic_update_time #3 and pausable_update_time #3, 2026-11-04T15:00Z = Wed Nov 4 09:00 CST → Nov 4 (2)
 *   Non-breach events (activate, update_status, measure) never count.
 * All metrics:   Oct 29: 2, Oct 30: 0, Oct 31: 2, Nov 1: 3, Nov 2: 1, Nov 3: 0, Nov 4: 2.
 * reply_time:    Oct 29: 1, Oct 30: 0, Oct 31: 2, Nov 1: 1, Nov 2: 1, Nov 3: 0, Nov 4: 0.
 * The export starts at Oct 29 00:00 CDT = 1793250000 and ends before Nov 5 00:00 CST (2026-11-05T06:00Z).
 */
const PAGE_1_END = seconds('2026-11-01T07:30:00Z');
const PAGE_1 = [
  event(1, 201, 'reply_time', 1, 'breach', '2026-10-29T05:00:00Z'),
  event(2, 202, 'requester_wait_time', 1, 'activate', '2026-10-29T14:00:00Z'),
  event(3, 202, 'requester_wait_time', 1, 'breach', '2026-10-29T16:00:00Z'),
  event(4, 203, 'reply_time', 1, 'breach', '2026-10-31T12:00:00Z'),
  event(5, 204, 'reply_time', 2, 'breach', '2026-11-01T04:30:00Z'),
  event(6, 205, 'resolution_time', 0, 'breach', '2026-11-01T06:30:00Z'),
  event(7, 205, 'agent_work_time', 0, 'breach', '2026-11-01T07:30:00Z'),
];
const PAGE_2 = [
  event(7, 205, 'agent_work_time', 0, 'breach', '2026-11-01T07:30:00Z'),
  event(8, 205, 'agent_work_time', 0, 'breach', '2026-11-01T15:00:00Z'),
  event(9, 206, 'reply_time', 1, 'breach', '2026-11-02T05:30:00Z'),
  event(10, 207, 'reply_time', 1, 'breach', '2026-11-02T06:00:00Z'),
  event(11, 208, 'reply_time', 1, 'breach', '2026-11-02T09:00:00Z', { deleted: true }),
  event(12, 209, 'group_ownership_time', 0, 'breach', '2026-11-03T15:00:00Z'),
  event(13, 207, 'reply_time', 1, 'update_status', '2026-11-03T16:00:00Z', { status: { calendar: 10, business: 5 } }),
  event(14, 210, 'periodic_update_time', 3, 'breach', '2026-11-04T15:00:00Z'),
  event(15, 210, 'pausable_update_time', 3, 'breach', '2026-11-04T15:00:00Z'),
  event(16, 210, 'agent_work_time', 0, 'measure', '2026-11-04T16:00:00Z'),
];

type Reply = [number, unknown, Record<string, string>?];

function fakeZendesk(handler: (url: URL) => Reply) {
  const calls: URL[] = [];
  nock(BASE)
    .persist()
    .get(() => true)
    .reply((uri) => {
      const url = new URL(uri, BASE);
      calls.push(url);
      return handler(url);
    });
  return calls;
}

/** The documented time-based export: page 1 points at page 2 by `next_page`; page 2 is the end of the stream. */
function happyEvents(url: URL): Reply {
  if (url.pathname !== EVENTS_PATH) return [404, { error: 'InvalidEndpoint' }];
  const startTime = Number(url.searchParams.get('start_time'));
  if (startTime === seconds('2026-10-29T05:00:00Z')) {
    return [
      200,
      {
        ...eventsExample,
        count: PAGE_1.length,
        end_time: PAGE_1_END,
        next_page: `${BASE}${EVENTS_PATH}?start_time=${PAGE_1_END}`,
        end_of_stream: false,
        ticket_metric_events: PAGE_1,
      },
    ];
  }
  if (startTime === PAGE_1_END) {
    const end = seconds('2026-11-04T17:59:00Z');
    return [
      200,
      {
        ...eventsExample,
        count: PAGE_2.length,
        end_time: end,
        next_page: `${BASE}${EVENTS_PATH}?start_time=${end}`,
        end_of_stream: true,
        ticket_metric_events: PAGE_2,
      },
    ];
  }
  return [422, { error: 'InvalidValue', description: 'unexpected start_time' }];
}

const valuesByDay = (values: Awaited<ReturnType<typeof collectAll>>, metricId: string) =>
  Object.fromEntries(Object.entries(byDay(values, metricId)).map(([day, v]) => [day, v.value]));

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('zendesk sla_breaches over the DST week', () => {
  it('counts distinct breaches per local day through both pages, with 0 for clean days and nothing after today', async () => {
    const calls = fakeZendesk(happyEvents);
    const { ctx, lines } = makeContext(ENV, config, NOW);
    const values = await collectAll(zendeskSource, ctx, FROM, TO, metricsOf(config));

    expect(valuesByDay(values, 'sla_breaches')).toEqual({
      '2026-10-29': 2,
      '2026-10-30': 0,
      '2026-10-31': 2,
      '2026-11-01': 3,
      '2026-11-02': 1,
      '2026-11-03': 0,
      '2026-11-04': 2,
    });
    expect(valuesByDay(values, 'reply_breaches')).toEqual({
      '2026-10-29': 1,
      '2026-10-30': 0,
      '2026-10-31': 2,
      '2026-11-01': 1,
      '2026-11-02': 1,
      '2026-11-03': 0,
      '2026-11-04': 0,
    });
    // Each metric walks the export to its end: page 1 by start_time, page 2 by next_page.
    expect(calls.map((url) => url.searchParams.get('start_time'))).toEqual([
      '1793250000',
      String(PAGE_1_END),
      '1793250000',
      String(PAGE_1_END),
    ]);
    expect(calls.every((url) => url.pathname === EVENTS_PATH)).toBe(true);
    expect(ctx.stats.calls).toBe(4);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('stops paging once a page reaches past the window end', async () => {
    const calls = fakeZendesk(happyEvents);
    const { ctx } = makeContext(ENV, config, NOW);
    const all = metricsOf(config).filter((m) => m.id === 'sla_breaches');
    // The window ends at Nov 1 00:00 CDT (05:00Z); page 1 already reaches 07:30Z.
    const values = await collectAll(zendeskSource, ctx, '2026-10-29', '2026-10-31', all);
    expect(valuesByDay(values, 'sla_breaches')).toEqual({ '2026-10-29': 2, '2026-10-30': 0, '2026-10-31': 2 });
    expect(calls).toHaveLength(1);
  });
});

describe('zendesk sla_breaches failures', () => {
  const all = metricsOf(config).filter((m) => m.id === 'sla_breaches');

  it('waits the Retry-After of a 429 on the incremental export, then succeeds', async () => {
    let attempts = 0;
    fakeZendesk((url) => (attempts++ === 0 ? [429, { error: 'TooManyRequests' }, { 'Retry-After': '9' }] : happyEvents(url)));
    const { sleep, waits } = fakeSleep();
    const { ctx } = makeContext(ENV, config, NOW);
    const values = await collectAll(createZendeskSource({ sleep }), ctx, FROM, TO, all);
    expect(valuesByDay(values, 'sla_breaches')['2026-11-01']).toBe(3);
    expect(waits).toEqual([9000]);
    expect(ctx.stats).toEqual({ calls: 3, rateLimited: 1 });
  });

  it('reports a malformed body as bad_response', async () => {
    fakeZendesk(() => [200, { ...eventsExample, ticket_metric_events: [{ ...eventsExample.ticket_metric_events[0], time: 'yesterday' }] }]);
    const { ctx, lines } = makeContext(ENV, config, NOW);
    const failure = await collectAll(zendeskSource, ctx, FROM, TO, all).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SourceError);
    expect((failure as SourceError).errorClass).toBe('bad_response');
    expect([...lines, (failure as SourceError).message].join('\n')).not.toContain(TOKEN);
  });
});

describe('zendesk sla_breaches query and settings', () => {
  it('accepts the SLA metric names only, and an incremental rate limit override', () => {
    expect(zendeskQuerySchema.parse(supportDigestQueries.support_sla_breaches.query)).toEqual({ kind: 'sla_breaches' });
    expect(zendeskQuerySchema.parse({ kind: 'sla_breaches', metrics: ['resolution_time'] })).toEqual({
      kind: 'sla_breaches',
      metrics: ['resolution_time'],
    });
    expect(() => zendeskQuerySchema.parse({ kind: 'sla_breaches', metrics: ['first_reply_time'] })).toThrow();
    expect(() => zendeskQuerySchema.parse({ kind: 'sla_breaches', metrics: [] })).toThrow();
    expect(zendeskSettingsSchema.parse({ rate_limit: { incremental: { max: 5, per_seconds: 60 } } }).rate_limit).toEqual({
      incremental: { max: 5, per_seconds: 60 },
    });
  });
});
