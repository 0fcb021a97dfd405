/**
 * What counts as a credential and who may ask about one: an ID token is never an access token
 * (RFC 9068 §4, OIDC Core §2), and introspection answers `active: true` only to the token's own
 * client or to a client an administrator flagged as a resource server (RFC 7662 §2.2, §4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setResourceServer } from '../core/manage/resource-servers.js';
import { disableUser } from '../core/manage/users.js';
import { testDatabases } from '../testing/databases.js';
import { clientAuth, postForm, signInForTokens } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

type App = { clientId: string; clientSecret: string | undefined };

describe.each(testDatabases())('who may introspect, and what is a credential, on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  const introspect = (caller: App, token: string) => postForm(server, '/oauth/introspect', { token, ...clientAuth(caller) });
  const resources = (caller: App, token: string) => postForm(server, '/oauth/token/resources', { token, ...clientAuth(caller) });
  const userinfo = (token: string) => fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } });
  const validate = async (token: string) =>
    (await (await fetch(`${server.url}/oauth/validate`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
  const refresh = (app: App, refreshToken: string) => postForm(server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientAuth(app) });

  it('answers {active:false} for an ID token, to its own client, another client and a resource server', async () => {
    const app = await server.app();
    const other = await server.app();
    const api = await server.app({ grant_types: ['client_credentials'], redirect_uris: [] });
    await setResourceServer(server.gatehouse.deps, api.clientId, true);
    const tokens = await signInForTokens(server, app);
    for (const caller of [app, other, api]) {
      const answer = await introspect(caller, tokens.id_token!);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ active: false });
    }
    // The access token of the same response is live, so the refusal is about the kind of token.
    expect((await introspect(app, tokens.access_token)).body.active).toBe(true);
  });

  it('refuses an ID token as a bearer at userinfo (401 invalid_token), validate (inactive) and token/resources', async () => {
    const app = await server.app({ access_token_format: 'jwt' });
    const tokens = await signInForTokens(server, app);
    const info = await userinfo(tokens.id_token!);
    expect(info.status).toBe(401);
    expect(info.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await info.json()).toMatchObject({ error: 'invalid_token' });
    expect(await validate(tokens.id_token!)).toEqual({ active: false, exp: null, workspace_url: null, scopes: [] });
    const listed = await resources(app, tokens.id_token!);
    expect(listed.status).toBe(400);
    expect(listed.body).toEqual({ error: 'invalid_token', error_description: 'the token is invalid, expired or revoked' });
    // The JWT access token of the same response passes everywhere.
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    expect((await validate(tokens.access_token)).active).toBe(true);
    expect((await resources(app, tokens.access_token)).status).toBe(200);
  });

  it('keeps refusing an ID token after the user revoked the app and was disabled', async () => {
    const app = await server.app();
    const tokens = await signInForTokens(server, app);
    const stores = server.gatehouse.deps.stores;
    const user = (await stores.findUserByUsername(tokens.user.username))!;
    const grant = (await stores.findGrant(user.id, app.clientId))!;
    await stores.revokeGrant(grant.id, server.clock.now());
    await disableUser(server.gatehouse.deps, user.id);
    expect((await introspect(app, tokens.id_token!)).body).toEqual({ active: false });
    expect((await userinfo(tokens.id_token!)).status).toBe(401);
    expect((await validate(tokens.id_token!)).active).toBe(false);
  });

  it("answers {active:false} to another client for an app's access and refresh tokens, and active to the app itself", async () => {
    const app = await server.app();
    const other = await server.app();
    const tokens = await signInForTokens(server, app);
    for (const token of [tokens.access_token, tokens.refresh_token!]) {
      const foreign = await introspect(other, token);
      expect(foreign.status).toBe(200);
      expect(foreign.body).toEqual({ active: false });
      expect((await introspect(app, token)).body).toMatchObject({ active: true, client_id: app.clientId, username: tokens.user.username });
    }
    // A JWT access token too, and a client credentials token.
    const jwtApp = await server.app({ access_token_format: 'jwt' });
    const jwtTokens = await signInForTokens(server, jwtApp);
    expect((await introspect(other, jwtTokens.access_token)).body).toEqual({ active: false });
    expect((await introspect(jwtApp, jwtTokens.access_token)).body.active).toBe(true);
    const machine = await server.app({ grant_types: ['client_credentials'], redirect_uris: [] });
    const service = await postForm(server, '/oauth/token', { grant_type: 'client_credentials', ...clientAuth(machine) });
    expect((await introspect(other, service.body.access_token)).body).toEqual({ active: false });
    expect((await introspect(machine, service.body.access_token)).body.active).toBe(true);
    // Asking changed nothing: the tokens still work for their own client.
    expect((await refresh(app, tokens.refresh_token!)).status).toBe(200);
  });

  it('answers a flagged resource server for access tokens of other apps, not for their refresh tokens, until the flag is removed', async () => {
    const app = await server.app();
    const api = await server.app({ grant_types: ['client_credentials'], redirect_uris: [] });
    const tokens = await signInForTokens(server, app);
    const stores = server.gatehouse.deps.stores;
    expect((await introspect(api, tokens.access_token)).body).toEqual({ active: false });

    expect((await setResourceServer(server.gatehouse.deps, api.clientId, true)).resourceServer).toBe(true);
    expect((await introspect(api, tokens.access_token)).body).toMatchObject({ active: true, client_id: app.clientId, token_type: 'Bearer', username: tokens.user.username });
    expect((await introspect(api, tokens.refresh_token!)).body).toEqual({ active: false });
    expect((await resources(api, tokens.access_token)).status).toBe(200);

    await setResourceServer(server.gatehouse.deps, api.clientId, false);
    expect((await introspect(api, tokens.access_token)).body).toEqual({ active: false });
    expect((await resources(api, tokens.access_token)).status).toBe(400);
    expect((await introspect(app, tokens.access_token)).body.active).toBe(true);
  });

  it('lets no public client be a resource server', async () => {
    const spa = await server.app({ token_endpoint_auth_method: 'none' });
    await expect(setResourceServer(server.gatehouse.deps, spa.clientId, true)).rejects.toThrow(/public client/);
    expect((await server.gatehouse.deps.stores.findClient(spa.clientId))!.resourceServer).toBe(false);
  });
});
