import { createHash, randomBytes } from 'node:crypto';
import type { Store } from './db.js';
import type { WebSessionRow } from './types.js';

/**
 * Web sessions and one-time sign-in links. The cookie carries a random id; the table keeps its SHA-256, so reading
 * the database does not hand out live cookies. Revoking sets `revoked_at`; an expired or revoked row never signs in.
 */

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

export interface NewWebSession {
  /** The cookie value: shown once, never stored. */
  id: string;
  row: WebSessionRow;
}

export async function createWebSession(store: Store, userId: string, now: Date, ttlMs: number): Promise<NewWebSession> {
  const id = randomToken();
  const row: WebSessionRow = {
    id_hash: hashId(id),
    user_id: userId,
    csrf_token: randomToken(),
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttlMs).toISOString(),
    revoked_at: null,
  };
  await store.db.insertInto('web_sessions').values(row).execute();
  return { id, row };
}

/** The live session behind a cookie value, or undefined (unknown, expired or revoked). */
export async function findWebSession(store: Store, id: string, now: Date): Promise<WebSessionRow | undefined> {
  if (!id) return undefined;
  const row = await store.db.selectFrom('web_sessions').selectAll().where('id_hash', '=', hashId(id)).executeTakeFirst();
  if (!row || row.revoked_at !== null || row.expires_at <= now.toISOString()) return undefined;
  return row;
}

export async function revokeWebSession(store: Store, id: string, now: Date): Promise<void> {
  await store.db
    .updateTable('web_sessions')
    .set({ revoked_at: now.toISOString() })
    .where('id_hash', '=', hashId(id))
    .where('revoked_at', 'is', null)
    .execute();
}

/** Signs a person out everywhere (`scorecard web-link --revoke`); returns how many sessions were live. */
export async function revokeUserSessions(store: Store, userId: string, now: Date): Promise<number> {
  const result = await store.db
    .updateTable('web_sessions')
    .set({ revoked_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Marks a sign-in link's nonce as used. True the first time; false when it was used before (the primary key makes
 * two racing uses of one link store one row, and the loser sees false).
 */
export async function consumeLinkNonce(store: Store, nonce: string, userId: string, now: Date): Promise<boolean> {
  const result = await store.db
    .insertInto('web_link_uses')
    .values({ nonce, user_id: userId, used_at: now.toISOString() })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}
