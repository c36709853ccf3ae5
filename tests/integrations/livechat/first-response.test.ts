import { describe, expect, it } from 'vitest';
import {
  addFirstResponses,
  responseValues,
  threadFirstResponseHours,
  type ResponseSum,
  type ThreadResponseOptions,
} from '../../../src/integrations/livechat/first-response.js';
import { listArchivesSchema, type ArchivedChat } from '../../../src/integrations/livechat/schemas.js';
import archivesExample from './fixtures/agent-chat-v3.5-list_archives.json' with { type: 'json' };

/**
 * First response from chat threads, in `support.business_hours`: chats are the official list_archives example
 * with their events replaced, so every body keeps the documented shape.
 */

const TZ = 'America/Chicago';
const BOT = 'chatbot-7f3a';
const AGENT = 'smith@example.com';
const MANAGER = 'boss@example.com';
const CUSTOMER = 'b7eff798-f8df-4364-8059-649c35c9ed0c';
const schedule = {
  week: {
    monday: ['08:00', '17:00'],
    tuesday: ['08:00', '17:00'],
    wednesday: ['08:00', '17:00'],
    thursday: ['08:00', '17:00'],
    friday: ['08:00', '17:00'],
  },
  holidays: ['2026-12-25'],
} as ThreadResponseOptions['schedule'];
const options: ThreadResponseOptions = {
  bots: new Set([BOT]),
  excludedOwners: new Set([MANAGER]),
  hours: 'schedule',
  schedule,
  timezone: TZ,
};

type Said = [author: string, at: string, type?: string];

/** The example's first chat, with these users and a thread of these events. */
function chat(id: string, said: Said[], agents = [AGENT, BOT]): ArchivedChat {
  const body = structuredClone(archivesExample) as { chats: Record<string, unknown>[] };
  const example = body.chats[0]!;
  const users = [...agents.map((agent) => ({ id: agent, type: 'agent' })), { id: CUSTOMER, type: 'customer' }];
  const thread = example.thread as Record<string, unknown>;
  const events = said.map(([author, at, type = 'message'], i) => ({
    id: `${id}_${i}`,
    created_at: at,
    type,
    text: 'text',
    author_id: author,
    visibility: 'all',
  }));
  const parsed = listArchivesSchema.parse({
    ...body,
    chats: [{ ...example, id, users, thread: { ...thread, id: `T${id}`, created_at: said[0]![1], events } }],
  });
  return parsed.chats[0]!;
}

