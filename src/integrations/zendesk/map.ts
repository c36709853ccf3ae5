import type { CollectedValue } from '../source.js';
import type { LocalDay } from '../../metrics/types.js';
import { localDayOf } from '../../metrics/periods.js';
import { businessHoursBetween, type BusinessHours } from '../support-hours.js';
import type { ExportedTicket, ReplyTimeMode, TicketMetric } from './schemas.js';

/**
 * Pure mapping from Zendesk records to daily values: search query text, exclusions, first reply hours and
 * per-day buckets. No I/O here; `collect.ts` feeds it pages.
 */

export interface Exclusions {
  /** Assignee emails or user ids. */
  owners: readonly string[];
  /** Group names or ids. */
  groups: readonly string[];
}

/** A search value, quoted when it holds anything but word characters (names with spaces, emails are fine bare). */
function searchValue(value: string): string {
  return /^[\w.@+-]+$/.test(value) ? value : `"${value.replace(/"/g, '')}"`;
}

/** `type:ticket <terms> -assignee:… -group:…`: exclusions are applied by the search itself, so counts honour them too. */
export function ticketSearchQuery(terms: readonly string[], exclusions: Exclusions): string {
  return [
    'type:ticket',
    ...terms,
    ...exclusions.owners.map((owner) => `-assignee:${searchValue(owner)}`),
    ...exclusions.groups.map((group) => `-group:${searchValue(group)}`),
  ].join(' ');
}

/** Search date terms for the half-open UTC interval `[start, end)`; Zendesk search accepts ISO 8601 instants. */
export function rangeTerms(field: 'created' | 'solved', start: Date, end: Date): string[] {
  return [`${field}>=${isoSeconds(start)}`, `${field}<${isoSeconds(end)}`];
}

function isoSeconds(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Second line of defence behind the search terms: numeric ids in the exclusion lists are matched against the
 * ticket itself (emails and names can only be matched by the search).
 */
export function isExcludedTicket(ticket: ExportedTicket, exclusions: Exclusions): boolean {
  const matches = (list: readonly string[], id: number | null | undefined) =>
    id !== null && id !== undefined && list.some((entry) => entry.trim() === String(id));
  return matches(exclusions.owners, ticket.assignee_id) || matches(exclusions.groups, ticket.group_id);
}

export interface ReplyTimeOptions {
  mode: ReplyTimeMode;
  /** Required for `schedule`. */
  schedule?: BusinessHours;
  timezone: string;
}

/**
 * Hours to the first public agent reply of one ticket, or undefined when it has none yet (Zendesk reports 0
 * minutes with `replies: 0` for those, which must not count as an instant reply).
 */
export function firstReplyHours(ticketCreatedAt: string, metric: TicketMetric, options: ReplyTimeOptions): number | undefined {
  if ((metric.replies ?? 0) < 1) return undefined;
  const minutes = metric.reply_time_in_minutes;
  if (options.mode === 'business') {
    return typeof minutes?.business === 'number' ? minutes.business / 60 : undefined;
  }
  const calendarSeconds =
    typeof metric.reply_time_in_seconds?.calendar === 'number'
      ? metric.reply_time_in_seconds.calendar
      : typeof minutes?.calendar === 'number'
        ? minutes.calendar * 60
        : undefined;
  if (calendarSeconds === undefined) return undefined;
  if (options.mode === 'calendar') return calendarSeconds / 3600;
  if (!options.schedule) throw new Error('first reply time in scheduled business hours needs support.business_hours');
  const start = new Date(ticketCreatedAt);
  const repliedAt = new Date(start.getTime() + calendarSeconds * 1000);
  return businessHoursBetween(start.toISOString(), repliedAt.toISOString(), options.schedule, options.timezone);
}

export interface RatioSum {
  numerator: number;
  denominator: number;
}

/**
 * Adds one page of tickets (joined to their metric sets) to per-day sums: numerator Σ hours, denominator
 * tickets replied, on the local day the ticket was created. Tickets outside `days` or excluded are skipped.
 */
export function addFirstReplies(
  sums: Map<LocalDay, RatioSum>,
  tickets: readonly ExportedTicket[],
  metricsByTicket: ReadonlyMap<number, TicketMetric>,
  days: ReadonlySet<LocalDay>,
  exclusions: Exclusions,
  options: ReplyTimeOptions,
): void {
  for (const ticket of tickets) {
    if (isExcludedTicket(ticket, exclusions)) continue;
    const day = localDayOf(new Date(ticket.created_at), options.timezone);
    if (!days.has(day)) continue;
    const metric = metricsByTicket.get(ticket.id);
    if (!metric) continue;
    const hours = firstReplyHours(ticket.created_at, metric, options);
    if (hours === undefined) continue;
    const sum = sums.get(day) ?? { numerator: 0, denominator: 0 };
    sum.numerator += hours;
    sum.denominator += 1;
    sums.set(day, sum);
  }
}

/**
 * A ratio for every day. A day without a reply carries 0 ÷ 0, which the refresh stores as no value ("no
 * activity") and which clears a value stored before (the only reply was reassigned to an excluded owner).
 */
export function ratioValues(metricId: string, days: readonly LocalDay[], sums: ReadonlyMap<LocalDay, RatioSum>): CollectedValue[] {
  return days.map((day) => {
    const sum = sums.get(day);
    if (!sum || sum.denominator === 0) return { metricId, day, value: 0, numerator: 0, denominator: 0 };
    return { metricId, day, value: sum.numerator / sum.denominator, numerator: sum.numerator, denominator: sum.denominator };
  });
}

/** Metric sets keyed by ticket id (a ticket has at most one). */
export function metricsByTicketId(metricSets: readonly TicketMetric[]): Map<number, TicketMetric> {
  return new Map(metricSets.map((metric) => [metric.ticket_id, metric]));
}
