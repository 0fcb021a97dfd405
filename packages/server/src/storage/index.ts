/** Storage: open a database URL, bring its schema up to date, and get the `Stores` on it. */
import { openDatabase, type OpenDatabaseOptions } from './database.js';
import { KyselyStores } from './stores/index.js';
import { migrateToLatest } from './migrate.js';
import type { KyselyStoresOptions } from './stores/index.js';

export { openDatabase, type DatabaseHandle, type Dialect, type OpenDatabaseOptions } from './database.js';
export { migrateToLatest, migrations } from './migrate.js';
export { KyselyStores, type KyselyStoresOptions, type StoresHandle } from './stores/index.js';
export { normalizeUsername } from './rows.js';
export type { Database } from './schema.js';

export interface OpenedStores {
  stores: KyselyStores;
  dialect: KyselyStores['dialect'];
  /** Same as `stores.close()`; idempotent. */
  close(): Promise<void>;
}

/** Opens `url`, applies pending migrations and returns the stores; the connection is closed if migrating fails. */
export async function openStores(url: string, options?: OpenDatabaseOptions & KyselyStoresOptions): Promise<OpenedStores> {
  const handle = await openDatabase(url, options);
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.close();
    throw error;
  }
  const stores = new KyselyStores(handle, {
    ...(options?.clientCacheMs === undefined ? {} : { clientCacheMs: options.clientCacheMs }),
    ...(options?.now === undefined ? {} : { now: options.now }),
  });
  return { stores, dialect: handle.dialect, close: () => stores.close() };
}
