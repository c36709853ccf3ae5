import dayjs from 'dayjs';
import type { StatusKind } from '../metrics/types.js';
import { formatAge } from '../metrics/format.js';
import { instantMs, wallClock, zoneAbbreviation } from '../metrics/zone.js';

/** Wording shared by the terminal and Block Kit renderers, so both say the same thing the same way. */

export const STATUS_EMOJI: Record<StatusKind, string> = {
  green: '🟢',
  yellow: '🟡',
  red: '🔴',
  no_data: '⚪',
  no_goal: '▫️',
  stale: '🕒',
};

export const STATUS_WORD: Record<StatusKind, string> = {
  green: 'on track',
  yellow: 'near miss',
  red: 'off track',
  no_data: 'no data',
  no_goal: 'no goal',
  stale: 'stale',
};

export function statusLabel(kind: StatusKind, staleHours: number | null): string {
  if (kind === 'stale' && staleHours !== null) return `${STATUS_EMOJI.stale} ${formatAge(staleHours)}`;
  return STATUS_EMOJI[kind];
}

/** "Mon 9 Nov – Sun 15 Nov 2026" for a week given by its first and last local day. */
export function dayRange(start: string, endInclusive: string): string {
  const a = dayjs(start);
  const b = dayjs(endInclusive);
  const left = a.year() === b.year() ? a.format('ddd D MMM') : a.format('ddd D MMM YYYY');
  return `${left} – ${b.format('ddd D MMM YYYY')}`;
}

export function dayLabel(day: string): string {
  return dayjs(day).format('dddd D MMM YYYY');
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** An instant in the org timezone: "Mon 16 Nov 08:00 CST" (the zone's wall clock, whatever the host's zone). */
export function localTime(iso: string, tz: string): string {
  const ms = instantMs(iso);
  const w = wallClock(ms, tz);
  const weekday = WEEKDAYS[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()]!;
  const hhmm = `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
  const abbreviation = zoneAbbreviation(ms, tz);
  return `${weekday} ${w.day} ${MONTHS[w.month - 1]!} ${hhmm}${abbreviation ? ` ${abbreviation}` : ''}`;
}

/** "5 h ago" relative to now, for freshness lines. */
export function ageOf(iso: string | null, now: Date): string {
  if (!iso) return 'never';
  const hours = Math.max(0, (now.getTime() - Date.parse(iso)) / 3_600_000);
  return hours < 1 ? 'just now' : `${formatAge(hours)} ago`;
}

/** The order statuses are counted and listed in: the goal colours first, then what has no colour and why. */
export const SUMMARY_ORDER: readonly StatusKind[] = ['green', 'yellow', 'red', 'no_data', 'no_goal', 'stale'];

/** "🟢 15 on track", one per status, each symbol meaning one thing (the README legend lists them). */
export function summaryParts(summary: Record<StatusKind, number>): string[] {
  return SUMMARY_ORDER.map((kind) => `${STATUS_EMOJI[kind]} ${summary[kind]} ${STATUS_WORD[kind]}`);
}

export function summaryLine(summary: Record<StatusKind, number>): string {
  return summaryParts(summary).join('  ');
}
