import { daysUpToToday } from '../source-helpers.js';
import type { Metric } from '../../config/schema.js';
import type { LocalDay } from '../../metrics/types.js';
import { addDays, dayStart, localDayOf } from '../../metrics/periods.js';
import type { CollectedValue, SourceContext, SourceRequest, SourceRun } from '../source.js';
import { createIntercomApi, type ClientHooks, type IntercomApi } from './client.js';
import {
  addConversations,
  breachValues,
  createdBetweenQuery,
  createdValues,
  emptySums,
  firstResponseValues,
  openConversationsQuery,
  openStates,
  resolveAdminIds,
  type ConversationFilters,
  type DailySums,
  type ResponseTimeOptions,
} from './map.js';
import type { IntercomQuery, IntercomSettings } from './schemas.js';

/** Days per search scan: memory stays at per-day sums and a batch is yielded per week. */
const CHUNK_DAYS = 7;

interface Plan {
  api: IntercomApi;
  timezone: string;
  filters: ConversationFilters;
  responseTime: ResponseTimeOptions;
  includeSnoozed: boolean;
  /** Shown on every value: exclusions that could not be applied. */
  warnings: string[];
}

async function planFor(ctx: SourceContext, settings: IntercomSettings, api: IntercomApi): Promise<Plan> {
  const owners = settings.excluded_owners ?? ctx.config.support.excluded_owners;
  // GET /admins only when an exclusion is given by email.
  const admins = owners.some((owner) => !/^\d+$/.test(owner.trim())) ? await api.admins() : [];
  const { ids, unknown } = resolveAdminIds(owners, admins);
  for (const botId of settings.bot_admin_ids) ids.add(botId.trim());
  const schedule = settings.business_hours ?? ctx.config.support.business_hours;
  return {
    api,
    timezone: ctx.config.org.timezone,
    filters: { excludedAdminIds: ids, excludeAiAgentConversations: settings.exclude_ai_agent_conversations, now: ctx.now },
    responseTime: {
      mode: settings.response_time ?? (schedule ? 'schedule' : 'calendar'),
      schedule,
      timezone: ctx.config.org.timezone,
    },
    includeSnoozed: settings.include_snoozed,
    warnings: unknown.map((email) => `excluded teammate ${email} is not an Intercom admin; not excluded`),
  };
}

export async function* collectIntercom(
  ctx: SourceRun<IntercomSettings>,
  request: SourceRequest<IntercomQuery>,
  hooks: ClientHooks,
): AsyncGenerator<CollectedValue[]> {
  const { settings } = ctx;
  const plan = await planFor(ctx, settings, createIntercomApi(ctx, settings, hooks));
  const today = localDayOf(ctx.now, plan.timezone);
  const days = daysUpToToday(request, today);
  const withWarnings = (values: CollectedValue[]) =>
    plan.warnings.length > 0 ? values.map((value) => ({ ...value, warnings: plan.warnings })) : values;

  const scanned: { metric: Metric; query: Exclude<IntercomQuery, { kind: 'open_conversations' }> }[] = [];
  for (const metric of request.metrics) {
    const { query } = metric;
    if (query.kind === 'open_conversations') {
      if (days.includes(today)) yield withWarnings([await openConversations(plan, metric, today)]);
    } else {
      scanned.push({ metric, query });
    }
  }
  if (scanned.length === 0) return;

  // One search scan per week of days feeds every conversation-based metric.
  for (let i = 0; i < days.length; i += CHUNK_DAYS) {
    const chunk = days.slice(i, i + CHUNK_DAYS);
    const sums = await scanChunk(
      plan,
      chunk,
      scanned.map(({ query }) => responseOptions(plan, query)),
    );
    const values = scanned.flatMap(({ metric, query }, index) => {
      const metricSums = sums[index] ?? emptySums();
      if (query.kind === 'conversations') return createdValues(metric.id, chunk, metricSums);
      if (query.kind === 'sla_breaches') return breachValues(metric.id, chunk, metricSums);
      return firstResponseValues(metric.id, chunk, metricSums);
    });
    if (values.length > 0) yield withWarnings(values);
  }
}

function responseOptions(plan: Plan, query: IntercomQuery): ResponseTimeOptions {
  return query.kind === 'first_response' && query.response_time ? { ...plan.responseTime, mode: query.response_time } : plan.responseTime;
}

async function scanChunk(plan: Plan, days: readonly LocalDay[], options: readonly ResponseTimeOptions[]): Promise<DailySums[]> {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const query = createdBetweenQuery(dayInstant(first, plan.timezone), dayInstant(addDays(last, 1), plan.timezone));
  const sums = options.map(() => emptySums());
  const daySet = new Set(days);
  for await (const page of plan.api.searchConversations(query)) {
    for (const [index, option] of options.entries()) addConversations(sums[index]!, page, daySet, plan.filters, option);
  }
  return sums;
}

/** Open conversations now, minus those assigned to excluded teammates (exact, unlike a NIN filter on a nullable field). */
/** Open (and, by default, snoozed) conversations now, minus those assigned to excluded teammates, state by state. */
async function openConversations(plan: Plan, metric: Metric, today: LocalDay): Promise<CollectedValue> {
  let count = 0;
  for (const state of openStates(plan.includeSnoozed)) {
    count += await plan.api.countConversations(openConversationsQuery(undefined, state));
    for (const adminId of plan.filters.excludedAdminIds) {
      count -= await plan.api.countConversations(openConversationsQuery(adminId, state));
    }
  }
  return { metricId: metric.id, day: today, value: Math.max(0, count) };
}

function dayInstant(day: LocalDay, timezone: string): Date {
  return new Date(dayStart(day, timezone));
}
