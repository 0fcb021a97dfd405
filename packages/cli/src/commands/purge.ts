/** `gatehouse purge`: expired rows deleted with the server's own policy (core/housekeeping/policy.ts). */
import { purgeOptions } from '@gatehouse/server';
import { now, type Command } from '../framework.js';

export const purgeCommands: Command[] = [
  {
    path: ['purge'],
    summary: 'Delete expired codes, tokens, revocation entries, sessions, secrets and retired keys',
    usage: 'gatehouse purge',
    async run(ctx) {
      return ctx.withKeys(async (stores, config) => {
        const report = await stores.purgeExpired(now(), purgeOptions(config.core, 'command'));
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
