import type { LocalDay } from '../../metrics/types.js';
import { localDayOf } from '../../metrics/periods.js';
import type { CollectedValue } from '../source.js';
import type { TicketMetricEvent } from './schemas.js';

/**
 * SLA breaches with the support exclusions applied. Breach events carry no assignee or group, but every event
 * carries `ticket_id`: the breached tickets are looked up (assignee and group) and the excluded ones left out,
 * as for every other support figure.
 */

export interface BreachFilter {
  /** SLA metrics that count (`reply_time`, `resolution_time`, …). */
  metrics: ReadonlySet<string>;
  /** Only the first reply: `reply_time` instance 1, as Zendesk documents (later instances are next replies). */
  firstReplyOnly: boolean;
  /** Events dated after this are ignored: a breach in the future has not happened. */
  now: Date;
  timezone: string;
}

/** Per local day, each breach's key (ticket, metric, instance) → its ticket id. A repeated event counts once. */
export type BreachesByDay = Map<LocalDay, Map<string, number>>;

export function addBreachEvents(
  breaches: BreachesByDay,
  events: readonly TicketMetricEvent[],
  days: ReadonlySet<LocalDay>,
  filter: BreachFilter,
): void {
  for (const event of events) {
    if (event.type !== 'breach' || event.deleted === true || !filter.metrics.has(event.metric)) continue;
    if (filter.firstReplyOnly && (event.metric !== 'reply_time' || event.instance_id !== 1)) continue;
    const at = new Date(event.time);
    if (at.getTime() > filter.now.getTime()) continue;
    const day = localDayOf(at, filter.timezone);
    if (!days.has(day)) continue;
    const keys = breaches.get(day) ?? new Map<string, number>();
    keys.set(`${event.ticket_id}:${event.metric}:${event.instance_id}`, event.ticket_id);
    breaches.set(day, keys);
  }
}

/** Every ticket with a breach in the map: the ones to look up. */
export function breachedTicketIds(breaches: BreachesByDay): number[] {
  const ids = new Set<number>();
  for (const keys of breaches.values()) for (const id of keys.values()) ids.add(id);
  return [...ids].sort((a, b) => a - b);
}

export interface TicketOwner {
  id: number;
  assignee_id?: number | null;
  group_id?: number | null;
}

/** Excluded owners and groups as Zendesk ids (emails and names resolved beforehand). */
export interface ExcludedIds {
  owners: ReadonlySet<number>;
  groups: ReadonlySet<number>;
}

export function excludedTicketIds(tickets: readonly TicketOwner[], excluded: ExcludedIds): Set<number> {
  const ids = new Set<number>();
  for (const ticket of tickets) {
    const owner = ticket.assignee_id ?? undefined;
    const group = ticket.group_id ?? undefined;
    if ((owner !== undefined && excluded.owners.has(owner)) || (group !== undefined && excluded.groups.has(group))) ids.add(ticket.id);
  }
  return ids;
}

/** A count for every day, 0 when none, leaving out breaches on excluded tickets. */
export function breachValues(
  metricId: string,
  days: readonly LocalDay[],
  breaches: BreachesByDay,
  excludedTickets: ReadonlySet<number>,
): CollectedValue[] {
  return days.map((day) => {
    const keys = breaches.get(day);
    let count = 0;
    for (const ticketId of keys?.values() ?? []) if (!excludedTickets.has(ticketId)) count += 1;
    return { metricId, day, value: count };
  });
}
