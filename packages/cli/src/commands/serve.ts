/** `gatehouse serve`: the authorization server in the foreground. */
import { startServer } from '@gatehouse/server';
import { str, type Command } from '../framework.js';

export const serveCommands: Command[] = [
  {
    path: ['serve'],
    summary: 'Run the authorization server (applies pending migrations first)',
    usage: 'gatehouse serve [--port N] [--host H] [--issuer URL] [--log-level L]',
    details: 'Settings also come from the environment (PORT, HOST, GATEHOUSE_ISSUER, …); see docs/configuration.md.',
    options: { port: { type: 'string' }, host: { type: 'string' }, issuer: { type: 'string' }, 'log-level': { type: 'string' } },
    async run(ctx) {
      const config = ctx.config({
        port: str(ctx.values['port']),
        host: str(ctx.values['host']),
        issuer: str(ctx.values['issuer']),
        'log-level': str(ctx.values['log-level']),
      });
      const server = await startServer(config);
      const started = ctx.json ? JSON.stringify({ url: server.url, issuer: config.core.issuer }) : `Gatehouse listening on ${server.url} (issuer ${config.core.issuer})`;
      ctx.io.stdout(`${started}\n`);
      await ctx.io.shutdownSignal();
      await server.close();
      // The start line was the command's output; nothing more to print.
      return { json: {}, human: '' };
    },
  },
];
