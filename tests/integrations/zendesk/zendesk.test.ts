import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { isSourceError, SourceError } from '../../../src/integrations/errors.js';
import { createZendeskSource, supportDigestQueries, zendeskSource } from '../../../src/integrations/zendesk/index.js';
import { zendeskQuerySchema } from '../../../src/integrations/zendesk/schemas.js';
import exportExample from './fixtures/get-search-export.json' with { type: 'json' };
import countExample from './fixtures/get-search-count.json' with { type: 'json' };
import metricsExample from './fixtures/get-ticket_metrics.json' with { type: 'json' };
import { byDay, collectAll, fakeSleep, makeContext, supportConfig } from '../../helpers/source-harness.js';
import { metricsOf } from '../../../src/metrics/catalog.js';

const BASE = 'https://acme.zendesk.com';
const EMAIL = 'agent@acme.test';
const TOKEN = 'zd-T0ken-6wJrq8c1Xn4bYp2Ks9Lm';
const BASIC = Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64');
const ENV = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: EMAIL, ZENDESK_API_TOKEN: TOKEN };
/** Wednesday 2026-11-04 12:00 CST: the refresh covers Thu Oct 29 … Wed Nov 4 (Sunday Nov 1 is 25 hours long). */
const NOW = '2026-11-04T18:00:00Z';
const FROM = '2026-10-29';
const TO = '2026-11-04';

const config = supportConfig(
  'zendesk',
  {
    first_response_time: { unit: 'hours', aggregate: 'ratio', query: { kind: 'first_reply_time' } },
    tickets_opened: { unit: 'count', aggregate: 'sum', query: { kind: 'tickets_created' } },
    tickets_closed: { unit: 'count', aggregate: 'sum', query: { kind: 'tickets_solved' } },
    open_tickets: { unit: 'count', aggregate: 'last', query: { kind: 'open_tickets' } },
  },
  { support: { excluded_owners: ['boss@acme.test', '9001'] }, settings: { excluded_groups: ['7'] } },
);
const EXCLUSIONS = '-assignee:boss@acme.test -assignee:9001 -group:7';

function ticket(id: number, createdAt: string, assigneeId: number | null = 501, groupId: number | null = 1) {
  return {
    url: `${BASE}/api/v2/tickets/${id}.json`,
    id,
    created_at: createdAt,
    updated_at: createdAt,
    type: 'question',
    subject: `Ticket ${id}`,
    status: 'open',
    requester_id: 900 + id,
    assignee_id: assigneeId,
    group_id: groupId,
    result_type: 'ticket',
  };
}

/** The official metric set example, re-valued: `replies` and the calendar reply time in seconds. */
function metricSet(ticketId: number, createdAt: string, replies: number, seconds: number) {
  const [example] = metricsExample.ticket_metrics;
  return {
    ...example,
    id: 3000 + ticketId,
    ticket_id: ticketId,
    created_at: createdAt,
    replies,
    reply_time_in_minutes: { business: Math.round(seconds / 60), calendar: Math.round(seconds / 60) },
    reply_time_in_seconds: { calendar: seconds },
    url: `${BASE}/api/v2/ticket_metrics/${3000 + ticketId}`,
  };
}

