import type { Metric } from '../config/schema.js';
import type { Aggregated, DayValue, LocalDay } from '../metrics/types.js';
import { aggregate, mergeManual, ratioValue } from '../metrics/aggregate.js';
import type { Store } from '../store/db.js';
import { getDayFigures, latestSnapshots } from '../store/daily-values.js';
import { manualDailySums } from '../store/manual-entries.js';
import { listGoalChanges } from '../store/goal-changes.js';
import { parseWarningsColumn } from '../store/warnings.js';
import type { Goal } from '../config/schema.js';

/** What the digests need of one metric, read from the store in three range queries for all metrics at once. */
export interface MetricData {
  days: DayValue[];
  /** For `source: derived` metrics: the daily values of the numerator and denominator metrics. */
  derived?: { numerator: DayValue[]; denominator: DayValue[] };
  /** When the metric's newest day was fetched; null for metrics fed by manual entries only. */
  asOf: string | null;
  /** Source of the newest snapshot (`hubspot`, `sample`, …). */
  source: string | null;
  warnings: string[];
  /** The source's own verdict that the newest snapshot is stale (a bank balance past its limit), naming what and how old. */
  staleBecause?: string | null;
}

export interface GoalChange {
  goal: Goal;
  from: LocalDay;
  period: string | null;
}

export interface LoadedData {
  byMetric: Map<string, MetricData>;
  goalChanges: Map<string, GoalChange[]>;
  /** Rows read from daily_values, for the benchmark's "rows read". */
  rowsRead: number;
}

/** The metric ids a derived metric reads (`query: { numerator, denominator }`). */
function derivedInputs(metric: Metric): { numerator: string; denominator: string } | undefined {
  if (metric.source !== 'derived') return undefined;
  const { numerator, denominator } = metric.query as { numerator?: unknown; denominator?: unknown };
  return typeof numerator === 'string' && typeof denominator === 'string' ? { numerator, denominator } : undefined;
}

export async function loadMetricData(store: Store, metrics: Metric[], from: LocalDay, toExclusive: LocalDay): Promise<LoadedData> {
  const ids = [
    ...new Set(
      metrics.flatMap((m) => {
        const inputs = derivedInputs(m);
        return inputs ? [m.id, inputs.numerator, inputs.denominator] : [m.id];
      }),
    ),
  ];
  const [rows, manual, latest, changes] = await Promise.all([
    getDayFigures(store, ids, from, toExclusive),
    manualDailySums(store, ids, from, toExclusive),
    latestSnapshots(store, ids),
    listGoalChanges(store, ids),
  ]);

  const sourceDays = new Map<string, DayValue[]>();
  for (const row of rows) {
    pushTo(sourceDays, row.metric_id, { day: row.day, value: row.value, numerator: row.numerator, denominator: row.denominator });
  }
  const manualDays = new Map<string, { day: LocalDay; value: number }[]>();
  for (const m of manual) pushTo(manualDays, m.metric_id, { day: m.day, value: m.value });

  const byMetric = new Map<string, MetricData>();
  for (const id of ids) {
    const snapshot = latest.get(id);
    const stored = parseWarningsColumn(snapshot?.warnings ?? null);
    byMetric.set(id, {
      days: mergeManual(sourceDays.get(id) ?? [], manualDays.get(id) ?? []),
      asOf: snapshot?.fetched_at ?? null,
      source: snapshot?.source ?? null,
      warnings: stored.warnings,
      staleBecause: stored.stale,
    });
  }

  for (const metric of metrics) {
    const inputs = derivedInputs(metric);
    if (!inputs) continue;
    const numerator = byMetric.get(inputs.numerator)!;
    const denominator = byMetric.get(inputs.denominator)!;
    const asOfs = [numerator.asOf, denominator.asOf].filter((a): a is string => a !== null).sort();
    byMetric.set(metric.id, {
      days: [],
      derived: { numerator: numerator.days, denominator: denominator.days },
      asOf: asOfs[0] ?? null,
      source: 'derived',
      warnings: [...numerator.warnings, ...denominator.warnings],
      staleBecause: numerator.staleBecause ?? denominator.staleBecause ?? null,
    });
  }

  const goalChanges = new Map<string, GoalChange[]>();
  for (const change of changes) pushTo(goalChanges, change.metricId, { goal: change.goal, from: change.from, period: change.period });
  return { byMetric, goalChanges, rowsRead: rows.length };
}

/**
 * A metric's value over `[from, toExclusive)`. A derived ratio is Σ numerator ÷ Σ denominator over the range (never
 * a per-day quotient), and has no value when its numerator has no data there (no spend imported ≠ $0 per MQL).
 */
export function aggregateRange(data: MetricData, metric: Metric, from: LocalDay, toExclusive: LocalDay): Aggregated {
  if (!data.derived) return aggregate(daysWithin(data.days, from, toExclusive), metric.aggregate, metric.unit);
  const numerator = aggregate(daysWithin(data.derived.numerator, from, toExclusive), 'sum', metric.unit);
  const denominator = aggregate(daysWithin(data.derived.denominator, from, toExclusive), 'sum', metric.unit);
  if (numerator.value === null) return { value: null, numerator: null, denominator: null, days: 0 };
  const den = denominator.value ?? 0;
  return { value: ratioValue(numerator.value, den, metric.unit), numerator: numerator.value, denominator: den, days: numerator.days };
}

/** The values of `days` inside `[from, toExclusive)`; `days` is sorted, so this is two binary searches. */
export function daysWithin(days: DayValue[], from: LocalDay, toExclusive: LocalDay): DayValue[] {
  const lower = (target: LocalDay) => {
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (days[mid]!.day < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return days.slice(lower(from), lower(toExclusive));
}

/** Appends to the list under `key`, starting it if needed. */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
