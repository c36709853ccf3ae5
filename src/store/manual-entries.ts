import type { ExpressionBuilder, Kysely } from 'kysely';
import type { LocalDay } from '../metrics/types.js';
import { insertAudit } from './audit.js';
import { writeTransaction, type Store } from './db.js';
import type { Database, ManualEntriesTable, ManualEntryRow } from './types.js';

/**
 * Manual entries are append-only: an edit inserts a new version that `supersedes` the old one, a delete stamps
 * `deleted_at`. A version is live when it is not deleted and nothing supersedes it; only live versions count.
 */

export interface NewManualEntryInput {
  metricId: string;
  day: LocalDay;
  value: number;
  userId: string;
  enteredBy: string;
  note?: string | null;
  idempotencyKey?: string | null;
}

export interface ManualEntryChanges {
  value?: number;
  day?: LocalDay;
  note?: string | null;
}

type EntryScope = Database & { e: ManualEntriesTable };

function isLive(eb: ExpressionBuilder<EntryScope, 'e'>) {
  return eb.and([
    eb('e.deleted_at', 'is', null),
    eb.not(eb.exists(eb.selectFrom('manual_entries as successor').select('successor.id').whereRef('successor.supersedes', '=', 'e.id'))),
  ]);
}

function assertFiniteValue(value: number): void {
  if (!Number.isFinite(value)) throw new Error(`manual entry value must be a finite number, got ${String(value)}`);
}

/** Sums of REALs can drift (0.1 + 0.2); 15 significant digits is exact for any figure a person types. */
function withoutDrift(n: number): number {
  return Number(n.toPrecision(15));
}

const subjectOf = (id: number) => `manual_entry:${id}`;

