/**
 * The curl examples of docs/endpoints/*.md and docs/guides/app-developers.md, replayed as HTTP
 * requests against a real server, asserting the response shapes the docs show. When a response
 * changes shape, this fails and the docs must change with it.
 *
 * The world is the one the docs' quick start builds: user `ada` in workspace `analytical`, the
 * scopes `project:read` (needs a workspace) and `reports:read`, the confidential web app
 * "Photo Sorter" (client_secret_basic) and the service "Nightly Reports" (client_credentials,
 * client_secret_post).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { postForm } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

const sqlite = testDatabases().find((factory) => factory.name === 'sqlite')!;
const REDIRECT_URI = 'http://127.0.0.1:8080/callback';

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Unix seconds, give or take a few. */
const nowish = () => expect.toSatisfy((value: unknown) => typeof value === 'number' && Math.abs(value - Date.now() / 1000) < 120);
const secondsFromNow = (seconds: number) =>
  expect.toSatisfy((value: unknown) => typeof value === 'number' && Math.abs(value - Date.now() / 1000 - seconds) < 120);
const opaque = (prefix: string) => expect.stringMatching(new RegExp(`^${prefix}[A-Za-z0-9_-]{49}$`));
/** Sealed access tokens and codes carry their record, so their length varies with it. */
const sealed = (prefix: string) => expect.stringMatching(new RegExp(`^${prefix}[A-Za-z0-9_-]{100,2000}$`));
const JWT = expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/);

