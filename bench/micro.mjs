/**
 * In-process cost of the core endpoints, without HTTP: what each request spends in Gatehouse's
 * own code and its database.
 *
 *   node bench/micro.mjs [database-url] [--only=client_credentials,refresh_token_api] [--dist=DIR]
 *
 * Default database: a temporary SQLite file. Needs packages/server/dist-testing
 * (`npm run build:testing`): one compiled copy of the server with its test helpers, which the
 * production build (dist) leaves out. `--dist` runs another build with the same steps, e.g. an
 * older commit's packages/server/dist (which still held the test helpers) to compare against.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const databaseUrl = args.find((a) => !a.startsWith('--'));
const only = option('only')?.split(',');
const distOption = option('dist');
const dist = distOption ? (isAbsolute(distOption) ? distOption : resolve(distOption)) : fileURLToPath(new URL('../packages/server/dist-testing', import.meta.url));
const load = (path) => import(pathToFileURL(`${dist}/${path}`).href);

const { testDatabases } = await load('testing/databases.js');
const { startTestServer } = await load('testing/harness.js');
const { signInForTokens } = await load('testing/flows.js');
const { tokenEndpoint } = await load('core/endpoints/token.js');
const { introspectionEndpoint } = await load('core/endpoints/introspect.js');
const { validateEndpoint } = await load('core/endpoints/validate.js');
const { userinfoEndpoint } = await load('core/endpoints/userinfo.js');
const { Params } = await load('core/params.js');

const which = databaseUrl?.startsWith('postgres') ? 'postgres' : 'sqlite';
if (which === 'postgres') process.env.TEST_DATABASE_URL = databaseUrl;
const server = await startTestServer(testDatabases().find((factory) => factory.name === which));
const { deps } = server.gatehouse;
await server.scope('api:read', 'Read the API');
const service = await server.app({ grant_types: ['client_credentials'], scope: 'api:read', redirect_uris: [] });
const web = await server.app({ scope: 'openid profile email offline_access' });
const credentials = (app) => `client_id=${app.clientId}&client_secret=${app.clientSecret}`;
const signedIn = await signInForTokens(server, web, { scope: 'openid profile email' });
let refreshToken = signedIn.refresh_token;
// An app that asked for no `openid`: its refreshes rotate without signing an ID token.
let apiRefreshToken = (await signInForTokens(server, web, { scope: 'profile email' })).refresh_token;

async function time(label, step, count) {
  for (let i = 0; i < Math.min(2000, count); i++) await step();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await step();
  const wall = Number(process.hrtime.bigint() - start) / count / 1000;
  const used = process.cpuUsage(cpu);
  console.log(`${label.padEnd(36)} ${wall.toFixed(1).padStart(7)} µs wall ${((used.user + used.system) / count).toFixed(1).padStart(7)} µs CPU (all threads)`);
}
const ok = (result) => {
  if (result.status !== 200) throw new Error(JSON.stringify(result.body));
  return result.body;
};

const steps = [
  ['client_credentials', 'token: client_credentials', async () => ok(await tokenEndpoint(deps, undefined, Params.fromForm(`grant_type=client_credentials&${credentials(service)}`))), 20000],
  ['introspection', 'introspection (user access token)', async () => ok(await introspectionEndpoint(deps, undefined, Params.fromForm(`token=${signedIn.access_token}&${credentials(web)}`))), 20000],
  ['validate', 'validate', async () => ok(await validateEndpoint(deps, signedIn.access_token)), 20000],
  ['userinfo', 'userinfo', async () => ok(await userinfoEndpoint(deps, signedIn.access_token)), 20000],
  ['refresh_token', 'token: refresh_token (with ID token)', async () => {
    refreshToken = ok(await tokenEndpoint(deps, undefined, Params.fromForm(`grant_type=refresh_token&refresh_token=${refreshToken}&${credentials(web)}`))).refresh_token;
  }, 3000],
  ['refresh_token_api', 'token: refresh_token (no ID token)', async () => {
    apiRefreshToken = ok(await tokenEndpoint(deps, undefined, Params.fromForm(`grant_type=refresh_token&refresh_token=${apiRefreshToken}&${credentials(web)}`))).refresh_token;
  }, 10000],
];
const unknown = only?.filter((name) => !steps.some(([key]) => key === name));
if (unknown?.length) throw new Error(`--only: unknown ${unknown.join(', ')} (one of ${steps.map(([key]) => key).join(', ')})`);

console.log(`Gatehouse core endpoints in-process on ${which}, Node ${process.version}, ${dist}`);
for (const [key, label, step, count] of steps) if (!only || only.includes(key)) await time(label, step, count);
await server.close();
