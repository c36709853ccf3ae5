import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { dailyDigest } from '../../src/report/queries.js';
import { refresh } from '../../src/integrations/refresh.js';
import { SOURCES } from '../../src/integrations/registry.js';
import type { Env } from '../../src/integrations/source.js';
import type { StatusKind } from '../../src/metrics/types.js';
import { supportDigestQueries as zendeskQueries } from '../../src/integrations/zendesk/index.js';
import { supportDigestQueries as intercomQueries } from '../../src/integrations/intercom/index.js';
import { supportDigestQueries as livechatQueries } from '../../src/integrations/livechat/index.js';
import type { Store } from '../../src/store/db.js';
import zdExport from '../integrations/zendesk/fixtures/get-search-export.json' with { type: 'json' };
import zdCount from '../integrations/zendesk/fixtures/get-search-count.json' with { type: 'json' };
import zdMetrics from '../integrations/zendesk/fixtures/get-ticket_metrics.json' with { type: 'json' };
import zdEvents from '../integrations/zendesk/fixtures/get-incremental-ticket_metric_events.json' with { type: 'json' };
import icSearch from '../integrations/intercom/fixtures/post-conversations-search.json' with { type: 'json' };
import icStatistics from '../integrations/intercom/fixtures/conversation_statistics.schema-examples.json' with { type: 'json' };
import icAdmins from '../integrations/intercom/fixtures/get-admins.json' with { type: 'json' };
import lcArchives from '../integrations/livechat/fixtures/agent-chat-v3.5-list_archives.json' with { type: 'json' };
import lcChats from '../integrations/livechat/fixtures/agent-chat-v3.5-list_chats.json' with { type: 'json' };
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';
import {
  evalContextFor,
  exampleConfig,
  fakeApi,
  itemsById,
  memoryLogger,
  renderChecked,
  supportSourceEdits,
  type ApiCall as Call,
  type ApiReply as Reply,
} from '../helpers/source-fixtures.js';

/*
 * Wednesday 18 Nov 2026, 09:00 CST: the refresh covers Thu 12 – Wed 18 Nov, the digest reads "now" for open tickets
 * and Tuesday 17 Nov for first response. The example catalog's business hours are Mon–Fri 08:00–17:00 (Chicago) and
 * its excluded owner is support-manager@example.com; both reach every source unchanged.
 */
const NOW = new Date('2026-11-18T15:00:00Z');
const MANAGER = 'support-manager@example.com';
const at = (iso: string) => Date.parse(iso) / 1000;

// ─── Zendesk ────────────────────────────────────────────────────────────────────────────────────────────
/*
 * 301 Tue 16:00 CST, replied Wed 08:30: 16.5 h of calendar, 1 h + 0.5 h = 1.5 business hours
 * 302 Tue 09:00 CST, replied 12:30: 3.5 h    303 Tue 11:00, no reply yet: left out    304 Mon 10:00, 1 h (Monday)
 * ⇒ Tuesday: (1.5 + 3.5) / 2 = 2.5 h (calendar hours would say 10 h). Open: the count search says 14.
 * SLA: a reply_time breach on 301 Tue 20:00 CST, a withdrawn one on 302, one on 304 Mon → 1 yesterday, 2 this week.
 * Two more breaches, on 305 Tue and 306 Mon, are on tickets of the manager (user 7001, found by user search), and one
 * on 307 is dated after now: none of them counts.
 */
