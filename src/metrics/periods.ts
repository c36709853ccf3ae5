import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import { WEEK_DAYS } from '../config/enums.js';
import type { LocalDay, PeriodSettings, Quarter, Week } from './types.js';
import { dayStartMs, isValidTimezone, localDayOf } from './zone.js';

/*
 * Calendar arithmetic on local days runs in UTC (dayjs's UTC mode, or plain UTC dates on hot paths), where every day is 24 h
 * and nothing depends on the host; the only zone-aware steps (instant → day, day → first instant) live in zone.ts.
 */
dayjs.extend(utc);

export { isValidTimezone, localDayOf };

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const WEEK_LABEL_PATTERN = /^(\d{4})-W(\d{2})$/i;
const DAY_MS = 86_400_000;
/** ISO weekday (Monday 1 … Sunday 7) of Thursday, the day that names a week. */
const THURSDAY = 4;

/** Midnight UTC of a calendar day: day arithmetic in UTC has 24-hour days and no host dependency. */
function utcMs(day: LocalDay): number {
  const match = DAY_PATTERN.exec(day);
  if (match) {
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as written.
    const date = new Date(0);
    date.setUTCFullYear(y, m - 1, d);
    if (date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d) return date.getTime();
  }
  throw new RangeError(`not a valid day (YYYY-MM-DD): ${day}`);
}

export function isValidDay(day: string): boolean {
  try {
    utcMs(day);
    return true;
  } catch {
    return false;
  }
}

const fromUtcMs = (ms: number): LocalDay => new Date(ms).toISOString().slice(0, 10);

function calendarDay(day: LocalDay): dayjs.Dayjs {
  return dayjs.utc(utcMs(day));
}

const format = (d: dayjs.Dayjs): LocalDay => d.format('YYYY-MM-DD');

/** ISO weekday, Monday 1 … Sunday 7. */
function isoWeekday(day: LocalDay): number {
  return new Date(utcMs(day)).getUTCDay() || 7;
}

export function addDays(day: LocalDay, n: number): LocalDay {
  return fromUtcMs(utcMs(day) + n * DAY_MS);
}

export function compareDays(a: LocalDay, b: LocalDay): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The earlier of two days. Days are ISO strings, which order as dates; `Math.min` would make them NaN. */
export function earlierDay(a: LocalDay, b: LocalDay): LocalDay {
  return compareDays(a, b) <= 0 ? a : b;
}

/** The later of two days. */
export function laterDay(a: LocalDay, b: LocalDay): LocalDay {
  return compareDays(a, b) >= 0 ? a : b;
}

/** Every day in `[from, toExclusive)`, in order. */
export function daysInRange(from: LocalDay, toExclusive: LocalDay): LocalDay[] {
  const days: LocalDay[] = [];
  for (let day = from; compareDays(day, toExclusive) < 0; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The UTC instant a local day begins (local midnight; a DST day is 23 or 25 hours long). */
export function dayStart(day: LocalDay, timezone: string): Date {
  utcMs(day);
  if (!isValidTimezone(timezone)) throw new RangeError(`unknown timezone: ${timezone}`);
  return new Date(dayStartMs(day, timezone));
}

function weekStartIso(s: PeriodSettings): number {
  return WEEK_DAYS.indexOf(s.weekStart) + 1;
}

/** ISO week number of a Thursday: its week-year is its own calendar year. */
function isoLabelOfThursday(thursday: LocalDay): string {
  const year = thursday.slice(0, 4);
  const dayOfYear = (utcMs(thursday) - utcMs(`${year}-01-01`)) / DAY_MS;
  return `${year}-W${String(Math.floor(dayOfYear / 7) + 1).padStart(2, '0')}`;
}

function weekStartingOn(start: LocalDay, s: PeriodSettings): Week {
  const end = addDays(start, 7);
  const thursday = addDays(start, (THURSDAY - weekStartIso(s) + 7) % 7);
  return {
    label: isoLabelOfThursday(thursday),
    start,
    end,
    startAt: dayStart(start, s.timezone).toISOString(),
    endAt: dayStart(end, s.timezone).toISOString(),
    timezone: s.timezone,
  };
}

export function weekContaining(day: LocalDay, s: PeriodSettings): Week {
  const back = (isoWeekday(day) - weekStartIso(s) + 7) % 7;
  return weekStartingOn(addDays(day, -back), s);
}

export function weekOfInstant(now: Date, s: PeriodSettings): Week {
  return weekContaining(localDayOf(now, s.timezone), s);
}

/** The newest week that has fully ended by `now`; the week in progress is never returned. */
export function lastCompletedWeek(now: Date, s: PeriodSettings): Week {
  const current = weekOfInstant(now, s);
  return weekStartingOn(addDays(current.start, -7), s);
}

/** `2026-W47` → that week under `s`; undefined for malformed labels and week numbers the year does not have. */
export function parseWeekLabel(label: string, s: PeriodSettings): Week | undefined {
  const match = WEEK_LABEL_PATTERN.exec(label.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  const number = Number(match[2]);
  if (number < 1 || number > 53) return undefined;
  // January 4th is always in ISO week 1.
  const jan4 = `${String(year).padStart(4, '0')}-01-04`;
  const firstThursday = addDays(jan4, THURSDAY - isoWeekday(jan4));
  const thursday = addDays(firstThursday, 7 * (number - 1));
  if (!thursday.startsWith(`${String(year).padStart(4, '0')}-`)) return undefined;
  return weekContaining(thursday, s);
}

/** `n` consecutive weeks ending with `week`, oldest first. */
export function trailingWeeks(week: Week, n: number, s: PeriodSettings): Week[] {
  const weeks: Week[] = [];
  for (let back = n - 1; back >= 0; back--) weeks.push(weekStartingOn(addDays(week.start, -7 * back), s));
  return weeks;
}

export function quarterOf(day: LocalDay): Quarter {
  const d = calendarDay(day);
  const quarter = Math.floor(d.month() / 3) + 1;
  const start = d.startOf('year').add(3 * (quarter - 1), 'month');
  return { label: `${d.year()}-Q${quarter}`, start: format(start), end: format(start.add(3, 'month')) };
}

/** The weeks of `week`'s quarter (by start day) from the first up to and including `week`, oldest first. */
export function quarterWeeks(week: Week, s: PeriodSettings): Week[] {
  const quarter = quarterOf(week.start);
  const containing = weekContaining(quarter.start, s);
  const firstStart = compareDays(containing.start, quarter.start) < 0 ? addDays(containing.start, 7) : containing.start;
  const count = Math.round((utcMs(week.start) - utcMs(firstStart)) / DAY_MS / 7) + 1;
  return trailingWeeks(week, count, s);
}

export type Period = { kind: 'week'; week: Week } | { kind: 'day'; day: LocalDay };

/** `2026-W47` or `2026-11-20`; words like `last-week` are the caller's to resolve. */
export function parsePeriod(input: string, s: PeriodSettings): Period | undefined {
  const text = input.trim();
  if (WEEK_LABEL_PATTERN.test(text)) {
    const week = parseWeekLabel(text, s);
    return week ? { kind: 'week', week } : undefined;
  }
  return isValidDay(text) ? { kind: 'day', day: text } : undefined;
}
