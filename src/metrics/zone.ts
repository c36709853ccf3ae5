import type { LocalDay } from './types.js';
import { abbreviationReader, type ZoneTable, zoneSegment } from './zone-table.js';

/**
 * Instant ↔ org-local calendar day, on Intl directly.
 *
 * dayjs's timezone plugin converts by formatting a wall-clock string and re-parsing it in the *host's* zone, so its
 * answers change with the server's TZ: on a Europe/London host, `dayjs.utc('2026-03-29T06:00Z').tz('America/Chicago')`
 * reads 02:00 instead of 01:00, and `dayjs.tz('2026-10-25', 'America/Chicago')` lands an hour off. Intl's
 * `formatToParts` has no host dependency, so every conversion in the engine goes through here.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const tables = new Map<string, ZoneTable>();

/**
 * Converts instants of this table's zone and span with its offsets rather than Intl (see zone-table.ts: a short
 * command then never builds a formatter). Same answers: the table is what Intl said.
 */
export function useZoneTable(table: ZoneTable): void {
  tables.set(table.timezone, table);
}

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

export function isValidTimezone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '') return false;
  if (tables.has(tz)) return true; // a table is only ever built for a zone Intl knows
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The org-local wall-clock fields of an instant (ms since epoch). */
export function wallClock(ms: number, timezone: string): WallClock {
  const table = tables.get(timezone);
  const segment = table && zoneSegment(table, ms);
  if (segment) {
    const wall = new Date(ms + segment.offsetSeconds * 1000);
    return {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
    };
  }
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(ms)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

const abbreviations = new Map<string, (ms: number) => string>();

/** The zone's short name at an instant ("CST", "CDT"; "GMT+1" where the locale has none). */
export function zoneAbbreviation(ms: number, timezone: string): string {
  const table = tables.get(timezone);
  const segment = table && zoneSegment(table, ms);
  if (segment) return segment.abbreviation;
  let read = abbreviations.get(timezone);
  if (!read) {
    read = abbreviationReader(timezone);
    abbreviations.set(timezone, read);
  }
  return read(ms);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function dayKey(ms: number, timezone: string): LocalDay {
  const w = wallClock(ms, timezone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** Minutes the zone is ahead of UTC at this instant. */
export function offsetMinutes(ms: number, timezone: string): number {
  const w = wallClock(ms, timezone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((wallAsUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const DATE_TIME_WITHOUT_ZONE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/;

/**
 * Milliseconds of an instant. A date-time without a zone (`2026-11-16T14:00`, SQLite's `2026-11-16 14:00:00`) is
 * read as UTC, never as the host's local time.
 */
export function instantMs(instant: Date | string): number {
  const ms = instant instanceof Date ? instant.getTime() : Date.parse(instant.replace(DATE_TIME_WITHOUT_ZONE, '$1T$2Z'));
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  return ms;
}

export function localDayOf(instant: Date | string, timezone: string): LocalDay {
  return dayKey(instantMs(instant), timezone);
}

const HOUR = 3_600_000;

const dayStarts = new Map<string, number>();
/** Plenty for every zone and day a process touches; cleared wholesale rather than tracked, since misses are cheap. */
const DAY_START_CACHE_LIMIT = 50_000;

/**
 * The first instant of a local day. Usually local midnight; where a DST jump skips midnight (America/Santiago) it
 * is the transition instant, where midnight happens twice (America/Havana) the first one, and a day a zone skipped
 * entirely (Pacific/Apia, 2011-12-30) starts and ends at the next day's start.
 */
export function dayStartMs(day: LocalDay, timezone: string): number {
  const key = `${timezone} ${day}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    if (dayStarts.size >= DAY_START_CACHE_LIMIT) dayStarts.clear();
    start = computeDayStart(day, timezone);
    dayStarts.set(key, start);
  }
  return start;
}

function computeDayStart(day: LocalDay, timezone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(y, m - 1, d);
  const isFirstInstant = (ms: number): boolean => dayKey(ms, timezone) === day && dayKey(ms - 1, timezone) !== day;

  // Common case: the offset at local midnight, refined once.
  let guess = midnightAsUtc - offsetMinutes(midnightAsUtc, timezone) * 60_000;
  guess = midnightAsUtc - offsetMinutes(guess, timezone) * 60_000;
  if (isFirstInstant(guess)) return guess;

  // Any DST change near midnight uses one of the offsets in force a day either side.
  const offsets = new Set([-1, 0, 1].map((k) => offsetMinutes(midnightAsUtc + k * 24 * HOUR, timezone)));
  const starts = [...offsets].map((offset) => midnightAsUtc - offset * 60_000).filter(isFirstInstant);
  if (starts.length > 0) return Math.min(...starts);

  // A gap that starts before midnight and ends after it, or a skipped day: the first instant at or after the day.
  let lo = midnightAsUtc - 16 * HOUR;
  let hi = midnightAsUtc + 16 * HOUR;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dayKey(mid, timezone) >= day) hi = mid;
    else lo = mid;
  }
  return hi;
}
