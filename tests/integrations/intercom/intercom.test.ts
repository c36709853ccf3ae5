import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { isSourceError, type SourceError } from '../../../src/integrations/errors.js';
import { createIntercomSource, intercomSource, supportDigestQueries } from '../../../src/integrations/intercom/index.js';
import { intercomQuerySchema } from '../../../src/integrations/intercom/schemas.js';
import searchExample from './fixtures/post-conversations-search.json' with { type: 'json' };
import statisticsExample from './fixtures/conversation_statistics.schema-examples.json' with { type: 'json' };
import adminsExample from './fixtures/get-admins.json' with { type: 'json' };
import meExample from './fixtures/get-me.json' with { type: 'json' };
import unauthorizedExample from './fixtures/error-unauthorized.json' with { type: 'json' };
import { byDay, collectAll, fakeSleep, makeContext, supportConfig } from '../../helpers/source-harness.js';
import { metricsOf } from '../../../src/metrics/catalog.js';

const BASE = 'https://api.intercom.io';
const TOKEN = 'dG9rOmIxZjU4ZTMwXzQyOWFfNGZhNV84ZDIxXzA5ZDA3NjU0YjE4NToxOjA=';
const ENV = { INTERCOM_ACCESS_TOKEN: TOKEN };
const NOW = '2026-11-04T18:00:00Z';
const FROM = '2026-10-29';
const TO = '2026-11-04';
const BOSS_ID = adminsExample.admins[0]!.id; // admin7@email.com

const config = supportConfig(
  'intercom',
  {
    conversations: { unit: 'count', aggregate: 'sum', query: { kind: 'conversations' } },
    first_response_time: { unit: 'hours', aggregate: 'ratio', query: { kind: 'first_response' } },
    open_tickets: { unit: 'count', aggregate: 'last', query: { kind: 'open_conversations' } },
  },
  { support: { excluded_owners: ['admin7@email.com'] } },
);

const at = (iso: string) => Date.parse(iso) / 1000;

/** The spec's search example conversation, re-valued; `reply` re-times the spec's statistics example. */
function conversation(id: string, createdIso: string, reply?: { contactDelay?: number; adminDelay: number }, assignee = 991267715) {
  const [example] = searchExample.conversations;
  const created = at(createdIso);
  const contactAt = created + (reply?.contactDelay ?? 0);
  return {
    ...example,
    id,
    created_at: created,
    updated_at: created,
    admin_assignee_id: assignee,
    open: true,
    state: 'open',
    statistics: reply
      ? {
          ...statisticsExample,
          first_contact_reply_at: contactAt,
          first_admin_reply_at: contactAt + reply.adminDelay,
          time_to_admin_reply: reply.adminDelay,
        }
      : null,
  };
}

/*
 * Hand computation (America/Chicago; CDT = UTC−5 until Sun 2026-11-01 02:00, then CST = UTC−6), calendar mode:
 *   c1 2026-10-29T14:00Z Thu 09:00 CDT, teammate reply 1800 s after the contact → 0.5 h
 *   c2 2026-10-29T16:00Z Thu 11:00 CDT, contact wrote 600 s after creation, reply 5400 s later → 1.5 h
 *                                                                ⇒ Oct 29: 2 conversations, 2 h / 2 = 1 h
 *   c3 2026-11-01T04:30Z Sat Oct 31 23:30 CDT, reply 3600 s → 1 h ⇒ Oct 31: 1, 1 h / 1
 *   c4 2026-11-02T05:30Z Sun Nov 1 23:30 CST, reply 7200 s → 2 h
 *   c5 2026-11-01T15:00Z Sun Nov 1 09:00 CST, no reply yet      ⇒ Nov 1: 2 conversations, 2 h / 1
 *   c6 2026-11-03T15:00Z assigned to admin7@email.com (excluded) ⇒ Nov 3: 0
 *   c7 2026-11-04T16:00Z Wed 10:00 CST, reply 900 s → 0.25 h     ⇒ Nov 4: 1, 0.25 h / 1
 *   c8 2026-11-05T06:00Z = the window's end (Thu Nov 5 00:00 CST): returned by the inclusive search, dropped.
 * Window [2026-10-29T05:00Z, 2026-11-05T06:00Z) = created_at > 1793249999 and < 1793858400.
 */
