import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/metrics/periods.js';
import { upsertDailyValues } from '../../src/store/daily-values.js';
import { getSourceHealth } from '../../src/store/source-health.js';
import { DAILY_HEADER, LOG_HEADER, WEEKLY_HEADER } from '../../src/sheets/rows.js';
import { bed, dataRows, keysOf, makeConfig, NOW, runtime, sync, TODAY, useSheetsTestbed, WINDOW_START } from './testbed.js';

/** The Google Sheets mirror against a stateful loopback fake of Sheets v4 and of Google's JWT-grant token endpoint. */

useSheetsTestbed();

describe('the Sheets mirror', () => {
  it('first sync creates the tabs and writes one Daily row per metric and day in the window', async () => {
    const result = await sync();
    expect(result).toMatchObject({ ok: true, from: WINDOW_START });
    expect(bed.fake.titles()).toEqual(['Sheet1', 'Daily', 'Weekly', 'Sync_Log']);
    expect(bed.fake.tab('Daily')![0]).toEqual(DAILY_HEADER);
    expect(bed.fake.tab('Weekly')![0]).toEqual(WEEKLY_HEADER);
    expect(bed.fake.tab('Sync_Log')![0]).toEqual(LOG_HEADER);

    const daily = dataRows('Daily');
    expect(daily).toHaveLength(365 + 1);
    expect(new Set(keysOf(daily)).size).toBe(daily.length);
    expect(daily.filter((r) => r[0] === 'dials').map((r) => r[2])).toEqual(Array.from({ length: 365 }, (_, i) => addDays(WINDOW_START, i)));
    expect(daily.find((r) => r[0] === 'dials' && r[2] === TODAY)).toEqual([
      'dials',
      'Dials',
      TODAY,
      20,
      '',
      '',
      'hubspot',
      '2026-11-16T12:00:00.000Z',
    ]);
    expect(daily.find((r) => r[0] === 'events')).toEqual(['events', 'Networking events', '2026-11-12', 2, '', '', 'manual']);
    expect(daily.some((r) => r[0] === 'cash')).toBe(false);

    const weekly = dataRows('Weekly');
    const dialsWeek = weekly.find((r) => r[0] === 'dials' && r[2] === '2026-W46')!;
    expect(dialsWeek).toEqual(['dials', 'Dials', '2026-W46', '2026-11-09', '≥ 125', expect.any(Number), 'green', expect.any(Number)]);
    expect(weekly.every((r) => String(r[3]) >= WINDOW_START)).toBe(true);
    expect(result.rowsWritten).toBe(daily.length + weekly.length);

    const log = dataRows('Sync_Log');
    expect(log).toEqual([[NOW.toISOString(), result.rowsWritten, expect.any(Number), 'ok']]);
    // One addSheet batch, one values:batchUpdate, one append: within Sheets' per-minute write quota by far.
    expect(bed.fake.calls).toMatchObject({ batchUpdate: 1, 'values.batchUpdate': 1, 'values.append': 1, token: 1 });
    expect((await getSourceHealth(bed.store)).find((h) => h.source === 'sheets')).toMatchObject({ consecutive_failures: 0 });
  });

  it('two syncs leave one Daily row per metric and day and two Sync_Log rows; a changed value is rewritten in place', async () => {
    await sync();
    const before = dataRows('Daily');
    const second = await sync();
    expect(second.rowsWritten).toBe(0);
    expect(dataRows('Daily')).toEqual(before);
    expect(dataRows('Sync_Log')).toHaveLength(2);
    expect(bed.fake.calls['values.batchUpdate']).toBe(1);

    const row = before.findIndex((r) => r[0] === 'dials' && r[2] === '2026-11-10');
    await upsertDailyValues(bed.store, [
      {
        metric_id: 'dials',
        day: '2026-11-10',
        value: 99,
        numerator: null,
        denominator: null,
        source: 'hubspot',
        fetched_at: '2026-11-16T13:00:00.000Z',
        warnings: null,
      },
    ]);
    const third = await sync();
    const after = dataRows('Daily');
    expect(after).toHaveLength(before.length);
    expect(after[row]).toEqual(['dials', 'Dials', '2026-11-10', 99, '', '', 'hubspot', '2026-11-16T13:00:00.000Z']);
    expect(new Set(keysOf(after)).size).toBe(after.length);
    expect(third.rowsWritten).toBeGreaterThanOrEqual(1);
    expect(dataRows('Sync_Log')).toHaveLength(3);
  });

  it('removes rows older than the window, and heals a duplicated row', async () => {
    await sync();
    const start = addDays(TODAY, 10 - 364);
    const oldWeeks = dataRows('Weekly').filter((r) => String(r[3]) < start).length;
    bed.fake.setTab('Daily', [...bed.fake.tab('Daily')!, ['dials', 'Dials', TODAY, 20, '', '', 'hubspot', 'x']]);
    const later = new Date(NOW.getTime() + 10 * 86_400_000);
    const result = await sync(runtime({ now: later }));
    const daily = dataRows('Daily');
    expect(daily.every((r) => String(r[2]) >= start)).toBe(true);
    expect(daily.filter((r) => r[0] === 'dials')).toHaveLength(355);
    expect(new Set(keysOf(daily)).size).toBe(daily.length);
    expect(oldWeeks).toBeGreaterThan(0);
    expect(dataRows('Weekly').every((r) => String(r[3]) >= start)).toBe(true);
    // Ten days rolled off, one duplicate healed, and the weeks that started before the window.
    expect(result.rowsDeleted).toBe(10 + 1 + oldWeeks);
  });

  it('mirrors sensitive metrics only with include_sensitive, and removes them again without it', async () => {
    await sync(runtime({ config: makeConfig(true) }));
    expect(dataRows('Daily').filter((r) => r[0] === 'cash')).toHaveLength(365);
    await sync(runtime({ config: makeConfig(false) }));
    expect(dataRows('Daily').some((r) => r[0] === 'cash')).toBe(false);
    expect(dataRows('Weekly').some((r) => r[0] === 'cash')).toBe(false);
  });

  it('--from writes only from that day on', async () => {
    const result = await sync(runtime(), { from: '2026-11-01' });
    expect(result.from).toBe('2026-11-01');
    expect(
      dataRows('Daily')
        .map((r) => String(r[2]))
        .sort()[0],
    ).toBe('2026-11-01');
  });
});
