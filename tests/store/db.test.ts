import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { backupTo, openStore, parseDatabaseUrl, type SqliteStore, type Store } from '../../src/store/db.js';
import { countDailyValues, getDailyValues, upsertDailyValues } from '../../src/store/daily-values.js';
import { addManualEntry } from '../../src/store/manual-entries.js';
import { removeTempDb, storeKinds, tempDatabaseUrl, tempDbPath } from '../helpers/tmp-store.js';
import { migrations } from '../../src/store/migrations/index.js';

/** Every registered migration, applied once each, in name order. */
const ALL_MIGRATIONS = Object.keys(migrations)
  .sort()
  .map((name) => ({ name }));

const NOW = new Date('2026-11-16T14:03:00.000Z');

function dailyRow(metricId: string, day: string, value: number) {
  return { metric_id: metricId, day, value, source: 'hubspot', fetched_at: NOW.toISOString(), warnings: null };
}

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:data/scorecard.db', { kind: 'file', path: 'data/scorecard.db' }],
    ['sqlite:./data/scorecard.db', { kind: 'file', path: './data/scorecard.db' }],
    ['sqlite:///var/lib/scorecard/db.sqlite', { kind: 'file', path: '/var/lib/scorecard/db.sqlite' }],
    ['sqlite:/var/lib/scorecard.db', { kind: 'file', path: '/var/lib/scorecard.db' }],
    ['SQLITE:./x.db', { kind: 'file', path: './x.db' }],
    ['sqlite::memory:', { kind: 'memory' }],
    [':memory:', { kind: 'memory' }],
    ['./data/scorecard.db', { kind: 'file', path: './data/scorecard.db' }],
    ['/abs/scorecard.db', { kind: 'file', path: '/abs/scorecard.db' }],
    ['  sqlite:./padded.db  ', { kind: 'file', path: './padded.db' }],
  ])('%s', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual(expected);
  });

  it('reads postgres:// and postgresql:// as Postgres', () => {
    expect(parseDatabaseUrl('postgres://u@h:5432/db')).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/db' });
    expect(parseDatabaseUrl(' postgresql://h/db ')).toEqual({ kind: 'postgres', url: 'postgresql://h/db' });
  });

  it('rejects other databases without echoing credentials', () => {
    const attempt = () => parseDatabaseUrl('mysql://admin:hunter2@db.example.com:3306/scorecard');
    expect(attempt).toThrow('DATABASE_URL must start with sqlite: or postgres:// — got mysql:…');
    try {
      attempt();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
      expect(String(error)).not.toContain('admin');
    }
  });

  it('rejects an empty url and a sqlite: url without a path', () => {
    expect(() => parseDatabaseUrl('')).toThrow(/DATABASE_URL is empty/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/no path after sqlite:/);
    expect(() => parseDatabaseUrl('mysql://root@localhost/db')).toThrow(/got mysql:…/);
  });
});

