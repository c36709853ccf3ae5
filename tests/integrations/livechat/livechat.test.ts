import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { isSourceError, type SourceError } from '../../../src/integrations/errors.js';
import { createLivechatSource, livechatSource, supportDigestQueries } from '../../../src/integrations/livechat/index.js';
import { livechatQuerySchema } from '../../../src/integrations/livechat/schemas.js';
import frtExample from './fixtures/reports-v3.5-chats-firstResponseTime.json' with { type: 'json' };
import totalExample from './fixtures/reports-v3.5-chats-totalChats.json' with { type: 'json' };
import archivesExample from './fixtures/agent-chat-v3.5-list_archives.json' with { type: 'json' };
import chatsExample from './fixtures/agent-chat-v3.5-list_chats.json' with { type: 'json' };
import agentsExample from './fixtures/configuration-v3.5-list_agents.json' with { type: 'json' };
import { byDay, collectAll, fakeSleep, makeContext, supportConfig } from '../../helpers/source-harness.js';
import { metricsOf } from '../../../src/metrics/catalog.js';

const BASE = 'https://api.livechatinc.com';
const ACCOUNT = 'd24fa41e-bc16-41b8-a15b-9ca45ff7e0cf';
const PAT = 'dal:Qm9iX3Rva2VuX2Zvcl90ZXN0c19vbmx5XzEyMzQ1Njc4';
const BASIC = Buffer.from(`${ACCOUNT}:${PAT}`).toString('base64');
const ENV = { LIVECHAT_ACCOUNT_ID: ACCOUNT, LIVECHAT_PAT: PAT };
const NOW = '2026-11-04T18:00:00Z';
const FROM = '2026-10-29';
const TO = '2026-11-04';
/** The id of the official list_bots example's bot; `cfg-bot` comes from settings. */
const BOT = '2c1b8da190222160e8f9e077af4c625b';
const SMITH = 'smith@example.com';

const config = supportConfig(
  'livechat',
  {
    chats: { unit: 'count', aggregate: 'sum', query: { kind: 'total_chats' } },
    first_response_time: { unit: 'hours', aggregate: 'ratio', query: { kind: 'first_response_time' } },
    open_tickets: { unit: 'count', aggregate: 'last', query: { kind: 'open_chats' } },
    bot_transfers: { unit: 'count', aggregate: 'sum', query: { kind: 'bot_transfers' } },
  },
  { support: { excluded_owners: ['boss@acme.test'] }, settings: { bot_agents: ['cfg-bot'] } },
);
/** [Thu Oct 29 00:00 CDT, Wed Nov 4 23:59:59.999999 CST]: the offset changes inside the range. */
const RANGE = { from: '2026-10-29T00:00:00.000000-05:00', to: '2026-11-04T23:59:59.999999-06:00' };

const [exampleChat] = archivesExample.chats;
const CUSTOMER = {
  id: 'b7eff798-f8df-4364-8059-649c35c9ed0c',
  name: 'Thomas Anderson',
  email: 't.anderson@example.com',
  type: 'customer',
  present: true,
};
const BOT_USER = { id: BOT, name: 'Bot Name', type: 'agent', present: true };

/** The official archive example, re-valued: a thread started at `createdAt` with messages by `authors` in order. */
function archived(threadId: string, createdAt: string, authors: string[]) {
  const start = Date.parse(createdAt);
  return {
    ...exampleChat,
    id: `CHAT_${threadId}`,
    users: [...exampleChat!.users, CUSTOMER, BOT_USER],
    thread: {
      ...exampleChat!.thread,
      id: threadId,
      created_at: createdAt,
      user_ids: [CUSTOMER.id, BOT, SMITH],
      events: authors.map((author, i) => ({
        ...exampleChat!.thread.events[0],
        id: `${threadId}_${i + 1}`,
        created_at: new Date(start + (i + 1) * 30_000).toISOString(),
        author_id: author,
        text: `message ${i + 1}`,
      })),
    },
  };
}

