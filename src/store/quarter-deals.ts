import type { LocalDay } from '../metrics/types.js';
import { writeTransaction, type Store } from './db.js';
import type { QuarterDealsRow } from './types.js';

/**
 * Quarter deals snapshots (migration 0010): won, lost and open deals of one quarter as a source saw them on one
 * local day. A re-collect of the same day replaces its row; older days stay, so the page can show a past week's
 * figures as they stood then, and an outage leaves the last good snapshot to show, marked stale.
 */

export type QuarterDealsSnapshot = Omit<QuarterDealsRow, 'warnings'> & { warnings: string[] };

/** Writes snapshots (a re-collected day replaces its row), all in one transaction. */
export async function upsertQuarterDeals(store: Store, ...snapshots: QuarterDealsSnapshot[]): Promise<void> {
  if (snapshots.length === 0) return;
  await writeTransaction(store, async (trx) => {
    for (const { source, quarter, day, warnings, ...figures } of snapshots) {
      const row = { ...figures, warnings: warnings.length > 0 ? JSON.stringify(warnings) : null };
      await trx
        .insertInto('quarter_deals')
        .values({ source, quarter, day, ...row })
        .onConflict((oc) => oc.columns(['source', 'quarter', 'day']).doUpdateSet(row))
        .execute();
    }
  });
}

/** The newest snapshot of `quarter` taken before `beforeDay` (exclusive), from any source; undefined when none. */
export async function latestQuarterDeals(store: Store, quarter: string, beforeDay: LocalDay): Promise<QuarterDealsSnapshot | undefined> {
  const row = await store.db
    .selectFrom('quarter_deals')
    .selectAll()
    .where('quarter', '=', quarter)
    .where('day', '<', beforeDay)
    .orderBy('day', 'desc')
    .orderBy('fetched_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

function fromRow(row: QuarterDealsRow): QuarterDealsSnapshot {
  const warnings: unknown = row.warnings ? JSON.parse(row.warnings) : [];
  return {
    ...row,
    won_count: Number(row.won_count),
    lost_count: Number(row.lost_count),
    open_count: Number(row.open_count),
    won_amount: Number(row.won_amount),
    lost_amount: Number(row.lost_amount),
    open_amount: Number(row.open_amount),
    warnings: Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === 'string') : [],
  };
}
