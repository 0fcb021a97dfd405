/**
 * A client an administrator flags as a resource server may introspect access tokens issued to
 * other clients; every other client learns about its own tokens only (RFC 7662 §2.2, §4).
 * Existing clients start unflagged.
 */
import type { Kysely, Migration } from 'kysely';

export const resourceServers: Migration = {
  // Kysely's schema builder is untyped by design for migrations.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('clients').addColumn('resource_server', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  },
};
