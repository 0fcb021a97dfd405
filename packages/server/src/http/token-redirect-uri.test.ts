/**
 * RFC 6749 §4.1.3: when the authorization request included `redirect_uri`, the token request must
 * repeat the identical value. /oauth/token requires it (a missing required parameter is
 * invalid_request, §5.2); the /oauth/v1 layout keeps accepting a request without it. A wrong value
 * is invalid_grant on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, pkcePair } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { TEST_REDIRECT_URI, postForm } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

describe.each(testDatabases())('redirect_uri at the token endpoint on $name', (factory) => {
  let server: TestServer;
  let app: { clientId: string; clientSecret: string | undefined };

  beforeAll(async () => {
    server = await startTestServer(factory);
    app = await server.app({ token_endpoint_auth_method: 'client_secret_post' });
  });
  afterAll(async () => server?.close());

  /** A code for `app`, with or without redirect_uri in the authorization request. */
  async function code(options: { sendRedirectUri: boolean; agent?: TestAgent; user?: { username: string; password: string } }) {
    const user = options.user ?? (await server.user());
    const agent = options.agent ?? new TestAgent(server.url);
    const { verifier, challenge } = await pkcePair();
    const query = new URLSearchParams({ response_type: 'code', client_id: app.clientId, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    if (options.sendRedirectUri) query.set('redirect_uri', TEST_REDIRECT_URI);
    let page = await agent.navigate(`${server.url}/oauth/authorize?${query}`);
    if (page.body.includes('name="password"')) page = await agent.submit(page, '/login', { username: user.username, password: user.password });
    if (!page.location) page = await agent.submit(page, '/consent', { decision: 'allow' });
    const location = new URL(page.location!);
    expect(location.origin + location.pathname).toBe(TEST_REDIRECT_URI);
    return { code: location.searchParams.get('code')!, verifier, agent, user };
  }

  const exchange = (path: string, form: Record<string, string>) =>
    postForm(server, path, { grant_type: 'authorization_code', client_id: app.clientId, client_secret: app.clientSecret!, ...form });

  it('requires the redirect_uri the authorization request carried on /oauth/token, without burning the code', async () => {
    const { code: value, verifier } = await code({ sendRedirectUri: true });
    const missing = await exchange('/oauth/token', { code: value, code_verifier: verifier });
    expect(missing.status).toBe(400);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect(missing.body).toEqual({ error: 'invalid_request', error_description: 'missing required parameter redirect_uri (the authorization request included it)' });
    // The client can correct the request: the code was not redeemed.
    const corrected = await exchange('/oauth/token', { code: value, code_verifier: verifier, redirect_uri: TEST_REDIRECT_URI });
    expect(corrected.status).toBe(200);
    expect(corrected.body.access_token).toBeTypeOf('string');
  });

  it('accepts a token request without redirect_uri on the /oauth/v1 layout', async () => {
    const { code: value, verifier } = await code({ sendRedirectUri: true });
    const response = await exchange('/oauth/v1/token', { code: value, code_verifier: verifier });
    expect(response.status).toBe(200);
    expect(response.body.access_token).toBeTypeOf('string');
  });

  it('refuses a wrong redirect_uri with invalid_grant on both layouts', async () => {
    for (const path of ['/oauth/token', '/oauth/v1/token']) {
      const { code: value, verifier } = await code({ sendRedirectUri: true });
      const response = await exchange(path, { code: value, code_verifier: verifier, redirect_uri: `${TEST_REDIRECT_URI}/other` });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_grant', error_description: 'redirect_uri does not match the one used in the authorization request' });
    }
  });

  it('does not require redirect_uri when the authorization request left it out (one registered URI)', async () => {
    const { code: value, verifier } = await code({ sendRedirectUri: false });
    const response = await exchange('/oauth/token', { code: value, code_verifier: verifier });
    expect(response.status).toBe(200);
  });

  it('reports another failed check first: a request without redirect_uri and a wrong verifier gets invalid_grant for the verifier', async () => {
    const { code: value } = await code({ sendRedirectUri: true });
    const other = await pkcePair();
    const response = await exchange('/oauth/token', { code: value, code_verifier: other.verifier });
    expect(response.body).toMatchObject({ error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' });
  });
});
