import { generateKeyPair } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { assertScopes, InsufficientScopeError, InvalidTokenError, ResourceServer, UnexpectedResponseError } from './index.js';
import { createMockServer, ISSUER, json, type MockServer } from './test-support/mock-server.js';

let server: MockServer;
/** token → introspection response */
let active: Map<string, Record<string, unknown>>;

function now() {
  return Math.floor(Date.now() / 1000);
}

function introspection(token: string, extra: Record<string, unknown> = {}) {
  active.set(token, {
    active: true,
    jti: `jti_${token}`,
    iss: ISSUER,
    token_type: 'access_token',
    client_id: 'app_123',
    aud: 'https://api.example.com',
    sub: 'user_1',
    scope: 'read write',
    exp: now() + 3600,
    iat: now(),
    workspaces: [{ id: 'ws_1', slug: 'acme' }],
    ...extra,
  });
}

function rs(options: Partial<ConstructorParameters<typeof ResourceServer>[0]> = {}) {
  return new ResourceServer({ issuer: ISSUER, clientId: 'api_1', clientSecret: 'api_secret', fetch: server.fetch, ...options });
}

function jwtClaims(extra: Record<string, unknown> = {}) {
  return { iss: ISSUER, sub: 'user_1', aud: 'https://api.example.com', client_id: 'app_123', scope: 'read', jti: 'j1', iat: now(), exp: now() + 300, ...extra };
}