const ZENDESK = 'https://acme.zendesk.test';
function zendeskTicket(id: number, createdAt: string) {
  return {
    url: `${ZENDESK}/api/v2/tickets/${id}.json`,
    id,
    created_at: createdAt,
    updated_at: createdAt,
    type: 'question',
    subject: `Ticket ${id}`,
    status: 'open',
    assignee_id: 501,
    group_id: 1,
    result_type: 'ticket',
  };
}
function zendeskMetricSet(ticketId: number, createdAt: string, replies: number, seconds: number) {
  const minutes = Math.round(seconds / 60);
  return {
    ...zdMetrics.ticket_metrics[0],
    id: 3000 + ticketId,
    ticket_id: ticketId,
    created_at: createdAt,
    replies,
    reply_time_in_minutes: { business: minutes, calendar: minutes },
    reply_time_in_seconds: { calendar: seconds },
  };
}
const ZD_TICKETS = [
  [301, '2026-11-17T22:00:00Z', 1, 59_400],
  [302, '2026-11-17T15:00:00Z', 2, 12_600],
  [303, '2026-11-17T17:00:00Z', 0, 0],
  [304, '2026-11-16T16:00:00Z', 1, 3_600],
] as const;
function zendeskEvent(id: number, ticketId: number, time: string, type: string, deleted?: boolean) {
  return {
    ...zdEvents.ticket_metric_events[0],
    id,
    ticket_id: ticketId,
    metric: 'reply_time',
    instance_id: 1,
    time,
    type,
    ...(deleted ? { deleted } : {}),
  };
}
function serveZendesk(call: Call): Reply {
  const query = call.query.get('query') ?? '';
  switch (call.path) {
    case '/api/v2/search/count':
      return query.startsWith('type:ticket status<solved') ? [200, { ...zdCount, count: 14 }] : [400, { error: 'unexpected count' }];
    case '/api/v2/search/export':
      return [
        200,
        {
          ...zdExport,
          results: ZD_TICKETS.map(([id, created]) => zendeskTicket(id, created)),
          links: { next: null, prev: null },
          meta: { after_cursor: null, before_cursor: null, has_more: false },
        },
      ];
    case '/api/v2/users/search':
      return query === MANAGER
        ? [200, { users: [{ id: 7001, name: 'Support Manager', email: MANAGER, role: 'admin' }], next_page: null, count: 1 }]
        : [200, { users: [], next_page: null, count: 0 }];
    case '/api/v2/tickets/show_many': {
      const ids = new Set((call.query.get('ids') ?? '').split(',').map(Number));
      if (call.query.get('include') !== 'metric_sets') {
        const owned = [...ids].map((id) => ({
          ...zendeskTicket(id, '2026-11-16T16:00:00Z'),
          assignee_id: id === 305 || id === 306 ? 7001 : 501,
        }));
        return [200, { tickets: owned, count: owned.length }];
      }
      const sets = ZD_TICKETS.filter(([id]) => ids.has(id)).map(([id, created, replies, seconds]) =>
        zendeskMetricSet(id, created, replies, seconds),
      );
      return [200, { tickets: sets.map((set) => ({ id: set.ticket_id })), metric_sets: sets }];
    }
    case '/api/v2/incremental/ticket_metric_events':
      return [
        200,
        {
          ...zdEvents,
          count: 7,
          next_page: null,
          end_time: at('2026-11-18T14:55:00Z'),
          end_of_stream: true,
          ticket_metric_events: [
            zendeskEvent(9001, 304, '2026-11-16T23:00:00Z', 'breach'),
            zendeskEvent(9002, 302, '2026-11-17T20:00:00Z', 'breach', true),
            zendeskEvent(9003, 301, '2026-11-18T02:00:00Z', 'measure'),
            zendeskEvent(9004, 301, '2026-11-18T02:00:00Z', 'breach'),
            zendeskEvent(9005, 305, '2026-11-17T21:00:00Z', 'breach'),
            zendeskEvent(9006, 306, '2026-11-16T18:00:00Z', 'breach'),
            zendeskEvent(9007, 307, '2026-11-18T16:00:00Z', 'breach'),
          ],
        },
      ];
  }
  return [404, { error: 'InvalidEndpoint' }];
}

