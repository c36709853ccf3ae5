import type { Kysely, Migration } from 'kysely';

/**
 * The quarter deals summary (won, lost and open deals with their amounts) is a whole-quarter snapshot, not a daily
 * value of one metric: one row per source, quarter and local day, replaced when the day is collected again. Pages
 * read the newest row on or before the week shown, so an outage leaves the last good snapshot in place.
 * Portable types only (SQLite and PostgreSQL).
 */
export const quarterDeals: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('quarter_deals')
      .addColumn('source', 'text', (col) => col.notNull())
      /** `2026-Q4`. */
      .addColumn('quarter', 'text', (col) => col.notNull())
      /** The local day the snapshot was taken. */
      .addColumn('day', 'text', (col) => col.notNull())
      .addColumn('won_count', 'integer', (col) => col.notNull())
      .addColumn('won_amount', 'double precision', (col) => col.notNull())
      .addColumn('lost_count', 'integer', (col) => col.notNull())
      .addColumn('lost_amount', 'double precision', (col) => col.notNull())
      .addColumn('open_count', 'integer', (col) => col.notNull())
      .addColumn('open_amount', 'double precision', (col) => col.notNull())
      .addColumn('fetched_at', 'text', (col) => col.notNull())
      /** JSON array of readable warnings (a deal in an unknown stage), or null. */
      .addColumn('warnings', 'text')
      .addPrimaryKeyConstraint('quarter_deals_pk', ['source', 'quarter', 'day'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('quarter_deals').execute();
  },
};
