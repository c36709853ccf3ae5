import type { z } from 'zod';
import type { CollectedValue } from '../source.js';
import type { LocalDay } from '../../metrics/types.js';
import { localDayOf } from '../../metrics/periods.js';
import { offsetMinutes, wallClock } from '../../metrics/zone.js';
import type { ArchivedChat, ChatSummary, ChatUser, firstResponseReportSchema, ResponseUnit, totalChatsReportSchema } from './schemas.js';

/**
 * Pure mapping from LiveChat reports and chats to daily values: report request bodies, bot detection,
 * per-day values. No I/O here; `index.ts` calls the API.
 */

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** RFC 3339 with microseconds and the zone's offset at that instant, as the Reports and Agent Chat APIs take it. */
export function rfc3339(instant: Date, tz: string, micros = '000000'): string {
  const ms = Math.floor(instant.getTime() / 1000) * 1000;
  const w = wallClock(ms, tz);
  const offset = offsetMinutes(ms, tz);
  const sign = offset < 0 ? '-' : '+';
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${micros}` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}

/** `filters.from/to` for the local days `[start, end)`: `to` is the last microsecond before `end`. */
export function timeRange(start: Date, end: Date, tz: string): { from: string; to: string } {
  return { from: rfc3339(start, tz), to: rfc3339(new Date(end.getTime() - 1000), tz, '999999') };
}

export interface ReportOptions {
  /** Chats with any of these agents are left out (excluded owners). */
  excludedAgents: readonly string[];
  /** First response only: chats whose first agent response came from one of these are left out (bots). */
  firstResponseNotBy?: readonly string[];
}

/** A chats report body with day distribution in the org timezone (the records are then keyed by local day). */
export function reportBody(start: Date, end: Date, tz: string, options: ReportOptions) {
  const filters: Record<string, unknown> = { ...timeRange(start, end, tz) };
  if (options.excludedAgents.length > 0) filters.agents = { exclude_values: [...options.excludedAgents] };
  if (options.firstResponseNotBy && options.firstResponseNotBy.length > 0) {
    filters.agent_response = { first: true, agents: { exclude_values: [...options.firstResponseNotBy] } };
  }
  return { distribution: 'day', timezone: tz, filters };
}

/** Chats per day; a day reported as `{}` (or missing) had none. */
export function totalChatsValues(
  metricId: string,
  days: readonly LocalDay[],
  report: z.output<typeof totalChatsReportSchema>,
): CollectedValue[] {
  return days.map((day) => ({ metricId, day, value: report.records[day]?.total ?? 0 }));
}

/**
 * First response as a ratio per day: numerator Σ(average hours × count), denominator Σ count, so a week is the
 * mean over its chats, not a mean of daily means. Days reported as `{}` have no value.
 */
export function firstResponseValues(
  metricId: string,
  days: readonly LocalDay[],
  report: z.output<typeof firstResponseReportSchema>,
  unit: ResponseUnit,
): CollectedValue[] {
  const perHour = unit === 'seconds' ? 3600 : 60;
  const values: CollectedValue[] = [];
  for (const day of days) {
    const record = report.records[day];
    const count = record?.count;
    const average = record?.first_response_time;
    if (!count || count <= 0 || typeof average !== 'number' || !Number.isFinite(average)) continue;
    const numerator = (average / perHour) * count;
    values.push({ metricId, day, value: numerator / count, numerator, denominator: count });
  }
  return values;
}

const isAgent = (user: ChatUser | undefined) => user?.type === 'agent';

/**
 * A bot-to-human transfer: in one thread a bot wrote, and later a human agent wrote. Messages from the
 * customer or system events do not count; a human is an agent of the chat who is not a bot.
 */
export function isBotTransfer(chat: ArchivedChat, bots: ReadonlySet<string>): boolean {
  const users = new Map(chat.users.map((user) => [user.id, user]));
  const events = [...chat.thread.events].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  let botSpoke = false;
  for (const event of events) {
    if (event.type === 'system_message' || !event.author_id) continue;
    if (bots.has(event.author_id)) botSpoke = true;
    else if (botSpoke && isAgent(users.get(event.author_id))) return true;
  }
  return false;
}

/**
 * Adds one archives page to per-day transfer counts, on the local day the thread started. A chat an excluded owner
 * took part in is left out, as the chats report (`agents.exclude_values`) and first response leave it out.
 */
export function addBotTransfers(
  counts: Map<LocalDay, number>,
  chats: readonly ArchivedChat[],
  days: ReadonlySet<LocalDay>,
  bots: ReadonlySet<string>,
  tz: string,
  excludedOwners: ReadonlySet<string>,
): void {
  for (const chat of chats) {
    const day = localDayOf(new Date(chat.thread.created_at), tz);
    if (!days.has(day) || chat.users.some((user) => user.type === 'agent' && excludedOwners.has(user.id))) continue;
    if (!isBotTransfer(chat, bots)) continue;
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
}

export function countValues(metricId: string, days: readonly LocalDay[], counts: ReadonlyMap<LocalDay, number>): CollectedValue[] {
  return days.map((day) => ({ metricId, day, value: counts.get(day) ?? 0 }));
}

/**
 * An active chat counts as open unless every agent in its current thread is ignored (a bot, or an excluded
 * owner); a queued chat with no agent yet counts — a customer is waiting.
 */
export function isOpenForHumans(chat: ChatSummary, ignoredAgents: ReadonlySet<string>): boolean {
  const thread = chat.last_thread_summary;
  if (thread?.active !== true) return false;
  const users = new Map(chat.users.map((user) => [user.id, user]));
  const inThread = thread.user_ids ?? chat.users.map((user) => user.id);
  const agents = inThread.filter((id) => isAgent(users.get(id)) || ignoredAgents.has(id));
  return agents.length === 0 || agents.some((id) => !ignoredAgents.has(id));
}

/** Bot agent ids: configured ids, discovered bots, and agents whose role is configured as a bot role. */
export function botAgentIds(
  configured: readonly string[],
  discovered: readonly { id: string }[],
  agents: readonly { id: string; role?: string }[],
  botRoles: readonly string[],
): Set<string> {
  const roles = new Set(botRoles.map((role) => role.toLowerCase()));
  return new Set([
    ...configured.map((id) => id.trim()),
    ...discovered.map((bot) => bot.id),
    ...agents.filter((agent) => agent.role !== undefined && roles.has(agent.role.toLowerCase())).map((agent) => agent.id),
  ]);
}