const PAGE_1 = [
  conversation('c1', '2026-10-29T14:00:00Z', { adminDelay: 1800 }),
  conversation('c2', '2026-10-29T16:00:00Z', { contactDelay: 600, adminDelay: 5400 }),
  conversation('c3', '2026-11-01T04:30:00Z', { adminDelay: 3600 }),
  conversation('c4', '2026-11-02T05:30:00Z', { adminDelay: 7200 }),
];
const PAGE_2 = [
  conversation('c5', '2026-11-01T15:00:00Z'),
  conversation('c6', '2026-11-03T15:00:00Z', { adminDelay: 60 }, Number(BOSS_ID)),
  conversation('c7', '2026-11-04T16:00:00Z', { adminDelay: 900 }),
  conversation('c8', '2026-11-05T06:00:00Z', { adminDelay: 60 }),
];

type Reply = [number, unknown, Record<string, string>?];
interface Call {
  method: string;
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON request body; handlers and assertions read it by Intercom's field names.
  body: any;
  headers: Record<string, unknown>;
}

function fakeIntercom(handler: (call: Call) => Reply) {
  const calls: Call[] = [];
  const record = (method: string) =>
    function (this: { req: { headers: Record<string, unknown> } }, uri: string, body: unknown): Reply {
      const call = { method, path: uri, body, headers: this.req.headers };
      calls.push(call);
      return handler(call);
    };
  nock(BASE)
    .persist()
    .get(() => true)
    .reply(record('GET'))
    .post(() => true)
    .reply(record('POST'));
  return calls;
}

function happyIntercom(call: Call): Reply {
  if (call.path === '/admins') return [200, adminsExample];
  if (call.path === '/me') return [200, meExample];
  if (call.path !== '/conversations/search')
    return [404, { type: 'error.list', errors: [{ code: 'not_found', message: 'Resource Not Found' }] }];
  const filters: { field: string; value: unknown }[] = call.body.query.value;
  const state = filters.find((f) => f.field === 'state');
  if (state) {
    // 12 open (3 of them the excluded teammate's) and 4 snoozed (1 of them theirs).
    const byAdmin = filters.find((f) => f.field === 'admin_assignee_id');
    const total = state.value === 'snoozed' ? (byAdmin ? 1 : 4) : byAdmin ? 3 : 12;
    return [200, { ...searchExample, total_count: total, pages: { type: 'pages', page: 1, per_page: 1, total_pages: total } }];
  }
  if (call.body.pagination.starting_after === undefined) {
    return [
      200,
      {
        ...searchExample,
        total_count: 8,
        conversations: PAGE_1,
        pages: {
          type: 'pages',
          page: 1,
          per_page: 150,
          total_pages: 2,
          next: { page: 2, starting_after: 'WzE3OTM1OTc0MDAwMDAsImM0IiwyXQ==' },
        },
      },
    ];
  }
  if (call.body.pagination.starting_after === 'WzE3OTM1OTc0MDAwMDAsImM0IiwyXQ==') {
    return [
      200,
      { ...searchExample, total_count: 8, conversations: PAGE_2, pages: { type: 'pages', page: 2, per_page: 150, total_pages: 2 } },
    ];
  }
  return [400, { type: 'error.list', errors: [{ code: 'parameter_invalid', message: 'bad cursor' }] }];
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
  for (const text of texts) expect(text).not.toContain(TOKEN);
}

