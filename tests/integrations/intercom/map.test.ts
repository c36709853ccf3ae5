import { describe, expect, it } from 'vitest';
import {
  addConversations,
  breachValues,
  changedSinceQuery,
  createdBetweenQuery,
  createdValues,
  emptySums,
  firstResponseHours,
  firstResponseValues,
  openConversationsQuery,
  resolveAdminIds,
} from '../../../src/integrations/intercom/map.js';
import { intercomRetryDelay } from '../../../src/integrations/intercom/client.js';
import { conversationSchema, type Conversation } from '../../../src/integrations/intercom/schemas.js';
import searchExample from './fixtures/post-conversations-search.json' with { type: 'json' };
import statisticsExample from './fixtures/conversation_statistics.schema-examples.json' with { type: 'json' };
import adminsExample from './fixtures/get-admins.json' with { type: 'json' };

const TZ = 'America/Chicago';

/** The spec's example conversation, re-valued, with the spec's statistics object re-timed. */
function conversation(
  id: string,
  createdAt: number,
  reply?: { contactAt?: number; adminAt: number; officeSeconds?: number },
  extra: Partial<Conversation> = {},
) {
  const [example] = searchExample.conversations;
  return conversationSchema.parse({
    ...example,
    id,
    created_at: createdAt,
    updated_at: createdAt,
    statistics: reply
      ? {
          ...statisticsExample,
          first_contact_reply_at: reply.contactAt ?? createdAt,
          first_admin_reply_at: reply.adminAt,
          time_to_admin_reply: reply.officeSeconds ?? reply.adminAt - (reply.contactAt ?? createdAt),
        }
      : null,
    ...extra,
  });
}

describe('intercom search bodies', () => {
  it('pads the created_at bounds because Intercom compares dates inclusively', () => {
    expect(createdBetweenQuery(new Date('2026-10-29T05:00:00Z'), new Date('2026-11-05T06:00:00Z'))).toEqual({
      operator: 'AND',
      value: [
        { field: 'created_at', operator: '>', value: '1793249999' },
        { field: 'created_at', operator: '<', value: '1793858400' },
      ],
    });
    expect(openConversationsQuery('991267466').value).toEqual([
      { field: 'state', operator: '=', value: 'open' },
      { field: 'admin_assignee_id', operator: '=', value: 991267466 },
    ]);
  });

  it('maps excluded teammate emails to admin ids and reports the unknown ones', () => {
    const { ids, unknown } = resolveAdminIds(['ADMIN7@email.com', '42', 'ghost@acme.test'], adminsExample.admins);
    expect([...ids]).toEqual(['991267466', '42']);
    expect(unknown).toEqual(['ghost@acme.test']);
  });

  it('waits until X-RateLimit-Reset only when the window is spent', () => {
    const now = 1_793_000_000_000;
    expect(intercomRetryDelay({ 'x-ratelimit-reset': '1793000004', 'x-ratelimit-remaining': '0' }, now)).toBe(4000);
    expect(intercomRetryDelay({ 'x-ratelimit-reset': '1793000004', 'x-ratelimit-remaining': '80' }, now)).toBeUndefined();
    expect(intercomRetryDelay({}, now)).toBeUndefined();
  });
});

