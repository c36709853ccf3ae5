import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The delivery ledger for channels other than Slack (email digests): one row per (kind, digest, period, recipient
 * list), claimed with INSERT … ON CONFLICT DO NOTHING. The primary key is the natural key, so no dialect-specific
 * auto-increment is needed and the migration runs unchanged on SQLite and PostgreSQL.
 */
export const deliveries: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('deliveries')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('period', 'text', (c) => c.notNull())
      .addColumn('recipients_hash', 'text', (c) => c.notNull())
      .addColumn('recipients', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sqlIn('status', ['claimed', 'sending', 'sent', 'failed', 'unconfirmed'])))
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('claimed_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('deliveries_pk', ['kind', 'digest', 'period', 'recipients_hash'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('deliveries').ifExists().execute();
  },
};

/** A CHECK (column IN (…)) both dialects accept. */
function sqlIn(column: string, values: string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
