/**
 * The floor: what any authorization server on this stack (Node, Hono, @hono/node-server) spends
 * on each bench request before doing any of the work, measured in the same run as the servers
 * under test. It reads the request as Gatehouse does (the form from the body text, the
 * Authorization header), answers in the same shapes with random tokens, and makes the one RS256
 * signature (jose) an ID token needs. It checks nothing and stores nothing: no client
 * authentication, no PKCE, no database. A server's req/s over the floor's is the share of the
 * platform's limit it reaches; the floor's over oidc-provider's is the best ratio any server
 * built on this stack could show against it. Env: BENCH_PORT.
 */
import { createHash, randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { generateKeyPair, SignJWT } from 'jose';
import { tokenEndpointAuthMethods } from '../../packages/server/dist/core/client-auth/methods.js';
import { grantTypes } from '../../packages/server/dist/core/grants/registry.js';
import { FIXTURE } from '../lib/fixture.mjs';

const port = Number(process.env.BENCH_PORT);
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
const web = { clientId: 'floor-web', clientSecret: 'floor-web-secret' };
const svc = { clientId: 'floor-svc', clientSecret: 'floor-svc-secret' };
const userId = 'floor-user';

const random = () => randomBytes(32).toString('base64url');
// Codes and refresh tokens say whether `openid` was granted, so the floor needs no state to know
// when an ID token is due.
const OPENID = 'o.';
const NO_STORE = { 'content-type': 'application/json', 'cache-control': 'no-store' };
const json = (body, headers = NO_STORE) => new Response(JSON.stringify(body), { status: 200, headers });
// Reading a header builds the request's Headers; Gatehouse reads the client's credentials or the
// bearer token from `Authorization` on every one of these requests, so the floor does too.
const credentials = (c) => c.req.header('authorization');
const readForm = async (c) => {
  credentials(c);
  return new URLSearchParams(await c.req.text());
};

async function idToken(accessToken) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    name: FIXTURE.name,
    email: FIXTURE.email,
    email_verified: true,
    azp: web.clientId,
    at_hash: createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url'),
    auth_time: now,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'floor' })
    .setIssuer(issuer)
    .setSubject(userId)
    .setAudience(web.clientId)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .setJti(random())
    .sign(privateKey);
}

/** The token set for a user grant: the same fields Gatehouse answers with. */
async function userTokens(openid, scope) {
  const access = random();
  const body = { access_token: access, token_type: 'Bearer', expires_in: 3600, scope, refresh_token: (openid ? OPENID : '') + random() };
  if (openid) body.id_token = await idToken(access);
  return json(body);
}

const app = new Hono();
app.get('/oauth/authorize', (c) => {
  const scope = c.req.query('scope') ?? '';
  const code = (scope.split(' ').includes('openid') ? OPENID : '') + random();
  const target = new URL(c.req.query('redirect_uri') ?? FIXTURE.redirectUri);
  target.searchParams.set('code', code);
  target.searchParams.set('state', c.req.query('state') ?? '');
  target.searchParams.set('iss', issuer);
  return c.redirect(target.toString(), 302);
});
app.post('/oauth/token', async (c) => {
  const params = await readForm(c);
  const grantType = params.get('grant_type');
  if (grantType === 'client_credentials') {
    return json({ access_token: random(), token_type: 'Bearer', expires_in: 3600, scope: params.get('scope') ?? FIXTURE.apiScope });
  }
  const presented = (grantType === 'authorization_code' ? params.get('code') : params.get('refresh_token')) ?? '';
  const openid = presented.startsWith(OPENID);
  return userTokens(openid, openid ? FIXTURE.flowScope : FIXTURE.apiFlowScope);
});
app.post('/oauth/introspect', async (c) => {
  await readForm(c);
  const now = Math.floor(Date.now() / 1000);
  return json({
    active: true,
    scope: FIXTURE.flowScope,
    client_id: web.clientId,
    username: FIXTURE.username,
    token_type: 'Bearer',
    exp: now + 3600,
    iat: now,
    sub: userId,
    iss: issuer,
    jti: random(),
  });
});
app.get('/oauth/validate', (c) => {
  credentials(c);
  return json({ active: true, exp: Math.floor(Date.now() / 1000) + 3600, workspace_url: null, scopes: FIXTURE.flowScope.split(' '), client_id: web.clientId, sub: userId, workspaces: [] });
});
app.get('/oauth/userinfo', (c) => {
  credentials(c);
  return json({ sub: userId, name: FIXTURE.name, email: FIXTURE.email, email_verified: true });
});
const discovery = JSON.stringify({
  issuer,
  authorization_endpoint: `${issuer}/oauth/authorize`,
  token_endpoint: `${issuer}/oauth/token`,
  userinfo_endpoint: `${issuer}/oauth/userinfo`,
  jwks_uri: `${issuer}/oauth/jwks`,
  introspection_endpoint: `${issuer}/oauth/introspect`,
  revocation_endpoint: `${issuer}/oauth/revoke`,
  response_types_supported: ['code'],
  // Gatehouse's own lists (its registries), so the floor's document is the same size.
  grant_types_supported: grantTypes,
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256', 'ES256'],
  token_endpoint_auth_methods_supported: tokenEndpointAuthMethods,
  code_challenge_methods_supported: ['S256'],
  scopes_supported: FIXTURE.webScope.split(' '),
  claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'name', 'email', 'email_verified'],
  authorization_response_iss_parameter_supported: true,
});
app.get('/.well-known/openid-configuration', () => new Response(discovery, { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' } }));

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => {
  process.send({ type: 'ready', fixtures: { userId, web, svc } });
});

process.on('message', (message) => {
  if (message?.type !== 'stop') return;
  server.closeAllConnections?.();
  server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