// ─── Intercom ───────────────────────────────────────────────────────────────────────────────────────────
/*
 * c1 Tue 16:00 CST, replied 16.5 h later: 1.5 business hours    c2 Tue 09:00, the customer wrote at 09:10, reply 13:40: 4.5 h
 * c3 Tue 10:00, no reply yet    c4 Tue 11:00, assigned to the excluded manager (1 min reply): left out    c5 Mon: 1 h
 * ⇒ Tuesday: (1.5 + 4.5) / 2 = 3 h. Open: 11 open conversations, 3 of them the manager's ⇒ 8.
 */
const INTERCOM = 'https://intercom.api.test';
const MANAGER_ADMIN_ID = '991267501';
function conversation(id: string, createdIso: string, reply?: { contactDelay?: number; adminDelay: number }, assignee = 991267715) {
  const created = at(createdIso);
  const contactAt = created + (reply?.contactDelay ?? 0);
  const statistics = reply
    ? {
        ...icStatistics,
        first_contact_reply_at: contactAt,
        first_admin_reply_at: contactAt + reply.adminDelay,
        time_to_admin_reply: reply.adminDelay,
      }
    : null;
  return {
    ...icSearch.conversations[0],
    id,
    created_at: created,
    updated_at: created,
    admin_assignee_id: assignee,
    open: true,
    state: 'open',
    statistics,
  };
}
const IC_CONVERSATIONS = [
  conversation('c1', '2026-11-17T22:00:00Z', { adminDelay: 59_400 }),
  conversation('c2', '2026-11-17T15:00:00Z', { contactDelay: 600, adminDelay: 16_200 }),
  conversation('c3', '2026-11-17T16:00:00Z'),
  conversation('c4', '2026-11-17T17:00:00Z', { adminDelay: 60 }, Number(MANAGER_ADMIN_ID)),
  conversation('c5', '2026-11-16T16:00:00Z', { adminDelay: 3_600 }),
];
function serveIntercom(call: Call): Reply {
  if (call.path === '/admins') {
    const manager = { ...icAdmins.admins[0], id: MANAGER_ADMIN_ID, email: MANAGER, name: 'Support Manager' };
    return [200, { ...icAdmins, admins: [...icAdmins.admins, manager] }];
  }
  if (call.path !== '/conversations/search')
    return [404, { type: 'error.list', errors: [{ code: 'not_found', message: 'Resource Not Found' }] }];
  const filters: { field: string; value: unknown }[] = call.body.query.value;
  if (filters.some((filter) => filter.field === 'state')) {
    const byManager = filters.some((filter) => filter.field === 'admin_assignee_id' && String(filter.value) === MANAGER_ADMIN_ID);
    // 11 open (3 the manager's) and 4 snoozed (1 the manager's): snoozed counts as open.
    const snoozed = filters.some((filter) => filter.field === 'state' && filter.value === 'snoozed');
    return [200, { ...icSearch, total_count: snoozed ? (byManager ? 1 : 4) : byManager ? 3 : 11 }];
  }
  return [
    200,
    {
      ...icSearch,
      total_count: IC_CONVERSATIONS.length,
      conversations: IC_CONVERSATIONS,
      pages: { type: 'pages', page: 1, per_page: 150, total_pages: 1 },
    },
  ];
}

// ─── LiveChat ───────────────────────────────────────────────────────────────────────────────────────────
/*
 * First response from the chat threads (list_archives), in the example's business hours (Mon–Fri 08:00–17:00):
 *   Tue 16:00 the customer writes, the bot answers at once, Smith replies Wed 08:30: 1 h + 0.5 h = 1.5 h (bot-first:
 *   counted from Smith's reply, never dropped); Tue 09:00 customer, bot, Smith 09:30: 0.5 h; Tue 10:00 a chat the
 *   manager served (excluded); Tue 11:00 the bot alone (no human reply yet); Mon 10:00 customer, Smith 10:15: 0.25 h.
 *   ⇒ Tuesday (1.5 + 0.5) / 2 = 1.0 h, green (calendar time would say 8.5 h).
 * Open chats: Smith's chat, a queued one, and one the bot handed to Smith = 3 (the bot-only chat, the manager's chat
 * and a finished one are not counted).
 */
