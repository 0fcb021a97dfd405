/**
 * Every access token returned with a 200 works, for an app with JWT access tokens too: the ones
 * answered to the losers of a concurrent refresh and to retries within the grace window are
 * stored like the winner's (RFC 9068 §1: the server can still revoke and introspect them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../core/tokens/opaque.js';
import { testDatabases } from '../testing/databases.js';
import { clientAuth, postForm, signInForTokens } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

type App = { clientId: string; clientSecret: string | undefined };

describe.each(testDatabases())('JWT access tokens from refreshes in the grace window on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  const refresh = (app: App, refreshToken: string) => postForm(server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientAuth(app) });
  const introspect = (app: App, token: string) => postForm(server, '/oauth/introspect', { token, ...clientAuth(app) });
  const userinfo = (token: string) => fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } });

  async function expectWorking(app: App, accessToken: string): Promise<void> {
    expect((await introspect(app, accessToken)).body.active).toBe(true);
    expect((await userinfo(accessToken)).status).toBe(200);
  }

  it('every access token answered to five parallel refreshes of one refresh token is live', async () => {
    const app = await server.app({ access_token_format: 'jwt' });
    const first = await signInForTokens(server, app);
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(app, first.refresh_token!)));
    const ok = results.filter((result) => result.status === 200);
    expect(ok.length).toBe(5);
    expect(new Set(ok.map((result) => result.body.access_token)).size).toBe(5);
    for (const result of ok) await expectWorking(app, result.body.access_token);
  });

  it('the access token answered to a retry of the rotated token is live, and dies with the family', async () => {
    const app = await server.app({ access_token_format: 'jwt' });
    const first = await signInForTokens(server, app);
    const winner = await refresh(app, first.refresh_token!);
    expect(winner.status).toBe(200);
    server.clock.advance(10);
    try {
      const retry = await refresh(app, first.refresh_token!);
      expect(retry.status).toBe(200);
      expect(retry.body.refresh_token).toBe(winner.body.refresh_token);
      await expectWorking(app, retry.body.access_token);
      await expectWorking(app, winner.body.access_token);
      // Revoking the family (RFC 7009) reaches the retry's access token too.
      expect((await postForm(server, '/oauth/revoke', { token: winner.body.refresh_token, ...clientAuth(app) })).status).toBe(200);
      expect((await introspect(app, retry.body.access_token)).body.active).toBe(false);
    } finally {
      server.clock.advance(-10);
    }
  });

  it('stores a retry\'s access token only while the successor refresh token is live', async () => {
    const { stores } = server.gatehouse.deps;
    const app = await server.app({ access_token_format: 'jwt' });
    const first = await signInForTokens(server, app);
    const successorHash = sha256(first.refresh_token!);
    const successor = (await stores.findToken(successorHash))!;
    const access = (jti: string) => ({ ...successor, kind: 'access' as const, jti, tokenHash: sha256(jti), rotatedAt: null, successorBox: null, familyExpiresAt: null });
    expect(await stores.insertTokensWhileLive([access('live-one')], successorHash)).toBe(true);
    expect((await stores.findToken(sha256('live-one')))?.kind).toBe('access');
    await stores.revokeFamily(successor.familyId, server.clock.now());
    expect(await stores.insertTokensWhileLive([access('too-late')], successorHash)).toBe(false);
    expect(await stores.findToken(sha256('too-late'))).toBeUndefined();
  });
});
