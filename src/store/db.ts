import { errorMessage } from '../errors.js';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type MigrationProvider } from 'kysely';
import { migrations } from './migrations/index.js';
import type { Database } from './types.js';

export type DatabaseLocation = { kind: 'file'; path: string } | { kind: 'memory' };

export interface Store {
  db: Kysely<Database>;
  sqlite: BetterSqlite3.Database;
  /** The resolved file path, or `:memory:`. */
  location: string;
  close(): Promise<void>;
}

/** Anything that looks like `scheme:`; a single letter followed by `:\` or `:/` is a Windows drive, not a scheme. */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const WINDOWS_DRIVE = /^[a-zA-Z]:[\\/]/;

/**
 * Reads `DATABASE_URL`. Only SQLite is supported: `sqlite:path`, `sqlite:./rel`, `sqlite:///abs`, `sqlite::memory:`
 * or a bare path. Errors name only the scheme, so a URL carrying a password is never echoed.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const trimmed = url.trim();
  if (trimmed === '') throw new Error('DATABASE_URL is empty — use e.g. sqlite:./data/scorecard.db');
  if (trimmed === ':memory:') return { kind: 'memory' };

  const scheme = SCHEME.exec(trimmed)?.[1];
  if (scheme === undefined || WINDOWS_DRIVE.test(trimmed)) return { kind: 'file', path: trimmed };
  if (scheme.toLowerCase() !== 'sqlite') {
    throw new Error(`DATABASE_URL must start with sqlite: — got ${scheme}:… (only SQLite is supported)`);
  }

  const rest = trimmed.slice(scheme.length + 1);
  if (rest === ':memory:' || rest === '//:memory:') return { kind: 'memory' };
  // `sqlite:///abs/path` → `/abs/path`; `sqlite://./rel` → `./rel`.
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (path === '') throw new Error('DATABASE_URL has no path after sqlite: — use e.g. sqlite:./data/scorecard.db');
  return { kind: 'file', path };
}

/** Static list, so migrations run the same from `src/` (vitest) and `dist/` (no directory scanning). */
const migrationProvider: MigrationProvider = { getMigrations: async () => migrations };

export async function openStore(url: string): Promise<Store> {
  const location = parseDatabaseUrl(url);
  const filePath = location.kind === 'file' ? resolve(location.path) : ':memory:';
  if (location.kind === 'file') mkdirSync(dirname(filePath), { recursive: true });

  const sqlite = new BetterSqlite3(filePath);
  try {
    // busy_timeout first, so switching to WAL waits for another process instead of failing.
    sqlite.pragma('busy_timeout = 5000');
    if (location.kind === 'file') sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
  } catch (error) {
    sqlite.close();
    throw error;
  }

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  let closed = false;
  const store: Store = {
    db,
    sqlite,
    location: filePath,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };

  try {
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * Runs pending migrations inside one `BEGIN IMMEDIATE` transaction (SQLite DDL is transactional): a failing
 * migration leaves nothing half-applied, and two processes starting together migrate one after the other.
 */
async function migrate(store: Store): Promise<void> {
  await writeTransaction(store, async (trx) => {
    const { error, results } = await new Migrator({ db: trx, provider: migrationProvider }).migrateToLatest();
    if (error === undefined) return;
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const which = failed === undefined ? 'database migration' : `database migration ${failed}`;
    const reason = errorMessage(error);
    throw new Error(`${which} failed for ${store.location}: ${reason}`);
  });
}

/** Online copy of a live database (consistent even while the bot writes), e.g. for `scorecard backup <file>`. */
export async function backupTo(store: Store, file: string): Promise<void> {
  const target = resolve(file);
  if (store.location !== ':memory:' && target === store.location) {
    throw new Error(`backup target ${target} is the live database itself`);
  }
  mkdirSync(dirname(target), { recursive: true });
  await store.sqlite.backup(target);
}

/**
 * Runs `fn` inside `BEGIN IMMEDIATE`: the write lock is taken up front (waiting up to busy_timeout), so a
 * read-then-write cannot be overtaken by another process between the read and the write.
 * Inside `fn`, use only the `trx` handle — `store.db` would wait for the connection this call holds.
 */
export async function writeTransaction<T>(store: Store, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return store.db.connection().execute(async (trx) => {
    await sql`begin immediate`.execute(trx);
    try {
      const result = await fn(trx);
      await sql`commit`.execute(trx);
      return result;
    } catch (error) {
      if (store.sqlite.inTransaction) await sql`rollback`.execute(trx);
      throw error;
    }
  });
}

/**
 * SQLite's data_version for this connection: it changes whenever another connection commits, so a cache of
 * answers computed from this store stays valid exactly while it does not.
 */
export function dataVersion(store: Store): number {
  return Number(store.sqlite.pragma('data_version', { simple: true }));
}

/** What `scorecard doctor` shows of the database. */
export function databaseStats(store: Store): { dailyValues: number; journalMode: string } {
  const row = store.sqlite.prepare('SELECT count(*) AS n FROM daily_values').get() as { n: number };
  return { dailyValues: row.n, journalMode: String(store.sqlite.pragma('journal_mode', { simple: true })) };
}
