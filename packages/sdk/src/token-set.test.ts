import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { GatehouseApp, GatehouseError, OAuthError, type OnTokens, type TokenSet, type TokenSetJSON } from './index.js';
import { leftHalfHash } from './http.js';
import { CLIENT_ID, CLIENT_SECRET, createMockServer, ISSUER, json, REDIRECT_URI, type MockServer } from './test-support/mock-server.js';

let server: MockServer;
let app: GatehouseApp;
let onTokens: Mock<OnTokens>;
let counter: number;

const API = 'https://api.example.com/things';

/** A refresh-token grant that rotates: rt_n → at_{n+1} / rt_{n+1}; any other refresh token is invalid_grant. */
function rotatingTokenEndpoint(delayMs = 0) {
  server.on('POST /oauth/token', async (call) => {
    const form = call.form!;
    if (form.get('grant_type') === 'client_credentials') {
      counter++;
      return json({ access_token: `cc_${counter}`, token_type: 'Bearer', expires_in: 600, scope: form.get('scope') ?? '' });
    }
    if (form.get('grant_type') !== 'refresh_token') return json({ error: 'unsupported_grant_type' }, 400);
    if (form.get('refresh_token') !== `rt_${counter}`) {
      return json({ error: 'invalid_grant', error_description: 'Refresh token is invalid, expired or revoked' }, 400);
    }
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    counter++;
    return json({ access_token: `at_${counter}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt_${counter}` });
  });
}

function stored(overrides: Partial<TokenSetJSON> = {}): TokenSetJSON {
  return {
    version: 1,
    grant: 'authorization_code',
    accessToken: 'at_1',
    tokenType: 'Bearer',
    refreshToken: 'rt_1',
    scopes: ['openid', 'profile'],
    expiresAt: Date.now() - 1000, // expired
    ...overrides,
  };
}

beforeEach(async () => {
  server = await createMockServer();
  onTokens = vi.fn<OnTokens>();
  counter = 1;
  app = new GatehouseApp({ issuer: ISSUER, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, fetch: server.fetch, onTokens });
  rotatingTokenEndpoint();
});

