/**
 * One node-oidc-provider 9 under test, configured like Gatehouse for the bench world.
 * Env: BENCH_PORT, BENCH_ADAPTER (memory | sqlite | postgres), BENCH_DB (sqlite path or
 * postgres URL), BENCH_PG_SCHEMA.
 *
 * Sign-in: interactions.url points at /interaction/:uid, which logs the bench account in
 * programmatically (provider.interactionFinished); loadExistingGrant auto-consents once per
 * account and client and reuses that grant afterwards, like Gatehouse's stored consent.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';
import { FIXTURE } from '../lib/fixture.mjs';
import { mapAdapter, postgresAdapter, sqliteAdapter } from '../lib/oidc-adapters.mjs';

const port = Number(process.env.BENCH_PORT);
const issuer = `http://127.0.0.1:${port}`;
const kind = process.env.BENCH_ADAPTER ?? 'memory';
const ACCOUNT_ID = 'bench-user';

let adapter;
let closeAdapter = async () => {};
if (kind === 'memory') adapter = mapAdapter();
else if (kind === 'sqlite') ({ Adapter: adapter, close: closeAdapter } = sqliteAdapter(process.env.BENCH_DB));
else if (kind === 'postgres') ({ Adapter: adapter, close: closeAdapter } = await postgresAdapter(process.env.BENCH_DB, process.env.BENCH_PG_SCHEMA));
else throw new Error(`unknown adapter ${kind}`);

const jwk = (type, options) => generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' });
const keys = [
  { ...jwk('rsa', { modulusLength: 2048 }), alg: 'RS256', use: 'sig', kid: 'rs1' },
  { ...jwk('ec', { namedCurve: 'P-256' }), alg: 'ES256', use: 'sig', kid: 'es1' },
];

const web = { clientId: 'bench-web', clientSecret: 'bench-web-secret-0123456789abcdefghijklmnopqrstuvwxyz' };
const svc = { clientId: 'bench-svc', clientSecret: 'bench-svc-secret-0123456789abcdefghijklmnopqrstuvwxyz' };
const grantIds = new Map();

const provider = new Provider(issuer, {
  adapter,
  jwks: { keys },
  cookies: { keys: ['bench-cookie-key-0123456789abcdef'] },
  clients: [
    {
      client_id: web.clientId,
      client_secret: web.clientSecret,
      redirect_uris: [FIXTURE.redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: FIXTURE.webScope,
    },
    {
      client_id: svc.clientId,
      client_secret: svc.clientSecret,
      redirect_uris: [],
      response_types: [],
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: FIXTURE.apiScope,
    },
  ],
  scopes: ['openid', 'offline_access', 'profile', 'email', FIXTURE.apiScope],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
  clientBasedCORS: () => true,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    // The default policy, stated so the provider does not log a notice per process.
    introspection: { enabled: true, allowedPolicy: async (ctx, client, token) => client.clientAuthMethod !== 'none' || token.clientId === client.clientId },
    revocation: { enabled: true },
    clientCredentials: { enabled: true },
  },
  // Gatehouse's lifetimes.
  ttl: { AccessToken: 3600, AuthorizationCode: 60, ClientCredentials: 3600, IdToken: 3600, RefreshToken: 30 * 86400, Interaction: 1800, Session: 14 * 86400, Grant: 365 * 86400 },
  // Gatehouse issues a refresh token to every client registered for the refresh_token grant and rotates on every use.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: FIXTURE.email, email_verified: false, name: FIXTURE.name, preferred_username: FIXTURE.username };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const accountId = ctx.oidc.session.accountId;
    const clientId = ctx.oidc.client.clientId;
    const key = `${accountId}|${clientId}`;
    const known = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session.grantIdFor(clientId) ?? grantIds.get(key);
    if (known) {
      const grant = await ctx.oidc.provider.Grant.find(known);
      if (grant) return grant;
    }
    const grant = new ctx.oidc.provider.Grant({ clientId, accountId });
    grant.addOIDCScope(FIXTURE.webScope);
    grant.addOIDCClaims(['email', 'email_verified', 'name', 'preferred_username']);
    const id = await grant.save();
    grantIds.set(key, id);
    return grant;
  },
  renderError(ctx, out) {
    ctx.type = 'json';
    ctx.body = out;
  },
});

const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    provider.interactionFinished(req, res, { login: { accountId: ACCOUNT_ID } }, { mergeWithLastSubmission: false }).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
});
server.keepAliveTimeout = 65_000;

server.listen(port, '127.0.0.1', () => {
  process.send({ type: 'ready', fixtures: { userId: ACCOUNT_ID, web, svc } });
});

process.on('message', async (message) => {
  if (message?.type !== 'stop') return;
  server.closeAllConnections?.();
  server.close();
  await closeAdapter();
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
