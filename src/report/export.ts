import type { Metric } from '../config/schema.js';
import type { EvalContext } from '../metrics/context.js';
import { describeGoal, goalFor } from '../metrics/goals.js';
import { addDays, daysInRange, isValidDay, weekContaining } from '../metrics/periods.js';
import { evaluateStatus } from '../metrics/status.js';
import type { LocalDay, StatusKind, Week } from '../metrics/types.js';
import type { Store } from '../store/db.js';
import { evaluateWeek, weekFrame } from './evaluate.js';
import { loadWeeksData } from './history.js';
import { aggregateRange } from './metric-data.js';

/**
 * The rows of the CSV export (web and CLI): one per metric and period, raw numbers (not display text) so a
 * spreadsheet can sum them. A week row is the weekly scorecard's own evaluation of that week. A day row carries
 * the goal of its week; its status is judged only for stocks and rates (last, mean, ratio) — a weekly total's goal
 * says nothing about one day of it, so a flow's day row has no status.
 */

export type Grain = 'week' | 'day';

export interface ExportRow {
  metricId: string;
  metricName: string;
  period: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  goal: string;
  status: StatusKind | '';
  asOf: string | null;
}

export const MAX_EXPORT_DAYS = 366 * 3;

export type ExportRange = { ok: true; from: LocalDay; to: LocalDay; grain: Grain } | { ok: false; message: string };

/** Checks the query: two days in order, at most three years apart, and a grain. */
export function parseExportRange(from: string | undefined, to: string | undefined, grain: string | undefined): ExportRange {
  const g = grain ?? 'week';
  if (g !== 'week' && g !== 'day') return { ok: false, message: `grain is week or day — got "${g}".` };
  if (!from || !isValidDay(from)) return { ok: false, message: 'from must be a day like 2026-09-01.' };
  if (!to || !isValidDay(to)) return { ok: false, message: 'to must be a day like 2026-11-30.' };
  if (to < from) return { ok: false, message: `to (${to}) is before from (${from}).` };
  if (daysInRange(from, addDays(to, 1)).length > MAX_EXPORT_DAYS) return { ok: false, message: 'Export at most three years at a time.' };
  return { ok: true, from, to, grain: g };
}

function weeksOf(from: LocalDay, to: LocalDay, ctx: EvalContext): Week[] {
  const weeks: Week[] = [];
  for (let week = weekContaining(from, ctx.periods); week.start <= to; week = weekContaining(week.end, ctx.periods)) weeks.push(week);
  return weeks;
}

export async function exportRows(
  store: Store,
  ctx: EvalContext,
  metrics: Metric[],
  range: { from: LocalDay; to: LocalDay; grain: Grain },
): Promise<ExportRow[]> {
  const weeks = weeksOf(range.from, range.to, ctx);
  if (metrics.length === 0 || weeks.length === 0) return [];
  const loaded = await loadWeeksData(store, metrics, weeks, ctx);
  const rows: ExportRow[] = [];
  for (const metric of metrics) {
    if (range.grain === 'week') {
      for (const week of weeks) {
        const evaluated = evaluateWeek(metric, loaded, weekFrame(week, ctx.periods), ctx);
        const { aggregated } = evaluated.thisWeek;
        rows.push({
          metricId: metric.id,
          metricName: metric.name,
          period: week.label,
          value: evaluated.thisWeek.value,
          numerator: aggregated.numerator,
          denominator: aggregated.denominator,
          goal: evaluated.goal ? evaluated.goalText : '',
          status: evaluated.status.kind,
          asOf: evaluated.asOf,
        });
      }
      continue;
    }
    const data = loaded.byMetric.get(metric.id) ?? { days: [], asOf: null, source: null, warnings: [] };
    for (const day of daysInRange(range.from, addDays(range.to, 1))) {
      const agg = aggregateRange(data, metric, day, addDays(day, 1));
      const goal = goalFor(metric, weekContaining(day, ctx.periods), loaded.goalChanges.get(metric.id) ?? []);
      const judged = goal && metric.aggregate !== 'sum';
      const status = judged
        ? evaluateStatus({
            value: agg.value,
            goal,
            unit: metric.unit,
            tolerancePct: ctx.config.defaults.tolerance_pct,
            toleranceAbsForZero: ctx.config.defaults.tolerance_abs_for_zero,
            staleHours: null,
          }).kind
        : '';
      rows.push({
        metricId: metric.id,
        metricName: metric.name,
        period: day,
        value: agg.value,
        numerator: agg.numerator,
        denominator: agg.denominator,
        goal: goal ? describeGoal(goal, metric.unit) : '',
        status,
        asOf: data.asOf,
      });
    }
  }
  return rows;
}
