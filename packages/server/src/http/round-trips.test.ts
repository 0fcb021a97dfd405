/**
 * Postgres round trips on the hot paths. Each statement costs a round trip and a wake-up of the
 * database backend, which outweighs the work the statement does; these counts keep a refactor
 * from quietly adding one (see docs/performance.md).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { postForm, signInForTokens } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

let statements: string[] | null = null;
const query = pg.Client.prototype.query;
// Patched before the pool opens its first connection, so every pooled client goes through it.
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const config = args[0] as string | { text: string };
  statements?.push(typeof config === 'string' ? config : config.text);
  return (query as (...rest: unknown[]) => unknown).apply(this, args);
} as typeof query;

async function counted(run: () => Promise<void>): Promise<string[]> {
  statements = [];
  try {
    await run();
    return statements;
  } finally {
    statements = null;
  }
}

describe('Postgres round trips', () => {
  let server: TestServer;
  let web: Awaited<ReturnType<TestServer['app']>>;
  let agent: TestAgent;
  let user: Awaited<ReturnType<TestServer['user']>>;

  beforeAll(async () => {
    server = await startTestServer(testDatabases().find((factory) => factory.name === 'postgres')!);
    agent = new TestAgent(server.url);
    web = await server.app({ scope: 'openid profile email offline_access' });
    user = await server.user();
    // Signs in and consents: later flows find the session and the grant.
    await signInForTokens(server, web, { agent, user });
  });
  afterAll(() => server.close());

  it('a code flow with a session and consent, then userinfo: 4 statements', async () => {
    const log = await counted(async () => {
      const tokens = await signInForTokens(server, web, { agent, user });
      const userinfo = await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(userinfo.status).toBe(200);
    });
    // Session with user; grant; code redeemed with its user and grant and its refresh token
    // stored, in one statement (a sealed code is stored nowhere before); revocation probe with
    // the user.
    expect(log).toHaveLength(4);
    expect(log.filter((text) => /^\s*(begin|commit)/i.test(text))).toEqual([]);
  });

  it('a refresh: 2 statements (the token with its user and grant; the rotation)', async () => {
    const { refresh_token } = await signInForTokens(server, web, { agent, user });
    const log = await counted(async () => {
      const response = await postForm(server, '/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: refresh_token!,
        client_id: web.clientId,
        client_secret: web.clientSecret!,
      });
      expect(response.status).toBe(200);
    });
    expect(log).toHaveLength(2);
  });
});