const LIVECHAT = 'https://livechat.api.test';
const BOT = '2c1b8da190222160e8f9e077af4c625b';
const CUSTOMER = lcChats.chats_summary[0]!.users[0]!.id;
const SMITH = 'smith@example.com';
function chat(id: string, active: boolean, threadUsers: string[]) {
  const example = lcChats.chats_summary[0]!;
  const users = [
    ...example.users,
    { id: BOT, name: 'ChatBot', type: 'agent', present: true },
    { id: MANAGER, name: 'Manager', type: 'agent', present: true },
  ];
  return { ...example, id, users, last_thread_summary: { ...example.last_thread_summary, id: `${id}_T`, active, user_ids: threadUsers } };
}
/** The official list_archives example's chat, re-valued: a thread started by the first of `said`. */
function thread(id: string, said: [author: string, at: string][]) {
  const example = lcArchives.chats[0]!;
  const users = [
    { ...example.users[0]!, id: SMITH },
    { id: CUSTOMER, name: 'Customer', type: 'customer', present: true },
    { id: BOT, name: 'ChatBot', type: 'agent', present: true },
    ...(said.some(([author]) => author === MANAGER) ? [{ id: MANAGER, name: 'Manager', type: 'agent', present: true }] : []),
  ];
  const events = said.map(([author, at], i) => ({ ...example.thread.events[0]!, id: `${id}_${i}`, created_at: at, author_id: author }));
  return { ...example, id: `CHAT_${id}`, users, thread: { ...example.thread, id, created_at: said[0]![1], events } };
}
const LC_THREADS = [
  thread('M1', [
    [CUSTOMER, '2026-11-16T16:00:00.000000Z'],
    [SMITH, '2026-11-16T16:15:00.000000Z'],
  ]),
  thread('T1', [
    [CUSTOMER, '2026-11-17T22:00:00.000000Z'],
    [BOT, '2026-11-17T22:00:05.000000Z'],
    [SMITH, '2026-11-18T14:30:00.000000Z'],
  ]),
  thread('T2', [
    [CUSTOMER, '2026-11-17T15:00:00.000000Z'],
    [BOT, '2026-11-17T15:00:10.000000Z'],
    [SMITH, '2026-11-17T15:30:00.000000Z'],
  ]),
  thread('T3', [
    [CUSTOMER, '2026-11-17T16:00:00.000000Z'],
    [MANAGER, '2026-11-17T16:05:00.000000Z'],
  ]),
  thread('T4', [
    [CUSTOMER, '2026-11-17T17:00:00.000000Z'],
    [BOT, '2026-11-17T17:00:02.000000Z'],
  ]),
];
function serveLivechat(call: Call): Reply {
  switch (call.path) {
    case '/v3.5/configuration/action/list_bots':
      return [200, [{ id: BOT, name: 'ChatBot', avatar: 'example.com/avatar.jpg' }]];
    case '/v3.5/agent/action/list_archives':
      return [
        200,
        { ...lcArchives, chats: LC_THREADS, found_chats: LC_THREADS.length, next_page_id: undefined, previous_page_id: undefined },
      ];
    case '/v3.5/agent/action/list_chats':
      return [
        200,
        {
          ...lcChats,
          next_page_id: null,
          found_chats: 6,
          chats_summary: [
            chat('C1', true, [CUSTOMER, SMITH]),
            chat('C2', true, [CUSTOMER, BOT]),
            chat('C3', true, [CUSTOMER]),
            chat('C4', true, [CUSTOMER, MANAGER]),
            chat('C5', false, [CUSTOMER, SMITH]),
            chat('C6', true, [CUSTOMER, BOT, SMITH]),
          ],
        },
      ];
  }
  return [400, { error: { type: 'validation', message: `unexpected ${call.path}` } }];
}

