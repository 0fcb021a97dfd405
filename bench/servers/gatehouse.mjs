/**
 * One Gatehouse under test, in its own process. Env: BENCH_PORT, BENCH_DB (database URL).
 * Registers the bench clients, scopes and user, then tells the parent (IPC) it is ready.
 */
import { serve } from '@hono/node-server';
import { createGatehouse, createUser, defaultCoreConfig, registerClient } from '../../packages/server/dist/index.js';
import { FIXTURE } from '../lib/fixture.mjs';

const port = Number(process.env.BENCH_PORT);
const issuer = `http://127.0.0.1:${port}`;
const core = defaultCoreConfig(issuer);
const gatehouse = await createGatehouse({ databaseUrl: process.env.BENCH_DB, core });
const { stores } = gatehouse.deps;
const deps = gatehouse.deps;

await stores.upsertScope({ name: FIXTURE.apiScope, description: 'Read the bench API', requiresWorkspace: false, builtin: false });
const user = await createUser(deps, { username: FIXTURE.username, password: FIXTURE.password, email: FIXTURE.email, name: FIXTURE.name });
const web = await registerClient(deps, {
  client_name: 'Bench Web',
  redirect_uris: [FIXTURE.redirectUri],
  scope: FIXTURE.webScope,
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['authorization_code', 'refresh_token'],
});
const svc = await registerClient(deps, {
  client_name: 'Bench Service',
  redirect_uris: [],
  scope: FIXTURE.apiScope,
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['client_credentials'],
});

const server = serve({ fetch: gatehouse.app.fetch, port, hostname: '127.0.0.1' }, () => {
  process.send({
    type: 'ready',
    fixtures: {
      userId: user.id,
      web: { clientId: web.client.id, clientSecret: web.clientSecret },
      svc: { clientId: svc.client.id, clientSecret: svc.clientSecret },
    },
  });
});

process.on('message', async (message) => {
  if (message?.type !== 'stop') return;
  server.closeAllConnections?.();
  server.close();
  await gatehouse.close();
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