/*
 * Bot transfers, hand computed (America/Chicago; CDT = UTC−5 until Sun 2026-11-01 02:00, then CST = UTC−6):
 *   T1 2026-10-29T15:00Z Thu 10:00 CDT   bot → customer → Smith   transfer  ⇒ Oct 29: 1
 *   T2 2026-11-01T04:30Z Sat 23:30 CDT   bot → Smith              transfer  ⇒ Oct 31: 1 (UTC says Nov 1)
 *   T3 2026-11-02T05:30Z Sun 23:30 CST   bot → customer           bot only
 *   T4 2026-11-02T05:45Z Sun 23:45 CST   customer → bot → Smith   transfer  ⇒ Nov 1: 1 (UTC says Nov 2)
 *   T5 2026-11-03T15:00Z Tue             Smith → bot              human first, no transfer
 *   T6 2026-11-04T16:00Z Wed             Smith only               no bot
 * Reports come back keyed by local day (timezone in the request); first response in seconds:
 *   Oct 29: 3 chats × 14.22 s → 42.66 s; Oct 30: 4 × 41.35 → 165.4 s; Oct 31: {}; Nov 1: 9 × 3.34 → 30.06 s;
 *   Nov 2: 5 × 8.5 → 42.5 s; Nov 3: {}; Nov 4: 6 × 32.3 → 193.8 s.  Numerators in hours = those ÷ 3600.
 */
const ARCHIVE_PAGE_1 = [
  archived('T1', '2026-10-29T15:00:00.000000Z', [BOT, CUSTOMER.id, SMITH]),
  archived('T2', '2026-11-01T04:30:00.000000Z', [BOT, SMITH]),
  archived('T3', '2026-11-02T05:30:00.000000Z', [BOT, CUSTOMER.id]),
];
const ARCHIVE_PAGE_2 = [
  archived('T4', '2026-11-02T05:45:00.000000Z', [CUSTOMER.id, BOT, SMITH]),
  archived('T5', '2026-11-03T15:00:00.000000Z', [SMITH, BOT]),
  archived('T6', '2026-11-04T16:00:00.000000Z', [SMITH]),
];
const FRT_RECORDS = {
  '2026-10-29': { count: 3, first_response_time: 14.22 },
  '2026-10-30': { count: 4, first_response_time: 41.35 },
  '2026-10-31': {},
  '2026-11-01': { count: 9, first_response_time: 3.34 },
  '2026-11-02': { count: 5, first_response_time: 8.5 },
  '2026-11-03': {},
  '2026-11-04': { count: 6, first_response_time: 32.3 },
};
const TOTAL_RECORDS = {
  '2026-10-29': { total: 37, continuous: 15 },
  '2026-10-30': { total: 48, continuous: 1 },
  '2026-10-31': {},
  '2026-11-01': { total: 21, continuous: 7 },
  '2026-11-02': { total: 33, continuous: 30 },
  '2026-11-03': {},
  '2026-11-04': { total: 12, continuous: 2 },
};

const [exampleSummary] = chatsExample.chats_summary;
function summary(id: string, active: boolean, threadUsers: string[]) {
  return {
    ...exampleSummary,
    id,
    users: [...exampleSummary!.users, BOT_USER],
    last_thread_summary: { ...exampleSummary!.last_thread_summary, id: `${id}_T`, active, user_ids: threadUsers },
  };
}
const CHATS_PAGE_1 = [
  exampleSummary, // active, Smith serving → open
  summary('C2', true, [CUSTOMER.id, BOT]), // only the bot serves → not counted
  summary('C3', true, [CUSTOMER.id]), // queued, waiting for an agent → open
  summary('C4', false, [CUSTOMER.id, SMITH]), // finished
];
const CHATS_PAGE_2 = [summary('C5', true, [CUSTOMER.id, BOT, SMITH])]; // bot handed over to Smith → open

type Reply = [number, unknown, Record<string, string>?];
interface Call {
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: the parsed JSON request body; handlers and assertions read it by LiveChat's field names.
  body: any;
  headers: Record<string, unknown>;
}

function fakeLivechat(handler: (call: Call) => Reply) {
  const calls: Call[] = [];
  nock(BASE)
    .persist()
    .post(() => true)
    .reply(function (uri, body) {
      const call = { path: uri, body, headers: this.req.headers };
      calls.push(call);
      return handler(call);
    });
  return calls;
}

