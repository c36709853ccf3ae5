import type { Goal, Metric, Unit } from '../config/schema.js';
import { formatValue } from './format.js';
import type { LocalDay } from './types.js';

/** A goal change recorded outside the config (e.g. by an admin): from a day on, or for one period when `period` is set. */
export interface GoalChangeInput {
  goal: Goal;
  from: LocalDay;
  period?: string | null;
}

/** Only the goal's own fields, without `from`/`period`. */
function plainGoal(goal: Goal): Goal {
  const { op, value, min, max, tolerance_pct, tolerance_abs } = goal;
  const plain: Goal = { op };
  if (value !== undefined) plain.value = value;
  if (min !== undefined) plain.min = min;
  if (max !== undefined) plain.max = max;
  if (tolerance_pct !== undefined) plain.tolerance_pct = tolerance_pct;
  if (tolerance_abs !== undefined) plain.tolerance_abs = tolerance_abs;
  return plain;
}

/** Of several entries, the one with the latest `from`; on a tie the later one in the list (it was recorded last). */
function latest<T extends { from: LocalDay }>(entries: T[]): T | undefined {
  return entries.reduce<T | undefined>((best, entry) => (best === undefined || entry.from >= best.from ? entry : best), undefined);
}

/**
 * The goal that applies to a week:
 * 1. a one-period override for `week.label` (the config's `goal_overrides` first, then `changes` with that period);
 * 2. else the latest dated goal (config `goal_history`, then `changes`) starting on or before `week.start` — a later
 *    change never rewrites old weeks;
 * 3. else `metric.goal`.
 */
export function goalFor(metric: Metric, week: { label: string; start: LocalDay }, changes: GoalChangeInput[] = []): Goal | undefined {
  const configOverride = metric.goal_overrides.find((o) => o.period === week.label);
  if (configOverride) return plainGoal(configOverride);
  const changeOverride = latest(changes.filter((c) => c.period === week.label));
  if (changeOverride) return plainGoal(changeOverride.goal);

  const dated = [
    ...metric.goal_history.map((h) => ({ goal: h, from: h.from })),
    ...changes.filter((c) => !c.period).map((c) => ({ goal: c.goal, from: c.from })),
  ].filter((entry) => entry.from <= week.start);
  const current = latest(dated);
  if (current) return plainGoal(current.goal);
  return metric.goal ? plainGoal(metric.goal) : undefined;
}

const OP_SYMBOLS = { '>=': '≥', '<=': '≤', '=': '=' } as const;

function bound(value: number | undefined, unit: Unit): string {
  return value === undefined ? '?' : formatValue(value, unit);
}

/** "≥ 70 %", "≤ 16.0 h", "= 0", "1–3", "60–80 %", "$1K–$3K". */
export function describeGoal(goal: Goal, unit: Unit): string {
  if (goal.op !== 'between') return `${OP_SYMBOLS[goal.op]} ${bound(goal.value, unit)}`;
  const low = bound(goal.min, unit);
  const high = bound(goal.max, unit);
  // A shared unit suffix is written once: "60–80 %", not "60 %–80 %".
  const suffix = / (%|h|d)$/.exec(high)?.[0];
  const lowText = suffix && low.endsWith(suffix) ? low.slice(0, -suffix.length) : low;
  return `${lowText}–${high}`;
}
