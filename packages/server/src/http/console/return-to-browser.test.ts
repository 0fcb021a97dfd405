/** A real browser (Chromium) follows return_to after sign-in and never leaves the server. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../../testing/browser.js';
import { testDatabases } from '../../testing/databases.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';

const sqlite = testDatabases().find((factory) => factory.name === 'sqlite')!;
const PAYLOADS = ['/..//evil.example/', '/.//evil.example/', '/%2e//evil.example/', '/a/..//evil.example/', '/./\\evil.example/', '/..\\\\evil.example/'];

describe('return_to in Chromium', () => {
  let browser: Browser;
  let server: TestServer;
  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer(sqlite);
    await server.user({ username: `admin${process.pid}`, isAdmin: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('stays on the server for a signed-in /login?return_to= and after signing in', async () => {
    const user = await server.user();
    const context = await browser.newContext();
    // Every request the browser makes, redirects included (a route would see only the first URL).
    const offSite: string[] = [];
    context.on('request', (request) => {
      if (new URL(request.url()).origin !== new URL(server.url).origin) offSite.push(request.url());
    });
    const page = await context.newPage();
    const visit = async (url: string) => {
      // Off-site hosts do not resolve here: a navigation that leaves the server fails, and is recorded above.
      await page.goto(url).catch(() => {});
    };
    try {
      // Signing in with the payload as return_to.
      await visit(`${server.url}/login?return_to=${encodeURIComponent(PAYLOADS[0]!)}`);
      await page.getByLabel('Username').fill(user.username);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForLoadState('load').catch(() => {});
      expect(offSite).toEqual([]);
      expect(new URL(page.url()).origin).toBe(new URL(server.url).origin);
      // Already signed in: /login answers with the redirect at once.
      for (const payload of PAYLOADS) {
        await visit(`${server.url}/login?return_to=${encodeURIComponent(payload)}`);
        expect(offSite, payload).toEqual([]);
        expect(new URL(page.url()).origin, payload).toBe(new URL(server.url).origin);
        expect(new URL(page.url()).pathname, payload).toBe('/');
      }
      expect(offSite).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
