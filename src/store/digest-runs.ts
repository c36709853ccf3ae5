import type { Kysely } from 'kysely';
import { writeTransaction, type Store } from './db.js';
import type { Database, DigestKind, DigestRunRow, DigestRunUpdate } from './types.js';

/**
 * The exactly-once ledger: one row per (kind, period, channel). A sender claims the row before posting and marks
 * it posted after; a posted row is never claimed again, across restarts and processes.
 */

export interface DigestKey {
  kind: DigestKind;
  period: string;
  channel: string;
}

/** A claim this old belongs to a process that died mid-post. */
export const DEFAULT_STALE_CLAIM_MS = 10 * 60 * 1000;
const MAX_ERROR_LENGTH = 2000;

async function findRun(db: Kysely<Database>, key: DigestKey): Promise<DigestRunRow | undefined> {
  return db
    .selectFrom('digest_runs')
    .selectAll()
    .where('kind', '=', key.kind)
    .where('period', '=', key.period)
    .where('channel', '=', key.channel)
    .executeTakeFirst();
}

/**
 * `claimed: true` means the caller owns this post now. A failed run, or one claimed more than `staleClaimMs` ago,
 * is taken over (attempts + 1); its `message_ts` is kept so the retry updates the message instead of posting twice.
 */
export async function claimDigestRun(
  store: Store,
  key: DigestKey,
  now: Date,
  opts: { staleClaimMs?: number } = {},
): Promise<{ run: DigestRunRow; claimed: boolean }> {
  const nowIso = now.toISOString();
  const staleBefore = new Date(now.getTime() - (opts.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS)).toISOString();
  return writeTransaction(store, async (trx) => {
    const inserted = await trx
      .insertInto('digest_runs')
      .values({
        ...key,
        status: 'claimed',
        message_ts: null,
        attempts: 1,
        error: null,
        snapshot: null,
        claimed_at: nowIso,
        posted_at: null,
        updated_at: nowIso,
      })
      .onConflict((oc) => oc.columns(['kind', 'period', 'channel']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted !== undefined) return { run: inserted, claimed: true };

    const takenOver = await trx
      .updateTable('digest_runs')
      .set((eb) => ({ status: 'claimed', attempts: eb('attempts', '+', 1), claimed_at: nowIso, updated_at: nowIso }))
      .where('kind', '=', key.kind)
      .where('period', '=', key.period)
      .where('channel', '=', key.channel)
      .where((eb) => eb.or([eb('status', '=', 'failed'), eb.and([eb('status', '=', 'claimed'), eb('claimed_at', '<', staleBefore)])]))
      .returningAll()
      .executeTakeFirst();
    if (takenOver !== undefined) return { run: takenOver, claimed: true };

    const run = await findRun(trx, key);
    if (run === undefined) throw new Error(`digest run ${key.kind} ${key.period} ${key.channel} vanished while claiming`);
    return { run, claimed: false };
  });
}

async function updateRun(store: Store, id: number, changes: DigestRunUpdate): Promise<DigestRunRow> {
  const run = await store.db.updateTable('digest_runs').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
  if (run === undefined) throw new Error(`digest run ${id} not found`);
  return run;
}

export async function markDigestPosted(
  store: Store,
  id: number,
  posted: { messageTs: string; snapshot: string | null },
  now: Date,
): Promise<DigestRunRow> {
  const nowIso = now.toISOString();
  return updateRun(store, id, {
    status: 'posted',
    message_ts: posted.messageTs,
    snapshot: posted.snapshot,
    posted_at: nowIso,
    error: null,
    updated_at: nowIso,
  });
}

/**
 * Records a failure. A run already posted stays posted (only the error is noted), so a failed in-place update can
 * never make the ledger post the period a second time.
 */
export async function markDigestFailed(store: Store, id: number, error: string, now: Date): Promise<DigestRunRow> {
  return writeTransaction(store, async (trx) => {
    const current = await trx.selectFrom('digest_runs').select('status').where('id', '=', id).executeTakeFirst();
    if (current === undefined) throw new Error(`digest run ${id} not found`);
    return trx
      .updateTable('digest_runs')
      .set({
        status: current.status === 'posted' ? 'posted' : 'failed',
        error: error.slice(0, MAX_ERROR_LENGTH),
        updated_at: now.toISOString(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** Saved as soon as the first message exists, so a crash before `markDigestPosted` still knows what to update. */
export async function setDigestMessageTs(store: Store, id: number, ts: string, now: Date): Promise<DigestRunRow> {
  return updateRun(store, id, { message_ts: ts, updated_at: now.toISOString() });
}

export async function updateDigestSnapshot(store: Store, id: number, snapshot: string, now: Date): Promise<DigestRunRow> {
  return updateRun(store, id, { snapshot, updated_at: now.toISOString() });
}

export async function getDigestRun(store: Store, key: DigestKey): Promise<DigestRunRow | undefined> {
  return findRun(store.db, key);
}

/** Newest claim first. */
export async function listDigestRuns(store: Store, opts: { kind?: DigestKind; limit: number }): Promise<DigestRunRow[]> {
  let query = store.db.selectFrom('digest_runs').selectAll();
  if (opts.kind !== undefined) query = query.where('kind', '=', opts.kind);
  return query.orderBy('claimed_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
}

/** The posted run with the latest period (labels of one kind sort chronologically as text). */
export async function lastPostedRun(store: Store, kind: DigestKind, channel: string): Promise<DigestRunRow | undefined> {
  return store.db
    .selectFrom('digest_runs')
    .selectAll()
    .where('kind', '=', kind)
    .where('channel', '=', channel)
    .where('status', '=', 'posted')
    .orderBy('period', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
