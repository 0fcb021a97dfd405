/**
 * Opaque access tokens are self-contained (sealed), so none is stored. Their revocation is
 * recorded here instead: one row per revoked token, family, grant, user or client, kept until
 * every access token it could cover has expired anyway.
 */
import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

export const revocations: Migration = {
  // Kysely's schema builder is untyped by design for migrations.
  async up(db: Kysely<any>): Promise<void> {
    const isSqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('revocations')
      .addColumn('subject', 'text', (c) => c.primaryKey())
      .addColumn('revoked_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .$call((builder) => (isSqlite ? builder.modifyEnd(sql`without rowid`) : builder))
      .execute();
    await db.schema.createIndex('revocations_expires_at').on('revocations').column('expires_at').execute();
  },
};
