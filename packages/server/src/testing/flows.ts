/** Short ways to get tokens through the real endpoints, for tests that start after sign-in. */
import { TestAgent, pkcePair } from './agent.js';
import type { TestServer } from './harness.js';

export const TEST_REDIRECT_URI = 'http://127.0.0.1:9999/callback';

export interface TokenSetResponse {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  scope: string;
  expires_in: number;
  token_type: string;
}

export async function postForm(server: TestServer, path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

/** An authorization request's query for `clientId`: code, PKCE (S256), TEST_REDIRECT_URI, `openid`, state `st`; `extra` adds or overrides. */
export function authorizationQuery(clientId: string, challenge: string, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: TEST_REDIRECT_URI,
    scope: 'openid',
    state: 'st',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
}

/** Signs `user` in, approves (choosing `workspaceIds` when asked) and exchanges the code. */
export async function signInForTokens(
  server: TestServer,
  app: { clientId: string; clientSecret: string | undefined },
  options: { user?: { username: string; password: string }; scope?: string; workspaceIds?: string[]; agent?: TestAgent } = {},
): Promise<TokenSetResponse & { user: { username: string; password: string } }> {
  const user = options.user ?? (await server.user());
  const agent = options.agent ?? new TestAgent(server.url);
  const { verifier, challenge } = await pkcePair();
  const query = authorizationQuery(app.clientId, challenge, { scope: options.scope ?? 'openid profile email' });
  let page = await agent.navigate(`${server.url}/oauth/authorize?${query}`);
  if (page.body.includes('name="password"')) page = await agent.submit(page, '/login', { username: user.username, password: user.password });
  if (!page.location) page = await agent.submit(page, '/consent', { decision: 'allow', ...(options.workspaceIds ? { workspace: options.workspaceIds } : {}) });
  const code = new URL(page.location!).searchParams.get('code');
  if (!code) throw new Error(`no code: ${page.location}`);
  const form: Record<string, string> = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: TEST_REDIRECT_URI, client_id: app.clientId };
  if (app.clientSecret) form.client_secret = app.clientSecret;
  const response = await postForm(server, '/oauth/token', form);
  if (response.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(response.body)}`);
  return { ...(response.body as TokenSetResponse), user };
}

export function clientAuth(app: { clientId: string; clientSecret: string | undefined }): Record<string, string> {
  return app.clientSecret ? { client_id: app.clientId, client_secret: app.clientSecret } : { client_id: app.clientId };
}
