import { metricsWithIds } from '../config/metric-ids.js';
import type { Goal, Metric } from '../config/schema.js';
import type { Aggregated, DayValue, LocalDay, StatusKind } from '../metrics/types.js';
import { aggregate } from '../metrics/aggregate.js';
import { describeGoal, goalFor } from '../metrics/goals.js';
import { evaluateStatus } from '../metrics/status.js';
import { formatDelta } from '../metrics/format.js';
import { addDays, localDayOf, weekContaining } from '../metrics/periods.js';
import { aggregateRange, daysWithin, type LoadedData, type MetricData } from './metric-data.js';
import { connectionOf, displayValue, staleAge, withSourceVerdict, type Connection } from './evaluate.js';
import type { EvalContext } from '../metrics/context.js';
import { dayLabel } from './text.js';

export type DailyKind = 'cash' | 'support';

export interface DailyItem {
  id: string;
  name: string;
  unit: Metric['unit'];
  /** `now` for stocks (latest snapshot), `yesterday` for flows. */
  window: 'now' | 'yesterday';
  /**
   * The local day the figure is for: the snapshot's day (stocks); yesterday or, when a source outage left yesterday
   * without data, the newest day that has some (flows), so a failing source never blanks the figure.
   */
  day: LocalDay | null;
  value: number | null;
  text: string;
  /** Stocks: change vs yesterday's and vs 7 days ago's snapshot. Flows: the trailing 7 days. */
  vsYesterday: string | null;
  vs7Days: string | null;
  last7Days: string | null;
  goal: string;
  /** The goal, structured (`--json` prints it as `goal`, the text as `goal_text`); null without one. */
  goalSpec: Goal | null;
  status: StatusKind;
  reason: string;
  asOf: string | null;
  connection: Connection;
  warnings: string[];
  caveat: string | null;
}

export interface DailyDigest {
  kind: DailyKind;
  org: string;
  title: string;
  period: { today: LocalDay; yesterday: LocalDay; timezone: string; generatedAt: string };
  items: DailyItem[];
}

const EMPTY: MetricData = { days: [], asOf: null, source: null, warnings: [] };

/** The newest snapshot on or before `day`: stocks are snapshots, so "yesterday's cash" is the newest ≤ yesterday. */
function snapshotOnOrBefore(days: DayValue[], day: LocalDay): DayValue | undefined {
  return daysWithin(days, '0000-01-01', addDays(day, 1)).at(-1);
}

/**
 * "+$528 vs yesterday": the newest snapshot against the newest one on or before `day`. When no snapshot is newer than
 * that day (a stale source), both are the same snapshot and there is no change to tell, so null ("—"), never "0".
 */
function changeSince(latest: DayValue | undefined, days: DayValue[], day: LocalDay, metric: Metric): string | null {
  const earlier = snapshotOnOrBefore(days, day);
  if (!latest || !earlier || earlier.day >= latest.day) return null;
  const a = aggregate([latest], 'last', metric.unit).value;
  const b = aggregate([earlier], 'last', metric.unit).value;
  return a === null || b === null ? null : formatDelta(a, b, metric.unit);
}

/** The days a daily digest reads: 8 days back is enough for "vs 7 days ago" and the trailing week. */
export function dailyWindow(now: Date, timezone: string): { from: LocalDay; to: LocalDay } {
  const today = localDayOf(now, timezone);
  return { from: addDays(today, -8), to: addDays(today, 1) };
}

export function buildDailyItem(metric: Metric, loaded: LoadedData, ctx: EvalContext): DailyItem {
  const data = loaded.byMetric.get(metric.id) ?? EMPTY;
  const today = localDayOf(ctx.now, ctx.periods.timezone);
  const yesterday = addDays(today, -1);
  const week = weekContaining(today, ctx.periods);
  const goal = goalFor(metric, week, loaded.goalChanges.get(metric.id) ?? []);
  const isStock = metric.aggregate === 'last';
  const nowIso = ctx.now.toISOString();

  let primary: Aggregated;
  let judged: Aggregated;
  let day: LocalDay | null = null;
  let vsYesterday: string | null = null;
  let vs7Days: string | null = null;
  let last7Days: string | null = null;
  if (isStock) {
    const latest = snapshotOnOrBefore(data.days, today);
    primary = aggregate(latest ? [latest] : [], 'last', metric.unit);
    judged = primary;
    day = latest?.day ?? null;
    vsYesterday = changeSince(latest, data.days, yesterday, metric);
    vs7Days = changeSince(latest, data.days, addDays(today, -7), metric);
  } else {
    // Yesterday without data (the source was down): the newest day that has data stands in, labelled with its day.
    const newest = snapshotOnOrBefore(data.days, yesterday);
    const shown = newest?.day ?? yesterday;
    day = newest?.day ?? null;
    primary = aggregateRange(data, metric, shown, addDays(shown, 1));
    const trailing = aggregateRange(data, metric, addDays(today, -7), today);
    last7Days = displayValue(trailing, metric);
    // Weekly goals on flows (≥ 125 dials) only make sense against a week of activity; rates compare day by day.
    judged = metric.aggregate === 'sum' ? trailing : primary;
  }

  const stale = staleAge(metric, data, ctx, nowIso);
  const status = withSourceVerdict(
    evaluateStatus({
      value: judged.value,
      goal,
      unit: metric.unit,
      tolerancePct: ctx.config.defaults.tolerance_pct,
      toleranceAbsForZero: ctx.config.defaults.tolerance_abs_for_zero,
      staleHours: stale,
    }),
    data,
  );
  const connection = connectionOf(metric, ctx);
  const reason =
    primary.value === null && connection === 'not_connected' ? `not connected: ${metric.source} has no credentials` : status.reason;

  return {
    id: metric.id,
    name: metric.name,
    unit: metric.unit,
    window: isStock ? 'now' : 'yesterday',
    day,
    value: primary.value,
    text:
      connection === 'not_connected' && primary.value === null
        ? 'not connected'
        : displayValue(primary, metric, data.asOf !== null && stale === null),
    vsYesterday,
    vs7Days,
    last7Days,
    goal: goal ? describeGoal(goal, metric.unit) : '—',
    goalSpec: goal ?? null,
    status: status.kind,
    reason,
    asOf: data.asOf,
    connection,
    warnings: data.warnings,
    caveat: metric.caveat ?? null,
  };
}

/** What a figure's window reads: "now", "yesterday", or the day a flow's figure stands in from ("Fri 13 Nov"). */
export function windowLabel(item: DailyItem, yesterday: LocalDay): string {
  if (item.window === 'now') return 'now';
  return item.day !== null && item.day !== yesterday ? dayLabel(item.day) : 'yesterday';
}

const TITLES: Record<DailyKind, string> = { cash: 'Cash', support: 'Support' };

/** A weekday-morning digest (cash or support): the metrics listed under `digests.<kind>` in the config. */
export function buildDailyDigest(kind: DailyKind, loaded: LoadedData, ctx: EvalContext): DailyDigest {
  const today = localDayOf(ctx.now, ctx.periods.timezone);
  const items = metricsWithIds(ctx.config, ctx.config.digests[kind]).map((metric) => buildDailyItem(metric, loaded, ctx));
  return {
    kind,
    org: ctx.config.org.name,
    title: TITLES[kind],
    period: { today, yesterday: addDays(today, -1), timezone: ctx.periods.timezone, generatedAt: ctx.now.toISOString() },
    items,
  };
}
