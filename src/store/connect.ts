import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { DatabaseLocation, PostgresStore, SqliteStore } from './db.js';
import { POSTGRES_NUMERIC_OIDS, PortableTypesPlugin, postgresNumber } from './dialect.js';
import type { Database } from './types.js';
import { openSqliteConnection } from './sqlite-addon.js';

/** Opening a connection per dialect; loaded lazily by openStore so each process loads one driver. */

export async function openSqliteStore(location: Exclude<DatabaseLocation, { kind: 'postgres' }>, url: string): Promise<SqliteStore> {
  const filePath = location.kind === 'file' ? resolve(location.path) : ':memory:';
  if (location.kind === 'file') mkdirSync(dirname(filePath), { recursive: true });

  const sqlite = await openSqliteConnection(filePath);
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
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    location: filePath,
    url: location.kind === 'file' ? `sqlite:${filePath}` : url,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** Pool size per process: the bot, the scheduler and the answer thread each hold a few; Postgres allows ~100. */
const POOL_SIZE = 5;

export async function openPostgresStore(url: string): Promise<PostgresStore> {
  const { default: pg } = await import('pg');
  const numeric = (oid: number, format?: string) =>
    oid === POSTGRES_NUMERIC_OIDS.int8 || oid === POSTGRES_NUMERIC_OIDS.numeric
      ? postgresNumber
      : pg.types.getTypeParser(oid, format as 'text');
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    connectionTimeoutMillis: 5000,
    types: { getTypeParser: numeric as typeof pg.types.getTypeParser },
  });
  // An idle client that loses its server (restart, failover) emits 'error'; the pool replaces it on next use.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new PortableTypesPlugin()] });
  let closed = false;
  return {
    db,
    dialect: 'postgres',
    pool,
    location: describePostgresUrl(url),
    url,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** `postgres://host:port/db`, for logs and `doctor`: user and password dropped. */
function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `postgres://${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres://(unparseable url)';
  }
}
