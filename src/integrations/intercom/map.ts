import type { CollectedValue } from '../source.js';
import type { LocalDay } from '../../metrics/types.js';
import { localDayOf } from '../../metrics/periods.js';
import { businessHoursBetween, type BusinessHours } from '../support-hours.js';
import type { Conversation, ResponseTimeMode } from './schemas.js';

/**
 * Pure mapping from Intercom conversations to daily values: search bodies, teammate exclusions, first
 * response hours and per-day buckets. No I/O here; `collect.ts` feeds it pages.
 */

interface SearchFilter {
  field: string;
  operator: string;
  value: string | number | boolean;
}
export interface SearchQuery {
  operator: 'AND';
  value: SearchFilter[];
}

/**
 * Conversations created in the half-open interval `[start, end)`. Intercom's `>` and `<` on dates are
 * documented as "greater (or equal)" / "lower (or equal)", so the bounds are padded and `inWindow` trims exactly.
 */
export function createdBetweenQuery(start: Date, end: Date): SearchQuery {
  return {
    operator: 'AND',
    value: [
      { field: 'created_at', operator: '>', value: String(epochSeconds(start) - 1) },
      { field: 'created_at', operator: '<', value: String(epochSeconds(end)) },
    ],
  };
}

/**
 * States the catalog counts as open ("not yet solved: new, open, pending or on hold"): Intercom's `snoozed` is a
 * conversation waiting to come back, i.e. pending or on hold, so it counts unless `include_snoozed` is false.
 */
export type OpenState = 'open' | 'snoozed';
export function openStates(includeSnoozed: boolean): OpenState[] {
  return includeSnoozed ? ['open', 'snoozed'] : ['open'];
}

/** Open conversations, optionally only those assigned to one teammate (admin ids are integers in search). */
export function openConversationsQuery(adminAssigneeId?: string, state: OpenState = 'open'): SearchQuery {
  const value: SearchFilter[] = [{ field: 'state', operator: '=', value: state }];
  if (adminAssigneeId !== undefined) value.push({ field: 'admin_assignee_id', operator: '=', value: Number(adminAssigneeId) });
  return { operator: 'AND', value };
}

export function searchBody(query: SearchQuery, perPage: number, startingAfter?: string) {
  return { query, pagination: startingAfter ? { per_page: perPage, starting_after: startingAfter } : { per_page: perPage } };
}

export function epochSeconds(instant: Date): number {
  return Math.floor(instant.getTime() / 1000);
}

/**
 * Admin ids for the configured exclusions: numeric entries are ids already, emails are looked up in the
 * workspace's admins (case-insensitive). Emails that match no admin are returned so they can be reported.
 */
export function resolveAdminIds(
  entries: readonly string[],
  admins: readonly { id: string; email?: string | null }[],
): { ids: Set<string>; unknown: string[] } {
  const ids = new Set<string>();
  const unknown: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (/^\d+$/.test(entry)) {
      ids.add(entry);
      continue;
    }
    const admin = admins.find((candidate) => candidate.email?.toLowerCase() === entry.toLowerCase());
    if (admin) ids.add(admin.id);
    else unknown.push(entry);
  }
  return { ids, unknown };
}

export interface ConversationFilters {
  /** Admin ids (excluded teammates and bot admins) whose assigned conversations are left out. */
  excludedAdminIds: ReadonlySet<string>;
  excludeAiAgentConversations: boolean;
  /** Conversations dated after this are ignored: a clock ahead of ours must not count tomorrow's conversation today. */
  now?: Date;
}

function isAssignedToExcluded(conversation: Conversation, filters: ConversationFilters): boolean {
  const assignee = conversation.admin_assignee_id;
  return assignee !== null && assignee !== undefined && filters.excludedAdminIds.has(String(assignee));
}

export interface ResponseTimeOptions {
  mode: ResponseTimeMode;
  schedule?: BusinessHours;
  timezone: string;
}

/**
 * Hours from the contact's first message to the first teammate reply (`first_admin_reply_at` counts human
 * teammates only; bot and Fin replies are not admin replies). Undefined when nobody has replied yet.
 */
