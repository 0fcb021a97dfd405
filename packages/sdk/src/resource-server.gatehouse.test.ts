/**
 * ResourceServer against a real Gatehouse (both databases): an ID token is never accepted as an
 * access token, and introspection with the API's own client works once an administrator flags it
 * as a resource server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setResourceServer } from '../../server/src/core/manage/resource-servers.js';
import { disableUser } from '../../server/src/core/manage/users.js';
import { testDatabases } from '../../server/src/testing/databases.js';
import { signInForTokens } from '../../server/src/testing/flows.js';
import { startTestServer, type TestServer } from '../../server/src/testing/harness.js';
import { InvalidTokenError, ResourceServer } from './index.js';

describe.each(testDatabases())('ResourceServer against Gatehouse on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  type App = Awaited<ReturnType<TestServer['app']>>;
  const resourceServer = (app: App, options: { introspectJwts?: boolean } = {}) =>
    new ResourceServer({
      issuer: server.issuer,
      clientId: app.clientId,
      clientSecret: app.clientSecret!,
      authMethod: app.client.tokenEndpointAuthMethod === 'client_secret_post' ? 'client_secret_post' : 'client_secret_basic',
      cacheSeconds: 0,
      ...options,
    });

  it('refuses an ID token, locally and by introspection, also after the app was revoked and the user disabled', async () => {
    const app = await server.app();
    const jwtApp = await server.app({ access_token_format: 'jwt' });
    const tokens = await signInForTokens(server, app);
    const jwtTokens = await signInForTokens(server, jwtApp, { user: tokens.user });
    for (const options of [{}, { introspectJwts: true }]) {
      const rs = resourceServer(app, options);
      await expect(rs.verifyAccessToken(tokens.access_token)).resolves.toMatchObject({ clientId: app.clientId });
      await expect(resourceServer(jwtApp, options).verifyAccessToken(jwtTokens.access_token)).resolves.toMatchObject({ clientId: jwtApp.clientId });
      await expect(rs.verifyAccessToken(tokens.id_token!)).rejects.toBeInstanceOf(InvalidTokenError);
      await expect(resourceServer(jwtApp, options).verifyAccessToken(jwtTokens.id_token!)).rejects.toBeInstanceOf(InvalidTokenError);
    }

    const stores = server.gatehouse.deps.stores;
    const user = (await stores.findUserByUsername(tokens.user.username))!;
    await stores.revokeGrant((await stores.findGrant(user.id, app.clientId))!.id, server.clock.now());
    await disableUser(server.gatehouse.deps, user.id);
    for (const options of [{}, { introspectJwts: true }]) {
      await expect(resourceServer(app, options).verifyAccessToken(tokens.access_token)).rejects.toBeInstanceOf(InvalidTokenError);
      await expect(resourceServer(app, options).verifyAccessToken(tokens.id_token!)).rejects.toBeInstanceOf(InvalidTokenError);
    }
  });

  it("introspects another app's access tokens with the API's own client once it is flagged as a resource server", async () => {
    const app = await server.app();
    const api = await server.app({ client_name: 'Projects API', grant_types: ['client_credentials'], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic' });
    const tokens = await signInForTokens(server, app);
    const rs = resourceServer(api);
    await expect(rs.verifyAccessToken(tokens.access_token)).rejects.toBeInstanceOf(InvalidTokenError);
    await setResourceServer(server.gatehouse.deps, api.clientId, true);
    await expect(rs.verifyAccessToken(tokens.access_token)).resolves.toMatchObject({ clientId: app.clientId, scopes: ['openid', 'profile', 'email'] });
    await expect(rs.verifyAccessToken(tokens.refresh_token!)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(rs.verifyAccessToken(tokens.id_token!)).rejects.toBeInstanceOf(InvalidTokenError);
    await setResourceServer(server.gatehouse.deps, api.clientId, false);
    await expect(rs.verifyAccessToken(tokens.access_token)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
