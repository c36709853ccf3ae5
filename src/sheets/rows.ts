import type { Config, Metric } from '../config/schema.js';
import type { LocalDay } from '../metrics/types.js';
import type { EvalContext } from '../metrics/context.js';
import { metricsOf } from '../metrics/catalog.js';
import { addDays, lastCompletedWeek, trailingWeeks } from '../metrics/periods.js';
import type { Store } from '../store/db.js';
import { getDailyValues } from '../store/daily-values.js';
import { manualDailySums } from '../store/manual-entries.js';
import { loadMetricData } from '../report/metric-data.js';
import { weeklyWindow } from '../report/evaluate.js';
import { buildWeeklyScorecard } from '../report/weekly.js';
import type { Cell } from './api.js';

/** The rows the mirror wants in its `Daily` and `Weekly` tabs, read from the store and the weekly view model. */

export const DAILY_HEADER = ['metric_id', 'metric', 'day', 'value', 'numerator', 'denominator', 'source', 'fetched_at'];
export const WEEKLY_HEADER = ['metric_id', 'metric', 'week', 'week_start', 'goal', 'value', 'status', 'qtd_avg'];
export const LOG_HEADER = ['when', 'rows_written', 'duration_ms', 'outcome', 'error_class'];
/** Rows are keyed by (metric id, day) and (metric id, week). */
export const KEY_COLUMNS = 3;
/** Column of the day (Daily) and of the week's first day (Weekly), for the roll-off. */
export const DAILY_DAY_COLUMN = 2;
export const WEEKLY_START_COLUMN = 3;

const num = (value: number | null | undefined): Cell => (value === null || value === undefined || !Number.isFinite(value) ? '' : value);

/** The metrics the sheet may show: sensitive ones only with `sheets.include_sensitive`. */
export function mirroredMetrics(config: Config): Metric[] {
  return metricsOf(config).filter((m) => config.sheets.include_sensitive || !m.sensitive);
}

/** Every (metric, day) row from `from` to `today`: source snapshots with their provenance, manual metrics as daily sums. */
export async function dailyRows(store: Store, metrics: Metric[], from: LocalDay, today: LocalDay): Promise<Cell[][]> {
  const names = new Map(metrics.map((m) => [m.id, m.name]));
  const end = addDays(today, 1);
  const fed = metrics.filter((m) => m.source !== 'manual' && m.source !== 'derived').map((m) => m.id);
  const manual = metrics.filter((m) => m.source === 'manual').map((m) => m.id);
  const [values, sums] = await Promise.all([getDailyValues(store, fed, from, end), manualDailySums(store, manual, from, end)]);
  const rows: Cell[][] = [
    ...values.map((v) => [
      v.metric_id,
      names.get(v.metric_id) ?? v.metric_id,
      v.day,
      v.value,
      num(v.numerator),
      num(v.denominator),
      v.source,
      v.fetched_at,
    ]),
    ...sums.map((s) => [s.metric_id, names.get(s.metric_id) ?? s.metric_id, s.day, s.value, '', '', 'manual', '']),
  ];
  // Day, then metric: new days land at the bottom, and the roll-off removes one block from the top.
  return rows.sort((a, b) => String(a[2]).localeCompare(String(b[2])) || String(a[0]).localeCompare(String(b[0])));
}

/** One row per weekly metric and completed week whose first day is on or after `from`, as the scorecard shows it. */
export async function weeklyRows(store: Store, metrics: Metric[], ctx: EvalContext, from: LocalDay): Promise<Cell[][]> {
  const mirrored = new Set(metrics.map((m) => m.id));
  const weekly = metrics.filter((m) => m.cadence.includes('weekly'));
  if (weekly.length === 0) return [];
  const last = lastCompletedWeek(ctx.now, ctx.periods);
  const span = Math.ceil((Date.parse(`${last.start}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / (7 * 86_400_000)) + 1;
  const weeks = trailingWeeks(last, Math.max(1, span), ctx.periods).filter((w) => w.start >= from);
  if (weeks.length === 0) return [];
  const loaded = await loadMetricData(store, weekly, weeklyWindow(weeks[0]!, ctx.periods).from, last.end);
  const rows: Cell[][] = [];
  for (const week of weeks) {
    const seen = new Set<string>();
    for (const row of buildWeeklyScorecard(week, loaded, ctx).groups.flatMap((g) => g.rows)) {
      if (seen.has(row.id) || !mirrored.has(row.id)) continue;
      seen.add(row.id);
      rows.push([row.id, row.name, week.label, week.start, row.goal, num(row.values.thisWeek), row.status, num(row.values.qtdAvg)]);
    }
  }
  return rows;
}
