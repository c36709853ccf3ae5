import type { Goal } from '../config/schema.js';

/** A calendar day in the org timezone, `YYYY-MM-DD`. */
export type LocalDay = string;

/** A reporting week: `[start, end)` in local days, and the same bounds as UTC instants. */
export interface Week {
  /** `2026-W47`: ISO week-year and number of the Thursday inside the week, whatever day weeks start on. */
  label: string;
  start: LocalDay;
  /** Exclusive: the first day of the next week. */
  end: LocalDay;
  /** UTC instant (ISO) of local midnight at `start`, DST-correct. */
  startAt: string;
  /** UTC instant (ISO) of local midnight at `end`. */
  endAt: string;
  timezone: string;
}

export interface Quarter {
  /** `2026-Q4` */
  label: string;
  start: LocalDay;
  /** Exclusive. */
  end: LocalDay;
}

/** The period settings the engine needs, taken from `config.org`. */
export interface PeriodSettings {
  timezone: string;
  weekStart: 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
}

/** One metric's value on one local day, after manual entries were merged in. */
export interface DayValue {
  day: LocalDay;
  value: number;
  numerator?: number | null;
  denominator?: number | null;
}

export interface Aggregated {
  /** null when no day in the period has data. */
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  /** Days in the period that had data. */
  days: number;
}

export type StatusColor = 'green' | 'yellow' | 'red';
export type StatusKind = StatusColor | 'no_goal' | 'no_data' | 'stale';

export interface Status {
  kind: StatusKind;
  /** What the goal alone would say; kept when `kind` is `stale` so the reason can be shown. */
  basis: StatusColor | 'no_goal' | 'no_data';
  /** How far the value misses the goal (≥ 0), in the metric's unit; 0 when met. */
  miss: number | null;
  tolerance: number | null;
  /** Hours since the newest snapshot when stale. */
  staleHours: number | null;
  /** Human reason, e.g. "68 % vs goal ≥ 70 %: within 10 % → yellow". */
  reason: string;
}

export type { Goal };
