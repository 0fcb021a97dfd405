import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, pkcePair } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { TEST_REDIRECT_URI, authorizationQuery, clientAuth, postForm } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

const STAYS_CONNECTED = 'stays connected until you disconnect it';

/** What the consent page says: refresh tokens (OIDC Core §11) and where Allow leads. */
describe.each(testDatabases())('consent page on $name', (factory) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  async function authorize(agent: TestAgent, clientId: string, options: { scope?: string; redirectUri?: string } = {}) {
    const { verifier, challenge } = await pkcePair();
    const query = authorizationQuery(clientId, challenge, { redirect_uri: options.redirectUri ?? TEST_REDIRECT_URI, scope: options.scope ?? 'openid profile' });
    return { page: await agent.navigate(`${server.url}/oauth/authorize?${query}`), verifier };
  }

  /** Signs a new user in and returns the consent page for the request. */
  async function consentFor(clientId: string, options: { scope?: string; redirectUri?: string } = {}) {
    const user = await server.user();
    const agent = new TestAgent(server.url);
    const { page: login, verifier } = await authorize(agent, clientId, options);
    expect(login.body).toContain('name="password"');
    const consent = await agent.submit(login, '/login', { username: user.username, password: user.password });
    return { agent, consent, verifier, text: textOf(consent.body) };
  }

  async function exchange(app: { clientId: string; clientSecret: string | undefined }, location: string, verifier: string, redirectUri = TEST_REDIRECT_URI) {
    const code = new URL(location).searchParams.get('code');
    expect(code, location).toBeTruthy();
    return postForm(server, '/oauth/token', { grant_type: 'authorization_code', code: code!, code_verifier: verifier, redirect_uri: redirectUri, ...clientAuth(app) });
  }

  const textOf = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

  it('says the app stays connected when a refresh token will be issued, and one is', async () => {
    const app = await server.app({ client_name: 'Ledger' });
    const { agent, consent, verifier, text } = await consentFor(app.clientId);
    expect(consent.body).toContain('Allow');
    expect(text).toContain(`Ledger ${STAYS_CONNECTED}`);
    const callback = await agent.submit(consent, '/consent', { decision: 'allow' });
    const tokens = await exchange(app, callback.location!, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.body.refresh_token).toMatch(/^grt_/);
  });

  it('does not say so when no refresh token will be issued, and ignores offline_access for such an app (OIDC Core §11)', async () => {
    const app = await server.app({ grant_types: ['authorization_code'], scope: 'openid profile offline_access' });
    const { agent, consent, verifier, text } = await consentFor(app.clientId, { scope: 'openid profile offline_access' });
    expect(consent.body).toContain('Allow');
    expect(text).not.toContain(STAYS_CONNECTED);
    expect(consent.body).not.toContain('offline_access');
    const callback = await agent.submit(consent, '/consent', { decision: 'allow' });
    expect(callback.location).not.toContain('error=');
    const tokens = await exchange(app, callback.location!, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.body.refresh_token).toBeUndefined();
    expect(tokens.body.scope).toBe('openid profile');
  });

  it('accepts offline_access from an app with the refresh_token grant that did not list it among its scopes', async () => {
    const app = await server.app({ scope: 'openid profile' });
    const { agent, consent, verifier, text } = await consentFor(app.clientId, { scope: 'openid offline_access' });
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('Allow');
    expect(text).toContain(STAYS_CONNECTED);
    const callback = await agent.submit(consent, '/consent', { decision: 'allow' });
    const tokens = await exchange(app, callback.location!, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.body.scope).toBe('openid offline_access');
    expect(tokens.body.refresh_token).toMatch(/^grt_/);
    const refreshed = await postForm(server, '/oauth/token', { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token, ...clientAuth(app) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.scope).toBe('openid offline_access');
  });

  it('asks again when offline_access is requested after a consent that did not cover it', async () => {
    const app = await server.app();
    const { agent, consent } = await consentFor(app.clientId, { scope: 'openid profile' });
    const first = await agent.submit(consent, '/consent', { decision: 'allow' });
    expect(first.location).toContain('code=');
    const repeat = await authorize(agent, app.clientId, { scope: 'openid profile' });
    expect(repeat.page.location, 'the same request is covered').toContain('code=');
    const offline = await authorize(agent, app.clientId, { scope: 'openid profile offline_access' });
    expect(offline.page.location).toBeUndefined();
    expect(offline.page.body).toContain('Allow');
    expect(textOf(offline.page.body)).toContain(STAYS_CONNECTED);
    const approved = await agent.submit(offline.page, '/consent', { decision: 'allow' });
    expect(approved.location).toContain('code=');
    const again = await authorize(agent, app.clientId, { scope: 'openid profile offline_access' });
    expect(again.page.location, 'now covered').toContain('code=');
  });

  it('lists offline_access in discovery', async () => {
    const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
    expect(discovery.scopes_supported).toContain('offline_access');
  });

  it('names the native app a private-use redirect opens, not the homepage', async () => {
    const app = await server.app({
      client_name: 'Pocket',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['com.example.app:/cb'],
      client_uri: 'https://homepage.example/',
    });
    const { text } = await consentFor(app.clientId, { redirectUri: 'com.example.app:/cb' });
    expect(text).toContain('Allowing will open com.example.app.');
    expect(text).not.toContain('redirect you to homepage.example');
  });

  it("names the redirect URI's host, with the port for a loopback redirect", async () => {
    const web = await server.app({ redirect_uris: ['https://app.example/cb'], client_uri: 'https://homepage.example/' });
    expect((await consentFor(web.clientId, { redirectUri: 'https://app.example/cb' })).text).toContain('Allowing will redirect you to app.example.');
    const loopback = await server.app({ redirect_uris: ['http://127.0.0.1:9999/callback'], client_uri: 'https://homepage.example/' });
    // Loopback redirects match on any port (RFC 8252 §7.3): the page names the one requested.
    const { text } = await consentFor(loopback.clientId, { redirectUri: 'http://127.0.0.1:51234/callback' });
    expect(text).toContain('Allowing will redirect you to 127.0.0.1:51234.');
    expect(text).not.toContain('redirect you to homepage.example');
  });
});
