import type { Kysely, Migration } from 'kysely';

/**
 * Ad spend per channel and day, so channels from different feeds (the CSV import, Meta Ads, Google Ads) sum into
 * one daily figure without double counting: each (metric, day, channel) is one row that a re-import or re-fetch
 * replaces, and the metric's daily value is the sum of its channels. Portable types only (SQLite and PostgreSQL).
 */
export const adSpendChannels: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('ad_spend_channels')
      .addColumn('metric_id', 'text', (col) => col.notNull())
      .addColumn('day', 'text', (col) => col.notNull())
      .addColumn('channel', 'text', (col) => col.notNull())
      .addColumn('amount', 'double precision', (col) => col.notNull())
      .addColumn('currency', 'text', (col) => col.notNull())
      /** `import` (CSV), or the source id that fetched it. */
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('fetched_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('ad_spend_channels_pk', ['metric_id', 'day', 'channel'])
      .execute();
    // Spend imported before channels were kept becomes one `csv` channel, so the next fetch adds to it.
    await db
      .insertInto('ad_spend_channels')
      .columns(['metric_id', 'day', 'channel', 'amount', 'currency', 'source', 'fetched_at'])
      .expression((eb) =>
        eb
          .selectFrom('daily_values')
          .select(['metric_id', 'day', eb.val('csv').as('channel'), 'value', eb.val('USD').as('currency'), 'source', 'fetched_at'])
          .where('source', '=', 'import'),
      )
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('ad_spend_channels').execute();
  },
};