describe('intercom source over the DST week', () => {
  it('counts conversations, first response ratios and open conversations with exact figures', async () => {
    const calls = fakeIntercom(happyIntercom);
    const { ctx, lines } = makeContext(config, { env: ENV, now: NOW });
    const values = await collectAll(intercomSource, ctx, FROM, TO, metricsOf(config));

    expect(Object.fromEntries(Object.entries(byDay(values, 'conversations', (v) => v)).map(([d, v]) => [d, v.value]))).toEqual({
      '2026-10-29': 2,
      '2026-10-30': 0,
      '2026-10-31': 1,
      '2026-11-01': 2,
      '2026-11-02': 0,
      '2026-11-03': 0,
      '2026-11-04': 1,
    });
    expect(byDay(values, 'first_response_time', (v) => v)).toEqual({
      '2026-10-29': { metricId: 'first_response_time', day: '2026-10-29', value: 1, numerator: 2, denominator: 2 },
      '2026-10-31': { metricId: 'first_response_time', day: '2026-10-31', value: 1, numerator: 1, denominator: 1 },
      '2026-11-01': { metricId: 'first_response_time', day: '2026-11-01', value: 2, numerator: 2, denominator: 1 },
      // Days without a reply: 0 ÷ 0, stored as no value.
      '2026-10-30': { metricId: 'first_response_time', day: '2026-10-30', value: 0, numerator: 0, denominator: 0 },
      '2026-11-02': { metricId: 'first_response_time', day: '2026-11-02', value: 0, numerator: 0, denominator: 0 },
      '2026-11-03': { metricId: 'first_response_time', day: '2026-11-03', value: 0, numerator: 0, denominator: 0 },
      '2026-11-04': { metricId: 'first_response_time', day: '2026-11-04', value: 0.25, numerator: 0.25, denominator: 1 },
    });
    // 12 open and 4 snoozed (snoozed is pending or on hold: open for the catalog), less 3 + 1 of the excluded teammate.
    expect(values.filter((v) => v.metricId === 'open_tickets')).toEqual([{ metricId: 'open_tickets', day: '2026-11-04', value: 12 }]);

    const scans = calls.filter((c) => c.path === '/conversations/search' && c.body.pagination.per_page === 150);
    expect(scans.map((c) => c.body.pagination.starting_after)).toEqual([undefined, 'WzE3OTM1OTc0MDAwMDAsImM0IiwyXQ==']);
    expect(scans[0]!.body.query).toEqual({
      operator: 'AND',
      value: [
        { field: 'created_at', operator: '>', value: '1793249999' },
        { field: 'created_at', operator: '<', value: '1793858400' },
      ],
    });
    // One scan feeds both conversation metrics; /admins maps the excluded email once.
    expect(calls.filter((c) => c.path === '/admins')).toHaveLength(1);
    // /admins, two counts per state (open, snoozed: all, then the excluded teammate's), two scan pages.
    expect(calls).toHaveLength(1 + 4 + 2);
    expect(calls.every((c) => c.headers.authorization === `Bearer ${TOKEN}` && c.headers['intercom-version'] === '2.14')).toBe(true);
    assertNoSecrets(lines);
  });

  it('uses the regional host chosen in settings', async () => {
    const eu = supportConfig(
      'intercom',
      { open: { unit: 'count', aggregate: 'last', query: { kind: 'open_conversations' } } },
      { settings: { region: 'eu' } },
    );
    const scope = nock('https://api.eu.intercom.io')
      .post('/conversations/search')
      .times(2)
      .reply(200, { ...searchExample, total_count: 4 });
    const { ctx } = makeContext(eu, { env: ENV, now: NOW });
    expect(await collectAll(intercomSource, ctx, FROM, TO, metricsOf(eu))).toEqual([{ metricId: 'open', day: '2026-11-04', value: 8 }]);
    scope.done();
  });
});

describe('intercom snoozed conversations', () => {
  it('count as open by default (the catalog: pending or on hold), and not with include_snoozed: false', async () => {
    const metric = { open: { unit: 'count' as const, aggregate: 'last' as const, query: { kind: 'open_conversations' } } };
    const calls = fakeIntercom(happyIntercom);
    const withSnoozed = supportConfig('intercom', metric);
    const { ctx } = makeContext(withSnoozed, { env: ENV, now: NOW });
    expect(await collectAll(intercomSource, ctx, FROM, TO, metricsOf(withSnoozed))).toEqual([
      { metricId: 'open', day: '2026-11-04', value: 16 },
    ]);
    const states = calls.map((call) => (call.body as { query: { value: { field: string; value: unknown }[] } }).query.value[0]!.value);
    expect(states).toEqual(['open', 'snoozed']);

    const openOnly = supportConfig('intercom', metric, { settings: { include_snoozed: false } });
    const second = makeContext(openOnly, { env: ENV, now: NOW });
    expect(await collectAll(intercomSource, second.ctx, FROM, TO, metricsOf(openOnly))).toEqual([
      { metricId: 'open', day: '2026-11-04', value: 12 },
    ]);
  });
});

