import { daysUpToToday } from '../source-helpers.js';
import type { Logger } from 'pino';
import type { Metric } from '../../config/schema.js';
import type { LocalDay } from '../../metrics/types.js';
import { addDays, dayStart, localDayOf } from '../../metrics/periods.js';
import type { CollectedValue, SourceContext, SourceRequest, SourceRun } from '../source.js';
import { createZendeskApi, type ClientHooks, type ZendeskApi } from './client.js';
import { addBreachEvents, breachedTicketIds, breachValues, excludedTicketIds, type BreachesByDay, type ExcludedIds } from './breaches.js';
import {
  addFirstReplies,
  metricsByTicketId,
  rangeTerms,
  ratioValues,
  ticketSearchQuery,
  isExcludedTicket,
  type Exclusions,
  type RatioSum,
  type ReplyTimeOptions,
} from './map.js';
import { SLA_METRICS, type ZendeskQuery, type ZendeskSettings } from './schemas.js';
import { rememberBreachDays, rememberTicketDays, ticketDaysNow } from './late.js';

/** Days per search export run: bounds memory (only per-day sums are kept) and yields a batch per week. */
const CHUNK_DAYS = 7;

/** Zendesk refuses an incremental export `start_time` under a few minutes old ("Too recent start_time"). */
const RECENT_START_MS = 5 * 60_000;

/** Tickets per `show_many` call. */
const SHOW_MANY = 100;

interface Plan {
  api: ZendeskApi;
  /** Exclusions resolved to ids, once per run and only when a breach count needs them. */
  excludedIds: () => Promise<{ ids: ExcludedIds; warnings: string[] }>;
  settings: ZendeskSettings;
  timezone: string;
  exclusions: Exclusions;
  replyTime: ReplyTimeOptions;
  logger: Logger;
  now: Date;
  /** The run, for the late-change index (the days each ticket was counted on). */
  run: SourceContext;
}

function planFor(ctx: SourceRun<ZendeskSettings>, hooks: ClientHooks): Plan {
  const { settings } = ctx;
  const schedule = settings.business_hours ?? ctx.config.support.business_hours;
  const api = createZendeskApi(ctx, settings, hooks);
  const exclusions = { owners: settings.excluded_owners ?? ctx.config.support.excluded_owners, groups: settings.excluded_groups };
  let excluded: Promise<{ ids: ExcludedIds; warnings: string[] }> | undefined;
  return {
    api,
    excludedIds: () => (excluded ??= resolveExcludedIds(api, exclusions)),
    settings,
    timezone: ctx.config.org.timezone,
    exclusions,
    replyTime: { mode: settings.minutes ?? (schedule ? 'schedule' : 'calendar'), schedule, timezone: ctx.config.org.timezone },
    logger: ctx.logger.child({ source: 'zendesk' }),
    now: ctx.now,
    run: ctx,
  };
}

export async function* collectZendesk(
  ctx: SourceRun<ZendeskSettings>,
  request: SourceRequest<ZendeskQuery>,
  hooks: ClientHooks,
): AsyncGenerator<CollectedValue[]> {
  const plan = planFor(ctx, hooks);
  const today = localDayOf(ctx.now, plan.timezone);
  const days = daysUpToToday(request, today);

  for (const metric of request.metrics) {
    const { query } = metric;
    switch (query.kind) {
      case 'open_tickets':
        if (days.includes(today)) yield [await openTickets(plan, metric, today)];
        break;
      case 'tickets_created':
      case 'tickets_solved':
        for (const chunk of chunked(days, CHUNK_DAYS)) yield await dailyCounts(plan, metric, query.kind, chunk);
        break;
      case 'first_reply_time': {
        const replyTime = query.minutes ? { ...plan.replyTime, mode: query.minutes } : plan.replyTime;
        for (const chunk of chunked(days, CHUNK_DAYS)) {
          const values = await firstReplyTimes(plan, metric, chunk, replyTime);
          if (values.length > 0) yield values;
        }
        break;
      }
      case 'sla_breaches': {
        const slaMetrics = new Set<string>(query.metrics ?? SLA_METRICS);
        const firstReplyOnly = query.first_reply_only === true;
        for (const chunk of chunked(days, CHUNK_DAYS)) yield await slaBreaches(plan, metric, chunk, slaMetrics, firstReplyOnly);
        break;
      }
    }
  }
}

async function openTickets(plan: Plan, metric: Metric, today: LocalDay): Promise<CollectedValue> {
  const count = await plan.api.countTickets(ticketSearchQuery(['status<solved'], plan.exclusions));
  return { metricId: metric.id, day: today, value: count };
}

async function dailyCounts(
  plan: Plan,
  metric: Metric,
  kind: 'tickets_created' | 'tickets_solved',
  days: readonly LocalDay[],
): Promise<CollectedValue[]> {
  const field = kind === 'tickets_created' ? 'created' : 'solved';
  const values: CollectedValue[] = [];
  for (const day of days) {
    const terms = rangeTerms(field, dayInstant(day, plan.timezone), dayInstant(addDays(day, 1), plan.timezone));
    values.push({ metricId: metric.id, day, value: await plan.api.countTickets(ticketSearchQuery(terms, plan.exclusions)) });
  }
  return values;
}