async function findEntry(db: Kysely<Database>, id: number): Promise<ManualEntryRow | undefined> {
  return db.selectFrom('manual_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

async function findSuccessor(db: Kysely<Database>, id: number): Promise<ManualEntryRow | undefined> {
  return db.selectFrom('manual_entries').selectAll().where('supersedes', '=', id).executeTakeFirst();
}

/** A repeated submission with the same idempotency key returns the first entry (`created: false`). */
export async function addManualEntry(
  store: Store,
  input: NewManualEntryInput,
  now: Date,
): Promise<{ entry: ManualEntryRow; created: boolean }> {
  assertFiniteValue(input.value);
  const idempotencyKey = input.idempotencyKey ?? null;
  return writeTransaction(store, async (trx) => {
    // The claim on the key is the insert itself (unique column, ON CONFLICT DO NOTHING): one atomic step on both
    // dialects. Only a lost claim reads the entry that won.
    const entry = await trx
      .insertInto('manual_entries')
      .values({
        metric_id: input.metricId,
        day: input.day,
        value: input.value,
        user_id: input.userId,
        entered_by: input.enteredBy,
        note: input.note ?? null,
        created_at: now.toISOString(),
        supersedes: null,
        deleted_at: null,
        deleted_by: null,
        idempotency_key: idempotencyKey,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (entry === undefined) {
      const existing = await trx
        .selectFrom('manual_entries')
        .selectAll()
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirstOrThrow();
      return { entry: existing, created: false };
    }
    await insertAudit(
      trx,
      {
        actor: input.enteredBy,
        action: 'manual_entry.add',
        subject: subjectOf(entry.id),
        detail: { metricId: entry.metric_id, day: entry.day, value: entry.value, userId: entry.user_id, note: entry.note },
      },
      now,
    );
    return { entry, created: true };
  });
}

/** Writes a new version of a live entry; the old version stays for history and stops counting. */
export async function editManualEntry(
  store: Store,
  id: number,
  changes: ManualEntryChanges,
  actor: string,
  now: Date,
): Promise<ManualEntryRow> {
  if (changes.value === undefined && changes.day === undefined && changes.note === undefined) {
    throw new Error(`manual entry ${id}: nothing to change (give a value, day or note)`);
  }
  if (changes.value !== undefined) assertFiniteValue(changes.value);
  return writeTransaction(store, async (trx) => {
    const old = await findEntry(trx, id);
    if (old === undefined) throw new Error(`manual entry ${id} not found`);
    if (old.deleted_at !== null) throw new Error(`manual entry ${id} was deleted and cannot be edited`);
    const successor = await findSuccessor(trx, id);
    if (successor !== undefined) {
      throw new Error(`manual entry ${id} was already edited (its current version is ${successor.id}); edit that one`);
    }
    const entry = await trx
      .insertInto('manual_entries')
      .values({
        metric_id: old.metric_id,
        day: changes.day ?? old.day,
        value: changes.value ?? old.value,
        user_id: old.user_id,
        entered_by: actor,
        note: changes.note !== undefined ? changes.note : old.note,
        created_at: now.toISOString(),
        supersedes: old.id,
        deleted_at: null,
        deleted_by: null,
        idempotency_key: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertAudit(
      trx,
      {
        actor,
        action: 'manual_entry.edit',
        subject: subjectOf(entry.id),
        detail: { supersedes: old.id, before: { day: old.day, value: old.value, note: old.note }, changes },
      },
      now,
    );
    return entry;
  });
}

async function markDeleted(store: Store, id: number, actor: string, now: Date, action: string): Promise<ManualEntryRow> {
  return writeTransaction(store, async (trx) => {
    let current = await findEntry(trx, id);
    if (current === undefined) throw new Error(`manual entry ${id} not found`);
    // An Undo button or an old App Home view may point at a version edited since; the entry to remove is the current one.
    for (let next = await findSuccessor(trx, current.id); next !== undefined; next = await findSuccessor(trx, next.id)) {
      current = next;
    }
    if (current.deleted_at !== null) return current;
    const deleted = await trx
      .updateTable('manual_entries')
      .set({ deleted_at: now.toISOString(), deleted_by: actor })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await insertAudit(trx, { actor, action, subject: subjectOf(deleted.id), detail: { requested: id } }, now);
    return deleted;
  });
}

/** Marks the entry's current version deleted (the row is kept). Deleting twice is a no-op returning the same row. */
export async function deleteManualEntry(store: Store, id: number, actor: string, now: Date): Promise<ManualEntryRow> {
  return markDeleted(store, id, actor, now, 'manual_entry.delete');
}

/** The confirmation's Undo: a delete, audited as an undo. */
export async function undoManualEntry(store: Store, id: number, actor: string, now: Date): Promise<ManualEntryRow> {
  return markDeleted(store, id, actor, now, 'manual_entry.undo');
}

export async function getManualEntry(store: Store, id: number): Promise<ManualEntryRow | undefined> {
  return findEntry(store.db, id);
}

/** Every version of the entry `id` belongs to, oldest first (empty when `id` does not exist). */
export async function entryHistory(store: Store, id: number): Promise<ManualEntryRow[]> {
  let first = await findEntry(store.db, id);
  if (first === undefined) return [];
  while (first.supersedes !== null) {
    const previous: ManualEntryRow | undefined = await findEntry(store.db, first.supersedes);
    if (previous === undefined) break;
    first = previous;
  }
  const chain = [first];
  for (let next = await findSuccessor(store.db, first.id); next !== undefined; next = await findSuccessor(store.db, next.id)) {
    chain.push(next);
  }
  return chain;
}

/** The user's live entries, newest first. */
export async function recentEntriesByUser(store: Store, userId: string, limit: number): Promise<ManualEntryRow[]> {
  return store.db
    .selectFrom('manual_entries as e')
    .selectAll('e')
    .where('e.user_id', '=', userId)
    .where(isLive)
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit)
    .execute();
}

/** Per metric and day in `[from, toExclusive)`, the sum of live entries — a metric's manual daily value. */
export async function manualDailySums(
  store: Store,
  metricIds: readonly string[],
  from: LocalDay,
  toExclusive: LocalDay,
): Promise<{ metric_id: string; day: string; value: number }[]> {
  if (metricIds.length === 0) return [];
  const rows = await store.db
    .selectFrom('manual_entries as e')
    .select(['e.metric_id', 'e.day', (eb) => eb.fn.sum<number>('e.value').as('value')])
    .where('e.metric_id', 'in', metricIds)
    .where('e.day', '>=', from)
    .where('e.day', '<', toExclusive)
    .where(isLive)
    .groupBy(['e.metric_id', 'e.day'])
    .orderBy('e.metric_id')
    .orderBy('e.day')
    .execute();
  return rows.map((row) => ({ metric_id: row.metric_id, day: row.day, value: withoutDrift(Number(row.value)) }));
}

/** Live entries in `[from, toExclusive)` for the metrics, optionally one user's, by day then entry order. */
export async function manualEntriesForWeek(
  store: Store,
  metricIds: readonly string[],
  userId: string | null | undefined,
  from: LocalDay,
  toExclusive: LocalDay,
): Promise<ManualEntryRow[]> {
  if (metricIds.length === 0) return [];
  let query = store.db
    .selectFrom('manual_entries as e')
    .selectAll('e')
    .where('e.metric_id', 'in', metricIds)
    .where('e.day', '>=', from)
    .where('e.day', '<', toExclusive)
    .where(isLive);
  if (userId !== null && userId !== undefined) query = query.where('e.user_id', '=', userId);
  return query.orderBy('e.day').orderBy('e.created_at').orderBy('e.id').execute();
}
