import { metricsWithIds } from '../config/metric-ids.js';
import type { Metric } from '../config/schema.js';
import type { Week } from '../metrics/types.js';
import { metricsOf } from '../metrics/catalog.js';
import type { Store } from '../store/db.js';
import { listMetricFailures } from '../store/metric-failures.js';
import { latestQuarterDeals } from '../store/quarter-deals.js';
import { buildQuarterDeals, quarterDealsConfigured, quarterDealsWindow, type QuarterDeals } from './quarter-deals.js';
import { loadMetricData } from './metric-data.js';
import { buildDailyDigest, dailyWindow, type DailyDigest, type DailyKind } from './daily.js';
import { weeklyWindow } from './evaluate.js';
import { answerWindow, buildMetricAnswer, type MetricAnswer } from './metric-answer.js';
import { buildWeeklyScorecard, type WeeklyScorecard } from './weekly.js';
import type { EvalContext } from '../metrics/context.js';

/**
 * The thin I/O edge of the digests: one bounded range read per view (the trend and quarter window), then pure
 * view-model functions. Cost grows with metrics × weeks shown, never with the length of the history.
 */

export async function weeklyScorecard(store: Store, ctx: EvalContext, week: Week): Promise<WeeklyScorecard & { rowsRead: number }> {
  const metrics = metricsOf(ctx.config).filter((m) => m.cadence.includes('weekly'));
  const { from, to } = weeklyWindow(week, ctx.periods);
  const [loaded, quarterDeals] = await Promise.all([loadMetricData(store, metrics, from, to), weekQuarterDeals(store, ctx, week)]);
  return { ...buildWeeklyScorecard(week, loaded, ctx), quarterDeals, rowsRead: loaded.rowsRead };
}

/** The quarter deals summary for the week's quarter: one indexed read of its newest snapshot, null without HubSpot. */
export async function weekQuarterDeals(store: Store, ctx: EvalContext, week: Week): Promise<QuarterDeals | null> {
  if (!quarterDealsConfigured(ctx)) return null;
  const { quarter, beforeDay } = quarterDealsWindow(week);
  return buildQuarterDeals(week, await latestQuarterDeals(store, quarter.label, beforeDay), ctx);
}

export async function dailyDigest(store: Store, ctx: EvalContext, kind: DailyKind): Promise<DailyDigest> {
  const metrics = metricsWithIds(ctx.config, ctx.config.digests[kind]);
  const { from, to } = dailyWindow(ctx.now, ctx.periods.timezone);
  const loaded = await loadMetricData(store, metrics, from, to);
  return buildDailyDigest(kind, loaded, ctx);
}

export async function metricAnswer(
  store: Store,
  ctx: EvalContext,
  metric: Metric,
  week: Week,
  explicitPeriod: boolean,
): Promise<MetricAnswer> {
  const { from, to } = answerWindow(week, ctx);
  const [loaded, failures] = await Promise.all([loadMetricData(store, [metric], from, to), listMetricFailures(store, [metric.id])]);
  const answer = buildMetricAnswer(metric, week, loaded, ctx, explicitPeriod);
  const failure = failures[0];
  return failure
    ? { ...answer, refresh_failure: { error_class: failure.error_class, error: failure.error, failed_at: failure.failed_at } }
    : answer;
}
