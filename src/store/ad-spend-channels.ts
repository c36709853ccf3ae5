import type { LocalDay } from '../metrics/types.js';
import { writeTransaction, type Store } from './db.js';
import type { AdSpendChannelRow } from './types.js';

/**
 * Ad spend kept per channel (migration 0007). Every write replaces whole (metric, day, channel) rows and then sets
 * the metric's daily value to the sum of that day's channels, in one transaction: a CSV re-import or an API
 * re-fetch of a day replaces that channel's figure, and channels fed by different sources add up exactly once.
 */

export interface ChannelSpend {
  metric_id: string;
  day: LocalDay;
  channel: string;
  amount: number;
  currency: string;
  source: string;
  fetched_at: string;
}

/** Channel names as people write them in CSVs, folded onto the names the API sources use. */
const CHANNEL_ALIASES: Record<string, string> = {
  facebook: 'meta',
  'facebook ads': 'meta',
  'meta ads': 'meta',
  instagram: 'meta',
  'google ads': 'google',
  adwords: 'google',
  'google adwords': 'google',
};

export function normaliseChannel(name: string): string {
  const folded = name.trim().toLowerCase().replace(/\s+/g, ' ');
  return CHANNEL_ALIASES[folded] ?? (folded || 'csv');
}

const CENTS = 100;

/**
 * Writes `rows`; with `replaceSource`, first drops that source's other channels on the days written (a CSV that no
 * longer lists a channel for a day no longer counts it). Returns the number of daily totals rewritten.
 */
export async function writeChannelSpend(
  store: Store,
  rows: readonly ChannelSpend[],
  options: { replaceSource?: string } = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  for (const row of rows) {
    if (!Number.isFinite(row.amount)) throw new Error(`ad spend ${row.metric_id} ${row.day} ${row.channel}: amount must be finite`);
  }
  const touched = new Map<string, { metric_id: string; day: LocalDay; fetched_at: string }>();
  for (const row of rows)
    touched.set(`${row.metric_id}\n${row.day}`, { metric_id: row.metric_id, day: row.day, fetched_at: row.fetched_at });

  return writeTransaction(store, async (trx) => {
    if (options.replaceSource) {
      for (const { metric_id, day } of touched.values()) {
        await trx
          .deleteFrom('ad_spend_channels')
          .where('metric_id', '=', metric_id)
          .where('day', '=', day)
          .where('source', '=', options.replaceSource)
          .execute();
      }
    }
    for (const row of rows) {
      await trx
        .insertInto('ad_spend_channels')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['metric_id', 'day', 'channel']).doUpdateSet((eb) => ({
            amount: eb.ref('excluded.amount'),
            currency: eb.ref('excluded.currency'),
            source: eb.ref('excluded.source'),
            fetched_at: eb.ref('excluded.fetched_at'),
          })),
        )
        .execute();
    }
    for (const { metric_id, day, fetched_at } of touched.values()) {
      const channels = await trx
        .selectFrom('ad_spend_channels')
        .select(['channel', 'amount'])
        .where('metric_id', '=', metric_id)
        .where('day', '=', day)
        .execute();
      // Cents as integers: summing many channels in floating point drifts.
      const value = channels.reduce((sum, channel) => sum + Math.round(channel.amount * CENTS), 0) / CENTS;
      await trx
        .insertInto('daily_values')
        .values({ metric_id, day, value, numerator: null, denominator: null, source: 'channels', fetched_at, warnings: null })
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
    return touched.size;
  });
}

export async function channelSpend(store: Store, metricId: string, from: LocalDay, toExclusive: LocalDay): Promise<AdSpendChannelRow[]> {
  return store.db
    .selectFrom('ad_spend_channels')
    .selectAll()
    .where('metric_id', '=', metricId)
    .where('day', '>=', from)
    .where('day', '<', toExclusive)
    .orderBy('day')
    .orderBy('channel')
    .execute();
}