/*
 * Hand computation (America/Chicago; CDT = UTC−5 until Sun 2026-11-01 02:00, then CST = UTC−6):
 *   101 2026-10-29T15:00Z = Thu Oct 29 10:00 CDT, replied after 7200 s → 2 h
 *   102 2026-10-29T20:00Z = Thu Oct 29 15:00 CDT, 3600 s → 1 h           ⇒ Oct 29: 3 h / 2 = 1.5 h
 *   103 2026-11-01T04:30Z = Sat Oct 31 23:30 CDT, 1800 s → 0.5 h         ⇒ Oct 31: 0.5 / 1
 *   104 2026-11-02T05:30Z = Sun Nov 1 23:30 CST (day ends 06:00Z), 5400 s → 1.5 h
 *   105 2026-11-01T12:00Z = Sun Nov 1 06:00 CST, replies 0 → not counted ⇒ Nov 1: 1.5 / 1
 *   106 Nov 3, assignee 9001 (excluded owner) and 107 Nov 3, group 7 (excluded group) → left out
 *   108 2026-11-04T15:00Z = Wed Nov 4 09:00 CST, 2700 s → 0.75 h           ⇒ Nov 4: 0.75 / 1
 *   Oct 30, Nov 2, Nov 3: no replied ticket → no value.
 * The export window is [Oct 29 00:00 CDT, Nov 5 00:00 CST) = [2026-10-29T05:00Z, 2026-11-05T06:00Z).
 */
const PAGE_1 = [ticket(101, '2026-10-29T15:00:00Z'), ticket(102, '2026-10-29T20:00:00Z'), ticket(103, '2026-11-01T04:30:00Z')];
const PAGE_2 = [
  ticket(104, '2026-11-02T05:30:00Z'),
  ticket(105, '2026-11-01T12:00:00Z'),
  ticket(106, '2026-11-03T16:00:00Z', 9001),
  ticket(107, '2026-11-03T17:00:00Z', 502, 7),
  ticket(108, '2026-11-04T15:00:00Z'),
];
const METRICS: Record<number, ReturnType<typeof metricSet>> = {
  101: metricSet(101, '2026-10-29T15:00:00Z', 1, 7200),
  102: metricSet(102, '2026-10-29T20:00:00Z', 1, 3600),
  103: metricSet(103, '2026-11-01T04:30:00Z', 1, 1800),
  104: metricSet(104, '2026-11-02T05:30:00Z', 1, 5400),
  105: metricSet(105, '2026-11-01T12:00:00Z', 0, 0),
  106: metricSet(106, '2026-11-03T16:00:00Z', 1, 36_000),
  107: metricSet(107, '2026-11-03T17:00:00Z', 1, 36_000),
  108: metricSet(108, '2026-11-04T15:00:00Z', 2, 2700),
};
/** Local midnight (UTC) of each day → tickets created that day, as the search count answers. */
const CREATED: Record<string, number> = {
  '2026-10-29T05:00:00Z': 4,
  '2026-10-30T05:00:00Z': 0,
  '2026-10-31T05:00:00Z': 1,
  '2026-11-01T05:00:00Z': 3,
  '2026-11-02T06:00:00Z': 0,
  '2026-11-03T06:00:00Z': 2,
  '2026-11-04T06:00:00Z': 1,
};

type Reply = [number, unknown, Record<string, string>?];

/** A fake Zendesk at the network boundary: routes each GET to `handler` and records what was asked. */
function fakeZendesk(handler: (url: URL) => Reply) {
  const calls: { url: URL; authorization: string | undefined }[] = [];
  nock(BASE)
    .persist()
    .get(() => true)
    .reply(function (uri) {
      const url = new URL(uri, BASE);
      calls.push({ url, authorization: this.req.headers.authorization as string | undefined });
      return handler(url);
    });
  return calls;
}