function happyLivechat(call: Call): Reply {
  switch (call.path) {
    case '/v3.5/reports/chats/total_chats':
      return [200, { ...totalExample, total: 151, records: TOTAL_RECORDS }];
    case '/v3.5/reports/chats/first_response_time':
      return [200, { ...frtExample, total: 151, records: FRT_RECORDS }];
    case '/v3.5/configuration/action/list_bots':
      return [200, [{ id: BOT, name: 'Bot Name', avatar: 'example.com/avatar.jpg' }]];
    case '/v3.5/configuration/action/list_agents':
      return [200, agentsExample];
    case '/v3.5/agent/action/list_archives':
      if (call.body.page_id === undefined)
        return [
          200,
          { ...archivesExample, chats: ARCHIVE_PAGE_1, found_chats: 6, next_page_id: 'QVJDSElWRVNfUDI=', previous_page_id: undefined },
        ];
      if (call.body.page_id === 'QVJDSElWRVNfUDI=')
        return [200, { ...archivesExample, chats: ARCHIVE_PAGE_2, found_chats: 6, next_page_id: undefined }];
      break;
    case '/v3.5/agent/action/list_chats':
      if (call.body.page_id === undefined) return [200, { ...chatsExample, chats_summary: CHATS_PAGE_1, next_page_id: 'Q0hBVFNfUDI=' }];
      if (call.body.page_id === 'Q0hBVFNfUDI=')
        return [200, { chats_summary: CHATS_PAGE_2, found_chats: 5, previous_page_id: 'Q0hBVFNfUDE=' }];
      break;
  }
  return [400, { error: { type: 'validation', message: `unexpected ${call.path}` } }];
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
  for (const text of texts) for (const secret of [PAT, BASIC, `${ACCOUNT}:${PAT}`]) expect(text).not.toContain(secret);
}

describe('livechat source over the DST week', () => {
  it('collects chats, weighted first response, open chats and bot transfers with exact figures', async () => {
    const calls = fakeLivechat(happyLivechat);
    const { ctx, lines } = makeContext(config, { env: ENV, now: NOW });
    const values = await collectAll(livechatSource, ctx, FROM, TO, metricsOf(config));

    expect(Object.values(byDay(values, 'chats', (v) => v)).map((v) => [v.day, v.value])).toEqual([
      ['2026-10-29', 37],
      ['2026-10-30', 48],
      ['2026-10-31', 0],
      ['2026-11-01', 21],
      ['2026-11-02', 33],
      ['2026-11-03', 0],
      ['2026-11-04', 12],
    ]);
    // First response from the same threads (calendar hours: no business hours here), bots skipped: T1's customer
    // wrote 30 s before Smith; T4's customer 60 s before him, with the bot in between (a bot-first chat, counted).
    // T2, T3, T5 and T6 have no customer message followed by a human one.
    const frt = byDay(values, 'first_response_time', (v) => v);
    expect(Object.keys(frt).filter((day) => frt[day]!.denominator !== 0)).toEqual(['2026-10-29', '2026-11-01']);
    // The other days carry 0 ÷ 0: no value, and a value stored before is cleared.
    expect(
      Object.values(frt)
        .filter((v) => v.denominator === 0)
        .every((v) => v.numerator === 0),
    ).toBe(true);
    const expected: Record<string, [number, number]> = {
      '2026-10-29': [30, 1],
      '2026-11-01': [60, 1],
    };
    for (const [day, [seconds, count]] of Object.entries(expected)) {
      expect(frt[day]!.denominator).toBe(count);
      expect(frt[day]!.numerator).toBeCloseTo(seconds / 3600, 12);
      expect(frt[day]!.value).toBeCloseTo(seconds / 3600 / count, 12);
    }
    expect(values.filter((v) => v.metricId === 'open_tickets')).toEqual([{ metricId: 'open_tickets', day: '2026-11-04', value: 3 }]);
    expect(Object.values(byDay(values, 'bot_transfers', (v) => v)).map((v) => v.value)).toEqual([1, 0, 1, 1, 0, 0, 0]);

    const reports = calls.filter((c) => c.path.startsWith('/v3.5/reports/'));
    expect(reports.map((c) => c.body)).toEqual([
      { distribution: 'day', timezone: 'America/Chicago', filters: { ...RANGE, agents: { exclude_values: ['boss@acme.test'] } } },
    ]);
    // Pagination to the end; later pages send only page_id. First response and transfers each read the threads.
    expect(calls.filter((c) => c.path === '/v3.5/agent/action/list_archives').map((c) => c.body)).toEqual([
      { filters: RANGE, limit: 100, sort_order: 'asc' },
      { page_id: 'QVJDSElWRVNfUDI=' },
      { filters: RANGE, limit: 100, sort_order: 'asc' },
      { page_id: 'QVJDSElWRVNfUDI=' },
    ]);
    expect(calls.filter((c) => c.path === '/v3.5/agent/action/list_chats').map((c) => c.body)).toEqual([
      { filters: { include_active: true, include_chats_without_threads: false }, limit: 100, sort_order: 'desc' },
      { page_id: 'Q0hBVFNfUDI=' },
    ]);
    expect(calls.filter((c) => c.path === '/v3.5/configuration/action/list_bots')).toHaveLength(1);
    expect(calls.every((c) => c.headers.authorization === `Basic ${BASIC}`)).toBe(true);
    assertNoSecrets(lines);
  });

  it('warns instead of failing when the token may not list bots', async () => {
    fakeLivechat((call) =>
      call.path === '/v3.5/configuration/action/list_bots'
        ? [403, { error: { type: 'authorization', message: 'Insufficient scopes' } }]
        : happyLivechat(call),
    );
    const { ctx } = makeContext(config, { env: ENV, now: NOW });
    const transfers = metricsOf(config).filter((m) => m.id === 'bot_transfers');
    const values = await collectAll(livechatSource, ctx, FROM, TO, transfers);
    // Only the configured cfg-bot is known, and it wrote nothing: no transfer can be seen.
    expect(values.map((v) => v.value)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(values[0]!.warnings?.[0]).toMatch(/could not list LiveChat bots/);
  });
});

describe('livechat failures', () => {
  const chatsOnly = metricsOf(config).filter((m) => m.id === 'chats');

  it('backs off after a 429 and succeeds', async () => {
    let attempts = 0;
    fakeLivechat((call) =>
      attempts++ === 0 ? [429, { error: { type: 'too_many_requests', message: 'Requests limit reached' } }] : happyLivechat(call),
    );
    const { sleep, waits } = fakeSleep();
    const { ctx, lines } = makeContext(config, { env: ENV, now: NOW });
    expect(await collectAll(createLivechatSource({ sleep }), ctx, FROM, TO, chatsOnly)).toHaveLength(7);
    expect(waits).toHaveLength(1);
    expect(ctx.stats).toEqual({ calls: 2, rateLimited: 1 });
    assertNoSecrets(lines);
  });

  it('retries a 500 and recovers', async () => {
    let attempts = 0;
    fakeLivechat((call) =>
      attempts++ === 0 ? [500, { error: { type: 'internal', message: 'Internal server error' } }] : happyLivechat(call),
    );
    const { sleep, waits } = fakeSleep();
    const { ctx } = makeContext(config, { env: ENV, now: NOW });
    expect(await collectAll(createLivechatSource({ sleep }), ctx, FROM, TO, chatsOnly)).toHaveLength(7);
    expect(waits).toHaveLength(1);
  });

  it('does not retry a 401, and check() names the credentials', async () => {
    const calls = fakeLivechat(() => [401, { error: { type: 'authentication', message: 'Invalid access token' } }]);
    const { sleep, waits } = fakeSleep();
    const { ctx, lines } = makeContext(config, { env: ENV, now: NOW });
    const source = createLivechatSource({ sleep });
    const failure = await collectAll(source, ctx, FROM, TO, chatsOnly).catch((error: unknown) => error);
    expect(isSourceError(failure) && failure.errorClass).toBe('auth');
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
    const check = await source.check(ctx);
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/^authentication failed: check LIVECHAT_ACCOUNT_ID and LIVECHAT_PAT/);
    assertNoSecrets([...lines, (failure as SourceError).message, check.detail]);
  });

  it('reports a malformed body as bad_response', async () => {
    fakeLivechat(() => [200, { name: 'total-chats-report', total: 3, records: [1, 2, 3] }]);
    const { ctx, lines } = makeContext(config, { env: ENV, now: NOW });
    const failure = await collectAll(livechatSource, ctx, FROM, TO, chatsOnly).catch((error: unknown) => error);
    expect((failure as SourceError).errorClass).toBe('bad_response');
    assertNoSecrets([...lines, (failure as SourceError).message]);
  });
});

