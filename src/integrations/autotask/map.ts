import type { LocalDay } from '../../metrics/types.js';
import { localDayOf } from '../../metrics/periods.js';
import type { CollectedValue } from '../source.js';
import { parseAutotaskInstant, type AutotaskQueryKind, type Ticket, type TimeEntry } from './schemas.js';

/**
 * Pure mappers from Autotask records to daily values. Records are folded into per-day tallies page by page,
 * so a long range never holds more than one page of raw records.
 */

export interface ClosedTally {
  closed: number;
  /** Closed on the same local calendar day they were created. */
  sameDay: number;
}

export interface HoursTally {
  billable: number;
  total: number;
}

export interface DayTallies {
  opened?: Map<LocalDay, number>;
  closed?: Map<LocalDay, ClosedTally>;
  hours?: Map<LocalDay, HoursTally>;
}

export function tallyOpened(into: Map<LocalDay, number>, tickets: readonly Ticket[], timezone: string): void {
  for (const ticket of tickets) {
    const day = localDayOf(parseAutotaskInstant(ticket.createDate), timezone);
    into.set(day, (into.get(day) ?? 0) + 1);
  }
}

/** Buckets by the local day of `completedDate`; tickets not (or no longer) in the Complete status are skipped. */
export function tallyClosed(into: Map<LocalDay, ClosedTally>, tickets: readonly Ticket[], timezone: string, completeStatus: number): void {
  for (const ticket of tickets) {
    if (!ticket.completedDate) continue;
    if (ticket.status !== undefined && ticket.status !== completeStatus) continue;
    const closedOn = localDayOf(parseAutotaskInstant(ticket.completedDate), timezone);
    const createdOn = localDayOf(parseAutotaskInstant(ticket.createDate), timezone);
    const tally = into.get(closedOn) ?? { closed: 0, sameDay: 0 };
    tally.closed += 1;
    if (createdOn === closedOn) tally.sameDay += 1;
    into.set(closedOn, tally);
  }
}

/**
 * The local day a time entry counts for. `dateWorked` is a date: Autotask serialises it as midnight UTC, which
 * converted to a zone west of UTC would land on the previous day, so a midnight-UTC value is read as its calendar
 * date; any other instant is converted to the org timezone.
 */
export function workDayOf(dateWorked: string, timezone: string): LocalDay {
  const at = parseAutotaskInstant(dateWorked);
  const isBareDate = at.getUTCHours() === 0 && at.getUTCMinutes() === 0 && at.getUTCSeconds() === 0 && at.getUTCMilliseconds() === 0;
  return isBareDate ? at.toISOString().slice(0, 10) : localDayOf(at, timezone);
}

/** An entry whose billing code, or internal code, is a time-off code. */
export function isTimeOff(entry: Pick<TimeEntry, 'billingCodeID' | 'internalBillingCodeID'>, timeOffCodes: ReadonlySet<number>): boolean {
  return [entry.billingCodeID, entry.internalBillingCodeID].some((code) => code !== null && code !== undefined && timeOffCodes.has(code));
}

export function tallyHours(
  into: Map<LocalDay, HoursTally>,
  entries: readonly TimeEntry[],
  timezone: string,
  timeOffCodes: ReadonlySet<number> = new Set(),
): void {
  for (const entry of entries) {
    // Time off (PTO, holidays) is not time worked: it is left out of both sides of the ratio.
    if (isTimeOff(entry, timeOffCodes)) continue;
    const day = workDayOf(entry.dateWorked, timezone);
    const tally = into.get(day) ?? { billable: 0, total: 0 };
    tally.total += entry.hoursWorked;
    if (!entry.isNonBillable) tally.billable += entry.hoursWorked;
    into.set(day, tally);
  }
}

function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** A percent ratio as the catalog stores it: value on a 0–100 scale, numerator and denominator in their own units. */
function percentValue(metricId: string, day: LocalDay, numerator: number, denominator: number): CollectedValue {
  const num = round(numerator);
  const den = round(denominator);
  return { metricId, day, value: den > 0 ? round((100 * num) / den) : 0, numerator: num, denominator: den };
}

/** What the same-day close rate divides by: tickets closed on the day (the default), or tickets created on it. */
export type SameDayDenominator = 'closed' | 'created';

/**
 * One value per day for a metric (0 where nothing happened), from tallies covering those days. A rate with nothing
 * to divide carries 0 ÷ 0, which the refresh stores as no value ("no activity").
 */
export function valuesFor(
  metricId: string,
  kind: AutotaskQueryKind,
  days: readonly LocalDay[],
  tallies: DayTallies,
  denominator: SameDayDenominator = 'closed',
): CollectedValue[] {
  return days.map((day) => valueOn(metricId, kind, day, tallies, denominator));
}

function valueOn(
  metricId: string,
  kind: AutotaskQueryKind,
  day: LocalDay,
  tallies: DayTallies,
  denominator: SameDayDenominator,
): CollectedValue {
  switch (kind) {
    case 'tickets_opened':
      return { metricId, day, value: tallies.opened?.get(day) ?? 0 };
    case 'tickets_closed':
      return { metricId, day, value: tallies.closed?.get(day)?.closed ?? 0 };
    case 'same_day_close_rate': {
      const tally = tallies.closed?.get(day) ?? { closed: 0, sameDay: 0 };
      return percentValue(metricId, day, tally.sameDay, denominator === 'created' ? (tallies.opened?.get(day) ?? 0) : tally.closed);
    }
    case 'utilization': {
      const tally = tallies.hours?.get(day) ?? { billable: 0, total: 0 };
      return percentValue(metricId, day, tally.billable, tally.total);
    }
  }
}
