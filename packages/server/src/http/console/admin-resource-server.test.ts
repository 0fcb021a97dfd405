/** The admin page's resource-server checkbox: an administrator lets an app introspect other apps' access tokens. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../../testing/agent.js';
import { testDatabases } from '../../testing/databases.js';
import { clientAuth, postForm, signInForTokens } from '../../testing/flows.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';

const LABEL = 'Resource server (may introspect tokens of other apps)';

describe.each(testDatabases())('admin: resource servers on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  async function signIn(user: { username: string; password: string }) {
    const agent = new TestAgent(server.url);
    const login = await agent.navigate('/login');
    expect((await agent.submit(login, '/login', { username: user.username, password: user.password })).status).toBe(200);
    return agent;
  }
  const flag = async (clientId: string) => (await server.gatehouse.deps.stores.findClient(clientId))!.resourceServer;

  it('sets and clears the flag with a labelled checkbox (CSRF, POST then redirect), and introspection follows it', async () => {
    const admin = await server.user({ isAdmin: true });
    const app = await server.app({ client_name: 'Photo Sorter' });
    const api = await server.app({ client_name: 'Photos API', grant_types: ['client_credentials'], redirect_uris: [] });
    const tokens = await signInForTokens(server, app);
    const introspectAsApi = async () => (await postForm(server, '/oauth/introspect', { token: tokens.access_token, ...clientAuth(api) })).body;
    const agent = await signIn(admin);
    const action = `/admin/apps/${api.clientId}/resource-server`;

    const page = await agent.navigate('/admin');
    const form = [...page.body.matchAll(/<form\b[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((m) => m[1] === action);
    expect(form, 'a form for the API').toBeDefined();
    const input = /<input[^>]*type="checkbox"[^>]*>/.exec(form![2]!)![0];
    const id = /id="([^"]+)"/.exec(input)![1];
    expect(input).toContain('name="resource_server"');
    expect(input).not.toContain('checked');
    expect(form![2]).toContain(`<label for="${id}">${LABEL}`);
    expect(await introspectAsApi()).toEqual({ active: false });

    // Without the form's CSRF token nothing changes.
    const forged = await agent.request(action, { form: { resource_server: 'on' } });
    expect(forged.status).toBe(403);
    expect(await flag(api.clientId)).toBe(false);

    const posted = await agent.request(action, { form: { csrf_token: /name="csrf_token" value="([^"]+)"/.exec(form![2]!)![1]!, resource_server: 'on' } });
    expect(posted.status).toBe(303);
    expect(posted.location).toBe('/admin?notice=app-resource-server-on#apps');
    const after = await agent.navigate(posted.location!);
    expect(after.body).toContain('App marked as a resource server');
    expect(await flag(api.clientId)).toBe(true);
    expect(await introspectAsApi()).toMatchObject({ active: true, client_id: app.clientId });
    const checked = [...after.body.matchAll(/<form\b[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)].find((m) => m[1] === action)![2]!;
    expect(/<input[^>]*type="checkbox"[^>]*>/.exec(checked)![0]).toContain('checked');

    // An unticked checkbox sends nothing: the flag is cleared.
    const cleared = await agent.submit(after, action, {});
    expect(cleared.status).toBe(200);
    expect(cleared.url).toMatch(/notice=app-resource-server-off#apps$/);
    expect(await flag(api.clientId)).toBe(false);
    expect(await introspectAsApi()).toEqual({ active: false });
  });

  it('is for administrators only, and not offered to a public client', async () => {
    const admin = await server.user({ isAdmin: true });
    const member = await server.user();
    const api = await server.app({ grant_types: ['client_credentials'], redirect_uris: [] });
    const spa = await server.app({ client_name: 'Single Page', token_endpoint_auth_method: 'none' });

    const memberAgent = await signIn(member);
    const home = await memberAgent.navigate('/account');
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(home.body)![1]!;
    const refused = await memberAgent.request(`/admin/apps/${api.clientId}/resource-server`, { form: { csrf_token: csrf, resource_server: 'on' } });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(await flag(api.clientId)).toBe(false);

    const agent = await signIn(admin);
    const page = await agent.navigate('/admin');
    expect(page.body).not.toContain(`action="/admin/apps/${spa.clientId}/resource-server"`);
    const token = /name="csrf_token" value="([^"]+)"/.exec(page.body)![1]!;
    const publicClient = await agent.request(`/admin/apps/${spa.clientId}/resource-server`, { form: { csrf_token: token, resource_server: 'on' } });
    expect(publicClient.status).toBe(400);
    expect(publicClient.body).toContain('cannot be a resource server');
    expect(await flag(spa.clientId)).toBe(false);
    expect((await agent.request('/admin/apps/doesnotexist000000000000/resource-server', { form: { csrf_token: token } })).status).toBe(404);
  });
});
