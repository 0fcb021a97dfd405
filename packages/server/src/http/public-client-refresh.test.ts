/**
 * Agents and CLIs are public clients (no secret, RFC 6749 §2.1): with the refresh_token grant they
 * get refresh tokens that rotate on every use (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2: "refresh token
 * rotation" for public clients), with the same grace window and replay rule as confidential ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.js';
import { postForm, signInForTokens } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

describe.each(testDatabases())('refresh tokens of public clients on $name', (factory) => {
  let server: TestServer;
  let agentApp: { clientId: string; clientSecret: string | undefined };
  beforeAll(async () => {
    server = await startTestServer(factory);
    agentApp = await server.app({ token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], scope: 'openid profile email offline_access' });
  });
  afterAll(async () => server?.close());

  const refresh = (refreshToken: string, clientId = agentApp.clientId) =>
    postForm(server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
  const userinfo = (accessToken: string) => fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });

  it('issues a refresh token to a public client without a secret, and rotates it on every refresh', async () => {
    expect(agentApp.clientSecret).toBeUndefined();
    const first = await signInForTokens(server, agentApp, { scope: 'openid offline_access' });
    expect(first.refresh_token).toBeTypeOf('string');
    const second = await refresh(first.refresh_token!);
    expect(second.status).toBe(200);
    expect(second.headers.get('cache-control')).toBe('no-store');
    expect(second.body.refresh_token).toBeTypeOf('string');
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await userinfo(second.body.access_token)).status).toBe(200);
    const third = await refresh(second.body.refresh_token);
    expect(third.status).toBe(200);
    expect(third.body.refresh_token).not.toBe(second.body.refresh_token);
  });

  it('answers a retry inside the grace window with the same successor, and revokes the family on a replay after it', async () => {
    const first = await signInForTokens(server, agentApp, { scope: 'openid offline_access' });
    const winner = await refresh(first.refresh_token!);
    const retry = await refresh(first.refresh_token!);
    expect(retry.status).toBe(200);
    expect(retry.body.refresh_token).toBe(winner.body.refresh_token);
    server.clock.advance(61);
    try {
      const replay = await refresh(first.refresh_token!);
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');
      expect((await userinfo(winner.body.access_token)).status).toBe(401);
      expect((await refresh(winner.body.refresh_token)).body.error).toBe('invalid_grant');
    } finally {
      server.clock.advance(-61);
    }
  });

  it('binds the refresh token to its client: another public client cannot use it', async () => {
    const other = await server.app({ token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] });
    const first = await signInForTokens(server, agentApp, { scope: 'openid offline_access' });
    const stolen = await refresh(first.refresh_token!, other.clientId);
    expect(stolen.status).toBe(400);
    expect(stolen.body.error).toBe('invalid_grant');
    expect((await refresh(first.refresh_token!)).status).toBe(200);
  });
});
