/**
 * RFC 8252 §7.3: a native app (a CLI, an MCP client) registers `http://localhost/callback` and
 * listens on an ephemeral port chosen per run. The authorization endpoint admits any port on the
 * registered loopback host, path and query unchanged; the token request repeats the exact value
 * the authorization request carried (RFC 6749 §4.1.3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, pkcePair } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { authorizationQuery, postForm } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

describe.each(testDatabases())('loopback redirect URIs on any port on $name', (factory) => {
  let server: TestServer;
  let app: { clientId: string };
  let user: { username: string; password: string };

  beforeAll(async () => {
    server = await startTestServer(factory);
    app = await server.app({ redirect_uris: ['http://localhost/callback', 'http://[::1]/cb?mode=cli'], token_endpoint_auth_method: 'none' });
    user = await server.user();
  });
  afterAll(async () => server?.close());

  async function authorize(redirectUri: string) {
    const { verifier, challenge } = await pkcePair();
    const agent = new TestAgent(server.url);
    let page = await agent.navigate(`${server.url}/oauth/authorize?${authorizationQuery(app.clientId, challenge, { redirect_uri: redirectUri })}`);
    if (page.body.includes('name="password"')) page = await agent.submit(page, '/login', { username: user.username, password: user.password });
    if (!page.location && page.status === 200) page = await agent.submit(page, '/consent', { decision: 'allow' });
    return { page, verifier };
  }

  it('admits localhost on a port chosen per run, for a second run on another port too, and redeems with the same value', async () => {
    for (const port of [61234, 50123]) {
      const redirectUri = `http://localhost:${port}/callback`;
      const { page, verifier } = await authorize(redirectUri);
      const location = new URL(page.location!);
      expect(location.origin + location.pathname).toBe(redirectUri);
      const token = await postForm(server, '/oauth/token', {
        grant_type: 'authorization_code', client_id: app.clientId, code: location.searchParams.get('code')!, code_verifier: verifier, redirect_uri: redirectUri,
      });
      expect(token.status).toBe(200);
      expect(token.body.access_token).toBeTypeOf('string');
    }
  });

  it('refuses at the token endpoint a port other than the one the authorization request used', async () => {
    const { page, verifier } = await authorize('http://localhost:61234/callback');
    const code = new URL(page.location!).searchParams.get('code')!;
    const token = await postForm(server, '/oauth/token', {
      grant_type: 'authorization_code', client_id: app.clientId, code, code_verifier: verifier, redirect_uri: 'http://localhost:61235/callback',
    });
    expect(token.status).toBe(400);
    expect(token.body.error).toBe('invalid_grant');
  });

  it('keeps the host, path and query exact: another path, another loopback host, https or another query is an error page', async () => {
    for (const redirectUri of [
      'http://localhost:61234/other',
      'http://localhost:61234/callback/',
      'http://127.0.0.1:61234/callback',
      'https://localhost:61234/callback',
      'http://[::1]:4000/cb?mode=web',
      'http://[::1]:4000/cb',
    ]) {
      const { page } = await authorize(redirectUri);
      expect(page.status, redirectUri).toBe(400);
      expect(page.location, redirectUri).toBeUndefined();
      expect(page.body, redirectUri).toContain('data-oauth-error="invalid_request"');
    }
  });

  it('admits the IPv6 literal with its query on any port', async () => {
    const { page } = await authorize('http://[::1]:4000/cb?mode=cli');
    const location = new URL(page.location!);
    expect(location.host).toBe('[::1]:4000');
    expect(location.searchParams.get('mode')).toBe('cli');
    expect(location.searchParams.get('code')).toBeTypeOf('string');
  });
});