describe('openStore', () => {
  const paths: string[] = [];
  const stores: Store[] = [];
  const newPath = () => {
    const path = tempDbPath();
    paths.push(path);
    return path;
  };
  const open = async (url: string): Promise<SqliteStore> => {
    const store = await openStore(url);
    stores.push(store);
    if (store.dialect !== 'sqlite') throw new Error('expected a SQLite store');
    return store;
  };

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const path of paths.splice(0)) removeTempDb(path);
  });

  it('migrates once and re-opens an existing file with its data intact', async () => {
    const path = newPath();
    const first = await open(`sqlite:${path}`);
    await upsertDailyValues(first, [dailyRow('dials', '2026-11-16', 42)]);
    await addManualEntry(first, { metricId: 'coi_meetings', day: '2026-11-16', value: 1, userId: 'U1', enteredBy: 'U1' }, NOW);
    await first.close();

    const second = await open(`sqlite:${path}`);
    expect(await getDailyValues(second, ['dials'], '2026-11-16', '2026-11-17')).toMatchObject([{ value: 42 }]);
    const applied = second.sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').all();
    expect(applied).toEqual(ALL_MIGRATIONS);
    const entries = second.sqlite.prepare('SELECT count(*) AS n FROM manual_entries').get();
    expect(entries).toEqual({ n: 1 });
  });

  it('re-opens an up-to-date file with one read, not the migrator: another connection holding the write lock does not stop it', async () => {
    const path = newPath();
    await (await open(`sqlite:${path}`)).close();
    const writer = new BetterSqlite3(path);
    try {
      writer.exec('BEGIN IMMEDIATE');
      const again = await open(`sqlite:${path}`);
      expect(again.sqlite.prepare('SELECT count(*) AS n FROM kysely_migration').get()).toEqual({ n: ALL_MIGRATIONS.length });
    } finally {
      writer.exec('ROLLBACK');
      writer.close();
    }
  });

  it('creates the parent folder and turns on WAL, foreign keys, busy timeout and NORMAL sync', async () => {
    const path = join(newPath(), '..', 'nested', 'deeper', 'scorecard.db');
    const store = await open(`sqlite:${path}`);
    expect(existsSync(path)).toBe(true);
    expect(store.location).toBe(path);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(store.sqlite.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('accepts a bare path and sqlite:/// absolute urls', async () => {
    const bare = await open(newPath());
    expect(bare.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    const absolute = newPath();
    const viaUrl = await open(`sqlite://${absolute}`);
    expect(viaUrl.location).toBe(absolute);
  });

  it('opens an in-memory store with the full schema', async () => {
    const store = await open('sqlite::memory:');
    expect(store.location).toBe(':memory:');
    await upsertDailyValues(store, [dailyRow('dials', '2026-11-16', 3)]);
    expect(await countDailyValues(store)).toBe(1);
  });

  it('refuses an unknown scheme before touching the disk', async () => {
    await expect(openStore('mysql://u:secret@host/db')).rejects.toThrow(/must start with sqlite: or postgres:/);
  });

  it('close is safe to call twice', async () => {
    const store = await open(`sqlite:${newPath()}`);
    await store.close();
    await store.close();
    expect(store.sqlite.open).toBe(false);
  });

  it('answers a 13-week read for many metrics from the primary key, not a table scan', async () => {
    const store = await open('sqlite::memory:');
    const ids = Array.from({ length: 100 }, (_, i) => `metric_${i}`);
    const query = store.db
      .selectFrom('daily_values')
      .selectAll()
      .where('metric_id', 'in', ids)
      .where('day', '>=', '2026-08-17')
      .where('day', '<', '2026-11-16')
      .orderBy('metric_id')
      .orderBy('day')
      .compile();
    const plan = store.sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.parameters as unknown[])) as { detail: string }[];
    const details = plan.map((step) => step.detail).join('\n');
    expect(details).toMatch(/SEARCH daily_values USING PRIMARY KEY \(metric_id=\? AND day>\? AND day<\?\)/);
    expect(details).not.toMatch(/SCAN daily_values/);
  });
});

describe('backupTo', () => {
  it('writes a readable copy with the same rows while the store stays open', async () => {
    const path = tempDbPath();
    const copyPath = tempDbPath();
    const store = await openStore(`sqlite:${path}`);
    try {
      const rows = Array.from({ length: 30 }, (_, i) => dailyRow('dials', `2026-10-${String(i + 1).padStart(2, '0')}`, i));
      await upsertDailyValues(store, rows);
      await backupTo(store, copyPath);

      const copy = new BetterSqlite3(copyPath, { readonly: true });
      try {
        const copied = copy.prepare('SELECT metric_id, day, value FROM daily_values ORDER BY day').all();
        expect(copied).toEqual(rows.map((r) => ({ metric_id: r.metric_id, day: r.day, value: r.value })));
        expect(copy.prepare('SELECT name FROM kysely_migration ORDER BY name').all()).toEqual(ALL_MIGRATIONS);
      } finally {
        copy.close();
      }
      await expect(backupTo(store, path)).rejects.toThrow(/is the live database itself/);
    } finally {
      await store.close();
      removeTempDb(path);
      removeTempDb(copyPath);
    }
  });
});

describe.each(storeKinds())('opening a database that lacks a migration (%s)', (kind) => {
  it('runs the missing one, as on a new database', async () => {
    const database = await tempDatabaseUrl(kind);
    try {
      const first = await openStore(database.url);
      // The newest migration: Kysely refuses, rightly, a gap before migrations already run.
      await sql`drop table quarter_deals`.execute(first.db);
      await sql`delete from kysely_migration where name = ${'0010_quarter_deals'}`.execute(first.db);
      await first.close();
      const second = await openStore(database.url);
      try {
        const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(second.db);
        expect(rows.map((row) => ({ name: row.name }))).toEqual(ALL_MIGRATIONS);
        expect(await second.db.selectFrom('quarter_deals').selectAll().execute()).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      await database.cleanup();
    }
  });
});
