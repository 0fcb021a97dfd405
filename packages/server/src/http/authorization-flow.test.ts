import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signInForTokens } from '../testing/flows.js';
import { TestAgent, pkcePair } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

const REDIRECT = 'http://127.0.0.1:9999/callback';

describe.each(testDatabases())('authorization code flow on $name', (factory) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(factory);
    await server.scope('project:read', 'Read your projects', true);
  });
  afterAll(async () => server?.close());

  async function authorizeUrl(clientId: string, extra: Record<string, string> = {}) {
    const { verifier, challenge } = await pkcePair();
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: 'openid profile email',
      state: 'state-123',
      nonce: 'nonce-456',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });
    return { url: `${server.url}/oauth/authorize?${params}`, verifier };
  }

  async function signIn(agent: TestAgent, url: string, user: { username: string; password: string }) {
    const login = await agent.navigate(url);
    expect(login.status).toBe(200);
    expect(login.body).toContain('Sign in');
    return agent.submit(login, '/login', { username: user.username, password: user.password });
  }

  async function token(form: Record<string, string>, init: { basic?: [string, string] } = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (init.basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(init.basic[0])}:${encodeURIComponent(init.basic[1])}`).toString('base64')}`;
    // A code exchange repeats the authorization request's redirect_uri (RFC 6749 §4.1.3) unless the test says otherwise.
    const body = form.grant_type === 'authorization_code' && !('redirect_uri' in form) ? { ...form, redirect_uri: REDIRECT } : form;
    const response = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers, body: new URLSearchParams(body) });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  }

  async function codeFor(clientId: string, extra: Record<string, string> = {}) {
    const user = await server.user();
    const agent = new TestAgent(server.url);
    const { url, verifier } = await authorizeUrl(clientId, extra);
    const consent = await signIn(agent, url, user);
    expect(consent.body).toContain('Allow');
    const callback = await agent.submit(consent, '/consent', { decision: 'allow' });
    const location = new URL(callback.location!);
    return { user, agent, verifier, location, code: location.searchParams.get('code')! };
  }

  it('signs in, consents and exchanges the code with client_secret_basic', async () => {
    const { clientId, clientSecret } = await server.app({ token_endpoint_auth_method: 'client_secret_basic' });
    const { location, code, verifier, user } = await codeFor(clientId);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(server.issuer);
    const response = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT }, { basic: [clientId, clientSecret!] });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email' });
    expect(String(response.body.access_token)).toMatch(/^gat_/);
    expect(String(response.body.refresh_token)).toMatch(/^grt_/);
    expect(response.body.id_token).toBeTypeOf('string');
    const userinfo = await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${response.body.access_token}` } });
    expect(await userinfo.json()).toMatchObject({ sub: user.id, preferred_username: user.username });
  });

  it('renders the sign-in, consent, error and console pages without entering an AsyncLocalStorage', async () => {
    // One such render would slow every later request of the process on Node < 24 (ui/render.ts).
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = vi.spyOn(AsyncLocalStorage.prototype, 'enterWith');
    try {
      const app = await server.app();
      const agent = new TestAgent(server.url);
      const tokens = await signInForTokens(server, app, { agent });
      expect(tokens.access_token).toBeTypeOf('string');
      expect((await agent.navigate(`${server.url}/oauth/authorize?client_id=nope`)).status).toBe(400);
      expect((await agent.navigate(`${server.url}/account/connected-apps`)).status).toBe(200);
      expect((await agent.navigate(`${server.url}/developer/apps`)).status).toBe(200);
      expect(run).not.toHaveBeenCalled();
      expect(enterWith).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('rejects a second use of a code and revokes what the first use issued', async () => {
    const { clientId, clientSecret } = await server.app();
    const { code, verifier } = await codeFor(clientId);
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, client_secret: clientSecret! };
    const first = await token(form);
    expect(first.status).toBe(200);
    const second = await token(form);
    expect(second.status).toBe(400);
    expect(second.body.error).toBe('invalid_grant');
    const userinfo = await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${first.body.access_token}` } });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('rejects a wrong code_verifier and an expired code', async () => {
    const { clientId, clientSecret } = await server.app();
    const wrong = await codeFor(clientId);
    const other = await pkcePair();
    const bad = await token({ grant_type: 'authorization_code', code: wrong.code, code_verifier: other.verifier, client_id: clientId, client_secret: clientSecret! });
    expect(bad.body.error).toBe('invalid_grant');

    const late = await codeFor(clientId);
    server.clock.advance(61);
    try {
      const expired = await token({ grant_type: 'authorization_code', code: late.code, code_verifier: late.verifier, client_id: clientId, client_secret: clientSecret! });
      expect(expired.status).toBe(400);
      expect(expired.body.error).toBe('invalid_grant');
    } finally {
      server.clock.advance(-61);
    }
  });

  it('works for a public client with PKCE and no secret', async () => {
    const { clientId } = await server.app({ token_endpoint_auth_method: 'none' });
    const { code, verifier } = await codeFor(clientId);
    const response = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId });
    expect(response.status).toBe(200);
    expect(response.body.access_token).toBeTypeOf('string');
  });

  it('requires PKCE with S256 for every client', async () => {
    const { clientId } = await server.app();
    const agent = new TestAgent(server.url);
    const missing = await agent.request(`${server.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'openid', state: 's' })}`);
    const missingUrl = new URL(missing.location!);
    expect(missingUrl.searchParams.get('error')).toBe('invalid_request');
    expect(missingUrl.searchParams.get('state')).toBe('s');
    expect(missingUrl.searchParams.get('iss')).toBe(server.issuer);
    const { challenge } = await pkcePair();
    const plain = await agent.request(
      `${server.url}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'openid', code_challenge: challenge, code_challenge_method: 'plain' })}`,
    );
    expect(new URL(plain.location!).searchParams.get('error')).toBe('invalid_request');
  });

  it('shows an error page, never a redirect, for an unknown client or a mismatched redirect URI', async () => {
    const { clientId } = await server.app();
    const agent = new TestAgent(server.url);
    const { url } = await authorizeUrl('no-such-client');
    const unknown = await agent.request(url);
    expect(unknown.status).toBe(400);
    expect(unknown.location).toBeUndefined();
    expect(unknown.body).toContain('data-oauth-error="invalid_client"');

    const extraSegment = await agent.request((await authorizeUrl(clientId, { redirect_uri: `${REDIRECT}/extra` })).url);
    expect(extraSegment.status).toBe(400);
    expect(extraSegment.location).toBeUndefined();
    expect(extraSegment.body).toContain('data-oauth-error="invalid_request"');
  });

  it('matches loopback redirect URIs on any port', async () => {
    const { clientId } = await server.app();
    const agent = new TestAgent(server.url);
    const response = await agent.request((await authorizeUrl(clientId, { redirect_uri: 'http://127.0.0.1:4567/callback' })).url);
    expect(response.status).toBe(302);
    expect(response.location).toMatch(/^\/interaction\//);
  });

  it('answers prompt=none without a session with login_required', async () => {
    const { clientId } = await server.app();
    const agent = new TestAgent(server.url);
    const response = await agent.request((await authorizeUrl(clientId, { prompt: 'none' })).url);
    const location = new URL(response.location!);
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('skips login and consent for a repeat request, and prompt=none succeeds silently', async () => {
    const { clientId } = await server.app();
    const first = await codeFor(clientId);
    const silent = await first.agent.request((await authorizeUrl(clientId, { prompt: 'none' })).url);
    expect(new URL(silent.location!).searchParams.get('code')).toBeTruthy();
  });

  it('forces a new sign-in for max_age and moves auth_time', async () => {
    const { clientId, clientSecret } = await server.app();
    const first = await codeFor(clientId);
    server.clock.advance(5);
    try {
      const again = await authorizeUrl(clientId, { max_age: '1' });
      const login = await first.agent.navigate(again.url);
      expect(login.body).toContain('name="password"');
      const callback = await first.agent.submit(login, '/login', { username: first.user.username, password: first.user.password });
      const code = new URL(callback.location!).searchParams.get('code')!;
      const response = await token({ grant_type: 'authorization_code', code, code_verifier: again.verifier, client_id: clientId, client_secret: clientSecret! });
      const payload = JSON.parse(Buffer.from(String(response.body.id_token).split('.')[1]!, 'base64url').toString()) as { auth_time: number };
      expect(payload.auth_time).toBeGreaterThanOrEqual(server.clock.now() - 1);
    } finally {
      server.clock.advance(-5);
    }
  });

  it('rejects a consent form without its CSRF token', async () => {
    const { clientId } = await server.app();
    const user = await server.user();
    const agent = new TestAgent(server.url);
    const consent = await signIn(agent, (await authorizeUrl(clientId)).url, user);
    const action = /action="([^"]*consent[^"]*)"/.exec(consent.body)![1]!.replace(/&amp;/g, '&');
    const forged = await agent.request(new URL(action, server.url).href, { form: { decision: 'allow' } });
    expect(forged.status).toBe(403);
    expect(forged.location).toBeUndefined();
  });

  it('redirects access_denied when the user denies', async () => {
    const { clientId } = await server.app();
    const user = await server.user();
    const agent = new TestAgent(server.url);
    const consent = await signIn(agent, (await authorizeUrl(clientId)).url, user);
    const denied = await agent.submit(consent, '/consent', { decision: 'deny' });
    const location = new URL(denied.location!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('state-123');
  });

  it('keeps the pending request after a wrong password', async () => {
    const { clientId } = await server.app();
    const user = await server.user();
    const agent = new TestAgent(server.url);
    const login = await agent.navigate((await authorizeUrl(clientId)).url);
    const wrong = await agent.submit(login, '/login', { username: user.username, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('Incorrect username or password');
    const consent = await agent.submit(wrong, '/login', { username: user.username, password: user.password });
    expect(consent.body).toContain('Allow');
  });

  it('asks for a workspace when a scope needs one and binds the token to the chosen workspace', async () => {
    const { clientId, clientSecret } = await server.app({ scope: 'openid project:read' });
    const user = await server.user();
    const first = await server.workspace({ name: 'First', owner: user });
    const second = await server.workspace({ name: 'Second', owner: user });
    const agent = new TestAgent(server.url);
    const { url, verifier } = await authorizeUrl(clientId, { scope: 'openid project:read' });
    const consent = await signIn(agent, url, user);
    expect(consent.body).toContain('name="workspace"');
    expect(consent.body).toContain(first.name);
    const none = await agent.submit(consent, '/consent', { decision: 'allow' });
    expect(none.status).toBe(400);
    const callback = await agent.submit(none, '/consent', { decision: 'allow', workspace: second.id });
    const code = new URL(callback.location!).searchParams.get('code')!;
    const response = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, client_secret: clientSecret! });
    const validate = await fetch(`${server.url}/oauth/validate`, { headers: { authorization: `Bearer ${response.body.access_token}` } });
    expect(await validate.json()).toMatchObject({ active: true, workspace_url: second.slug, scopes: ['openid', 'project:read'] });
  });

  it('lets only members of the owning workspace authorize an internal app', async () => {
    const owner = await server.user();
    const workspace = await server.workspace({ name: 'Internal', owner });
    const { clientId } = await server.app({ visibility: 'internal', ownerWorkspaceId: workspace.id });
    const outsider = await server.user();
    const agent = new TestAgent(server.url);
    const denied = await signIn(agent, (await authorizeUrl(clientId)).url, outsider);
    expect(new URL(denied.location!).searchParams.get('error')).toBe('access_denied');
    const member = await server.user();
    await server.addMember(workspace, member);
    const memberAgent = new TestAgent(server.url);
    const consent = await signIn(memberAgent, (await authorizeUrl(clientId)).url, member);
    expect(consent.body).toContain('Allow');
  });

  it('rejects duplicated parameters and unknown scopes', async () => {
    const { clientId } = await server.app();
    const agent = new TestAgent(server.url);
    const { url } = await authorizeUrl(clientId);
    const duplicated = await agent.request(`${url}&scope=openid`);
    expect(new URL(duplicated.location!).searchParams.get('error')).toBe('invalid_request');
    const unknown = await agent.request((await authorizeUrl(clientId, { scope: 'openid admin:everything' })).url);
    expect(new URL(unknown.location!).searchParams.get('error')).toBe('invalid_scope');
  });

  it('answers malformed token requests with 400 JSON, never 5xx', async () => {
    const cases: Array<{ body: string; type?: string }> = [
      { body: '{"grant_type":"authorization_code"}', type: 'application/json' },
      { body: 'grant_type=authorization_code&grant_type=refresh_token' },
      { body: 'grant_type=password&username=a&password=b' },
      { body: `grant_type=authorization_code&${'x'.repeat(70_000)}=1` },
      { body: '%%%%' },
    ];
    for (const { body, type } of cases) {
      const response = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': type ?? 'application/x-www-form-urlencoded' }, body });
      expect(response.status, body.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(response.status, body.slice(0, 40)).toBeLessThan(500);
      expect(((await response.json()) as { error: string }).error).toMatch(/^(invalid_request|unsupported_grant_type|invalid_client)$/);
    }
  });

  it('fails client authentication with 401 and a Basic challenge', async () => {
    const { clientId } = await server.app({ token_endpoint_auth_method: 'client_secret_basic' });
    const response = await token({ grant_type: 'client_credentials' }, { basic: [clientId, 'gcs_wrong'] });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('offers account selection with prompt=select_account, and switching signs in another user', async () => {
    const { clientId } = await server.app();
    const first = await codeFor(clientId);
    const choice = await first.agent.navigate((await authorizeUrl(clientId, { prompt: 'select_account' })).url);
    expect(choice.body).toContain(first.user.username);
    const continued = await first.agent.submit(choice, '/select-account', { decision: 'continue' });
    expect(new URL(continued.location!).searchParams.get('code')).toBeTruthy();

    const again = await first.agent.navigate((await authorizeUrl(clientId, { prompt: 'select_account' })).url);
    const login = await first.agent.submit(again, '/select-account', { decision: 'switch' });
    expect(login.body).toContain('name="password"');
    const other = await server.user();
    const consent = await first.agent.submit(login, '/login', { username: other.username, password: other.password });
    expect(consent.body).toContain(other.username);
    expect(consent.body).toContain('Allow');
  });

  it('answers response_type=none with state and iss but no code', async () => {
    const { clientId } = await server.app();
    const first = await codeFor(clientId);
    const response = await first.agent.navigate(`${server.url}/oauth/authorize?${new URLSearchParams({ response_type: 'none', client_id: clientId, redirect_uri: REDIRECT, scope: 'openid profile email', state: 'only-state' })}`);
    const location = new URL(response.location!);
    expect(location.searchParams.get('code')).toBeNull();
    expect(location.searchParams.get('state')).toBe('only-state');
    expect(location.searchParams.get('iss')).toBe(server.issuer);
  });

  it("signs ID tokens with the app's algorithm and carries the OIDC claims", async () => {
    const { createRemoteJWKSet, jwtVerify } = await import('jose');
    const { clientId, clientSecret } = await server.app({ id_token_signed_response_alg: 'ES256' });
    const { code, verifier, user } = await codeFor(clientId);
    const response = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, client_secret: clientSecret! });
    const { payload, protectedHeader } = await jwtVerify(String(response.body.id_token), createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`)), {
      issuer: server.issuer,
      audience: clientId,
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: user.id, azp: clientId, nonce: 'nonce-456', preferred_username: user.username });
    expect(payload.sub).not.toBe(user.username);
    for (const claim of ['at_hash', 'sid', 'auth_time', 'iat', 'exp']) expect(payload).toHaveProperty(claim);
  });

  it('issues no refresh token to an app without the refresh_token grant, and its access token works', async () => {
    const { clientId, clientSecret } = await server.app({ grant_types: ['authorization_code'] });
    const { code, verifier, user } = await codeFor(clientId);
    const response = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, client_secret: clientSecret! });
    expect(response.status).toBe(200);
    expect(response.body.refresh_token).toBeUndefined();
    expect(response.body.id_token).toBeTypeOf('string');
    const userinfo = await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${response.body.access_token}` } });
    expect(await userinfo.json()).toMatchObject({ sub: user.id });
    const replay = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, client_secret: clientSecret! });
    expect(replay.body).toMatchObject({ error: 'invalid_grant' });
    const after = await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${response.body.access_token}` } });
    expect(after.status).toBe(401);
  });

  it('redirects unauthorized_client once the redirect URI is trusted', async () => {
    const { clientId } = await server.app({ grant_types: ['client_credentials'], redirect_uris: [REDIRECT] });
    const response = await new TestAgent(server.url).request((await authorizeUrl(clientId)).url);
    expect(new URL(response.location!).searchParams.get('error')).toBe('unauthorized_client');
  });

  it('stores a code\'s tokens with its redemption, so a replay landing while it is still issuing revokes them', async () => {
    const { authorizationCodeGrant } = await import('../core/grants/authorization-code.js');
    const { Params } = await import('../core/params.js');
    const { sha256 } = await import('../core/tokens/opaque.js');
    const { clientId, clientSecret } = await server.app();
    const { code, verifier } = await codeFor(clientId);
    const deps = server.gatehouse.deps;
    // The replay arrives once the code is redeemed, while the ID token is still to be signed.
    const stores = Object.create(deps.stores) as typeof deps.stores;
    stores.redeemCode = async (...args) => {
      const redemption = await deps.stores.redeemCode(...args);
      const replay = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId, client_secret: clientSecret! });
      expect(replay.body).toMatchObject({ error: 'invalid_grant' });
      return redemption;
    };
    const client = (await deps.stores.findClient(clientId))!;
    const response = await authorizationCodeGrant.handle({ ...deps, stores }, client, Params.fromForm(new URLSearchParams({ code, code_verifier: verifier, redirect_uri: REDIRECT }).toString()));
    expect(response.id_token).toBeDefined();
    expect((await deps.stores.findToken(sha256(response.refresh_token!)))?.revokedAt).not.toBeNull();
    const userinfo = await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${response.access_token}` } });
    expect(userinfo.status).toBe(401);
  });

  it('lists scopes on the consent page in the order the app asked for them', async () => {
    const { clientId } = await server.app({ scope: 'openid profile email' });
    const user = await server.user();
    const consent = await signIn(new TestAgent(server.url), (await authorizeUrl(clientId, { scope: 'profile openid email' })).url, user);
    const positions = ['profile', 'openid', 'email'].map((name) => consent.body.indexOf(`>${name}<`));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('bounds chunked bodies without a declared length', async () => {
    const streamOf = (text: string, chunk = 4096) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let offset = 0; offset < text.length; offset += chunk) controller.enqueue(new TextEncoder().encode(text.slice(offset, offset + chunk)));
          controller.close();
        },
      });
    const post = (text: string) =>
      fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: streamOf(text), duplex: 'half' } as RequestInit);
    // A body that never ends: the server must answer once the limit is passed, not wait for the end.
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent < 1_000_000) {
          sent += 8192;
          controller.enqueue(new TextEncoder().encode('x'.repeat(8192)));
        }
      },
    });
    const huge = await fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { error: string }).error).toBe('invalid_request');
    const small = await post('grant_type=nope');
    expect(small.status).toBe(400);
    expect(((await small.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('throttles password guessing on one account, and lets it in again after the window', async () => {
    const { clientId } = await server.app();
    const user = await server.user();
    const agent = new TestAgent(server.url);
    let page = await agent.navigate((await authorizeUrl(clientId)).url);
    // The first delays are a second or two: the clock stands still so a slow sign-in cannot outlast them.
    const thaw = server.clock.freeze();
    try {
      for (let attempt = 0; attempt < 10; attempt++) page = await agent.submit(page, '/login', { username: user.username, password: 'wrong password' });
      const refused = await agent.submit(page, '/login', { username: user.username, password: user.password });
      expect(refused.status).toBe(401);
      expect(refused.body).toContain('Too many failed attempts');
      server.clock.advance(15 * 60 + 1);
      const consent = await agent.submit(refused, '/login', { username: user.username, password: user.password });
      expect(consent.body).toContain('Allow');
    } finally {
      thaw();
      server.clock.advance(-(15 * 60 + 1));
    }
  });
});
