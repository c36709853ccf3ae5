import { errorMessage } from '../errors.js';
import type { WebClient } from '@slack/web-api';
import type { Metric } from '../config/schema.js';
import { metricById, metricsOf } from '../metrics/catalog.js';
import { isManualMetric } from '../metrics/entry-validation.js';
import { lastCompletedWeek, weekOfInstant } from '../metrics/periods.js';
import { loadMetricData } from '../report/metric-data.js';
import { evaluateWeek, weeklyWindow } from '../report/evaluate.js';
import { lastDayOf } from '../report/weekly.js';
import type { HomeEntryRow, HomeModel } from './views/home.js';
import { recentEntriesByUser } from '../store/manual-entries.js';
import { getSourceHealth } from '../store/source-health.js';
import type { ManualEntryRow } from '../store/types.js';
import { canSeeMetric, isAdmin, isPerson, ownsMetric, type Identity } from './access.js';
import { evalContextOf, whoIs, type BotDeps } from './deps.js';

const RECENT_ENTRIES = 10;

/** Entries count for a Slack id, or for an email when logged from the CLI; both are this person's. */
async function recentEntriesOf(deps: BotDeps, who: Identity): Promise<ManualEntryRow[]> {
  const lists = await Promise.all([who.userId, ...who.emails].map((id) => recentEntriesByUser(deps.runtime.store, id, RECENT_ENTRIES)));
  return lists
    .flat()
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id)
    .slice(0, RECENT_ENTRIES);
}

/** The metrics someone owns, plus manual ones they have been logging for (a rep logging a team number). */
function homeMetrics(deps: BotDeps, who: Identity, entries: ManualEntryRow[]): Metric[] {
  const { config } = deps.runtime;
  const logged = new Set(entries.map((e) => e.metric_id));
  return metricsOf(config).filter((m) => ownsMetric(m, who) || (logged.has(m.id) && isManualMetric(m)));
}

export async function buildHomeModel(deps: BotDeps, userId: string): Promise<HomeModel> {
  const { config, store } = deps.runtime;
  const who = whoIs(deps, userId);
  const ctx = evalContextOf(deps);
  const week = weekOfInstant(ctx.now, ctx.periods);
  const entries = await recentEntriesOf(deps, who);
  const metrics = homeMetrics(deps, who, entries);
  const { from } = weeklyWindow(week, ctx.periods);
  const loaded = await loadMetricData(store, metrics, from, week.end);

  const lastWeek = lastCompletedWeek(ctx.now, ctx.periods);
  const rows = metrics.map((metric) => {
    const evaluated = evaluateWeek(metric, loaded, week, ctx);
    // The colour judges the last completed week: a week in progress measured against a whole week's goal reads red
    // every Monday. The week so far is shown as a figure only.
    const judged = evaluateWeek(metric, loaded, lastWeek, ctx);
    return {
      id: metric.id,
      name: metric.name,
      thisWeek: evaluated.thisWeek.text,
      lastWeek: evaluated.lastWeek.text,
      goal: judged.goalText,
      status: judged.status.kind,
      reason: judged.status.reason,
      restricted: !canSeeMetric(config, metric, who),
    };
  });
  const entryRows: HomeEntryRow[] = entries.map((entry) => {
    const metric = metricById(config, entry.metric_id);
    return {
      id: entry.id,
      metricId: entry.metric_id,
      metricName: metric?.name ?? entry.metric_id,
      unit: metric?.unit ?? 'count',
      day: entry.day,
      value: entry.value,
      note: entry.note,
      createdAt: entry.created_at,
      enteredBy: isPerson(entry.entered_by, who) ? null : entry.entered_by,
    };
  });
  const health = isAdmin(config, who)
    ? (await getSourceHealth(store)).map((h) => ({
        source: h.source,
        lastSuccessAt: h.last_success_at,
        consecutiveFailures: h.consecutive_failures,
        lastErrorClass: h.last_error_class,
      }))
    : null;

  return {
    userId,
    now: ctx.now,
    week: { label: week.label, start: week.start, lastDay: lastDayOf(week), timezone: week.timezone },
    metrics: rows,
    entries: entryRows,
    health,
  };
}

/** Learns the user's email once (owners and admins may be given as emails), then publishes their Home tab. */
export async function publishHome(deps: BotDeps, client: WebClient, userId: string, notice?: string): Promise<void> {
  if (!deps.learntEmails.has(userId)) {
    try {
      const info = await client.users.info({ user: userId });
      const email = info.user?.profile?.email;
      if (email) deps.learntEmails.set(userId, email);
    } catch (error) {
      // Without users:read.email (or for a guest) ids alone still work.
      deps.runtime.logger.debug({ err: errorMessage(error) }, 'users.info for the Home tab failed');
    }
  }
  const email = deps.learntEmails.get(userId);
  // The store reads and the blocks happen on the Home thread (deps.homes); only the publish is made from here.
  const view = await deps.homes.render({
    userId,
    nowIso: deps.now().toISOString(),
    ...(email ? { email } : {}),
    ...(notice ? { notice } : {}),
  });
  await client.views.publish({ user_id: userId, view });
}
