import type { Logger } from 'pino';
import type { Metric } from '../../config/schema.js';
import type { LocalDay } from '../../metrics/types.js';
import { addDays, dayStart, daysInRange, earlierDay, localDayOf } from '../../metrics/periods.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { createZendeskApi, type ClientHooks, type ZendeskApi } from './client.js';
import {
  addFirstReplies,
  addSlaBreaches,
  breachCountValues,
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

/** Days per search export run: bounds memory (only per-day sums are kept) and yields a batch per week. */
const CHUNK_DAYS = 7;

/** Zendesk refuses an incremental export `start_time` under a few minutes old ("Too recent start_time"). */
const RECENT_START_MS = 5 * 60_000;

interface Plan {
  api: ZendeskApi;
  settings: ZendeskSettings;
  timezone: string;
  exclusions: Exclusions;
  replyTime: ReplyTimeOptions;
  logger: Logger;
  now: Date;
}

function planFor(ctx: SourceRun<ZendeskSettings>, hooks: ClientHooks): Plan {
  const { settings } = ctx;
  const schedule = settings.business_hours ?? ctx.config.support.business_hours;
  return {
    api: createZendeskApi(ctx, settings, hooks),
    settings,
    timezone: ctx.config.org.timezone,
    exclusions: { owners: settings.excluded_owners ?? ctx.config.support.excluded_owners, groups: settings.excluded_groups },
    replyTime: { mode: settings.minutes ?? (schedule ? 'schedule' : 'calendar'), schedule, timezone: ctx.config.org.timezone },
    logger: ctx.logger.child({ source: 'zendesk' }),
    now: ctx.now,
  };
}

export async function* collectZendesk(
  ctx: SourceRun<ZendeskSettings>,
  request: SourceRequest<ZendeskQuery>,
  hooks: ClientHooks,
): AsyncGenerator<CollectedValue[]> {
  const plan = planFor(ctx, hooks);
  const today = localDayOf(ctx.now, plan.timezone);
  // Days after today have not happened: nothing is stored for them.
  const lastDay = earlierDay(request.to, today);
  const days = request.from <= lastDay ? daysInRange(request.from, addDays(lastDay, 1)) : [];

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
        for (const chunk of chunked(days, CHUNK_DAYS)) yield await slaBreaches(plan, metric, chunk, slaMetrics);
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
  let tickets = 0;
  for await (const page of plan.api.exportTickets(ticketSearchQuery(rangeTerms('created', start, end), plan.exclusions))) {
    const kept = page.filter((ticket) => !isExcludedTicket(ticket, plan.exclusions));
    const metricSets = await plan.api.metricSets(kept.map((ticket) => ticket.id));
    addFirstReplies(sums, kept, metricsByTicketId(metricSets), daySet, plan.exclusions, replyTime);
    tickets += kept.length;
  }
  plan.logger.debug({ metric: metric.id, from: first, to: last, tickets }, 'zendesk first reply times collected');
  return ratioValues(metric.id, days, sums);
}

/**
 * Breaches in the chunk's days, from the ticket metric events export. The events carry no group or assignee,
 * so the support exclusions cannot apply here: breaches on every ticket count.
 */
async function slaBreaches(
  plan: Plan,
  metric: Metric,
  days: readonly LocalDay[],
  slaMetrics: ReadonlySet<string>,
): Promise<CollectedValue[]> {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const end = dayInstant(addDays(last, 1), plan.timezone);
  // Starting earlier than the first day is harmless: events outside the chunk's days are skipped.
  const start = new Date(Math.min(dayInstant(first, plan.timezone).getTime(), plan.now.getTime() - RECENT_START_MS));
  const breaches = new Map<LocalDay, Set<string>>();
  const daySet = new Set(days);
  let events = 0;
  for await (const page of plan.api.ticketMetricEvents(start, end)) {
    addSlaBreaches(breaches, page, daySet, slaMetrics, plan.timezone);
    events += page.length;
  }
  plan.logger.debug({ metric: metric.id, from: first, to: last, events }, 'zendesk sla breaches collected');
  return breachCountValues(metric.id, days, breaches);
}

function dayInstant(day: LocalDay, timezone: string): Date {
  return new Date(dayStart(day, timezone));
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
