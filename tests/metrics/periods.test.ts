import dayjs from 'dayjs';
import isoWeek from 'dayjs/plugin/isoWeek.js';
import utc from 'dayjs/plugin/utc.js';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  compareDays,
  dayStart,
  daysInRange,
  isValidTimezone,
  lastCompletedWeek,
  localDayOf,
  parsePeriod,
  parseWeekLabel,
  quarterOf,
  quarterWeeks,
  trailingWeeks,
  weekContaining,
  weekOfInstant,
} from '../../src/metrics/periods.js';
import type { PeriodSettings } from '../../src/metrics/types.js';

dayjs.extend(utc);
dayjs.extend(isoWeek);

const HOUR = 3_600_000;
const chicago: PeriodSettings = { timezone: 'America/Chicago', weekStart: 'monday' };
const chicagoSunday: PeriodSettings = { timezone: 'America/Chicago', weekStart: 'sunday' };
const london: PeriodSettings = { timezone: 'Europe/London', weekStart: 'monday' };

function dayLengthHours(day: string, timezone: string): number {
  return (dayStart(addDays(day, 1), timezone).getTime() - dayStart(day, timezone).getTime()) / HOUR;
}

describe('local days across DST', () => {
  it.each([
    ['America/Chicago', '2026-03-08', '2026-03-08T06:00:00.000Z', 23],
    ['America/Chicago', '2026-03-09', '2026-03-09T05:00:00.000Z', 24],
    ['America/Chicago', '2026-11-01', '2026-11-01T05:00:00.000Z', 25],
    ['America/Chicago', '2026-11-02', '2026-11-02T06:00:00.000Z', 24],
    ['Europe/London', '2026-03-29', '2026-03-29T00:00:00.000Z', 23],
    ['Europe/London', '2026-03-30', '2026-03-29T23:00:00.000Z', 24],
    ['Europe/London', '2026-10-25', '2026-10-24T23:00:00.000Z', 25],
    ['Europe/London', '2026-10-26', '2026-10-26T00:00:00.000Z', 24],
    ['Asia/Kolkata', '2026-03-08', '2026-03-07T18:30:00.000Z', 24],
    ['Asia/Kolkata', '2026-11-01', '2026-10-31T18:30:00.000Z', 24],
  ])('%s %s starts at %s and lasts %i h', (timezone, day, start, hours) => {
    expect(dayStart(day, timezone).toISOString()).toBe(start);
    expect(dayLengthHours(day, timezone)).toBe(hours);
  });

  it('takes the transition as the start of a day whose midnight is skipped (America/Santiago)', () => {
    // Chile springs forward at 24:00 on Saturday: Sunday begins at 01:00 -03.
    expect(dayStart('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(localDayOf('2026-09-06T03:59:59.999Z', 'America/Santiago')).toBe('2026-09-05');
    expect(dayLengthHours('2026-09-06', 'America/Santiago')).toBe(23);
  });

  it('takes the first of two midnights (America/Havana falls back from 01:00 to 00:00)', () => {
    expect(dayStart('2026-11-01', 'America/Havana').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(dayLengthHours('2026-11-01', 'America/Havana')).toBe(25);
  });

  it('gives a skipped day no length (Samoa skipped 2011-12-30)', () => {
    expect(dayStart('2011-12-30', 'Pacific/Apia').toISOString()).toBe('2011-12-30T10:00:00.000Z');
    expect(dayLengthHours('2011-12-30', 'Pacific/Apia')).toBe(0);
  });

  it.each([
    ['2026-03-08T05:59:59.999Z', 'America/Chicago', '2026-03-07'],
    ['2026-03-08T06:00:00.000Z', 'America/Chicago', '2026-03-08'],
    ['2026-03-09T04:59:59.999Z', 'America/Chicago', '2026-03-08'],
    ['2026-03-09T05:00:00.000Z', 'America/Chicago', '2026-03-09'],
    ['2026-11-01T06:30:00.000Z', 'America/Chicago', '2026-11-01'],
    ['2026-11-02T05:59:59.999Z', 'America/Chicago', '2026-11-01'],
    ['2026-03-29T23:00:00.000Z', 'Europe/London', '2026-03-30'],
    ['2026-10-24T23:00:00.000Z', 'Europe/London', '2026-10-25'],
    ['2026-03-07T18:29:59.999Z', 'Asia/Kolkata', '2026-03-07'],
    ['2026-03-07T18:30:00.000Z', 'Asia/Kolkata', '2026-03-08'],
    ['2026-03-07T18:30:00+00:00', 'Asia/Kolkata', '2026-03-08'],
    ['2026-03-07T12:30:00-06:00', 'Asia/Kolkata', '2026-03-08'],
  ])('%s is %s day %s', (instant, timezone, day) => {
    expect(localDayOf(instant, timezone)).toBe(day);
    expect(localDayOf(new Date(instant), timezone)).toBe(day);
  });

  it('reads an ISO instant without a zone as UTC, never as host time', () => {
    expect(localDayOf('2026-03-07T18:30:00', 'Asia/Kolkata')).toBe('2026-03-08');
    expect(localDayOf('2026-03-07 18:29:59', 'Asia/Kolkata')).toBe('2026-03-07');
    expect(localDayOf('2026-03-07 18:30:00.000', 'Asia/Kolkata')).toBe('2026-03-08');
  });

  it('rejects bad input', () => {
    expect(() => localDayOf('not a date', 'UTC')).toThrow(RangeError);
    expect(() => dayStart('2026-02-30', 'UTC')).toThrow(RangeError);
    expect(() => dayStart('2026-02-01', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('day arithmetic', () => {
  it('adds, compares and lists days across month, year and DST edges', () => {
    expect(addDays('2026-03-07', 2)).toBe('2026-03-09');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(compareDays('2026-11-01', '2026-11-02')).toBe(-1);
    expect(compareDays('2026-11-02', '2026-11-02')).toBe(0);
    expect(compareDays('2026-12-01', '2026-11-30')).toBe(1);
    expect(daysInRange('2026-10-30', '2026-11-03')).toEqual(['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02']);
    expect(daysInRange('2026-11-03', '2026-11-03')).toEqual([]);
  });
});

describe('weeks', () => {
  it('builds a Monday week over the spring-forward Sunday with DST-correct bounds', () => {
    expect(weekContaining('2026-03-08', chicago)).toEqual({
      label: '2026-W10',
      start: '2026-03-02',
      end: '2026-03-09',
      startAt: '2026-03-02T06:00:00.000Z',
      endAt: '2026-03-09T05:00:00.000Z',
      timezone: 'America/Chicago',
    });
  });

  it('builds a Sunday week: it starts on the DST day and is 167 h long', () => {
    const week = weekContaining('2026-03-08', chicagoSunday);
    expect(week).toMatchObject({ label: '2026-W11', start: '2026-03-08', end: '2026-03-15' });
    expect((Date.parse(week.endAt) - Date.parse(week.startAt)) / HOUR).toBe(167);
    expect(weekContaining('2026-03-07', chicagoSunday)).toMatchObject({ label: '2026-W10', start: '2026-03-01' });
  });

  it('makes the fall-back week 169 h long in London', () => {
    const week = weekContaining('2026-10-25', london);
    expect(week).toMatchObject({
      start: '2026-10-19',
      end: '2026-10-26',
      startAt: '2026-10-18T23:00:00.000Z',
      endAt: '2026-10-26T00:00:00.000Z',
    });
    expect((Date.parse(week.endAt) - Date.parse(week.startAt)) / HOUR).toBe(169);
  });

  it('labels weeks with ISO week numbers across the year boundary (2026 has a week 53)', () => {
    expect(weekContaining('2026-12-31', chicago)).toMatchObject({ label: '2026-W53', start: '2026-12-28', end: '2027-01-04' });
    expect(weekContaining('2027-01-03', chicago).label).toBe('2026-W53');
    expect(weekContaining('2027-01-04', chicago)).toMatchObject({ label: '2027-W01', start: '2027-01-04' });
    expect(weekContaining('2026-01-01', chicago)).toMatchObject({ label: '2026-W01', start: '2025-12-29' });
    // Sunday weeks take the label of the Thursday inside them.
    expect(weekContaining('2026-12-27', chicagoSunday)).toMatchObject({ label: '2026-W53', start: '2026-12-27', end: '2027-01-03' });
    expect(weekContaining('2027-01-03', chicagoSunday)).toMatchObject({ label: '2027-W01', start: '2027-01-03' });
  });

  it('gives Monday weeks the exact ISO label for every day of 2026–2027', () => {
    for (const day of daysInRange('2026-01-01', '2028-01-01')) {
      const week = weekContaining(day, chicago);
      const iso = dayjs.utc(day);
      expect(week.label).toBe(`${iso.isoWeekYear()}-W${String(iso.isoWeek()).padStart(2, '0')}`);
      expect(compareDays(week.start, day)).toBeLessThanOrEqual(0);
      expect(compareDays(day, week.end)).toBe(-1);
      expect(parseWeekLabel(week.label, chicago)).toEqual(week);
    }
  });

  it('finds the week of an instant in the org timezone', () => {
    // Sunday 23:30 in Chicago is already Monday in UTC.
    expect(weekOfInstant(new Date('2026-11-16T05:30:00Z'), chicago).start).toBe('2026-11-09');
    expect(weekOfInstant(new Date('2026-11-16T06:00:00Z'), chicago).start).toBe('2026-11-16');
  });
});

describe('lastCompletedWeek', () => {
  it('on Monday 08:00 is the week that ended at midnight, never the current one', () => {
    expect(lastCompletedWeek(new Date('2026-11-16T14:00:00Z'), chicago)).toMatchObject({
      label: '2026-W46',
      start: '2026-11-09',
      end: '2026-11-16',
    });
  });

  it('flips exactly at the boundary instant (after fall-back in Chicago)', () => {
    const boundary = new Date('2026-11-09T06:00:00.000Z');
    expect(lastCompletedWeek(boundary, chicago)).toMatchObject({ start: '2026-11-02', endAt: '2026-11-09T06:00:00.000Z' });
    expect(lastCompletedWeek(new Date(boundary.getTime() - 1), chicago)).toMatchObject({
      start: '2026-10-26',
      endAt: '2026-11-02T06:00:00.000Z',
    });
  });

  it('flips exactly at the boundary instant (after spring-forward in London, Sunday and Monday starts)', () => {
    const boundary = new Date('2026-03-29T23:00:00.000Z');
    expect(lastCompletedWeek(boundary, london)).toMatchObject({ start: '2026-03-23', end: '2026-03-30' });
    expect(lastCompletedWeek(new Date(boundary.getTime() - 1), london)).toMatchObject({ start: '2026-03-16' });
    const sundayLondon: PeriodSettings = { timezone: 'Europe/London', weekStart: 'sunday' };
    const sundayBoundary = new Date('2026-03-29T00:00:00.000Z');
    expect(lastCompletedWeek(sundayBoundary, sundayLondon)).toMatchObject({ start: '2026-03-22', end: '2026-03-29' });
    expect(lastCompletedWeek(new Date(sundayBoundary.getTime() - 1), sundayLondon)).toMatchObject({ start: '2026-03-15' });
  });

  it('is always fully in the past', () => {
    for (let t = Date.parse('2026-10-20T00:00:00Z'); t < Date.parse('2026-11-20T00:00:00Z'); t += 7 * 3_600_000) {
      const week = lastCompletedWeek(new Date(t), chicago);
      expect(Date.parse(week.endAt)).toBeLessThanOrEqual(t);
      expect(Date.parse(weekOfInstant(new Date(t), chicago).startAt)).toBe(Date.parse(week.endAt));
    }
  });
});

describe('parseWeekLabel', () => {
  it.each([chicago, chicagoSunday, { timezone: 'Asia/Kolkata', weekStart: 'wednesday' } as PeriodSettings])(
    'round-trips every week of 2026 and 2027 (%o)',
    (settings) => {
      const labels = [
        ...Array.from({ length: 53 }, (_, i) => `2026-W${String(i + 1).padStart(2, '0')}`),
        ...Array.from({ length: 52 }, (_, i) => `2027-W${String(i + 1).padStart(2, '0')}`),
      ];
      const weeks = labels.map((label) => parseWeekLabel(label, settings));
      weeks.forEach((week, i) => {
        expect(week?.label).toBe(labels[i]);
        expect(weekContaining(week!.start, settings)).toEqual(week);
        if (i > 0) expect(week!.start).toBe(weeks[i - 1]!.end);
      });
    },
  );

  it('rejects week numbers the year does not have and malformed labels', () => {
    expect(parseWeekLabel('2027-W53', chicago)).toBeUndefined();
    expect(parseWeekLabel('2026-W54', chicago)).toBeUndefined();
    expect(parseWeekLabel('2026-W00', chicago)).toBeUndefined();
    expect(parseWeekLabel('2026-47', chicago)).toBeUndefined();
    expect(parseWeekLabel('2026-W5', chicago)).toBeUndefined();
  });

  it('resolves W53 and W01 around the 2026/2027 boundary', () => {
    expect(parseWeekLabel('2026-W53', chicago)).toMatchObject({ start: '2026-12-28', end: '2027-01-04' });
    expect(parseWeekLabel('2027-W01', chicago)).toMatchObject({ start: '2027-01-04' });
    expect(parseWeekLabel('2026-W53', chicagoSunday)).toMatchObject({ start: '2026-12-27', end: '2027-01-03' });
  });
});

describe('trailing weeks and quarters', () => {
  it('lists n weeks ending with the given one, oldest first', () => {
    const weeks = trailingWeeks(parseWeekLabel('2027-W02', chicago)!, 4, chicago);
    expect(weeks.map((w) => w.label)).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
    expect(trailingWeeks(weeks[3]!, 0, chicago)).toEqual([]);
    expect(trailingWeeks(parseWeekLabel('2026-W47', chicago)!, 13, chicago)).toHaveLength(13);
  });

  it('knows quarters', () => {
    expect(quarterOf('2026-11-20')).toEqual({ label: '2026-Q4', start: '2026-10-01', end: '2027-01-01' });
    expect(quarterOf('2026-01-01')).toEqual({ label: '2026-Q1', start: '2026-01-01', end: '2026-04-01' });
    expect(quarterOf('2026-06-30')).toEqual({ label: '2026-Q2', start: '2026-04-01', end: '2026-07-01' });
  });

  it('lists the weeks of a quarter by start day, up to the given week', () => {
    // 2026-10-01 is a Thursday: the week of Sep 28 belongs to Q3.
    expect(quarterWeeks(parseWeekLabel('2026-W47', chicago)!, chicago).map((w) => w.start)).toEqual([
      '2026-10-05',
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
    expect(quarterWeeks(weekContaining('2026-11-16', chicagoSunday), chicagoSunday).map((w) => w.start)).toEqual([
      '2026-10-04',
      '2026-10-11',
      '2026-10-18',
      '2026-10-25',
      '2026-11-01',
      '2026-11-08',
      '2026-11-15',
    ]);
    // The week of Dec 28 starts in Q4 even though most of it is in January.
    expect(quarterWeeks(parseWeekLabel('2026-W53', chicago)!, chicago)).toHaveLength(13);
    expect(quarterWeeks(parseWeekLabel('2027-W01', chicago)!, chicago).map((w) => w.label)).toEqual(['2027-W01']);
    // 2024-04-01 is a Monday: the quarter's first week starts on its first day.
    expect(quarterWeeks(weekContaining('2024-04-03', chicago), chicago).map((w) => w.start)).toEqual(['2024-04-01']);
  });
});

describe('parsePeriod and timezones', () => {
  it('accepts week labels and days only', () => {
    expect(parsePeriod('2026-W47', chicago)).toEqual({ kind: 'week', week: parseWeekLabel('2026-W47', chicago) });
    expect(parsePeriod(' 2026-w47 ', chicago)).toMatchObject({ kind: 'week', week: { label: '2026-W47' } });
    expect(parsePeriod('2026-11-20', chicago)).toEqual({ kind: 'day', day: '2026-11-20' });
    expect(parsePeriod('2027-W53', chicago)).toBeUndefined();
    expect(parsePeriod('2026-02-30', chicago)).toBeUndefined();
    expect(parsePeriod('last-week', chicago)).toBeUndefined();
    expect(parsePeriod('this-week', chicago)).toBeUndefined();
  });

  it('validates IANA names', () => {
    expect(isValidTimezone('America/Chicago')).toBe(true);
    expect(isValidTimezone('Asia/Kolkata')).toBe(true);
    expect(isValidTimezone('UTC')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
    expect(isValidTimezone('')).toBe(false);
  });
});