describe('first response hours', () => {
  it('measures from the contact’s first message, in calendar, office or scheduled hours', () => {
    // Contact wrote Fri 2026-10-30 16:00 CDT (21:00Z); teammate replied Mon 2026-11-02 10:00 CST (16:00Z): 67 h.
    // Intercom's office-hours figure is taken as given; the schedule (weekdays 09–17) counts Fri 16–17 + Mon 9–10 = 2 h.
    const contactAt = Date.parse('2026-10-30T21:00:00Z') / 1000;
    const adminAt = Date.parse('2026-11-02T16:00:00Z') / 1000;
    const c = conversation('1', contactAt - 600, { contactAt, adminAt, officeSeconds: 9000 });
    const schedule = { week: { monday: ['09:00', '17:00'], friday: ['09:00', '17:00'] } as Record<string, [string, string]>, holidays: [] };
    expect(firstResponseHours(c, { mode: 'calendar', timezone: TZ })).toBe(67);
    expect(firstResponseHours(c, { mode: 'office_hours', timezone: TZ })).toBe(2.5);
    expect(firstResponseHours(c, { mode: 'schedule', schedule, timezone: TZ })).toBeCloseTo(2, 10);
  });

  it('has no value without a teammate reply (the spec example has statistics null)', () => {
    expect(
      firstResponseHours(conversationSchema.parse(searchExample.conversations[0]), { mode: 'calendar', timezone: TZ }),
    ).toBeUndefined();
  });

  it('counts every conversation per local day, ratios only replied ones, and honours the exclusions', () => {
    const days = ['2026-10-31', '2026-11-01'];
    const sums = emptySums();
    const sat2330 = Date.parse('2026-11-01T04:30:00Z') / 1000; // Sat Oct 31 23:30 CDT
    const sun2330 = Date.parse('2026-11-02T05:30:00Z') / 1000; // Sun Nov 1 23:30 CST
    addConversations(
      sums,
      [
        conversation('a', sat2330, { adminAt: sat2330 + 3600 }),
        conversation('b', sun2330, { adminAt: sun2330 + 7200 }),
        conversation('c', sun2330 - 3600),
        conversation('d', sun2330 - 60, { adminAt: sun2330 + 60 }, { admin_assignee_id: 991267466 }),
        conversation('e', sun2330 - 120, { adminAt: sun2330 + 60 }, { ai_agent_participated: true }),
      ],
      new Set(days),
      { excludedAdminIds: new Set(['991267466']), excludeAiAgentConversations: true },
      { mode: 'calendar', timezone: TZ },
    );
    expect(createdValues('n', days, sums).map((v) => v.value)).toEqual([1, 3]);
    expect(firstResponseValues('frt', days, sums)).toEqual([
      { metricId: 'frt', day: '2026-10-31', value: 1, numerator: 1, denominator: 1 },
      { metricId: 'frt', day: '2026-11-01', value: 2, numerator: 2, denominator: 1 },
    ]);
  });

  it('counts missed SLAs on the day of creation, leaving out excluded teammates and conversations dated after now', () => {
    const days = ['2026-10-31', '2026-11-01'];
    const sums = emptySums();
    const sat2330 = Date.parse('2026-11-01T04:30:00Z') / 1000; // Sat Oct 31 23:30 CDT
    const sun1200 = Date.parse('2026-11-01T18:00:00Z') / 1000; // Sun Nov 1 12:00 CST
    const missed = (status: string) => ({ sla_applied: { sla_name: 'First reply 1h', sla_status: status } });
    addConversations(
      sums,
      [
        conversation('a', sat2330, { adminAt: sat2330 + 7200 }, missed('missed')),
        conversation('b', sat2330 + 60, { adminAt: sat2330 + 600 }, missed('hit')),
        conversation('c', sun1200 - 3600, undefined, missed('active')),
        conversation('d', sun1200 - 1800, { adminAt: sun1200 }, { ...missed('missed'), admin_assignee_id: 991267466 }),
        // A clock ahead of ours: created after "now", not counted yet.
        conversation('e', sun1200 + 600, { adminAt: sun1200 + 9000 }, missed('missed')),
      ],
      new Set(days),
      { excludedAdminIds: new Set(['991267466']), excludeAiAgentConversations: false, now: new Date(sun1200 * 1000) },
      { mode: 'calendar', timezone: TZ },
    );
    expect(breachValues('sla', days, sums)).toEqual([
      { metricId: 'sla', day: '2026-10-31', value: 1 },
      { metricId: 'sla', day: '2026-11-01', value: 0 },
    ]);
    expect(createdValues('n', days, sums).map((v) => v.value)).toEqual([2, 1]);
  });

  it('scans changes on updated_at, padded like the date bounds, for conversations created before the window', () => {
    expect(changedSinceQuery(new Date('2026-11-24T18:50:00Z'), new Date('2026-11-24T06:00:00Z'))).toEqual({
      operator: 'AND',
      value: [
        { field: 'updated_at', operator: '>', value: String(Date.parse('2026-11-24T18:50:00Z') / 1000 - 1) },
        { field: 'created_at', operator: '<', value: String(Date.parse('2026-11-24T06:00:00Z') / 1000) },
      ],
    });
  });
});
