import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAuthMethods, DEFAULT_AUTH_METHOD, RECOMMENDED_AUTH_METHOD } from '../../core/client-auth/methods.js';
import { defaultGrantTypes, grantRegistry } from '../../core/grants/registry.js';
import { TestAgent, type AgentResponse } from '../../testing/agent.js';
import { testDatabases } from '../../testing/databases.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';

/** The input named `name` with value `value` on the page, as its attribute text. */
const input = (html: string, name: string, value: string): string => {
  const tag = [...html.matchAll(/<input\b[^>]*>/g)].map((match) => match[0]).find((tag) => tag.includes(`name="${name}"`) && tag.includes(`value="${value}"`));
  if (!tag) throw new Error(`no input ${name}=${value}`);
  return tag;
};

/** The developer console's app form offers what core's registries list, and starts from their defaults. */
describe('the app form and the registries', () => {
  let server: TestServer;
  let agent: TestAgent;
  let form: AgentResponse;

  beforeAll(async () => {
    server = await startTestServer(testDatabases()[0]!);
    const user = await server.user();
    agent = new TestAgent(server.url);
    await agent.submit(await agent.navigate('/login'), '/login', { username: user.username, password: user.password });
    form = await agent.navigate('/developer/apps/new');
    expect(form.status).toBe(200);
  });
  afterAll(async () => server?.close());

  it('offers every registered auth method and grant type with its description, ticking the recommended method and the default grants', () => {
    for (const method of clientAuthMethods) {
      const tag = input(form.body, 'token_endpoint_auth_method', method.name);
      expect(tag.includes('checked'), method.name).toBe(method.name === RECOMMENDED_AUTH_METHOD);
      expect(form.body).toContain(method.description);
    }
    for (const grant of grantRegistry) {
      const tag = input(form.body, 'grant_type', grant.grantType);
      expect(tag.includes('checked'), grant.grantType).toBe(defaultGrantTypes.includes(grant.grantType));
      expect(form.body).toContain(grant.description);
    }
  });

  it('registers a form without an auth method with the recommended one, not the API default', async () => {
    expect(RECOMMENDED_AUTH_METHOD).not.toBe(DEFAULT_AUTH_METHOD);
    const created = await agent.submit(form, '/developer/apps/new', {
      name: 'No Method',
      redirect_uris: 'https://app.example/cb',
      grant_type: [...defaultGrantTypes],
      scope: ['openid'],
      visibility: 'unlisted',
      owner: 'me',
    });
    expect(created.status, created.body.slice(0, 500)).toBe(200);
    const clientId = /id="new-client-id"[^>]*value="([^"]+)"/.exec(created.body)![1]!;
    expect((await server.gatehouse.deps.stores.findClient(clientId))!.tokenEndpointAuthMethod).toBe(RECOMMENDED_AUTH_METHOD);
  });
});
