import type { Goal, Metric } from '../config/schema.js';
import type { Aggregated, LocalDay, PeriodSettings, Status, Week } from '../metrics/types.js';
import { aggregate, aggregateWeeks } from '../metrics/aggregate.js';
import { goalFor, describeGoal } from '../metrics/goals.js';
import { evaluateStatus, staleHours } from '../metrics/status.js';
import { formatValue } from '../metrics/format.js';
import { sparkline } from '../metrics/trend.js';
import { quarterWeeks, trailingWeeks } from '../metrics/periods.js';
import { aggregateRange, daysWithin, type LoadedData, type MetricData } from './metric-data.js';
import type { EvalContext } from '../metrics/context.js';

export const TREND_WEEKS = 13;

/** A week with the weeks its row shows: the 13-week trend (ending with it) and its quarter so far. Computed once per view. */
export interface WeekFrame {
  week: Week;
  trend: Week[];
  quarter: Week[];
}

export function weekFrame(week: Week, periods: PeriodSettings): WeekFrame {
  return { week, trend: trailingWeeks(week, TREND_WEEKS, periods), quarter: quarterWeeks(week, periods) };
}

/** The range of local days a weekly view of `week` reads: the trend and the quarter, whichever starts first. */
export function weeklyWindow(week: Week, periods: PeriodSettings): { from: LocalDay; to: LocalDay } {
  const frame = weekFrame(week, periods);
  const first = [frame.trend[0]!, frame.quarter[0]!].reduce((a, b) => (a.start < b.start ? a : b));
  return { from: first.start, to: frame.week.end };
}

export type Connection = 'connected' | 'not_connected' | 'manual';

export interface Figure {
  value: number | null;
  text: string;
}

export interface MetricWeek {
  metric: Metric;
  connection: Connection;
  goal: Goal | undefined;
  goalText: string;
  thisWeek: Figure & { aggregated: Aggregated };
  lastWeek: Figure;
  qtdAvg: Figure;
  trend: (number | null)[];
  /** What the goal alone said of each trend week (no staleness), oldest first; the last is this week's basis. */
  trendBasis: Status['basis'][];
  /** The goal of each trend week (goals change over time), oldest first. */
  trendGoals: (Goal | undefined)[];
  sparkline: string;
  status: Status;
  asOf: string | null;
  source: string | null;
  warnings: string[];
}

const EMPTY: MetricData = { days: [], asOf: null, source: null, warnings: [] };

/**
 * The data's age when it is stale, else null: older than the metric's `freshness_hours`, or judged stale by its
 * source (a bank balance past SimpleFIN's `stale_balance_hours`), whose own limit wins whatever the metric says.
 */
export function staleAge(metric: Metric, data: MetricData, ctx: EvalContext, periodEnd: string): number | null {
  if (metric.source === 'manual') return null;
  const freshness = data.staleBecause ? 0 : (metric.freshness_hours ?? ctx.config.defaults.freshness_hours);
  return staleHours(data.asOf, ctx.now, freshness, periodEnd);
}

/** A stale status says the source's reason too, which names what is old and how old. */
export function withSourceVerdict(status: Status, data: MetricData): Status {
  return status.kind === 'stale' && data.staleBecause ? { ...status, reason: `${status.reason} (${data.staleBecause})` } : status;
}

export function connectionOf(metric: Metric, ctx: EvalContext): Connection {
  if (metric.source === 'manual') return 'manual';
  return ctx.isConnected(metric) ? 'connected' : 'not_connected';
}

/**
 * How a value is shown; a stock ratio with nothing flowing (runway with no sends) reads "∞ (no sends)". A rate
 * whose source is current but had nothing to divide (no ticket closed, no hour worked) reads "no activity".
 */
export function displayValue(agg: Aggregated, metric: Metric, current = false): string {
  if (agg.value === null && (agg.numerator ?? 0) > 0 && agg.denominator === 0) return '∞ (no sends)';
  if (agg.value === null && current && metric.aggregate === 'ratio' && metric.source !== 'derived') return 'no activity';
  return formatValue(agg.value, metric.unit);
}

function lastGoodStock(current: Aggregated, data: MetricData, metric: Metric, weekStart: LocalDay): Aggregated {
  if (metric.aggregate !== 'last' || current.value !== null || data.derived) return current;
  const before = daysWithin(data.days, '0000-01-01', weekStart).at(-1);
  return before ? aggregate([before], 'last', metric.unit) : current;
}

/** Pass a WeekFrame when evaluating many metrics for one week; a bare Week computes its frame. */
export function evaluateWeek(metric: Metric, loaded: LoadedData, at: WeekFrame | Week, ctx: EvalContext): MetricWeek {
  const frame = 'trend' in at ? at : weekFrame(at, ctx.periods);
  const { week } = frame;
  const data = loaded.byMetric.get(metric.id) ?? EMPTY;
  const changes = loaded.goalChanges.get(metric.id) ?? [];
  const weekly = frame.trend.map((w) => aggregateRange(data, metric, w.start, w.end));
  // A stock with no snapshot this week (its source down since before the week) keeps its newest earlier one, which
  // shows stale with its age rather than a blank.
  const current = lastGoodStock(weekly[weekly.length - 1]!, data, metric, week.start);
  const previous = weekly[weekly.length - 2] ?? aggregate([], metric.aggregate, metric.unit);
  const quarter = frame.quarter.map((w) => aggregateRange(data, metric, w.start, w.end));
  const qtd = aggregateWeeks(
    quarter.filter((q) => q.days > 0),
    metric.aggregate,
    metric.unit,
  );

  const goal = goalFor(metric, week, changes);
  const statusOf = (value: number | null, weekGoal: Goal | undefined, stale: number | null) =>
    evaluateStatus({
      value,
      goal: weekGoal,
      unit: metric.unit,
      tolerancePct: ctx.config.defaults.tolerance_pct,
      toleranceAbsForZero: ctx.config.defaults.tolerance_abs_for_zero,
      staleHours: stale,
    });
  // Each week against the goal of that week, so a streak of reds is not rewritten by a later goal change.
  const trendGoals = frame.trend.map((w) => goalFor(metric, w, changes));
  const trendBasis = frame.trend.map((_, i) => statusOf(weekly[i]!.value, trendGoals[i], null).basis);
  const connection = connectionOf(metric, ctx);
  const stale = staleAge(metric, data, ctx, week.endAt);
  let status = withSourceVerdict(statusOf(current.value, goal, stale), data);
  if (current.value === null && connection === 'not_connected')
    status = { ...status, reason: `not connected: ${metric.source} has no credentials` };

  return {
    metric,
    connection,
    goal,
    goalText: goal ? describeGoal(goal, metric.unit) : '—',
    thisWeek: { value: current.value, text: displayValue(current, metric, data.asOf !== null && stale === null), aggregated: current },
    lastWeek: { value: previous.value, text: displayValue(previous, metric) },
    qtdAvg: { value: qtd, text: formatValue(qtd, metric.unit) },
    trend: weekly.map((w) => w.value),
    trendBasis,
    trendGoals,
    sparkline: sparkline(weekly.map((w) => w.value)),
    status,
    asOf: data.asOf,
    source: data.source,
    warnings: data.warnings,
  };
}
