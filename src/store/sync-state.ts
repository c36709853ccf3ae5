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

/**
 * Takes `key` for the caller in one statement: an insert that a unique key lets exactly one process win. When
 * `retakePrefix` is given, a stored value starting with it (say, a failed attempt) is overwritten by the same
 * statement, so a retry is also claimed once. Returns whether this caller holds the key now.
 */
export async function claimSyncState(
  store: Store,
  key: string,
  value: string,
  now: Date,
  opts: { retakePrefix?: string } = {},
): Promise<boolean> {
  const updatedAt = now.toISOString();
  const prefix = opts.retakePrefix;
  const claimed = await store.db
    .insertInto('sync_state')
    .values({ key, value, updated_at: updatedAt })
    .onConflict((oc) =>
      prefix === undefined
        ? oc.column('key').doNothing()
        : oc
            .column('key')
            .doUpdateSet({ value, updated_at: updatedAt })
            // substr, not LIKE: LIKE escaping differs between the dialects, substr is the same on both.
            .where((eb) => eb(eb.fn<string>('substr', ['sync_state.value', eb.lit(1), eb.lit(prefix.length)]), '=', prefix)),
    )
    .returning('key')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** The `SyncState` a source sees; `now` is read at each write so long runs stamp real times. */
export function syncStateFor(store: Store, now: () => Date): SyncState {
  return {
    get: (key) => getSyncState(store, key),
    set: (key, value) => setSyncState(store, key, value, now()),
  };
}
