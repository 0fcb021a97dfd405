/**
 * The grant is the ceiling (RFC 6749 §6, RFC 9700 §4.14): when a user approves an app again with
 * fewer workspaces, nothing minted under the earlier, wider consent reaches what was taken away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listConnectedApps } from '../core/manage/grants.js';
import type { Workspace } from '../core/model.js';
import { TestAgent, pkcePair } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { TEST_REDIRECT_URI, authorizationQuery, clientAuth, postForm, type TokenSetResponse } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import type { KyselyStores } from '../storage/index.js';

type App = { clientId: string; clientSecret: string | undefined };

describe.each(testDatabases())('narrowed consent on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
    await server.scope('project:read', 'Read projects', true);
  });
  afterAll(async () => server?.close());

  const refresh = (app: App, refreshToken: string) => postForm(server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientAuth(app) });
  const introspect = (app: App, token: string) => postForm(server, '/oauth/introspect', { token, ...clientAuth(app) });
  const resources = (app: App, token: string) => postForm(server, '/oauth/token/resources', { token, ...clientAuth(app) });
  const validate = async (token: string) =>
    (await (await fetch(`${server.url}/oauth/validate`, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, any>;

  /** Every workspace id a token reaches, by every endpoint that tells (none when the token is dead there). */
  async function reached(app: App, token: string): Promise<string[]> {
    const ids = new Set<string>();
    const introspected = (await introspect(app, token)).body;
    if (introspected.active) for (const workspace of introspected.workspaces ?? []) ids.add(workspace.id);
    const listed = await resources(app, token);
    if (listed.status === 200) for (const id of listed.body.resource_infos[0].resources.workspace.ids) ids.add(id);
    const validated = await validate(token);
    if (validated.active) for (const workspace of validated.workspaces ?? []) ids.add(workspace.id);
    return [...ids].sort();
  }

  /** Authorizes through the real pages with `agent` (signing in when asked) and approves `workspaceIds`. */
  async function authorize(agent: TestAgent, app: App, user: { username: string; password: string }, workspaceIds: string[], prompt?: string) {
    const { verifier, challenge } = await pkcePair();
    const query = authorizationQuery(app.clientId, challenge, { scope: 'openid project:read', ...(prompt ? { prompt } : {}) });
    let page = await agent.navigate(`${server.url}/oauth/authorize?${query}`);
    if (page.body.includes('name="password"')) page = await agent.submit(page, '/login', { username: user.username, password: user.password });
    expect(page.location).toBeUndefined(); // the consent page
    page = await agent.submit(page, '/consent', { decision: 'allow', workspace: workspaceIds });
    const code = new URL(page.location!).searchParams.get('code')!;
    const response = await postForm(server, '/oauth/token', { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: TEST_REDIRECT_URI, ...clientAuth(app) });
    expect(response.status).toBe(200);
    return response.body as TokenSetResponse;
  }

  async function world(format: 'opaque' | 'jwt') {
    const app = await server.app({ scope: 'openid project:read', access_token_format: format });
    const user = await server.user();
    const a: Workspace = await server.workspace({ name: 'A', owner: user });
    const b: Workspace = await server.workspace({ name: 'B', owner: user });
    const agent = new TestAgent(server.url);
    const wide = await authorize(agent, app, user, [a.id, b.id]);
    expect(await reached(app, wide.access_token)).toEqual([a.id, b.id].sort());
    const narrow = await authorize(agent, app, user, [b.id], 'consent');
    return { app, user, a, b, wide, narrow };
  }

  it.each(['opaque', 'jwt'] as const)('the refresh token of the wider consent mints nothing that reaches the removed workspace (%s access tokens)', async (format) => {
    const { app, b, wide } = await world(format);
    const refreshed = await refresh(app, wide.refresh_token!);
    if (refreshed.status === 200) {
      expect(await reached(app, refreshed.body.access_token)).toEqual([b.id]);
    } else {
      expect(refreshed.status).toBe(400);
      expect(refreshed.body.error).toBe('invalid_grant');
    }
  });

  it.each(['opaque', 'jwt'] as const)('the access token of the wider consent no longer reaches the removed workspace (%s)', async (format) => {
    const { app, a, wide } = await world(format);
    expect(await reached(app, wide.access_token)).not.toContain(a.id);
  });

  it('the narrower consent works, and the connected-apps page shows what the tokens reach', async () => {
    const { app, user, b, narrow } = await world('opaque');
    expect(await reached(app, narrow.access_token)).toEqual([b.id]);
    const refreshed = await refresh(app, narrow.refresh_token!);
    expect(refreshed.status).toBe(200);
    expect(await reached(app, refreshed.body.access_token)).toEqual([b.id]);
    const [connected] = await listConnectedApps(server.gatehouse.deps, user.id);
    expect(connected!.workspaces.map((workspace) => workspace.id)).toEqual([b.id]);
  });

  it('a refresh never mints beyond the consent as it stands now, even when nothing revoked the family', async () => {
    const app = await server.app({ scope: 'openid project:read' });
    const user = await server.user();
    const a = await server.workspace({ name: 'A', owner: user });
    const b = await server.workspace({ name: 'B', owner: user });
    const wide = await authorize(new TestAgent(server.url), app, user, [a.id, b.id]);
    // The consent row alone is narrowed: the defence at refresh, not the revocation, must hold.
    const { db } = server.gatehouse.deps.stores as KyselyStores;
    await db.updateTable('grants').set({ workspace_ids: JSON.stringify([b.id]) }).where('user_id', '=', user.id).execute();
    const refreshed = await refresh(app, wide.refresh_token!);
    expect(refreshed.status).toBe(200);
    expect(await reached(app, refreshed.body.access_token)).toEqual([b.id]);
    const again = await refresh(app, refreshed.body.refresh_token);
    expect(await reached(app, again.body.access_token)).toEqual([b.id]);
    // Nothing left of the consent: the refresh token is refused.
    await db.updateTable('grants').set({ workspace_ids: JSON.stringify([]) }).where('user_id', '=', user.id).execute();
    const none = await refresh(app, again.body.refresh_token);
    expect(none.status).toBe(400);
    expect(none.body.error).toBe('invalid_grant');
  });
});
