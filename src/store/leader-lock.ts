import type { Store } from './db.js';
import { openSqliteConnection } from './sqlite-addon.js';

/**
 * The scheduler lock: at most one process per database runs refresh, digests and nudges. It is held by a connection
 * of its own, so it goes away with the process that holds it (kill -9 included) and never with a busy pool.
 *
 * - Postgres: a session advisory lock (`pg_try_advisory_lock`) on a dedicated client; the server drops it when that
 *   connection closes.
 * - SQLite: an `EXCLUSIVE` transaction held open on a side file next to the database (`<file>.scheduler-lock`); the
 *   operating system drops the file lock when the process exits. A second `scorecard start` on the same file serves
 *   Slack and follows the lock the same way as on Postgres. An in-memory database is private: always held.
 */
export interface LeaderLock {
  /** Takes the lock if free; true while this process holds it. */
  tryAcquire(): Promise<boolean>;
  /** False once the lock's connection is gone (the server restarted, the network dropped): leadership is lost. */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
  /** Where the lock lives, for logs (no credentials). */
  describe: string;
}

/** Any fixed 64-bit key; distinct from the write lock and from Kysely's migration lock. */
const SCHEDULER_LOCK_KEY = 0x5c0_0002;

export async function openLeaderLock(store: Store): Promise<LeaderLock> {
  if (store.dialect === 'postgres') return postgresLock(store.url, store.location);
  if (store.location === ':memory:') {
    return { tryAcquire: async () => true, stillHeld: async () => true, release: async () => {}, describe: 'in-memory database' };
  }
  return sqliteLock(`${store.location}.scheduler-lock`);
}

async function postgresLock(url: string, location: string): Promise<LeaderLock> {
  const { default: pg } = await import('pg');
  let client: InstanceType<typeof pg.Client> | undefined;
  let held = false;
  const drop = () => {
    held = false;
    const gone = client;
    client = undefined;
    void gone?.end().catch(() => {});
  };
  return {
    describe: `advisory lock ${SCHEDULER_LOCK_KEY} on ${location}`,
    async tryAcquire() {
      if (held) return true;
      try {
        if (client === undefined) {
          const fresh = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, keepAlive: true });
          fresh.on('error', drop);
          fresh.on('end', () => {
            if (client === fresh) drop();
          });
          await fresh.connect();
          client = fresh;
        }
        const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [SCHEDULER_LOCK_KEY]);
        held = rows[0]?.locked === true;
      } catch {
        drop();
      }
      return held;
    },
    async stillHeld() {
      if (!held || client === undefined) return false;
      try {
        await client.query('select 1');
        return true;
      } catch {
        drop();
        return false;
      }
    },
    async release() {
      if (client !== undefined && held) await client.query('select pg_advisory_unlock($1)', [SCHEDULER_LOCK_KEY]).catch(() => {});
      drop();
    },
  };
}

async function sqliteLock(file: string): Promise<LeaderLock> {
  const db = await openSqliteConnection(file);
  db.pragma('busy_timeout = 0');
  let held = false;
  return {
    describe: `file lock on ${file}`,
    async tryAcquire() {
      if (held) return true;
      try {
        db.exec('BEGIN EXCLUSIVE');
        held = true;
      } catch {
        held = false;
      }
      return held;
    },
    async stillHeld() {
      return held && db.inTransaction;
    },
    async release() {
      if (db.inTransaction) db.exec('ROLLBACK');
      held = false;
      db.close();
    },
  };
}
