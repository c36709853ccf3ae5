import { goalSchema, type Goal } from '../config/schema.js';
import type { LocalDay } from '../metrics/types.js';
import type { Store } from './db.js';
import type { GoalChangeRow } from './types.js';

export interface GoalChangeInput {
  metricId: string;
  goal: Goal;
  effectiveFrom: LocalDay;
  /** A week label for a one-period override; null/absent for a change from `effectiveFrom` on. */
  period?: string | null;
  changedBy: string;
}

export interface StoredGoalChange {
  metricId: string;
  goal: Goal;
  from: LocalDay;
  period: string | null;
}

export async function addGoalChange(store: Store, input: GoalChangeInput, now: Date): Promise<GoalChangeRow> {
  const goal = goalSchema.parse(input.goal);
  return store.db
    .insertInto('goal_changes')
    .values({
      metric_id: input.metricId,
      goal: JSON.stringify(goal),
      effective_from: input.effectiveFrom,
      period: input.period ?? null,
      changed_by: input.changedBy,
      created_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ordered by metric, then effective date, then the order they were made (a later change on the same day wins). */
export async function listGoalChanges(store: Store, metricIds: readonly string[]): Promise<StoredGoalChange[]> {
  if (metricIds.length === 0) return [];
  const rows = await store.db
    .selectFrom('goal_changes')
    .selectAll()
    .where('metric_id', 'in', metricIds)
    .orderBy('metric_id')
    .orderBy('effective_from')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    metricId: row.metric_id,
    goal: goalSchema.parse(JSON.parse(row.goal)),
    from: row.effective_from,
    period: row.period,
  }));
}