export function firstResponseHours(conversation: Conversation, options: ResponseTimeOptions): number | undefined {
  const stats = conversation.statistics;
  if (!stats || typeof stats.first_admin_reply_at !== 'number') return undefined;
  if (options.mode === 'office_hours') {
    return typeof stats.time_to_admin_reply === 'number' ? stats.time_to_admin_reply / 3600 : undefined;
  }
  const askedAt = typeof stats.first_contact_reply_at === 'number' ? stats.first_contact_reply_at : conversation.created_at;
  const seconds = Math.max(0, stats.first_admin_reply_at - askedAt);
  if (options.mode === 'calendar') return seconds / 3600;
  if (!options.schedule) throw new Error('first response in scheduled business hours needs support.business_hours');
  const start = new Date(askedAt * 1000);
  const end = new Date((askedAt + seconds) * 1000);
  return businessHoursBetween(start.toISOString(), end.toISOString(), options.schedule, options.timezone);
}

export interface DailySums {
  created: Map<LocalDay, number>;
  responses: Map<LocalDay, { numerator: number; denominator: number }>;
  /** Conversations whose SLA was missed. */
  breaches: Map<LocalDay, number>;
}

export function emptySums(): DailySums {
  return { created: new Map(), responses: new Map(), breaches: new Map() };
}

/**
 * Adds one search page to the per-day sums, on the local day each conversation was created:
 * a count of conversations, and Σ first-response hours over conversations a teammate replied to.
 */
export function addConversations(
  sums: DailySums,
  conversations: readonly Conversation[],
  days: ReadonlySet<LocalDay>,
  filters: ConversationFilters,
  options: ResponseTimeOptions,
): void {
  for (const conversation of conversations) {
    if (isAssignedToExcluded(conversation, filters)) continue;
    const createdAt = new Date(conversation.created_at * 1000);
    if (filters.now && createdAt.getTime() > filters.now.getTime()) continue;
    const day = localDayOf(createdAt, options.timezone);
    if (!days.has(day)) continue;
    sums.created.set(day, (sums.created.get(day) ?? 0) + 1);
    if (conversation.sla_applied?.sla_status === 'missed') sums.breaches.set(day, (sums.breaches.get(day) ?? 0) + 1);
    if (filters.excludeAiAgentConversations && conversation.ai_agent_participated) continue;
    const hours = firstResponseHours(conversation, options);
    if (hours === undefined) continue;
    const sum = sums.responses.get(day) ?? { numerator: 0, denominator: 0 };
    sum.numerator += hours;
    sum.denominator += 1;
    sums.responses.set(day, sum);
  }
}

/** A count for every day (0 when nothing was created). */
export function createdValues(metricId: string, days: readonly LocalDay[], sums: DailySums): CollectedValue[] {
  return days.map((day) => ({ metricId, day, value: sums.created.get(day) ?? 0 }));
}

/** Missed SLAs for every day of creation (0 when none). */
export function breachValues(metricId: string, days: readonly LocalDay[], sums: DailySums): CollectedValue[] {
  return days.map((day) => ({ metricId, day, value: sums.breaches.get(day) ?? 0 }));
}

/**
 * Conversations changed since `since` (padded like `createdBetweenQuery`) that were created before `createdBefore`:
 * the window's own conversations are re-collected anyway.
 */
export function changedSinceQuery(since: Date, createdBefore: Date): SearchQuery {
  return {
    operator: 'AND',
    value: [
      { field: 'updated_at', operator: '>', value: String(epochSeconds(since) - 1) },
      { field: 'created_at', operator: '<', value: String(epochSeconds(createdBefore)) },
    ],
  };
}

/**
 * A ratio for every day. A day without a reply carries 0 ÷ 0, which the refresh stores as no value ("no
 * activity") and which clears a value stored before (the only reply's conversation went to an excluded teammate).
 */
export function firstResponseValues(metricId: string, days: readonly LocalDay[], sums: DailySums): CollectedValue[] {
  return days.map((day) => {
    const sum = sums.responses.get(day);
    if (!sum || sum.denominator === 0) return { metricId, day, value: 0, numerator: 0, denominator: 0 };
    return { metricId, day, value: sum.numerator / sum.denominator, numerator: sum.numerator, denominator: sum.denominator };
  });
}
