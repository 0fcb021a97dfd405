import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, pkcePair } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { authorizationQuery } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { SESSION_COOKIE } from './cookies.js';

/** Switching accounts or signing out ends the previous session in the database, not only in the browser. */
describe.each(testDatabases())('ending the previous session on $name', (factory) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(factory);
    await server.user({ username: `admin${process.pid}`, isAdmin: true });
  });
  afterAll(async () => server?.close());

  async function authorizeUrl(clientId: string, extra: Record<string, string> = {}) {
    const { challenge } = await pkcePair();
    const query = authorizationQuery(clientId, challenge, { scope: 'openid profile', ...extra });
    return `${server.url}/oauth/authorize?${query}`;
  }

  /** Replays a captured session cookie from a fresh client: is that session still signed in? */
  async function stillSignedIn(cookieValue: string): Promise<boolean> {
    const response = await fetch(`${server.url}/account`, { headers: { cookie: `${SESSION_COOKIE}=${cookieValue}` }, redirect: 'manual' });
    if (response.status === 302) {
      expect(response.headers.get('location')).toMatch(/^\/login/);
      return false;
    }
    expect(response.status).toBe(200);
    return true;
  }

  async function signedInAgent(user: { username: string; password: string }) {
    const agent = new TestAgent(server.url);
    const login = await agent.navigate('/login');
    expect((await agent.submit(login, '/login', { username: user.username, password: user.password })).status).toBe(200);
    const cookie = agent.cookie(SESSION_COOKIE)!;
    expect(cookie).toBeTruthy();
    expect(await stillSignedIn(cookie)).toBe(true);
    // prompt=login asks again only for a session older than the authorization request.
    server.clock.advance(2);
    return { agent, cookie };
  }

  it('"Not you?" on the consent page ends the signed-in session before asking for another account', async () => {
    const { clientId } = await server.app();
    const user = await server.user();
    const { agent, cookie } = await signedInAgent(user);
    const consent = await agent.navigate(await authorizeUrl(clientId));
    expect(consent.body).toContain('Allow');
    const notYou = /href="(\/interaction\/[^"]+\/select-account)"/.exec(consent.body)![1]!;
    const choice = await agent.navigate(notYou);
    expect(choice.body).toContain('Use another account');
    const login = await agent.submit(choice, '/select-account', { decision: 'switch' });
    expect(login.body).toContain('name="password"');
    expect(agent.hasCookie(SESSION_COOKIE)).toBe(false);
    expect(await stillSignedIn(cookie)).toBe(false);
  });

  it('signing in as another user inside an authorization ends the previous session', async () => {
    const { clientId } = await server.app();
    const first = await server.user();
    const other = await server.user();
    const { agent, cookie } = await signedInAgent(first);
    const login = await agent.navigate(await authorizeUrl(clientId, { prompt: 'login' }));
    expect(login.body).toContain('name="password"');
    const consent = await agent.submit(login, '/login', { username: other.username, password: other.password });
    expect(consent.body).toContain(other.username);
    expect(agent.cookie(SESSION_COOKIE)).not.toBe(cookie);
    expect(await stillSignedIn(cookie)).toBe(false);
    expect(await stillSignedIn(agent.cookie(SESSION_COOKIE)!)).toBe(true);
  });

  it('signing in again as the same user inside an authorization replaces the session (a new id each sign-in)', async () => {
    const { clientId } = await server.app();
    const user = await server.user();
    const { agent, cookie } = await signedInAgent(user);
    const login = await agent.navigate(await authorizeUrl(clientId, { prompt: 'login' }));
    await agent.submit(login, '/login', { username: user.username, password: user.password });
    expect(agent.cookie(SESSION_COOKIE)).not.toBe(cookie);
    expect(await stillSignedIn(cookie)).toBe(false);
  });

  it('signing in as another user on /login and signing out on /logout end the session in the database', async () => {
    const first = await server.user();
    const other = await server.user();
    const { agent, cookie } = await signedInAgent(first);
    // The same browser posts the sign-in form again, as another user.
    const account = await agent.navigate('/account');
    const token = /name="csrf_token" value="([^"]+)"/.exec(account.body)![1]!;
    const switched = await agent.request('/login', { form: { csrf_token: token, username: other.username, password: other.password } });
    expect(switched.status).toBe(303);
    expect(await stillSignedIn(cookie)).toBe(false);

    const second = agent.cookie(SESSION_COOKIE)!;
    expect(await stillSignedIn(second)).toBe(true);
    const out = await agent.submit(await agent.navigate('/account'), '/logout', {});
    expect(out.url).toContain('/login');
    expect(await stillSignedIn(second)).toBe(false);
  });
});
