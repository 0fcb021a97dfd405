import { generateKeyPair, exportJWK } from 'jose';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GatehouseApp,
  GatehouseError,
  IdTokenError,
  IssuerMismatchError,
  OAuthError,
  StateMismatchError,
  type AuthorizationRequest,
  type TokenSet,
} from './index.js';
import { leftHalfHash, s256 } from './http.js';

const atHash = (accessToken: string) => leftHalfHash(accessToken, 'RS256');
import { CLIENT_ID, CLIENT_SECRET, createMockServer, ISSUER, json, REDIRECT_URI, type MockServer } from './test-support/mock-server.js';

let server: MockServer;
let app: GatehouseApp;

function basic(id: string, secret: string) {
  return `Basic ${btoa(`${id}:${secret}`)}`;
}

/** Token endpoint that answers the authorization_code grant with the given ID token. */
function tokenEndpoint(idToken: () => Promise<string | undefined>, extra: Record<string, unknown> = {}) {
  server.on('POST /oauth/token', async (call) => {
    if (call.form?.get('grant_type') !== 'authorization_code') return json({ error: 'unsupported_grant_type' }, 400);
    return json({
      access_token: 'at_1',
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email offline_access',
      refresh_token: 'rt_1',
      id_token: await idToken(),
      ...extra,
    });
  });
}

async function start(scopes = ['openid', 'profile', 'email', 'offline_access']): Promise<AuthorizationRequest> {
  return app.authorizationUrl({ scopes });
}

function callback(req: AuthorizationRequest, params: Record<string, string> = {}) {
  const u = new URL(REDIRECT_URI);
  u.searchParams.set('code', 'code_1');
  u.searchParams.set('state', req.state);
  u.searchParams.set('iss', ISSUER);
  for (const [k, v] of Object.entries(params)) {
    if (v === '') u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  }
  return u.href;
}

async function signIn(): Promise<TokenSet> {
  const req = await start();
  tokenEndpoint(() => server.idToken({ nonce: req.nonce }));
  return app.handleCallback(callback(req), req);
}

beforeEach(async () => {
  server = await createMockServer();
  app = new GatehouseApp({ issuer: ISSUER, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, fetch: server.fetch });
});

