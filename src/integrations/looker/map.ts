import { addDays, daysInRange } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import type { CollectedValue } from '../source.js';
import type { LookerQuery, ResultRow } from './schemas.js';

/**
 * Pure reading of Looker results. Looker formats dates and times in the query's timezone (`query_timezone`; the
 * scorecard sets the org's on inline queries), so a `date_field` cell's first ten characters already are the local
 * day: "2026-11-01" for a date dimension, "2026-11-01 23:30:00" for a time. Nothing is converted again.
 */

export const SOURCE_ID = 'looker';

function configError(metricId: string, message: string): SourceError {
  return new SourceError('config', SOURCE_ID, `metrics.${metricId}.query: ${message}`);
}

function numberCell(metricId: string, row: ResultRow, field: string): number {
  if (!(field in row)) throw configError(metricId, `value_field ${field} is not in the result (columns: ${Object.keys(row).join(', ')})`);
  const cell = row[field];
  if (cell === null || cell === '') return 0;
  const value = typeof cell === 'number' ? cell : Number(cell);
  if (typeof cell === 'boolean' || !Number.isFinite(value)) throw configError(metricId, `value_field ${field} is not a number`);
  return value;
}

function dayCell(metricId: string, row: ResultRow, field: string): LocalDay | undefined {
  if (!(field in row)) throw configError(metricId, `date_field ${field} is not in the result (columns: ${Object.keys(row).join(', ')})`);
  const cell = row[field];
  if (cell === null) return undefined;
  const day = typeof cell === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/.exec(cell)?.[1] : undefined;
  if (!day) throw configError(metricId, `date_field ${field} is not a date or time (${JSON.stringify(cell).slice(0, 30)})`);
  return day;
}

const SCALE = 1_000_000;

/** A metric's values from its result: per day of `[from, to]` with a date field, else today's snapshot. */
export function valuesFromRows(
  metricId: string,
  query: Pick<LookerQuery, 'value_field' | 'date_field'>,
  rows: readonly ResultRow[],
  window: { from: LocalDay; to: LocalDay; today: LocalDay },
): CollectedValue[] {
  if (!query.date_field) {
    const total = rows.reduce((sum, row) => sum + Math.round(numberCell(metricId, row, query.value_field) * SCALE), 0);
    return window.today >= window.from && window.today <= window.to ? [{ metricId, day: window.today, value: total / SCALE }] : [];
  }
  const totals = new Map<LocalDay, number>();
  for (const row of rows) {
    const day = dayCell(metricId, row, query.date_field);
    if (!day || day < window.from || day > window.to) continue;
    totals.set(day, (totals.get(day) ?? 0) + Math.round(numberCell(metricId, row, query.value_field) * SCALE));
  }
  return daysInRange(window.from, addDays(window.to, 1)).map((day) => ({ metricId, day, value: (totals.get(day) ?? 0) / SCALE }));
}

/** Looker's date filter for `[from, to]`: "2026/10/26 to 2026/11/09" (the end is exclusive). */
export function windowFilter(from: LocalDay, to: LocalDay): string {
  return `${from.replaceAll('-', '/')} to ${addDays(to, 1).replaceAll('-', '/')}`;
}
