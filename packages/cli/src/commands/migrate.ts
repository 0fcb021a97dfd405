/** `gatehouse migrate`: the schema brought up to date, then the signing keys created or sealed as every start does. */
import { checkKeySecretRequired, migrateToLatest, openDatabase } from '@gatehouse/server';
import { type Command } from '../framework.js';

export const migrateCommands: Command[] = [
  {
    path: ['migrate'],
    summary: 'Apply pending database migrations',
    usage: 'gatehouse migrate',
    async run(ctx) {
      const settings = ctx.config();
      checkKeySecretRequired({ databaseUrl: settings.databaseUrl, keySecret: settings.core.keySecret, keyFile: settings.keyFile, production: settings.production });
      const handle = await openDatabase(settings.databaseUrl);
      try {
        const applied = await migrateToLatest(handle.db);
        // Then what every start does: keys created or sealed with the key secret.
        await ctx.withKeys(async () => undefined);
        return {
          json: { applied },
          human: applied.length === 0 ? 'Database is up to date.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`,
        };
      } finally {
        await handle.close();
      }
    },
  },
];
