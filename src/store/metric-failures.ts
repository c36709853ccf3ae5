import type { Store } from './db.js';
import type { MetricFailureRow } from './types.js';

/** Errors arrive redacted; the cap keeps one huge upstream body out of the table. */
const MAX_ERROR_LENGTH = 2000;

export interface MetricFailure {
  metricId: string;
  source: string;
  errorClass: string;
  error: string;
}

/** Records (or replaces) each metric's latest failure. */
export async function recordMetricFailures(store: Store, failures: MetricFailure[], at: Date): Promise<void> {
  for (const f of failures) {
    const row = { source: f.source, error_class: f.errorClass, error: f.error.slice(0, MAX_ERROR_LENGTH), failed_at: at.toISOString() };
    await store.db
      .insertInto('metric_failures')
      .values({ metric_id: f.metricId, ...row })
      .onConflict((oc) => oc.column('metric_id').doUpdateSet(row))
      .execute();
  }
}

/** Forgets the failures of metrics that refreshed again. */
export async function clearMetricFailures(store: Store, metricIds: string[]): Promise<void> {
  if (metricIds.length === 0) return;
  await store.db.deleteFrom('metric_failures').where('metric_id', 'in', metricIds).execute();
}

/** Current failures, for the given metrics or all; oldest metric id first. */
export async function listMetricFailures(store: Store, metricIds?: string[]): Promise<MetricFailureRow[]> {
  if (metricIds && metricIds.length === 0) return [];
  let query = store.db.selectFrom('metric_failures').selectAll().orderBy('metric_id');
  if (metricIds) query = query.where('metric_id', 'in', metricIds);
  return query.execute();
}
