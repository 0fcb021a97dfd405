/**
 * The `Stores` on Kysely, for SQLite and Postgres, assembled from one store per aggregate, with
 * the client and scope caches as decorators around theirs.
 *
 * Every race the protocol cares about (code redemption, refresh rotation, consent, key bootstrap)
 * is settled by a single conditional statement or a unique index, never by read-then-write in
 * application code, so it holds across server processes sharing one Postgres. SQLite installs are
 * single-process; Kysely's SQLite driver runs one statement or transaction at a time.
 */
import { sql, type Kysely } from 'kysely';
import type { Stores } from '../../core/stores.js';
import type { Dialect } from '../database.js';
import { KyselyExecutor } from '../executor.js';
import type { Database } from '../schema.js';
import { cachedClients } from '../cache/cached-clients.js';
import { cachedScopes } from '../cache/cached-scopes.js';
import { clientStore } from './clients.js';
import { codeStore } from './codes.js';
import type { StoreContext } from './context.js';
import { grantStore } from './grants.js';
import { housekeepingStore } from './housekeeping.js';
import { keyStore } from './keys.js';
import { scopeStore } from './scopes.js';
import { interactionStore, sessionStore } from './sessions.js';
import { settingsStore } from './settings.js';
import { tokenStore } from './tokens.js';
import { userStore, type KyselyUserStore } from './users.js';
import { workspaceStore, type KyselyWorkspaceStore } from './workspaces.js';

export interface StoresHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Closes the underlying connection(s); `db.destroy()` when absent. */
  close?: () => Promise<void>;
}

export interface KyselyStoresOptions {
  /** How long clients, their secrets and the scope catalogue are cached in memory (default 2000 ms; 0: not cached). */
  clientCacheMs?: number;
  /** Unix seconds for the times the stores stamp themselves: the server's `CoreDeps.now`. */
  now?: () => number;
}

const systemSeconds = () => Math.floor(Date.now() / 1000);

/** Declares the aggregate stores' methods on the class below, which copies them onto each instance. */
export interface KyselyStores extends Omit<Stores, 'createUser' | 'createWorkspace'>, Pick<KyselyUserStore, 'createUser'>, Pick<KyselyWorkspaceStore, 'createWorkspace'> {}

export class KyselyStores {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly #close: () => Promise<void>;

  constructor(handle: StoresHandle, options: KyselyStoresOptions = {}) {
    this.db = handle.db;
    this.dialect = handle.dialect;
    this.#close = handle.close ?? (() => handle.db.destroy());
    const context: StoreContext = { db: handle.db, dialect: handle.dialect, x: new KyselyExecutor(handle.db, handle.dialect), now: options.now ?? systemSeconds };
    const cacheMs = options.clientCacheMs ?? 2000;
    Object.assign(
      this,
      userStore(context),
      workspaceStore(context),
      cachedScopes(scopeStore(context), cacheMs),
      cachedClients(clientStore(context), cacheMs),
      keyStore(context),
      sessionStore(context),
      interactionStore(context),
      grantStore(context),
      codeStore(context),
      tokenStore(context),
      housekeepingStore(context),
      settingsStore(context),
    );
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  close(): Promise<void> {
    return this.#close();
  }
}
