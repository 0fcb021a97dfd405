import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, type AgentResponse } from '../../testing/agent.js';
import { testDatabases } from '../../testing/databases.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';
import { safeReturnTo } from './index.js';

const sqlite = testDatabases().find((factory) => factory.name === 'sqlite')!;

/** Values that resolve (in a browser, or in the URL parser) to another host or a scheme-relative path. */
const PAYLOADS = [
  '/..//evil.example',
  '/.//evil.example',
  '/%2e//evil.example',
  '/%2e%2e//evil.example',
  '/a/..//evil.example',
  '/a/%2e%2e//evil.example',
  '/./\\evil.example',
  '/..\\\\evil.example',
  '/\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/ /evil.example',
  '/\u00a0/evil.example',
  '//evil.example',
  '///evil.example',
  'https://evil.example/',
  'javascript:alert(1)',
];

/** Control characters may already be refused as a bad request (400) before any route reads them. */
const isControl = (payload: string) => /[\u0000-\u001f\u007f-\u009f]/.test(payload);

/** A redirect to `/` (never to the payload), or for a control character a 400 with no redirect. */
function expectHome(response: AgentResponse, status: number, payload: string) {
  if (isControl(payload) && response.status === 400) {
    expect(response.location, JSON.stringify(payload)).toBeUndefined();
    return;
  }
  expect(response.status, JSON.stringify(payload)).toBe(status);
  expect(response.location, JSON.stringify(payload)).toBe('/');
}

const csrfOf = (page: AgentResponse) => /name="csrf_token" value="([^"]+)"/.exec(page.body)![1]!;

/** What a browser does with the Location header: it must stay on the server. */
function expectSameOrigin(server: TestServer, location: string | undefined, payload: string) {
  expect(location, JSON.stringify(payload)).toBeDefined();
  expect(location, JSON.stringify(payload)).toMatch(/^\/(?![/\\])/);
  expect(new URL(location!, server.url).origin, JSON.stringify(payload)).toBe(new URL(server.url).origin);
}

describe('return_to after sign-in and sign-up', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(sqlite);
    await server.user({ username: 'firstadmin', isAdmin: true });
  });
  afterAll(async () => server?.close());

  it('sends a signed-in GET /login with a traversal or scheme-relative return_to to /', async () => {
    const user = await server.user();
    const agent = new TestAgent(server.url);
    const login = await agent.navigate('/login');
    expect((await agent.submit(login, '/login', { username: user.username, password: user.password })).status).toBe(200);
    for (const payload of PAYLOADS) {
      expectHome(await agent.request(`/login?return_to=${encodeURIComponent(payload)}`), 302, payload);
    }
    const ok = await agent.request(`/login?return_to=${encodeURIComponent('/account/connected-apps?x=1')}`);
    expect(ok.location).toBe('/account/connected-apps?x=1');
  });

  it('sends POST /login with such a return_to to /, and keeps a normal local path', async () => {
    const user = await server.user();
    const submit = async (payload: string) => {
      const agent = new TestAgent(server.url);
      const login = await agent.navigate('/login');
      return agent.request('/login', { form: { csrf_token: csrfOf(login), username: user.username, password: user.password, return_to: payload } });
    };
    for (const payload of PAYLOADS) expectHome(await submit(payload), 303, payload);
    const ok = await submit('/account/connected-apps?x=1');
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/account/connected-apps?x=1');
  });

  it('never carries such a return_to on GET /signup, and POST /signup sends it to /', async () => {
    let n = 0;
    for (const payload of PAYLOADS) {
      const agent = new TestAgent(server.url);
      let page = await agent.navigate(`/signup?return_to=${encodeURIComponent(payload)}`);
      if (isControl(payload) && page.status === 400) page = await agent.navigate('/signup');
      expect(page.status).toBe(200);
      expect(page.body, JSON.stringify(payload)).not.toContain('evil.example');
      expect(page.body).not.toContain('name="return_to"');
      const response = await agent.request('/signup', {
        form: { csrf_token: csrfOf(page), username: `redir${process.pid}x${++n}`, password: 'correct horse battery', email: `redir${n}@example.com`, return_to: payload },
      });
      expectHome(response, 303, payload);
    }
    const agent = new TestAgent(server.url);
    const page = await agent.navigate(`/signup?return_to=${encodeURIComponent('/account/connected-apps?x=1')}`);
    expect(page.body).toContain('name="return_to" value="/account/connected-apps?x=1"');
    const response = await agent.request('/signup', {
      form: { csrf_token: csrfOf(page), username: `redir${process.pid}ok`, password: 'correct horse battery', email: 'redir-ok@example.com', return_to: '/account/connected-apps?x=1' },
    });
    expectSameOrigin(server, response.location, 'ok');
    expect(response.location).toBe('/account/connected-apps?x=1');
  });

  it('checks the value it returns, not the value it was given', () => {
    for (const payload of PAYLOADS) expect(safeReturnTo(payload), JSON.stringify(payload)).toBeUndefined();
    expect(safeReturnTo('/')).toBeUndefined();
    expect(safeReturnTo('/ok#frag')).toBe('/ok#frag');
    expect(safeReturnTo('/a/../b?x=1')).toBe('/b?x=1');
    expect(safeReturnTo('/%2F%2Fevil')).toBe('/%2F%2Fevil');
    // Whatever survives is a path on this origin, however it is resolved again.
    for (const value of ['/a/./b', '/%2e%2e/x', '/x?y=//evil.example', '/x#//evil.example']) {
      const out = safeReturnTo(value)!;
      expect(out).toMatch(/^\/[^/\\]/);
      expect(new URL(out, 'https://id.example').origin).toBe('https://id.example');
    }
  });
});
