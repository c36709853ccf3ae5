import { describe, expect, it } from 'vitest';
import { localDayOf } from '../../../src/metrics/periods.js';
import {
  addBotTransfers,
  botAgentIds,
  firstResponseValues,
  isBotTransfer,
  isOpenForHumans,
  reportBody,
  rfc3339,
  timeRange,
  totalChatsValues,
} from '../../../src/integrations/livechat/map.js';
import { classifyLivechat } from '../../../src/integrations/livechat/client.js';
import {
  firstResponseReportSchema,
  listArchivesSchema,
  listChatsSchema,
  totalChatsReportSchema,
} from '../../../src/integrations/livechat/schemas.js';
import frtExample from './fixtures/reports-v3.5-chats-firstResponseTime.json' with { type: 'json' };
import totalExample from './fixtures/reports-v3.5-chats-totalChats.json' with { type: 'json' };
import archivesExample from './fixtures/agent-chat-v3.5-list_archives.json' with { type: 'json' };
import chatsExample from './fixtures/agent-chat-v3.5-list_chats.json' with { type: 'json' };

const TZ = 'America/Chicago';
const EXAMPLE_DAYS = ['2021-04-08', '2021-04-09', '2021-04-10', '2021-04-11', '2021-04-12', '2021-04-13', '2021-04-14', '2021-04-15'];
const BOT = '2c1b8da190222160e8f9e077af4c625b';

describe('livechat time filters', () => {
  it('writes RFC 3339 with microseconds and the offset in force on each side of the DST change', () => {
    expect(rfc3339(new Date('2026-11-01T05:00:00Z'), TZ)).toBe('2026-11-01T00:00:00.000000-05:00');
    expect(timeRange(new Date('2026-11-01T05:00:00Z'), new Date('2026-11-02T06:00:00Z'), TZ)).toEqual({
      from: '2026-11-01T00:00:00.000000-05:00',
      to: '2026-11-01T23:59:59.999999-06:00',
    });
    expect(rfc3339(new Date('2026-03-08T06:00:00Z'), TZ)).toBe('2026-03-08T00:00:00.000000-06:00');
    expect(rfc3339(new Date('2026-03-08T06:00:00Z'), 'Asia/Kolkata')).toBe('2026-03-08T11:30:00.000000+05:30');
  });

  it('builds a day-distributed report body in the org timezone, with owner and bot filters', () => {
    const body = reportBody(new Date('2026-11-01T05:00:00Z'), new Date('2026-11-02T06:00:00Z'), TZ, {
      excludedAgents: ['boss@acme.test'],
      firstResponseNotBy: [BOT],
    });
    expect(body).toEqual({
      distribution: 'day',
      timezone: TZ,
      filters: {
        from: '2026-11-01T00:00:00.000000-05:00',
        to: '2026-11-01T23:59:59.999999-06:00',
        agents: { exclude_values: ['boss@acme.test'] },
        agent_response: { first: true, agents: { exclude_values: [BOT] } },
      },
    });
    expect(reportBody(new Date(0), new Date(86_400_000), 'UTC', { excludedAgents: [] }).filters).toEqual({
      from: '1970-01-01T00:00:00.000000+00:00',
      to: '1970-01-01T23:59:59.999999+00:00',
    });
  });
});

describe('livechat reports → daily values', () => {
  it('weights each day’s average first response by its count, and skips the {} days', () => {
    const values = firstResponseValues('frt', EXAMPLE_DAYS, firstResponseReportSchema.parse(frtExample), 'seconds');
    // Σ(seconds × count) over the example: 14.22·3 + 41.35·4 + 10.1·3 + 3.34·9 + 8.5·5 + 32.3·6 = 504.72 s over 30 chats.
    expect(values.map((v) => v.day)).toEqual(['2021-04-08', '2021-04-09', '2021-04-10', '2021-04-11', '2021-04-13', '2021-04-15']);
    const numerator = values.reduce((sum, v) => sum + (v.numerator ?? 0), 0);
    const denominator = values.reduce((sum, v) => sum + (v.denominator ?? 0), 0);
    expect(denominator).toBe(30);
    expect(numerator).toBeCloseTo(504.72 / 3600, 12);
    expect(values[0]).toEqual({ metricId: 'frt', day: '2021-04-08', value: 14.22 / 3600, numerator: (14.22 / 3600) * 3, denominator: 3 });
    expect(values.every((v) => Number.isFinite(v.value))).toBe(true);

    const inMinutes = firstResponseValues('frt', ['2021-04-08'], firstResponseReportSchema.parse(frtExample), 'minutes');
    expect(inMinutes[0]!.value).toBeCloseTo(14.22 / 60, 12);
  });

  it('counts chats per day, 0 for the {} days', () => {
    const values = totalChatsValues('chats', EXAMPLE_DAYS, totalChatsReportSchema.parse(totalExample));
    expect(values.map((v) => v.value)).toEqual([37, 48, 59, 21, 0, 33, 0, 171]);
  });
});

