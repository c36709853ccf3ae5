import { sql } from 'kysely';
import type { Store } from './db.js';
import { afterExplicitIds } from './dialect.js';

/**
 * `scorecard db copy`: moves every row of every table from one store to another (SQLite → Postgres, or back). Both
 * stores are migrated to the same version first (openStore does that), so the tables and columns match.
 * Idempotent: rows already in the target (same primary or unique key) are left as they are, so a copy interrupted
 * half-way is finished by running it again. At the end every table must hold as many rows as the source.
 */

export interface TableCopy {
  table: string;
  source: number;
  copied: number;
  target: number;
}

/** Parents before children (manual_entries' own `supersedes` chain is ordered by id); new tables follow by name. */
const KNOWN_ORDER = [
  'daily_values',
  'manual_entries',
  'digest_runs',
  'source_runs',
  'source_health',
  'sync_state',
  'goal_changes',
  'audit_log',
];
/** Rows per INSERT: below SQLite's bound-parameter limit and Postgres's 65 535 for tables of up to ~30 columns. */
const ROWS_PER_INSERT = 1000;
const MAX_PARAMETERS = 30_000;

/** The store's own tables (Kysely's bookkeeping excluded), in copy order. */
export async function tablesOf(store: Store): Promise<string[]> {
  const names = (await store.db.introspection.getTables()).map((t) => t.name).filter((name) => !name.startsWith('kysely_'));
  const rank = (name: string) => (KNOWN_ORDER.includes(name) ? KNOWN_ORDER.indexOf(name) : KNOWN_ORDER.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

async function countRows(store: Store, table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}

export async function copyDatabase(from: Store, to: Store, progress: (line: string) => void = () => {}): Promise<TableCopy[]> {
  const sourceTables = await tablesOf(from);
  const targetTables = new Set(await tablesOf(to));
  const missing = sourceTables.filter((t) => !targetTables.has(t));
  if (missing.length > 0) throw new Error(`the target has no table ${missing.join(', ')}: are both on the same Scorecard version?`);

  const report: TableCopy[] = [];
  for (const table of sourceTables) {
    const columns = (await from.db.introspection.getTables()).find((t) => t.name === table)?.columns.map((c) => c.name) ?? [];
    const hasId = columns.includes('id');
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}${hasId ? sql` order by id` : sql``}`.execute(
      from.db,
    );
    const perInsert = Math.max(1, Math.min(ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length))));
    let copied = 0;
    await to.db.transaction().execute(async (trx) => {
      for (let start = 0; start < rows.length; start += perInsert) {
        const chunk = rows.slice(start, start + perInsert);
        const result = await trx
          .insertInto(table as never)
          .values(chunk as never)
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        copied += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
    });
    if (hasId) await afterExplicitIds(to, table);
    const entry = { table, source: rows.length, copied, target: await countRows(to, table) };
    progress(`${table}: ${entry.source} rows, ${entry.copied} copied, ${entry.target} in the target`);
    report.push(entry);
  }
  const mismatched = report.filter((r) => r.source !== r.target);
  if (mismatched.length > 0) {
    throw new Error(
      `row counts differ after the copy: ${mismatched.map((r) => `${r.table} ${r.source} → ${r.target}`).join(', ')} (was the target in use already?)`,
    );
  }
  return report;
}

/** Deletes every row of every table (the schema stays): how `scorecard demo` rebuilds a Postgres demo database. */
export async function emptyDatabase(store: Store): Promise<void> {
  const tables = await tablesOf(store);
  await store.db.transaction().execute(async (trx) => {
    for (const table of tables.reverse()) await sql`delete from ${sql.table(table)}`.execute(trx);
  });
  for (const table of tables) await afterExplicitIds(store, table).catch(() => {});
}
