/** `gatehouse serve`: start the HTTP server on the configured database, migrating first. */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { ServerConfig } from './config/index.js';
import { PURGE_INTERVAL_SECONDS } from './core/housekeeping/policy.js';
import { createGatehouse } from './gatehouse.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const logger = pino({ level: config.logLevel, base: undefined, redact: ['req.headers.authorization', 'req.headers.cookie'] });
  const gatehouse = await createGatehouse({
    databaseUrl: config.databaseUrl,
    core: config.core,
    logger,
    purgeIntervalSeconds: PURGE_INTERVAL_SECONDS,
    keyFile: config.keyFile,
    production: config.production,
  });
  const server = serve({ fetch: gatehouse.app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  logger.info({ url, issuer: config.core.issuer }, `Gatehouse listening on ${url} (issuer ${config.core.issuer})`);
  return {
    url,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gatehouse.close();
    },
  };
}
