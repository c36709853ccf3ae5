import { describe, expect, it } from 'vitest';
import {
  addFirstReplies,
  firstReplyHours,
  isExcludedTicket,
  metricsByTicketId,
  rangeTerms,
  ratioValues,
  ticketSearchQuery,
  type RatioSum,
} from '../../../src/integrations/zendesk/map.js';
import { ticketMetricSchema, type TicketMetric } from '../../../src/integrations/zendesk/schemas.js';
import example from './fixtures/get-ticket_metrics.json' with { type: 'json' };

const TZ = 'America/Chicago';
const WEEKDAYS_9_TO_5 = {
  week: {
    monday: ['09:00', '17:00'],
    tuesday: ['09:00', '17:00'],
    wednesday: ['09:00', '17:00'],
    thursday: ['09:00', '17:00'],
    friday: ['09:00', '17:00'],
  } as Record<string, [string, string]>,
  holidays: [] as string[],
};

/** The official example metric set (replied once, 16 min) with other values. */
function metricFor(ticketId: number, calendarSeconds: number, replies = 1, businessMinutes = 0): TicketMetric {
  const [replied] = example.ticket_metrics;
  return ticketMetricSchema.parse({
    ...replied,
    ticket_id: ticketId,
    replies,
    reply_time_in_minutes: { business: businessMinutes, calendar: Math.round(calendarSeconds / 60) },
    reply_time_in_seconds: { calendar: calendarSeconds },
  });
}

describe('zendesk search queries', () => {
  it('adds exclusions as negated terms and quotes values with spaces', () => {
    const query = ticketSearchQuery(['status<solved'], { owners: ['boss@acme.test', '9001'], groups: ['Tier 2', '7'] });
    expect(query).toBe('type:ticket status<solved -assignee:boss@acme.test -assignee:9001 -group:"Tier 2" -group:7');
  });

  it('writes the half-open interval as whole-second UTC instants', () => {
    expect(rangeTerms('created', new Date('2026-11-01T05:00:00.000Z'), new Date('2026-11-02T06:00:00.000Z'))).toEqual([
      'created>=2026-11-01T05:00:00Z',
      'created<2026-11-02T06:00:00Z',
    ]);
  });

  it('matches numeric exclusions against the assignee and group ids', () => {
    const exclusions = { owners: ['9001', 'boss@acme.test'], groups: ['7'] };
    expect(isExcludedTicket({ id: 1, created_at: '2026-11-01T00:00:00Z', assignee_id: 9001, group_id: 1 }, exclusions)).toBe(true);
    expect(isExcludedTicket({ id: 2, created_at: '2026-11-01T00:00:00Z', assignee_id: 5, group_id: 7 }, exclusions)).toBe(true);
    expect(isExcludedTicket({ id: 3, created_at: '2026-11-01T00:00:00Z', assignee_id: null, group_id: null }, exclusions)).toBe(false);
  });
});

describe('first reply hours', () => {
  const calendar = { mode: 'calendar' as const, timezone: TZ };

  it('reads the official example: 960 s calendar is 0.2667 h; the unreplied one (replies 0, 0 min) has none', () => {
    const [replied, unreplied] = example.ticket_metrics.map((m) => ticketMetricSchema.parse(m));
    expect(firstReplyHours(replied!.created_at, replied!, calendar)).toBeCloseTo(960 / 3600, 10);
    expect(firstReplyHours(unreplied!.created_at, unreplied!, calendar)).toBeUndefined();
    expect(firstReplyHours(replied!.created_at, replied!, { mode: 'business', timezone: TZ })).toBeCloseTo(16 / 60, 10);
  });

  it('measures against the configured business hours across the DST change', () => {
    // Created Fri 2026-10-30 16:00 CDT (21:00Z); replied Mon 2026-11-02 10:00 CST (16:00Z): 67 h of calendar time
    // (clocks fell back on Sunday). Open hours: Friday 16:00–17:00 (1 h) + Monday 09:00–10:00 (1 h) = 2 h.
    const metric = metricFor(1, 67 * 3600);
    const hours = firstReplyHours('2026-10-30T21:00:00Z', metric, { mode: 'schedule', schedule: WEEKDAYS_9_TO_5, timezone: TZ });
    expect(hours).toBeCloseTo(2, 10);
    expect(firstReplyHours('2026-10-30T21:00:00Z', metric, calendar)).toBe(67);
  });
});

describe('per-day first reply ratios', () => {
  it('buckets by the local day of creation, skips unreplied and excluded tickets, and marks a day without a reply 0 ÷ 0 (no value)', () => {
    const days = ['2026-10-31', '2026-11-01', '2026-11-02'];
    const tickets = [
      // 2026-11-01T04:30Z is Sat Oct 31 23:30 CDT.
      { id: 1, created_at: '2026-11-01T04:30:00Z', assignee_id: 5, group_id: 1 },
      // 2026-11-02T05:30Z is Sun Nov 1 23:30 CST (the 25-hour day ends at 06:00Z).
      { id: 2, created_at: '2026-11-02T05:30:00Z', assignee_id: 5, group_id: 1 },
      { id: 3, created_at: '2026-11-01T12:00:00Z', assignee_id: 5, group_id: 1 },
      { id: 4, created_at: '2026-11-01T13:00:00Z', assignee_id: 9001, group_id: 1 },
    ];
    const metrics = metricsByTicketId([metricFor(1, 1800), metricFor(2, 5400), metricFor(3, 0, 0), metricFor(4, 36_000)]);
    const sums = new Map<string, RatioSum>();
    addFirstReplies(sums, tickets, metrics, new Set(days), { owners: ['9001'], groups: [] }, { mode: 'calendar', timezone: TZ });
    expect(ratioValues('frt', days, sums)).toEqual([
      { metricId: 'frt', day: '2026-10-31', value: 0.5, numerator: 0.5, denominator: 1 },
      { metricId: 'frt', day: '2026-11-01', value: 1.5, numerator: 1.5, denominator: 1 },
      // No reply: 0 ÷ 0, which the refresh stores as no value (and which clears one stored before).
      { metricId: 'frt', day: '2026-11-02', value: 0, numerator: 0, denominator: 0 },
    ]);
  });
});
