import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, type AgentResponse } from '../../testing/agent.js';
import { testDatabases } from '../../testing/databases.js';
import { signInForTokens, postForm, clientAuth } from '../../testing/flows.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';
import { exampleRequests, safeReturnTo } from './index.js';

const sqlite = testDatabases().find((factory) => factory.name === 'sqlite')!;

/** Posts to exactly `path` with the CSRF token of `page` (TestAgent.submit matches action prefixes). */
function post(agent: TestAgent, page: AgentResponse, path: string, fields: Record<string, string> = {}) {
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(page.body)![1]!;
  return agent.navigate(path, { form: { csrf_token: csrf, ...fields } });
}

async function signIn(server: TestServer, user: { username: string; password: string }, agent = new TestAgent(server.url)) {
  const login = await agent.navigate('/login');
  const home = await agent.submit(login, '/login', { username: user.username, password: user.password });
  expect(home.status).toBe(200);
  return agent;
}

describe.each(testDatabases())('first-run setup on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  it('shows the setup page on an empty database and creates exactly one admin under concurrent posts', async () => {
    const agents = Array.from({ length: 4 }, () => new TestAgent(server.url));
    const pages = await Promise.all(agents.map((agent) => agent.navigate('/')));
    for (const page of pages) expect(page.body).toContain('Create administrator');
    const results = await Promise.all(
      agents.map((agent, i) => agent.submit(pages[i]!, '/setup', { username: `admin${i}`, password: 'correct horse battery', email: `admin${i}@example.com` })),
    );
    const winners = results.filter((result) => result.body.includes('Welcome,'));
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((result) => !result.body.includes('Welcome,'))) expect(loser.status).toBe(409);
    const users = await server.gatehouse.deps.stores.listUsers();
    expect(users).toHaveLength(1);
    expect(users[0]!.isAdmin).toBe(true);

    // Afterwards: no setup page, and a new setup post is refused.
    const anonymous = new TestAgent(server.url);
    const root = await anonymous.request('/');
    expect(root.status).toBe(302);
    expect(root.location).toBe('/login');
    const again = await anonymous.submit(await anonymous.navigate('/login'), '/login', { username: 'x', password: 'y' });
    expect(again.status).toBe(401);
    const late = await agents[0]!.submit(pages[0]!, '/setup', { username: 'late', password: 'correct horse battery', email: 'late@example.com' });
    expect(late.status).toBe(409);
    expect(await server.gatehouse.deps.stores.countUsers()).toBe(1);
  });
});