describe('LiveChat first response from threads', () => {
  it('skips the bot and measures to the human reply (a bot-first chat is never dropped)', () => {
    const botFirst = chat('A', [
      [CUSTOMER, '2026-11-16T14:30:00.000000Z'], // Mon 08:30 CST
      [BOT, '2026-11-16T14:30:05.000000Z'],
      [AGENT, '2026-11-16T15:00:00.000000Z'], // 09:00
    ]);
    expect(threadFirstResponseHours(botFirst, options)).toBeCloseTo(0.5, 9);
    expect(threadFirstResponseHours(botFirst, { ...options, hours: 'calendar' })).toBeCloseTo(0.5, 9);
  });

  it('counts only open hours across evenings, weekends, a holiday and the DST change', () => {
    const overWeekend = chat('B', [
      [CUSTOMER, '2026-11-20T22:30:00Z'], // Fri 16:30
      [BOT, '2026-11-20T22:30:02Z'],
      [AGENT, '2026-11-23T14:30:00Z'], // Mon 08:30
    ]);
    expect(threadFirstResponseHours(overWeekend, options)).toBeCloseTo(1, 9);
    expect(threadFirstResponseHours(overWeekend, { ...options, hours: 'calendar' })).toBeCloseTo(64, 9);

    const beforeOpening = chat('C', [
      [CUSTOMER, '2026-11-17T13:00:00Z'], // Tue 07:00
      [AGENT, '2026-11-17T14:15:00Z'], // 08:15
    ]);
    expect(threadFirstResponseHours(beforeOpening, options)).toBeCloseTo(0.25, 9);

    const overChristmas = chat('D', [
      [CUSTOMER, '2026-12-24T22:00:00Z'], // Thu 16:00
      [AGENT, '2026-12-28T15:00:00Z'], // Mon 09:00; Friday 25th is a holiday
    ]);
    expect(threadFirstResponseHours(overChristmas, options)).toBeCloseTo(2, 9);

    const dstWeekend = chat('E', [
      [CUSTOMER, '2026-10-30T21:00:00Z'], // Fri 16:00 CDT
      [AGENT, '2026-11-02T15:00:00Z'], // Mon 09:00 CST, after the clocks went back
    ]);
    expect(threadFirstResponseHours(dstWeekend, options)).toBeCloseTo(2, 9);
    expect(threadFirstResponseHours(dstWeekend, { ...options, hours: 'calendar' })).toBeCloseTo(66, 9);
  });

  it('measures from the customer, not from an agent greeting, and waits for a human', () => {
    const greeted = chat('F', [
      [AGENT, '2026-11-16T14:00:00Z', 'message'],
      [CUSTOMER, '2026-11-16T15:00:00Z'],
      [CUSTOMER, '2026-11-16T15:01:00Z', 'filled_form'],
      [AGENT, '2026-11-16T15:06:00Z', 'rich_message'],
    ]);
    expect(threadFirstResponseHours(greeted, options)).toBeCloseTo(0.1, 9);
    const botOnly = chat('G', [
      [CUSTOMER, '2026-11-16T15:00:00Z'],
      [BOT, '2026-11-16T15:00:03Z'],
      [CUSTOMER, '2026-11-16T15:02:00Z', 'system_message'],
    ]);
    expect(threadFirstResponseHours(botOnly, options)).toBeUndefined();
  });

  it('leaves out chats an excluded owner served', () => {
    const managed = chat(
      'H',
      [
        [CUSTOMER, '2026-11-16T15:00:00Z'],
        [MANAGER, '2026-11-16T15:10:00Z'],
      ],
      [MANAGER],
    );
    expect(threadFirstResponseHours(managed, options)).toBeUndefined();
  });

  it('sums per local day of the thread; a day where every chat was bot-first still has its value, a day without replies is 0 ÷ 0 (no value)', () => {
    const sums = new Map<string, ResponseSum>();
    const days = new Set(['2026-11-16', '2026-11-17', '2026-11-18']);
    addFirstResponses(
      sums,
      [
        chat('I', [
          [CUSTOMER, '2026-11-16T14:30:00Z'],
          [BOT, '2026-11-16T14:30:01Z'],
          [AGENT, '2026-11-16T15:00:00Z'],
        ]),
        chat('J', [
          [CUSTOMER, '2026-11-16T16:00:00Z'],
          [BOT, '2026-11-16T16:00:01Z'],
          [AGENT, '2026-11-16T17:30:00Z'],
        ]),
        chat('K', [
          [CUSTOMER, '2026-11-18T05:00:00Z'], // 23:00 on the 17th locally: the 17th's chat, answered Wed 08:00
          [AGENT, '2026-11-18T14:00:00Z'],
        ]),
        chat('L', [[CUSTOMER, '2026-11-19T15:00:00Z']]),
      ],
      days,
      options,
    );
    expect(responseValues('frt', [...days], sums)).toEqual([
      { metricId: 'frt', day: '2026-11-16', value: 1, numerator: 2, denominator: 2 },
      { metricId: 'frt', day: '2026-11-17', value: 0, numerator: 0, denominator: 1 },
      // No reply: 0 ÷ 0, stored as no value (and clearing one stored before).
      { metricId: 'frt', day: '2026-11-18', value: 0, numerator: 0, denominator: 0 },
    ]);
  });
});
