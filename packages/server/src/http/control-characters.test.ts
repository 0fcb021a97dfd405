/**
 * Control characters (C0, DEL, C1) are bad input at every edge: every route of the route table,
 * every parameter it reads, on both databases. The answer is a 4xx naming the problem (an OAuth
 * `invalid_request`/`invalid_client` with its description, the error page, or a redirect to the
 * client once the client and redirect URI are known), never a 5xx: Postgres text cannot hold NUL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAgent, pkcePair } from '../testing/agent.js';
import { testDatabases } from '../testing/databases.js';
import { TEST_REDIRECT_URI, signInForTokens } from '../testing/flows.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

/** NUL, another C0 control, DEL and a C1 control (NEL). */
const CHARACTERS = ['\u0000', '\u0001', '\u007f', '\u0085'];
const show = (char: string) => `U+${char.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;

type Kind = 'json' | 'page' | 'console';
interface FormRoute {
  kind: Kind;
  /** The fields the route reads, each sent with a control character in turn. */
  fields: string[];
  /** Valid values for the other fields. */
  base?: () => Record<string, string>;
}

describe.each(testDatabases())('control characters in requests on $name', (factory) => {
  let server: TestServer;
  let web: { clientId: string; clientSecret: string | undefined };
  let service: { clientId: string; clientSecret: string | undefined };
  let tokens: { access_token: string; refresh_token?: string };
  let admin: TestAgent;
  let adminCsrf: string;
  let interaction: { agent: TestAgent; id: string; csrf: string };

  const csrfOf = (body: string) => /name="csrf_token" value="([^"]+)"/.exec(body)![1]!;

  /** Every form route in the route table, with the fields its handler reads. */
  const forms = (): Record<string, FormRoute> => {
    const webPost = () => ({ client_id: web.clientId, client_secret: web.clientSecret! });
    const servicePost = () => ({ client_id: service.clientId, client_secret: service.clientSecret! });
    const authorize: FormRoute = {
      kind: 'page',
      fields: ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'prompt', 'max_age', 'login_hint', 'resource', 'claims'],
    };
    const tokenFields = ['grant_type', 'code', 'code_verifier', 'redirect_uri', 'refresh_token', 'scope', 'resource', 'client_id', 'client_secret'];
    const tokenRoute: FormRoute = { kind: 'json', fields: tokenFields, base: () => ({ grant_type: 'client_credentials', scope: 'reports:read', ...servicePost() }) };
    const byToken: FormRoute = { kind: 'json', fields: ['token', 'token_type_hint', 'client_id', 'client_secret'], base: () => ({ token: tokens.access_token, ...webPost() }) };
    const consoleForm = (fields: string[]): FormRoute => ({ kind: 'console', fields: ['csrf_token', ...fields] });
    const app = ['name', 'homepage_url', 'logo_url', 'description', 'redirect_uris', 'token_endpoint_auth_method', 'scope', 'grant_type', 'visibility', 'access_token_ttl', 'refresh_token_ttl', 'id_token_signed_response_alg', 'access_token_format', 'owner'];
    return {
      '/oauth/authorize': authorize,
      '/oauth/v1/authorize': authorize,
      '/oauth/token': tokenRoute,
      '/oauth/v1/token': tokenRoute,
      '/oauth/userinfo': { kind: 'json', fields: ['access_token'] },
      '/oauth/v1/userinfo': { kind: 'json', fields: ['access_token'] },
      '/oauth/introspect': byToken,
      '/oauth/v1/token/introspect': byToken,
      '/oauth/token/resources': byToken,
      '/oauth/v1/token/resources': byToken,
      '/oauth/revoke': byToken,
      '/oauth/v1/token/revoke': byToken,
      '/interaction/:id/login': { kind: 'page', fields: ['csrf_token', 'username', 'password'] },
      '/interaction/:id/consent': { kind: 'page', fields: ['csrf_token', 'decision', 'workspace'] },
      '/interaction/:id/select-account': { kind: 'page', fields: ['csrf_token', 'decision'] },
      '/setup': consoleForm(['username', 'password', 'email']),
      '/login': consoleForm(['username', 'password', 'return_to']),
      '/logout': consoleForm([]),
      '/signup': consoleForm(['username', 'password', 'email', 'name', 'interaction', 'return_to']),
      '/account/profile': consoleForm(['name', 'email', 'picture']),
      '/account/password': consoleForm(['current_password', 'new_password']),
      '/account/connected-apps/:grantId/revoke': consoleForm([]),
      '/account/workspaces': consoleForm(['name', 'slug']),
      '/account/workspaces/:id/members': consoleForm(['username', 'role']),
      '/account/workspaces/:id/members/:username/role': consoleForm(['role']),
      '/account/workspaces/:id/members/:username/remove': consoleForm([]),
      '/account/workspaces/:id/leave': consoleForm([]),
      '/admin/users/:id': consoleForm(['q']),
      '/admin/users/:id/disable': consoleForm([]),
      '/admin/users/:id/enable': consoleForm([]),
      '/admin/apps/:id/verify': consoleForm([]),
      '/admin/apps/:id/unverify': consoleForm([]),
      '/admin/apps/:id/resource-server': consoleForm(['resource_server']),
      '/admin/scopes': consoleForm(['name', 'description', 'requires_workspace']),
      '/admin/scopes/:name': consoleForm(['description', 'requires_workspace']),
      '/admin/keys/rotate': consoleForm(['alg']),
      '/developer/apps/:id': consoleForm(app),
      '/developer/apps/:id/edit': consoleForm(app),
      '/developer/apps/:id/rotate-secret': consoleForm(['grace_period']),
      '/developer/apps/:id/delete': consoleForm([]),
    };
  };

  /** The routes the app registers (Hono's route table), less middleware. */
  const routeTable = () => {
    const seen = new Set<string>();
    const routes: Array<{ method: string; path: string }> = [];
    for (const route of server.gatehouse.app.routes) {
      if (route.method === 'ALL' || route.path.includes('*')) continue;
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      routes.push({ method: route.method, path: route.path });
    }
    return routes;
  };

  /** Routes whose `:id` is also a fixed page (paths.newApp, paths.adminSearchUsers). */
  const FIXED: Record<string, string> = { '/developer/apps/:id': '/developer/apps/new', '/admin/users/:id': '/admin/users/search' };

  /** A concrete path for a route: each `:param` filled with `value` (or a real interaction id). */
  const fill = (path: string, value = 'x') => (value === 'x' ? FIXED[path] : undefined) ?? path.replace(/:(\w+)/g, (_, name: string) => (name === 'id' && path.startsWith('/interaction/') && value === 'x' ? interaction.id : value));

  async function refusal(response: Response, kind: Kind | 'json-or-page'): Promise<string | undefined> {
    const text = await response.text();
    if (response.status >= 500) return `${response.status} ${text.slice(0, 200)}`;
    if (response.status < 400) return `status ${response.status} (location ${response.headers.get('location')})`;
    if (kind === 'json' || (kind === 'json-or-page' && (response.headers.get('content-type') ?? '').includes('json'))) {
      const body = JSON.parse(text) as { error?: string; error_description?: string };
      if (!['invalid_request', 'invalid_client'].includes(body.error ?? '')) return `error ${body.error}`;
      if (!/control characters/.test(body.error_description ?? '')) return `error_description ${body.error_description}`;
      return undefined;
    }
    if (!/control characters/.test(text)) return `status ${response.status} without a control character error: ${text.replace(/\s+/g, ' ').slice(0, 300)}`;
    return undefined;
  }

  beforeAll(async () => {
    server = await startTestServer(factory, { config: (base) => ({ ...base, signupEnabled: true }) });
    await server.scope('reports:read', 'Read reports');
    web = await server.app({ token_endpoint_auth_method: 'client_secret_post', grant_types: ['authorization_code', 'refresh_token'] });
    service = await server.app({ token_endpoint_auth_method: 'client_secret_post', grant_types: ['client_credentials'], redirect_uris: [], scope: 'reports:read' });
    tokens = await signInForTokens(server, web);

    const adminUser = await server.user({ isAdmin: true });
    admin = new TestAgent(server.url);
    const login = await admin.navigate('/login');
    expect((await admin.submit(login, '/login', { username: adminUser.username, password: adminUser.password })).status).toBe(200);
    adminCsrf = csrfOf((await admin.navigate('/account')).body);

    const agent = new TestAgent(server.url);
    const { challenge } = await pkcePair();
    const started = await agent.request(`/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: web.clientId, redirect_uri: TEST_REDIRECT_URI, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' })}`);
    const id = /^\/interaction\/([\w-]+)$/.exec(started.location!)![1]!;
    interaction = { agent, id, csrf: csrfOf((await agent.navigate(started.location!)).body) };
  });
  afterAll(async () => server?.close());

  it('has a form entry for every POST route of the route table', () => {
    const table = forms();
    const posts = routeTable().filter((route) => route.method === 'POST').map((route) => route.path);
    expect(posts.length).toBeGreaterThan(30);
    expect(posts.filter((path) => !(path in table))).toEqual([]);
  });

  it('refuses a control character in the path or query of every GET route', async () => {
    const failures: string[] = [];
    for (const { path } of routeTable().filter((route) => route.method === 'GET')) {
      if (path === '/oauth/authorize' || path === '/oauth/v1/authorize') continue; // its own test below
      for (const char of CHARACTERS) {
        const encoded = encodeURIComponent(`v${char}`);
        const targets = [`${fill(path)}?probe=${encoded}`, ...(path.includes(':') ? [fill(path, encoded)] : [])];
        for (const target of targets) {
          const page = await admin.request(target);
          const failure = await refusal(new Response(page.body, { status: page.status, headers: page.headers }), 'json-or-page');
          if (failure) failures.push(`GET ${target} (${show(char)}): ${failure}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a control character in each authorization parameter: on the error page before the client is known, at the client after', async () => {
    const failures: string[] = [];
    const { challenge } = await pkcePair();
    const valid = {
      response_type: 'code',
      client_id: web.clientId,
      redirect_uri: TEST_REDIRECT_URI,
      scope: 'openid',
      state: 'st',
      nonce: 'n',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      prompt: 'consent',
      max_age: '60',
      login_hint: 'someone',
      resource: 'https://api.example.com/',
      claims: '{}',
    };
    for (const path of ['/oauth/authorize', '/oauth/v1/authorize']) {
      for (const method of ['GET', 'POST']) {
        for (const name of forms()[path]!.fields) {
          for (const char of CHARACTERS) {
            const query = new URLSearchParams({ ...valid, [name]: `${(valid as Record<string, string>)[name]}${char}` });
            const response = await fetch(method === 'GET' ? `${server.url}${path}?${query}` : `${server.url}${path}`, {
              method,
              redirect: 'manual',
              ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: query } : {}),
            });
            const label = `${method} ${path} ${name} (${show(char)})`;
            if (name === 'client_id' || name === 'redirect_uri') {
              const failure = await refusal(response, 'page');
              if (failure) failures.push(`${label}: ${failure}`);
              continue;
            }
            const location = response.headers.get('location');
            const target = location ? new URL(location, server.url) : undefined;
            if (!target || target.origin + target.pathname !== TEST_REDIRECT_URI) {
              failures.push(`${label}: ${response.status} ${location ?? (await response.text()).slice(0, 200)}`);
              continue;
            }
            const description = target.searchParams.get('error_description') ?? '';
            if (target.searchParams.get('error') !== 'invalid_request' || !description.includes(`parameter ${name} contains control characters`)) {
              failures.push(`${label}: ${target.search}`);
            }
            if (name === 'state' && target.searchParams.has('state')) failures.push(`${label}: the refused state was echoed`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a control character in every field of every form route', async () => {
    const failures: string[] = [];
    for (const [route, form] of Object.entries(forms())) {
      if (route.endsWith('authorize')) continue; // its own test above
      for (const field of form.fields) {
        for (const char of CHARACTERS) {
          const label = `POST ${route} ${field} (${show(char)})`;
          let response: Response;
          if (form.kind === 'json') {
            const body = new URLSearchParams({ ...(form.base?.() ?? {}), [field]: `v${char}` });
            response = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
          } else {
            const agent = form.kind === 'console' ? admin : interaction.agent;
            const csrf = form.kind === 'console' ? adminCsrf : interaction.csrf;
            const page = await agent.request(fill(route), { form: { csrf_token: csrf, [field]: `${field === 'csrf_token' ? csrf : 'v'}${char}` } });
            response = new Response(page.body, { status: page.status, headers: { 'content-type': 'text/html' } });
          }
          const failure = await refusal(response, form.kind === 'json' ? 'json' : 'page');
          if (failure) failures.push(`${label}: ${failure}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a control character in each grant type\'s parameters at the token endpoint', async () => {
    const failures: string[] = [];
    const { verifier } = await pkcePair();
    const grants: Record<string, Record<string, string>> = {
      authorization_code: { grant_type: 'authorization_code', code: 'gac_x', code_verifier: verifier, redirect_uri: TEST_REDIRECT_URI, client_id: web.clientId, client_secret: web.clientSecret! },
      refresh_token: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, scope: 'openid', client_id: web.clientId, client_secret: web.clientSecret! },
      client_credentials: { grant_type: 'client_credentials', scope: 'reports:read', resource: 'https://api.example.com/', client_id: service.clientId, client_secret: service.clientSecret! },
    };
    for (const [grant, form] of Object.entries(grants)) {
      for (const name of Object.keys(form)) {
        for (const char of CHARACTERS) {
          const response = await fetch(`${server.url}/oauth/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ ...form, [name]: `${form[name]}${char}` }),
          });
          const failure = await refusal(response, 'json');
          if (failure) failures.push(`${grant} ${name} (${show(char)}): ${failure}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses control characters sent raw or in lower-case percent-encoding in a form body', async () => {
    const base = `grant_type=client_credentials&client_id=${service.clientId}&client_secret=${service.clientSecret}`;
    for (const scope of ['reports%3aread%00', 'reports%c2%85', 'reports%7f', 'reports\u0000read', 'reports\u0001', 'reports\u0085']) {
      const response = await fetch(`${server.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${base}&scope=${scope}` });
      expect(response.status, scope).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_request', error_description: 'parameter scope contains control characters' });
    }
  });

  it('refuses control characters in HTTP Basic credentials, and ignores them in cookies', async () => {
    for (const char of CHARACTERS) {
      for (const [id, secret] of [[`${web.clientId}${char}`, 'secret'], [web.clientId, `secret${char}`]] as const) {
        const basic = Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
        for (const path of ['/oauth/token', '/oauth/introspect', '/oauth/revoke', '/oauth/token/resources']) {
          const response = await fetch(`${server.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
            body: new URLSearchParams(path === '/oauth/token' ? { grant_type: 'client_credentials' } : { token: tokens.access_token }),
          });
          expect(response.status, `${path} ${show(char)}`).toBe(401);
          expect(await response.json()).toMatchObject({ error: 'invalid_client', error_description: expect.stringContaining('control characters') });
        }
      }
      const cookie = `gatehouse_session=${encodeURIComponent(`v${char}`)}; gatehouse_csrf=${encodeURIComponent(`v${char}`)}`;
      const account = await fetch(`${server.url}/account`, { headers: { cookie }, redirect: 'manual' });
      expect(account.status).toBe(302);
      const interactionPage = await fetch(`${server.url}/interaction/${interaction.id}`, { headers: { cookie }, redirect: 'manual' });
      expect(interactionPage.status).toBeLessThan(500);
    }
  });

  it('shows the sign-in, sign-up and setup forms again with the error, status 400', async () => {
    const visitor = new TestAgent(server.url);
    const login = await visitor.navigate('/login');
    const refused = await visitor.submit(login, '/login', { username: 'someone\u0000', password: 'x' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('name="password"');
    expect(refused.body).toContain('The username or password contains characters that are not allowed (control characters).');

    const signup = await visitor.navigate('/signup');
    const badEmail = await visitor.submit(signup, '/signup', { username: 'newcomer', password: 'correct horse battery', email: 'a\u0001@example.com' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body).toContain('name="email"');
    expect(badEmail.body).toContain('This field contains characters that are not allowed (control characters).');
    expect(await server.gatehouse.deps.stores.findUserByUsername('newcomer')).toBeUndefined();

    // Past setup, the setup form is not shown again: the error page says why.
    const setup = await visitor.request('/setup', { form: { csrf_token: csrfOf(signup.body), username: 'root\u007f' } });
    expect(setup.status).toBe(400);
    expect(setup.body).toContain('This field contains characters that are not allowed (control characters).');
  });

  it('lets line breaks through in the console\'s text areas only', async () => {
    const newApp = await admin.navigate('/developer/apps/new');
    const csrf = csrfOf(newApp.body);
    const created = await admin.request('/developer/apps/new', {
      form: {
        csrf_token: csrf,
        name: 'Multi-line',
        description: 'First line.\r\nSecond line.',
        redirect_uris: 'https://a.example/cb\r\nhttps://b.example/cb',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_type: ['authorization_code', 'refresh_token'],
        scope: 'openid',
        visibility: 'public',
        owner: 'me',
      },
    });
    expect(created.status).toBeLessThan(400);
    const refused = await admin.request('/developer/apps/new', { form: { csrf_token: csrf, name: 'Line\nbreak', description: 'ok', redirect_uris: 'https://a.example/cb' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('parameter name contains control characters');
  });
});

describe.each(testDatabases())('control characters in the first-run setup form on $name', (factory) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(factory);
  });
  afterAll(async () => server?.close());

  it('shows the setup form again with the error beside the field, and creates no one', async () => {
    const agent = new TestAgent(server.url);
    const page = await agent.navigate('/');
    expect(page.body).toContain('Create administrator');
    const refused = await agent.submit(page, '/setup', { username: 'admin\u0000', password: 'correct horse battery', email: 'admin@example.com' });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('Create administrator');
    expect(refused.body).toContain('This field contains characters that are not allowed (control characters).');
    expect(await server.gatehouse.deps.stores.countUsers()).toBe(0);
  });
});
