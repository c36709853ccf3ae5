import { goalSchema } from '../config/goal-schema.js';
import type { Goal } from '../config/schema.js';
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
  /** Why (the settings page asks for it); shown on the metric's page. */
  reason?: string | null;
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
      reason: input.reason ?? null,
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

/** A metric's recorded changes with who, when and why, newest first (the metric page's goal history). */
export async function goalChangeRecords(store: Store, metricId: string): Promise<(StoredGoalChange & GoalChangeAuthor)[]> {
  const rows = await store.db
    .selectFrom('goal_changes')
    .selectAll()
    .where('metric_id', '=', metricId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({
    metricId: row.metric_id,
    goal: goalSchema.parse(JSON.parse(row.goal)),
    from: row.effective_from,
    period: row.period,
    changedBy: row.changed_by,
    changedAt: row.created_at,
    reason: row.reason,
  }));
}

export interface GoalChangeAuthor {
  changedBy: string;
  changedAt: string;
  reason: string | null;
}
