import { GOAL_OPS } from './schema.js';
import { describeValue, type PathSegment, type PendingProblem } from './errors.js';

/**
 * Goal shape rules the schema cannot express per field: which of value/min/max an operator needs, min <= max,
 * real dates and weeks in goal history and overrides. Inputs are the raw (not yet schema-checked) values, so every
 * check is defensive: a field with the wrong type is the schema's problem to report, not this file's.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type GoalOp = (typeof GOAL_OPS)[number];

function isGoalOp(op: unknown): op is GoalOp {
  return typeof op === 'string' && (GOAL_OPS as readonly string[]).includes(op);
}

export function checkGoal(goal: unknown, at: PathSegment[]): PendingProblem[] {
  if (!isRecord(goal) || !isGoalOp(goal.op)) return [];
  const op = goal.op;
  const problems: PendingProblem[] = [];
  const missing = (key: string, why: string, example: string): PendingProblem => ({
    at: [...at, key],
    expected: 'a number',
    found: 'nothing',
    message: `op "${op}" needs ${key} — ${why}`,
    hint: `add ${key}: ${example} next to op: "${op}"`,
  });
  const stray = (key: string, hint: string): PendingProblem => ({
    at: [...at, key],
    atKey: true,
    expected: op === 'between' ? 'min and max only' : 'value only',
    found: key,
    message: `${key} is not used with op "${op}"`,
    hint,
  });

  if (op === 'between') {
    if (goal.min === undefined) problems.push(missing('min', 'the lowest value that is still on goal', '<number>'));
    if (goal.max === undefined) problems.push(missing('max', 'the highest value that is still on goal', '<number>'));
    if (goal.value !== undefined) problems.push(stray('value', 'between takes min and max; remove value'));
    if (typeof goal.min === 'number' && typeof goal.max === 'number' && goal.min > goal.max) {
      problems.push({
        at: [...at, 'min'],
        expected: 'min <= max',
        found: `min ${goal.min} > max ${goal.max}`,
        hint: `swap them: min: ${goal.max}, max: ${goal.min}`,
      });
    }
  } else {
    if (goal.value === undefined) problems.push(missing('value', 'the number to compare against', '<number>'));
    for (const key of ['min', 'max']) {
      if (goal[key] !== undefined) problems.push(stray(key, `remove ${key}, or use op: between with both min and max`));
    }
  }

  return problems;
}

/** goal_history and goal_overrides: each entry is a goal, plus a real date / week, and no two entries collide. */
export function checkGoalChanges(metric: Record<string, unknown>, at: PathSegment[]): PendingProblem[] {
  const problems: PendingProblem[] = [];
  const changes: [string, string, (text: string) => string | undefined][] = [
    ['goal_history', 'from', realDateProblem],
    ['goal_overrides', 'period', realWeekProblem],
  ];
  for (const [listKey, dateKey, dateProblem] of changes) {
    const list = metric[listKey];
    if (!Array.isArray(list)) continue;
    const seen = new Map<string, number>();
    list.forEach((entry, index) => {
      const entryAt = [...at, listKey, index];
      problems.push(...checkGoal(entry, entryAt));
      if (!isRecord(entry) || typeof entry[dateKey] !== 'string') return;
      const when = entry[dateKey];
      const wrong = dateProblem(when);
      if (wrong) problems.push({ at: [...entryAt, dateKey], expected: wrong, found: describeValue(when) });
      const earlier = seen.get(when);
      if (earlier !== undefined) {
        problems.push({
          at: [...entryAt, dateKey],
          expected: `one entry per ${dateKey}`,
          found: `"${when}" again (also in ${listKey}[${earlier}])`,
          hint: 'merge the two entries into one',
        });
      } else {
        seen.set(when, index);
      }
    });
  }
  return problems;
}

/** Undefined when `YYYY-MM-DD` names a day that exists; otherwise what was expected. */
export function realDateProblem(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined; // the schema's regex reports the format
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const exists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return exists ? undefined : 'a real calendar date';
}

function realWeekProblem(text: string): string | undefined {
  const match = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, week] = [Number(match[1]), Number(match[2])];
  const weeksInYear = hasIsoWeek53(year) ? 53 : 52;
  return week >= 1 && week <= weeksInYear ? undefined : `a week between ${year}-W01 and ${year}-W${weeksInYear}`;
}

/** An ISO year has 53 weeks when it starts on a Thursday, or on a Wednesday in a leap year. */
function hasIsoWeek53(year: number): boolean {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3);
}
