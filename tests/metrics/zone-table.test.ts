import { describe, expect, it } from 'vitest';
import { buildZoneTable, zoneSegment } from '../../src/metrics/zone-table.js';
import { offsetMinutes, useZoneTable, wallClock, zoneAbbreviation } from '../../src/metrics/zone.js';

/** Zones with DST both ways, half-hour and 45-minute offsets, a skipped day, DST across midnight, no DST at all. */
const ZONES = [
  'America/Chicago',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'America/Santiago',
  'America/Havana',
  'Pacific/Apia',
  'Africa/Casablanca',
  'Asia/Kolkata',
  'UTC',
];

/** What Intl says, computed without any table: a fresh formatter per zone. */
function intlWallClock(ms: number, timezone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const field = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

describe('zone tables', () => {
  for (const timezone of ZONES) {
    it(`${timezone}: every transition and every 29 hours from 2000 to 2040 read as Intl reads them`, () => {
      const table = buildZoneTable(timezone, 2000, 2040);
      const formatter = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'short' });
      const intlAbbreviation = (ms: number) => formatter.formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value;
      const probes: number[] = [];
      for (const start of table.starts) probes.push(start - 1000, start - 1, start, start + 999, start + 1000);
      for (let ms = table.fromMs; ms < table.toMs; ms += 29 * 3_600_000 + 123) probes.push(ms);
      const before = probes.map((ms) => wallClock(ms, timezone));
      useZoneTable(table);
      for (const [i, ms] of probes.entries()) {
        if (ms < table.fromMs || ms >= table.toMs) continue;
        const wall = wallClock(ms, timezone);
        expect(wall, `${timezone} at ${new Date(ms).toISOString()}`).toEqual(before[i]);
        expect(zoneSegment(table, ms)!.abbreviation).toBe(intlAbbreviation(ms));
      }
      // Spot checks against a formatter that never saw the table.
      for (const ms of probes.filter((_, i) => i % 97 === 0))
        if (ms >= table.fromMs && ms < table.toMs) expect(wallClock(ms, timezone)).toEqual(intlWallClock(ms, timezone));
    });
  }

  it('finds Chicago’s DST changes to the second and names them', () => {
    const table = buildZoneTable('America/Chicago', 2026, 2027);
    expect(table.starts.map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-03-08T08:00:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
    expect(table.offsetSeconds).toEqual([-21_600, -18_000, -21_600]);
    expect(table.abbreviations).toEqual(['CST', 'CDT', 'CST']);
  });

  it('outside its span the zone goes back to Intl', () => {
    const table = buildZoneTable('Europe/Paris', 2020, 2021);
    useZoneTable(table);
    const summer1999 = Date.UTC(1999, 6, 1, 12);
    expect(zoneSegment(table, summer1999)).toBeUndefined();
    expect(offsetMinutes(summer1999, 'Europe/Paris')).toBe(120);
    expect(wallClock(summer1999, 'Europe/Paris')).toEqual(intlWallClock(summer1999, 'Europe/Paris'));
    expect(zoneAbbreviation(summer1999, 'Europe/Paris')).toBe('GMT+2');
  });
});
