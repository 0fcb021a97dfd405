/**
 * End to end: a real Gatehouse (SQLite), the sample API (examples/api) and the sample web app
 * (examples/web-app) in this process, the Flask sample (examples/python-flask) as a child
 * process, and Debian's Chromium as the user's browser. The samples import the built SDK
 * (`@gatehouse/sdk` → packages/sdk/dist): run `npx tsc -b packages/server packages/sdk` first.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setResourceServer } from '../../server/src/core/manage/resource-servers.js';
import { launchBrowser, screenshotPath } from '../../server/src/testing/browser.js';
import { testDatabases } from '../../server/src/testing/databases.js';
import { startTestServer, type TestServer } from '../../server/src/testing/harness.js';
// @ts-expect-error plain ESM samples without type declarations
import { createApi } from '../../../examples/api/api.mjs';
// @ts-expect-error plain ESM samples without type declarations
import { createWebApp } from '../../../examples/web-app/app.mjs';

const sqlite = testDatabases().find((factory) => factory.name === 'sqlite')!;
const FLASK_APP = fileURLToPath(new URL('../../../examples/python-flask/app.py', import.meta.url));

/** Listens on a free loopback port first, so the URL is known before the app (and its client registration) exists. */
async function listen(): Promise<{ server: Server; url: string; handle(fetch: (request: Request) => Response | Promise<Response>): void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, handle: (fetch) => void server.on('request', getRequestListener(fetch)) };
}

