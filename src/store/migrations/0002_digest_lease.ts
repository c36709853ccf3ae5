import type { Kysely, Migration } from 'kysely';

/**
 * A digest claim carries a lease: who holds it (`owner`, host:pid:nonce) and until when (`lease_until`, ISO). A claim
 * past its lease, or whose owner is known dead, is taken over, so a crash mid-post never leaves a period unfinished.
 * One column per ALTER: SQLite adds one column per statement, PostgreSQL accepts it too.
 */
export const digestLease: Migration = {
  async up(db: Kysely<any>) {
    await db.schema.alterTable('digest_runs').addColumn('owner', 'text').execute();
    await db.schema.alterTable('digest_runs').addColumn('lease_until', 'text').execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.alterTable('digest_runs').dropColumn('lease_until').execute();
    await db.schema.alterTable('digest_runs').dropColumn('owner').execute();
  },
};
