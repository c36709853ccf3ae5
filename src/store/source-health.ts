import type { LocalDay } from '../metrics/types.js';
import { writeTransaction, type Store } from './db.js';
import type { SourceHealthRow, SourceRunRow } from './types.js';

/** Errors arrive redacted (SourceError); the cap keeps one huge upstream body out of the table. */
const MAX_ERROR_LENGTH = 2000;
const clip = (text: string | null | undefined) => (text === null || text === undefined ? null : text.slice(0, MAX_ERROR_LENGTH));

export interface SourceRunResult {
  status: 'ok' | 'failed';
  calls: number;
  rateLimited: number;
  valuesWritten: number;
  durationMs: number;
  errorClass?: string | null;
  error?: string | null;
}

export async function startSourceRun(store: Store, run: { source: string; from: LocalDay; to: LocalDay }, now: Date): Promise<number> {
  const row = await store.db
    .insertInto('source_runs')
    .values({
      source: run.source,
      started_at: now.toISOString(),
      finished_at: null,
      from_day: run.from,
      to_day: run.to,
      status: 'running',
      calls: 0,
      rate_limited: 0,
      values_written: 0,
      duration_ms: null,
      error_class: null,
      error: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Runs still `running` that started before `startedBefore` belong to a process that died (a run cannot outlive its
 * deadline): they are closed as failed with error class `interrupted`. Returns how many were closed.
 */
export async function markInterruptedSourceRuns(store: Store, opts: { startedBefore: Date; now: Date }): Promise<number> {
  const closed = await store.db
    .updateTable('source_runs')
    .set({
      status: 'failed',
      finished_at: opts.now.toISOString(),
      error_class: 'interrupted',
      error: 'the process running this refresh stopped before it finished',
    })
    .where('status', '=', 'running')
    .where('started_at', '<', opts.startedBefore.toISOString())
    .returning('id')
    .execute();
  return closed.length;
}

export async function finishSourceRun(store: Store, id: number, result: SourceRunResult, now: Date): Promise<SourceRunRow> {
  const row = await store.db
    .updateTable('source_runs')
    .set({
      status: result.status,
      finished_at: now.toISOString(),
      calls: result.calls,
      rate_limited: result.rateLimited,
      values_written: result.valuesWritten,
      duration_ms: result.durationMs,
      error_class: result.errorClass ?? null,
      error: clip(result.error),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new Error(`source run ${id} not found`);
  return row;
}

/** `recovered` is true when a failure alert had gone out, so the caller owes the ops channel one recovery message. */
export async function recordSourceSuccess(
  store: Store,
  source: string,
  now: Date,
): Promise<{ health: SourceHealthRow; recovered: boolean }> {
  const nowIso = now.toISOString();
  return writeTransaction(store, async (trx) => {
    const before = await trx.selectFrom('source_health').select('alerted_at').where('source', '=', source).executeTakeFirst();
    const health = await trx
      .insertInto('source_health')
      .values({
        source,
        last_success_at: nowIso,
        last_failure_at: null,
        consecutive_failures: 0,
        last_error_class: null,
        last_error: null,
        alerted_at: null,
      })
      .onConflict((oc) => oc.column('source').doUpdateSet({ last_success_at: nowIso, consecutive_failures: 0, alerted_at: null }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return { health, recovered: before?.alerted_at != null };
  });
}

export async function recordSourceFailure(
  store: Store,
  source: string,
  errorClass: string,
  error: string,
  now: Date,
): Promise<SourceHealthRow> {
  const nowIso = now.toISOString();
  const message = clip(error);
  return store.db
    .insertInto('source_health')
    .values({
      source,
      last_success_at: null,
      last_failure_at: nowIso,
      consecutive_failures: 1,
      last_error_class: errorClass,
      last_error: message,
      alerted_at: null,
    })
    .onConflict((oc) =>
      oc.column('source').doUpdateSet((eb) => ({
        last_failure_at: nowIso,
        consecutive_failures: eb('source_health.consecutive_failures', '+', 1),
        last_error_class: errorClass,
        last_error: message,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Stamps the failure alert. Returns false when it was already stamped (by this or another process), so exactly
 * one caller posts the alert.
 */
export async function markSourceAlerted(store: Store, source: string, now: Date): Promise<boolean> {
  const result = await store.db
    .updateTable('source_health')
    .set({ alerted_at: now.toISOString() })
    .where('source', '=', source)
    .where('alerted_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function getSourceHealth(store: Store): Promise<SourceHealthRow[]> {
  return store.db.selectFrom('source_health').selectAll().orderBy('source').execute();
}

/** Newest first. */
export async function lastSourceRuns(store: Store, limit: number): Promise<SourceRunRow[]> {
  return store.db.selectFrom('source_runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
