import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

describe.each(testDatabases())('discovery and keys on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  it('publishes metadata that oauth4webapi accepts, for both well-known documents', async () => {
    const issuer = new URL(server.issuer);
    const openid = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: true }));
    const oauthMetadata = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }));
    expect(openid.issuer).toBe(server.issuer);
    expect(oauthMetadata).toEqual(openid);
    expect(openid.code_challenge_methods_supported).toEqual(['S256']);
    expect(openid.response_types_supported).toEqual(['code', 'none']);
    expect(openid.authorization_response_iss_parameter_supported).toBe(true);
    expect(openid.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']));
  });

  it('lists catalogue scopes as they are added', async () => {
    await server.scope('project:read', 'Read projects');
    server.clock.advance(11);
    try {
      const document = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
      expect(document.scopes_supported).toContain('project:read');
    } finally {
      server.clock.advance(-11);
    }
  });

  it('is cacheable and CORS-open', async () => {
    const response = await fetch(`${server.url}/.well-known/openid-configuration`);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toMatch(/public/);
  });

  it('advertises only endpoints that exist', async () => {
    const document = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const endpoints = Object.entries(document).filter(([name, value]) => (name.endsWith('_endpoint') || name === 'jwks_uri') && typeof value === 'string');
    expect(endpoints.length).toBeGreaterThanOrEqual(7);
    for (const [name, value] of endpoints) {
      const response = await fetch(String(value), { method: name === 'jwks_uri' || name === 'authorization_endpoint' || name === 'userinfo_endpoint' ? 'GET' : 'POST' });
      expect(response.status, name).not.toBe(404);
      expect(response.status, name).toBeLessThan(500);
    }
  });

  it('serves public signing keys only, each with kid, alg and use, at every JWKS path', async () => {
    for (const path of ['/oauth/jwks', '/.well-known/jwks.json', '/oauth/v1/certs']) {
      const { keys } = (await (await fetch(server.url + path)).json()) as { keys: Array<Record<string, unknown>> };
      expect(keys.length).toBeGreaterThanOrEqual(4); // current + next, RS256 and ES256
      for (const key of keys) {
        expect(key).toMatchObject({ kid: expect.any(String), alg: expect.stringMatching(/^(RS256|ES256)$/), use: 'sig' });
        for (const privateMember of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(privateMember);
      }
    }
  });

  it('answers health and readiness', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('sends browser security headers on pages and nosniff on JSON APIs', async () => {
    const page = await fetch(`${server.url}/oauth/authorize?client_id=unknown`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const api = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=x' });
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('cache-control')).toBe('no-store');
  });

  it('answers the JSON APIs with their complete header sets', async () => {
    const headers = async (path: string, init?: RequestInit) => {
      const response = await fetch(`${server.url}${path}`, init);
      await response.arrayBuffer();
      return Object.fromEntries([...response.headers].filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name)));
    };
    const json = { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' };
    expect(await headers('/healthz')).toEqual({ ...json, 'content-length': '15' });
    expect(await headers('/oauth/validate')).toEqual({ ...json, 'cache-control': 'no-store', pragma: 'no-cache', 'access-control-allow-origin': '*', 'content-length': '60' });
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' };
    const { clientId, clientSecret } = await server.app({ token_endpoint_auth_method: 'client_secret_post', redirect_uris: [], grant_types: ['client_credentials'] });
    expect(await headers('/oauth/introspect', { ...form, body: `token=x&client_id=${clientId}&client_secret=${clientSecret}` })).toEqual({
      ...json,
      'cache-control': 'no-store',
      pragma: 'no-cache',
      'content-length': '16',
    });
    expect(await headers('/.well-known/openid-configuration')).toMatchObject({ ...json, 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' });
    expect(await headers('/oauth/jwks')).toMatchObject({ ...json, 'content-type': 'application/jwk-set+json', 'access-control-allow-origin': '*' });
    // Errors, revocation, readiness and a wrong method on an API path carry nosniff too.
    expect(await headers('/oauth/token', { ...form, body: 'grant_type=nope' })).toMatchObject({ ...json, 'cache-control': 'no-store' });
    expect(await headers('/oauth/revoke', { ...form, body: `token=x&client_id=${clientId}&client_secret=${clientSecret}` })).toMatchObject({
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    expect(await headers('/readyz')).toMatchObject(json);
    expect(await headers('/oauth/token')).toMatchObject(json);
  });

  it('routes with the RegExpRouter', async () => {
    // A static path segment beside a parameter (`/apps/new`, `/apps/:id`) is more than Hono's
    // RegExpRouter can hold, and makes every request go through the slower TrieRouter.
    await fetch(`${server.url}/healthz`);
    expect(server.gatehouse.app.router.name).toBe('SmartRouter + RegExpRouter');
  });
});
