import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelSpend, normaliseChannel, writeChannelSpend, type ChannelSpend } from '../../src/store/ad-spend-channels.js';
import { getDailyValues } from '../../src/store/daily-values.js';
import type { Store } from '../../src/store/db.js';
import { openTempStore } from '../helpers/tmp-store.js';

let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, cleanup } = await openTempStore()));
afterEach(async () => cleanup());

const AT = '2026-11-09T15:00:00.000Z';
const row = (day: string, channel: string, amount: number, source: string): ChannelSpend => ({
  metric_id: 'ad_spend',
  day,
  channel,
  amount,
  currency: 'USD',
  source,
  fetched_at: AT,
});
const totals = async () =>
  Object.fromEntries((await getDailyValues(store, ['ad_spend'], '2026-11-01', '2026-11-30')).map((value) => [value.day, value.value]));

describe('ad spend channels', () => {
  it('sums a day’s channels from every feed into the metric, exactly once', async () => {
    await writeChannelSpend(store, [row('2026-11-02', 'linkedin', 100.1, 'import'), row('2026-11-02', 'meta', 50, 'import')], {
      replaceSource: 'import',
    });
    await writeChannelSpend(store, [row('2026-11-02', 'google', 20.2, 'google_ads'), row('2026-11-03', 'google', 5, 'google_ads')]);
    expect(await totals()).toEqual({ '2026-11-02': 170.3, '2026-11-03': 5 });

    // Meta's API fetch replaces the CSV's meta figure for the day instead of adding to it; a re-fetch changes nothing.
    await writeChannelSpend(store, [row('2026-11-02', 'meta', 55.5, 'meta_ads')]);
    await writeChannelSpend(store, [row('2026-11-02', 'meta', 55.5, 'meta_ads')]);
    expect(await totals()).toEqual({ '2026-11-02': 175.8, '2026-11-03': 5 });

    // A re-import of the day replaces its imported channels and keeps the fetched ones.
    await writeChannelSpend(store, [row('2026-11-02', 'linkedin', 90, 'import')], { replaceSource: 'import' });
    expect(await totals()).toEqual({ '2026-11-02': 165.7, '2026-11-03': 5 });
    expect((await channelSpend(store, 'ad_spend', '2026-11-02', '2026-11-03')).map((r) => [r.channel, r.amount, r.source])).toEqual([
      ['google', 20.2, 'google_ads'],
      ['linkedin', 90, 'import'],
      ['meta', 55.5, 'meta_ads'],
    ]);
  });

  it('folds the usual spellings of a channel onto the API sources’ names', () => {
    expect(['Facebook', ' Meta Ads ', 'Google Ads', 'AdWords', 'LinkedIn', ''].map(normaliseChannel)).toEqual([
      'meta',
      'meta',
      'google',
      'google',
      'linkedin',
      'csv',
    ]);
  });
});