interface SupportCase {
  source: 'zendesk' | 'intercom' | 'livechat';
  queries: Record<string, { query: object; aggregate: string; unit: string }>;
  env: Env;
  secrets: string[];
  serve: () => Call[];
  open: number;
  firstResponse: { value: number; text: string; status: StatusKind };
  checkCalls: (calls: Call[]) => void;
}

const CASES: SupportCase[] = [
  {
    source: 'zendesk',
    queries: zendeskQueries,
    env: {
      ZENDESK_SUBDOMAIN: 'acme',
      ZENDESK_EMAIL: 'agent@acme.test',
      ZENDESK_API_TOKEN: 'zd-Tok3n-9f8e7d6c5b4a',
      ZENDESK_BASE_URL: ZENDESK,
    },
    secrets: ['zd-Tok3n-9f8e7d6c5b4a', Buffer.from('agent@acme.test/token:zd-Tok3n-9f8e7d6c5b4a').toString('base64')],
    serve: () => fakeApi(ZENDESK, serveZendesk),
    open: 14,
    firstResponse: { value: 2.5, text: '2.5 h', status: 'green' },
    checkCalls: (calls) => {
      const exported = calls.find((call) => call.path === '/api/v2/search/export')!;
      expect(exported.query.get('query')).toBe(
        `type:ticket created>=2026-11-12T06:00:00Z created<2026-11-19T06:00:00Z -assignee:${MANAGER}`,
      );
    },
  },
  {
    source: 'intercom',
    queries: intercomQueries,
    env: { INTERCOM_ACCESS_TOKEN: 'ic-dG9rOmFiY2RlZjEyMzQ1Njc4OTA=', INTERCOM_BASE_URL: INTERCOM },
    secrets: ['ic-dG9rOmFiY2RlZjEyMzQ1Njc4OTA='],
    serve: () => fakeApi(INTERCOM, serveIntercom),
    open: 11,
    firstResponse: { value: 3, text: '3.0 h', status: 'green' },
    checkCalls: (calls) => {
      const scan = calls.find((call) => call.path === '/conversations/search' && call.body.pagination.per_page === 150)!;
      expect(scan.body.query.value).toEqual([
        { field: 'created_at', operator: '>', value: String(at('2026-11-12T06:00:00Z') - 1) },
        { field: 'created_at', operator: '<', value: String(at('2026-11-19T06:00:00Z')) },
      ]);
    },
  },
  {
    source: 'livechat',
    queries: livechatQueries,
    env: {
      LIVECHAT_ACCOUNT_ID: 'd24fa41e-bc16-41b8-a15b-9ca45ff7e0cf',
      LIVECHAT_PAT: 'dal:c2VjcmV0LXBhdC1mb3ItdGVzdHM=',
      LIVECHAT_BASE_URL: LIVECHAT,
    },
    secrets: [
      'dal:c2VjcmV0LXBhdC1mb3ItdGVzdHM=',
      Buffer.from('d24fa41e-bc16-41b8-a15b-9ca45ff7e0cf:dal:c2VjcmV0LXBhdC1mb3ItdGVzdHM=').toString('base64'),
    ],
    serve: () => fakeApi(LIVECHAT, serveLivechat),
    open: 3,
    firstResponse: { value: 1, text: '1.0 h', status: 'green' },
    checkCalls: (calls) => {
      // From the threads of the window, never from the reports API (calendar time, bot-first chats dropped).
      expect(calls.some((call) => call.path.startsWith('/v3.5/reports/'))).toBe(false);
      const archives = calls.find((call) => call.path === '/v3.5/agent/action/list_archives')!;
      expect(archives.body.filters).toEqual({ from: '2026-11-12T00:00:00.000000-06:00', to: '2026-11-18T23:59:59.999999-06:00' });
    },
  },
];