describe('documented examples', () => {
  let server: TestServer;
  let ada: Awaited<ReturnType<TestServer['user']>>;
  let workspaceId: string;
  let photoSorter: { clientId: string; clientSecret: string };
  let nightlyReports: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    server = await startTestServer(sqlite);
    ada = await server.user({ username: 'ada', password: 'correct horse battery staple', email: 'ada@example.com', name: 'Ada Lovelace' });
    workspaceId = (await server.workspace({ name: 'Analytical Engines', slug: 'analytical', owner: ada })).id;
    await server.scope('project:read', 'Read your projects', true);
    await server.scope('reports:read', 'Read reports');
    const web = await server.app({
      client_name: 'Photo Sorter',
      redirect_uris: [REDIRECT_URI],
      scope: 'openid profile email project:read',
      token_endpoint_auth_method: 'client_secret_basic',
    });
    photoSorter = { clientId: web.clientId, clientSecret: web.clientSecret! };
    const service = await server.app({
      client_name: 'Nightly Reports',
      redirect_uris: [],
      grant_types: ['client_credentials'],
      scope: 'reports:read',
      token_endpoint_auth_method: 'client_secret_post',
    });
    nightlyReports = { clientId: service.clientId, clientSecret: service.clientSecret! };
  });
  afterAll(async () => server?.close());

  /** The guide's steps: PKCE pair, authorization URL, sign-in and consent in the browser, code exchange with curl -u. */
  async function signIn(): Promise<Record<string, any>> {
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(16).toString('hex');
    const url =
      `${server.url}/oauth/authorize?response_type=code&client_id=${photoSorter.clientId}` +
      `&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&scope=openid%20profile%20email%20project%3Aread` +
      `&state=${state}&code_challenge=${challenge}&code_challenge_method=S256`;
    const agent = new TestAgent(server.url);
    let page = await agent.navigate(url);
    page = await agent.submit(page, '/login', { username: 'ada', password: 'correct horse battery staple' });
    // The consent page shows the first time; later sign-ins reuse the remembered consent.
    if (!page.location) {
      expect(page.body).toContain('Analytical Engines');
      page = await agent.submit(page, '/consent', { decision: 'allow', workspace: [workspaceId] });
    }

    const callback = new URL(page.location!);
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('iss')).toBe(server.issuer);
    const code = callback.searchParams.get('code')!;
    expect(code).toEqual(sealed('gac_'));

    const response = await postForm(
      server,
      '/oauth/token',
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier },
      basic(photoSorter.clientId, photoSorter.clientSecret),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({
      access_token: sealed('gat_'),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email project:read',
      refresh_token: opaque('grt_'),
      id_token: JWT,
    });
    return response.body;
  }

  it('token: authorization_code, then refresh_token (rotation, grace retry, narrowing)', async () => {
    const tokens = await signIn();
    const refresh = (token: string, extra: Record<string, string> = {}) =>
      postForm(server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: token, ...extra }, basic(photoSorter.clientId, photoSorter.clientSecret));

    const rotated = await refresh(tokens.refresh_token);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({
      access_token: sealed('gat_'),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email project:read',
      refresh_token: opaque('grt_'),
      id_token: JWT,
    });
    expect(rotated.body.refresh_token).not.toBe(tokens.refresh_token);
    // A retry within the grace period gets the same successor, with fresh access and ID tokens.
    const retried = await refresh(tokens.refresh_token);
    expect(retried.body).toEqual({ ...rotated.body, access_token: sealed('gat_'), id_token: JWT });
    expect(retried.body.refresh_token).toBe(rotated.body.refresh_token);
    expect(retried.body.access_token).not.toBe(rotated.body.access_token);

    const narrowed = await refresh(rotated.body.refresh_token, { scope: 'openid' });
    expect(narrowed.body).toMatchObject({ scope: 'openid', refresh_token: opaque('grt_') });

    const widened = await refresh(narrowed.body.refresh_token, { scope: 'openid offline_access' });
    expect(widened.status).toBe(400);
    expect(widened.body).toEqual({ error: 'invalid_scope', error_description: 'scope exceeds what was granted: offline_access' });
  });

  it('token: client_credentials with client_secret_post', async () => {
    const response = await postForm(server, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: nightlyReports.clientId,
      client_secret: nightlyReports.clientSecret,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toEqual({ access_token: sealed('gat_'), token_type: 'Bearer', expires_in: 3600, scope: 'reports:read' });

    const refused = await postForm(server, '/oauth/token', {
      grant_type: 'client_credentials',
      scope: 'openid',
      client_id: nightlyReports.clientId,
      client_secret: nightlyReports.clientSecret,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: 'invalid_scope', error_description: 'scope not allowed for this client: openid' });
  });

  it('token: documented errors', async () => {
    const wrongSecret = await postForm(
      server,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      basic(photoSorter.clientId, 'gcs_not-the-secret'),
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers.get('www-authenticate')).toBe(`Basic realm="${server.issuer}"`);
    expect(wrongSecret.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });

    const password = await postForm(server, '/oauth/token', { grant_type: 'password', username: 'ada', password: 'x' });
    expect(password.status).toBe(400);
    expect(password.body).toEqual({ error: 'unsupported_grant_type', error_description: 'grant_type is not supported by this server' });

    const json = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: 'invalid_request', error_description: 'the request body must be application/x-www-form-urlencoded' });

    const badCode = await postForm(
      server,
      '/oauth/token',
      { grant_type: 'authorization_code', code: 'gac_expired', code_verifier: 'a'.repeat(43) },
      basic(photoSorter.clientId, photoSorter.clientSecret),
    );
    expect(badCode.body).toEqual({ error: 'invalid_grant', error_description: 'the authorization code is invalid, expired or already used' });
  });

  it('userinfo: GET and POST, and the bearer errors', async () => {
    const tokens = await signIn();
    const expected = {
      sub: ada.id,
      name: 'Ada Lovelace',
      nickname: 'Ada Lovelace',
      preferred_username: 'ada',
      profile: `${server.issuer}/users/ada`,
      created_at: nowish(),
      updated_at: nowish(),
      email: 'ada@example.com',
      email_verified: false,
    };
    for (const path of ['/oauth/userinfo', '/oauth/v1/userinfo']) {
      const response = await fetch(server.url + path, { headers: bearer(tokens.access_token) });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(expected);
    }
    const posted = await postForm(server, '/oauth/userinfo', { access_token: tokens.access_token });
    expect(posted.body).toEqual(expected);

    const missing = await fetch(`${server.url}/oauth/userinfo`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe(`Bearer realm="${server.issuer}"`);
    expect(await missing.json()).toEqual({ error: 'invalid_token', error_description: 'an access token is required' });

    const invalid = await fetch(`${server.url}/oauth/userinfo`, { headers: bearer('gat_not-a-token') });
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get('www-authenticate')).toBe(
      `Bearer realm="${server.issuer}", error="invalid_token", error_description="the access token is invalid, expired or revoked"`,
    );

    const service = await postForm(server, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: nightlyReports.clientId,
      client_secret: nightlyReports.clientSecret,
    });
    const noUser = await fetch(`${server.url}/oauth/userinfo`, { headers: bearer(service.body.access_token) });
    expect(noUser.status).toBe(401);
  });

  it('introspect: user token (Basic), refresh token, service token (post), inactive', async () => {
    const tokens = await signIn();
    const auth = basic(photoSorter.clientId, photoSorter.clientSecret);
    for (const path of ['/oauth/introspect', '/oauth/v1/token/introspect']) {
      const access = await postForm(server, path, { token: tokens.access_token }, auth);
      expect(access.status).toBe(200);
      expect(access.body).toEqual({
        active: true,
        jti: expect.any(String),
        iss: server.issuer,
        token_type: 'Bearer',
        client_id: photoSorter.clientId,
        aud: photoSorter.clientId,
        sub: ada.id,
        username: 'ada',
        scope: 'openid profile email project:read',
        exp: secondsFromNow(3600),
        iat: nowish(),
        auth_time: nowish(),
        workspaces: [{ id: workspaceId, slug: 'analytical' }],
      });
    }
    const refresh = await postForm(server, '/oauth/introspect', { token: tokens.refresh_token, token_type_hint: 'refresh_token' }, auth);
    expect(refresh.body).toMatchObject({ active: true, token_type: 'refresh_token', exp: secondsFromNow(30 * 86400) });

    const service = await postForm(server, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: nightlyReports.clientId,
      client_secret: nightlyReports.clientSecret,
    });
    const machine = await postForm(server, '/oauth/introspect', {
      token: service.body.access_token,
      client_id: nightlyReports.clientId,
      client_secret: nightlyReports.clientSecret,
    });
    expect(machine.body).toEqual({
      active: true,
      jti: expect.any(String),
      iss: server.issuer,
      token_type: 'Bearer',
      client_id: nightlyReports.clientId,
      aud: nightlyReports.clientId,
      sub: nightlyReports.clientId,
      scope: 'reports:read',
      exp: secondsFromNow(3600),
      iat: nowish(),
      workspaces: [],
    });

    expect((await postForm(server, '/oauth/introspect', { token: 'gat_unknown' }, auth)).body).toEqual({ active: false });
    const anonymous = await postForm(server, '/oauth/introspect', { token: tokens.access_token });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: 'invalid_client', error_description: 'client authentication failed' });
  });

  it('validate: live and dead tokens', async () => {
    const tokens = await signIn();
    const live = await fetch(`${server.url}/oauth/validate`, { headers: bearer(tokens.access_token) });
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({
      active: true,
      exp: secondsFromNow(3600),
      workspace_url: 'analytical',
      scopes: ['openid', 'profile', 'email', 'project:read'],
      client_id: photoSorter.clientId,
      sub: ada.id,
      workspaces: [{ id: workspaceId, slug: 'analytical', url: 'analytical' }],
    });
    const dead = await fetch(`${server.url}/oauth/validate`);
    expect(dead.status).toBe(200);
    expect(await dead.json()).toEqual({ active: false, exp: null, workspace_url: null, scopes: [] });
  });

  it('token/resources: the workspaces a token reaches', async () => {
    const tokens = await signIn();
    for (const path of ['/oauth/token/resources', '/oauth/v1/token/resources']) {
      const response = await postForm(server, path, { token: tokens.access_token }, basic(photoSorter.clientId, photoSorter.clientSecret));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        resource_infos: [{ owner: { id: ada.id, type: 'User' }, resources: { workspace: { ids: [workspaceId] } } }],
      });
    }
    const unknown = await postForm(server, '/oauth/token/resources', { token: 'gat_unknown' }, basic(photoSorter.clientId, photoSorter.clientSecret));
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: 'invalid_token', error_description: 'the token is invalid, expired or revoked' });
  });

  it('revoke: refresh token revokes the family; unknown tokens still answer 200', async () => {
    const tokens = await signIn();
    const auth = basic(photoSorter.clientId, photoSorter.clientSecret);
    const response = await fetch(`${server.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth },
      body: new URLSearchParams({ token: tokens.refresh_token, token_type_hint: 'refresh_token' }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    expect((await postForm(server, '/oauth/introspect', { token: tokens.access_token }, auth)).body).toEqual({ active: false });
    const again = await postForm(server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, auth);
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'the refresh token is invalid, expired or revoked' });

    const second = await signIn();
    expect((await postForm(server, '/oauth/v1/token/revoke', { token: second.access_token })).status).toBe(200);
    expect(await (await fetch(`${server.url}/oauth/validate`, { headers: bearer(second.access_token) })).json()).toMatchObject({ active: false });

    expect((await postForm(server, '/oauth/revoke', { token: 'gat_unknown' })).status).toBe(200);
    // An unknown hint is ignored (RFC 7009 §2.1).
    const hint = await postForm(server, '/oauth/revoke', { token: 'x', token_type_hint: 'id_token' });
    expect(hint.status).toBe(200);
  });

  it('discovery and JWKS', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const response = await fetch(server.url + path);
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('cache-control')).toBe('public, max-age=300');
      const document = (await response.json()) as Record<string, unknown>;
      const issuer = server.issuer;
      expect(document).toEqual({
        issuer,
        authorization_endpoint: `${issuer}/oauth/authorize`,
        token_endpoint: `${issuer}/oauth/token`,
        userinfo_endpoint: `${issuer}/oauth/userinfo`,
        jwks_uri: `${issuer}/oauth/jwks`,
        introspection_endpoint: `${issuer}/oauth/introspect`,
        revocation_endpoint: `${issuer}/oauth/revoke`,
        resources_endpoint: `${issuer}/oauth/token/resources`,
        scopes_supported: expect.arrayContaining(['openid', 'profile', 'email', 'offline_access', 'project:read', 'reports:read']),
        response_types_supported: ['code', 'none'],
        response_modes_supported: ['query'],
        grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
        introspection_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
        revocation_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'none'],
        code_challenge_methods_supported: ['S256'],
        claims_supported: expect.arrayContaining(['sub', 'iss', 'auth_time', 'nonce', 'at_hash', 'sid', 'email', 'email_verified']),
        claims_parameter_supported: false,
        request_parameter_supported: false,
        request_uri_parameter_supported: false,
        prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
        authorization_response_iss_parameter_supported: true,
      });
    }

    for (const path of ['/oauth/jwks', '/.well-known/jwks.json', '/oauth/v1/certs']) {
      const response = await fetch(server.url + path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/jwk-set+json');
      const { keys } = (await response.json()) as { keys: Array<Record<string, string>> };
      expect(keys).toHaveLength(4); // current and next, for RS256 and ES256
      for (const key of keys) {
        if (key.kty === 'RSA') expect(key).toEqual({ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: expect.any(String), alg: 'RS256', use: 'sig' });
        else expect(key).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), alg: 'ES256', use: 'sig' });
      }
    }
  });

  it('authorize: error page before the client is trusted, redirect after', async () => {
    const page = await fetch(`${server.url}/oauth/authorize?response_type=code&client_id=unknown`, { redirect: 'manual' });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('data-oauth-error="invalid_client"');

    const noPkce = await fetch(
      `${server.url}/oauth/authorize?response_type=code&client_id=${photoSorter.clientId}&scope=openid&state=xyz`,
      { redirect: 'manual' },
    );
    expect(noPkce.status).toBe(302);
    const location = new URL(noPkce.headers.get('location')!);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      error: 'invalid_request',
      error_description: 'code_challenge is required (PKCE with S256)',
      state: 'xyz',
      iss: server.issuer,
    });
  });

  it('health', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ok' });
  });
});
