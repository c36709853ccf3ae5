/**
 * What `--json` prints: the view models with one naming style (snake_case keys) and structured goals — a row's
 * `goal` becomes `{ op, value }` or `{ op, min, max }` and its display text moves to `goal_text`. Pure and generic,
 * so a field added to a view model comes out in the same style without a second list of names to keep in step.
 */

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/([a-z])(\d)/g, '$1_$2');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function toJsonView(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toJsonView);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  const structuredGoal = 'goalSpec' in value;
  for (const [key, field] of Object.entries(value)) {
    if (structuredGoal && key === 'goal') out.goal_text = field;
    else if (structuredGoal && key === 'goalSpec') out.goal = toJsonView(field);
    else out[snake(key)] = toJsonView(field);
  }
  return out;
}
