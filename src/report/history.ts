import type { Metric } from '../config/schema.js';
import type { EvalContext } from '../metrics/context.js';
import { addDays, lastCompletedWeek, weekContaining } from '../metrics/periods.js';
import type { LocalDay, Week } from '../metrics/types.js';
import type { Store } from '../store/db.js';
import { firstDayOnRecord } from '../store/history.js';
import { evaluateWeek, weeklyWindow, weekFrame, type MetricWeek } from './evaluate.js';
import { loadMetricData, type LoadedData } from './metric-data.js';

/**
 * Every week of a metric on record, evaluated exactly as the weekly scorecard evaluates that week (same goal history,
 * tolerance and staleness rules), oldest first. Bounded: at most MAX_HISTORY_WEEKS back from the last completed week.
 */

export const MAX_HISTORY_WEEKS = 260;

export interface MetricHistory {
  metric: Metric;
  weeks: { week: Week; evaluated: MetricWeek }[];
}

/** The weeks from the one containing `first` to `last`, capped at `max` (the newest kept). */
export function weeksBetween(first: LocalDay, last: Week, ctx: EvalContext, max: number): Week[] {
  const weeks: Week[] = [];
  for (let week = last; weeks.length < max && week.end > first; week = weekContaining(addDays(week.start, -1), ctx.periods))
    weeks.push(week);
  return weeks.reverse();
}

/** The inputs a metric reads (a derived ratio reads two others). */
function idsOf(metric: Metric): string[] {
  const { numerator, denominator } = metric.query as { numerator?: unknown; denominator?: unknown };
  return metric.source === 'derived' && typeof numerator === 'string' && typeof denominator === 'string'
    ? [metric.id, numerator, denominator]
    : [metric.id];
}

export async function loadWeeksData(store: Store, metrics: Metric[], weeks: Week[], ctx: EvalContext): Promise<LoadedData> {
  const from = weeklyWindow(weeks[0]!, ctx.periods).from;
  return loadMetricData(store, metrics, from, weeks[weeks.length - 1]!.end);
}

export async function metricHistory(store: Store, ctx: EvalContext, metric: Metric, through?: Week): Promise<MetricHistory> {
  const last = through ?? lastCompletedWeek(ctx.now, ctx.periods);
  const first = await firstDayOnRecord(store, idsOf(metric));
  if (!first) return { metric, weeks: [] };
  const weeks = weeksBetween(first, last, ctx, MAX_HISTORY_WEEKS);
  if (weeks.length === 0) return { metric, weeks: [] };
  const loaded = await loadWeeksData(store, [metric], weeks, ctx);
  return { metric, weeks: weeks.map((week) => ({ week, evaluated: evaluateWeek(metric, loaded, weekFrame(week, ctx.periods), ctx) })) };
}
