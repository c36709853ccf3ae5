import type { Goal, Metric } from '../config/schema.js';
import type { LocalDay, StatusKind, Week } from '../metrics/types.js';
import { addDays, laterDay, lastCompletedWeek, localDayOf, weekContaining } from '../metrics/periods.js';
import { formatValue } from '../metrics/format.js';
import { aggregateRange, type LoadedData } from './metric-data.js';
import { displayValue, evaluateWeek, weekFrame, weeklyWindow } from './evaluate.js';
import { lastDayOf } from './weekly.js';
import { buildDailyItem } from './daily.js';
import type { EvalContext } from '../metrics/context.js';

/** The one answer behind `/metric` and `scorecard metric`: figure, goal, status and why, trend, freshness, definition. */
export interface MetricAnswer {
  metric: string;
  name: string;
  unit: Metric['unit'];
  period: string;
  period_range: { start: LocalDay; end: LocalDay; timezone: string };
  value: number | null;
  value_text: string;
  /** The goal for the period, structured; `goal_text` is how it reads ("≥ 125"). */
  goal: Goal | null;
  goal_text: string | null;
  status: StatusKind;
  reason: string;
  last_week: { period: string; value: number | null; text: string };
  week_to_date: { period: string; value: number | null; text: string } | null;
  qtd_avg: { value: number | null; text: string };
  /** The 13 weeks ending with the period; `goals` is each week's goal (a chart's second series). */
  trend: { weeks: string[]; values: (number | null)[]; goals: (Goal | null)[]; sparkline: string };
  as_of: string | null;
  source: string;
  connection: string;
  owner: string | null;
  owner_name: string | null;
  definition: string;
  why: string;
  calculation: string;
  edge_cases: string | null;
  caveat: string | null;
  warnings: string[];
  /** Why this metric's last refresh failed while its source's others refreshed; null when it did not. */
  refresh_failure: { error_class: string; error: string; failed_at: string } | null;
}

/** Which week a question is about when none is given: the last completed week, as on the scorecard. */
export function defaultWeek(ctx: EvalContext): Week {
  return lastCompletedWeek(ctx.now, ctx.periods);
}

export function answerWindow(week: Week, ctx: EvalContext): { from: LocalDay; to: LocalDay } {
  const { from } = weeklyWindow(week, ctx.periods);
  // Reach to today, for the week-to-date figure and the newest snapshot of a stock.
  const today = localDayOf(ctx.now, ctx.periods.timezone);
  const to = laterDay(addDays(today, 1), week.end);
  return { from, to };
}

/**
 * `explicitPeriod` false means "how are we doing": a stock (cash, open tickets) then answers with its newest snapshot
 * today, a flow with the last completed week; an explicit week always answers for that week.
 */
export function buildMetricAnswer(metric: Metric, week: Week, loaded: LoadedData, ctx: EvalContext, explicitPeriod: boolean): MetricAnswer {
  const frame = weekFrame(week, ctx.periods);
  const trendLabels = frame.trend.map((w) => w.label);
  const evaluated = evaluateWeek(metric, loaded, frame, ctx);
  const data = loaded.byMetric.get(metric.id);
  const today = localDayOf(ctx.now, ctx.periods.timezone);
  const current = weekContaining(today, ctx.periods);
  const wtd = data && current.start === week.end ? aggregateRange(data, metric, current.start, current.end) : null;
  const previousLabel = trendLabels[trendLabels.length - 2] ?? '';
  const snapshot = !explicitPeriod && metric.aggregate === 'last' ? buildDailyItem(metric, loaded, ctx) : null;

  return {
    metric: metric.id,
    name: metric.name,
    unit: metric.unit,
    period: snapshot ? today : week.label,
    period_range: snapshot
      ? { start: today, end: today, timezone: week.timezone }
      : { start: week.start, end: lastDayOf(week), timezone: week.timezone },
    value: snapshot ? snapshot.value : evaluated.thisWeek.value,
    value_text: snapshot ? snapshot.text : evaluated.thisWeek.text,
    goal: evaluated.goal ?? null,
    goal_text: evaluated.goal ? evaluated.goalText : null,
    status: snapshot ? snapshot.status : evaluated.status.kind,
    reason: snapshot ? snapshot.reason : evaluated.status.reason,
    last_week: { period: previousLabel, value: evaluated.lastWeek.value, text: evaluated.lastWeek.text },
    week_to_date: wtd ? { period: current.label, value: wtd.value, text: displayValue(wtd, metric) } : null,
    qtd_avg: { value: evaluated.qtdAvg.value, text: formatValue(evaluated.qtdAvg.value, metric.unit) },
    trend: {
      weeks: trendLabels,
      values: evaluated.trend,
      goals: evaluated.trendGoals.map((g) => g ?? null),
      sparkline: evaluated.sparkline,
    },
    as_of: evaluated.asOf,
    source: metric.source,
    connection: evaluated.connection,
    owner: metric.owner ?? null,
    owner_name: metric.owner_name ?? null,
    definition: metric.definition,
    why: metric.why,
    calculation: metric.calculation,
    edge_cases: metric.edge_cases ?? null,
    caveat: metric.caveat ?? null,
    warnings: evaluated.warnings,
    refresh_failure: null,
  };
}
