import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';
import type { z } from 'zod';
import type { businessHoursSchema } from '../config/schema.js';
import { addDays, dayStart, localDayOf } from '../metrics/periods.js';

dayjs.extend(utc);
dayjs.extend(timezone);

/** `support.business_hours` from scorecard.yml. */
export type BusinessHours = z.output<typeof businessHoursSchema>;

const WEEK_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const HOUR_MS = 3_600_000;

/**
 * Hours of the support schedule between two instants (e.g. ticket created → first agent reply), in the org
 * timezone: only the open hours of each local day count, holidays and closed days count nothing, and DST days
 * have their real length. Shared by every support source (HubSpot, Zendesk, Intercom, LiveChat).
 */
export function businessHoursBetween(startIso: string, endIso: string, schedule: BusinessHours, tz: string): number {
  const start = Date.parse(startIso);
  const end = Date.parse(endIso);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return 0;
  const holidays = new Set(schedule.holidays);
  const lastDay = localDayOf(new Date(end), tz);
  let openMs = 0;
  for (let day = localDayOf(new Date(start), tz); day <= lastDay; day = addDays(day, 1)) {
    if (holidays.has(day)) continue;
    const hours = schedule.week[WEEK_DAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!];
    if (!hours) continue;
    const opens = localTime(day, hours[0], tz);
    const closes = localTime(day, hours[1], tz);
    openMs += Math.max(0, Math.min(end, closes) - Math.max(start, opens));
  }
  return openMs / HOUR_MS;
}

/** The UTC instant (ms) of a local wall-clock time "HH:mm" on a local day; "24:00" is the next midnight. */
function localTime(day: string, hhmm: string, tz: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!match) throw new RangeError(`business hours: "${hhmm}" is not a time like 09:00`);
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour === 24 && minute === 0) return dayStart(addDays(day, 1), tz).getTime();
  if (hour > 23 || minute > 59) throw new RangeError(`business hours: "${hhmm}" is not a time like 09:00`);
  return dayjs.tz(`${day}T${match[1]!.padStart(2, '0')}:${match[2]}:00`, tz).valueOf();
}
