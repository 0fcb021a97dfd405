/** `gatehouse purge`: expired rows deleted with the server's own retention rule. */
import { defaultCoreConfig, keyRetentionSeconds } from '@gatehouse/server';
import { now, type Command } from '../framework.js';

/** The same retention rule the server's own purge job uses. */
const KEY_RETENTION_SECONDS = keyRetentionSeconds(defaultCoreConfig('http://localhost').lifetimes.idToken);

export const purgeCommands: Command[] = [
  {
    path: ['purge'],
    summary: 'Delete expired codes, tokens, revocation entries, sessions, secrets and retired keys',
    usage: 'gatehouse purge',
    async run(ctx) {
      return ctx.withKeys(async (stores) => {
        const report = await stores.purgeExpired(now(), { batchSize: 1000, maxBatches: 1000, keyRetentionSeconds: KEY_RETENTION_SECONDS });
        const counts = report as unknown as Record<string, number>;
        return {
          json: { ...counts },
          human: `Purged: ${Object.entries(counts)
            .map(([name, count]) => `${count} ${name.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)}`)
            .join(', ')}`,
        };
      });
    },
  },
];
