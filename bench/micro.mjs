/**
 * In-process cost of the core endpoints, without HTTP: what each request spends in Gatehouse's
 * own code and its database. `node bench/micro.mjs [database-url]` (default: a temporary SQLite
 * file). Needs packages/server/dist-testing (`npm run build:testing`): one compiled copy of the
 * server with its test helpers, which the production build (dist) leaves out.
 */
import { testDatabases } from '../packages/server/dist-testing/testing/databases.js';
import { startTestServer } from '../packages/server/dist-testing/testing/harness.js';
import { signInForTokens } from '../packages/server/dist-testing/testing/flows.js';
import { tokenEndpoint } from '../packages/server/dist-testing/core/endpoints/token.js';
import { introspectionEndpoint } from '../packages/server/dist-testing/core/endpoints/introspect.js';
import { validateEndpoint } from '../packages/server/dist-testing/core/endpoints/validate.js';
import { userinfoEndpoint } from '../packages/server/dist-testing/core/endpoints/userinfo.js';
import { Params } from '../packages/server/dist-testing/core/params.js';

const which = process.argv[2]?.startsWith('postgres') ? 'postgres' : 'sqlite';
if (which === 'postgres') process.env.TEST_DATABASE_URL = process.argv[2];
const server = await startTestServer(testDatabases().find((factory) => factory.name === which));
const { deps } = server.gatehouse;
await server.scope('api:read', 'Read the API');
const service = await server.app({ grant_types: ['client_credentials'], scope: 'api:read', redirect_uris: [] });
const web = await server.app({ scope: 'openid profile email offline_access' });
const credentials = (app) => `client_id=${app.clientId}&client_secret=${app.clientSecret}`;
const signedIn = await signInForTokens(server, web, { scope: 'openid profile email' });
let refreshToken = signedIn.refresh_token;

async function time(label, step, count) {
  for (let i = 0; i < Math.min(2000, count); i++) await step();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await step();
  const wall = Number(process.hrtime.bigint() - start) / count / 1000;
  const used = process.cpuUsage(cpu);
  console.log(`${label.padEnd(34)} ${wall.toFixed(1).padStart(7)} µs wall ${((used.user + used.system) / count).toFixed(1).padStart(7)} µs CPU (all threads)`);
}
const ok = (result) => {
  if (result.status !== 200) throw new Error(JSON.stringify(result.body));
  return result.body;
};

console.log(`Gatehouse core endpoints in-process on ${which}, Node ${process.version}`);
await time('token: client_credentials', async () => ok(await tokenEndpoint(deps, undefined, Params.fromForm(`grant_type=client_credentials&${credentials(service)}`))), 20000);
await time('introspection (user access token)', async () => ok(await introspectionEndpoint(deps, undefined, Params.fromForm(`token=${signedIn.access_token}&${credentials(web)}`))), 20000);
await time('validate', async () => ok(await validateEndpoint(deps, signedIn.access_token)), 20000);
await time('userinfo', async () => ok(await userinfoEndpoint(deps, signedIn.access_token)), 20000);
await time('token: refresh_token (with ID token)', async () => {
  refreshToken = ok(await tokenEndpoint(deps, undefined, Params.fromForm(`grant_type=refresh_token&refresh_token=${refreshToken}&${credentials(web)}`))).refresh_token;
}, 3000);
await server.close();