async function close(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Gatehouse's login and consent pages: sign in, tick one workspace, allow. */
async function signInAndConsent(page: Page, user: { username: string; password: string }, workspaceName: string, screenshot: string) {
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  await page.getByLabel(workspaceName).check();
  await page.screenshot({ path: screenshotPath(screenshot), fullPage: true });
  await page.getByRole('button', { name: 'Allow' }).click();
}

/** A Python that has Flask and Authlib (Debian: python3-flask, python3-authlib, python3-requests). */
function findPython(): { command: string; complete: boolean } | undefined {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  const works = (command: string, code: string) => spawnSync(command, ['-c', code], { stdio: 'ignore' }).status === 0;
  const complete = candidates.find((command) => works(command, 'import flask, authlib.integrations.flask_client'));
  if (complete) return { command: complete, complete: true };
  const partial = candidates.find((command) => works(command, 'import flask, authlib'));
  return partial ? { command: partial, complete: false } : undefined;
}

describe('samples end to end: web app, API and Flask against a real Gatehouse in Chromium', () => {
  let gatehouse: TestServer;
  let browser: Browser;
  let user: Awaited<ReturnType<TestServer['user']>>;
  let chosen: Awaited<ReturnType<TestServer['workspace']>>;
  let other: Awaited<ReturnType<TestServer['workspace']>>;
  const servers: Server[] = [];

  beforeAll(async () => {
    gatehouse = await startTestServer(sqlite);
    // What the samples' READMEs register with the CLI.
    await gatehouse.scope('project:read', 'Read your projects', true);
    await gatehouse.scope('project:write', 'Create and change your projects', true);
    user = await gatehouse.user({ username: 'ada', name: 'Ada Lovelace', email: 'ada@example.com' });
    chosen = await gatehouse.workspace({ name: 'Analytical Engines', owner: user });
    other = await gatehouse.workspace({ name: 'Difference Engines', owner: user });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await browser?.close();
    for (const server of servers) await close(server);
    await gatehouse?.close();
  });

  it('signs in with a workspace, calls the API, refreshes once for 20 concurrent calls, and signs out', { timeout: 90_000 }, async () => {
    // The API: its own confidential client, used only to introspect tokens. No cache, so an
    // expired or revoked token is seen at once.
    const apiListener = await listen();
    servers.push(apiListener.server);
    const apiClient = await gatehouse.app({ client_name: 'Projects API', grant_types: ['client_credentials'], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic' });
    // It introspects the web app's tokens, so an administrator flags it (`gatehouse clients set-resource-server`).
    await setResourceServer(gatehouse.gatehouse.deps, apiClient.clientId, true);
    apiListener.handle(createApi({ issuer: gatehouse.issuer, clientId: apiClient.clientId, clientSecret: apiClient.clientSecret, cacheSeconds: 0 }).fetch);
    const apiUrl = apiListener.url;

    // The web app, with the SDK's fetch wrapped to count refreshes and see the bearer token it sends.
    const web = await listen();
    servers.push(web.server);
    const webClient = await gatehouse.app({
      client_name: 'Projects',
      redirect_uris: [`${web.url}/callback`],
      scope: 'openid profile email offline_access project:read',
      token_endpoint_auth_method: 'client_secret_basic',
    });
    const tokenEndpoint = `${gatehouse.issuer}/oauth/token`;
    let refreshes = 0;
    let lastBearer: string | null = null;
    const observedFetch: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url === tokenEndpoint && /(^|&)grant_type=refresh_token(&|$)/.test(String(init?.body ?? ''))) refreshes++;
      if (url.startsWith(apiUrl)) lastBearer = new Headers(init?.headers).get('authorization');
      return fetch(input, init);
    };
    web.handle(
      createWebApp({
        issuer: gatehouse.issuer,
        clientId: webClient.clientId,
        clientSecret: webClient.clientSecret,
        redirectUri: `${web.url}/callback`,
        apiUrl,
        fetch: observedFetch,
      }).fetch,
    );

    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    try {
      const page = await context.newPage();

      // 1. Sign in, sharing one of the two workspaces.
      await page.goto(web.url);
      await page.getByRole('link', { name: 'Sign in with Gatehouse' }).click();
      await signInAndConsent(page, user, 'Analytical Engines', 'e2e-web-app-consent');
      await page.waitForURL(`${web.url}/`);
      await expect.poll(() => page.locator('#username').textContent()).toBe('@ada');
      expect(await page.locator('#name').textContent()).toBe('Ada Lovelace');
      const shown = await page.locator('#workspaces').textContent();
      expect(shown).toContain(chosen.id);
      expect(shown).not.toContain(other.id);
      await page.screenshot({ path: screenshotPath('e2e-web-app-profile'), fullPage: true });

      // 2. Call the API with the user's token: 200, with the subject and the chosen workspace.
      await page.getByRole('button', { name: 'List projects' }).click();
      await page.locator('#api-result').waitFor();
      expect(await page.locator('#api-result').getAttribute('data-status')).toBe('200');
      const listed = await page.locator('#api-result pre').textContent();
      expect(JSON.parse(listed!)).toMatchObject({ subject: user.id, username: 'ada', workspaces: [{ id: chosen.id, slug: chosen.slug }] });
      await page.screenshot({ path: screenshotPath('e2e-web-app-api-200'), fullPage: true });

      // 3. A route needing a scope the app never asked for: 403 insufficient_scope (RFC 6750 §3.1).
      await page.getByRole('button', { name: 'Create a project' }).click();
      await expect.poll(() => page.locator('#api-result').getAttribute('data-status')).toBe('403');
      expect(await page.locator('#challenge').textContent()).toContain('error="insufficient_scope"');
      expect(JSON.parse((await page.locator('#api-result pre').textContent())!)).toMatchObject({ error: 'insufficient_scope', scope: 'project:write' });
      await page.screenshot({ path: screenshotPath('e2e-web-app-api-403'), fullPage: true });
      expect(lastBearer).toMatch(/^Bearer /);
      const direct = await fetch(`${apiUrl}/projects`, { method: 'POST', headers: { authorization: lastBearer! }, body: '{}' });
      expect(direct.status).toBe(403);
      expect(direct.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      expect(await direct.json()).toMatchObject({ error: 'insufficient_scope' });

      // 4. An hour passes. Gatehouse's clock (server.clock is derived from Date.now) and the SDK's
      // must move together: with server.clock.advance(3601) alone, the refreshed ID token's iat
      // would lie an hour in the SDK's future and be rightly rejected.
      const realNow = Date.now.bind(Date);
      vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 3601_000);
      const beforeExpiry = lastBearer;
      const expired = await fetch(`${apiUrl}/projects`, { headers: { authorization: beforeExpiry! } });
      expect(expired.status).toBe(401);
      expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');

      // 20 concurrent API calls through the web app's one TokenSet: exactly one refresh request.
      const cookie = (await context.cookies(web.url)).map((c) => `${c.name}=${c.value}`).join('; ');
      expect(refreshes).toBe(0);
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          fetch(`${web.url}/call-api`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'op=list' }).then(async (res) => ({ status: res.status, html: await res.text() })),
        ),
      );
      expect(refreshes).toBe(1);
      for (const result of results) {
        expect(result.status).toBe(200);
        expect(result.html).toContain('data-status="200"');
      }
      expect(lastBearer).not.toBe(beforeExpiry);
      const refreshedBearer = lastBearer!;
      expect((await fetch(`${apiUrl}/projects`, { headers: { authorization: refreshedBearer } })).status).toBe(200);

      // 5. Sign out: the web app revokes the refresh token, which ends its access tokens too.
      await page.goto(web.url);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('link', { name: 'Sign in with Gatehouse' }).waitFor();
      await page.screenshot({ path: screenshotPath('e2e-web-app-signed-out'), fullPage: true });
      const revoked = await fetch(`${apiUrl}/projects`, { headers: { authorization: refreshedBearer } });
      expect(revoked.status).toBe(401);
      expect(revoked.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(refreshes).toBe(1);
    } finally {
      vi.restoreAllMocks();
      await context.close();
    }
  });

  const python = findPython();
  // CI installs Debian's python3-flask and python3-authlib: there the Flask sample must run, never skip.
  it.runIf(python !== undefined || !!process.env.CI)('signs in to the Flask + Authlib sample', { timeout: 90_000 }, async () => {
    if (!python?.complete) {
      throw new Error(`No Python can import flask and authlib.integrations.flask_client (found: ${python?.command ?? 'none'}); apt-get install python3-flask python3-authlib python3-requests`);
    }
    // A free port for Flask: taken and released, then handed to the child.
    const probe = await listen();
    const flaskUrl = probe.url;
    await close(probe.server);

    const flaskClient = await gatehouse.app({
      client_name: 'Flask sample',
      redirect_uris: [`${flaskUrl}/callback`],
      scope: 'openid profile email project:read',
      token_endpoint_auth_method: 'client_secret_basic',
    });
    let output = '';
    const child: ChildProcess = spawn(python.command, [FLASK_APP], {
      env: {
        ...process.env,
        GATEHOUSE_ISSUER: gatehouse.issuer,
        CLIENT_ID: flaskClient.clientId,
        CLIENT_SECRET: flaskClient.clientSecret!,
        HOST: '127.0.0.1',
        PORT: new URL(flaskUrl).port,
        REDIRECT_URI: `${flaskUrl}/callback`,
        PYTHONUNBUFFERED: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    try {
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`Flask exited with ${child.exitCode}:\n${output}`);
        const up = await fetch(flaskUrl).then((res) => res.ok, () => false);
        if (up) break;
        if (Date.now() > deadline) throw new Error(`Flask did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }

      const page = await context.newPage();
      await page.goto(flaskUrl);
      await page.getByRole('link', { name: 'Sign in with Gatehouse' }).click();
      await signInAndConsent(page, user, 'Difference Engines', 'e2e-flask-consent');
      await page.waitForURL(`${flaskUrl}/`);
      await expect.poll(() => page.locator('#username').textContent()).toBe('@ada');
      expect(await page.getByText('Ada Lovelace').count()).toBe(1);
      const shown = await page.locator('#workspaces').textContent();
      expect(shown).toContain(other.id);
      expect(shown).not.toContain(chosen.id);
      await page.screenshot({ path: screenshotPath('e2e-flask-profile'), fullPage: true });

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('link', { name: 'Sign in with Gatehouse' }).waitFor();
    } finally {
      await context.close();
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
