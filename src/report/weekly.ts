import { metricWithId } from '../config/metric-ids.js';
import type { Metric } from '../config/schema.js';
import type { StatusKind, Week } from '../metrics/types.js';
import { metricsOf } from '../metrics/catalog.js';
import type { LoadedData } from './metric-data.js';
import { evaluateWeek, weekFrame, type MetricWeek } from './evaluate.js';
import type { EvalContext } from '../metrics/context.js';

export interface WeeklyRow {
  id: string;
  name: string;
  owner: string | null;
  unit: Metric['unit'];
  goal: string;
  thisWeek: string;
  lastWeek: string;
  qtdAvg: string;
  trend: string;
  status: StatusKind;
  reason: string;
  staleHours: number | null;
  connection: MetricWeek['connection'];
  values: { thisWeek: number | null; lastWeek: number | null; qtdAvg: number | null; trend: (number | null)[] };
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
  summary: { green: number; yellow: number; red: number; grey: number };
  groups: WeeklyGroup[];
  freshness: { oldestAsOf: string | null; stale: { id: string; name: string; hours: number }[]; notConnected: string[] };
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
    unit: metric.unit,
    goal: evaluated.goalText,
    thisWeek: evaluated.thisWeek.text,
    lastWeek: evaluated.lastWeek.text,
    qtdAvg: evaluated.qtdAvg.text,
    trend: evaluated.sparkline,
    status: evaluated.status.kind,
    reason: evaluated.status.reason,
    staleHours: evaluated.status.staleHours,
    connection: evaluated.connection,
    values: {
      thisWeek: evaluated.thisWeek.value,
      lastWeek: evaluated.lastWeek.value,
      qtdAvg: evaluated.qtdAvg.value,
      trend: evaluated.trend,
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
  const summary = { green: 0, yellow: 0, red: 0, grey: 0 };
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
          const kind = row.status;
          if (kind === 'green' || kind === 'yellow' || kind === 'red') summary[kind]++;
          else summary.grey++;
          if (kind === 'stale' && row.staleHours !== null) stale.push({ id, name: metric.name, hours: row.staleHours });
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
    summary,
    groups,
    freshness: { oldestAsOf, stale, notConnected: [...notConnected].sort() },
  };
}
