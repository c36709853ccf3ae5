import type { Kysely, Migration } from 'kysely';

/**
 * The web pages: signed-in sessions (the cookie holds a random id; only its SHA-256 is stored, so a copy of the
 * database cannot be replayed as a cookie), the one-time sign-in links already used, and the reason of a goal
 * change made on /settings/goals. Portable types only: the same migration runs on PostgreSQL.
 */
export const web: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('web_sessions')
      .addColumn('id_hash', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('csrf_token', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('web_sessions_user').on('web_sessions').column('user_id').execute();
    await db.schema
      .createTable('web_link_uses')
      .addColumn('nonce', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('used_at', 'text', (col) => col.notNull())
      .execute();
    await db.schema.alterTable('goal_changes').addColumn('reason', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('goal_changes').dropColumn('reason').execute();
    await db.schema.dropTable('web_link_uses').ifExists().execute();
    await db.schema.dropTable('web_sessions').ifExists().execute();
  },
};
