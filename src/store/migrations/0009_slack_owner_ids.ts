import type { Kysely, Migration } from 'kysely';

/**
 * Metric owners given as emails, resolved to Slack user ids with `users.lookupByEmail` and kept so a digest does not
 * look every owner up again: one row per email (lower case), `user_id` null when Slack knows no such user.
 * Portable types only: the same migration runs on PostgreSQL.
 */
export const slackOwnerIds: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('slack_owner_ids')
      .addColumn('email', 'text', (col) => col.primaryKey().notNull())
      .addColumn('user_id', 'text')
      .addColumn('resolved_at', 'text', (col) => col.notNull())
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('slack_owner_ids').execute();
  },
};
