/**
 * The web console in Debian's Chromium (playwright-core), on SQLite. Every test saves a screenshot
 * under test-output/screenshots/. With GATEHOUSE_DOC_IMAGES=1 the cropped images used by
 * docs/guides/*.md are written to docs/images/ as well.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../../testing/browser.js';
import { testDatabases } from '../../testing/databases.js';
import { postForm } from '../../testing/flows.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';

const REDIRECT = 'http://127.0.0.1:9999/callback';
const sqlite = testDatabases().find((factory) => factory.name === 'sqlite')!;
const docImages = process.env.GATEHOUSE_DOC_IMAGES === '1' ? fileURLToPath(new URL('../../../../../docs/images/', import.meta.url)) : undefined;

async function docShot(target: Locator | Page, name: string): Promise<void> {
  await target.screenshot({ path: screenshotPath(name) });
  if (docImages) {
    mkdirSync(docImages, { recursive: true });
    await target.screenshot({ path: `${docImages}${name}.png` });
  }
}

describe('web console in a real browser', () => {
  let browser: Browser;
  const servers: TestServer[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    for (const server of servers) await server.close();
  });

  async function newServer(options: Parameters<typeof startTestServer>[1] = {}) {
    const server = await startTestServer(sqlite, options);
    servers.push(server);
    return server;
  }

  /** A browser profile that accepts confirm() dialogs and answers the app's redirect URI itself. */
  async function newPage(): Promise<{ page: Page; callbacks: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    const callbacks: string[] = [];
    await page.route('http://127.0.0.1:9999/**', async (route) => {
      callbacks.push(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' });
    });
    return { page, callbacks };
  }

  async function signIn(page: Page, server: TestServer, user: { username: string; password: string }) {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
  }

  /** openid-client v6 as the app, the browser as the user: returns the token set. */
  async function authorize(server: TestServer, page: Page, callbacks: string[], clientId: string, auth: oidc.ClientAuth, scope = 'openid profile') {
    const config = await oidc.discovery(new URL(server.issuer), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope, code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', state });
    const before = callbacks.length;
    await page.goto(url.href);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/127\.0\.0\.1:9999/);
    expect(callbacks.length).toBe(before + 1);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callbacks.at(-1)!), { pkceCodeVerifier: verifier, expectedState: state });
    return { config, tokens };
  }

  const userinfoStatus = async (server: TestServer, token: string) =>
    (await fetch(`${server.url}/oauth/userinfo`, { headers: { authorization: `Bearer ${token}` } })).status;

  it('runs first-run setup and signs the administrator in', async () => {
    const server = await newServer();
    const { page } = await newPage();
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Welcome to Gatehouse' }).waitFor();
    await page.getByLabel('Username').fill('root');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByLabel('Email').fill('root@example.com');
    await page.screenshot({ path: screenshotPath('console-setup') });
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.getByRole('heading', { name: 'Welcome, root' }).waitFor();
    await page.getByRole('link', { name: 'Admin', exact: true }).waitFor();
    await page.screenshot({ path: screenshotPath('console-home-admin'), fullPage: true });
    const users = await server.gatehouse.deps.stores.listUsers();
    expect(users.map((u) => [u.username, u.isAdmin])).toEqual([['root', true]]);
  });

  it('signs up a new account', async () => {
    const server = await newServer();
    await server.user({ isAdmin: true });
    const { page } = await newPage();
    await page.goto(`${server.url}/login`);
    await page.getByRole('link', { name: 'Create account' }).click();
    await page.getByLabel('Username').fill('newcomer');
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('Email').fill('newcomer@example.com');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Must be at least 8 characters').first().waitFor();
    await page.getByLabel('Password').fill('correct horse battery');
    await page.screenshot({ path: screenshotPath('console-signup') });
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Welcome, newcomer' }).waitFor();
  });

  it('registers an app, shows the secret once, runs a full authorization, rotates the secret and revokes access', async () => {
    const server = await newServer();
    await server.user({ isAdmin: true });
    await server.scope('project:read', 'See your projects and their settings', true);
    const developer = await server.user({ username: 'devon', name: 'Devon Developer' });
    const { page, callbacks } = await newPage();
    await signIn(page, server, developer);

    await page.getByRole('link', { name: 'Developer', exact: true }).click();
    await page.getByRole('link', { name: 'Register your first app' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Photo Sorter');
    await page.getByLabel('Homepage URL').fill('https://photos.example.com');
    await page.getByLabel('Description').fill('Sorts your project images into folders by what is in them.');
    await page.getByLabel('Redirect URIs').fill(`https://photos.example.com/callback\n${REDIRECT}`);
    await page.getByLabel('client_secret_basic').check();
    await page.getByLabel('Public', { exact: true }).check();
    await docShot(page.locator('form.panel fieldset').nth(0), 'register-app-about');
    await docShot(page.locator('form.panel fieldset').nth(1), 'register-app-authentication');
    await page.getByRole('button', { name: 'Create app' }).click();

    const secretBox = page.locator('.secret-box');
    await secretBox.waitFor();
    const clientId = await page.locator('#new-client-id').inputValue();
    const clientSecret = await page.locator('#new-client-secret').inputValue();
    expect(clientSecret).toMatch(/^gcs_/);
    await docShot(secretBox, 'register-app-secret');
    await docShot(page.locator('section[aria-labelledby="try-heading"]'), 'register-app-try-it');

    // Reload the app page: the secret is gone, only its prefix remains.
    await page.goto(`${server.url}/developer/apps/${clientId}`);
    expect(await page.locator('.secret-box').count()).toBe(0);
    expect(await page.content()).not.toContain(clientSecret);
    await docShot(page.locator('section[aria-labelledby="secrets-heading"]'), 'register-app-secrets');

    // A full authorization with openid-client, using the credentials from the page.
    const { config, tokens } = await authorize(server, page, callbacks, clientId, oidc.ClientSecretBasic(clientSecret));
    expect(tokens.claims()!.sub).toBe(developer.id);
    expect(await userinfoStatus(server, tokens.access_token)).toBe(200);
    void config;

    // Rotate with no grace: the old secret stops working at once, the new one works.
    await page.goto(`${server.url}/developer/apps/${clientId}`);
    await page.getByText('1 authorized user').waitFor();
    await page.getByLabel('Grace period (seconds)').fill('0');
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.locator('.secret-box').waitFor();
    const rotated = await page.locator('#new-client-secret').inputValue();
    expect(rotated).not.toBe(clientSecret);
    await page.screenshot({ path: screenshotPath('console-secret-rotated'), fullPage: true });
    const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` });
    expect((await postForm(server, '/oauth/introspect', { token: tokens.access_token }, basic(clientSecret))).status).toBe(401);
    const fresh = await postForm(server, '/oauth/introspect', { token: tokens.access_token }, basic(rotated));
    expect(fresh.status).toBe(200);
    expect(fresh.body.active).toBe(true);

    // Connected apps → Revoke access: the token dies at userinfo and introspection.
    await page.getByRole('link', { name: 'Connected apps' }).click();
    await page.getByRole('heading', { name: /Photo Sorter/ }).waitFor();
    await docShot(page.locator('main'), 'connected-apps');
    await page.getByRole('button', { name: 'Revoke access for Photo Sorter' }).click();
    await page.getByText('Access revoked.').waitFor();
    await docShot(page.locator('main'), 'connected-apps-revoked');
    expect(await userinfoStatus(server, tokens.access_token)).toBe(401);
    const dead = await postForm(server, '/oauth/introspect', { token: tokens.refresh_token! }, basic(rotated));
    expect(dead.body.active).toBe(false);
  });

  it('gates an internal app by workspace membership', async () => {
    const server = await newServer();
    await server.user({ isAdmin: true });
    const owner = await server.user({ username: 'olive' });
    const member = await server.user({ username: 'max' });
    const { page: ownerPage } = await newPage();
    await signIn(ownerPage, server, owner);
    await ownerPage.goto(`${server.url}/account/workspaces`);
    await ownerPage.getByLabel('Name', { exact: true }).fill('Vision Lab');
    await ownerPage.getByLabel('Slug').fill('vision-lab');
    await ownerPage.getByRole('button', { name: 'Create workspace' }).click();
    await ownerPage.getByText('Workspace created.').waitFor();
    const workspace = (await server.gatehouse.deps.stores.findWorkspaceBySlug('vision-lab'))!;
    const { clientId, clientSecret } = await server.app({ client_name: 'Lab Console', visibility: 'internal', ownerWorkspaceId: workspace.id, redirect_uris: [REDIRECT] });

    const { page, callbacks } = await newPage();
    await signIn(page, server, member);
    await page.goto(`${server.url}/apps/${clientId}`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    const config = await oidc.discovery(new URL(server.issuer), clientId, undefined, oidc.ClientSecretPost(clientSecret!), { execute: [oidc.allowInsecureRequests] });
    const denied = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', state: 'denied' });
    // Max's own browser session asks; the server answers access_denied to the app.
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const refused = await fetch(denied.href, { headers: { cookie }, redirect: 'manual' });
    expect(new URL(refused.headers.get('location')!).searchParams.get('error')).toBe('access_denied');

    // The owner adds Max; now the app is reachable and authorizable.
    await ownerPage.goto(`${server.url}/account/workspaces`);
    await ownerPage.getByLabel('Username').fill('max');
    await ownerPage.getByRole('button', { name: 'Add member' }).click();
    await ownerPage.getByText('Member added.').waitFor();
    await ownerPage.screenshot({ path: screenshotPath('console-workspaces'), fullPage: true });
    await page.goto(`${server.url}/apps/${clientId}`);
    await page.getByRole('heading', { name: 'Lab Console' }).waitFor();
    const { tokens } = await authorize(server, page, callbacks, clientId, oidc.ClientSecretPost(clientSecret!), 'openid');
    expect(tokens.claims()!.sub).toBe(member.id);
  });

  it('lets an administrator disable a user, whose token dies at once', async () => {
    const server = await newServer();
    const admin = await server.user({ username: 'adminuser', isAdmin: true });
    const victim = await server.user({ username: 'mallory', name: 'Mallory' });
    const { clientId, clientSecret } = await server.app({ redirect_uris: [REDIRECT] });
    const { page: victimPage, callbacks } = await newPage();
    await signIn(victimPage, server, victim);
    const { tokens } = await authorize(server, victimPage, callbacks, clientId, oidc.ClientSecretPost(clientSecret!));
    expect(await userinfoStatus(server, tokens.access_token)).toBe(200);

    const { page } = await newPage();
    await signIn(page, server, admin);
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByLabel('Search users').fill('mall');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    expect(await page.locator('#users .row-title').count()).toBe(1);
    await page.getByRole('button', { name: 'Disable mallory' }).click();
    await page.getByText('User disabled.').waitFor();
    await page.screenshot({ path: screenshotPath('console-admin'), fullPage: true });
    expect(await userinfoStatus(server, tokens.access_token)).toBe(401);
    // Their browser session ended too.
    await victimPage.goto(`${server.url}/account`);
    await victimPage.waitForURL(/\/login\?return_to=/);
  });
});