describe('console route rules', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(sqlite);
    await server.user({ username: 'firstadmin', isAdmin: true });
  });
  afterAll(async () => server?.close());

  it('validates setup input without claiming setup', async () => {
    const fresh = await startTestServer(sqlite);
    try {
      const agent = new TestAgent(fresh.url);
      const page = await agent.navigate('/');
      const bad = await agent.submit(page, '/setup', { username: 'a', password: 'short', email: 'nope' });
      expect(bad.status).toBe(400);
      expect(bad.body).toContain('href="#username"');
      const good = await agent.submit(bad, '/setup', { username: 'root', password: 'correct horse battery', email: 'root@example.com' });
      expect(good.body).toContain('Welcome, root');
    } finally {
      await fresh.close();
    }
  });

  it('redirects unauthenticated console pages to /login with return_to', async () => {
    const agent = new TestAgent(server.url);
    for (const path of ['/account', '/account/connected-apps', '/account/workspaces', '/developer/apps', '/developer/apps/new', '/admin']) {
      const response = await agent.request(path);
      expect(response.status, path).toBe(302);
      expect(response.location).toBe(`/login?return_to=${encodeURIComponent(path)}`);
    }
    expect((await agent.request('/connected-apps')).location).toBe('/account/connected-apps');
    expect((await agent.request('/workspaces')).location).toBe('/account/workspaces');
  });

  it('returns to a relative return_to after sign-in and refuses open redirects', async () => {
    const user = await server.user();
    for (const [target, expected] of [
      ['/account/workspaces?x=1', '/account/workspaces?x=1'],
      ['//evil.example/', '/'],
      ['https://evil.example/', '/'],
      ['/\\evil.example', '/'],
      ['javascript:alert(1)', '/'],
    ] as const) {
      const agent = new TestAgent(server.url);
      const login = await agent.navigate(`/login?return_to=${encodeURIComponent(target)}`);
      expect(login.body).toContain('Sign in');
      const response = await agent.request('/login', {
        form: { csrf_token: /name="csrf_token" value="([^"]+)"/.exec(login.body)![1]!, username: user.username, password: user.password, return_to: target },
      });
      expect(response.status).toBe(303);
      expect(response.location, target).toBe(expected);
    }
    expect(safeReturnTo('/ok#frag')).toBe('/ok#frag');
    expect(safeReturnTo('/%2F%2Fevil')).toBe('/%2F%2Fevil');
    expect(safeReturnTo('/\tx')).toBeUndefined();
  });

  it('rejects forms without the CSRF token with a 403 page', async () => {
    const user = await server.user();
    const agent = await signIn(server, user);
    for (const path of ['/account/profile', '/logout', '/login', '/developer/apps/new', '/admin/keys/rotate', '/setup']) {
      const response = await agent.request(path, { form: { name: 'x', csrf_token: 'forged-token-forged-token-forged-token' } });
      expect(response.status, path).toBe(403);
      expect(response.body).toContain('Form expired');
    }
    const still = await agent.request('/account');
    expect(still.status).toBe(200);
  });

  it('keeps admin pages to administrators', async () => {
    const user = await server.user();
    const agent = await signIn(server, user);
    expect((await agent.request('/admin')).status).toBe(403);
    const account = await agent.navigate('/account');
    const token = /name="csrf_token" value="([^"]+)"/.exec(account.body)![1]!;
    const other = await server.user();
    const response = await agent.request(`/admin/users/${other.id}/disable`, { form: { csrf_token: token } });
    expect(response.status).toBe(403);
    expect((await server.gatehouse.deps.stores.findUserById(other.id))!.disabledAt).toBeNull();
  });

  it('signs out with POST /logout', async () => {
    const user = await server.user();
    const agent = await signIn(server, user);
    const account = await agent.navigate('/account');
    const out = await agent.submit(account, '/logout', {});
    expect(out.url).toContain('/login');
    expect(agent.hasCookie('gatehouse_session')).toBe(false);
    expect((await agent.request('/account')).status).toBe(302);
  });

  it('updates the profile and changes the password with field errors', async () => {
    const user = await server.user();
    const agent = await signIn(server, user);
    let page = await agent.navigate('/account');
    page = await agent.submit(page, '/account/profile', { name: 'Grace Hopper', email: 'grace@example.com', picture: 'ftp://x/y.png' });
    expect(page.status).toBe(400);
    expect(page.body).toContain('href="#account-picture"');
    page = await agent.submit(page, '/account/profile', { name: 'Grace Hopper', email: 'grace@example.com', picture: 'https://example.com/g.png' });
    expect(page.body).toContain('Your profile was saved.');
    expect((await server.gatehouse.deps.stores.findUserById(user.id))!).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com', picture: 'https://example.com/g.png' });

    page = await agent.submit(page, '/account/password', { current_password: 'wrong password', new_password: 'a new long password' });
    expect(page.status).toBe(400);
    expect(page.body).toContain('href="#account-current_password"');
    page = await agent.submit(page, '/account/password', { current_password: user.password, new_password: 'a new long password' });
    expect(page.body).toContain('Your password was changed.');
    await signIn(server, { username: user.username, password: 'a new long password' });
  });

  it('answers 404 for apps owned by someone else, and lets workspace admins manage workspace apps', async () => {
    const owner = await server.user();
    const stranger = await server.user();
    const wsAdmin = await server.user();
    const member = await server.user();
    const ws = await server.workspace({ name: 'Acme', owner });
    await server.addMember(ws, wsAdmin, 'admin');
    await server.addMember(ws, member, 'member');
    const personal = await server.app({ ownerUserId: owner.id });
    const shared = await server.app({ ownerWorkspaceId: ws.id });

    const strangerAgent = await signIn(server, stranger);
    for (const id of [personal.clientId, shared.clientId]) {
      expect((await strangerAgent.request(`/developer/apps/${id}`)).status).toBe(404);
      expect((await strangerAgent.request(`/developer/apps/${id}/edit`)).status).toBe(404);
    }
    const page = await strangerAgent.navigate('/developer/apps');
    const token = /name="csrf_token" value="([^"]+)"/.exec(page.body)![1]!;
    expect((await strangerAgent.request(`/developer/apps/${personal.clientId}/delete`, { form: { csrf_token: token } })).status).toBe(404);
    expect(await server.gatehouse.deps.stores.findClient(personal.clientId)).toBeDefined();

    const memberAgent = await signIn(server, member);
    expect((await memberAgent.request(`/developer/apps/${shared.clientId}`)).status).toBe(404);
    const adminAgent = await signIn(server, wsAdmin);
    expect((await adminAgent.request(`/developer/apps/${shared.clientId}`)).status).toBe(200);
    expect((await adminAgent.navigate('/developer/apps')).body).toContain(shared.clientId);
    const ownerAgent = await signIn(server, owner);
    const list = await ownerAgent.navigate('/developer/apps');
    expect(list.body).toContain(personal.clientId);
    expect(list.body).toContain(shared.clientId);
  });

  it('creates an app with field errors mapped to form fields, shows the secret once and never stores it', async () => {
    const user = await server.user();
    const agent = await signIn(server, user);
    const form = await agent.navigate('/developer/apps/new');
    const fields = {
      name: 'Ledger',
      redirect_uris: 'http://evil.example/cb',
      token_endpoint_auth_method: 'client_secret_post',
      grant_type: ['authorization_code', 'refresh_token'],
      scope: ['openid', 'profile'],
      visibility: 'public',
      owner: 'me',
      access_token_ttl: '',
      refresh_token_ttl: '',
      id_token_signed_response_alg: 'RS256',
      access_token_format: 'opaque',
    };
    const bad = await agent.submit(form, '/developer/apps/new', { ...fields, homepage_url: 'javascript:alert(1)' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('href="#app-redirect-uris"');
    const bad2 = await agent.submit(form, '/developer/apps/new', { ...fields, redirect_uris: 'https://ledger.example/cb', homepage_url: 'javascript:alert(1)' });
    expect(bad2.body).toContain('href="#app-homepage-url"');
    const bad3 = await agent.submit(form, '/developer/apps/new', { ...fields, redirect_uris: 'https://ledger.example/cb', owner: 'workspace:nope' });
    expect(bad3.body).toContain('href="#app-owner"');

    const response = await agent.request('/developer/apps/new', {
      form: { ...fields, redirect_uris: 'https://ledger.example/cb\r\nhttp://127.0.0.1:9999/callback', csrf_token: /name="csrf_token" value="([^"]+)"/.exec(form.body)![1]! },
    });
    expect(response.status).toBe(200);
    const secret = /id="new-client-secret"[^>]*value="([^"]+)"/.exec(response.body)![1]!;
    const clientId = /id="new-client-id"[^>]*value="([^"]+)"/.exec(response.body)![1]!;
    expect(secret).toMatch(/^gcs_/);
    const detail = await agent.navigate(`/developer/apps/${clientId}`);
    expect(detail.body).not.toContain(secret);
    expect(detail.body).toContain('code_challenge=CODE_CHALLENGE');
    const client = (await server.gatehouse.deps.stores.findClient(clientId))!;
    expect(client.ownerUserId).toBe(user.id);
    expect(client.redirectUris).toEqual(['https://ledger.example/cb', 'http://127.0.0.1:9999/callback']);
    // It works at the token endpoint (client credentials are not enabled, so use the code flow).
    const tokens = await signInForTokens(server, { clientId, clientSecret: secret }, { scope: 'openid profile' });
    expect(tokens.access_token).toBeTruthy();
  });

  it('edits an app with field errors, and deleting it kills its tokens', async () => {
    const owner = await server.user();
    const app = await server.app({ client_name: 'Editable', ownerUserId: owner.id, token_endpoint_auth_method: 'client_secret_post' });
    const tokens = await signInForTokens(server, app);
    const agent = await signIn(server, owner);
    const edit = await agent.navigate(`/developer/apps/${app.clientId}/edit`);
    expect(edit.body).toContain('value="Editable"');
    const fields = {
      name: 'Edited',
      redirect_uris: 'http://127.0.0.1:9999/callback',
      token_endpoint_auth_method: 'none',
      grant_type: ['authorization_code', 'refresh_token'],
      scope: ['openid', 'profile', 'email'],
      visibility: 'public',
      owner: 'me',
    };
    const refused = await agent.submit(edit, `/developer/apps/${app.clientId}/edit`, fields);
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('href="#app-token-endpoint-auth-method"');
    const saved = await agent.submit(edit, `/developer/apps/${app.clientId}/edit`, { ...fields, token_endpoint_auth_method: 'client_secret_post', access_token_ttl: '600' });
    expect(saved.body).toContain('Changes saved.');
    expect(await server.gatehouse.deps.stores.findClient(app.clientId)).toMatchObject({ name: 'Edited', visibility: 'public', accessTokenTtl: 600 });
    expect(saved.body).toContain('1 authorized user');

    const deleted = await agent.submit(saved, `/developer/apps/${app.clientId}/delete`, {});
    expect(deleted.body).toContain('App deleted.');
    expect(await server.gatehouse.deps.stores.findClient(app.clientId)).toBeUndefined();
    expect((await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
  });

  it('lets administrators verify apps, edit the scope catalogue and rotate signing keys', async () => {
    const admin = await server.user({ isAdmin: true });
    const app = await server.app({ client_name: 'To Verify' });
    const agent = await signIn(server, admin);
    let page = await agent.navigate('/admin');
    page = await post(agent, page, `/admin/apps/${app.clientId}/verify`);
    expect(page.body).toContain('App marked as verified.');
    expect((await server.gatehouse.deps.stores.findClient(app.clientId))!.verified).toBe(true);
    page = await post(agent, page, `/admin/apps/${app.clientId}/unverify`);
    expect((await server.gatehouse.deps.stores.findClient(app.clientId))!.verified).toBe(false);

    page = await post(agent, page, '/admin/scopes', { name: 'Bad Name', description: 'x' });
    expect(page.status).toBe(400);
    expect(page.body).toContain('id="new-scope-name-error"');
    page = await post(agent, page, '/admin/scopes', { name: 'report:read', description: 'See your reports', requires_workspace: 'on' });
    expect(page.body).toContain('Scope created.');
    page = await post(agent, page, '/admin/scopes/report%3Aread', { description: 'See and export your reports' });
    expect(page.body).toContain('Scope saved.');
    expect(await server.gatehouse.deps.stores.findScopes(['report:read'])).toEqual([{ name: 'report:read', description: 'See and export your reports', requiresWorkspace: false, builtin: false }]);
    page = await post(agent, page, '/admin/scopes/openid', { description: 'hijack' });
    expect(page.status).toBe(400);

    const before = (await (await fetch(`${server.url}/oauth/jwks`)).json()) as { keys: Array<{ kid: string; alg: string }> };
    const currentBefore = server.gatehouse.deps.keys.signer('ES256').kid;
    page = await post(agent, page, '/admin/keys/rotate', { alg: 'ES256' });
    expect(page.body).toContain('Signing keys rotated.');
    expect(server.gatehouse.deps.keys.signer('ES256').kid).not.toBe(currentBefore);
    expect(before.keys.some((key) => key.kid === server.gatehouse.deps.keys.signer('ES256').kid)).toBe(true);

    page = await agent.navigate('/admin?q=nobody-matches-this');
    expect(page.body).toContain('No users match this search.');
    page = await post(agent, page, '/admin/users/search', { q: 'nobody-matches-this-either' });
    expect(page.url).toContain('/admin?q=nobody-matches-this-either');
    expect(page.body).toContain('No users match this search.');
  });

  it('sends console pages with Cache-Control: no-store', async () => {
    for (const path of ['/login', '/apps']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('keeps signup to servers that enable it, and returns to a pending authorization', async () => {
    const closed = await startTestServer(sqlite, { config: (base) => ({ ...base, signupEnabled: false }) });
    try {
      await closed.user();
      const agent = new TestAgent(closed.url);
      expect((await agent.request('/signup')).status).toBe(404);
      expect((await agent.request('/signup', { form: { username: 'x' } })).status).toBe(404);
      expect((await agent.navigate('/login')).body).not.toContain('Create account');
    } finally {
      await closed.close();
    }

    const { clientId, clientSecret } = await server.app();
    const agent = new TestAgent(server.url);
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: 'http://127.0.0.1:9999/callback', scope: 'openid', state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' });
    const login = await agent.navigate(`/oauth/authorize?${query}`);
    const signupUrl = /href="(\/signup\?interaction=[^"]+)"/.exec(login.body)![1]!.replace(/&amp;/g, '&');
    const signup = await agent.navigate(signupUrl);
    const interaction = new URL(signupUrl, server.url).searchParams.get('interaction')!;
    expect(signup.body).toContain(`name="interaction" value="${interaction}"`);
    const missing = await agent.submit(signup, '/signup', { username: 'newbie', password: 'correct horse battery', interaction });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('href="#email"');
    const consent = await agent.submit(missing, '/signup', { username: 'newbie', password: 'correct horse battery', email: 'newbie@example.com', interaction });
    expect(consent.url).toContain('/interaction/');
    expect(consent.body).toContain('Allow');
    void clientSecret;
  });

  it('revokes a connected app and kills its tokens', async () => {
    const app = await server.app({ client_name: 'Revokable' });
    const user = await server.user();
    const tokens = await signInForTokens(server, app, { user });
    const agent = await signIn(server, user);
    const page = await agent.navigate('/account/connected-apps');
    expect(page.body).toContain('Revokable');
    const other = await server.user();
    const otherAgent = await signIn(server, other);
    const grantId = /action="\/account\/connected-apps\/([^/"]+)\/revoke"/.exec(page.body)![1]!;
    const otherPage = await otherAgent.navigate('/account/connected-apps');
    const otherToken = /name="csrf_token" value="([^"]+)"/.exec(otherPage.body)![1]!;
    expect((await otherAgent.request(`/account/connected-apps/${grantId}/revoke`, { form: { csrf_token: otherToken } })).status).toBe(404);

    const after = await agent.submit(page, `/account/connected-apps/${grantId}/revoke`, {});
    expect(after.body).toContain('Access revoked');
    expect(after.body).not.toContain('Revokable');
    const info = await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(401);
    const introspection = await postForm(server, '/oauth/introspect', { token: tokens.refresh_token!, ...clientAuth(app) });
    expect(introspection.body.active).toBe(false);
  });

  it('manages workspaces: create, add, change role, remove, leave, and refuses to lose the last owner', async () => {
    const alice = await server.user();
    const bob = await server.user();
    const carol = await server.user();
    const agent = await signIn(server, alice);
    let page: AgentResponse = await agent.navigate('/account/workspaces');
    page = await agent.submit(page, '/account/workspaces', { name: 'Bad', slug: 'Bad Slug' });
    expect(page.status).toBe(400);
    expect(page.body).toContain('id="ws-slug-error"');
    const slug = `lab-${Date.now()}`;
    page = await agent.submit(page, '/account/workspaces', { name: 'Lab', slug });
    expect(page.body).toContain('Workspace created.');
    const ws = (await server.gatehouse.deps.stores.findWorkspaceBySlug(slug))!;
    page = await post(agent, page, `/account/workspaces/${ws.id}/members`, { username: bob.username, role: 'member' });
    expect(page.body).toContain('Member added.');
    page = await post(agent, page, `/account/workspaces/${ws.id}/members`, { username: 'no-such-user', role: 'member' });
    expect(page.status).toBe(400);
    page = await post(agent, page, `/account/workspaces/${ws.id}/members/${encodeURIComponent(bob.username)}/role`, { role: 'admin' });
    expect(page.body).toContain('Role changed.');
    page = await post(agent, page, `/account/workspaces/${ws.id}/members/${encodeURIComponent(alice.username)}/role`, { role: 'member' });
    expect(page.status).toBe(400);
    expect(page.body).toContain('only owner');
    page = await post(agent, page, `/account/workspaces/${ws.id}/leave`, {});
    expect(page.status).toBe(400);
    expect(await server.gatehouse.deps.stores.findMembership(ws.id, alice.id)).toBe('owner');

    // Bob (admin) cannot remove or demote the owner, but can add and remove members.
    const bobAgent = await signIn(server, bob);
    let bobPage = await bobAgent.navigate('/account/workspaces');
    bobPage = await post(bobAgent, bobPage, `/account/workspaces/${ws.id}/members`, { username: carol.username, role: 'member' });
    expect(bobPage.body).toContain('Member added.');
    bobPage = await post(bobAgent, bobPage, `/account/workspaces/${ws.id}/members/${encodeURIComponent(alice.username)}/remove`, {});
    expect(bobPage.status).toBe(403);
    bobPage = await post(bobAgent, bobPage, `/account/workspaces/${ws.id}/members/${encodeURIComponent(carol.username)}/remove`, {});
    expect(bobPage.body).toContain('Member removed.');
    // Carol is no member any more: her requests for the workspace are 404.
    const carolAgent = await signIn(server, carol);
    const carolPage = await carolAgent.navigate('/account/workspaces');
    const token = /name="csrf_token" value="([^"]+)"/.exec(carolPage.body)![1]!;
    expect((await carolAgent.request(`/account/workspaces/${ws.id}/leave`, { form: { csrf_token: token } })).status).toBe(404);
    bobPage = await post(bobAgent, bobPage, `/account/workspaces/${ws.id}/leave`, {});
    expect(bobPage.body).toContain('You left the workspace.');
    expect(await server.gatehouse.deps.stores.findMembership(ws.id, bob.id)).toBeUndefined();
  });

  it('shows public apps in the directory, unlisted by link only, internal to workspace members only', async () => {
    const owner = await server.user();
    const member = await server.user();
    const outsider = await server.user();
    const ws = await server.workspace({ name: 'Guild', owner });
    await server.addMember(ws, member);
    const pub = await server.app({ client_name: 'Public Pal', visibility: 'public' });
    const unlisted = await server.app({ client_name: 'Hidden Helper', visibility: 'unlisted' });
    const internal = await server.app({ client_name: 'Guild Tool', visibility: 'internal', ownerWorkspaceId: ws.id });
    const anonymous = new TestAgent(server.url);
    const directory = await anonymous.navigate('/apps');
    expect(directory.body).toContain('Public Pal');
    expect(directory.body).not.toContain('Hidden Helper');
    expect(directory.body).not.toContain('Guild Tool');
    expect((await anonymous.request(`/apps/${pub.clientId}`)).status).toBe(200);
    expect((await anonymous.request(`/apps/${unlisted.clientId}`)).body).toContain('Hidden Helper');
    expect((await anonymous.request(`/apps/${internal.clientId}`)).status).toBe(404);
    expect((await (await signIn(server, outsider)).request(`/apps/${internal.clientId}`)).status).toBe(404);
    expect((await (await signIn(server, member)).request(`/apps/${internal.clientId}`)).body).toContain('Guild Tool');
  });

  it('builds example requests for the app settings', () => {
    const base = { id: 'abc', redirectUris: ['https://a.example/cb'], scopes: ['openid', 'project:read'], grantTypes: ['authorization_code'] } as never;
    const basic = exampleRequests('https://id.example', { ...(base as object), tokenEndpointAuthMethod: 'client_secret_basic' } as never);
    expect(basic.authorizeUrl).toContain('https://id.example/oauth/authorize?response_type=code&client_id=abc');
    expect(basic.authorizeUrl).toContain('code_challenge_method=S256');
    expect(basic.curl).toContain("-u 'abc:CLIENT_SECRET'");
    const post = exampleRequests('https://id.example', { ...(base as object), tokenEndpointAuthMethod: 'client_secret_post' } as never);
    expect(post.curl).toContain('-d client_secret=CLIENT_SECRET');
  });
});
