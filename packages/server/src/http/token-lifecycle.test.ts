import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../testing/databases.js';
import { clientAuth, postForm, signInForTokens } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { disableUser, enableUser } from '../core/manage/users.js';

describe.each(testDatabases())('token lifecycle on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
    await server.scope('project:read', 'Read projects', true);
    await server.scope('project:write', 'Change projects', true);
  });
  afterAll(async () => server?.close());

  const refresh = (app: { clientId: string; clientSecret: string | undefined }, refreshToken: string, extra: Record<string, string> = {}) =>
    postForm(server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientAuth(app), ...extra });
  const userinfo = (accessToken: string) => fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  const introspect = (app: { clientId: string; clientSecret: string | undefined }, token: string, hint?: string) =>
    postForm(server, '/oauth/introspect', { token, ...(hint ? { token_type_hint: hint } : {}), ...clientAuth(app) });
  const validate = async (token?: string) =>
    (await (await fetch(`${server.url}/oauth/validate`, token ? { headers: { authorization: `Bearer ${token}` } } : {})).json()) as Record<string, unknown>;

  it('rotates refresh tokens: the old one stops working after the grace window and a new one is returned', async () => {
    const app = await server.app();
    const first = await signInForTokens(server, app);
    const rotated = await refresh(app, first.refresh_token!);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(first.refresh_token);
    expect(rotated.body.id_token).toBeTypeOf('string');
    expect((await userinfo(rotated.body.access_token)).status).toBe(200);
  });

  it('gives 50 concurrent refreshes of one token the same successor, and one family', async () => {
    const app = await server.app();
    const first = await signInForTokens(server, app);
    const results = await Promise.all(Array.from({ length: 50 }, () => refresh(app, first.refresh_token!)));
    expect(results.map((result) => result.status)).toEqual(Array(50).fill(200));
    const successors = new Set(results.map((result) => result.body.refresh_token));
    expect(successors.size).toBe(1);
    const next = await refresh(app, [...successors][0]);
    expect(next.status).toBe(200);
    expect((await userinfo(next.body.access_token)).status).toBe(200);
  });

  it('answers a retry of a rotated token within the grace window with the same successor and fresh working tokens', async () => {
    const app = await server.app({ scope: 'openid profile email offline_access' });
    const first = await signInForTokens(server, app, { scope: 'openid profile email' });
    const winner = await refresh(app, first.refresh_token!);
    server.clock.advance(30);
    try {
      const retry = await refresh(app, first.refresh_token!, { scope: 'openid email' });
      expect(retry.status).toBe(200);
      expect(retry.body.refresh_token).toBe(winner.body.refresh_token);
      expect(retry.body.access_token).not.toBe(winner.body.access_token);
      expect(retry.body.scope).toBe('openid email');
      expect(retry.body.id_token).toBeTypeOf('string');
      expect((await introspect(app, retry.body.access_token)).body).toMatchObject({ active: true, scope: 'openid email' });
      expect((await userinfo(winner.body.access_token)).status).toBe(200);
      // The family is alive: the successor rotates on.
      expect((await refresh(app, winner.body.refresh_token)).status).toBe(200);
    } finally {
      server.clock.advance(-30);
    }
  });

  it('revokes the whole family when a rotated-out token is replayed after the grace window', async () => {
    const app = await server.app();
    const first = await signInForTokens(server, app);
    const second = await refresh(app, first.refresh_token!);
    server.clock.advance(61);
    try {
      const replay = await refresh(app, first.refresh_token!);
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');
      expect((await userinfo(second.body.access_token)).status).toBe(401);
      expect((await refresh(app, second.body.refresh_token)).body.error).toBe('invalid_grant');
    } finally {
      server.clock.advance(-61);
    }
  });

  it('binds refresh tokens to their client and only narrows scope', async () => {
    const app = await server.app();
    const other = await server.app();
    const first = await signInForTokens(server, app);
    const stolen = await refresh(other, first.refresh_token!);
    expect(stolen.body.error).toBe('invalid_grant');
    const widened = await refresh(app, first.refresh_token!, { scope: 'openid profile email offline_access' });
    expect(widened.body.error).toBe('invalid_scope');
    const narrowed = await refresh(app, first.refresh_token!, { scope: 'openid' });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe('openid');
  });

  it('issues client credentials tokens to confidential clients only', async () => {
    await server.scope('reports:read', 'Read reports');
    const machine = await server.app({ grant_types: ['client_credentials'], scope: 'reports:read', redirect_uris: [] });
    const ok = await postForm(server, '/oauth/token', { grant_type: 'client_credentials', ...clientAuth(machine) });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', scope: 'reports:read' });
    expect(ok.body.refresh_token).toBeUndefined();
    expect(ok.body.id_token).toBeUndefined();
    const info = await introspect(machine, ok.body.access_token);
    expect(info.body).toMatchObject({ active: true, sub: machine.clientId, client_id: machine.clientId });

    const publicApp = await server.app({ token_endpoint_auth_method: 'none' });
    const refused = await postForm(server, '/oauth/token', { grant_type: 'client_credentials', client_id: publicApp.clientId });
    expect(refused.body.error).toMatch(/^(unauthorized_client|invalid_client)$/);
  });

  it('introspects every token state', async () => {
    const app = await server.app();
    const tokens = await signInForTokens(server, app);
    const access = await introspect(app, tokens.access_token, 'refresh_token');
    expect(access.body).toMatchObject({ active: true, token_type: 'Bearer', client_id: app.clientId, scope: 'openid profile email', iss: server.issuer });
    expect(access.body).toHaveProperty('jti');
    expect(access.body).toHaveProperty('exp');
    expect(access.body).toHaveProperty('iat');
    expect((await introspect(app, tokens.refresh_token!)).body).toMatchObject({ active: true, token_type: 'refresh_token' });
    expect((await introspect(app, tokens.id_token!)).body).toEqual({ active: false });
    expect((await introspect(app, 'gat_nonsense')).body).toEqual({ active: false });
    server.clock.advance(3601);
    try {
      expect((await introspect(app, tokens.access_token)).body).toEqual({ active: false });
    } finally {
      server.clock.advance(-3601);
    }
    await postForm(server, '/oauth/revoke', { token: tokens.access_token });
    expect((await introspect(app, tokens.access_token)).body).toEqual({ active: false });
    const unauthenticated = await postForm(server, '/oauth/introspect', { token: tokens.refresh_token! });
    expect(unauthenticated.status).toBe(401);
  });

  it('answers validate with the documented shapes', async () => {
    const app = await server.app({ scope: 'openid project:read' });
    const user = await server.user();
    const workspace = await server.workspace({ name: 'Acme', owner: user });
    const tokens = await signInForTokens(server, app, { user, scope: 'openid project:read', workspaceIds: [workspace.id] });
    expect(await validate(tokens.access_token)).toMatchObject({
      active: true,
      workspace_url: workspace.slug,
      scopes: ['openid', 'project:read'],
      client_id: app.clientId,
      workspaces: [{ id: workspace.id, slug: workspace.slug, url: workspace.slug }],
    });
    const dead = { active: false, exp: null, workspace_url: null, scopes: [] };
    expect(await validate()).toEqual(dead);
    expect(await validate('garbage')).toEqual(dead);
    await postForm(server, '/oauth/revoke', { token: tokens.access_token });
    expect(await validate(tokens.access_token)).toEqual(dead);
  });

  it('lists the workspaces a token reaches at token/resources, under both paths', async () => {
    const app = await server.app({ scope: 'openid project:read' });
    const user = await server.user();
    const one = await server.workspace({ name: 'One', owner: user });
    const two = await server.workspace({ name: 'Two', owner: user });
    const tokens = await signInForTokens(server, app, { user, scope: 'openid project:read', workspaceIds: [one.id, two.id] });
    for (const path of ['/oauth/token/resources', '/oauth/v1/token/resources']) {
      const response = await postForm(server, path, { token: tokens.access_token, ...clientAuth(app) });
      expect(response.status).toBe(200);
      expect(response.body.resource_infos[0].owner.type).toBe('User');
      expect([...response.body.resource_infos[0].resources.workspace.ids].sort()).toEqual([one.id, two.id].sort());
    }
  });

  it('revokes a refresh token with its family and access tokens; another client cannot revoke it', async () => {
    const app = await server.app();
    const other = await server.app();
    const tokens = await signInForTokens(server, app);
    const foreign = await postForm(server, '/oauth/revoke', { token: tokens.refresh_token!, ...clientAuth(other) });
    expect(foreign.status).toBe(200);
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    const own = await postForm(server, '/oauth/v1/token/revoke', { token: tokens.refresh_token!, token_type_hint: 'refresh_token', ...clientAuth(app) });
    expect(own.status).toBe(200);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    expect((await refresh(app, tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect((await postForm(server, '/oauth/revoke', { token: 'unknown', ...clientAuth(app) })).status).toBe(200);
  });

  it('issues RFC 9068 JWT access tokens that verify against JWKS and die at introspection when revoked', async () => {
    const app = await server.app({ access_token_format: 'jwt' });
    const tokens = await signInForTokens(server, app);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/oauth/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: server.issuer, typ: 'at+jwt' });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ client_id: app.clientId, scope: 'openid profile email', sub: expect.any(String), jti: expect.any(String) });
    expect((await introspect(app, tokens.access_token)).body.active).toBe(true);
    await postForm(server, '/oauth/revoke', { token: tokens.access_token, ...clientAuth(app) });
    expect((await introspect(app, tokens.access_token)).body).toEqual({ active: false });
    expect((await userinfo(tokens.access_token)).status).toBe(401);
  });

  it('stops refresh and access tokens when consent is revoked', async () => {
    const app = await server.app();
    const tokens = await signInForTokens(server, app);
    const stores = server.gatehouse.deps.stores;
    const grant = await stores.findGrant((await stores.findUserByUsername(tokens.user.username))!.id, app.clientId);
    await stores.revokeGrant(grant!.id, server.clock.now());
    expect((await refresh(app, tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    expect((await validate(tokens.access_token)).active).toBe(false);
  });

  it('stops every token of a disabled user', async () => {
    const app = await server.app();
    const tokens = await signInForTokens(server, app);
    const user = await server.gatehouse.deps.stores.findUserByUsername(tokens.user.username);
    await disableUser(server.gatehouse.deps, user!.id);
    expect((await introspect(app, tokens.access_token)).body).toEqual({ active: false });
    expect((await validate(tokens.access_token)).active).toBe(false);
    expect((await refresh(app, tokens.refresh_token!)).body.error).toBe('invalid_grant');
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    // Enabling the account again does not bring back tokens issued before it was disabled.
    await enableUser(server.gatehouse.deps, user!.id);
    server.clock.advance(1);
    try {
      expect((await validate(tokens.access_token)).active).toBe(false);
      expect((await introspect(app, tokens.access_token)).body).toEqual({ active: false });
    } finally {
      server.clock.advance(-1);
    }
  });

  it('stops every token of a deleted app', async () => {
    const app = await server.app();
    const tokens = await signInForTokens(server, app);
    await server.gatehouse.deps.stores.deleteClient(app.clientId, server.clock.now());
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    expect((await validate(tokens.access_token)).active).toBe(false);
    expect((await refresh(app, tokens.refresh_token!)).status).toBe(401);
  });

  it('ignores an unknown token_type_hint at revocation (RFC 7009 §2.1)', async () => {
    const app = await server.app();
    const tokens = await signInForTokens(server, app);
    const response = await postForm(server, '/oauth/revoke', { token: tokens.access_token, token_type_hint: 'mystery', ...clientAuth(app) });
    expect(response.status).toBe(200);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
  });

  it('tells a client the resources behind its own tokens only', async () => {
    const app = await server.app();
    const other = await server.app();
    const tokens = await signInForTokens(server, app);
    const foreign = await postForm(server, '/oauth/token/resources', { token: tokens.access_token, ...clientAuth(other) });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toBe('invalid_token');
  });

  it('rejects a malformed resource indicator on client credentials', async () => {
    await server.scope('reports:read', 'Read reports');
    const machine = await server.app({ grant_types: ['client_credentials'], scope: 'reports:read', redirect_uris: [] });
    const response = await postForm(server, '/oauth/token', { grant_type: 'client_credentials', resource: 'not a uri', ...clientAuth(machine) });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_target');
  });

  it('leaves out claims that have no value', async () => {
    const app = await server.app();
    const tokens = await signInForTokens(server, app);
    const claims = (await (await userinfo(tokens.access_token)).json()) as Record<string, unknown>;
    expect(claims).not.toHaveProperty('picture');
    expect(Object.values(claims)).not.toContain(null);
  });

  it('serves the public profile page the profile claim points to', async () => {
    const app = await server.app();
    const tokens = await signInForTokens(server, app);
    const claims = (await (await userinfo(tokens.access_token)).json()) as { profile: string; preferred_username: string };
    const page = await fetch(claims.profile);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(claims.preferred_username);
    expect((await fetch(`${server.url}/users/nobody-here`)).status).toBe(404);
  });

  it("ends an app's access to a workspace when the consenting member leaves it", async () => {
    const { leaveWorkspace } = await import('../core/manage/members.js');
    const app = await server.app({ scope: 'openid project:read' });
    const owner = await server.user();
    const member = await server.user();
    const workspace = await server.workspace({ name: 'Shared', owner });
    await server.addMember(workspace, member);
    const tokens = await signInForTokens(server, app, { user: member, scope: 'openid project:read', workspaceIds: [workspace.id] });
    expect((await validate(tokens.access_token)).workspace_url).toBe(workspace.slug);
    await leaveWorkspace(server.gatehouse.deps, member.id, workspace.id);
    expect((await validate(tokens.access_token)).active).toBe(false);
    expect((await refresh(app, tokens.refresh_token!)).body.error).toBe('invalid_grant');
  });

  it('caps sliding renewals at the absolute family lifetime', async () => {
    const short = await startTestServer(factory, { config: (base) => ({ ...base, lifetimes: { ...base.lifetimes, refreshFamily: 100 } }) });
    try {
      const app = await short.app();
      const first = await signInForTokens(short, app);
      const refreshOn = (token: string) => postForm(short, '/oauth/token', { grant_type: 'refresh_token', refresh_token: token, ...clientAuth(app) });
      short.clock.advance(60);
      const second = await refreshOn(first.refresh_token!);
      expect(second.status).toBe(200);
      short.clock.advance(41); // 101 s after sign-in: the family has ended, whatever the refresh token lifetime.
      const third = await refreshOn(second.body.refresh_token);
      expect(third.status).toBe(400);
      expect(third.body.error).toBe('invalid_grant');
    } finally {
      await short.close();
    }
  });
});
