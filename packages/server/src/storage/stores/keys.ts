/** Signing keys: the key ring's rows. Rotation and erasing replaced values differ per dialect, chosen once. */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { KeyStore } from '../../core/stores.js';
import type { Dialect } from '../database.js';
import { keyRow, toKey } from '../rows.js';
import type { Database } from '../schema.js';
import { isUniqueViolation } from '../sql-errors.js';
import type { StoreContext } from './context.js';

type KeyStateQuery = SelectQueryBuilder<Database, 'signing_keys', { kid: string; state: string }>;

/**
 * Postgres: a concurrent rotation waits on the row locks and then sees the committed states: no
 * `next` left (the new one is not in its snapshot), so it reports false instead of rotating twice.
 * SQLite has one writer, so the transaction alone serialises rotations.
 */
const lockForRotation: Record<Dialect, (query: KeyStateQuery) => KeyStateQuery> = {
  postgres: (query) => query.forUpdate(),
  sqlite: (query) => query,
};

/**
 * An UPDATE leaves the old value in the database files: in the page's free space and the WAL on
 * SQLite, as a dead tuple on Postgres. SQLite: VACUUM rewrites the file without them and a
 * TRUNCATE checkpoint empties the WAL; Postgres: VACUUM FULL rewrites the two tables into new files.
 */
const eraseReplaced: Record<Dialect, (db: Kysely<Database>) => Promise<void>> = {
  sqlite: async (db) => {
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
    await sql`vacuum`.execute(db);
    await sql`pragma wal_checkpoint(truncate)`.execute(db);
  },
  postgres: async (db) => {
    await sql`vacuum full signing_keys`.execute(db);
    await sql`vacuum full settings`.execute(db);
  },
};

export function keyStore({ db, dialect }: StoreContext): KeyStore {
  const lock = lockForRotation[dialect];
  const erase = eraseReplaced[dialect];
  return {
    async listKeys() {
      const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
      return rows.map(toKey);
    },

    /** The partial unique indexes (one current, one next per alg) decide between racing instances. */
    async insertKeys(keys) {
      if (keys.length === 0) return 0;
      const inserted = await db.insertInto('signing_keys').values(keys.map(keyRow)).onConflict((oc) => oc.doNothing()).returning('kid').execute();
      return inserted.length;
    },

    async rotateKeys(alg, newNext, now) {
      try {
        return await db.transaction().execute(async (trx) => {
          const rows = await lock(trx.selectFrom('signing_keys').select(['kid', 'state']).where('alg', '=', alg).where('state', 'in', ['current', 'next'])).execute();
          const current = rows.find((r) => r.state === 'current');
          const next = rows.find((r) => r.state === 'next');
          if (!next) return false;
          if (current) await trx.updateTable('signing_keys').set({ state: 'retired', retired_at: now }).where('kid', '=', current.kid).execute();
          await trx.updateTable('signing_keys').set({ state: 'current', activated_at: now }).where('kid', '=', next.kid).execute();
          await trx.insertInto('signing_keys').values(keyRow({ ...newNext, alg, state: 'next' })).execute();
          return true;
        });
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async replacePrivateKey(kid, expected, privateJwk) {
      const result = await db.updateTable('signing_keys').set({ private_jwk: privateJwk }).where('kid', '=', kid).where('private_jwk', '=', expected).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    eraseReplacedKeys: () => erase(db),

    async deleteRetiredBefore(time) {
      const result = await db.deleteFrom('signing_keys').where('state', '=', 'retired').where('retired_at', '<', time).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