describe('authorizationUrl', () => {
  it('builds a PKCE S256 request with state and nonce, and caches discovery', async () => {
    const req = await start();
    const url = new URL(req.url);
    expect(url.origin + url.pathname).toBe(`${ISSUER}/oauth/authorize`);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(CLIENT_ID);
    expect(p.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(p.get('scope')).toBe('openid profile email offline_access');
    expect(p.get('state')).toBe(req.state);
    expect(p.get('nonce')).toBe(req.nonce);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toBe(await s256(req.codeVerifier));
    expect(req.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(req.state).not.toBe(req.nonce);

    await start();
    expect(server.callsTo('/.well-known/openid-configuration')).toHaveLength(1);
  });

  it('omits nonce without openid, passes optional parameters, protects reserved ones', async () => {
    const req = await app.authorizationUrl({
      scopes: ['api:read'],
      prompt: 'consent',
      loginHint: 'ada@example.com',
      maxAge: 600,
      resource: ['https://api.example.com', 'https://files.example.com'],
      extraParams: { ui_locales: 'fr' },
    });
    const p = new URL(req.url).searchParams;
    expect(req.nonce).toBeUndefined();
    expect(p.has('nonce')).toBe(false);
    expect(p.get('prompt')).toBe('consent');
    expect(p.get('login_hint')).toBe('ada@example.com');
    expect(p.get('max_age')).toBe('600');
    expect(p.getAll('resource')).toEqual(['https://api.example.com', 'https://files.example.com']);
    expect(p.get('ui_locales')).toBe('fr');
    await expect(app.authorizationUrl({ scopes: [], extraParams: { code_challenge_method: 'plain' } })).rejects.toThrow(TypeError);
  });

  it('rejects a discovery document for another issuer', async () => {
    server = await createMockServer({ metadata: { issuer: 'https://evil.example.com' } });
    app = new GatehouseApp({ issuer: ISSUER, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, fetch: server.fetch });
    await expect(start()).rejects.toBeInstanceOf(IssuerMismatchError);
  });
});

describe('handleCallback', () => {
  it('exchanges the code with the verifier and validates the ID token', async () => {
    const req = await start();
    tokenEndpoint(() => server.idToken({ nonce: req.nonce }));
    const tokens = await app.handleCallback(callback(req), req);

    const [call] = server.callsTo('/oauth/token');
    expect(call!.headers.get('authorization')).toBe(basic(CLIENT_ID, CLIENT_SECRET));
    expect(call!.form!.get('grant_type')).toBe('authorization_code');
    expect(call!.form!.get('code')).toBe('code_1');
    expect(call!.form!.get('code_verifier')).toBe(req.codeVerifier);
    expect(call!.form!.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(call!.form!.has('client_secret')).toBe(false);

    expect(tokens.accessToken).toBe('at_1');
    expect(tokens.refreshToken).toBe('rt_1');
    expect(tokens.scopes).toEqual(['openid', 'profile', 'email', 'offline_access']);
    expect(tokens.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(tokens.claims?.sub).toBe('user_1');
    expect(tokens.user).toEqual({ id: 'user_1', username: 'ada', name: 'Ada Lovelace', picture: 'https://img.example.com/ada.png', email: 'ada@example.com' });
  });

  it('accepts a relative callback URL', async () => {
    const req = await start();
    tokenEndpoint(() => server.idToken({ nonce: req.nonce }));
    const u = new URL(callback(req));
    await expect(app.handleCallback(u.pathname + u.search, req)).resolves.toBeDefined();
  });

  it('state mismatch → StateMismatchError, no token request', async () => {
    const req = await start();
    const err = await app.handleCallback(callback(req, { state: 'forged' }), req).catch((e) => e);
    expect(err).toBeInstanceOf(StateMismatchError);
    expect(err.code).toBe('state_mismatch');
    await expect(app.handleCallback(callback(req, { state: '' }), req)).rejects.toBeInstanceOf(StateMismatchError);
    expect(server.callsTo('/oauth/token')).toHaveLength(0);
  });

  it('iss mismatch → IssuerMismatchError (RFC 9207)', async () => {
    const req = await start();
    const err = await app.handleCallback(callback(req, { iss: 'https://evil.example.com' }), req).catch((e) => e);
    expect(err).toBeInstanceOf(IssuerMismatchError);
    expect(err.code).toBe('issuer_mismatch');
    expect(err.received).toBe('https://evil.example.com');
    expect(server.callsTo('/oauth/token')).toHaveLength(0);
  });

  it('missing iss → IssuerMismatchError when the server advertises it, accepted otherwise', async () => {
    const req = await start();
    await expect(app.handleCallback(callback(req, { iss: '' }), req)).rejects.toBeInstanceOf(IssuerMismatchError);

    server = await createMockServer({ metadata: { authorization_response_iss_parameter_supported: false } });
    app = new GatehouseApp({ issuer: ISSUER, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI, fetch: server.fetch });
    const req2 = await start();
    tokenEndpoint(() => server.idToken({ nonce: req2.nonce }));
    await expect(app.handleCallback(callback(req2, { iss: '' }), req2)).resolves.toBeDefined();
  });

  it('error=access_denied → OAuthError', async () => {
    const req = await start();
    const err = await app
      .handleCallback(callback(req, { code: '', error: 'access_denied', error_description: 'The user denied the request' }), req)
      .catch((e) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ code: 'oauth_error', error: 'access_denied', description: 'The user denied the request', status: 403, endpoint: 'authorization' });
    expect(server.callsTo('/oauth/token')).toHaveLength(0);
  });

  it('token endpoint error on code exchange → OAuthError with status', async () => {
    const req = await start();
    server.on('POST /oauth/token', () => json({ error: 'invalid_grant', error_description: 'Code expired' }, 400));
    const err = await app.handleCallback(callback(req), req).catch((e) => e);
    expect(err).toBeInstanceOf(OAuthError);
    expect(err).toMatchObject({ error: 'invalid_grant', description: 'Code expired', status: 400, endpoint: 'token' });
  });

  const idTokenCases: Array<[string, string, (req: AuthorizationRequest) => Promise<string>]> = [
    ['bad signature', 'signature', async (req) => {
      const other = await generateKeyPair('RS256');
      return server.idToken({ nonce: req.nonce }, { key: other.privateKey });
    }],
    ['wrong nonce', 'nonce', () => server.idToken({ nonce: 'other-nonce' })],
    ['missing nonce', 'nonce', () => server.idToken({})],
    ['wrong aud', 'audience', (req) => server.idToken({ nonce: req.nonce, aud: 'someone_else' })],
    ['several aud without azp', 'azp', (req) => server.idToken({ nonce: req.nonce, aud: [CLIENT_ID, 'other'] })],
    ['azp for another client', 'azp', (req) => server.idToken({ nonce: req.nonce, azp: 'other' })],
    ['wrong iss', 'issuer', (req) => server.idToken({ nonce: req.nonce, iss: 'https://evil.example.com' })],
    ['expired', 'expired', (req) => {
      const now = Math.floor(Date.now() / 1000);
      return server.idToken({ nonce: req.nonce, iat: now - 7200, exp: now - 3600 });
    }],
    ['iat in the future', 'iat', (req) => {
      const now = Math.floor(Date.now() / 1000);
      return server.idToken({ nonce: req.nonce, iat: now + 3600, exp: now + 7200 });
    }],
    ['an access token', 'malformed', (req) => server.idToken({ nonce: req.nonce }, { typ: 'at+jwt' })],
    // at_hash of another access token (the response carries at_1).
    ['at_hash of another access token', 'at_hash', async (req) => server.idToken({ nonce: req.nonce, at_hash: (await atHash('at_2'))! })],
  ];
  for (const [name, reason, make] of idTokenCases) {
    it(`ID token ${name} → IdTokenError(${reason})`, async () => {
      const req = await start();
      tokenEndpoint(() => make(req));
      const err = await app.handleCallback(callback(req), req).catch((e) => e);
      expect(err).toBeInstanceOf(IdTokenError);
      expect(err.code).toBe('id_token_invalid');
      expect(err.reason).toBe(reason);
    });
  }

  it('accepts an at_hash that matches the access token (left half of its SHA-256 for RS256)', async () => {
    const req = await start();
    const expected = (await atHash('at_1'))!;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('at_1')));
    expect(expected).toBe(Buffer.from(digest.slice(0, 16)).toString('base64url'));
    tokenEndpoint(() => server.idToken({ nonce: req.nonce, at_hash: expected }));
    await expect(app.handleCallback(callback(req), req)).resolves.toBeDefined();
  });

  it('accepts several audiences when azp is this client', async () => {
    const req = await start();
    tokenEndpoint(() => server.idToken({ nonce: req.nonce, aud: [CLIENT_ID, 'other'], azp: CLIENT_ID }));
    await expect(app.handleCallback(callback(req), req)).resolves.toBeDefined();
  });

  it('tolerates clock skew on exp', async () => {
    const req = await start();
    const now = Math.floor(Date.now() / 1000);
    tokenEndpoint(() => server.idToken({ nonce: req.nonce, iat: now - 300, exp: now - 10 }));
    await expect(app.handleCallback(callback(req), req)).resolves.toBeDefined();
  });

  it('no ID token although openid was requested → IdTokenError(missing)', async () => {
    const req = await start();
    tokenEndpoint(async () => undefined);
    await expect(app.handleCallback(callback(req), req)).rejects.toMatchObject({ reason: 'missing' });
  });

  it('checks auth_time against max_age', async () => {
    const req = await app.authorizationUrl({ scopes: ['openid'], maxAge: 60 });
    const now = Math.floor(Date.now() / 1000);
    tokenEndpoint(() => server.idToken({ nonce: req.nonce, auth_time: now - 3600 }));
    await expect(app.handleCallback(callback(req), { ...req, maxAge: 60 })).rejects.toMatchObject({ reason: 'auth_time' });
  });

  it('refetches the JWKS once for an unknown kid (key rotation)', async () => {
    // Warm the JWKS cache with key k1 and make it older than the cooldown.
    await signIn();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 60_000 });
    try {
      const rotated = await generateKeyPair('ES256', { extractable: true });
      const jwk = { ...(await exportJWK(rotated.publicKey)), kid: 'k2', alg: 'ES256' };
      server.setJwks({ keys: [server.publicJwk, jwk] });
      const req = await start();
      tokenEndpoint(() => server.sign(server.idTokenClaims({ nonce: req.nonce }), { key: rotated.privateKey, kid: 'k2', alg: 'ES256' }));
      await expect(app.handleCallback(callback(req), req)).resolves.toBeDefined();
      expect(server.callsTo('/oauth/jwks')).toHaveLength(2);

      // An unknown kid right after a fetch does not refetch again (cooldown).
      const req2 = await start();
      const stranger = await generateKeyPair('RS256');
      tokenEndpoint(() => server.idToken({ nonce: req2.nonce }, { key: stranger.privateKey, kid: 'k9' }));
      await expect(app.handleCallback(callback(req2), req2)).rejects.toMatchObject({ reason: 'signature' });
      expect(server.callsTo('/oauth/jwks')).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('client authentication methods', () => {
  it('client_secret_post puts credentials in the body', async () => {
    app = new GatehouseApp({ issuer: ISSUER, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authMethod: 'client_secret_post', redirectUri: REDIRECT_URI, fetch: server.fetch });
    await signIn();
    const [call] = server.callsTo('/oauth/token');
    expect(call!.headers.has('authorization')).toBe(false);
    expect(call!.form!.get('client_id')).toBe(CLIENT_ID);
    expect(call!.form!.get('client_secret')).toBe(CLIENT_SECRET);
  });

  it('none sends only client_id', async () => {
    app = new GatehouseApp({ issuer: ISSUER, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, fetch: server.fetch });
    await signIn();
    const [call] = server.callsTo('/oauth/token');
    expect(call!.headers.has('authorization')).toBe(false);
    expect(call!.form!.get('client_id')).toBe(CLIENT_ID);
    expect(call!.form!.has('client_secret')).toBe(false);
  });

  it('form-encodes Basic credentials (RFC 6749 §2.3.1)', async () => {
    app = new GatehouseApp({ issuer: ISSUER, clientId: CLIENT_ID, clientSecret: 'a:b c', redirectUri: REDIRECT_URI, fetch: server.fetch });
    await signIn();
    expect(server.callsTo('/oauth/token')[0]!.headers.get('authorization')).toBe(basic(CLIENT_ID, 'a%3Ab+c'));
  });

  it('a secret-based method without a secret is a configuration error', () => {
    expect(() => new GatehouseApp({ issuer: ISSUER, clientId: CLIENT_ID, authMethod: 'client_secret_basic', fetch: server.fetch })).toThrow(GatehouseError);
  });
});
