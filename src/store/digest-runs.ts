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

/** A claim from before leases (no `lease_until`) this old belongs to a process that died mid-post. */
export const DEFAULT_STALE_CLAIM_MS = 10 * 60 * 1000;
/**
 * How long a claim stays its owner's without a renewal. The poster renews it before every Slack call, so only a
 * dead or stuck process lets it lapse; the scheduler's sweep then finishes the post within a lease and a sweep.
 */
export const DEFAULT_LEASE_MS = 2 * 60 * 1000;
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

export interface ClaimOptions {
  /** Who is claiming (`host:pid:nonce`, see lease-owner.ts); stored so others can tell a live owner from a dead one. */
  owner?: string;
  leaseMs?: number;
  /** Legacy rows without a lease: a claim older than this is taken over. */
  staleClaimMs?: number;
  /** True when the owner is known to be gone (its process no longer exists): its claim is taken over at once. */
  isOwnerDead?: (owner: string) => boolean;
}

/** Why a claim was refused: the period is complete, or another owner holds a live lease on it. */
export type ClaimRefusal = 'posted' | 'owned';

export type ClaimResult = { run: DigestRunRow; claimed: true } | { run: DigestRunRow; claimed: false; reason: ClaimRefusal };

/**
 * A claimed run whose holder can no longer finish it: its lease lapsed or its owner is dead. A row without an owner
 * (claimed before leases) is trusted for `staleClaimMs` after its claim, as before.
 */
function isAbandoned(run: DigestRunRow, now: Date, opts: ClaimOptions): boolean {
  if (run.status === 'failed') return true;
  if (run.status !== 'claimed') return false;
  if (opts.owner !== undefined && run.owner === opts.owner) return true;
  const leaseEnd = run.lease_until ?? new Date(Date.parse(run.claimed_at) + (opts.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS)).toISOString();
  if (leaseEnd < now.toISOString()) return true;
  return run.owner !== null && (opts.isOwnerDead?.(run.owner) ?? false);
}

/**
 * `claimed: true` means the caller owns this post now. A failed run, or a claim whose lease lapsed or whose owner is
 * dead, is taken over (attempts + 1); its `message_ts` is kept so the retry completes the message instead of posting
 * twice. The takeover is a compare-and-set on `updated_at`, so two processes racing for one abandoned run cannot both
 * win (the same holds under PostgreSQL, where the insert is the atomic claim).
 */
export async function claimDigestRun(store: Store, key: DigestKey, now: Date, opts: ClaimOptions = {}): Promise<ClaimResult> {
  const nowIso = now.toISOString();
  const owner = opts.owner ?? null;
  // Without an owner nobody can renew a lease: such a claim falls back to `staleClaimMs`.
  const leaseUntil = owner === null ? null : new Date(now.getTime() + (opts.leaseMs ?? DEFAULT_LEASE_MS)).toISOString();
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
        owner,
        lease_until: leaseUntil,
      })
      .onConflict((oc) => oc.columns(['kind', 'period', 'channel']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted !== undefined) return { run: inserted, claimed: true };

    const run = await findRun(trx, key);
    if (run === undefined) throw new Error(`digest run ${key.kind} ${key.period} ${key.channel} vanished while claiming`);
    if (run.status === 'posted') return { run, claimed: false, reason: 'posted' };
    if (!isAbandoned(run, now, opts)) return { run, claimed: false, reason: 'owned' };

    const takenOver = await trx
      .updateTable('digest_runs')
      .set((eb) => ({
        status: 'claimed',
        attempts: eb('attempts', '+', 1),
        claimed_at: nowIso,
        updated_at: nowIso,
        owner,
        lease_until: leaseUntil,
      }))
      .where('id', '=', run.id)
      .where('status', '=', run.status)
      .where('updated_at', '=', run.updated_at)
      .returningAll()
      .executeTakeFirst();
    if (takenOver !== undefined) return { run: takenOver, claimed: true };
    // Another process took it over between our read and our write: it is theirs now.
    const winner = (await findRun(trx, key)) ?? run;
    return { run: winner, claimed: false, reason: winner.status === 'posted' ? 'posted' : 'owned' };
  });
}

/**
 * Extends the owner's lease (and saves the parent's ts once it exists). False when the claim is no longer this
 * owner's (it lapsed and someone took over): the caller must stop posting.
 */
export async function renewDigestLease(
  store: Store,
  id: number,
  owner: string,
  now: Date,
  opts: { leaseMs?: number; messageTs?: string } = {},
): Promise<boolean> {
  const nowIso = now.toISOString();
  const renewed = await store.db
    .updateTable('digest_runs')
    .set({
      lease_until: new Date(now.getTime() + (opts.leaseMs ?? DEFAULT_LEASE_MS)).toISOString(),
      updated_at: nowIso,
      ...(opts.messageTs !== undefined ? { message_ts: opts.messageTs } : {}),
    })
    .where('id', '=', id)
    .where('owner', '=', owner)
    .where('status', '=', 'claimed')
    .returning('id')
    .executeTakeFirst();
  return renewed !== undefined;
}

/** Runs left unfinished (claimed or failed) since `since`, oldest first: what the scheduler's sweep completes. */
export async function listUnfinishedDigestRuns(store: Store, opts: { since: Date; maxAttempts: number }): Promise<DigestRunRow[]> {
  return store.db
    .selectFrom('digest_runs')
    .selectAll()
    .where('status', 'in', ['claimed', 'failed'])
    .where('claimed_at', '>=', opts.since.toISOString())
    .where('attempts', '<', opts.maxAttempts)
    .orderBy('claimed_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
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
    lease_until: null,
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
