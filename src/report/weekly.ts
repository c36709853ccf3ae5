import { metricWithId } from '../config/metric-ids.js';
import type { Goal, Metric } from '../config/schema.js';
import type { Status, StatusKind, Week } from '../metrics/types.js';
import { buildAttention, redStreak, summarize, type Attention, type Summary } from './attention.js';
import { metricsOf } from '../metrics/catalog.js';
import type { LoadedData } from './metric-data.js';
import { evaluateWeek, weekFrame, type MetricWeek } from './evaluate.js';
import type { EvalContext } from '../metrics/context.js';
import type { QuarterDeals } from './quarter-deals.js';

export interface WeeklyRow {
  id: string;
  name: string;
  /** As configured: email, Slack user id (U…) or user group id (S…). */
  owner: string | null;
  /** `owner_name` from the config; renderers without Slack mentions show it instead of the raw owner. */
  ownerName: string | null;
  source: string;
  unit: Metric['unit'];
  goal: string;
  /** The goal that applies to this week, structured; null without one. */
  goalSpec: Goal | null;
  thisWeek: string;
  lastWeek: string;
  qtdAvg: string;
  trend: string;
  status: StatusKind;
  /** This week's and last week's colour against the goal alone (staleness aside). */
  basis: Status['basis'];
  lastWeekBasis: Status['basis'];
  /** Consecutive red weeks ending with this one (0 when this week is not red). */
  redWeeks: number;
  reason: string;
  staleHours: number | null;
  connection: MetricWeek['connection'];
  /** `trend` and `trendGoals` follow the view's `trendWeeks`, oldest first. */
  values: {
    thisWeek: number | null;
    lastWeek: number | null;
    qtdAvg: number | null;
    trend: (number | null)[];
    trendGoals: (Goal | null)[];
  };
  asOf: string | null;
}

export interface WeeklyGroup {
  id: string;
  name: string;
  rows: WeeklyRow[];
}

export interface WeeklyScorecard {
  kind: 'weekly';
  org: string;
  period: { label: string; start: string; end: string; timezone: string; startAt: string; endAt: string };
  generatedAt: string;
  /** The 13 weeks of every row's trend, oldest first, ending with this one. */
  trendWeeks: string[];
  /** One count per status, each metric once: on track, near miss, off track, no data, no goal, stale. */
  summary: Summary;
  /** What needs attention, shown before any table. */
  attention: Attention;
  groups: WeeklyGroup[];
  freshness: { oldestAsOf: string | null; stale: { id: string; name: string; hours: number }[]; notConnected: string[] };
  /** The quarter's deals (won, lost, open, total); null when HubSpot is not configured. Set by `weeklyScorecard()`. */
  quarterDeals?: QuarterDeals | null;
}

/** The last day inside a week, for display: weeks are stored as [start, end). */
export function lastDayOf(week: Week): string {
  const d = new Date(`${week.end}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export function toWeeklyRow(evaluated: MetricWeek): WeeklyRow {
  const { metric } = evaluated;
  return {
    id: metric.id,
    name: metric.name,
    owner: metric.owner ?? null,
    ownerName: metric.owner_name ?? null,
    source: metric.source,
    unit: metric.unit,
    goal: evaluated.goalText,
    goalSpec: evaluated.goal ?? null,
    thisWeek: evaluated.thisWeek.text,
    lastWeek: evaluated.lastWeek.text,
    qtdAvg: evaluated.qtdAvg.text,
    trend: evaluated.sparkline,
    status: evaluated.status.kind,
    basis: evaluated.status.basis,
    lastWeekBasis: evaluated.trendBasis[evaluated.trendBasis.length - 2] ?? 'no_data',
    redWeeks: evaluated.status.basis === 'red' ? redStreak(evaluated.trendBasis) : 0,
    reason: evaluated.status.reason,
    staleHours: evaluated.status.staleHours,
    connection: evaluated.connection,
    values: {
      thisWeek: evaluated.thisWeek.value,
      lastWeek: evaluated.lastWeek.value,
      qtdAvg: evaluated.qtdAvg.value,
      trend: evaluated.trend,
      trendGoals: evaluated.trendGoals.map((g) => g ?? null),
    },
    asOf: evaluated.asOf,
  };
}

/** The Monday scorecard: every weekly metric, grouped, for one completed week. Pure: store data in, view model out. */
export function buildWeeklyScorecard(week: Week, loaded: LoadedData, ctx: EvalContext): WeeklyScorecard {
  const weekly = new Set(
    metricsOf(ctx.config)
      .filter((m) => m.cadence.includes('weekly'))
      .map((m) => m.id),
  );
  const stale: WeeklyScorecard['freshness']['stale'] = [];
  const notConnected = new Set<string>();
  let oldestAsOf: string | null = null;
  const evaluatedById = new Map<string, WeeklyRow>();
  const frame = weekFrame(week, ctx.periods);

  const groups: WeeklyGroup[] = ctx.config.groups
    .map((group) => ({
      id: group.id,
      name: group.name,
      rows: group.metrics
        .filter((id) => weekly.has(id))
        .map((id) => {
          const cached = evaluatedById.get(id);
          if (cached) return cached;
          const metric = metricWithId(ctx.config, id);
          const evaluated = evaluateWeek(metric, loaded, frame, ctx);
          const row = toWeeklyRow(evaluated);
          evaluatedById.set(id, row);
          if (row.status === 'stale' && row.staleHours !== null) stale.push({ id, name: metric.name, hours: row.staleHours });
          if (row.connection === 'not_connected') notConnected.add(metric.source);
          if (row.asOf && (oldestAsOf === null || row.asOf < oldestAsOf)) oldestAsOf = row.asOf;
          return row;
        }),
    }))
    .filter((g) => g.rows.length > 0);

  return {
    kind: 'weekly',
    org: ctx.config.org.name,
    period: {
      label: week.label,
      start: week.start,
      end: lastDayOf(week),
      timezone: week.timezone,
      startAt: week.startAt,
      endAt: week.endAt,
    },
    generatedAt: ctx.now.toISOString(),
    trendWeeks: frame.trend.map((w) => w.label),
    summary: summarize(evaluatedById.values()),
    attention: buildAttention(evaluatedById.values()),
    groups,
    freshness: { oldestAsOf, stale, notConnected: [...notConnected].sort() },
  };
}
