import type { Metric } from '../config/schema.js';
import { addDays } from '../metrics/periods.js';
import type { LocalDay } from '../metrics/types.js';
import { getDayFigures } from '../store/daily-values.js';
import type { Store } from '../store/db.js';
import { contiguousRuns, daysOutside } from './late-changes.js';
import type { LateChanges, Source, SourceContext } from './source.js';

/**
 * The late-change half of a plain refresh: the source names the old days its modified records touch, each run of
 * them is re-collected whole through the same write path as the window, and the days whose stored figures moved
 * are counted as corrected. The cursor advances only after every day was written.
 */

export interface LateCorrection {
  /** Old days re-collected (outside the window). */
  recollected: LocalDay[];
  /** Of those, the days where at least one stored figure changed. */
  corrected: LocalDay[];
  reasons: string[];
}

export const NO_CORRECTION: LateCorrection = { recollected: [], corrected: [], reasons: [] };

/** Writes one re-collected range the way the window is written; returns the values written. */
export type CollectRange = (range: { from: LocalDay; to: LocalDay }) => Promise<number>;

/**
 * Asks the source what changed since its cursor. Called before the window is collected: a source's record index
 * still holds the days each changed record was counted on, which the window's own collect would overwrite.
 */
export async function scanLateChanges(
  source: Source,
  ctx: SourceContext,
  request: { from: LocalDay; to: LocalDay; metrics: Metric[] },
): Promise<LateChanges | undefined> {
  return source.lateChanges ? source.lateChanges(ctx, request) : undefined;
}

/** Re-collects the scanned days outside the window, counts the days whose figures moved, then advances the cursor. */
export async function correctLateChanges(
  store: Store,
  late: LateChanges | undefined,
  request: { from: LocalDay; to: LocalDay; metrics: Metric[] },
  collectRange: CollectRange,
): Promise<LateCorrection> {
  if (!late) return NO_CORRECTION;
  const old = daysOutside(late.days, request.from, request.to);
  const metricIds = request.metrics.map((metric) => metric.id);
  const corrected: LocalDay[] = [];
  for (const run of contiguousRuns(old)) {
    const before = await figuresByDay(store, metricIds, run.from, run.to);
    await collectRange(run);
    const after = await figuresByDay(store, metricIds, run.from, run.to);
    for (const day of new Set([...before.keys(), ...after.keys()])) {
      if (before.get(day) !== after.get(day)) corrected.push(day);
    }
  }
  await late.commit();
  return { recollected: old, corrected: corrected.sort(), reasons: late.reasons };
}

/** Each day's figures as one comparable text: metric, value, numerator, denominator. */
async function figuresByDay(store: Store, metricIds: readonly string[], from: LocalDay, to: LocalDay): Promise<Map<LocalDay, string>> {
  const rows = await getDayFigures(store, metricIds, from, addDays(to, 1));
  const byDay = new Map<LocalDay, string[]>();
  for (const row of rows) {
    const parts = byDay.get(row.day) ?? [];
    parts.push(`${row.metric_id}=${row.value}/${row.numerator ?? ''}/${row.denominator ?? ''}`);
    byDay.set(row.day, parts);
  }
  return new Map([...byDay].map(([day, parts]) => [day, parts.sort().join(';')]));
}
