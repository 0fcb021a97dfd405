/**
 * Purging expired rows in bounded batches (the policy: `core/housekeeping/policy.ts`), so each
 * DELETE's locks (and SQLite's single writer) stay short and a large backlog never stalls token
 * requests. Refresh tokens outlive their own expiry until the family ends, so a replayed old token
 * can still be recognised and its family revoked (RFC 9700 §4.14.2).
 */
import type { Kysely } from 'kysely';
import type { HousekeepingStore, PurgeReport } from '../../core/stores.js';
import type { Database } from '../schema.js';
import type { StoreContext } from './context.js';

type Batch = (db: Kysely<Database>, now: number, size: number, keysBefore: number) => Promise<{ numDeletedRows: bigint }>;

/** One DELETE of at most `size` rows per kind, selected by key. */
const purges: Record<keyof PurgeReport, Batch> = {
  codes: (db, now, size) =>
    db.deleteFrom('code_redemptions').where('code_hash', 'in', db.selectFrom('code_redemptions').select('code_hash').where('expires_at', '<', now).limit(size)).executeTakeFirst(),
  tokens: (db, now, size) =>
    db
      .deleteFrom('tokens')
      .where('token_hash', 'in', (eb) =>
        eb
          .selectFrom('tokens')
          .select('token_hash')
          .where('expires_at', '<', now)
          .where((w) => w.or([w('kind', '=', 'access'), w('family_expires_at', 'is', null), w('family_expires_at', '<', now)]))
          .limit(size),
      )
      .executeTakeFirst(),
  revocations: (db, now, size) =>
    db.deleteFrom('revocations').where('subject', 'in', db.selectFrom('revocations').select('subject').where('expires_at', '<', now).limit(size)).executeTakeFirst(),
  sessions: (db, now, size) =>
    db.deleteFrom('sessions').where('id_hash', 'in', db.selectFrom('sessions').select('id_hash').where('expires_at', '<', now).limit(size)).executeTakeFirst(),
  interactions: (db, now, size) =>
    db.deleteFrom('interactions').where('id_hash', 'in', db.selectFrom('interactions').select('id_hash').where('expires_at', '<', now).limit(size)).executeTakeFirst(),
  clientSecrets: (db, now, size) =>
    db.deleteFrom('client_secrets').where('id', 'in', db.selectFrom('client_secrets').select('id').where('expires_at', '<', now).limit(size)).executeTakeFirst(),
  signingKeys: (db, _now, size, keysBefore) =>
    db
      .deleteFrom('signing_keys')
      .where('kid', 'in', db.selectFrom('signing_keys').select('kid').where('state', '=', 'retired').where('retired_at', '<', keysBefore).limit(size))
      .executeTakeFirst(),
};

export function housekeepingStore({ db }: StoreContext): HousekeepingStore {
  return {
    async purgeExpired(now, { batchSize, maxBatches, keyRetentionSeconds }) {
      const keysBefore = now - keyRetentionSeconds;
      const report: PurgeReport = { codes: 0, tokens: 0, revocations: 0, sessions: 0, interactions: 0, clientSecrets: 0, signingKeys: 0 };
      for (const kind of Object.keys(purges) as Array<keyof PurgeReport>) {
        for (let i = 0; i < maxBatches; i++) {
          const deleted = Number((await purges[kind](db, now, batchSize, keysBefore)).numDeletedRows);
          report[kind] += deleted;
          if (deleted < batchSize) break;
        }
      }
      return report;
    },
  };
}
