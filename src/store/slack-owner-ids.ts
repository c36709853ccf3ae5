import type { Store } from './db.js';

/** An owner email's Slack user id as last resolved (null: Slack has no user with that email), and when. */
export interface CachedOwnerId {
  email: string;
  userId: string | null;
  resolvedAt: string;
}

/** Cached resolutions for these emails (matched in lower case), fresh or not: the caller decides what is stale. */
export async function cachedOwnerIds(store: Store, emails: readonly string[]): Promise<Map<string, CachedOwnerId>> {
  const keys = [...new Set(emails.map((e) => e.toLowerCase()))];
  if (keys.length === 0) return new Map();
  const rows = await store.db.selectFrom('slack_owner_ids').selectAll().where('email', 'in', keys).execute();
  return new Map(rows.map((r) => [r.email, { email: r.email, userId: r.user_id, resolvedAt: r.resolved_at }]));
}

/** Records (or replaces) one email's resolution. */
export async function saveOwnerId(store: Store, email: string, userId: string | null, at: Date): Promise<void> {
  const row = { user_id: userId, resolved_at: at.toISOString() };
  await store.db
    .insertInto('slack_owner_ids')
    .values({ email: email.toLowerCase(), ...row })
    .onConflict((oc) => oc.column('email').doUpdateSet(row))
    .execute();
}
