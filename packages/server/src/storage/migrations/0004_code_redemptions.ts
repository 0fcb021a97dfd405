/**
 * Authorization codes are self-contained (sealed), so none is stored when it is issued. What
 * stays is what makes a code single use: one row per redeemed code, written by its first
 * redemption and marked when it is presented again (RFC 6749 §4.1.2), kept until the code expires.
 */
import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

export const codeRedemptions: Migration = {
  // Kysely's schema builder is untyped by design for migrations.
  async up(db: Kysely<any>): Promise<void> {
    const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('code_redemptions')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('replayed_at', 'bigint')
      .$call((builder) => (isSqlite ? builder.modifyEnd(sql`without rowid`) : builder))
      .execute();
    await db.schema.createIndex('code_redemptions_expires_at').on('code_redemptions').column('expires_at').execute();
  },
};
