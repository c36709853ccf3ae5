import type { Aggregate, Unit } from '../config/schema.js';
import type { Aggregated, DayValue, LocalDay } from './types.js';

/** Removes binary float noise from sums (0.1 + 0.2 → 0.3) so cents and counts read exactly. */
function clean(n: number): number {
  return Number(n.toPrecision(15));
}

function sum(numbers: number[]): number {
  return clean(numbers.reduce((total, n) => total + n, 0));
}

/**
 * The value of a ratio in its metric's unit. Percent metrics are stored and shown as percentage numbers (68 means
 * 68 %), so a percent ratio is 100 × Σnum ÷ Σden; every other unit is Σnum ÷ Σden in the numerator's unit (average
 * first response: Σ hours ÷ Σ replies). null when nothing was counted (Σden = 0).
 */
export function ratioValue(numerator: number, denominator: number, unit: Unit): number | null {
  if (denominator === 0 || !Number.isFinite(numerator) || !Number.isFinite(denominator)) return null;
  return clean(unit === 'percent' ? (100 * numerator) / denominator : numerator / denominator);
}

/**
 * A day's value is its source value plus the sum of its live manual entries; a day with only manual entries appears
 * too. Numerator and denominator stay the source's: a manual number cannot be split into the two.
 */
export function mergeManual(values: DayValue[], manual: { day: LocalDay; value: number }[]): DayValue[] {
  const byDay = new Map<LocalDay, DayValue>();
  for (const v of values) {
    const seen = byDay.get(v.day);
    byDay.set(v.day, seen ? { ...seen, value: clean(seen.value + v.value) } : { ...v });
  }
  for (const entry of manual) {
    const seen = byDay.get(entry.day);
    byDay.set(entry.day, seen ? { ...seen, value: clean(seen.value + entry.value) } : { day: entry.day, value: entry.value });
  }
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

type RatioParts = { value: number | null; numerator?: number | null; denominator?: number | null };

const hasParts = (v: RatioParts): v is RatioParts & { numerator: number; denominator: number } =>
  typeof v.numerator === 'number' && typeof v.denominator === 'number';

function sumParts(values: RatioParts[]): { numerator: number | null; denominator: number | null } {
  const withParts = values.filter(hasParts);
  if (withParts.length === 0) return { numerator: null, denominator: null };
  return { numerator: sum(withParts.map((v) => v.numerator)), denominator: sum(withParts.map((v) => v.denominator)) };
}

const NOTHING: Aggregated = { value: null, numerator: null, denominator: null, days: 0 };

/**
 * One period's value from its daily values: `sum` (flows), `last` (stocks: the latest day with data), `mean` (of days
 * with data) or `ratio` (Σ numerators ÷ Σ denominators — never an average of daily percentages; see ratioValue).
 * `numerator`/`denominator` are the period's sums whenever days carry them (for `last`, that day's).
 * A stock that carries parts (lead queue runway = leads queued ÷ leads contacted per day) is their quotient at its
 * latest day, so "nothing sent" is null with the parts kept, never a placeholder 0.
 */
export function aggregate(values: DayValue[], how: Aggregate, unit: Unit): Aggregated {
  if (values.length === 0) return { ...NOTHING };
  const days = new Set(values.map((v) => v.day)).size;
  const parts = sumParts(values);
  switch (how) {
    case 'sum':
      return { value: sum(values.map((v) => v.value)), ...parts, days };
    case 'mean':
      return { value: clean(sum(values.map((v) => v.value)) / values.length), ...parts, days };
    case 'last': {
      const latest = values.reduce((a, b) => (b.day >= a.day ? b : a));
      const value = hasParts(latest) ? ratioValue(latest.numerator, latest.denominator, unit) : latest.value;
      return { value, numerator: latest.numerator ?? null, denominator: latest.denominator ?? null, days };
    }
    case 'ratio': {
      const value = parts.numerator === null || parts.denominator === null ? null : ratioValue(parts.numerator, parts.denominator, unit);
      return { value, ...parts, days };
    }
  }
}

/**
 * Quarter-to-date average over completed weeks: the mean of weekly values for sum/last/mean; for ratios the weeks'
 * numerators and denominators are summed first (Σnum ÷ Σden, same percent rule), never the weekly rates averaged.
 * Weeks without data are left out; null when none has any.
 */
export function aggregateWeeks(weekValues: Aggregated[], how: Aggregate, unit: Unit): number | null {
  const withData = weekValues.filter((w) => w.value !== null);
  if (withData.length === 0) return null;
  if (how === 'ratio') {
    const parts = sumParts(withData);
    if (parts.numerator === null || parts.denominator === null) return null;
    return ratioValue(parts.numerator, parts.denominator, unit);
  }
  const weekly = withData.map((w) => w.value).filter((v): v is number => v !== null);
  return clean(sum(weekly) / weekly.length);
}
