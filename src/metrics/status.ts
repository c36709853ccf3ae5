import type { Goal, Unit } from '../config/schema.js';
import { formatAge, formatAmount, formatValue } from './format.js';
import { describeGoal } from './goals.js';
import type { Status, StatusColor } from './types.js';
import { instantMs } from './zone.js';

export interface StatusInput {
  value: number | null;
  goal: Goal | undefined;
  unit: Unit;
  /** Default tolerance, % of the goal (config `defaults.tolerance_pct`). */
  tolerancePct: number;
  /** Tolerance for a goal of 0, where a percentage would be 0 (config `defaults.tolerance_abs_for_zero`). */
  toleranceAbsForZero: number;
  /** From `staleHours()`: the data's age when stale, else null. */
  staleHours: number | null;
}

/** Two numbers this close are the same value; keeps float noise (0.1 + 0.2) from flipping a colour. */
function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
}

/** Float noise off a number shown or returned to callers (17.6 − 16 = 1.6000000000000014). */
const reportable = (n: number): number => Number(n.toPrecision(12));

interface Miss {
  /** ≥ 0, in the metric's unit. */
  amount: number;
  /** The goal number the miss is measured from (for between: the violated bound, or the nearer one when met). */
  bound: number;
}

/** How far `value` is from meeting `goal`; undefined when the goal has no number to compare with. */
function missOf(value: number, goal: Goal): Miss | undefined {
  if (goal.op === 'between') {
    const low = goal.min ?? -Infinity;
    const high = goal.max ?? Infinity;
    if (!Number.isFinite(low) && !Number.isFinite(high)) return undefined;
    if (value < low && !nearlyEqual(value, low)) return { amount: low - value, bound: low };
    if (value > high && !nearlyEqual(value, high)) return { amount: value - high, bound: high };
    const nearer = !Number.isFinite(high) || (Number.isFinite(low) && value - low <= high - value) ? low : high;
    return { amount: 0, bound: nearer };
  }
  const target = goal.value;
  if (target === undefined) return undefined;
  if (nearlyEqual(value, target)) return { amount: 0, bound: target };
  switch (goal.op) {
    case '>=':
      return { amount: Math.max(0, target - value), bound: target };
    case '<=':
      return { amount: Math.max(0, value - target), bound: target };
    case '=':
      return { amount: Math.abs(value - target), bound: target };
  }
}

interface Tolerance {
  amount: number;
  /** "10 % (12.5)" or, for absolute tolerances, "1". */
  text: string;
}

/** The goal's own absolute tolerance, else a percentage of the bound — except a bound of 0, which uses the zero rule. */
function toleranceFor(goal: Goal, bound: number, input: StatusInput): Tolerance {
  if (goal.tolerance_abs !== undefined) return { amount: goal.tolerance_abs, text: formatAmount(goal.tolerance_abs, input.unit) };
  if (bound === 0) return { amount: input.toleranceAbsForZero, text: formatAmount(input.toleranceAbsForZero, input.unit) };
  const pct = goal.tolerance_pct ?? input.tolerancePct;
  const amount = (pct * Math.abs(bound)) / 100;
  return { amount, text: `${pct} % (${formatAmount(amount, input.unit)})` };
}

function colorOf(miss: Miss, tolerance: Tolerance): StatusColor {
  if (miss.amount === 0) return 'green';
  // Exactly at the edge is yellow; the epsilon absorbs float error such as 125 − 112.5 vs 10 % of 125.
  const epsilon = 1e-9 * Math.max(1, Math.abs(miss.bound), tolerance.amount);
  return miss.amount <= tolerance.amount + epsilon ? 'yellow' : 'red';
}

/**
 * Stale data is never called green: its reason drops the colour verdict ("→ green") and says what the old figure
 * showed ("goal met in the last data") before the age, so no one reads a stale 0 breaches as a fresh all-clear.
 */
function withStaleness(status: Omit<Status, 'kind' | 'staleHours'>, staleHours: number | null): Status {
  if (staleHours === null) return { ...status, kind: status.basis, staleHours: null };
  const verdict = / → (green|yellow|red)$/;
  const base =
    status.basis === 'green' ? status.reason.replace(verdict, ': goal met in the last data') : status.reason.replace(verdict, '');
  return { ...status, kind: 'stale', staleHours, reason: `${base}; stale: last data ${formatAge(staleHours)} ago` };
}

/**
 * Green: the goal is met. Yellow: missed by at most the tolerance. Red: missed by more. A missing value is "no data"
 * (even when stale), a missing goal "no goal"; stale data is never green — `kind` is `stale` and `basis` keeps the
 * colour the goal alone would give.
 */
export function evaluateStatus(input: StatusInput): Status {
  const { value, goal, unit } = input;
  if (value === null || !Number.isFinite(value)) {
    const age = input.staleHours === null ? '' : `; last data ${formatAge(input.staleHours)} ago`;
    return { kind: 'no_data', basis: 'no_data', miss: null, tolerance: null, staleHours: null, reason: `no data this period${age}` };
  }
  const shown = formatValue(value, unit);
  const miss = goal ? missOf(value, goal) : undefined;
  if (!goal || !miss) {
    return withStaleness({ basis: 'no_goal', miss: null, tolerance: null, reason: `${shown} (no goal)` }, input.staleHours);
  }

  const tolerance = toleranceFor(goal, miss.bound, input);
  const color = colorOf(miss, tolerance);
  const versus = `${shown} vs goal ${describeGoal(goal, unit)}`;
  const reason =
    color === 'green'
      ? `${versus} → green`
      : `${versus}: missed by ${formatAmount(miss.amount, unit)}, ${color === 'yellow' ? 'within' : 'beyond'} ${tolerance.text} → ${color}`;
  return withStaleness({ basis: color, miss: reportable(miss.amount), tolerance: reportable(tolerance.amount), reason }, input.staleHours);
}

/**
 * The data's age in hours (rounded down to 0.1) when it is stale, else null: stale means the newest snapshot is
 * older than `freshnessHours` at `now` and was taken before `periodEnd`, so fresh data does not cover the period.
 * No snapshot at all (asOf null) is "no data", not stale.
 */
export function staleHours(asOf: string | null, now: Date, freshnessHours: number, periodEnd: string): number | null {
  if (asOf === null) return null;
  const asOfMs = instantMs(asOf);
  const ageHours = (now.getTime() - asOfMs) / 3_600_000;
  if (ageHours <= freshnessHours || asOfMs >= instantMs(periodEnd)) return null;
  return Math.floor(ageHours * 10) / 10;
}