describe('livechat chats', () => {
  const [archived] = listArchivesSchema.parse(archivesExample).chats;
  const withEvents = (events: { author: string; type?: string }[]) => ({
    ...archived!,
    users: [...archived!.users, { id: BOT, type: 'agent' }, { id: 'cust-1', type: 'customer' }],
    thread: {
      ...archived!.thread,
      events: events.map((e, i) => ({
        id: `E_${i}`,
        created_at: `2020-05-28T11:45:${String(30 + i)}.000000Z`,
        type: e.type ?? 'message',
        author_id: e.author,
      })),
    },
  });

  it('sees a transfer when a bot wrote and a human agent wrote after it', () => {
    const bots = new Set([BOT]);
    expect(isBotTransfer(withEvents([{ author: 'cust-1' }, { author: BOT }, { author: 'smith@example.com' }]), bots)).toBe(true);
    expect(isBotTransfer(withEvents([{ author: BOT }, { author: 'cust-1' }]), bots)).toBe(false);
    expect(isBotTransfer(withEvents([{ author: 'smith@example.com' }, { author: BOT }]), bots)).toBe(false);
    // The official example: one agent message, no bot.
    expect(isBotTransfer(archived!, bots)).toBe(false);
  });

  it('leaves a transfer to an excluded owner out of the day, as every LiveChat figure does', () => {
    const bots = new Set([BOT]);
    const manager = 'boss@example.com';
    const toManager = withEvents([{ author: 'cust-1' }, { author: BOT }, { author: manager }]);
    const managed = { ...toManager, users: [...toManager.users, { id: manager, type: 'agent' as const }] };
    const toSmith = withEvents([{ author: 'cust-1' }, { author: BOT }, { author: 'smith@example.com' }]);
    const day = localDayOf(new Date(toSmith.thread.created_at), 'UTC');
    const counts = new Map<string, number>();
    addBotTransfers(counts, [managed, toSmith], new Set([day]), bots, 'UTC', new Set([manager]));
    expect(isBotTransfer(managed, bots)).toBe(true);
    expect(counts).toEqual(new Map([[day, 1]]));
  });

  it('counts active chats served by a human or waiting, not those only a bot serves', () => {
    const [chat] = listChatsSchema.parse(chatsExample).chats_summary;
    const botOnly = {
      ...chat!,
      users: [chat!.users[0]!, { id: BOT, type: 'agent' }],
      last_thread_summary: { ...chat!.last_thread_summary!, user_ids: [chat!.users[0]!.id, BOT] },
    };
    const queued = { ...chat!, last_thread_summary: { ...chat!.last_thread_summary!, user_ids: [chat!.users[0]!.id] } };
    const inactive = { ...chat!, last_thread_summary: { ...chat!.last_thread_summary!, active: false } };
    const ignored = new Set([BOT]);
    expect([chat!, botOnly, queued, inactive].map((c) => isOpenForHumans(c, ignored))).toEqual([true, false, true, false]);
  });

  it('knows bots by configured id, by discovery and by role', () => {
    const ids = botAgentIds(
      [' cfg-bot '],
      [{ id: BOT }],
      [
        { id: 'smith@example.com', role: 'owner' },
        { id: 'relay@acme.test', role: 'Bot' },
      ],
      ['bot'],
    );
    expect([...ids]).toEqual(['cfg-bot', BOT, 'relay@acme.test']);
  });

  it('treats error type too_many_requests as a retryable rate limit whatever the status', () => {
    expect(classifyLivechat({ status: 403, data: { error: { type: 'too_many_requests', message: 'Requests limit reached' } } })).toEqual({
      errorClass: 'rate_limited',
      retryable: true,
    });
    expect(classifyLivechat({ status: 401, data: { error: { type: 'authentication', message: 'Invalid access token' } } })).toBeUndefined();
  });
});