function happyZendesk(url: URL): Reply {
  const query = url.searchParams.get('query') ?? '';
  switch (url.pathname) {
    case '/api/v2/search/export': {
      const after = url.searchParams.get('page[after]');
      if (after === null) {
        const next = new URL('/api/v2/search/export', BASE);
        next.search = new URLSearchParams({ 'filter[type]': 'ticket', 'page[after]': 'cursor-2', 'page[size]': '100', query }).toString();
        return [
          200,
          {
            ...exportExample,
            results: PAGE_1,
            links: { next: next.toString(), prev: null },
            meta: { ...exportExample.meta, after_cursor: 'cursor-2' },
          },
        ];
      }
      if (after === 'cursor-2') {
        return [
          200,
          {
            ...exportExample,
            results: PAGE_2,
            links: { next: null, prev: null },
            meta: { after_cursor: null, before_cursor: null, has_more: false },
          },
        ];
      }
      return [404, { error: 'unknown cursor' }];
    }
    case '/api/v2/tickets/show_many': {
      const ids = (url.searchParams.get('ids') ?? '').split(',').map(Number);
      return [200, { tickets: ids.map((id) => ({ id })), metric_sets: ids.map((id) => METRICS[id]) }];
    }
    case '/api/v2/search/count': {
      if (query.startsWith('type:ticket status<solved')) return [200, countExample];
      const created = /created>=(\S+)/.exec(query)?.[1];
      if (created) return [200, { count: CREATED[created] ?? -1 }];
      return [200, { count: query.includes('solved>=') ? 2 : -1 }];
    }
    case '/api/v2/users/me':
      return [200, { user: { id: 501, name: 'Agent', email: EMAIL, role: 'admin' } }];
  }
  return [404, { error: 'InvalidEndpoint' }];
}

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

function assertNoSecrets(texts: string[]) {
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) {
    for (const secret of [TOKEN, BASIC, `${EMAIL}/token:${TOKEN}`]) expect(text).not.toContain(secret);
  }
}

describe('zendesk source over the DST week', () => {
  it('collects first reply ratios, daily counts and open tickets with exact figures', async () => {
    const calls = fakeZendesk(happyZendesk);
    const { ctx, lines } = makeContext(config, { env: ENV, now: NOW });
    const values = await collectAll(zendeskSource, ctx, FROM, TO, metricsOf(config));

    expect(byDay(values, 'first_response_time', (v) => v)).toEqual({
      '2026-10-29': { metricId: 'first_response_time', day: '2026-10-29', value: 1.5, numerator: 3, denominator: 2 },
      '2026-10-31': { metricId: 'first_response_time', day: '2026-10-31', value: 0.5, numerator: 0.5, denominator: 1 },
      '2026-11-01': { metricId: 'first_response_time', day: '2026-11-01', value: 1.5, numerator: 1.5, denominator: 1 },
      // Days without a reply: 0 ÷ 0, stored as no value.
      '2026-10-30': { metricId: 'first_response_time', day: '2026-10-30', value: 0, numerator: 0, denominator: 0 },
      '2026-11-02': { metricId: 'first_response_time', day: '2026-11-02', value: 0, numerator: 0, denominator: 0 },
      '2026-11-03': { metricId: 'first_response_time', day: '2026-11-03', value: 0, numerator: 0, denominator: 0 },
      '2026-11-04': { metricId: 'first_response_time', day: '2026-11-04', value: 0.75, numerator: 0.75, denominator: 1 },
    });
    const opened = byDay(values, 'tickets_opened', (v) => v);
    expect(Object.fromEntries(Object.entries(opened).map(([day, v]) => [day, v.value]))).toEqual({
      '2026-10-29': 4,
      '2026-10-30': 0,
      '2026-10-31': 1,
      '2026-11-01': 3,
      '2026-11-02': 0,
      '2026-11-03': 2,
      '2026-11-04': 1,
    });
    expect(Object.values(byDay(values, 'tickets_closed', (v) => v)).map((v) => v.value)).toEqual([2, 2, 2, 2, 2, 2, 2]);
    // A stock: today's value only.
    expect(values.filter((v) => v.metricId === 'open_tickets')).toEqual([{ metricId: 'open_tickets', day: '2026-11-04', value: 6 }]);

    // Pagination went to the end, and only kept tickets were joined to their metric sets.
    const exports = calls.filter((c) => c.url.pathname === '/api/v2/search/export');
    expect(exports.map((c) => c.url.searchParams.get('page[after]'))).toEqual([null, 'cursor-2']);
    expect(exports[0]!.url.searchParams.get('query')).toBe(
      `type:ticket created>=2026-10-29T05:00:00Z created<2026-11-05T06:00:00Z ${EXCLUSIONS}`,
    );
    expect(exports[0]!.url.searchParams.get('filter[type]')).toBe('ticket');
    expect(calls.filter((c) => c.url.pathname === '/api/v2/tickets/show_many').map((c) => c.url.searchParams.get('ids'))).toEqual([
      '101,102,103',
      '104,105,108',
    ]);

    const counts = calls.filter((c) => c.url.pathname === '/api/v2/search/count').map((c) => c.url.searchParams.get('query'));
    expect(counts).toContain(`type:ticket created>=2026-11-01T05:00:00Z created<2026-11-02T06:00:00Z ${EXCLUSIONS}`);
    expect(counts).toContain(`type:ticket solved>=2026-10-31T05:00:00Z solved<2026-11-01T05:00:00Z ${EXCLUSIONS}`);
    expect(counts).toContain(`type:ticket status<solved ${EXCLUSIONS}`);
    expect(counts).toHaveLength(15);

    expect(calls.every((c) => c.authorization === `Basic ${BASIC}`)).toBe(true);
    expect(ctx.stats.calls).toBe(calls.length);
    assertNoSecrets(lines);
  });

  it('stores no open-ticket value when the range ends before today (a stock has no history)', async () => {
    const calls = fakeZendesk(happyZendesk);
    const { ctx } = makeContext(config, { env: ENV, now: NOW });
    const open = metricsOf(config).filter((m) => m.id === 'open_tickets');
    expect(await collectAll(zendeskSource, ctx, '2026-10-20', '2026-10-26', open)).toEqual([]);
    expect(calls).toHaveLength(0);
  });
});