describe('intercom failures', () => {
  const openOnly = supportConfig('intercom', { open: { unit: 'count', aggregate: 'last', query: { kind: 'open_conversations' } } });

  it('sleeps until X-RateLimit-Reset after a 429, then succeeds', async () => {
    let attempts = 0;
    fakeIntercom((call) => {
      if (attempts++ > 0) return happyIntercom(call);
      const reset = String(Math.floor(Date.now() / 1000) + 5);
      const body = { type: 'error.list', errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 167 in 10_seconds' }] };
      return [429, body, { 'X-RateLimit-Limit': '167', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset }];
    });
    const { sleep, waits } = fakeSleep();
    const { ctx, lines } = makeContext(openOnly, { env: ENV, now: NOW });
    expect(await collectAll(createIntercomSource({ sleep }), ctx, FROM, TO, metricsOf(openOnly))).toEqual([
      { metricId: 'open', day: '2026-11-04', value: 16 },
    ]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(3000);
    expect(waits[0]).toBeLessThanOrEqual(5000);
    // The 429, then one count per state.
    expect(ctx.stats).toEqual({ calls: 3, rateLimited: 1 });
    assertNoSecrets(lines);
  });

  it('retries a 502 and recovers', async () => {
    let attempts = 0;
    fakeIntercom((call) => (attempts++ === 0 ? [502, '<html>Bad Gateway</html>'] : happyIntercom(call)));
    const { sleep, waits } = fakeSleep();
    const { ctx } = makeContext(openOnly, { env: ENV, now: NOW });
    expect(await collectAll(createIntercomSource({ sleep }), ctx, FROM, TO, metricsOf(openOnly))).toHaveLength(1);
    expect(waits).toHaveLength(1);
  });

  it('does not retry a 401, and check() names the token to fix', async () => {
    const calls = fakeIntercom(() => [401, unauthorizedExample]);
    const { sleep, waits } = fakeSleep();
    const { ctx, lines } = makeContext(openOnly, { env: ENV, now: NOW });
    const source = createIntercomSource({ sleep });
    const failure = await collectAll(source, ctx, FROM, TO, metricsOf(openOnly)).catch((error: unknown) => error);
    expect(isSourceError(failure) && failure.errorClass).toBe('auth');
    expect((failure as SourceError).message).toContain('Access Token Invalid');
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
    const check = await source.check(ctx);
    expect(check).toEqual({ ok: false, detail: expect.stringMatching(/^authentication failed: check INTERCOM_ACCESS_TOKEN/) });
    assertNoSecrets([...lines, (failure as SourceError).message, check.detail]);
  });

  it('reports a malformed body as bad_response', async () => {
    fakeIntercom(() => [200, { type: 'conversation.list', total_count: 'many', conversations: [] }]);
    const { ctx, lines } = makeContext(openOnly, { env: ENV, now: NOW });
    const failure = await collectAll(intercomSource, ctx, FROM, TO, metricsOf(openOnly)).catch((error: unknown) => error);
    expect((failure as SourceError).errorClass).toBe('bad_response');
    assertNoSecrets([...lines, (failure as SourceError).message]);
  });
});

describe('intercom setup', () => {
  it('is configured by the access token; check() identifies the admin and workspace', async () => {
    expect(intercomSource.configured(ENV)).toBe(true);
    expect(intercomSource.configured({ INTERCOM_BASE_URL: BASE })).toBe(false);
    fakeIntercom(happyIntercom);
    const { ctx } = makeContext(config, { env: ENV, now: NOW });
    expect(await intercomSource.check(ctx)).toEqual({ ok: true, detail: 'authenticated as admin1@email.com in workspace MyApp 1' });
  });

  it('exports the support digest queries, valid for its own query schema', () => {
    expect(intercomQuerySchema.parse(supportDigestQueries.open_tickets.query)).toEqual({ kind: 'open_conversations' });
    expect(intercomQuerySchema.parse(supportDigestQueries.first_response_time.query)).toEqual({ kind: 'first_response' });
    expect(() => intercomQuerySchema.parse({ kind: 'median_first_response' })).toThrow();
  });
});
