import { GOAL_OPS, goalSchema, type Config, type Goal } from '../config/schema.js';
import { isValidDay, parseWeekLabel } from '../metrics/periods.js';
import type { PeriodSettings, Week } from '../metrics/types.js';
import type { GoalField, GoalFormState } from './pages/goals.js';

/**
 * The settings form's rules. A change may not reach back before the current week: weeks already reported keep
 * the goal they were judged against (a past week can still get a one-week override from scorecard.yml).
 */

export type GoalFormResult =
  | { ok: true; change: { metricId: string; goal: Goal; effectiveFrom: string; period: string | null; reason: string } }
  | { ok: false; errors: Partial<Record<GoalField, string>> };

const REASON_MAX = 500;

function numberField(text: string, label: string): number | string {
  const trimmed = text.trim();
  if (trimmed === '') return `Enter the ${label}.`;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : `Enter a number for the ${label} — "${trimmed}" isn't one.`;
}

export function validateGoalForm(
  state: GoalFormState,
  ctx: { config: Config; periods: PeriodSettings; currentWeek: Week; canSee: (id: string) => boolean },
): GoalFormResult {
  const errors: Partial<Record<GoalField, string>> = {};
  const metric =
    Object.hasOwn(ctx.config.metrics, state.metricId) && ctx.canSee(state.metricId) ? ctx.config.metrics[state.metricId] : undefined;
  if (!metric) errors.metric = state.metricId ? `"${state.metricId}" is not a metric in the scorecard.` : 'Choose a metric.';

  let effectiveFrom = '';
  let period: string | null = null;
  if (state.scope === 'from') {
    if (!isValidDay(state.from)) errors.from = 'Pick the first day it applies (YYYY-MM-DD).';
    else if (state.from < ctx.currentWeek.start)
      errors.from = `Past weeks keep the goal they were judged against: pick ${ctx.currentWeek.start} (this week's start) or later.`;
    else effectiveFrom = state.from;
  } else if (state.scope === 'week') {
    const week = parseWeekLabel(state.period, ctx.periods);
    if (!week) errors.period = 'Enter a week like 2026-W52.';
    else if (week.start < ctx.currentWeek.start)
      errors.period = `That week is already reported; override this week (${ctx.currentWeek.label}) or a later one.`;
    else {
      effectiveFrom = week.start;
      period = week.label;
    }
  } else errors.scope = 'Choose whether the goal applies from a date or for one week.';

  const op = (GOAL_OPS as readonly string[]).includes(state.op) ? (state.op as Goal['op']) : undefined;
  const goal: Goal | undefined = op ? { op } : undefined;
  if (!op) errors.op = 'Choose at least, at most, exactly or between.';
  else if (op === 'between') {
    const min = numberField(state.min, 'minimum');
    const max = numberField(state.max, 'maximum');
    if (typeof min === 'string') errors.min = min;
    if (typeof max === 'string') errors.max = max;
    if (typeof min === 'number' && typeof max === 'number') {
      if (min > max) errors.max = 'The maximum must be at least the minimum.';
      else Object.assign(goal!, { min, max });
    }
  } else {
    const value = numberField(state.value, 'goal value');
    if (typeof value === 'string') errors.value = value;
    else goal!.value = value;
  }

  const reason = state.reason.trim();
  if (reason === '') errors.reason = 'Say why the goal changes (it is shown on the metric page).';
  else if (reason.length > REASON_MAX) errors.reason = `Keep it under ${REASON_MAX} characters (it has ${reason.length}).`;

  if (Object.keys(errors).length > 0 || !goal) return { ok: false, errors };
  const parsed = goalSchema.safeParse(goal);
  if (!parsed.success) return { ok: false, errors: { value: 'That goal is not valid.' } };
  return { ok: true, change: { metricId: state.metricId, goal: parsed.data, effectiveFrom, period, reason } };
}