describe('zendesk failures', () => {
  const openOnly = metricsOf(config).filter((m) => m.id === 'open_tickets');

  it('waits the Retry-After of a 429, then succeeds', async () => {
    let attempts = 0;
    fakeZendesk((url) =>
      url.pathname === '/api/v2/search/count' && attempts++ === 0
        ? [429, { error: 'TooManyRequests' }, { 'Retry-After': '7' }]
        : happyZendesk(url),
    );
    const { sleep, waits } = fakeSleep();
    const { ctx, lines } = makeContext(config, { env: ENV, now: NOW });
    const values = await collectAll(createZendeskSource({ sleep }), ctx, FROM, TO, openOnly);
    expect(values).toEqual([{ metricId: 'open_tickets', day: '2026-11-04', value: 6 }]);
    expect(waits).toEqual([7000]);
    expect(ctx.stats).toEqual({ calls: 2, rateLimited: 1 });
    assertNoSecrets(lines);
  });

  it('retries a 503 and recovers', async () => {
    let attempts = 0;
    fakeZendesk((url) => (attempts++ === 0 ? [503, { error: 'Service Unavailable' }] : happyZendesk(url)));
    const { sleep, waits } = fakeSleep();
    const { ctx } = makeContext(config, { env: ENV, now: NOW });
    expect(await collectAll(createZendeskSource({ sleep, random: () => 0.5 }), ctx, FROM, TO, openOnly)).toHaveLength(1);
    expect(waits).toHaveLength(1);
    expect(attempts).toBe(2);
  });

  it('does not retry a 401, and says which credentials to check', async () => {
    const calls = fakeZendesk(() => [401, { error: "Couldn't authenticate you" }]);
    const { sleep, waits } = fakeSleep();
    const { ctx, lines } = makeContext(config, { env: ENV, now: NOW });
    const source = createZendeskSource({ sleep });
    const failure = await collectAll(source, ctx, FROM, TO, openOnly).catch((error: unknown) => error);
    expect(isSourceError(failure) && failure.errorClass).toBe('auth');
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);

    const check = await source.check(ctx);
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/authentication failed: check ZENDESK_EMAIL and ZENDESK_API_TOKEN/);
    assertNoSecrets([...lines, (failure as SourceError).message, check.detail]);
  });

  it('reports a malformed body as bad_response', async () => {
    fakeZendesk((url) =>
      url.pathname === '/api/v2/search/export' ? [200, { ...exportExample, results: 'not a list' }] : happyZendesk(url),
    );
    const { ctx, lines } = makeContext(config, { env: ENV, now: NOW });
    const frt = metricsOf(config).filter((m) => m.id === 'first_response_time');
    const failure = await collectAll(zendeskSource, ctx, FROM, TO, frt).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SourceError);
    expect((failure as SourceError).errorClass).toBe('bad_response');
    assertNoSecrets([...lines, (failure as SourceError).message]);
  });

  it('never follows a next link to another host with the credentials', async () => {
    const calls = fakeZendesk((url) => {
      if (url.pathname === '/api/v2/search/export' && !url.searchParams.get('page[after]')) {
        return [
          200,
          {
            ...exportExample,
            results: [],
            links: { next: 'https://evil.test/api/v2/search/export?page%5Bafter%5D=x', prev: null },
            meta: { after_cursor: 'cursor-2', before_cursor: null, has_more: true },
          },
        ];
      }
      return happyZendesk(url);
    });
    const { ctx } = makeContext(config, { env: ENV, now: NOW });
    const frt = metricsOf(config).filter((m) => m.id === 'first_response_time');
    await collectAll(zendeskSource, ctx, FROM, TO, frt);
    expect(calls.filter((c) => c.url.pathname === '/api/v2/search/export').map((c) => c.url.searchParams.get('page[after]'))).toEqual([
      null,
      'cursor-2',
    ]);
  });
});