describe('livechat setup', () => {
  it('needs the account id and the PAT; LIVECHAT_BASE_URL reaches another host', async () => {
    expect(livechatSource.configured(ENV)).toBe(true);
    expect(livechatSource.configured({ LIVECHAT_PAT: PAT })).toBe(false);
    const scope = nock('http://livechat.sandbox.test')
      .post('/v3.5/configuration/action/list_agents', {})
      .basicAuth({ user: ACCOUNT, pass: PAT })
      .reply(200, agentsExample);
    const { ctx } = makeContext(config, { env: { ...ENV, LIVECHAT_BASE_URL: 'http://livechat.sandbox.test' }, now: NOW });
    expect(await livechatSource.check(ctx)).toEqual({ ok: true, detail: `authenticated to LiveChat account ${ACCOUNT}, 2 agents` });
    scope.done();
  });

  it('exports the support digest queries, valid for its own query schema', () => {
    expect(livechatQuerySchema.parse(supportDigestQueries.open_tickets.query)).toEqual({ kind: 'open_chats' });
    expect(livechatQuerySchema.parse(supportDigestQueries.first_response_time.query)).toEqual({ kind: 'first_response_time' });
    expect(() => livechatSource.settingsSchema.parse({ first_response_unit: 'hours' })).toThrow();
  });
});
