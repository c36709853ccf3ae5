import cron, { type ScheduledTask } from 'node-cron';
import type { DigestKind } from '../store/types.js';
import type { LocalDay, PeriodSettings, Week } from '../metrics/types.js';
import { addDays, lastCompletedWeek, localDayOf } from '../metrics/periods.js';
import { dayStartMs } from '../metrics/zone.js';

/**
 * When the scheduler's cron expressions fire, in the org timezone: the last fire before a moment (catch-up after
 * downtime), the next one after it (which week a nudge chases), and the period a fire reports.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Fire times of `expr` in `timezone` on `day`, ascending, checked by node-cron's own matcher (DST-correct). */
function fireTimesOn(expr: string, timezone: string, day: LocalDay, matcher: ScheduledTask): number[] {
  const fields = cron.parse(expr);
  const start = dayStartMs(day, timezone);
  const times = new Set<number>();
  for (const hour of fields.hour) {
    for (const minute of fields.minute) {
      for (const second of fields.second) {
        const naive = start + hour * HOUR + minute * MINUTE + second * 1000;
        // Across a DST change the wall time sits an hour off the naive offset from midnight.
        for (const t of [naive, naive - HOUR, naive + HOUR]) {
          if (localDayOf(new Date(t), timezone) === day && matcher.match(new Date(t))) times.add(t);
        }
      }
    }
  }
  return [...times].sort((a, b) => a - b);
}

function searchFireTime(expr: string, from: Date, timezone: string, direction: 1 | -1, maxDays: number): Date | null {
  const matcher = cron.createTask(expr, () => undefined, { timezone });
  try {
    const firstDay = localDayOf(from, timezone);
    for (let i = 0; i <= maxDays; i++) {
      const times = fireTimesOn(expr, timezone, addDays(firstDay, i * direction), matcher);
      const candidates = direction === -1 ? times.filter((t) => t <= from.getTime()).reverse() : times.filter((t) => t > from.getTime());
      if (candidates.length > 0) return new Date(candidates[0]!);
    }
    return null;
  } finally {
    void matcher.destroy();
  }
}

/** The latest fire time of `expr` at or before `before`, looking back at most `maxDays` days; null if none. */
export function previousFireTime(expr: string, before: Date, timezone: string, maxDays = 8): Date | null {
  return searchFireTime(expr, before, timezone, -1, maxDays);
}

/** The first fire time of `expr` strictly after `after`, looking ahead at most `maxDays` days; null if none. */
export function nextFireTime(expr: string, after: Date, timezone: string, maxDays = 35): Date | null {
  return searchFireTime(expr, after, timezone, 1, maxDays);
}

/** The period a digest fired at `at` reports: the last completed week, or the local day. */
export function digestPeriod(kind: DigestKind, at: Date, periods: PeriodSettings): string {
  return kind === 'weekly' ? lastCompletedWeek(at, periods).label : localDayOf(at, periods.timezone);
}

/** The week whose numbers a nudge at `slot` chases: the one the next weekly post will report. */
export function nudgeWeek(weeklyExpr: string, slot: Date, periods: PeriodSettings): Week {
  const nextPost = nextFireTime(weeklyExpr, slot, periods.timezone) ?? slot;
  return lastCompletedWeek(nextPost, periods);
}
