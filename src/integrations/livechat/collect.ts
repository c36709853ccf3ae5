import { daysUpToToday } from '../source-helpers.js';
import type { Metric } from '../../config/schema.js';
import type { LocalDay } from '../../metrics/types.js';
import { addDays, dayStart, localDayOf } from '../../metrics/periods.js';
import { isSourceError, SourceError } from '../errors.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { createLivechatApi, type ClientHooks, type LivechatApi } from './client.js';
import { addBotTransfers, botAgentIds, countValues, isOpenForHumans, reportBody, timeRange, totalChatsValues } from './map.js';
import { addFirstResponses, responseValues, type ResponseSum, type ThreadResponseOptions } from './first-response.js';
import type { LivechatQuery, LivechatSettings } from './schemas.js';

/** Days per report call or archive scan: a batch is yielded per week. */
const CHUNK_DAYS = 7;

interface Bots {
  ids: Set<string>;
  warnings: string[];
}

interface Plan {
  api: LivechatApi;
  settings: LivechatSettings;
  timezone: string;
  excludedOwners: readonly string[];
  /** How first response is measured from threads: open hours of `support.business_hours`, or around the clock. */
  responseHours: Pick<ThreadResponseOptions, 'hours' | 'schedule'>;
  /** Looked up once per run, and only when a metric needs them. */
  bots: () => Promise<Bots>;
}

function planFor(ctx: SourceRun<LivechatSettings>, hooks: ClientHooks): Plan {
  const { settings } = ctx;
  const api = createLivechatApi(ctx, settings, hooks);
  let bots: Promise<Bots> | undefined;
  return {
    api,
    settings,
    timezone: ctx.config.org.timezone,
    excludedOwners: (settings.excluded_owners ?? ctx.config.support.excluded_owners).map((owner) => owner.trim()),
    responseHours: {
      hours: settings.first_response_hours ?? (ctx.config.support.business_hours ? 'schedule' : 'calendar'),
      schedule: ctx.config.support.business_hours,
    },
    bots: () => (bots ??= findBots(api, settings)),
  };
}

/** Configured bot ids, the license's bots when the token may list them, and agents holding a bot role. */
async function findBots(api: LivechatApi, settings: LivechatSettings): Promise<Bots> {
  const warnings: string[] = [];
  let discovered: { id: string }[] = [];
  if (settings.discover_bots) {
    try {
      discovered = await api.listBots();
    } catch (error) {
      if (!isSourceError(error) || (error.errorClass !== 'auth' && error.errorClass !== 'config')) throw error;
      warnings.push('could not list LiveChat bots (the token needs scope agents-bot--all:ro); only bot_agents count as bots');
    }
  }
  const agents = settings.bot_roles.length > 0 ? await api.listAgents() : [];
  return { ids: botAgentIds(settings.bot_agents, discovered, agents, settings.bot_roles), warnings };
}

export async function* collectLivechat(
  ctx: SourceRun<LivechatSettings>,
  request: SourceRequest<LivechatQuery>,
  hooks: ClientHooks,
): AsyncGenerator<CollectedValue[]> {
  const plan = planFor(ctx, hooks);
  const today = localDayOf(ctx.now, plan.timezone);
  const days = daysUpToToday(request, today);

  for (const metric of request.metrics) {
    const { query } = metric;
    if (query.kind === 'open_chats') {
      if (days.includes(today)) yield [await openChats(plan, metric, today)];
      continue;
    }
    for (let i = 0; i < days.length; i += CHUNK_DAYS) {
      const values = await collectChunk(plan, metric, query.kind, days.slice(i, i + CHUNK_DAYS));
      if (values.length > 0) yield values;
    }
  }
}

async function collectChunk(
  plan: Plan,
  metric: Metric,
  kind: 'total_chats' | 'first_response_time' | 'bot_transfers',
  days: LocalDay[],
): Promise<CollectedValue[]> {
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) return [];
  const start = dayInstant(first, plan.timezone);
  const end = dayInstant(addDays(last, 1), plan.timezone);

  if (kind === 'total_chats') {
    const report = await plan.api.totalChats(reportBody(start, end, plan.timezone, { excludedAgents: plan.excludedOwners }));
    return totalChatsValues(metric.id, days, report);
  }
  if (kind === 'first_response_time') {
    // From the chat threads, not the reports API: it measures calendar time only, and its "first response not by a
    // bot" filter drops every chat a bot answered first. Here bot messages are skipped and the human reply counts.
    const bots = plan.settings.exclude_bot_first_responses ? await plan.bots() : { ids: new Set<string>(), warnings: [] };
    if (plan.responseHours.hours === 'schedule' && !plan.responseHours.schedule) {
      throw new SourceError('config', 'livechat', 'first_response_hours: schedule needs support.business_hours');
    }
    const options: ThreadResponseOptions = {
      ...plan.responseHours,
      bots: bots.ids,
      excludedOwners: new Set(plan.excludedOwners),
      timezone: plan.timezone,
    };
    const sums = new Map<LocalDay, ResponseSum>();
    const daySet = new Set(days);
    for await (const page of plan.api.listArchives(timeRange(start, end, plan.timezone))) addFirstResponses(sums, page, daySet, options);
    return withWarnings(responseValues(metric.id, days, sums), bots.warnings);
  }
  const bots = await plan.bots();
  const counts = new Map<LocalDay, number>();
  const daySet = new Set(days);
  for await (const page of plan.api.listArchives(timeRange(start, end, plan.timezone))) {
    addBotTransfers(counts, page, daySet, bots.ids, plan.timezone, new Set(plan.excludedOwners));
  }
  const warnings =
    bots.ids.size === 0
      ? [...bots.warnings, 'no bot agents known (set sources.livechat.bot_agents): no transfers can be seen']
      : bots.warnings;
  return withWarnings(countValues(metric.id, days, counts), warnings);
}

async function openChats(plan: Plan, metric: Metric, today: LocalDay): Promise<CollectedValue> {
  const bots = await plan.bots();
  const ignored = new Set([...bots.ids, ...plan.excludedOwners]);
  let open = 0;
  let truncated = false;
  for await (const page of plan.api.listChats(plan.settings.open_chats_max_pages)) {
    open += page.chats.filter((chat) => isOpenForHumans(chat, ignored)).length;
    truncated = page.more;
  }
  const warnings = truncated
    ? [
        ...bots.warnings,
        `counted the newest ${plan.settings.open_chats_max_pages * 100} chats only (sources.livechat.open_chats_max_pages)`,
      ]
    : bots.warnings;
  const [value] = withWarnings([{ metricId: metric.id, day: today, value: open }], warnings);
  return value!;
}

function withWarnings(values: CollectedValue[], warnings: readonly string[]): CollectedValue[] {
  return warnings.length > 0 ? values.map((value) => ({ ...value, warnings: [...warnings] })) : values;
}

function dayInstant(day: LocalDay, timezone: string): Date {
  return new Date(dayStart(day, timezone));
}
