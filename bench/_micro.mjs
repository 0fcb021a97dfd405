import { createGatehouse, createUser, defaultCoreConfig, registerClient } from '../packages/server/dist/index.js';
import { tokenEndpoint } from '../packages/server/dist/core/endpoints/token.js';
import { introspectionEndpoint } from '../packages/server/dist/core/endpoints/introspect.js';
import { Params } from '../packages/server/dist/core/params.js';
const core = defaultCoreConfig('http://127.0.0.1:1');
const g = await createGatehouse({ databaseUrl: 'sqlite:/tmp/pb/micro-' + Date.now() + '.db', core });
await g.deps.stores.upsertScope({ name: 'api:read', description: 'x', requiresWorkspace: false, builtin: false });
const svc = await registerClient(g.deps.stores, core, { client_name: 'svc', redirect_uris: [], scope: 'api:read', token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials'] });
const auth = 'Basic ' + Buffer.from(`${svc.client.id}:${svc.clientSecret}`).toString('base64');
const form = 'grant_type=client_credentials&scope=api%3Aread';
let tok;
for (let round = 0; round < 3; round++) {
  let N = 20000, t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) tok = (await tokenEndpoint(g.deps, auth, Params.fromForm(form))).body.access_token;
  console.log('token cc µs', Number(process.hrtime.bigint() - t) / N / 1000);
  N = 20000; t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await introspectionEndpoint(g.deps, auth, Params.fromForm('token=' + tok));
  console.log('introspect µs', Number(process.hrtime.bigint() - t) / N / 1000);
}
const r = await introspectionEndpoint(g.deps, auth, Params.fromForm('token=' + tok)); console.log(JSON.stringify(r.body).slice(0, 100));
await g.close();
