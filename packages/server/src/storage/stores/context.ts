/** What every aggregate store is built on: the database, its dialect, the executor and the clock. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { KyselyExecutor } from '../executor.js';
import type { Database } from '../schema.js';

export interface StoreContext {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly x: KyselyExecutor;
  /**
   * Unix seconds, for the times a store stamps itself (`created_at`, `updated_at`, `joined_at`):
   * the server's `CoreDeps.now`, so a test's clock governs stored times as it governs the protocol's.
   */
  readonly now: () => number;
}

/** Lists that take no `limit` get this many rows. */
export const DEFAULT_LIST_LIMIT = 100;
