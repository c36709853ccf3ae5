import { writeTransaction, type Store } from './db.js';
import type { DeliveryRow } from './types.js';

/**
 * The exactly-once ledger for email digests: one row per (kind, digest, period, recipient list). The Message-ID is
 * stored with the claim, before anything is sent, and the row is marked `sending` just before the SMTP transaction.
 *
 * SMTP cannot be asked afterwards whether a message was accepted, so a process that died while `sending` leaves an
 * ambiguous row: it is never sent again automatically (that could deliver twice) but turned `unconfirmed`, which the
 * sender reports once to the ops channel. A row that died while only `claimed` had not started sending and is
 * taken over. A `failed` row (the server refused, or was unreachable) is retried.
 */

export interface DeliveryKey {
  kind: string;
  digest: string;
  period: string;
  recipientsHash: string;
}

/** A claim or send this old belongs to a process that died. */
export const DEFAULT_STALE_DELIVERY_MS = 10 * 60 * 1000;
const MAX_ERROR_LENGTH = 2000;

export type ClaimOutcome =
  /** The caller owns the delivery now and may send. */
  | 'claimed'
  /** Already delivered. */
  | 'sent'
  /** Another process is claiming or sending it right now. */
  | 'busy'
  /** A crashed send was just found: it may or may not have gone out; the caller reports it, once. */
  | 'became_unconfirmed'
  /** Known unconfirmed from an earlier run: nothing to do. */
  | 'unconfirmed';

const where = (key: DeliveryKey) =>
  ({ kind: key.kind, digest: key.digest, period: key.period, recipients_hash: key.recipientsHash }) as const;

export async function claimDelivery(
  store: Store,
  key: DeliveryKey,
  delivery: { recipients: string; messageId: string },
  now: Date,
  opts: { staleMs?: number } = {},
): Promise<{ outcome: ClaimOutcome; row: DeliveryRow }> {
  const nowIso = now.toISOString();
  const staleBefore = new Date(now.getTime() - (opts.staleMs ?? DEFAULT_STALE_DELIVERY_MS)).toISOString();
  const match = where(key);
  return writeTransaction(store, async (trx) => {
    const inserted = await trx
      .insertInto('deliveries')
      .values({
        ...match,
        recipients: delivery.recipients,
        status: 'claimed',
        message_id: delivery.messageId,
        attempts: 1,
        error: null,
        claimed_at: nowIso,
        sent_at: null,
        updated_at: nowIso,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted !== undefined) return { outcome: 'claimed', row: inserted };

    const row = await trx
      .selectFrom('deliveries')
      .selectAll()
      .where('kind', '=', match.kind)
      .where('digest', '=', match.digest)
      .where('period', '=', match.period)
      .where('recipients_hash', '=', match.recipients_hash)
      .executeTakeFirstOrThrow();
    const stale = row.updated_at < staleBefore;
    if (row.status === 'sent' || row.status === 'unconfirmed') return { outcome: row.status, row };
    if (row.status === 'sending' && !stale) return { outcome: 'busy', row };
    if (row.status === 'claimed' && !stale) return { outcome: 'busy', row };

    const next =
      row.status === 'sending'
        ? { status: 'unconfirmed' as const, error: 'the sending process stopped before recording the SMTP answer', updated_at: nowIso }
        : { status: 'claimed' as const, attempts: row.attempts + 1, claimed_at: nowIso, updated_at: nowIso };
    const updated = await trx
      .updateTable('deliveries')
      .set(next)
      .where('kind', '=', match.kind)
      .where('digest', '=', match.digest)
      .where('period', '=', match.period)
      .where('recipients_hash', '=', match.recipients_hash)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { outcome: row.status === 'sending' ? 'became_unconfirmed' : 'claimed', row: updated };
  });
}

async function setStatus(store: Store, key: DeliveryKey, changes: Partial<DeliveryRow>): Promise<void> {
  const match = where(key);
  await store.db
    .updateTable('deliveries')
    .set(changes)
    .where('kind', '=', match.kind)
    .where('digest', '=', match.digest)
    .where('period', '=', match.period)
    .where('recipients_hash', '=', match.recipients_hash)
    .execute();
}

/** Written immediately before the SMTP transaction starts. */
export function markDeliverySending(store: Store, key: DeliveryKey, now: Date): Promise<void> {
  return setStatus(store, key, { status: 'sending', updated_at: now.toISOString() });
}

export function markDeliverySent(store: Store, key: DeliveryKey, now: Date): Promise<void> {
  const nowIso = now.toISOString();
  return setStatus(store, key, { status: 'sent', sent_at: nowIso, error: null, updated_at: nowIso });
}

/** The server refused or could not be reached: nothing was accepted, so the delivery may be claimed again. */
export function markDeliveryFailed(store: Store, key: DeliveryKey, error: string, now: Date): Promise<void> {
  return setStatus(store, key, { status: 'failed', error: error.slice(0, MAX_ERROR_LENGTH), updated_at: now.toISOString() });
}

/** The answer was lost mid-transaction (a timeout after the message data): it may have been accepted. */
export function markDeliveryUnconfirmed(store: Store, key: DeliveryKey, error: string, now: Date): Promise<void> {
  return setStatus(store, key, { status: 'unconfirmed', error: error.slice(0, MAX_ERROR_LENGTH), updated_at: now.toISOString() });
}

export async function listDeliveries(store: Store, opts: { kind?: string; digest?: string; limit: number }): Promise<DeliveryRow[]> {
  let query = store.db.selectFrom('deliveries').selectAll();
  if (opts.kind !== undefined) query = query.where('kind', '=', opts.kind);
  if (opts.digest !== undefined) query = query.where('digest', '=', opts.digest);
  return query.orderBy('claimed_at', 'desc').limit(opts.limit).execute();
}
