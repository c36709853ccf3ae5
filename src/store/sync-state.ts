import type { Store } from './db.js';

/** Small persistent key/value state, backed by the store's `sync_state` table (quotas, cursors, caches). */
export interface SyncState {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export async function getSyncState(store: Store, key: string): Promise<string | undefined> {
  const row = await store.db.selectFrom('sync_state').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function setSyncState(store: Store, key: string, value: string, now: Date): Promise<void> {
  const updatedAt = now.toISOString();
  await store.db
    .insertInto('sync_state')
    .values({ key, value, updated_at: updatedAt })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: updatedAt }))
    .execute();
}

/** The `SyncState` a source sees; `now` is read at each write so long runs stamp real times. */
export function syncStateFor(store: Store, now: () => Date): SyncState {
  return {
    get: (key) => getSyncState(store, key),
    set: (key, value) => setSyncState(store, key, value, now()),
  };
}
