import { describe, expect, it } from 'vitest';
import {
  addBreachEvents,
  breachedTicketIds,
  breachValues,
  excludedTicketIds,
  type BreachesByDay,
  type BreachFilter,
} from '../../../src/integrations/zendesk/breaches.js';
import { SLA_METRICS, ticketMetricEventsPageSchema } from '../../../src/integrations/zendesk/schemas.js';
import eventsExample from './fixtures/get-incremental-ticket_metric_events.json' with { type: 'json' };

const TZ = 'America/Chicago';
const NOW = new Date('2026-11-04T18:00:00Z');
const filter: BreachFilter = { metrics: new Set(SLA_METRICS), firstReplyOnly: false, now: NOW, timezone: TZ };

/** Events shaped like the documented example's, re-valued, through the page schema as the client parses them. */
function events(...rows: [ticket: number, metric: string, instance: number, type: string, time: string][]) {
  return ticketMetricEventsPageSchema.parse({
    ...eventsExample,
    ticket_metric_events: rows.map(([ticket, metric, instance, type, time], i) => ({
      ...eventsExample.ticket_metric_events[0],
      id: 1000 + i,
      ticket_id: ticket,
      metric,
      instance_id: instance,
      type,
      time,
    })),
  }).ticket_metric_events;
}

describe('Zendesk SLA breaches with exclusions', () => {
  const days = new Set(['2026-11-02', '2026-11-03', '2026-11-04']);
  const page = events(
    [301, 'reply_time', 1, 'breach', '2026-11-02T15:00:00Z'], // first reply, a manager's ticket
    [302, 'reply_time', 1, 'breach', '2026-11-02T16:00:00Z'], // first reply
    [302, 'reply_time', 2, 'breach', '2026-11-03T16:00:00Z'], // a next reply
    [303, 'resolution_time', 0, 'breach', '2026-11-03T17:00:00Z'], // in an excluded group
    [304, 'reply_time', 1, 'breach', '2026-11-04T17:59:59Z'],
    [305, 'reply_time', 1, 'breach', '2026-11-04T20:00:00Z'], // scheduled after now: not happened yet
    [306, 'reply_time', 1, 'fulfill', '2026-11-04T12:00:00Z'],
  );

  it('leaves out tickets of excluded owners and groups, and ignores events dated after now', () => {
    const breaches: BreachesByDay = new Map();
    addBreachEvents(breaches, page, days, filter);
    expect(breachedTicketIds(breaches)).toEqual([301, 302, 303, 304]);
    const excluded = excludedTicketIds(
      [
        { id: 301, assignee_id: 9001, group_id: 1 },
        { id: 302, assignee_id: 9002, group_id: 1 },
        { id: 303, assignee_id: null, group_id: 7 },
        { id: 304, assignee_id: null, group_id: null },
      ],
      { owners: new Set([9001]), groups: new Set([7]) },
    );
    expect([...excluded].sort()).toEqual([301, 303]);
    expect(breachValues('sla', [...days], breaches, excluded)).toEqual([
      { metricId: 'sla', day: '2026-11-02', value: 1 },
      { metricId: 'sla', day: '2026-11-03', value: 1 },
      { metricId: 'sla', day: '2026-11-04', value: 1 },
    ]);
    // Without exclusions every breach counts, still never the future one.
    expect(breachValues('sla', [...days], breaches, new Set()).map((v) => v.value)).toEqual([2, 2, 1]);
  });

  it('counts first-reply breaches only (reply_time instance 1) when asked', () => {
    const breaches: BreachesByDay = new Map();
    addBreachEvents(breaches, page, days, { ...filter, firstReplyOnly: true });
    expect(breachValues('frb', [...days], breaches, new Set()).map((v) => v.value)).toEqual([2, 0, 1]);
  });

  it('counts a repeated event once', () => {
    const breaches: BreachesByDay = new Map();
    const twice = events(
      [302, 'reply_time', 1, 'breach', '2026-11-02T16:00:00Z'],
      [302, 'reply_time', 1, 'breach', '2026-11-02T16:00:00Z'],
    );
    addBreachEvents(breaches, twice, days, filter);
    expect(breachValues('sla', ['2026-11-02'], breaches, new Set())).toEqual([{ metricId: 'sla', day: '2026-11-02', value: 1 }]);
  });
});