describe.each(storeKinds())('support-digest (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;

  beforeEach(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    store = temp.store;
  });
  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  describe('a support digest built from each support source in turn', () => {
    describe.each(CASES)('$source', (c) => {
      const config = exampleConfig(supportSourceEdits(c.source, c.queries));

      it('shows open tickets and first response as computed from the source, within Slack limits', async () => {
        const calls = c.serve();
        const { logger, lines } = memoryLogger();
        const summary = await refresh({ store, config, env: c.env, logger, now: NOW, sources: SOURCES }, { sourceIds: [c.source] });
        expect(summary).toMatchObject({ from: '2026-11-12', to: '2026-11-18', ok: true });
        expect(summary.results).toEqual([expect.objectContaining({ source: c.source, status: 'ok' })]);
        c.checkCalls(calls);

        const view = await dailyDigest(store, evalContextFor(config, c.env, NOW), 'support');
        const items = itemsById(view);
        expect(view.period).toMatchObject({ today: '2026-11-18', yesterday: '2026-11-17', timezone: 'America/Chicago' });
        expect(items.open_tickets).toMatchObject({
          value: c.open,
          text: String(c.open),
          window: 'now',
          status: 'no_goal',
          connection: 'connected',
          asOf: NOW.toISOString(),
          warnings: [],
        });
        expect(items.first_response_time).toMatchObject({
          text: c.firstResponse.text,
          window: 'yesterday',
          status: c.firstResponse.status,
          connection: 'connected',
          asOf: NOW.toISOString(),
        });
        expect(items.first_response_time!.value).toBeCloseTo(c.firstResponse.value, 9);
        expect(items.first_response_time!.reason).toContain(`→ ${c.firstResponse.status}`);
        // Every source measures in support.business_hours (LiveChat too, from its threads): no calendar-time caveat.
        const calendarNote = expect.stringContaining('support.business_hours is not applied');
        expect(items.first_response_time!.warnings).not.toContainEqual(calendarNote);
        // Autotask feeds the ticket flow figures and has no credentials here.
        expect(items.tickets_opened).toMatchObject({ text: 'not connected', connection: 'not_connected' });

        const message = renderChecked(view, NOW);
        expect(message.allText).toContain(c.firstResponse.text);
        for (const secret of c.secrets) expect(lines.join('\n')).not.toContain(secret);
      });

      it('reads "not connected" when the source has no credentials, and the digest still renders', async () => {
        const { logger } = memoryLogger();
        const summary = await refresh({ store, config, env: {}, logger, now: NOW, sources: SOURCES }, { sourceIds: [c.source] });
        expect(summary.ok).toBe(true);
        expect(summary.results).toEqual([expect.objectContaining({ source: c.source, status: 'not_configured', calls: 0 })]);

        const view = await dailyDigest(store, evalContextFor(config, {}, NOW), 'support');
        const items = itemsById(view);
        for (const id of ['open_tickets', 'first_response_time']) {
          expect(items[id]).toMatchObject({
            value: null,
            text: 'not connected',
            status: 'no_data',
            connection: 'not_connected',
            asOf: null,
            reason: `not connected: ${c.source} has no credentials`,
          });
        }
        const message = renderChecked(view, NOW);
        expect(message.text).toContain('Open tickets not connected');
      });
    });

    it("zendesk also feeds SLA breaches: yesterday's one, judged on the week's two against a goal of none", async () => {
      const zendesk = CASES[0]!;
      zendesk.serve();
      const config = exampleConfig(supportSourceEdits('zendesk', zendesk.queries));
      await refresh(
        { store, config, env: zendesk.env, logger: memoryLogger().logger, now: NOW, sources: SOURCES },
        { sourceIds: ['zendesk'] },
      );
      const view = await dailyDigest(store, evalContextFor(config, zendesk.env, NOW), 'support');
      expect(itemsById(view).support_sla_breaches).toMatchObject({
        value: 1,
        text: '1',
        last7Days: '2',
        status: 'red',
        connection: 'connected',
      });
    });
  });
});
