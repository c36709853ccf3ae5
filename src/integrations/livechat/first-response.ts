import type { LocalDay } from '../../metrics/types.js';
import { localDayOf } from '../../metrics/periods.js';
import type { CollectedValue } from '../source.js';
import { businessHoursBetween, type BusinessHours } from '../support-hours.js';
import type { ArchivedChat } from './schemas.js';

/**
 * First response from archived chat threads (Agent Chat API `list_archives`), as the catalog defines it: from the
 * customer's first message to the first message a human agent wrote after it. The reports API can't measure this:
 * it counts calendar time only, and its "first response not by a bot" filter drops a chat a bot answered first
 * instead of waiting for the human. Here bot messages are skipped, never a reason to drop the chat.
 */

/** Events a person writes; system messages, forms and custom events are not a message. */
const MESSAGE_TYPES: ReadonlySet<string> = new Set(['message', 'file', 'rich_message']);

export interface ThreadResponseOptions {
  /** Agent ids that are bots: their messages are skipped. */
  bots: ReadonlySet<string>;
  /** Agent ids (emails) whose chats are left out of support figures. */
  excludedOwners: ReadonlySet<string>;
  /** `schedule`: open hours of `support.business_hours` only; `calendar`: around the clock. */
  hours: 'schedule' | 'calendar';
  schedule?: BusinessHours;
  timezone: string;
}

/**
 * Hours to the first human response in one thread, or undefined when the thread has none to measure (no customer
 * message, no human reply yet, or an excluded owner served it).
 */
export function threadFirstResponseHours(chat: ArchivedChat, options: ThreadResponseOptions): number | undefined {
  const types = new Map(chat.users.map((user) => [user.id, user.type]));
  const agents = chat.users.filter((user) => user.type === 'agent').map((user) => user.id);
  if (agents.some((id) => options.excludedOwners.has(id))) return undefined;
  const messages = chat.thread.events
    .filter((event) => MESSAGE_TYPES.has(event.type) && event.author_id !== undefined)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  const asked = messages.find((event) => types.get(event.author_id!) === 'customer');
  if (!asked) return undefined;
  const askedAt = Date.parse(asked.created_at);
  const answered = messages.find(
    (event) =>
      Date.parse(event.created_at) >= askedAt &&
      types.get(event.author_id!) === 'agent' &&
      !options.bots.has(event.author_id!) &&
      !options.excludedOwners.has(event.author_id!),
  );
  if (!answered) return undefined;
  if (options.hours === 'calendar') return (Date.parse(answered.created_at) - askedAt) / 3_600_000;
  if (!options.schedule) throw new Error('LiveChat first response in business hours needs support.business_hours');
  return businessHoursBetween(asked.created_at, answered.created_at, options.schedule, options.timezone);
}

export interface ResponseSum {
  hours: number;
  chats: number;
}

/** Adds one archives page to per-day sums, on the local day the thread started; threads outside `days` are skipped. */
export function addFirstResponses(
  sums: Map<LocalDay, ResponseSum>,
  chats: readonly ArchivedChat[],
  days: ReadonlySet<LocalDay>,
  options: ThreadResponseOptions,
): void {
  for (const chat of chats) {
    const day = localDayOf(new Date(chat.thread.created_at), options.timezone);
    if (!days.has(day)) continue;
    const hours = threadFirstResponseHours(chat, options);
    if (hours === undefined) continue;
    const sum = sums.get(day) ?? { hours: 0, chats: 0 };
    sum.hours += hours;
    sum.chats += 1;
    sums.set(day, sum);
  }
}

/**
 * A ratio per day (Σ hours ÷ chats). A day without a responded chat carries 0 ÷ 0, which the refresh stores as no
 * value, never 0, and which clears a value stored before (its only chat went to an excluded owner).
 */
export function responseValues(metricId: string, days: readonly LocalDay[], sums: ReadonlyMap<LocalDay, ResponseSum>): CollectedValue[] {
  return days.map((day) => {
    const sum = sums.get(day);
    if (!sum || sum.chats === 0) return { metricId, day, value: 0, numerator: 0, denominator: 0 };
    return { metricId, day, value: sum.hours / sum.chats, numerator: sum.hours, denominator: sum.chats };
  });
}
