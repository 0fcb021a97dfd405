/**
 * Composition root: config → database → stores → keys → core deps → HTTP app.
 * Tests build the same thing in-process with `createGatehouse`.
 */
import type { Hono } from 'hono';
import pino, { type Logger } from 'pino';
import type { CoreConfig } from './core/config.js';
import type { CoreDeps } from './core/deps.js';
import { purgeOptions } from './core/housekeeping/policy.js';
import type { KeyRing } from './core/keys/keyring.js';
import { MemorySignInThrottle } from './core/sign-in.js';
import type { PurgeReport } from './core/stores.js';
import { checkKeySecretRequired, openKeyRing } from './config/key-secret.js';
import { createApp } from './http/app.js';
import { openStores, type OpenedStores } from './storage/index.js';

export interface GatehouseOptions {
  databaseUrl: string;
  core: CoreConfig;
  logger?: Logger;
  /** Unix seconds; tests pass a controllable clock. */
  now?: () => number;
  /** Seconds between background purges of expired rows (the server: PURGE_INTERVAL_SECONDS); 0, the default, disables. */
  purgeIntervalSeconds?: number;
  /** Where the key secret is kept when `core.keySecret` is unset (`GATEHOUSE_KEY_FILE`); default: beside the SQLite file. See config/key-secret.ts. */
  keyFile?: string | undefined;
  /** Production mode (default: `NODE_ENV=production`): Postgres then needs an explicit key secret. */
  production?: boolean;
}

export interface Gatehouse {
  app: Hono;
  deps: CoreDeps;
  storage: OpenedStores;
  logger: Logger;
  purge(): Promise<PurgeReport>;
  close(): Promise<void>;
}

export const systemClock = (): number => Math.floor(Date.now() / 1000);

export async function createGatehouse(options: GatehouseOptions): Promise<Gatehouse> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const now = options.now ?? systemClock;
  const keyOptions = {
    databaseUrl: options.databaseUrl,
    keySecret: options.core.keySecret,
    keyFile: options.keyFile,
    production: options.production ?? process.env['NODE_ENV'] === 'production',
  };
  checkKeySecretRequired(keyOptions);
  const storage = await openStores(options.databaseUrl, { backgroundCheckpoints: true, now });
  let keys: KeyRing;
  let core: CoreConfig;
  try {
    const opened = await openKeyRing(storage.stores, { ...keyOptions, now: now() });
    keys = opened.keys;
    core = { ...options.core, keySecret: opened.resolved.secret };
    if (opened.resolved.source === 'generated') {
      logger.warn({ keyFile: opened.resolved.file }, `Created the key file ${opened.resolved.file}: it seals the keys in the database; back it up, apart from the database`);
    }
  } catch (error) {
    await storage.close();
    throw error;
  }
  const deps: CoreDeps = { stores: storage.stores, config: core, keys, now, signInThrottle: new MemorySignInThrottle() };
  const app = createApp({ deps, logger });
  const purge = () => storage.stores.purgeExpired(now(), purgeOptions(core, 'timer'));
  const interval = options.purgeIntervalSeconds ?? 0;
  const timer =
    interval > 0
      ? setInterval(() => {
          purge().then(
            (report) => logger.debug({ report }, 'purged expired rows'),
            (error: unknown) => logger.warn({ err: error }, 'purge failed'),
          );
        }, interval * 1000)
      : undefined;
  timer?.unref();
  return {
    app,
    deps,
    storage,
    logger,
    purge,
    async close() {
      if (timer) clearInterval(timer);
      await storage.close();
    },
  };
}
