import * as client from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../testing/browser.js';
import { testDatabases } from '../testing/databases.js';
import { startTestServer, type TestServer } from '../testing/harness.js';

const REDIRECT = 'http://127.0.0.1:9999/callback';
const sqlite = testDatabases().find((factory) => factory.name === 'sqlite')!;

/** openid-client v6 as the relying party, Chromium as the user's browser. */
describe('sign in with a real browser and openid-client', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer(sqlite);
    await server.scope('project:read', 'Read your projects and their settings', true);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function run(authMethod: 'client_secret_basic' | 'client_secret_post' | 'none', name: string) {
    const { clientId, clientSecret } = await server.app({
      client_name: `Photo Sorter (${authMethod})`,
      token_endpoint_auth_method: authMethod,
      scope: 'openid profile email project:read',
      redirect_uris: [REDIRECT],
    });
    const user = await server.user({ name: 'Ada Lovelace', email: 'ada@example.com' });
    const chosen = await server.workspace({ name: 'Analytical Engines', owner: user });
    await server.workspace({ name: 'Difference Engines', owner: user });

    const auth =
      authMethod === 'client_secret_basic'
        ? client.ClientSecretBasic(clientSecret!)
        : authMethod === 'client_secret_post'
          ? client.ClientSecretPost(clientSecret!)
          : client.None();
    const config = await client.discovery(new URL(server.issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email project:read',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });

    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    let callback: string | undefined;
    await page.route('http://127.0.0.1:9999/**', async (route) => {
      callback = route.request().url();
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the app' });
    });
    await page.goto(url.href);
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    await page.getByLabel('Analytical Engines').check();
    await page.screenshot({ path: screenshotPath(`consent-${name}`), fullPage: true });
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/127\.0\.0\.1:9999/);
    await context.close();

    expect(callback).toBeDefined();
    const tokens = await client.authorizationCodeGrant(config, new URL(callback!), { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce });
    const claims = tokens.claims()!;
    expect(claims.sub).toBe(user.id);
    expect(claims.iss).toBe(server.issuer);
    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: user.id, name: 'Ada Lovelace', email: 'ada@example.com', preferred_username: user.username });
    const validate = (await (await fetch(`${server.url}/oauth/validate`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json()) as { workspace_url: string };
    expect(validate.workspace_url).toBe(chosen.slug);
  }

  it('works for a confidential client with client_secret_basic', () => run('client_secret_basic', 'basic'));
  it('works for a confidential client with client_secret_post', () => run('client_secret_post', 'post'));
  it('works for a public client', () => run('none', 'public'));
});