describe('zendesk setup', () => {
  it('is configured by subdomain + email + API token, or an OAuth token; ZENDESK_BASE_URL overrides the host', async () => {
    expect(zendeskSource.configured(ENV)).toBe(true);
    expect(zendeskSource.configured({ ZENDESK_SUBDOMAIN: 'acme', ZENDESK_OAUTH_TOKEN: 'oauth-abc' })).toBe(true);
    expect(zendeskSource.configured({ ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: EMAIL })).toBe(false);
    expect(zendeskSource.configured({ ZENDESK_EMAIL: EMAIL, ZENDESK_API_TOKEN: TOKEN })).toBe(false);

    const scope = nock('https://sandbox.zendesk.test')
      .get('/api/v2/users/me')
      .matchHeader('authorization', 'Bearer oauth-tok-123456')
      .reply(200, { user: { id: 7, name: 'Ops', email: 'ops@acme.test', role: 'admin' } });
    const { ctx } = makeContext(config, {
      env: { ZENDESK_BASE_URL: 'https://sandbox.zendesk.test', ZENDESK_OAUTH_TOKEN: 'oauth-tok-123456' },
      now: NOW,
    });
    expect(await zendeskSource.check(ctx)).toEqual({ ok: true, detail: 'authenticated as ops@acme.test (admin)' });
    scope.done();
  });

  it('treats the anonymous /users/me answer as not authenticated', async () => {
    fakeZendesk(() => [200, { user: { id: null, name: 'Anonymous user', email: 'invalid@example.com', role: 'end-user' } }]);
    const { ctx } = makeContext(config, { env: ENV, now: NOW });
    const check = await zendeskSource.check(ctx);
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('anonymous');
  });

  it('exports the support digest queries, valid for its own query schema', () => {
    expect(zendeskQuerySchema.parse(supportDigestQueries.open_tickets.query)).toEqual({ kind: 'open_tickets' });
    expect(zendeskQuerySchema.parse(supportDigestQueries.first_response_time.query)).toEqual({ kind: 'first_reply_time' });
    expect(() => zendeskQuerySchema.parse({ kind: 'open_tickets', extra: 1 })).toThrow();
    expect(() => zendeskSource.settingsSchema.parse({ rate_limit: { search: { max: 1, per_seconds: 1 } } })).toThrow();
  });
});
