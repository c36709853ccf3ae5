import type { LocalDay } from '../metrics/types.js';
import type { Store } from './db.js';

/** The first local day any of these metrics has a figure (a snapshot or a live-or-not manual entry), or undefined. */
export async function firstDayOnRecord(store: Store, metricIds: readonly string[]): Promise<LocalDay | undefined> {
  if (metricIds.length === 0) return undefined;
  const [snapshot, entry] = await Promise.all([
    store.db
      .selectFrom('daily_values')
      .select((eb) => eb.fn.min<string>('day').as('day'))
      .where('metric_id', 'in', metricIds)
      .executeTakeFirst(),
    store.db
      .selectFrom('manual_entries')
      .select((eb) => eb.fn.min<string>('day').as('day'))
      .where('metric_id', 'in', metricIds)
      .where('deleted_at', 'is', null)
      .executeTakeFirst(),
  ]);
  const days = [snapshot?.day, entry?.day].filter((d): d is string => typeof d === 'string').sort();
  return days[0];
}
