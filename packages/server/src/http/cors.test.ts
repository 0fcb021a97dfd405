/**
 * Browser-based clients call discovery, JWKS, token, revocation and userinfo cross-origin: those
 * answer a CORS preflight and carry `Access-Control-Allow-Origin: *` (no credentials). The
 * authorization endpoint (a top-level navigation), introspection (server to server) and the
 * console do not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { CORS_PATHS } from './app.js';

describe.each(testDatabases().slice(0, 1))('CORS on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  const preflight = (path: string) =>
    fetch(`${server.url}${path}`, { method: 'OPTIONS', headers: { origin: 'https://spa.example', 'access-control-request-method': 'POST' } });

  it('answers a preflight on each endpoint browser clients call, without credentials', async () => {
    for (const path of CORS_PATHS) {
      const response = await preflight(path);
      expect(response.status, path).toBe(204);
      expect(response.headers.get('access-control-allow-origin'), path).toBe('*');
      expect(response.headers.get('access-control-allow-credentials'), path).toBeNull();
      expect(response.headers.get('access-control-allow-headers'), path).toContain('Authorization');
    }
  });

  it('answers no preflight on authorize, introspection, token resources or the console', async () => {
    for (const path of ['/oauth/authorize', '/oauth/v1/authorize', '/oauth/introspect', '/oauth/v1/token/introspect', '/oauth/token/resources', '/login', '/developer/apps']) {
      const response = await preflight(path);
      expect(response.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(response.status, path).not.toBe(204);
    }
  });

  it('sends the CORS header on the actual responses of discovery, keys and token errors', async () => {
    for (const path of ['/.well-known/openid-configuration', '/oauth/jwks']) {
      expect((await fetch(`${server.url}${path}`)).headers.get('access-control-allow-origin'), path).toBe('*');
    }
    const token = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password' });
    expect(token.status).toBe(400);
    expect(token.headers.get('access-control-allow-origin')).toBe('*');
    const userinfo = await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: 'Bearer nope' } });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get('access-control-allow-origin')).toBe('*');
    expect(userinfo.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate');
    const introspect = await fetch(`${server.url}/oauth/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' });
    expect(introspect.status).toBe(401);
    expect(introspect.headers.get('access-control-allow-origin')).toBeNull();
  });
});
