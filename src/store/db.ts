import { errorMessage } from '../errors.js';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { DEFAULT_MIGRATION_TABLE, type Kysely, Migrator, sql, type MigrationProvider } from 'kysely';
import type { Pool } from 'pg';
import { postgresChangeToken, takePostgresWriteLock, type DialectName } from './dialect.js';
import { migrations } from './migrations/index.js';
import type { Database } from './types.js';

export type DatabaseLocation = { kind: 'file'; path: string } | { kind: 'memory' } | { kind: 'postgres'; url: string };

interface StoreBase {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The resolved file path, `:memory:`, or `postgres://host:port/db` (never the credentials). */
  location: string;
  /** What opens this store again (the /metric answer thread). May carry a password: never log it. */
  url: string;
  close(): Promise<void>;
}
export interface SqliteStore extends StoreBase {
  dialect: 'sqlite';
  sqlite: BetterSqlite3.Database;
}
export interface PostgresStore extends StoreBase {
  dialect: 'postgres';
  pool: Pool;
}
export type Store = SqliteStore | PostgresStore;

/** Anything that looks like `scheme:`; a single letter followed by `:\` or `:/` is a Windows drive, not a scheme. */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;
const WINDOWS_DRIVE = /^[a-zA-Z]:[\\/]/;

/**
 * Reads `DATABASE_URL`: `postgres://…` / `postgresql://…`, or SQLite as `sqlite:path`, `sqlite:./rel`,
 * `sqlite:///abs`, `sqlite::memory:` or a bare path. Errors name only the scheme, so a URL carrying a password is
 * never echoed.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const trimmed = url.trim();
  if (trimmed === '') throw new Error('DATABASE_URL is empty — use e.g. sqlite:./data/scorecard.db');
  if (trimmed === ':memory:') return { kind: 'memory' };

  const scheme = SCHEME.exec(trimmed)?.[1];
  if (scheme === undefined || WINDOWS_DRIVE.test(trimmed)) return { kind: 'file', path: trimmed };
  const lower = scheme.toLowerCase();
  if (lower === 'postgres' || lower === 'postgresql') return { kind: 'postgres', url: trimmed };
  if (lower !== 'sqlite') {
    throw new Error(`DATABASE_URL must start with sqlite: or postgres:// — got ${scheme}:…`);
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
  // Each driver is loaded only when used: a SQLite install never loads pg, and the reverse.
  const { openSqliteStore, openPostgresStore } = await import('./connect.js');
  const store = location.kind === 'postgres' ? await openPostgresStore(location.url) : await openSqliteStore(location, url);
  try {
    await migrate(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * SQLite: pending migrations run inside one `BEGIN IMMEDIATE` transaction (SQLite DDL is transactional), so a failing
 * migration leaves nothing half-applied and two processes starting together migrate one after the other. Postgres:
 * Kysely's migrator takes an advisory lock and runs them in one transaction itself.
 */
async function migrate(store: Store): Promise<void> {
  if (await isMigrated(store.db)) return;
  const run = (db: Kysely<Database>) => new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  const { error, results } = store.dialect === 'postgres' ? await run(store.db) : await writeTransaction(store, run);
  if (error === undefined) return;
  const failed = results?.find((r) => r.status === 'Error')?.migrationName;
  const which = failed === undefined ? 'database migration' : `database migration ${failed}`;
  const reason = errorMessage(error);
  throw new Error(`${which} failed for ${store.location}: ${reason}`);
}

/**
 * Whether the database records exactly the migrations this build has: the usual case, answered by one read instead
 * of the migrator's write lock and table checks. Anything else (a new database, a pending or an unknown migration)
 * goes through the migrator, which applies or reports it.
 */
async function isMigrated(db: Kysely<Database>): Promise<boolean> {
  const names = Object.keys(migrations);
  try {
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(db);
    const applied = new Set(rows.map((row) => row.name));
    return rows.length === names.length && names.every((name) => applied.has(name));
  } catch {
    return false; // no migration table yet
  }
}

/** Online copy of a live SQLite database (consistent even while the bot writes), e.g. for `scorecard backup <file>`. */
export async function backupTo(store: Store, file: string): Promise<void> {
  if (store.dialect !== 'sqlite') throw new Error('backup copies a SQLite file; for Postgres use pg_dump');
  const target = resolve(file);
  if (store.location !== ':memory:' && target === store.location) {
    throw new Error(`backup target ${target} is the live database itself`);
  }
  mkdirSync(dirname(target), { recursive: true });
  await store.sqlite.backup(target);
}

/**
 * Runs `fn` holding the database's single write lock, so a read-then-write cannot be overtaken by another process
 * between the read and the write: `BEGIN IMMEDIATE` on SQLite (waiting up to busy_timeout), a transaction plus an
 * advisory transaction lock on Postgres. Inside `fn`, use only the `trx` handle — on SQLite `store.db` would wait
 * for the connection this call holds.
 */
export async function writeTransaction<T>(store: Store, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (store.dialect === 'postgres') {
    return store.db.transaction().execute(async (trx) => {
      await takePostgresWriteLock(trx);
      return fn(trx);
    });
  }
  const sqlite = store.sqlite;
  return store.db.connection().execute(async (trx) => {
    await sql`begin immediate`.execute(trx);
    try {
      const result = await fn(trx);
      await sql`commit`.execute(trx);
      return result;
    } catch (error) {
      if (sqlite.inTransaction) await sql`rollback`.execute(trx);
      throw error;
    }
  });
}

/**
 * A token that changes whenever anything may have been committed since it was last read, so a cache of answers
 * computed from this store stays valid exactly while it does not: SQLite's data_version (bumped by other connections'
 * commits), Postgres's current WAL position (every commit on the server advances it; unrelated writes only make the
 * cache more cautious). Undefined when it can't be read (a read-only standby): callers then do not cache.
 */
export async function changeToken(store: Store): Promise<string | undefined> {
  if (store.dialect === 'sqlite') return String(store.sqlite.pragma('data_version', { simple: true }));
  return postgresChangeToken(store.db).catch(() => undefined);
}

/** What `scorecard doctor` shows of the database. */
export async function databaseStats(store: Store): Promise<{ dailyValues: number; journalMode: string }> {
  const row = await store.db
    .selectFrom('daily_values')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const journalMode = store.dialect === 'sqlite' ? String(store.sqlite.pragma('journal_mode', { simple: true })) : 'postgres';
  return { dailyValues: Number(row.n), journalMode };
}
