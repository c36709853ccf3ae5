import type { LocalDay } from '../metrics/types.js';
import { writeTransaction, type Store } from './db.js';
import { newestSnapshotPerMetric } from './dialect.js';
import type { DailyValueRow, NewDailyValue } from './types.js';

/** 8 columns × 500 rows stays far below SQLite's bound-parameter limit while keeping statements few. */
const ROWS_PER_STATEMENT = 500;

function assertFinite(row: NewDailyValue): void {
  const numbers = { value: row.value, numerator: row.numerator, denominator: row.denominator };
  for (const [name, n] of Object.entries(numbers)) {
    if (n !== null && n !== undefined && !Number.isFinite(n)) {
      throw new Error(`daily value ${row.metric_id} ${row.day}: ${name} must be a finite number, got ${String(n)}`);
    }
  }
}

/**
 * A (metric, day) given twice in one batch keeps its last row. SQLite would apply both in order anyway; Postgres
 * refuses to let one upsert statement touch a row twice, so the batch is made unique first on both.
 */
function lastPerDay(rows: readonly NewDailyValue[]): NewDailyValue[] {
  const byKey = new Map<string, NewDailyValue>();
  for (const row of rows) {
    const key = `${row.metric_id}\u0000${row.day}`;
    byKey.delete(key);
    byKey.set(key, row);
  }
  return byKey.size === rows.length ? [...rows] : [...byKey.values()];
}

/**
 * Writes one batch in one transaction: either every row lands or none does.
 * A row for an existing (metric, day) replaces it — re-collecting a window never double counts.
 */
export async function upsertDailyValues(store: Store, rows: readonly NewDailyValue[]): Promise<number> {
  if (rows.length === 0) return 0;
  rows.forEach(assertFinite);
  const unique = lastPerDay(rows);
  await writeTransaction(store, async (trx) => {
    for (let start = 0; start < unique.length; start += ROWS_PER_STATEMENT) {
      const chunk = unique.slice(start, start + ROWS_PER_STATEMENT).map((row) => ({
        metric_id: row.metric_id,
        day: row.day,
        value: row.value,
        numerator: row.numerator ?? null,
        denominator: row.denominator ?? null,
        source: row.source,
        fetched_at: row.fetched_at,
        warnings: row.warnings ?? null,
      }));
      await trx
        .insertInto('daily_values')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['metric_id', 'day']).doUpdateSet((eb) => ({
            value: eb.ref('excluded.value'),
            numerator: eb.ref('excluded.numerator'),
            denominator: eb.ref('excluded.denominator'),
            source: eb.ref('excluded.source'),
            fetched_at: eb.ref('excluded.fetched_at'),
            warnings: eb.ref('excluded.warnings'),
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/**
 * Removes the stored figure of these (metric, day) pairs: a re-collected day with nothing to divide (0 ÷ 0) has no
 * value, and the one stored before must not stay behind as if it were still true. Returns the rows removed.
 */
export async function deleteDailyValues(store: Store, keys: readonly { metric_id: string; day: LocalDay }[]): Promise<number> {
  if (keys.length === 0) return 0;
  let removed = 0;
  await writeTransaction(store, async (trx) => {
    for (const key of keys) {
      const result = await trx
        .deleteFrom('daily_values')
        .where('metric_id', '=', key.metric_id)
        .where('day', '=', key.day)
        .executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
  });
  return removed;
}

/** `[from, toExclusive)` for these metrics, ordered by metric then day: one range of the (metric_id, day) key per metric. */
function dayRange(store: Store, metricIds: readonly string[], from: LocalDay, toExclusive: LocalDay) {
  return store.db
    .selectFrom('daily_values')
    .where('metric_id', 'in', metricIds)
    .where('day', '>=', from)
    .where('day', '<', toExclusive)
    .orderBy('metric_id')
    .orderBy('day');
}

/** Whole rows of the days in `[from, toExclusive)`, provenance included. */
export async function getDailyValues(
  store: Store,
  metricIds: readonly string[],
  from: LocalDay,
  toExclusive: LocalDay,
): Promise<DailyValueRow[]> {
  if (metricIds.length === 0) return [];
  return dayRange(store, metricIds, from, toExclusive).selectAll().execute();
}

/** One day's figure as the digests read it: no provenance columns, so a 13-week read of 100 metrics stays light. */
export type DayFigureRow = Pick<DailyValueRow, 'metric_id' | 'day' | 'value' | 'numerator' | 'denominator'>;

export async function getDayFigures(
  store: Store,
  metricIds: readonly string[],
  from: LocalDay,
  toExclusive: LocalDay,
): Promise<DayFigureRow[]> {
  if (metricIds.length === 0) return [];
  return dayRange(store, metricIds, from, toExclusive).select(['metric_id', 'day', 'value', 'numerator', 'denominator']).execute();
}

export type LatestSnapshot = Pick<DailyValueRow, 'fetched_at' | 'source' | 'warnings'>;

/**
 * Each metric's newest day: when it was fetched (its "as of"), from which source, with which warnings. Every refresh
 * rewrites its window up to today, so the newest day carries the latest successful fetch, and a backfill of old days
 * can't make a stale source look fresh. One primary-key seek per metric: the cost never grows with history.
 */
export async function latestSnapshots(store: Store, metricIds: readonly string[]): Promise<Map<string, LatestSnapshot>> {
  return newestSnapshotPerMetric(store, metricIds);
}

/** When each metric's newest day was fetched (see latestSnapshots). */
export async function latestFetchedAt(store: Store, metricIds: readonly string[]): Promise<Map<string, string>> {
  const snapshots = await latestSnapshots(store, metricIds);
  return new Map([...snapshots].map(([id, s]) => [id, s.fetched_at]));
}

export async function countDailyValues(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('daily_values')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
