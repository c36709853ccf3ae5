import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/store/db.js';

/**
 * Every store-touching test runs on both dialects: `describe.each(storeKinds())`. SQLite gets a file in a fresh
 * directory; Postgres gets a fresh database with a random name on the server at `TEST_DATABASE_URL` (default
 * `postgres://postgres@127.0.0.1:5432/postgres`), dropped on cleanup, so concurrent runs never meet.
 */

export type StoreKind = 'sqlite' | 'postgres';

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const explicitUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;
const adminUrl = explicitUrl ?? DEFAULT_ADMIN_URL;

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const postgresUp = await postgresAnswers();
// Asked for by name (CI sets it): a server that does not answer is a failure, never a silent skip.
if (explicitUrl !== undefined && !postgresUp) {
  throw new Error('TEST_DATABASE_URL is set but Postgres does not answer there; start it (see .ci/run)');
}

/** The dialects this run covers: SQLite always, Postgres whenever it answers. */
export function storeKinds(): StoreKind[] {
  return postgresUp ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A database file path inside a fresh directory of its own, so the -wal/-shm side files go away with it. */
export function tempDbPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'scorecard-test-')), 'scorecard.db');
}

/** Removes the directory `tempDbPath()` created (and everything SQLite put next to the file). */
export function removeTempDb(path: string): void {
  rmSync(dirname(path), { recursive: true, force: true });
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An empty database URL of this kind (nothing migrated yet) and a cleanup that removes it. */
export async function tempDatabaseUrl(kind: StoreKind): Promise<{ url: string; cleanup(): Promise<void> }> {
  if (kind === 'sqlite') {
    const path = tempDbPath();
    return { url: `sqlite:${path}`, cleanup: async () => removeTempDb(path) };
  }
  const name = `scorecard_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: () => admin(async (client) => void (await client.query(`drop database if exists ${name} with (force)`))),
  };
}

export async function openTempStore(kind: StoreKind = 'sqlite'): Promise<{ store: Store; path: string; cleanup(): Promise<void> }> {
  const database = await tempDatabaseUrl(kind);
  let store: Store;
  try {
    store = await openStore(database.url);
  } catch (error) {
    await database.cleanup();
    throw error;
  }
  return {
    store,
    path: kind === 'sqlite' ? database.url.slice('sqlite:'.length) : store.location,
    async cleanup() {
      await store.close();
      await database.cleanup();
    },
  };
}

/**
 * Registers hooks giving each test an empty store of this kind. SQLite: a fresh file per test. Postgres: one database
 * per describe block (creating one costs a template copy), emptied before each test with TRUNCATE … RESTART
 * IDENTITY, so ids start at 1 as in a fresh file.
 */
export function useTempStore(kind: StoreKind): { readonly store: Store; readonly path: string } {
  let current: Awaited<ReturnType<typeof openTempStore>> | undefined;
  const handle = {
    get store(): Store {
      if (current === undefined) throw new Error('useTempStore: the store is only open inside a test');
      return current.store;
    },
    get path(): string {
      if (current === undefined) throw new Error('useTempStore: the store is only open inside a test');
      return current.path;
    },
  };
  if (kind === 'sqlite') {
    beforeEach(async () => {
      current = await openTempStore('sqlite');
    });
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });
    return handle;
  }
  beforeAll(async () => {
    current = await openTempStore('postgres');
  });
  beforeEach(async () => {
    if (current !== undefined) await emptyAllTables(current.store);
  });
  afterAll(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return handle;
}

async function emptyAllTables(store: Store): Promise<void> {
  const tables = await store.db.introspection.getTables();
  const names = tables.map((t) => t.name).filter((name) => !name.startsWith('kysely_'));
  if (names.length > 0) await sql.raw(`truncate table ${names.map((n) => `"${n}"`).join(', ')} restart identity cascade`).execute(store.db);
}