/** Tickets created in the chunk's days, joined to their metric sets one export page at a time. */
async function firstReplyTimes(
  plan: Plan,
  metric: Metric,
  days: readonly LocalDay[],
  replyTime: ReplyTimeOptions,
): Promise<CollectedValue[]> {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const start = dayInstant(first, plan.timezone);
  const end = dayInstant(addDays(last, 1), plan.timezone);
  const sums = new Map<LocalDay, RatioSum>();
  const daySet = new Set(days);
  // The chunk's tickets and the days they count on, written to the late-change index once per chunk.
  const seen = new Map<number, LocalDay[]>();
  for await (const page of plan.api.exportTickets(ticketSearchQuery(rangeTerms('created', start, end), plan.exclusions))) {
    const kept = page.filter((ticket) => !isExcludedTicket(ticket, plan.exclusions));
    const metricSets = metricsByTicketId(await plan.api.metricSets(kept.map((ticket) => ticket.id)));
    for (const ticket of kept) seen.set(ticket.id, ticketDaysNow(ticket, metricSets.get(ticket.id), plan.timezone) ?? []);
    addFirstReplies(sums, kept, metricSets, daySet, plan.exclusions, replyTime);
  }
  await rememberTicketDays(plan.run, plan.timezone, seen);
  const tickets = seen.size;
  plan.logger.debug({ metric: metric.id, from: first, to: last, tickets }, 'zendesk first reply times collected');
  return ratioValues(metric.id, days, sums);
}

/**
 * Breaches in the chunk's days, from the ticket metric events export. Events carry no assignee or group, but every
 * one names its ticket: the breached tickets are looked up (100 per call) and those of excluded owners and groups are
 * left out, as for every other support figure. Events dated after now are ignored.
 */
async function slaBreaches(
  plan: Plan,
  metric: Metric,
  days: readonly LocalDay[],
  slaMetrics: ReadonlySet<string>,
  firstReplyOnly: boolean,
): Promise<CollectedValue[]> {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const end = dayInstant(addDays(last, 1), plan.timezone);
  // Starting earlier than the first day is harmless: events outside the chunk's days are skipped.
  const start = new Date(Math.min(dayInstant(first, plan.timezone).getTime(), plan.now.getTime() - RECENT_START_MS));
  const breaches: BreachesByDay = new Map();
  const filter = { metrics: slaMetrics, firstReplyOnly, now: plan.now, timezone: plan.timezone };
  const daySet = new Set(days);
  let events = 0;
  for await (const page of plan.api.ticketMetricEvents(start, end)) {
    addBreachEvents(breaches, page, daySet, filter);
    events += page.length;
  }
  await rememberBreachDays(plan.run, plan.timezone, breachDaysByTicket(breaches));
  const { ids, warnings } = await plan.excludedIds();
  const excluded = new Set<number>();
  if (ids.owners.size > 0 || ids.groups.size > 0) {
    const breached = breachedTicketIds(breaches);
    for (let i = 0; i < breached.length; i += SHOW_MANY) {
      for (const id of excludedTicketIds(await plan.api.ticketOwners(breached.slice(i, i + SHOW_MANY)), ids)) excluded.add(id);
    }
  }
  plan.logger.debug({ metric: metric.id, from: first, to: last, events, excluded: excluded.size }, 'zendesk sla breaches collected');
  const values = breachValues(metric.id, days, breaches, excluded);
  return warnings.length > 0 ? values.map((value) => ({ ...value, warnings })) : values;
}

/**
 * The exclusions as Zendesk ids: numeric entries are ids, emails are looked up among users and group names among
 * groups. An entry that matches nothing is named in a warning (its tickets' breaches still count).
 */
async function resolveExcludedIds(api: ZendeskApi, exclusions: Exclusions): Promise<{ ids: ExcludedIds; warnings: string[] }> {
  const owners = new Set<number>();
  const groups = new Set<number>();
  const warnings: string[] = [];
  for (const entry of exclusions.owners.map((owner) => owner.trim())) {
    if (/^\d+$/.test(entry)) owners.add(Number(entry));
    else {
      const found = await api.userIdsByEmail(entry);
      if (found.length === 0) warnings.push(`excluded owner ${entry} is not a Zendesk user; breaches on their tickets cannot be left out`);
      for (const id of found) owners.add(id);
    }
  }
  const names = exclusions.groups.map((group) => group.trim()).filter((group) => !/^\d+$/.test(group));
  for (const id of exclusions.groups.filter((group) => /^\d+$/.test(group.trim()))) groups.add(Number(id));
  if (names.length > 0) {
    const all = await api.groups();
    for (const name of names) {
      const match = all.filter((group) => group.name?.trim().toLowerCase() === name.toLowerCase());
      if (match.length === 0) warnings.push(`excluded group "${name}" is not a Zendesk group; breaches on its tickets cannot be left out`);
      for (const group of match) groups.add(group.id);
    }
  }
  return { ids: { owners, groups }, warnings };
}

/** Each breached ticket's breach days: the index a later reassignment names its old days from. */
function breachDaysByTicket(breaches: BreachesByDay): Map<number, LocalDay[]> {
  const byTicket = new Map<number, LocalDay[]>();
  for (const [day, keys] of breaches) {
    for (const id of new Set(keys.values())) byTicket.set(id, [...(byTicket.get(id) ?? []), day]);
  }
  return byTicket;
}

function dayInstant(day: LocalDay, timezone: string): Date {
  return new Date(dayStart(day, timezone));
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
