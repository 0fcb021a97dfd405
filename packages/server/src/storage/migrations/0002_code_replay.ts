/**
 * Records when a used authorization code is presented again, so a redemption that was still
 * issuing tokens when the replay arrived can see it and revoke what it issued (RFC 6749 §4.1.2).
 */
import type { Kysely, Migration } from 'kysely';

export const codeReplay: Migration = {
  // Kysely's schema builder is untyped by design for migrations.
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('authorization_codes').addColumn('replayed_at', 'bigint').execute();
  },
};
