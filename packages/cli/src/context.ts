/** The `Context` a command runs with: its options, and the database and key ring opened as the server opens them. */
import { checkKeySecretRequired, loadConfig, openKeyRing, openStores, type ServerConfig } from '@gatehouse/server';
import { now, str, type CliIo, type Context, type Values } from './framework.js';

export function createContext(io: CliIo, json: boolean, values: Values, positionals: string[]): Context {
  const database = str(values['database']);
  const keyFile = str(values['key-file']);
  const config = (extra: Record<string, string | boolean | undefined> = {}): ServerConfig =>
    loadConfig({ flags: { database, 'key-file': keyFile, ...extra }, env: io.env });
  return {
    io,
    json,
    values,
    positionals,
    config,
    async withStores(run) {
      const settings = config();
      const opened = await openStores(settings.databaseUrl);
      try {
        return await run(opened.stores, settings);
      } finally {
        await opened.close();
      }
    },
    async withKeys(run) {
      const settings = config();
      const keyOptions = { databaseUrl: settings.databaseUrl, keySecret: settings.core.keySecret, keyFile: settings.keyFile, production: settings.production };
      checkKeySecretRequired(keyOptions);
      const opened = await openStores(settings.databaseUrl);
      try {
        const { resolved } = await openKeyRing(opened.stores, { ...keyOptions, now: now() });
        return await run(opened.stores, { ...settings, core: { ...settings.core, keySecret: resolved.secret } });
      } finally {
        await opened.close();
      }
    },
  };
}
