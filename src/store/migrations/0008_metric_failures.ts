import type { Kysely, Migration } from 'kysely';

/**
 * Why a metric's last refresh failed while its source's other metrics refreshed (a bad list id, a deleted
 * pipeline): one row per metric, replaced on each failure, removed when the metric refreshes again. Portable types
 * only: the same migration runs on PostgreSQL.
 */
export const metricFailures: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('metric_failures')
      .addColumn('metric_id', 'text', (col) => col.primaryKey().notNull())
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('error_class', 'text', (col) => col.notNull())
      .addColumn('error', 'text', (col) => col.notNull())
      .addColumn('failed_at', 'text', (col) => col.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('metric_failures').execute();
  },
};