describe('refresh', () => {
  it('20 concurrent getAccessToken() on an expired token → one refresh request, onTokens once', async () => {
    rotatingTokenEndpoint(20);
    const tokens = app.restore(stored());
    const results = await Promise.all(Array.from({ length: 20 }, () => tokens.getAccessToken()));
    expect(new Set(results)).toEqual(new Set(['at_2']));
    expect(server.callsTo('/oauth/token')).toHaveLength(1);
    expect(onTokens).toHaveBeenCalledTimes(1);
    expect(onTokens).toHaveBeenCalledWith(tokens);
    expect(tokens.refreshToken).toBe('rt_2');
    const call = server.callsTo('/oauth/token')[0]!;
    expect(call.form!.get('refresh_token')).toBe('rt_1');
    expect(call.headers.get('authorization')).toMatch(/^Basic /);
    // Now fresh: no further refresh.
    await tokens.getAccessToken();
    expect(server.callsTo('/oauth/token')).toHaveLength(1);
  });

  it('refreshes within 30 s of expiry but not before', async () => {
    const fresh = app.restore(stored({ expiresAt: Date.now() + 60_000 }));
    expect(await fresh.getAccessToken()).toBe('at_1');
    const nearly = app.restore(stored({ expiresAt: Date.now() + 20_000 }));
    expect(await nearly.getAccessToken()).toBe('at_2');
  });

  it('token endpoint invalid_grant on refresh → OAuthError with status 400', async () => {
    const tokens = app.restore(stored({ refreshToken: 'rt_stolen' }));
    const err = await tokens.getAccessToken().catch((e) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ code: 'oauth_error', error: 'invalid_grant', status: 400, endpoint: 'token', description: 'Refresh token is invalid, expired or revoked' });
    expect(onTokens).not.toHaveBeenCalled();
    // All concurrent callers see the same failure; a later call may try again.
    const errs = await Promise.all([tokens.refresh().catch((e) => e), tokens.refresh().catch((e) => e)]);
    expect(errs[0]).toBe(errs[1]);
  });

  it('a token set onTokens overrides the app one', async () => {
    const own = vi.fn();
    const tokens = app.restore(stored(), { onTokens: own });
    await tokens.refresh();
    expect(own).toHaveBeenCalledOnce();
    expect(onTokens).not.toHaveBeenCalled();
  });

  it('without a refresh token, refresh() is a typed error and getAccessToken returns the current token', async () => {
    const tokens = app.restore(stored({ refreshToken: undefined }));
    await expect(tokens.refresh()).rejects.toMatchObject({ code: 'refresh_unavailable' });
    expect(await tokens.getAccessToken()).toBe('at_1');
  });

  it('validates a refreshed ID token and keeps the sub', async () => {
    const first = await server.idToken({});
    server.on('POST /oauth/token', async () =>
      json({ access_token: 'at_9', token_type: 'Bearer', expires_in: 60, refresh_token: 'rt_9', id_token: await server.idToken({ sub: 'user_2' }) }),
    );
    const tokens = app.restore(stored({ idToken: first }));
    await expect(tokens.refresh()).rejects.toMatchObject({ code: 'id_token_invalid', reason: 'subject' });
  });
  it("checks a refreshed ID token's at_hash against the refreshed access token", async () => {
    const first = await server.idToken({});
    let atHash = await leftHalfHash('at_9', 'RS256');
    server.on('POST /oauth/token', async () =>
      json({ access_token: 'at_9', token_type: 'Bearer', expires_in: 60, refresh_token: 'rt_9', id_token: await server.idToken({ at_hash: atHash }) }),
    );
    const tokens = app.restore(stored({ idToken: first }));
    await tokens.refresh();
    expect(await tokens.getAccessToken()).toBe('at_9');
    // The hash of the access token before (at_1): not the one this response carries.
    atHash = await leftHalfHash('at_1', 'RS256');
    await expect(tokens.refresh()).rejects.toMatchObject({ code: 'id_token_invalid', reason: 'at_hash' });
  });

  it('keeps the rotated refresh token even when the refreshed ID token fails verification', async () => {
    server.on('POST /oauth/token', async () =>
      json({ access_token: 'at_2', token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt_2', id_token: 'not.a.jwt' }),
    );
    const tokens = app.restore(stored());
    await expect(tokens.refresh()).rejects.toBeInstanceOf(GatehouseError);
    expect(tokens.refreshToken).toBe('rt_2');
  });
});

describe('fetch', () => {
  it('adds the bearer token', async () => {
    server.on(`GET ${API}`, (call) => json({ auth: call.headers.get('authorization') }));
    const tokens = app.restore(stored({ expiresAt: Date.now() + 3600_000 }));
    const res = await tokens.fetch(API);
    expect(await res.json()).toEqual({ auth: 'Bearer at_1' });
  });

  it('on 401 invalid_token refreshes once and retries once', async () => {
    server.on(`POST ${API}`, async (call) => {
      if (call.headers.get('authorization') !== 'Bearer at_2') {
        return json({ error: 'invalid_token' }, 401, { 'www-authenticate': 'Bearer realm="api", error="invalid_token", error_description="revoked"' });
      }
      return json({ ok: true, body: call.form?.get('x') });
    });
    const tokens = app.restore(stored({ expiresAt: Date.now() + 3600_000 }));
    const res = await tokens.fetch(API, { method: 'POST', body: new URLSearchParams({ x: '1' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, body: '1' });
    expect(server.callsTo('/things').map((c) => c.headers.get('authorization'))).toEqual(['Bearer at_1', 'Bearer at_2']);
    expect(server.callsTo('/oauth/token')).toHaveLength(1);
    expect(onTokens).toHaveBeenCalledOnce();
  });

  it('does not loop when the retry is also rejected', async () => {
    server.on(`GET ${API}`, () => new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }));
    const tokens = app.restore(stored({ expiresAt: Date.now() + 3600_000 }));
    const res = await tokens.fetch(API);
    expect(res.status).toBe(401);
    expect(server.callsTo('/things')).toHaveLength(2);
    expect(server.callsTo('/oauth/token')).toHaveLength(1);
  });

  it('does not refresh on a 401 without error="invalid_token", nor on 403', async () => {
    server.on(`GET ${API}`, () => new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer realm="api"' } }));
    const tokens = app.restore(stored({ expiresAt: Date.now() + 3600_000 }));
    expect((await tokens.fetch(API)).status).toBe(401);
    server.on(`GET ${API}`, () => new Response(null, { status: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' } }));
    expect((await tokens.fetch(API)).status).toBe(403);
    expect(server.callsTo('/oauth/token')).toHaveLength(0);
  });

  it('concurrent 401s share one refresh', async () => {
    server.on(`GET ${API}`, (call) =>
      call.headers.get('authorization') === 'Bearer at_2'
        ? json({ ok: true })
        : new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } }),
    );
    rotatingTokenEndpoint(10);
    const tokens = app.restore(stored({ expiresAt: Date.now() + 3600_000 }));
    const results = await Promise.all(Array.from({ length: 5 }, () => tokens.fetch(API)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(server.callsTo('/oauth/token')).toHaveLength(1);
  });
});

describe('user, workspaces, revoke, persistence', () => {
  let tokens: TokenSet;
  beforeEach(async () => {
    tokens = app.restore(stored({ expiresAt: Date.now() + 3600_000, idToken: await server.idToken({}) }));
  });

  it('user comes from the ID token; fetchUser() reads userinfo', async () => {
    expect(tokens.user).toMatchObject({ id: 'user_1', username: 'ada' });
    server.on('GET /oauth/userinfo', (call) =>
      call.headers.get('authorization') === 'Bearer at_1'
        ? json({ sub: 'user_1', name: 'Ada King', nickname: 'countess', picture: 'p', email: 'ada@king.example', email_verified: true })
        : json({ error: 'invalid_token' }, 401),
    );
    const user = await tokens.fetchUser();
    expect(user).toEqual({ id: 'user_1', username: 'countess', name: 'Ada King', picture: 'p', email: 'ada@king.example' });
    expect(tokens.user).toEqual(user);
    expect(app.restore(JSON.stringify(tokens)).user).toEqual(user);
  });

  it('fetchUser() rejects a userinfo response for another sub', async () => {
    server.on('GET /oauth/userinfo', () => json({ sub: 'user_2' }));
    await expect(tokens.fetchUser()).rejects.toMatchObject({ code: 'unexpected_response' });
  });

  it('workspaces() calls the token resources endpoint with client authentication', async () => {
    server.on('POST /oauth/token/resources', () =>
      json({ resource_infos: [{ owner: { id: 'user_1', type: 'User' }, resources: { workspace: { ids: ['ws_1', 'ws_2'] } } }, { owner: { id: 'user_1', type: 'User' }, resources: { workspace: { ids: ['ws_2'] } } }] }),
    );
    expect(await tokens.workspaces()).toEqual([{ id: 'ws_1' }, { id: 'ws_2' }]);
    const call = server.callsTo('/oauth/token/resources')[0]!;
    expect(call.form!.get('token')).toBe('at_1');
    expect(call.headers.get('authorization')).toMatch(/^Basic /);
  });

  it('revoke() revokes the refresh token, then the set is unusable', async () => {
    server.on('POST /oauth/revoke', () => new Response(null, { status: 200 }));
    await tokens.revoke();
    const call = server.callsTo('/oauth/revoke')[0]!;
    expect(call.form!.get('token')).toBe('rt_1');
    expect(call.form!.get('token_type_hint')).toBe('refresh_token');
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ code: 'token_revoked' });
  });

  it('revoke() falls back to the access token; errors are OAuthErrors', async () => {
    server.on('POST /oauth/revoke', () => json({ error: 'unsupported_token_type' }, 400));
    const noRefresh = app.restore(stored({ refreshToken: undefined, expiresAt: Date.now() + 60_000 }));
    await expect(noRefresh.revoke()).rejects.toMatchObject({ error: 'unsupported_token_type', status: 400, endpoint: 'revocation' });
    expect(server.callsTo('/oauth/revoke')[0]!.form!.get('token_type_hint')).toBe('access_token');
  });

  it('toJSON() / restore() round-trips', () => {
    const json = tokens.toJSON();
    const again = app.restore(JSON.parse(JSON.stringify(json)));
    expect(again.toJSON()).toEqual(json);
    expect(again.claims?.sub).toBe('user_1');
    expect(again.expiresAt).toEqual(tokens.expiresAt);
    expect(() => app.restore({ hello: 'world' } as unknown as TokenSetJSON)).toThrow(TypeError);
  });
});

describe('clientCredentials', () => {
  it('gets an app token without a user, and "refreshes" by asking again', async () => {
    const tokens = await app.clientCredentials(['api:read']);
    expect(tokens.accessToken).toBe('cc_2');
    expect(tokens.user).toBeUndefined();
    expect(tokens.scopes).toEqual(['api:read']);
    expect(server.callsTo('/oauth/token')[0]!.form!.get('scope')).toBe('api:read');
    await tokens.refresh();
    expect(tokens.accessToken).toBe('cc_3');
  });

  it('needs a confidential client', async () => {
    const pub = new GatehouseApp({ issuer: ISSUER, clientId: CLIENT_ID, fetch: server.fetch });
    await expect(pub.clientCredentials()).rejects.toBeInstanceOf(GatehouseError);
  });
});
