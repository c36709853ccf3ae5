import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/db.js';
import { countDailyValues, getDailyValues, latestFetchedAt, upsertDailyValues } from '../../src/store/daily-values.js';
import type { NewDailyValue } from '../../src/store/types.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

const FETCH_1 = '2026-11-16T06:00:00.000Z';
const FETCH_2 = '2026-11-17T06:00:00.000Z';

function row(metricId: string, day: string, value: number, fetchedAt = FETCH_1, extra: Partial<NewDailyValue> = {}): NewDailyValue {
  return { metric_id: metricId, day, value, source: 'hubspot', fetched_at: fetchedAt, warnings: null, ...extra };
}

/** `count` consecutive days from 2026-01-01. */
function days(count: number): string[] {
  return Array.from({ length: count }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
}

describe.each(storeKinds())('daily values (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  beforeEach(() => {
    store = temp.store;
  });

  async function sumOver(metricId: string, from: string, toExclusive: string): Promise<number> {
    const rows = await getDailyValues(store, [metricId], from, toExclusive);
    return rows.reduce((total, r) => total + r.value, 0);
  }

  it('a second upsert of the same days replaces the values, never adds', async () => {
    await upsertDailyValues(store, [row('dials', '2026-11-16', 20), row('dials', '2026-11-17', 30)]);
    // The trailing-window refresh re-collects both days; late-logged calls raised the 16th.
    const written = await upsertDailyValues(store, [row('dials', '2026-11-16', 25, FETCH_2), row('dials', '2026-11-17', 30, FETCH_2)]);

    expect(written).toBe(2);
    expect(await countDailyValues(store)).toBe(2);
    expect(await sumOver('dials', '2026-11-16', '2026-11-23')).toBe(55);
    const rows = await getDailyValues(store, ['dials'], '2026-11-16', '2026-11-23');
    expect(rows.map((r) => r.fetched_at)).toEqual([FETCH_2, FETCH_2]);
  });

  it('replaces numerator, denominator and warnings too', async () => {
    await upsertDailyValues(store, [
      row('close_rate', '2026-11-16', 0.5, FETCH_1, { numerator: 5, denominator: 10, warnings: '["partial"]' }),
    ]);
    await upsertDailyValues(store, [row('close_rate', '2026-11-16', 0.75, FETCH_2, { numerator: 6, denominator: 8 })]);
    const [only] = await getDailyValues(store, ['close_rate'], '2026-11-16', '2026-11-17');
    expect(only).toEqual({
      metric_id: 'close_rate',
      day: '2026-11-16',
      value: 0.75,
      numerator: 6,
      denominator: 8,
      source: 'hubspot',
      fetched_at: FETCH_2,
      warnings: null,
    });
  });

  it('a day repeated inside one batch keeps the last value', async () => {
    await upsertDailyValues(store, [row('dials', '2026-11-16', 1), row('dials', '2026-11-16', 7)]);
    expect(await getDailyValues(store, ['dials'], '2026-11-16', '2026-11-17')).toMatchObject([{ value: 7 }]);
  });

  it('a batch with one bad row writes nothing, even across statement chunks', async () => {
    await upsertDailyValues(store, [row('dials', '2026-01-01', 99)]);
    const batch = days(1200).map((day, i) => row('dials', day, i));
    batch.push(row('dials', '2026-13-45x', 1)); // fails the day CHECK after 1200 rows went in
    await expect(upsertDailyValues(store, batch)).rejects.toThrow(/CHECK constraint failed|violates check constraint/);

    expect(await countDailyValues(store)).toBe(1);
    expect(await getDailyValues(store, ['dials'], '2026-01-01', '2026-01-02')).toMatchObject([{ value: 99 }]);
    // The failed transaction left the connection usable.
    await upsertDailyValues(store, [row('dials', '2026-01-02', 5)]);
    expect(await countDailyValues(store)).toBe(2);
  });

  it('refuses non-finite numbers with a message naming the metric and day', async () => {
    await expect(upsertDailyValues(store, [row('dials', '2026-11-16', Number.NaN)])).rejects.toThrow(
      'daily value dials 2026-11-16: value must be a finite number, got NaN',
    );
    await expect(
      upsertDailyValues(store, [row('ratio', '2026-11-16', 1, FETCH_1, { denominator: Number.POSITIVE_INFINITY })]),
    ).rejects.toThrow(/denominator must be a finite number/);
    expect(await countDailyValues(store)).toBe(0);
  });

  it('reads [from, toExclusive) for the asked metrics, ordered by metric then day', async () => {
    await upsertDailyValues(store, [
      row('mqls', '2026-11-17', 4),
      row('dials', '2026-11-22', 9),
      row('dials', '2026-11-15', 1),
      row('dials', '2026-11-16', 2),
      row('dials', '2026-11-23', 3),
      row('other', '2026-11-18', 100),
      row('mqls', '2026-11-16', 5),
    ]);
    const rows = await getDailyValues(store, ['mqls', 'dials'], '2026-11-16', '2026-11-23');
    expect(rows.map((r) => [r.metric_id, r.day, r.value])).toEqual([
      ['dials', '2026-11-16', 2],
      ['dials', '2026-11-22', 9],
      ['mqls', '2026-11-16', 5],
      ['mqls', '2026-11-17', 4],
    ]);
    expect(await getDailyValues(store, [], '2026-11-16', '2026-11-23')).toEqual([]);
    expect(await upsertDailyValues(store, [])).toBe(0);
  });

  it("reports when each metric's newest day was fetched, and omits metrics never fetched", async () => {
    await upsertDailyValues(store, [
      // A later backfill of an older day must not make the metric look fresh: its newest day is what counts.
      row('dials', '2026-11-15', 1, FETCH_2),
      row('dials', '2026-11-16', 2, FETCH_1),
      row('mqls', '2026-11-16', 5, FETCH_2),
    ]);
    const latest = await latestFetchedAt(store, ['dials', 'mqls', 'cash']);
    expect([...latest.entries()].sort()).toEqual([
      ['dials', FETCH_1],
      ['mqls', FETCH_2],
    ]);
    expect(await latestFetchedAt(store, [])).toEqual(new Map());
  });
});