beforeEach(async () => {
  server = await createMockServer();
  active = new Map();
  server.on('POST /oauth/introspect', (call) => json(active.get(call.form!.get('token')!) ?? { active: false }));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('opaque tokens (introspection, RFC 7662)', () => {
  it('introspects with client authentication and maps the response', async () => {
    introspection('gho_abc');
    const result = await rs().verifyAccessToken('gho_abc');
    expect(result).toMatchObject({ subject: 'user_1', clientId: 'app_123', scopes: ['read', 'write'], workspaces: [{ id: 'ws_1', slug: 'acme' }] });
    expect(result.expiresAt).toBeInstanceOf(Date);
    const call = server.callsTo('/oauth/introspect')[0]!;
    expect(call.headers.get('authorization')).toBe(`Basic ${btoa('api_1:api_secret')}`);
    expect(call.form!.get('token')).toBe('gho_abc');
  });

  it('inactive → InvalidTokenError', async () => {
    await expect(rs().verifyAccessToken('gho_unknown')).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(rs().verifyAccessToken('')).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('rejects refresh tokens, other issuers, other audiences, expired answers', async () => {
    introspection('r', { token_type: 'refresh_token' });
    introspection('i', { iss: 'https://evil.example.com' });
    introspection('a', { aud: 'https://other.example.com' });
    introspection('e', { exp: now() - 5 });
    const server = rs({ audience: 'https://api.example.com' });
    for (const t of ['r', 'i', 'a', 'e']) await expect(server.verifyAccessToken(t)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('server errors are not invalid tokens', async () => {
    server.on('POST /oauth/introspect', () => new Response('boom', { status: 502 }));
    await expect(rs().verifyAccessToken('x')).rejects.toBeInstanceOf(UnexpectedResponseError);
    server.on('POST /oauth/introspect', () => json({ error: 'invalid_client' }, 401));
    await expect(rs().verifyAccessToken('x')).rejects.toMatchObject({ code: 'oauth_error', error: 'invalid_client', status: 401 });
  });

  it('needs client credentials for opaque tokens', async () => {
    const noClient = new ResourceServer({ issuer: ISSUER, fetch: server.fetch });
    await expect(noClient.verifyAccessToken('x')).rejects.toMatchObject({ code: 'configuration' });
  });

  it('caches results for cacheSeconds and coalesces concurrent lookups', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    introspection('t1');
    const server1 = rs({ cacheSeconds: 30 });
    await Promise.all([server1.verifyAccessToken('t1'), server1.verifyAccessToken('t1'), server1.verifyAccessToken('t1')]);
    await server1.verifyAccessToken('t1');
    expect(server.callsTo('/oauth/introspect')).toHaveLength(1);
    vi.advanceTimersByTime(31_000);
    await server1.verifyAccessToken('t1');
    expect(server.callsTo('/oauth/introspect')).toHaveLength(2);
  });

  it('never caches past the token exp', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    introspection('short', { exp: now() + 2 });
    const server1 = rs({ cacheSeconds: 30 });
    await server1.verifyAccessToken('short');
    vi.advanceTimersByTime(1_000);
    await server1.verifyAccessToken('short');
    expect(server.callsTo('/oauth/introspect')).toHaveLength(1);
    vi.advanceTimersByTime(2_000);
    active.set('short', { active: false }); // the server now reports it expired
    await expect(server1.verifyAccessToken('short')).rejects.toBeInstanceOf(InvalidTokenError);
    expect(server.callsTo('/oauth/introspect')).toHaveLength(2);
  });

  it('the cache is bounded (oldest evicted first)', async () => {
    const server1 = rs({ cacheMaxEntries: 3 });
    for (const t of ['a', 'b', 'c', 'd', 'e']) {
      introspection(t);
      await server1.verifyAccessToken(t);
    }
    expect(server1.cacheSize).toBe(3);
    expect(server.callsTo('/oauth/introspect')).toHaveLength(5);
    await server1.verifyAccessToken('e'); // cached
    expect(server.callsTo('/oauth/introspect')).toHaveLength(5);
    await server1.verifyAccessToken('a'); // evicted
    expect(server.callsTo('/oauth/introspect')).toHaveLength(6);
    expect(server1.cacheSize).toBe(3);
  });

  it('cacheSeconds: 0 disables the cache', async () => {
    introspection('t');
    const server1 = rs({ cacheSeconds: 0 });
    await server1.verifyAccessToken('t');
    await server1.verifyAccessToken('t');
    expect(server.callsTo('/oauth/introspect')).toHaveLength(2);
    expect(server1.cacheSize).toBe(0);
  });
});

describe('JWT access tokens (RFC 9068)', () => {
  it('verifies at+jwt locally against the JWKS, without introspection', async () => {
    const token = await server.sign(jwtClaims({ workspaces: [{ id: 'ws_9' }] }), { typ: 'at+jwt' });
    const result = await rs({ audience: 'https://api.example.com' }).verifyAccessToken(token);
    expect(result).toMatchObject({ subject: 'user_1', clientId: 'app_123', scopes: ['read'], workspaces: [{ id: 'ws_9' }] });
    expect(server.callsTo('/oauth/introspect')).toHaveLength(0);
  });

  it.each([
    ['expired', async () => server.sign(jwtClaims({ iat: now() - 7200, exp: now() - 3600 }), { typ: 'at+jwt' })],
    ['wrong issuer', async () => server.sign(jwtClaims({ iss: 'https://evil.example.com' }), { typ: 'at+jwt' })],
    ['wrong audience', async () => server.sign(jwtClaims({ aud: 'https://other.example.com' }), { typ: 'at+jwt' })],
    ['bad signature', async () => server.sign(jwtClaims(), { typ: 'at+jwt', key: (await generateKeyPair('RS256')).privateKey })],
    ['no client_id', async () => server.sign(jwtClaims({ client_id: undefined }), { typ: 'at+jwt' })],
  ])('%s → InvalidTokenError', async (_name, make) => {
    await expect(rs({ audience: 'https://api.example.com' }).verifyAccessToken(await make())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a JWT whose typ is not at+jwt (an ID token) without asking the server, even if introspection would call it active', async () => {
    const idToken = await server.idToken({ client_id: 'app_123', scope: 'read' });
    const jwtTyped = await server.sign(jwtClaims(), { typ: 'JWT' });
    for (const token of [idToken, jwtTyped]) {
      // What an older server answered for an ID token.
      introspection(token, { token_type: 'id_token' });
      for (const options of [{}, { introspectJwts: true }]) {
        await expect(rs(options).verifyAccessToken(token)).rejects.toThrow(/typ/);
      }
    }
    expect(server.callsTo('/oauth/introspect')).toHaveLength(0);
  });

  it.each(['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/AT+JWT'])('accepts typ %s (RFC 9068 §4: case-insensitive, with or without application/)', async (typ) => {
    const token = await server.sign(jwtClaims(), { typ });
    await expect(rs().verifyAccessToken(token)).resolves.toMatchObject({ subject: 'user_1', clientId: 'app_123' });
  });

  it('refuses an introspection answer for an ID token', async () => {
    introspection('gho_id', { token_type: 'id_token' });
    await expect(rs().verifyAccessToken('gho_id')).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('an unreachable JWKS is a server problem, not an invalid token', async () => {
    server.on('GET /oauth/jwks', () => {
      throw new TypeError('fetch failed');
    });
    const token = await server.sign(jwtClaims(), { typ: 'at+jwt' });
    const err = await rs().verifyAccessToken(token).catch((e) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(err).not.toBeInstanceOf(InvalidTokenError);
  });

  it('introspectJwts: true sees revocation', async () => {
    const token = await server.sign(jwtClaims(), { typ: 'at+jwt' });
    await expect(rs({ introspectJwts: true }).verifyAccessToken(token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(server.callsTo('/oauth/introspect')).toHaveLength(1);
  });
});

describe('assertScopes', () => {
  it('throws InsufficientScopeError listing the required scopes', async () => {
    introspection('t');
    const token = await rs().verifyAccessToken('t');
    expect(() => assertScopes(token, 'read')).not.toThrow();
    expect(() => assertScopes(token, 'read', 'admin')).toThrow(InsufficientScopeError);
  });
});
